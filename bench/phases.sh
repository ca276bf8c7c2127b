#!/usr/bin/env bash
# Where the time of an audit goes: times parse, OUTPUT leaks, FORWARD leaks and rule
# reachability one after the other (one thread) on generated kube-proxy-style dumps
# (org.ksaudit.bench.AnalysisPhaseTimer). bench/run.sh times the whole check; this splits it.
#
#   bench/phases.sh                    sizes 10000 100000 (lines)
#   SIZES="1000" bench/phases.sh       other sizes
#   KSAUDIT_BUILD_DIR=/tmp/b bench/phases.sh   build elsewhere
set -euo pipefail
cd "$(dirname "$0")/.."
build="${KSAUDIT_BUILD_DIR:-$PWD/target}"
sizes="${SIZES:-10000 100000}"
echo "bench: building ksaudit into $build ..." >&2
mvn -q -B -Dksaudit.build.dir="$build" -DskipTests package test-compile >&2
work="$(mktemp -d -t ksaudit-phases.XXXXXX)"
trap 'rm -rf "$work"' EXIT
for n in $sizes; do
  java -cp "$build/test-classes" org.ksaudit.oracle.KubeProxyDumpGenerator "$n" "$work/kube-$n.v4" 2>/dev/null
  echo "== $n lines"
  # shellcheck disable=SC2086
  java ${KSAUDIT_JAVA_OPTS:-} -cp "$build/ksaudit.jar:$build/test-classes" org.ksaudit.bench.AnalysisPhaseTimer "$work/kube-$n.v4"
done

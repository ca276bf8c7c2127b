#!/usr/bin/env bash
# Times `ksaudit check` end to end (JVM start, parse, audit, report; the JVM's default heap, or
# the options in KSAUDIT_JAVA_OPTS as the ./ksaudit launcher takes them) on generated
# kube-proxy-style dumps next to `iptables-restore --test` on the same files, in one run, and
# prints the time ratio and ksaudit's peak memory. The dumps come from the syntax tests' generator
# (org.ksaudit.oracle.KubeProxyDumpGenerator, fixed seed). iptables-restore runs in a scratch
# network namespace so the host's rules are never touched. Needs root, ip, iptables, GNU time.
#
#   bench/run.sh                      sizes 1000 10000 100000 (lines)
#   SIZES="1000 10000" bench/run.sh   other sizes
#   KSAUDIT_BUILD_DIR=/tmp/b bench/run.sh   build elsewhere
#   KSAUDIT_JAVA_OPTS=-Xmx1g bench/run.sh    with a heap limit (a run that hits it is shown as failed)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${KSAUDIT_BUILD_DIR:-$PWD/target}"
sizes="${SIZES:-1000 10000 100000}"
for tool in ip iptables-restore java mvn /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: needs $tool" >&2; exit 2; }
done
[[ $(id -u) == 0 ]] || { echo "bench: needs root (iptables-restore --test runs in a scratch namespace)" >&2; exit 2; }

echo "bench: building ksaudit into $build ..." >&2
mvn -q -B -Dksaudit.build.dir="$build" -DskipTests package test-compile >&2

work="$(mktemp -d -t ksaudit-bench.XXXXXX)"
ns="ksa-$$-bench"
cleanup() { ip netns delete "$ns" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ip netns add "$ns"

printf '%-8s %-8s %-24s %-16s %-8s %s\n' lines rules "iptables-restore --test" "ksaudit check" ratio "ksaudit peak RSS"
for n in $sizes; do
  dump="$work/kube-$n.v4"
  java -cp "$build/test-classes" org.ksaudit.oracle.KubeProxyDumpGenerator "$n" "$dump" 2>/dev/null
  rules=$(grep -c '^-A ' "$dump")
  /usr/bin/time -f '%e' -o "$work/ipt.time" ip netns exec "$ns" iptables-restore --test < "$dump" >/dev/null 2>&1 \
    || { echo "bench: iptables-restore --test refused $dump" >&2; exit 1; }
  ipt=$(tail -1 "$work/ipt.time")
  # exit 1 (findings) is the expected outcome of auditing a kube-proxy dump; 3 is an internal error
  # shellcheck disable=SC2086
  /usr/bin/time -f '%e %M' -o "$work/ks.time" java ${KSAUDIT_JAVA_OPTS:-} -jar "$build/ksaudit.jar" check "$dump" >"$work/out" 2>"$work/err" || true
  ks=$(tail -1 "$work/ks.time")
  secs=${ks% *}
  kb=${ks#* }
  if grep -q 'internal error\|out of memory' "$work/err"; then
    printf '%-8s %-8s %-24s %-16s %-8s %s\n' "$n" "$rules" "${ipt} s" "failed" "-" "$(head -1 "$work/err")"
    continue
  fi
  ratio=$(awk -v a="$secs" -v b="$ipt" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }')
  printf '%-8s %-8s %-24s %-16s %-8s %s\n' "$n" "$rules" "${ipt} s" "${secs} s" "$ratio" "$((kb / 1024)) MiB"
done

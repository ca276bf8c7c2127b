#!/usr/bin/env bash
# Times `ksaudit check DIR` on a fleet of killswitch dumps: N files (default 1,000: N/2 hosts,
# each a HOST.v4 and HOST.v6), made from the killswitch fixtures in testdata/killswitches (a
# pair, or a .v4 file with the IPv6 half of testdata/diff/base.v6), each host with a VPN server
# address of its own so no two files are the same. One JVM audits them all, on every processor.
# Prints the wall time, the CPU time, the peak RSS and the hosts by exit code. Needs java, mvn
# and GNU time; no root.
#
#   bench/fleet.sh            1,000 files
#   FILES=200 bench/fleet.sh  another count
#   SKIP_BUILD=1 bench/fleet.sh   with the jar target/ksaudit.jar already built
#   KSAUDIT_JAVA_OPTS=-Xmx512m bench/fleet.sh   with a heap limit
set -euo pipefail
cd "$(dirname "$0")/.."
files="${FILES:-1000}"
for tool in java mvn /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: needs $tool" >&2; exit 2; }
done
echo "bench: building target/ksaudit.jar ..." >&2
[[ -n "${SKIP_BUILD:-}" ]] || mvn -q -B -DskipTests package >&2
work="$(mktemp -d -t ksaudit-fleet.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/fleet"
mapfile -t v4s < <(ls testdata/killswitches/*.v4)
for ((h = 0; h < files / 2; h++)); do
  src="${v4s[h % ${#v4s[@]}]}"
  twin="${src%.v4}.v6"
  [[ -f "$twin" ]] || twin=testdata/diff/base.v6
  host="$work/fleet/host$(printf '%04d' "$h")"
  addr="198.51.100.$((h % 250 + 1))"
  sed "s/198\.51\.100\.1\b/$addr/g" "$src" >"$host.v4"
  cp "$twin" "$host.v6"
done
echo "bench: $(ls "$work/fleet" | wc -l) files, $(nproc) processors" >&2
# shellcheck disable=SC2086
/usr/bin/time -f '%e %U %S %M' -o "$work/time" java ${KSAUDIT_JAVA_OPTS:-} -jar target/ksaudit.jar check "$work/fleet" \
  >"$work/out" 2>"$work/err" || true
read -r wall user sys kb < <(tail -1 "$work/time")
printf 'files %s  wall %s s  cpu %.1f s  peak RSS %d MiB\n' "$(ls "$work/fleet" | wc -l)" "$wall" \
  "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$((kb / 1024))"
tail -1 "$work/out"

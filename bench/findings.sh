#!/usr/bin/env bash
# Cost per rule, not per finding: times `ksaudit check` on the seed article's IPv4 rules
# (testdata/seed/article.v4) and on the same rules with 250 and 2,000 rules of the form
# `-A OUTPUT -s ADDR -j ACCEPT` added (each a leak from one source address; rules of one shape,
# so one finding with a location per rule), in one run, and prints each time as a ratio to the seed's, with ksaudit's peak RSS (GNU time).
# Targets (issue 10): 250 rules at most 2.5x the seed's time, 2,000 at most 5x, peak RSS under
# 300 MiB for both. Each size runs ROUNDS times (default 3), the seed between them, and the
# medians are compared, so a busy machine skews both sides alike. Needs java, mvn, GNU time.
#
#   bench/findings.sh                     sizes 250 2000
#   SIZES="250" ROUNDS=5 bench/findings.sh
#   KSAUDIT_BUILD_DIR=/tmp/b bench/findings.sh   build elsewhere
set -euo pipefail
cd "$(dirname "$0")/.."
build="${KSAUDIT_BUILD_DIR:-$PWD/target}"
sizes="${SIZES:-250 2000}"
rounds="${ROUNDS:-3}"
for tool in java mvn /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: needs $tool" >&2; exit 2; }
done
echo "bench: building ksaudit into $build ..." >&2
mvn -q -B -Dksaudit.build.dir="$build" -DskipTests package >&2

work="$(mktemp -d -t ksaudit-findings.XXXXXX)"
trap 'rm -rf "$work"' EXIT
seed=testdata/seed/article.v4

# the seed's rules, then n source allowances from 10.0.0.1 on (distinct addresses), then COMMIT
generate() {
  local n=$1 out=$2
  {
    sed '/^COMMIT/,$d' "$seed"
    awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) printf "-A OUTPUT -s 10.%d.%d.%d -j ACCEPT\n", int(i / 65536) % 256, int(i / 256) % 256, i % 256 }'
    echo COMMIT
  } >"$out"
}

# one run: "wall-seconds user+sys-seconds peak-KiB", the report in $2; exit 1 (findings) is the expected outcome
measure() {
  # shellcheck disable=SC2086
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" java ${KSAUDIT_JAVA_OPTS:-} -jar "$build/ksaudit.jar" check "$1" \
    >"$2" 2>"$work/err" || true
  if grep -q 'internal error\|out of memory' "$work/err"; then
    echo "bench: ksaudit failed on $1: $(head -1 "$work/err")" >&2
    exit 1
  fi
  # GNU time writes "Command exited with non-zero status 1" before its figures
  tail -1 "$work/time" | awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for n in $sizes; do generate "$n" "$work/allow-$n.v4"; done
: >"$work/seed.runs"
for n in $sizes; do : >"$work/$n.runs"; done
for ((r = 1; r <= rounds; r++)); do
  measure "$seed" "$work/seed.out" >>"$work/seed.runs"
  for n in $sizes; do measure "$work/allow-$n.v4" "$work/$n.out" >>"$work/$n.runs"; done
done

seed_wall=$(cut -d' ' -f1 "$work/seed.runs" | median)
seed_cpu=$(cut -d' ' -f2 "$work/seed.runs" | median)
seed_kb=$(cut -d' ' -f3 "$work/seed.runs" | sort -n | tail -1)
printf '%-22s %-8s %-10s %-8s %-10s %-8s %s\n' input findings wall ratio cpu ratio "peak RSS"
findings() { grep -c '^[^ ].*\[KS1[0-9][0-9], ' "$1" || true; }
printf '%-22s %-8s %-10s %-8s %-10s %-8s %s\n' "seed article.v4" "$(findings "$work/seed.out")" "${seed_wall} s" 1.0x \
  "${seed_cpu} s" 1.0x "$((seed_kb / 1024)) MiB"
for n in $sizes; do
  wall=$(cut -d' ' -f1 "$work/$n.runs" | median)
  cpu=$(cut -d' ' -f2 "$work/$n.runs" | median)
  kb=$(cut -d' ' -f3 "$work/$n.runs" | sort -n | tail -1)
  printf '%-22s %-8s %-10s %-8s %-10s %-8s %s\n' "seed + $n -s ADDR" "$(findings "$work/$n.out")" "${wall} s" \
    "$(awk -v a="$wall" -v b="$seed_wall" 'BEGIN { printf "%.1fx", a / b }')" "${cpu} s" \
    "$(awk -v a="$cpu" -v b="$seed_cpu" 'BEGIN { printf "%.1fx", a / b }')" "$((kb / 1024)) MiB"
done

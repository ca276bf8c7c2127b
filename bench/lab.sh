#!/usr/bin/env bash
# Times `ksaudit probe --lab` on the seed article's rules (testdata/seed/article.v4 and .v6), every
# scenario, end to end: the whole run, the lab's construction and each scenario, read from the
# progress lines the probe prints as it goes. Prints the commit, the date and the load average
# before and after, since the lab's time follows the machine's load (its helpers are JVMs and
# python3 processes); bench/lab.txt keeps the measurement the README quotes.
# Needs root and what `probe --lab` needs (see README.md). Extra arguments go to the probe.
#
#   bench/lab.sh                                 every scenario
#   bench/lab.sh --scenario reconnect            one of them
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $(id -u) == 0 ]] || { echo "bench: needs root (the lab builds network namespaces)" >&2; exit 2; }
./ksaudit --version >/dev/null

work="$(mktemp -d -t ksaudit-bench-lab.XXXXXX)"
trap 'rm -rf "$work"' EXIT
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(date +%s.%N)
# exit 1 (leaks measured) is the expected outcome on the article's rules
./ksaudit probe --lab "$@" testdata/seed/article.v4 testdata/seed/article.v6 >"$work/report" \
  2> >(while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done >"$work/progress") || true
t1=$(date +%s.%N)
sleep 0.2
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v t0="$t0" -v t1="$t1" '
  / probe: / { name = ($3 ~ /^\[/) ? $4 : ($3 == "building") ? "lab build" : $3; sub(/:$/, "", name); if (prev != "") printf "%-20s %6.1f s\n", prev, $1 - at; else printf "%-20s %6.1f s\n", "start, audit", $1 - t0; prev = name; at = $1 }
  END { if (prev != "") printf "%-20s %6.1f s\n", prev " (+ report)", t1 - at; printf "%-20s %6.1f s\n", "total", t1 - t0 }
' "$work/progress"
grep '^summary:' "$work/report"

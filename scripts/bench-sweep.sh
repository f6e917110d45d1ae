#!/usr/bin/env bash
# Benchmarks the local sweep engine (issue 14): a 100-point sweep of single-site 30-day runs and a 40-point
# sweep of fairwater 30-day runs, each run one point at a time (--parallel 1) and with the engine's own choice
# (one per core, as many as fit in the heap), alternating, RUNS times (default 3). Prints the median wall time,
# points per minute and the speed-up, and the engine's heap decision. Measures; asserts nothing.
#   RUNS=5 scripts/bench-sweep.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/single-site-100.yaml" <<'YAML'
name: single-site-100
scenario: single-site          # 30 days measured after 7 of warm-up
axes:
  - path: load
    range: {from: 0.5, to: 0.95, step: 0.05}
seeds: 10
YAML
cat >"$tmp/fairwater-40.yaml" <<'YAML'
name: fairwater-40
scenario: fairwater            # 30 days measured after 30 of warm-up
axes:
  - path: load
    values: [0.7, 0.8, 0.9, 1.0]
seeds: 10
YAML

"$root/superfactory" --version >/dev/null # build first, outside the timings
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

printf '%-16s %-12s %7s %10s %11s %8s\n' sweep mode points "wall s" "points/min" speed-up
for sweep in single-site-100 fairwater-40; do
  : >"$tmp/seq" && : >"$tmp/par"
  for ((r = 1; r <= runs; r++)); do
    for mode in seq par; do
      out="$tmp/out-$sweep-$mode"
      rm -rf "$out"
      args=(); [ "$mode" = seq ] && args=(--parallel 1)
      "$root/superfactory" sweep "$tmp/$sweep.yaml" --out "$out" "${args[@]}" >"$tmp/log" 2>"$tmp/err"
      sed -n 's/^Ran \([0-9]*\) points in \([0-9.]*\) s wall.*/\2/p' "$tmp/log" >>"$tmp/$mode"
      points="$(sed -n 's/^Ran \([0-9]*\) points in.*/\1/p' "$tmp/log")"
      [ "$mode" = par ] && grep -h '^sweep: a point keeps' "$tmp/err" | tail -n1 >"$tmp/heap-$sweep"
    done
  done
  seq_s="$(median <"$tmp/seq")"
  par_s="$(median <"$tmp/par")"
  awk -v s="$sweep" -v n="$points" -v a="$seq_s" -v b="$par_s" 'BEGIN {
    printf "%-16s %-12s %7d %10.1f %11.1f %8s\n", s, "sequential", n, a, n / a * 60, "1.00x"
    printf "%-16s %-12s %7d %10.1f %11.1f %7.2fx\n", s, "parallel", n, b, n / b * 60, a / b }'
  echo "  (${runs} runs each; wall times seq: $(paste -sd' ' "$tmp/seq") par: $(paste -sd' ' "$tmp/par"))"
  echo "  $(cat "$tmp/heap-$sweep")"
  # what else a JVM running one point at a time spends CPU on: the JIT compilers' time over the whole sweep
  rm -rf "$tmp/out-jit"
  jit="$(SUPERFACTORY_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+CITime" "$root/superfactory" sweep "$tmp/$sweep.yaml" \
    --out "$tmp/out-jit" --parallel 1 2>/dev/null | sed -n 's/^ *Total compilation time *: *\([0-9.]*\) s.*/\1/p')"
  echo "  JIT compilation during one sequential sweep: ${jit:-?} s of CPU"
done
echo "cores: $(nproc), java: $(sed -n 's/.*"java" : "\(.*\)".*/\1/p' "$tmp/out-fairwater-40-par/points/p0001/result.json")"

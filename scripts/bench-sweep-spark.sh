#!/usr/bin/env bash
# The Spark engine's overhead: one 40-point sweep (single-site, 7-day runs, 20 loads x 2 seeds) run through
# ./superfactory with the local engine (--parallel 2) and with Spark local[2], alternating, RUNS times each
# (default 3); prints the median wall time of each, the overhead in total and per point, and the Spark context's
# start time (from the engine's note). Wall times include the JVM start; the first build is not timed.
#   RUNS=5 scripts/bench-sweep-spark.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

loads="$(seq -s ', ' 0.50 0.02 0.88)"
cat >"$work/bench.yaml" <<YAML
name: bench-spark
scenario: single-site
set:
  horizon: 7d
  warmup: 0d
axes:
  - path: workload.load
    values: [$loads]
seeds: 2
YAML

# build both jars before timing anything
"$root/superfactory" sweep "$work/bench.yaml" --list >/dev/null
"$root/superfactory" sweep "$work/bench.yaml" --engine spark --list >/dev/null

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }

: >"$work/local.txt"
: >"$work/spark.txt"
: >"$work/start.txt"
for i in $(seq 1 "$runs"); do
  t0="$(now)"
  "$root/superfactory" sweep "$work/bench.yaml" --parallel 2 --out "$work/local-$i" >/dev/null 2>"$work/local-$i.err"
  calc "$(now) - $t0" >>"$work/local.txt"
  t0="$(now)"
  "$root/superfactory" sweep "$work/bench.yaml" --engine spark --master 'local[2]' --out "$work/spark-$i" \
    >/dev/null 2>"$work/spark-$i.err"
  calc "$(now) - $t0" >>"$work/spark.txt"
  sed -n 's/.*context started in \([0-9.]*\) s.*/\1/p' "$work/spark-$i.err" >>"$work/start.txt"
  printf 'run %d: local %.1f s, spark %.1f s\n' "$i" "$(tail -n1 "$work/local.txt")" "$(tail -n1 "$work/spark.txt")" >&2
done

points=40
local_s="$(median <"$work/local.txt")"
spark_s="$(median <"$work/spark.txt")"
start_s="$(median <"$work/start.txt")"
overhead="$(calc "$spark_s - $local_s")"
printf '\n%-44s %10s\n' "40 points, median of $runs runs" "seconds"
printf '%-44s %10.1f\n' "local engine, --parallel 2" "$local_s"
printf '%-44s %10.1f\n' "spark engine, local[2]" "$spark_s"
printf '%-44s %10.1f\n' "  of which the Spark context start" "$start_s"
printf '%-44s %10.1f\n' "overhead in total" "$overhead"
printf '%-44s %10.3f\n' "overhead per point" "$(calc "$overhead / $points")"
printf '%-44s %10.3f\n' "overhead per point, context start left out" "$(calc "($overhead - $start_s) / $points")"

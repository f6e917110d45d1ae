#!/usr/bin/env bash
# The submit figures of README "Load test": starts `superfactory serve --preset fairwater` on a new
# temp data directory (embedded PostgreSQL, default durability) and a free port, runs
# `superfactory load` for each case, prints one line per run and the medians, stops the server by pid.
#   RATES="500 1000 2000 4000"  BATCHES="1 50"  DURATION=30  RUNS=3  TENANTS=2
# A benchmark, not a test: figures depend on the machine and on what else runs on it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rates=${RATES:-"500 1000 2000 4000"}; batches=${BATCHES:-"1 50"}
duration=${DURATION:-30}; runs=${RUNS:-3}; tenants=${TENANTS:-2}
data="$(mktemp -d)"; out="$data/results"; mkdir -p "$out"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$root/superfactory" serve --preset fairwater --data "$data" --port "$port" >"$data/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
until grep -q "running until" "$data/serve.log"; do
  kill -0 "$server" 2>/dev/null || { cat "$data/serve.log" >&2; exit 1; }
  sleep 0.5
done
echo "server pid $server on port $port, data $data"
for run in $(seq 1 "$runs"); do
  for batch in $batches; do
    for rate in $rates; do
      f="$out/b$batch-r$rate-$run.json"
      "$root/superfactory" load --url "http://127.0.0.1:$port" --rate "$rate" --duration "$duration" \
        --tenants "$tenants" --batch "$batch" --data "$data" --json >"$f"
      python3 - "$f" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); l = r["latencyMillis"]
print(f'batch {r["batchJobs"]:>3}  offered {r["offeredJobsPerSecond"]:>6.0f}/s  accepted {r["acceptedJobsPerSecond"]:>7.1f}/s'
      f'  p50 {l["p50"]:>7.1f} ms  p99 {l["p99"]:>7.1f} ms  max {l["max"]:>7.1f} ms  not sent {r["notSentJobs"]}'
      f'  refused {r["refusedRequestsByStatus"]}  failed {r["failedRequestsByError"]}', flush=True)
PY
    done
  done
done
python3 - "$out" <<'PY'
import glob, json, statistics, sys, collections
cases = collections.defaultdict(list)
for f in glob.glob(sys.argv[1] + "/*.json"):
    r = json.load(open(f)); cases[(r["batchJobs"], r["offeredJobsPerSecond"])].append(r)
print("| jobs per request | offered jobs/s | accepted jobs/s | p50 ms | p99 ms | runs |")
print("| ---: | ---: | ---: | ---: | ---: | ---: |")
for (batch, rate), rs in sorted(cases.items()):
    med = lambda key: statistics.median(key(r) for r in rs)
    print(f'| {batch} | {rate:.0f} | {med(lambda r: r["acceptedJobsPerSecond"]):.0f} | '
          f'{med(lambda r: r["latencyMillis"]["p50"]):.1f} | {med(lambda r: r["latencyMillis"]["p99"]):.1f} | {len(rs)} |')
PY

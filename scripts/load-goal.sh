#!/usr/bin/env bash
# The load goal of issue 11, measured: `serve --preset fairwater` on a new embedded PostgreSQL
# (default durability) and a free port; a warm-up load (not counted); then `superfactory load` at
# RATE jobs/s in batches of BATCH for DURATION s, with the pass-time histogram read from /metrics
# before and after (so the warm-up's passes are not counted), whole and its deciding and committing parts; pending jobs at the end; then the
# server is stopped, started again on the same data, and its rebuild line printed. RUNS times, each
# on a new server. The server is stopped by its pid.
#   RATE=2000 BATCH=50 DURATION=60 WARMUP=20 RUNS=3 TENANTS=4 SERVE_ARGS= (more serve options, e.g. --forecast-every 0)
# A benchmark, not a test: figures depend on the machine and on what else runs on it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rate=${RATE:-2000}; batch=${BATCH:-50}; duration=${DURATION:-60}; warmup=${WARMUP:-20}
runs=${RUNS:-3}; tenants=${TENANTS:-4}; serve_args=${SERVE_ARGS:-}
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true' EXIT

start_server() { # $1 data dir, $2 log; sets server and port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "$root/superfactory" serve --preset fairwater --data "$1" --port "$port" $serve_args >"$2" 2>&1 &
  server=$!
  until grep -q "running until" "$2"; do
    kill -0 "$server" 2>/dev/null || { cat "$2" >&2; exit 1; }
    sleep 0.5
  done
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }
scrape() { curl -s -H "Authorization: Bearer $operator" "http://127.0.0.1:$port/metrics"; }

for run in $(seq 1 "$runs"); do
  data="$(mktemp -d)"
  start_server "$data/data" "$data/serve.log"
  operator="$("$root/superfactory" token create --operator --data "$data/data")"
  "$root/superfactory" load --url "http://127.0.0.1:$port" --rate "$rate" --duration "$warmup" \
    --tenants "$tenants" --batch "$batch" --data "$data/data" >/dev/null
  scrape >"$data/before.txt"
  "$root/superfactory" load --url "http://127.0.0.1:$port" --rate "$rate" --duration "$duration" --warmup 3 \
    --tenants "$tenants" --batch "$batch" --data "$data/data" --json >"$data/load.json"
  scrape >"$data/after.txt"
  stop_server
  start_server "$data/data" "$data/restart.log"
  stop_server
  python3 - "$data" "$run" "$(uptime | sed 's/.*average: //')" <<'PY'
import json, re, sys
d, run, load = sys.argv[1], sys.argv[2], sys.argv[3]
r = json.load(open(d + "/load.json")); l = r["latencyMillis"]
def series(f, name):
    return {m.group(1): float(m.group(2)) for m in
            re.finditer(name + r'(\{[^}]*\})? ([0-9.eE+-]+)', open(f).read())}
def buckets(f, timer):
    return {float(m.group(1)): float(m.group(2)) for m in re.finditer(
        timer + r'_bucket\{le="([0-9.eE+-]+)"\} ([0-9.]+)', open(f).read())}
def p99_of(timer): # the pass's histogram between the two scrapes: count, p99 bucket, share <= 20 ms
    b0, b1 = buckets(d + "/before.txt", timer), buckets(d + "/after.txt", timer)
    b = {le: b1[le] - b0.get(le, 0) for le in b1}
    les = sorted(b); n = b[les[-1]]
    return n, next(le for le in les if b[le] >= 0.99 * n), next(b[le] for le in les if abs(le - 0.02) < 1e-12) / n
n, p99, le20 = p99_of("superfactory_scheduler_pass_seconds")
_, commit_p99, _ = p99_of("superfactory_scheduler_pass_commit_seconds")
_, decide_p99, _ = p99_of("superfactory_scheduler_pass_decide_seconds")
pending = sum(v for k, v in series(d + "/after.txt", "superfactory_pending_jobs").items())
rebuilt = next(line.strip() for line in open(d + "/restart.log") if line.startswith("state:"))
print(f"run {run}: accepted {r['acceptedJobs']} of {r['offeredJobs']} ({r['acceptedJobsPerSecond']:.1f} jobs/s);"
      f" submit p50 {l['p50']:.1f} ms, p90 {l['p90']:.1f} ms, p99 {l['p99']:.1f} ms, max {l['max']:.1f} ms;"
      f" passes {n:.0f}, {100 * le20:.1f}% <= 20 ms, p99 <= {1000 * p99:.1f} ms (histogram bucket),"
      f" deciding p99 <= {1000 * decide_p99:.1f} ms, committing p99 <= {1000 * commit_p99:.1f} ms;"
      f" pending at the end {pending:.0f}; restart: {rebuilt}; load average before {load}", flush=True)
PY
  rm -rf "$data"
done

#!/usr/bin/env bash
# Two sites run by real Slurm, end to end, as separate processes (README "Sites run by Slurm"; CI runs it):
# two Slurm 22.05 clusters (scripts/slurm.sh up), a control plane with no simulated agent for them
# (serve --external-agents), one `superfactory agent --backend slurm` per site, then a one-site job, a gang
# across both clusters and a cancelled job. It checks what it shows: every shard RUNNING in Slurm on the nodes
# the node map gives for its placement, both gang shards started by one go, the jobs succeeded and their Slurm
# jobs COMPLETED, the cancelled one noticed and CANCELLED. Any miss: one line "slurm-demo: FAILED: ..." and exit 1.
#
#   scripts/slurm-demo.sh          (root: slurm.sh starts the daemons; builds nothing: ./superfactory must be built)
#
# Everything it starts (clusters, serve, agents) is stopped by pid on exit, also on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly SITES=(wisconsin atlanta)
readonly TIME_SCALE=600 # a job's hour is 6 s
readonly GPUS_PER_NODE=8 # scripts/slurm.sh up --gpus 8; the node maps put two nodes in each 16-GPU domain
declare -A FIRST_DOMAIN=([wisconsin]=0 [atlanta]=2) # as docs/examples/slurm-*-nodes.yaml say

fail() { echo "slurm-demo: FAILED: $*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }
command -v jq >/dev/null || fail "jq is missing (apt-get install jq)"
command -v curl >/dev/null || fail "curl is missing (apt-get install curl)"

work=$(mktemp -d /tmp/sf-slurm-demo.XXXXXX)
chmod 755 "$work" # munged and slurmrestd (their own users) reach their files below it
pids=()
cleanup() {
    local status=$? pid
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do # 15 s to stop cleanly (shutdown hooks), then killed: a hung JVM never hangs CI
        for _ in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ -d $work/slurm ]]; then bash scripts/slurm.sh down "$work/slurm" >/dev/null 2>&1 || true; fi
    if ((status != 0)); then
        echo "slurm-demo: logs kept in $work (serve.txt, agent-*.txt, slurm/*/log)" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# A value of a site's env file (scripts/slurm.sh up writes it).
slurm_env() { sed -n "s/^$2=//p" "$work/slurm/$1/env"; }
on_site() { SLURM_CONF=$(slurm_env "$1" SLURM_CONF) "${@:2}"; }

# Polls "$@" (a command) every 0.2 s until it succeeds; after $1 seconds fails with $2.
wait_for() {
    local seconds=$1 what=$2
    shift 2
    for _ in $(seq 1 $((seconds * 5))); do "$@" && return 0; sleep 0.2; done
    fail "$what (not within $seconds s)"
}

# A background process ($1) printed "running until" in its output file ($2); gone: fail at once.
started() {
    grep -q '^running until' "$2" && return 0
    kill -0 "$1" 2>/dev/null || fail "process $1 exited: $(tail -3 "$2")"
    return 1
}

api() { curl -sf -H "Authorization: Bearer $2" "$url/v1$1"; }
job_state() { api "/jobs/$1" "$tenant" | jq -r .state; }
job_is() { [[ $(job_state "$1") == "$2" ]]; }
# Submits (the job's options after the variable's name), shows the command and its output, sets the variable to the id.
submit() {
    local out
    echo "$ ./superfactory submit ${*:2}"
    out=$(./superfactory submit "${@:2}") || fail "submit ${*:2} failed: $out"
    echo "$out"
    printf -v "$1" '%s' "$(sed -n 's/^Submitted job \([0-9]*\) .*/\1/p' <<<"$out")"
    [[ -n ${!1} ]] || fail "submit ${*:2} printed no job id: $out"
}

# The Slurm job of run $2 on site $1 as "id name state nodelist" (squeue keeps it while it runs, scontrol after).
slurm_job() {
    on_site "$1" scontrol -o show job 2>/dev/null | grep " JobName=sf-$2-$1 " \
        | sed 's/^JobId=\([0-9]*\) JobName=\([^ ]*\) .* JobState=\([A-Z_]*\) .* NodeList=\([^ ]*\) .*/\1 \2 \3 \4/'
}
slurm_state_is() { [[ $(slurm_job "$1" "$2" | awk '{print $3}') == "$3" ]]; }

# The shards of job $1 the control plane believes live: "site run placement-json" lines.
shards_of() {
    local site
    for site in "${SITES[@]}"; do
        api "/agents/$site/shards" "$operator" | jq -c --arg site "$site" --argjson job "$1" \
            '.items[] | select(.job == $job) | [$site, .run, .placement]' | jq -r '"\(.[0]) \(.[1]) \(.[2] | tojson)"'
    done
}

# Checks that the Slurm job of a shard is RUNNING on the nodes the node map gives for its placement: with GPU
# ranges ([domain, gpus, [[offset, count], ...]]) exactly the nodes covering them, else GPUs/8 nodes of its domains.
check_nodes() {
    local site=$1 run=$2 placement=$3 line state nodelist actual expected
    line=$(slurm_job "$site" "$run")
    read -r _ _ state nodelist <<<"$line"
    [[ $state == RUNNING ]] || fail "Slurm job sf-$run-$site is '$state', not RUNNING: $line"
    actual=$(on_site "$site" scontrol show hostnames "$nodelist" | sort | paste -sd,)
    expected=$(jq -r --argjson first "${FIRST_DOMAIN[$site]}" --arg site "$site" --argjson per "$GPUS_PER_NODE" '
        def node($k; $i): "\($site)-n\(2 * $k + $i + 1)";
        [.domains[] | (.[0] - $first) as $k
            | if length > 2 then {exact: [.[2][] as [$o, $c] | range(0; 2) | select(. * $per < $o + $c and $o < (. + 1) * $per)
                                        | node($k; .)]}
              else {allowed: [node($k; 0), node($k; 1)], count: (.[1] / $per)} end]
        | if any(has("exact")) then "exact " + ([.[].exact[]] | unique | join(","))
          else "allowed " + ([.[].allowed[]] | join(",")) + " " + ([.[].count] | add | tostring) end' <<<"$placement")
    case $expected in
        exact\ *) [[ $actual == "${expected#exact }" ]] \
            || fail "sf-$run-$site runs on $actual, the placement $placement gives ${expected#exact }" ;;
        allowed\ *)
            local allowed count node
            read -r _ allowed count <<<"$expected"
            [[ $(tr ',' '\n' <<<"$actual" | wc -l) -eq $count ]] \
                || fail "sf-$run-$site runs on $actual: not $count nodes as its placement $placement has GPUs"
            for node in ${actual//,/ }; do
                [[ ,$allowed, == *,$node,* ]] || fail "sf-$run-$site runs on $node, not a node of $placement ($allowed)"
            done ;;
    esac
    echo "ok: sf-$run-$site RUNNING in Slurm on $actual, as the node map gives for placement $placement"
}

squeue_all() {
    local site
    for site in "${SITES[@]}"; do
        echo "# $site"
        echo "$ SLURM_CONF=$(slurm_env "$site" SLURM_CONF) squeue -o '%i %j %T %N'"
        on_site "$site" squeue -o '%i %j %T %N'
    done
}

# When event $3 was logged by the script of run $2 on site $1: epoch µs.
script_time() {
    local id name
    read -r id name _ <<<"$(slurm_job "$1" "$2")"
    awk -v e="$3" '$1 == e {print $2; exit}' "$(slurm_env "$1" SLURM_WORKDIR)/$name.$id.events"
}

# A Slurm job's script log (one "event epoch-µs" line each): its events, space-separated.
script_events() {
    local id name
    read -r id name _ <<<"$(slurm_job "$1" "$2")"
    awk '{print $1}' "$(slurm_env "$1" SLURM_WORKDIR)/$name.$id.events" | paste -sd' '
}

step "two Slurm clusters (scripts/slurm.sh up)"
bash scripts/slurm.sh install
bash scripts/slurm.sh up "$work/slurm" --sites "$(IFS=,; echo "${SITES[*]}")" --nodes 4 --gpus "$GPUS_PER_NODE"

step "the control plane, no simulated agent for the Slurm sites"
echo "$ ./superfactory serve docs/examples/slurm-two-sites.yaml --data $work/data --port 0" \
    "--external-agents wisconsin,atlanta --time-scale $TIME_SCALE &"
./superfactory serve docs/examples/slurm-two-sites.yaml --data "$work/data" --port 0 \
    --external-agents wisconsin,atlanta --time-scale "$TIME_SCALE" >"$work/serve.txt" 2>&1 &
pids+=($!)
wait_for 120 "serve did not start (see $work/serve.txt)" started "${pids[-1]}" "$work/serve.txt"
cat "$work/serve.txt"
url=$(sed -n 's|^api: \(http://127.0.0.1:[0-9]*\)/v1 .*|\1|p' "$work/serve.txt")
[[ -n $url ]] || fail "no api: line in $work/serve.txt"
tenant=$(./superfactory token create --tenant alpha --data "$work/data")
operator=$(./superfactory token create --operator --data "$work/data")
export SUPERFACTORY_URL=$url SUPERFACTORY_TOKEN=$tenant

step "one agent per site (superfactory agent --backend slurm)"
for site in "${SITES[@]}"; do
    agent_token=$(./superfactory token create --agent "$site" --data "$work/data")
    slurm_env "$site" SLURM_JWT >"$work/$site.jwt"
    chmod 600 "$work/$site.jwt"
    args=(agent --site "$site" --control-plane "$url" --token "<agent token of $site>"
        --nodes "docs/examples/slurm-$site-nodes.yaml" --backend slurm --slurm-rest "$(slurm_env "$site" SLURM_REST_URL)"
        --slurm-user "$(slurm_env "$site" SLURM_USER)" --slurm-token-file "$work/$site.jwt"
        --checkpoint-root "$(slurm_env "$site" SLURM_WORKDIR)" --time-scale "$TIME_SCALE" --poll-interval 200ms
        --notice-grace 3s)
    echo "$ ./superfactory ${args[*]} &"
    args[6]=$agent_token
    # the agent's INFO lines (its reconciliation) on stderr, beside its warnings
    SUPERFACTORY_JAVA_OPTS=-Dorg.slf4j.simpleLogger.log.dev.superfactory.agent=info \
        ./superfactory "${args[@]}" >"$work/agent-$site.txt" 2>&1 &
    pids+=($!)
    wait_for 60 "the agent of $site did not start (see $work/agent-$site.txt)" started "${pids[-1]}" \
        "$work/agent-$site.txt"
done
for site in "${SITES[@]}"; do
    wait_for 60 "the agent of $site did not reconcile (see $work/agent-$site.txt)" \
        grep -q 'reconciled with the control plane' "$work/agent-$site.txt"
    sed -n 1p "$work/agent-$site.txt"
    grep -m1 -o 'agent [a-z]*: reconciled with the control plane.*' "$work/agent-$site.txt"
done

step "a one-site job (16 GPUs, 3 h) and a gang across both sites (48 GPUs: a site has 32; 2 h)"
submit one --gpus 16 --group 16 --seconds 10800
submit gang --gpus 48 --group 16 --seconds 7200 --span-sites
wait_for 60 "job $one is $(job_state "$one"), not running" job_is "$one" running
wait_for 60 "job $gang is $(job_state "$gang"), not running" job_is "$gang" running
mapfile -t one_shards < <(shards_of "$one")
mapfile -t gang_shards < <(shards_of "$gang")
shards=("${one_shards[@]}" "${gang_shards[@]}")
[[ ${#one_shards[@]} -eq 1 && ${#gang_shards[@]} -eq 2 ]] \
    || fail "expected 1 shard of job $one and 2 of job $gang, the control plane has: ${shards[*]}"
gang_sites=$(printf '%s\n' "${gang_shards[@]}" | awk '{print $1}' | sort | paste -sd,)
[[ $gang_sites == atlanta,wisconsin ]] || fail "the gang's shards are on '$gang_sites', not on both sites"
for shard in "${shards[@]}"; do
    read -r site run placement <<<"$shard"
    wait_for 30 "sf-$run-$site is not RUNNING in Slurm: $(slurm_job "$site" "$run")" slurm_state_is "$site" "$run" RUNNING
done
for shard in "${shards[@]}"; do
    read -r site run placement <<<"$shard"
    check_nodes "$site" "$run" "$placement"
done
squeue_all
show ./superfactory jobs

step "both run their time (at ${TIME_SCALE}x: 18 s and 12 s) and succeed"
wait_for 60 "job $one is $(job_state "$one"), not succeeded" job_is "$one" succeeded
wait_for 60 "job $gang is $(job_state "$gang"), not succeeded" job_is "$gang" succeeded
for shard in "${shards[@]}"; do
    read -r site run _ <<<"$shard"
    wait_for 30 "sf-$run-$site did not end COMPLETED in Slurm: $(slurm_job "$site" "$run")" \
        slurm_state_is "$site" "$run" COMPLETED
    events=$(script_events "$site" "$run")
    echo "ok: sf-$run-$site COMPLETED in Slurm; its script logged: $events"
done
for shard in "${gang_shards[@]}"; do
    read -r site run _ <<<"$shard"
    [[ $(script_events "$site" "$run") == "start ready go work done" ]] \
        || fail "gang shard sf-$run-$site was not prepared, then started by the go: $(script_events "$site" "$run")"
    read -r id _ <<<"$(slurm_job "$site" "$run")"
    on_site "$site" scontrol -o show job "$id" | grep -q ' Comment=sf:go:0 ' \
        || fail "gang shard sf-$run-$site (Slurm job $id) lacks the go mark Comment=sf:go:0"
done
echo "ok: the gang's two Slurm jobs were prepared (ready), then started by one go"
show ./superfactory jobs

step "a job cancelled while it runs: its Slurm job gets the notice (SIGUSR1), 3 s later the kill"
submit long --gpus 8 --group 8 --seconds 36000
wait_for 60 "job $long is $(job_state "$long"), not running" job_is "$long" running
read -r site run placement <<<"$(shards_of "$long")"
wait_for 30 "sf-$run-$site is not RUNNING in Slurm" slurm_state_is "$site" "$run" RUNNING
check_nodes "$site" "$run" "$placement"
show ./superfactory cancel "$long"
wait_for 30 "sf-$run-$site did not end CANCELLED: $(slurm_job "$site" "$run")" slurm_state_is "$site" "$run" CANCELLED
wait_for 30 "job $long is $(job_state "$long"), not cancelled" job_is "$long" cancelled
events=$(script_events "$site" "$run")
[[ $events == *notice*term* ]] || fail "sf-$run-$site ended without the notice before the kill: $events"
grace_ms=$((($(script_time "$site" "$run" term) - $(script_time "$site" "$run" notice)) / 1000))
((grace_ms >= 2500 && grace_ms <= 6000)) || fail "sf-$run-$site: the kill came $grace_ms ms after the notice, not about 3 s"
echo "ok: sf-$run-$site CANCELLED in Slurm; its script logged: $events (the kill $grace_ms ms after the notice)"
squeue_all
show ./superfactory jobs

step "stopping the agents, the control plane and the clusters"
echo "slurm-demo: passed"

#!/usr/bin/env bash
# Real Slurm on one machine for tests and demos (issue 12): one cluster per site, fake GPU nodes,
# one slurmrestd per cluster with JWT auth on 127.0.0.1. Facts this follows:
# ../shared/notes/slurm-on-one-machine.md (Debian 12, Slurm 22.05).
#
#   scripts/slurm.sh install
#   scripts/slurm.sh up DIR [--sites wisconsin,atlanta] [--nodes 4] [--gpus 8]
#   scripts/slurm.sh down DIR
#
# `up` writes DIR/<site>/env (KEY=value lines: SLURM_CONF, SLURM_REST_URL, SLURM_USER, SLURM_JWT,
# SLURM_NODES, ...) and prints one line per site. Every daemon it starts (munged too: one per DIR, on
# its own socket) has a pid file under DIR; `down` stops exactly those. Needs root (daemons run as root; slurmrestd drops to SLURM_USER).
set -euo pipefail

readonly SF_USER=superfactory-slurm
readonly REST_PLUGINS=openapi/v0.0.36,openapi/v0.0.37,openapi/v0.0.38
readonly TOKEN_LIFESPAN_SECONDS=86400

die() { echo "slurm.sh: $*" >&2; exit 2; }

usage() {
    die "usage: slurm.sh install | up DIR [--sites a,b] [--nodes N] [--gpus G] | down DIR"
}

cmd_install() {
    if command -v slurmctld slurmd slurmrestd munged scontrol >/dev/null 2>&1 \
        && [[ $(command -v slurmctld slurmd slurmrestd munged scontrol | wc -l) -eq 5 ]]; then
        return 0
    fi
    [[ $(id -u) -eq 0 ]] || die "install needs root (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq slurm-wlm slurmrestd munge >/dev/null
}

# A pid file's process is alive and runs the program named (guards against a reused pid).
alive() {
    local pidfile=$1 program=$2 pid
    [[ -s $pidfile ]] || return 1
    pid=$(<"$pidfile")
    [[ -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$program"
}

# Prints COUNT consecutive free TCP ports (nothing listens on them), starting at a random base.
free_ports() {
    local count=$1 base port ok listening
    listening=$(ss -Htan | awk '{print $4}' | sed 's/.*://' | sort -u)
    for _ in $(seq 1 50); do
        base=$((20000 + RANDOM % 30000))
        ok=1
        for ((port = base; port < base + count; port++)); do
            if grep -qx "$port" <<<"$listening"; then ok=0; break; fi
        done
        if ((ok)); then seq "$base" $((base + count - 1)); return 0; fi
    done
    die "no $count consecutive free ports found"
}

ensure_user() {
    id -u "$SF_USER" >/dev/null 2>&1 \
        || useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$SF_USER"
}

# Starts a munged of this DIR (own socket, pid, log and seed files under DIR/munge; the system's key),
# so clusters of two DIRs, or a system munged, never share one: `down` of one cannot break another.
start_munged() {
    local dir=$1 socket=$1/munge/munge.socket
    rm -rf "$dir/munge"
    install -d -o munge -g munge -m 0755 "$dir/munge"
    runuser -u munge -- /usr/sbin/munged --socket="$socket" --pid-file="$dir/munge/munged.pid" \
        --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed"
    for _ in $(seq 1 50); do
        munge --socket="$socket" -n 2>/dev/null | unmunge --socket="$socket" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    die "munged did not answer on $socket (see $dir/munge/munged.log)"
}

write_conf() {
    local site=$1 sdir=$2 nodes=$3 gpus=$4 ctld_port=$5 first_node_port=$6 munge_socket=$7
    local last_node_port=$((first_node_port + nodes - 1))
    cat >"$sdir/slurm.conf" <<EOF
ClusterName=$site
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$munge_socket
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$sdir/jwt.key
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
GresTypes=gpu
ReturnToService=2
MpiDefault=none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MinJobAge=3600
KillWait=5
SlurmdParameters=config_overrides
StateSaveLocation=$sdir/state
SlurmdSpoolDir=$sdir/spool/%n
SlurmctldPidFile=$sdir/run/slurmctld.pid
SlurmdPidFile=$sdir/run/slurmd-%n.pid
SlurmctldLogFile=$sdir/log/slurmctld.log
SlurmdLogFile=$sdir/log/slurmd-%n.log
NodeName=$site-n[1-$nodes] NodeHostname=localhost NodeAddr=127.0.0.1 Port=[$first_node_port-$last_node_port] CPUs=16 RealMemory=1000 Gres=gpu:$gpus State=UNKNOWN
PartitionName=$site Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
    echo "Name=gpu File=$sdir/fakedev/nvidia[0-$((gpus - 1))]" >"$sdir/gres.conf"
    chmod 644 "$sdir/slurm.conf" "$sdir/gres.conf"
}

# One site's cluster: wiped dirs, config, slurmctld, one slurmd per node, slurmrestd, token, env file.
site_up() {
    local site=$1 sdir=$2 nodes=$3 gpus=$4
    rm -rf "$sdir"
    mkdir -p "$sdir"/{state,spool,run,log,fakedev}
    install -d -o "$SF_USER" -g "$SF_USER" -m 0755 "$sdir/work"
    for ((g = 0; g < gpus; g++)); do ln -s /dev/null "$sdir/fakedev/nvidia$g"; done
    head -c 32 /dev/urandom >"$sdir/jwt.key"
    chmod 600 "$sdir/jwt.key"
    local ports
    mapfile -t ports < <(free_ports $((nodes + 2)))
    local ctld_port=${ports[0]} rest_port=${ports[1]} first_node_port=${ports[2]}
    write_conf "$site" "$sdir" "$nodes" "$gpus" "$ctld_port" "$first_node_port" "$(dirname "$sdir")/munge/munge.socket"
    export SLURM_CONF=$sdir/slurm.conf
    slurmctld
    for ((n = 1; n <= nodes; n++)); do
        mkdir -p "$sdir/spool/$site-n$n"
        slurmd -N "$site-n$n"
    done
    SLURM_JWT=daemon nohup slurmrestd -u "$SF_USER" -g "$SF_USER" -a rest_auth/jwt -s "$REST_PLUGINS" \
        "127.0.0.1:$rest_port" >"$sdir/log/slurmrestd.log" 2>&1 &
    echo $! >"$sdir/run/slurmrestd.pid"
    echo "$rest_port" >"$sdir/run/rest.port"
}

# Waits until every node of the site is idle and its slurmrestd answers a ping; writes DIR/<site>/env.
site_ready() {
    local site=$1 sdir=$2 nodes=$3 gpus=$4
    export SLURM_CONF=$sdir/slurm.conf
    local states=""
    for _ in $(seq 1 300); do
        states=$(sinfo -h -N -o '%T' 2>/dev/null | sort -u | tr '\n' ' ')
        [[ $states == "idle " && $(sinfo -h -N -o '%N' | wc -l) -eq $nodes ]] && break
        sleep 0.2
    done
    [[ $states == "idle " ]] || die "$site: nodes not idle after 60 s (states: ${states:-none}; see $sdir/log)"
    local token rest_url
    token=$(scontrol token username="$SF_USER" lifespan=$TOKEN_LIFESPAN_SECONDS | sed -n 's/^SLURM_JWT=//p')
    [[ -n $token ]] || die "$site: scontrol token gave no token"
    rest_url=http://127.0.0.1:$(<"$sdir/run/rest.port")
    for _ in $(seq 1 100); do
        curl -sf -o /dev/null -H "X-SLURM-USER-NAME: $SF_USER" -H "X-SLURM-USER-TOKEN: $token" \
            "$rest_url/slurm/v0.0.38/ping" && break
        sleep 0.1
    done
    curl -sf -o /dev/null -H "X-SLURM-USER-NAME: $SF_USER" -H "X-SLURM-USER-TOKEN: $token" \
        "$rest_url/slurm/v0.0.38/ping" || die "$site: slurmrestd at $rest_url does not answer (see $sdir/log/slurmrestd.log)"
    cat >"$sdir/env" <<EOF
SLURM_CLUSTER=$site
SLURM_PARTITION=$site
SLURM_CONF=$sdir/slurm.conf
SLURM_REST_URL=$rest_url
SLURM_USER=$SF_USER
SLURM_JWT=$token
SLURM_NODES=$(seq -f "$site-n%g" 1 "$nodes" | paste -sd,)
SLURM_GPUS_PER_NODE=$gpus
SLURM_WORKDIR=$sdir/work
EOF
    echo "$site: $nodes nodes x $gpus GPUs idle; rest $rest_url; SLURM_CONF=$sdir/slurm.conf; env $sdir/env"
}

running_in() {
    local dir=$1 pidfile
    for pidfile in "$dir"/*/run/slurmctld.pid; do
        [[ -e $pidfile ]] && alive "$pidfile" slurmctld && { echo "$pidfile"; return 0; }
    done
    alive "$dir/munge/munged.pid" munged && { echo "$dir/munge/munged.pid"; return 0; }
    return 1
}

cmd_up() {
    [[ $# -ge 1 ]] || usage
    local dir=$1 sites=wisconsin,atlanta nodes=4 gpus=8
    shift
    while [[ $# -gt 0 ]]; do
        case $1 in
            --sites) sites=${2:?--sites needs a value}; shift 2 ;;
            --nodes) nodes=${2:?--nodes needs a value}; shift 2 ;;
            --gpus) gpus=${2:?--gpus needs a value}; shift 2 ;;
            *) die "up: unknown option '$1' (known: --sites, --nodes, --gpus)" ;;
        esac
    done
    [[ $nodes =~ ^[1-9][0-9]*$ ]] || die "up: --nodes must be a positive integer, got '$nodes'"
    [[ $gpus =~ ^[1-9][0-9]*$ && $gpus -le 64 ]] || die "up: --gpus must be 1..64, got '$gpus'"
    [[ $sites =~ ^[a-z][a-z0-9]*(,[a-z][a-z0-9]*)*$ ]] \
        || die "up: --sites must be comma-separated lower-case names, got '$sites'"
    [[ $(id -u) -eq 0 ]] || die "up needs root (slurmd runs as root)"
    local running
    if running=$(running_in "$dir"); then
        die "up: $dir already has a running cluster ($running); run 'slurm.sh down $dir' first"
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    chmod 755 "$dir"
    ensure_user
    # a failure half-way stops what this run started
    trap "cmd_down '$dir' >/dev/null 2>&1" EXIT
    start_munged "$dir"
    local site
    IFS=, read -ra site_list <<<"$sites"
    for site in "${site_list[@]}"; do site_up "$site" "$dir/$site" "$nodes" "$gpus"; done
    for site in "${site_list[@]}"; do site_ready "$site" "$dir/$site" "$nodes" "$gpus"; done
    trap - EXIT
}

# Sends TERM to the daemons of the pid files given (file:program pairs) at once, waits up to 10 s for
# all of them (each takes 1-1.5 s to exit), then KILLs what is left.
stop_pidfiles() {
    local entry pidfile program pids=()
    for entry in "$@"; do
        pidfile=${entry%:*} program=${entry##*:}
        if alive "$pidfile" "$program"; then
            pids+=("$(<"$pidfile")")
            kill -TERM "${pids[-1]}" 2>/dev/null || true
        fi
        rm -f "$pidfile"
    done
    local pid left
    for _ in $(seq 1 100); do
        left=0
        for pid in "${pids[@]}"; do [[ -d /proc/$pid ]] && left=1; done
        ((left)) || return 0
        sleep 0.1
    done
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}

# Cancels every job of a cluster and waits (KillWait=5 s) so no slurmstepd outlives its slurmd.
cancel_jobs() {
    local sdir=$1
    alive "$sdir/run/slurmctld.pid" slurmctld || return 0
    export SLURM_CONF=$sdir/slurm.conf
    local jobs
    jobs=$(squeue -h -o %i 2>/dev/null || true)
    [[ -n $jobs ]] || return 0
    # shellcheck disable=SC2086
    scancel $jobs 2>/dev/null || true
    for _ in $(seq 1 100); do
        [[ -z $(squeue -h -t RUNNING,COMPLETING -o %i 2>/dev/null) ]] && return 0
        sleep 0.1
    done
}

cmd_down() {
    [[ $# -eq 1 ]] || usage
    local dir=$1 sdir pidfile rest=() slurm=()
    [[ -d $dir ]] || die "down: no such directory $dir"
    local sites=()
    for sdir in "$dir"/*/; do
        sdir=${sdir%/}
        [[ -e $sdir/slurm.conf ]] && sites+=("$sdir")
    done
    for sdir in "${sites[@]}"; do
        rest+=("$sdir/run/slurmrestd.pid:slurmrestd")
        for pidfile in "$sdir"/run/slurmd-*.pid; do
            [[ -e $pidfile ]] && slurm+=("$pidfile:slurmd")
        done
        slurm+=("$sdir/run/slurmctld.pid:slurmctld")
    done
    stop_pidfiles "${rest[@]}"
    for sdir in "${sites[@]}"; do cancel_jobs "$sdir"; done
    stop_pidfiles "${slurm[@]}"
    stop_pidfiles "$dir/munge/munged.pid:munged"
}

main() {
    [[ $# -ge 1 ]] || usage
    local cmd=$1
    shift
    case $cmd in
        install) cmd_install "$@" ;;
        up) cmd_up "$@" ;;
        down) cmd_down "$@" ;;
        *) usage ;;
    esac
}

main "$@"

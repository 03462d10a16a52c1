#!/usr/bin/env bash
# A single-node Slurm on this machine (Debian 12's slurm-wlm and munge), for trying and testing job arrays:
# munged, slurmctld and slurmd run as root from a state folder, without systemd, with their own munge
# socket, configuration and free ports, so nothing under /etc is changed.
#
# Usage: Deploy/slurm/local-slurm.sh start    start what is not running (again: nothing to do); prints the
#                                             line to run before sbatch/squeue/scancel: export SLURM_CONF=…
#        Deploy/slurm/local-slurm.sh stop     stop the daemons and remove the state folder
#        Deploy/slurm/local-slurm.sh status
# The state folder is $SLUICE_SLURM_STATE (default /tmp/sluice-slurm). The node has this machine's CPUs
# (slurmd -C) and one partition, `local`. Needs root (slurmd starts jobs as their users).
set -euo pipefail
state="${SLUICE_SLURM_STATE:-/tmp/sluice-slurm}"
conf="$state/slurm.conf"
export SLURM_CONF="$conf"
say() { echo "local-slurm: $*" >&2; }

running() {  # NAME: whether the daemon's pid file names a live process
    [ -f "$state/$1.pid" ] && kill -0 "$(cat "$state/$1.pid")" 2>/dev/null
}

free_ports() {  # N free TCP ports on this machine
    python3 -c '
import socket, sys
sockets = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in sockets: s.bind(("", 0))
print(*(s.getsockname()[1] for s in sockets))' "$1"
}

write_configuration() {
    mkdir -p "$state"/{munge,run,ctld,spool,log}
    chmod 700 "$state/munge"
    chmod 755 "$state" "$state/run"
    # A key of this cluster's own, so the system's munge (if any) is left alone.
    [ -f "$state/munge/munge.key" ] || { dd if=/dev/urandom of="$state/munge/munge.key" bs=1 count=1024 status=none; }
    chmod 400 "$state/munge/munge.key"
    read -r ctld_port slurmd_port < <(free_ports 2)
    # This machine's sockets, cores and threads as slurmd sees them, under the name localhost.
    node=$(slurmd -C | head -1 | sed -e 's/^NodeName=[^ ]*/NodeName=localhost NodeAddr=127.0.0.1/' -e 's/ RealMemory=[0-9]*//')
    cat >"$conf" <<EOF
# Written by Deploy/slurm/local-slurm.sh: a one-node cluster on localhost.
ClusterName=sluice-local
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$state/run/munge.socket
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
# No cgroups here (no systemd): processes are tracked through /proc.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
# Seconds from SIGTERM to SIGKILL when a job is cancelled: time for sluice batch to finish its inputs.
KillWait=30
$node State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
}

start() {
    if running munged && running slurmctld && running slurmd && [ -f "$conf" ]; then
        say "already running ($state)"
    else
        stop_daemons
        write_configuration
        munged --force --socket="$state/run/munge.socket" --key-file="$state/munge/munge.key" \
            --pid-file="$state/munged.pid" --log-file="$state/log/munged.log" --seed-file="$state/munge/seed"
        slurmctld -f "$conf" -i
        slurmd -f "$conf" -N localhost
    fi
    # Ready when the node takes jobs.
    for _ in $(seq 300); do
        if sinfo -h -n localhost -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
            say "running: $(sinfo -h -o '%P %D node(s) %c CPUs %t')"
            echo "export SLURM_CONF=$conf"
            return 0
        fi
        sleep 0.2
    done
    say "the node did not become idle in 60 s: $(sinfo 2>&1 | tail -1)"
    tail -n 20 "$state"/log/*.log >&2
    exit 1
}

stop_daemons() {
    for daemon in slurmd slurmctld munged; do
        if running "$daemon"; then
            pid=$(cat "$state/$daemon.pid")
            kill "$pid"
            for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
        fi
        rm -f "$state/$daemon.pid"
    done
}

case "${1:-}" in
    start) start ;;
    stop) stop_daemons; rm -rf "$state"; say "stopped" ;;
    status)
        for daemon in munged slurmctld slurmd; do
            if running "$daemon"; then say "$daemon: running (pid $(cat "$state/$daemon.pid"))"; else say "$daemon: stopped"; fi
        done
        ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 64 ;;
esac

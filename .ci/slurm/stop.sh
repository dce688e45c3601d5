#!/usr/bin/env bash
# .ci/slurm/stop.sh -- stop what .ci/slurm/start.sh started (slurmd, slurmctld, slurmdbd,
# mariadbd, munged), by pid file, waiting until each process is gone.
# Idempotent: stopping an already stopped cluster is a no-op.
set -uo pipefail
export PATH="/usr/sbin:/sbin:$PATH"
RUN_DIR=/run/slurm
TIMEOUT="${SLURM_STOP_TIMEOUT:-60}"

log() { echo "[slurm] $*" >&2; }

# stop_group PIDFILE...: SIGTERM every live process named by a pid file, poll
# until all are gone (SIGKILL after $TIMEOUT s), remove the pid files.
stop_group() {
  local pf pid pids=()
  for pf in "$@"; do
    [ -s "$pf" ] || continue
    pid="$(cat "$pf")"
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping $(basename "$pf" .pid) (pid $pid)"; kill -TERM "$pid"; pids+=("$pid")
    fi
  done
  local deadline=$((SECONDS + TIMEOUT)) alive
  while :; do
    alive=()
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    (( ${#alive[@]} )) || break
    if (( SECONDS >= deadline )); then log "SIGKILL ${alive[*]}"; kill -KILL "${alive[@]}" 2>/dev/null; fi
    sleep 0.2
  done
  rm -f "$@"
}

# Running jobs are killed by slurmd/slurmstepd on the way down; cancel first so
# nothing is left behind as an orphaned slurmstepd.
if command -v scancel >/dev/null && scontrol ping 2>/dev/null | grep -q "is UP"; then
  scancel --full --signal=KILL --user=root 2>/dev/null || true
  scancel --user=root 2>/dev/null || true
  deadline=$((SECONDS + TIMEOUT))
  while [ -n "$(squeue -h -o %i 2>/dev/null)" ] && (( SECONDS < deadline )); do sleep 0.2; done
fi
# Order matters only between groups: slurmctld flushes job records to slurmdbd,
# slurmdbd to MariaDB, and all slurm daemons authenticate through munged.
stop_group "$RUN_DIR/slurmd.pid" "$RUN_DIR/slurmctld.pid"
stop_group "$RUN_DIR/slurmdbd.pid"
stop_group /run/mysqld/mysqld.pid /run/munge/munged.pid
log "stopped"

#!/usr/bin/env bash
# .ci/slurm/start.sh -- bring up a real single-node SLURM cluster (munge + MariaDB +
# slurmdbd + slurmctld + slurmd) on a Debian 12 machine, as root, WITHOUT systemd.
#
# Idempotent: re-running it while everything is up only re-checks and returns.
# Non-interactive: needs no input; installs the Debian packages if missing.
#
# Env knobs:
#   SLURM_PARTITION      partition name (default: debug), made the default partition
#   SLURM_CLUSTER_NAME   cluster name (default: ci)
#   SLURM_START_TIMEOUT  seconds to wait for each readiness condition (default: 120)
#   SLURM_DB_PASS        password of the MariaDB user 'slurm' (default: slurmdbpass)
#   SLURM_MAX_ARRAY_SIZE MaxArraySize (default: 10001)
#   SLURM_OVERSUBSCRIBE  partition OverSubscribe value (default: NO; e.g. FORCE:4
#                        lets 4 one-CPU jobs share each core)
#   SLURM_SMOKE_TEST     1 (default): after (re)starting daemons, run `srun true`
set -euo pipefail

PARTITION="${SLURM_PARTITION:-debug}"
CLUSTER="${SLURM_CLUSTER_NAME:-ci}"
TIMEOUT="${SLURM_START_TIMEOUT:-120}"
DB_PASS="${SLURM_DB_PASS:-slurmdbpass}"
MAX_ARRAY_SIZE="${SLURM_MAX_ARRAY_SIZE:-10001}"
OVERSUBSCRIBE="${SLURM_OVERSUBSCRIBE:-NO}"
# slurmctld refuses to start unless SlurmctldHost matches `hostname -s`,
# so the controller and the (only) node are both named after it.
NODE="$(hostname -s)"

CONF_DIR=/etc/slurm                 # Debian's compiled-in default (SLURM_CONF not needed)
LOG_DIR=/var/log/slurm
RUN_DIR=/run/slurm
STATE_DIR=/var/lib/slurm/slurmctld  # StateSaveLocation
SPOOL_DIR=/var/lib/slurm/slurmd     # SlurmdSpoolDir
SLURM_USER=root                     # see notes: avoids chown dance, fine for CI

log() { echo "[slurm] $*" >&2; }

dump_logs() {
  for f in "$LOG_DIR"/*.log /var/log/munge/munged.log; do
    [ -f "$f" ] && { echo "---- tail $f" >&2; tail -n 20 "$f" >&2; }
  done
}

# wait_for DESC CMD...: poll CMD until it succeeds, at most $TIMEOUT seconds.
wait_for() {
  local desc="$1"; shift
  local deadline=$((SECONDS + TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS >= deadline )); then
      log "TIMEOUT after ${TIMEOUT}s waiting for: $desc"; dump_logs; exit 1
    fi
    sleep 0.2
  done
  log "ready: $desc"
}

pid_alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# ---------------------------------------------------------------- packages
need_install=0
for b in slurmctld slurmd slurmdbd sacctmgr sbatch munged mariadbd; do
  command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || need_install=1
done
if (( need_install )); then
  log "installing Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -q --no-install-recommends \
    slurmctld slurmd slurmdbd slurm-client munge mariadb-server >/dev/null
fi
export PATH="/usr/sbin:/sbin:$PATH"

mkdir -p "$CONF_DIR" "$LOG_DIR" "$RUN_DIR" "$STATE_DIR" "$SPOOL_DIR"
chown "$SLURM_USER": "$LOG_DIR" "$RUN_DIR" "$STATE_DIR" "$SPOOL_DIR"
chmod 755 "$STATE_DIR" "$SPOOL_DIR"

# ---------------------------------------------------------------- munge
mkdir -p /run/munge /var/log/munge /var/lib/munge /etc/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge /etc/munge
chmod 755 /run/munge; chmod 700 /etc/munge /var/log/munge /var/lib/munge
if [ ! -s /etc/munge/munge.key ]; then
  log "creating munge key"
  mungekey --create --keyfile=/etc/munge/munge.key 2>/dev/null \
    || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key
munge_ok() { munge -n </dev/null | unmunge >/dev/null; }
if ! munge_ok 2>/dev/null; then
  log "starting munged"
  # --force: go ahead even if a stale socket/lock was left by a killed munged
  runuser -u munge -- munged --force </dev/null >/dev/null 2>&1
fi
wait_for "munge round-trip" munge_ok

# ---------------------------------------------------------------- MariaDB
mkdir -p /run/mysqld; chown mysql:mysql /run/mysqld
if [ ! -d /var/lib/mysql/mysql ]; then
  log "initialising MariaDB datadir"
  mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
fi
if ! mysqladmin --protocol=socket ping >/dev/null 2>&1; then
  log "starting mariadbd"
  # socket /run/mysqld/mysqld.sock (Debian default) is what slurmdbd's
  # StorageHost=localhost connects to.
  setsid mariadbd --user=mysql --innodb-lock-wait-timeout=900 \
      --innodb-buffer-pool-size=1024M \
      </dev/null >>"$LOG_DIR/mariadbd.log" 2>&1 &
fi
wait_for "mariadb ping" mysqladmin --protocol=socket ping
# root connects through unix_socket auth: no password needed.
mysql --protocol=socket <<SQL
CREATE DATABASE IF NOT EXISTS slurm_acct_db;
CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY '${DB_PASS}';
ALTER USER 'slurm'@'localhost' IDENTIFIED BY '${DB_PASS}';
GRANT ALL PRIVILEGES ON slurm_acct_db.* TO 'slurm'@'localhost';
FLUSH PRIVILEGES;
SQL

# ---------------------------------------------------------------- configs
# Real hardware as slurmd sees it (CPUs/Boards/Sockets/Cores/Threads/RealMemory):
# using slurmd's own numbers means the node is never drained for
# "Low RealMemory" / "Low socket*core*thread count".
HW="$(slurmd -C | head -n1 | sed -e 's/^NodeName=[^ ]* //')"

new_conf="$(mktemp)"
cat >"$new_conf" <<EOF
# Written by .ci/slurm/start.sh -- single-node CI cluster
ClusterName=${CLUSTER}
SlurmctldHost=${NODE}(127.0.0.1)
SlurmUser=${SLURM_USER}
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
# No cgroup plugins: no systemd here to delegate a cgroup tree to slurmd.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
# Memory is not a consumable resource: jobs without --mem must not grab the
# whole node (DefMemPerNode=unlimited) and serialise the queue.
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MaxArraySize=${MAX_ARRAY_SIZE}
MaxJobCount=50000
KillWait=5
InactiveLimit=0
MinJobAge=300
SlurmdTimeout=300
SlurmctldPidFile=${RUN_DIR}/slurmctld.pid
SlurmdPidFile=${RUN_DIR}/slurmd.pid
SlurmdSpoolDir=${SPOOL_DIR}
StateSaveLocation=${STATE_DIR}
SlurmctldLogFile=${LOG_DIR}/slurmctld.log
SlurmdLogFile=${LOG_DIR}/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort=6819
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=30
JobCompType=jobcomp/none
NodeName=${NODE} NodeAddr=127.0.0.1 NodeHostname=${NODE} ${HW} State=UNKNOWN
PartitionName=${PARTITION} Nodes=${NODE} Default=YES MaxTime=INFINITE State=UP OverSubscribe=${OVERSUBSCRIBE}
EOF
conf_changed=0
if ! cmp -s "$new_conf" "$CONF_DIR/slurm.conf"; then
  conf_changed=1
  install -m 644 -o root -g root "$new_conf" "$CONF_DIR/slurm.conf"
fi
rm -f "$new_conf"

umask 077
cat >"$CONF_DIR/slurmdbd.conf.new" <<EOF
AuthType=auth/munge
DbdHost=localhost
DbdPort=6819
SlurmUser=${SLURM_USER}
DebugLevel=info
LogFile=${LOG_DIR}/slurmdbd.log
PidFile=${RUN_DIR}/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=localhost
StoragePort=3306
StorageUser=slurm
StoragePass=${DB_PASS}
StorageLoc=slurm_acct_db
EOF
umask 022
chown "$SLURM_USER": "$CONF_DIR/slurmdbd.conf.new"
chmod 600 "$CONF_DIR/slurmdbd.conf.new"   # slurmdbd refuses a world-readable one
dbd_changed=0
if ! cmp -s "$CONF_DIR/slurmdbd.conf.new" "$CONF_DIR/slurmdbd.conf"; then
  dbd_changed=1
  mv -f "$CONF_DIR/slurmdbd.conf.new" "$CONF_DIR/slurmdbd.conf"
else
  rm -f "$CONF_DIR/slurmdbd.conf.new"
fi

# ---------------------------------------------------------------- slurmdbd
if pid_alive "$RUN_DIR/slurmdbd.pid" && (( dbd_changed )); then
  log "slurmdbd.conf changed: restarting slurmdbd"
  kill "$(cat "$RUN_DIR/slurmdbd.pid")"
  wait_for "old slurmdbd exit" bash -c "! kill -0 $(cat "$RUN_DIR/slurmdbd.pid")"
fi
if ! pid_alive "$RUN_DIR/slurmdbd.pid"; then
  log "starting slurmdbd"
  slurmdbd </dev/null >>"$LOG_DIR/slurmdbd.stdout" 2>&1
fi
wait_for "slurmdbd answering sacctmgr" sacctmgr -n -P show cluster format=cluster
if ! sacctmgr -n -P show cluster format=cluster | grep -qx "$CLUSTER"; then
  log "registering cluster $CLUSTER"
  sacctmgr -i add cluster "$CLUSTER" >/dev/null
fi

# ---------------------------------------------------------------- slurmctld
started_ctl=0
if pid_alive "$RUN_DIR/slurmctld.pid"; then
  if (( conf_changed )); then
    log "slurm.conf changed: scontrol reconfigure"
    scontrol reconfigure
  fi
else
  log "starting slurmctld"; started_ctl=1
  slurmctld </dev/null >>"$LOG_DIR/slurmctld.stdout" 2>&1
fi
wait_for "slurmctld UP (scontrol ping)" bash -c 'scontrol ping | grep -q "is UP"'

# ---------------------------------------------------------------- slurmd
if ! pid_alive "$RUN_DIR/slurmd.pid"; then
  log "starting slurmd"; started_ctl=1
  slurmd </dev/null >>"$LOG_DIR/slurmd.stdout" 2>&1
fi

node_state() { sinfo -h -N -n "$NODE" -o %T 2>/dev/null | head -n1; }
# A node left DOWN/DRAINED by an earlier run (e.g. killed slurmd) is resumed once.
case "$(node_state)" in
  down*|drain*|fail*) scontrol update NodeName="$NODE" State=RESUME 2>/dev/null || true ;;
esac
# idle on a fresh start; mixed/allocated if re-run while jobs are running.
wait_for "node $NODE idle in sinfo" \
  bash -c "sinfo -h -N -n '$NODE' -o %T | grep -Eqx '(idle|mixed|allocated)'"
wait_for "cluster $CLUSTER in sacctmgr" \
  bash -c "sacctmgr -n -P show cluster format=cluster | grep -qx '$CLUSTER'"

# A freshly started slurmctld only runs its first scheduling pass ~3 s after
# "Running as primary controller"; a one-task srun proves that jobs really start
# (munge credentials, slurmd launch, partition) and absorbs that delay.
# Skipped on re-runs where nothing was (re)started: jobs may hold all CPUs then.
if (( started_ctl )) && [ "${SLURM_SMOKE_TEST:-1}" = 1 ]; then
  if ! timeout "$TIMEOUT" srun -p "$PARTITION" -N1 -n1 -t 1 -J supportsim_smoke true \
       </dev/null >/dev/null 2>&1; then
    log "smoke job (srun true) failed or timed out"; dump_logs; exit 1
  fi
  log "ready: smoke job ran"
fi

log "SLURM cluster '$CLUSTER' up: partition '$PARTITION' on node '$NODE'"
sinfo >&2

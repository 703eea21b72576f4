#!/usr/bin/env bash
# A 3-node MariaDB Galera cluster on loopback, for the Galera test suite (R28) and by hand.
#
#   scripts/galera-cluster.sh start    # bootstrap node 1, join nodes 2 and 3, wait until all are synced
#   scripts/galera-cluster.sh status   # cluster size and readiness of each node
#   scripts/galera-cluster.sh stop     # stop the mariadbd processes this script started (by pid)
#
# Nodes listen on 127.0.0.1:13306, 13307, 13308 (user root, no password, database `test`).
# Galera replication uses ports 14567/14577/14587, IST 14568/14578/14588, rsync SST
# 14569/14579/14589. Data, sockets, logs and pid files live under $CX_GALERA_DIR
# (default /tmp/cx-galera); `stop` deletes that folder. Override the ports' base with
# CX_GALERA_PORT (SQL, default 13306) and CX_GALERA_GCOMM_PORT (default 14567).
set -euo pipefail

BASE="${CX_GALERA_DIR:-/tmp/cx-galera}"
SQL_PORT="${CX_GALERA_PORT:-13306}"
GCOMM_PORT="${CX_GALERA_GCOMM_PORT:-14567}"
MARIADBD="${CX_MARIADBD:-/usr/sbin/mariadbd}"
PROVIDER="${CX_GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}"
NODES=(1 2 3)
# mariadbd drops to this user; rsync SST, run as root, would write as `nobody` and fail.
RUN_AS="${CX_GALERA_USER:-mysql}"

sql_port() { echo $((SQL_PORT + $1 - 1)); }
gcomm_port() { echo $((GCOMM_PORT + ($1 - 1) * 10)); }
node_dir() { echo "$BASE/node$1"; }
pid_of() { cat "$(node_dir "$1")/started.pid" 2>/dev/null || true; }
alive() { local pid; pid="$(pid_of "$1")"; [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; }
client() { local node=$1; shift; mariadb --protocol=socket -S "$(node_dir "$node")/mariadbd.sock" -uroot -N -B "$@"; }
wsrep() { client "$1" -e "show global status like '$2'" 2>/dev/null | awk '{print $2}'; }

require() {
  for file in "$MARIADBD" "$PROVIDER"; do
    [[ -e "$file" ]] || { echo "galera-cluster: missing $file" >&2; exit 3; }
  done
  for tool in mariadb-install-db mariadb rsync; do
    command -v "$tool" >/dev/null || { echo "galera-cluster: missing $tool" >&2; exit 3; }
  done
}

write_config() {
  local node=$1 dir members=""
  dir="$(node_dir "$node")"
  for other in "${NODES[@]}"; do members+="${members:+,}127.0.0.1:$(gcomm_port "$other")"; done
  cat >"$dir/my.cnf" <<CNF
[mariadbd]
user=$RUN_AS
datadir=$dir/data
socket=$dir/mariadbd.sock
pid-file=$dir/mariadbd.pid
log-error=$dir/error.log
port=$(sql_port "$node")
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
innodb_buffer_pool_size=64M
innodb_log_file_size=48M
innodb_flush_log_at_trx_commit=2
innodb_autoinc_lock_mode=2
binlog_format=ROW
default_storage_engine=InnoDB
max_connections=200
performance_schema=OFF
wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=cx_accounts_test
wsrep_cluster_address=gcomm://$members
wsrep_node_name=node$node
wsrep_node_address=127.0.0.1:$(gcomm_port "$node")
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(gcomm_port "$node");ist.recv_addr=127.0.0.1:$(($(gcomm_port "$node") + 1));gcache.size=64M;evs.suspect_timeout=PT5S;evs.inactive_timeout=PT10S"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$(($(gcomm_port "$node") + 2))
wsrep_slave_threads=2
CNF
}

# Waits until a node is synced with the cluster (or its process died).
wait_synced() {
  local node=$1 want=$2
  for _ in $(seq 1 120); do
    alive "$node" || { echo "galera-cluster: node $node exited; see $(node_dir "$node")/error.log" >&2; tail -n 20 "$(node_dir "$node")/error.log" >&2; return 1; }
    if [[ "$(wsrep "$node" wsrep_ready)" == ON && "$(wsrep "$node" wsrep_local_state_comment)" == Synced && "$(wsrep "$node" wsrep_cluster_size)" -ge "$want" ]]; then
      return 0
    fi
    sleep 0.5
  done
  echo "galera-cluster: node $node not synced after 60 s" >&2
  return 1
}

launch() {
  local node=$1 dir
  shift
  dir="$(node_dir "$node")"
  "$MARIADBD" --defaults-file="$dir/my.cnf" "$@" >>"$dir/stdout.log" 2>&1 &
  echo $! >"$dir/started.pid"
}

start() {
  require
  for node in "${NODES[@]}"; do
    if alive "$node"; then echo "galera-cluster: already running under $BASE (run stop first)" >&2; exit 1; fi
  done
  rm -rf "$BASE"
  # A start that fails half-way stops the nodes it already launched.
  trap 'echo "galera-cluster: start failed; stopping what was started" >&2; stop >&2' EXIT
  for node in "${NODES[@]}"; do
    mkdir -p "$(node_dir "$node")/data"
    write_config "$node"
  done
  chown -R "$RUN_AS" "$BASE"
  # Only the first node gets a system database; the others receive it by state transfer.
  mariadb-install-db --defaults-file="$(node_dir 1)/my.cnf" --user="$RUN_AS" --auth-root-authentication-method=normal \
    --skip-test-db >"$(node_dir 1)/install.log" 2>&1 || { cat "$(node_dir 1)/install.log" >&2; exit 1; }
  launch 1 --wsrep-new-cluster
  wait_synced 1 1
  client 1 -e "create database if not exists test character set utf8mb4;
    create user if not exists 'root'@'%' identified by ''; grant all on *.* to 'root'@'%' with grant option;"
  for node in 2 3; do
    launch "$node"
    wait_synced "$node" "$node"
  done
  for node in "${NODES[@]}"; do wait_synced "$node" 3; done
  trap - EXIT
  echo "galera-cluster: 3 nodes synced on 127.0.0.1:$(sql_port 1),$(sql_port 2),$(sql_port 3) (pids $(pid_of 1) $(pid_of 2) $(pid_of 3))"
}

stop() {
  local pids=()
  for node in 3 2 1; do
    local pid
    pid="$(pid_of "$node")"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      pids+=("$pid")
    fi
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$BASE"
  echo "galera-cluster: stopped ${#pids[@]} node(s)"
}

status() {
  local up=0
  for node in "${NODES[@]}"; do
    if alive "$node"; then
      up=$((up + 1))
      echo "node$node 127.0.0.1:$(sql_port "$node") pid $(pid_of "$node"): cluster_size=$(wsrep "$node" wsrep_cluster_size) ready=$(wsrep "$node" wsrep_ready) state=$(wsrep "$node" wsrep_local_state_comment)"
    else
      echo "node$node: not running"
    fi
  done
  [[ $up -eq 3 ]]
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Usage: ops/opensearch/cluster.sh start|stop|status [--base-port 9201] [--nodes 3] [--heap 512m] [--fresh]
#
# A local multi-node OpenSearch 2.19 cluster (cluster name ods-local-cluster), to test that nothing
# assumes a single node. Node i (1..N) is named node-i, serves HTTP on base+i-1 and transport on
# base+100+i-1, and keeps data/logs/pid under .local/opensearch/cluster/node-i/ (repository root).
# Every node lists all transport ports in discovery.seed_hosts and all node names in
# cluster.initial_cluster_manager_nodes.
#
#   start   launch the nodes (start.sh --no-wait) and wait for
#           GET /_cluster/health?wait_for_nodes=N&wait_for_status=green (bounded by --timeout)
#   stop    stop every node of the cluster (stop.sh --all --dir cluster)
#   status  print _cluster/health and _cat/nodes
#
# Options:
#   --base-port N      HTTP port of node-1 (default: $OPENSEARCH_CLUSTER_BASE_PORT or 9201)
#   --transport-base N transport port of node-1 (default: base port + 100)
#   --nodes N          number of nodes (default: 3)
#   --heap SIZE        heap per node (default: 512m)
#   --timeout SECONDS  how long start waits for green (default: 180)
#   --fresh            start: delete the cluster's data first (needed after changing --nodes)
#
# Environment: OPENSEARCH_CLUSTER_BASE_PORT, OPENSEARCH_JAVA_OPTS, JAVA_HOME, OPENSEARCH_LOCAL_DIR
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE_DIR="${OPENSEARCH_LOCAL_DIR:-$ROOT/.local/opensearch}"
CLUSTER_NAME="ods-local-cluster"
SUBDIR="cluster"

usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; }
[[ $# -ge 1 ]] || { usage >&2; exit 2; }
cmd="$1"; shift
case "$cmd" in start|stop|status) ;; -h|--help) usage; exit 0 ;; *) echo "cluster.sh: unknown command: $cmd" >&2; usage >&2; exit 2 ;; esac

base="${OPENSEARCH_CLUSTER_BASE_PORT:-9201}"
tbase=""
nodes=3
heap="512m"
timeout=180
fresh=0
need() { [[ $# -ge 2 && -n "$2" ]] || { echo "cluster.sh: $1 needs a value" >&2; exit 2; }; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --base-port) need "$@"; base="$2"; shift 2 ;;
    --transport-base) need "$@"; tbase="$2"; shift 2 ;;
    --nodes) need "$@"; nodes="$2"; shift 2 ;;
    --heap) need "$@"; heap="$2"; shift 2 ;;
    --timeout) need "$@"; timeout="$2"; shift 2 ;;
    --fresh) fresh=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "cluster.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in base nodes timeout; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "cluster.sh: bad --${v}: ${!v}" >&2; exit 2; }
done
[[ -z "$tbase" ]] && tbase=$((base + 100))
(( nodes >= 1 && nodes <= 9 )) || { echo "cluster.sh: --nodes must be 1..9" >&2; exit 2; }

names=(); seeds=()
for ((i = 1; i <= nodes; i++)); do
  names+=("node-$i")
  seeds+=("127.0.0.1:$((tbase + i - 1))")
done
names_csv="$(IFS=,; echo "${names[*]}")"
seeds_csv="$(IFS=,; echo "${seeds[*]}")"

# first node port that answers HTTP, or empty
answering_port() {
  local i
  for ((i = 0; i < nodes; i++)); do
    if curl -s -m 3 -o /dev/null "http://127.0.0.1:$((base + i))/" 2>/dev/null; then echo $((base + i)); return 0; fi
  done
  return 0
}

case "$cmd" in
  stop)
    exec "$HERE/stop.sh" --all --dir "$SUBDIR"
    ;;

  status)
    port="$(answering_port)"
    if [[ -z "$port" ]]; then
      echo "no node of the local cluster answers on ports $base..$((base + nodes - 1))"
      exit 1
    fi
    curl -s -m 10 "http://127.0.0.1:$port/_cat/health?v&h=cluster,status,node.total,shards,pri,relo,init,unassign"
    echo
    curl -s -m 10 "http://127.0.0.1:$port/_cat/nodes?v&h=name,ip,http_address,node.role,cluster_manager,heap.percent,load_1m&s=name"
    ;;

  start)
    if [[ $fresh -eq 1 ]]; then
      "$HERE/stop.sh" --all --dir "$SUBDIR"
      echo "--fresh: deleting the cluster data under $STATE_DIR/$SUBDIR/*/data"
      rm -rf "$STATE_DIR/$SUBDIR"/node-*/data
    fi
    "$HERE/fetch.sh"
    t0=$SECONDS
    for ((i = 1; i <= nodes; i++)); do
      "$HERE/start.sh" --no-wait --dir "$SUBDIR" --name "node-$i" \
        --port $((base + i - 1)) --transport-port $((tbase + i - 1)) --heap "$heap" \
        --cluster-name "$CLUSTER_NAME" --seed-hosts "$seeds_csv" --initial-managers "$names_csv"
    done
    url="http://127.0.0.1:$base/_cluster/health?wait_for_nodes=$nodes&wait_for_status=green&timeout=5s"
    echo "waiting up to ${timeout} s for $nodes nodes and green status on http://127.0.0.1:$base ..."
    while (( SECONDS - t0 < timeout )); do
      for ((i = 1; i <= nodes; i++)); do
        pid_file="$STATE_DIR/$SUBDIR/node-$i/opensearch.pid"
        pid="$(cat "$pid_file" 2>/dev/null || true)"
        if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then
          log="$STATE_DIR/$SUBDIR/node-$i/logs/console.log"
          echo "cluster.sh: node-$i is not running; last 40 lines of $log:" >&2
          tail -n 40 "$log" >&2 2>/dev/null || true
          echo "cluster.sh: stopping the other nodes" >&2
          "$HERE/stop.sh" --all --dir "$SUBDIR" >&2 || true
          exit 1
        fi
      done
      body="$(curl -s -m 8 "$url" 2>/dev/null || true)"
      if grep -q '"timed_out":false' <<<"$body" && grep -q '"status":"green"' <<<"$body"; then
        echo "local cluster '$CLUSTER_NAME' is green with $nodes nodes after $((SECONDS - t0)) s (http ports $base..$((base + nodes - 1)))"
        exit 0
      fi
      sleep 1
    done
    echo "cluster.sh: cluster not green with $nodes nodes after ${timeout} s; last health: ${body:-none}" >&2
    for ((i = 1; i <= nodes; i++)); do
      echo "---- node-$i: last 15 lines of $STATE_DIR/$SUBDIR/node-$i/logs/console.log ----" >&2
      tail -n 15 "$STATE_DIR/$SUBDIR/node-$i/logs/console.log" >&2 2>/dev/null || true
    done
    echo "cluster.sh: stopping the nodes" >&2
    "$HERE/stop.sh" --all --dir "$SUBDIR" >&2 || true
    exit 1
    ;;
esac

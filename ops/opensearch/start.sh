#!/usr/bin/env bash
# Usage: ops/opensearch/start.sh [--port 9200] [--name node1] [--heap 1g] [options]
#
# Starts ONE local OpenSearch 2.19 node (single-node discovery) in the background, from Maven Central
# jars (see README.md), and waits until it answers GET /_cluster/health?wait_for_status=yellow.
# Data, logs and the pid file live under .local/opensearch/<name>/ (relative to the repository root).
# If an OpenSearch already answers on the port, says so and exits 0 without starting another.
#
# Options:
#   --port N             HTTP port (default: $OPENSEARCH_PORT or 9200)
#   --name NAME          node name and state sub-directory (default: node1)
#   --heap SIZE          JVM heap, -Xms and -Xmx (default: $OPENSEARCH_HEAP or 1g)
#   --transport-port N   transport port (default: HTTP port + 100)
#   --cluster-name NAME  cluster.name (default: ods-local)
#   --timeout SECONDS    how long to wait for readiness (default: $OPENSEARCH_START_TIMEOUT or 120)
#   --fresh              delete the node's data directory before starting
#   --no-wait            return once the process is launched (used by cluster.sh)
#   --dir SUBDIR         put the node under .local/opensearch/SUBDIR/<name>/ (used by cluster.sh)
#   --seed-hosts LIST    discovery.seed_hosts, comma-separated (cluster mode, used by cluster.sh)
#   --initial-managers LIST  cluster.initial_cluster_manager_nodes (cluster mode, used by cluster.sh)
#
# Environment: OPENSEARCH_PORT, OPENSEARCH_HEAP, OPENSEARCH_START_TIMEOUT,
#              OPENSEARCH_JAVA_OPTS (extra JVM flags), JAVA_HOME (else `java` on PATH),
#              OPENSEARCH_LOCAL_DIR (state directory, default <repo>/.local/opensearch)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE_DIR="${OPENSEARCH_LOCAL_DIR:-$ROOT/.local/opensearch}"
mkdir -p "$STATE_DIR" && STATE_DIR="$(cd "$STATE_DIR" && pwd)"
CP_FILE="$STATE_DIR/classpath.txt"

port="${OPENSEARCH_PORT:-9200}"
name="node1"
heap="${OPENSEARCH_HEAP:-1g}"
tport=""
cluster_name="ods-local"
timeout="${OPENSEARCH_START_TIMEOUT:-120}"
fresh=0
wait=1
subdir=""
seed_hosts=""
initial_managers=""

usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; }
need() { [[ $# -ge 2 && -n "$2" ]] || { echo "start.sh: $1 needs a value" >&2; exit 2; }; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) need "$@"; port="$2"; shift 2 ;;
    --name) need "$@"; name="$2"; shift 2 ;;
    --heap) need "$@"; heap="$2"; shift 2 ;;
    --transport-port) need "$@"; tport="$2"; shift 2 ;;
    --cluster-name) need "$@"; cluster_name="$2"; shift 2 ;;
    --timeout) need "$@"; timeout="$2"; shift 2 ;;
    --fresh) fresh=1; shift ;;
    --no-wait) wait=0; shift ;;
    --dir) need "$@"; subdir="$2"; shift 2 ;;
    --seed-hosts) need "$@"; seed_hosts="$2"; shift 2 ;;
    --initial-managers) need "$@"; initial_managers="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "start.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$port" =~ ^[0-9]+$ ]] || { echo "start.sh: bad --port: $port" >&2; exit 2; }
[[ -z "$tport" ]] && tport=$((port + 100))
[[ "$tport" =~ ^[0-9]+$ ]] || { echo "start.sh: bad --transport-port: $tport" >&2; exit 2; }
[[ "$timeout" =~ ^[0-9]+$ ]] || { echo "start.sh: bad --timeout: $timeout" >&2; exit 2; }
[[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "start.sh: bad --name: $name" >&2; exit 2; }
[[ "$heap" =~ ^[0-9]+[kKmMgG]$ ]] || { echo "start.sh: bad --heap: $heap (e.g. 512m, 1g)" >&2; exit 2; }

node_dir="$STATE_DIR/${subdir:+$subdir/}$name"
pid_file="$node_dir/opensearch.pid"
console_log="$node_dir/logs/console.log"
base_url="http://127.0.0.1:$port"

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="java"; fi
command -v "$JAVA" >/dev/null 2>&1 || { echo "start.sh: java not found (OpenJDK 17+ is required)" >&2; exit 1; }

# pid of our launcher for this node, if alive (the pid file is checked against the process command line)
running_pid() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(cat "$pid_file" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "Launcher.java --home $node_dir " || return 1
  echo "$pid"
}

# "opensearch" when an OpenSearch answers on the port, "other" when something else answers, "" when nothing
probe_port() {
  local body
  body="$(curl -s -m 3 "$base_url/" 2>/dev/null)" || { echo ""; return 0; }
  if grep -q '"distribution" *: *"opensearch"\|The OpenSearch Project' <<<"$body"; then echo opensearch; else echo other; fi
}

show_log_tail() {
  echo "---- last 40 lines of $console_log ----" >&2
  tail -n 40 "$console_log" >&2 2>/dev/null || echo "(no log)" >&2
  echo "---- (file log: $node_dir/logs/$name.log) ----" >&2
  grep -h 'STARTUP FAILED' "$console_log" 2>/dev/null | tail -n 1 >&2 || true
}

pid=""
if pid="$(running_pid)"; then
  echo "OpenSearch node '$name' is already running (pid $pid); waiting for it on $base_url"
else
  pid=""
  case "$(probe_port)" in
    opensearch)
      echo "an OpenSearch node already answers on $base_url (not started by this script for '$name'); not starting another"
      curl -s -m 3 "$base_url/" | grep -E '"(name|cluster_name|number)"' || true
      exit 0 ;;
    other)
      echo "start.sh: port $port is busy with something that is not OpenSearch; use --port (e.g. --port 9250)" >&2
      exit 1 ;;
  esac
fi

if [[ -z "$pid" ]]; then
  "$HERE/fetch.sh"
  rm -f "$pid_file"
  if [[ $fresh -eq 1 ]]; then
    echo "--fresh: deleting $node_dir/data"
    rm -rf "$node_dir/data"
  fi
  mkdir -p "$node_dir/logs" "$node_dir/data"
  args=(--home "$node_dir" --data "$node_dir/data" --logs "$node_dir/logs"
        --cluster-name "$cluster_name" --node-name "$name"
        --http-port "$port" --transport-port "$tport")
  [[ -n "$seed_hosts" ]] && args+=(--seed-hosts "$seed_hosts")
  [[ -n "$initial_managers" ]] && args+=(--initial-managers "$initial_managers")
  # shellcheck disable=SC2206
  extra_opts=(${OPENSEARCH_JAVA_OPTS:-})
  : > "$console_log"
  (
    cd "$node_dir"
    exec nohup "$JAVA" "-Xms$heap" "-Xmx$heap" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
      -Djava.locale.providers=SPI,COMPAT -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
      ${extra_opts[@]+"${extra_opts[@]}"} \
      -cp "$(cat "$CP_FILE")" "$HERE/Launcher.java" "${args[@]}" </dev/null >>"$console_log" 2>&1
  ) &
  pid=$!
  echo "$pid" > "$pid_file"
  echo "starting OpenSearch node '$name' (pid $pid, http $base_url, transport 127.0.0.1:$tport, heap $heap)"
  echo "  logs: $console_log"
fi

if [[ $wait -eq 0 ]]; then
  exit 0
fi

start=$SECONDS
health_url="$base_url/_cluster/health?wait_for_status=yellow&timeout=5s"
while (( SECONDS - start < timeout )); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "start.sh: OpenSearch node '$name' exited during startup" >&2
    rm -f "$pid_file"
    show_log_tail
    exit 1
  fi
  code="$(curl -s -m 8 -o /dev/null -w '%{http_code}' "$health_url" 2>/dev/null || true)"
  if [[ "$code" == "200" ]]; then
    echo "OpenSearch node '$name' is ready on $base_url after $((SECONDS - start)) s"
    exit 0
  fi
  sleep 1
done

echo "start.sh: OpenSearch node '$name' not healthy after ${timeout} s; stopping it" >&2
show_log_tail
"$HERE/stop.sh" --name "$name" ${subdir:+--dir "$subdir"} >&2 || true
exit 1

#!/usr/bin/env bash
# Usage: ops/opensearch/stop.sh [--name node1 | --all] [--dir SUBDIR]
#
# Stops local OpenSearch nodes started by start.sh / cluster.sh, using their pid files under
# .local/opensearch/ (relative to the repository root): SIGTERM, wait up to 30 s, then SIGKILL.
# Removes the pid file. Idempotent: exits 0 when the node is not running.
#
# Options:
#   --name NAME    the node to stop (default: node1)
#   --all          every node with a pid file under .local/opensearch/ (also the cluster nodes)
#   --dir SUBDIR   nodes under .local/opensearch/SUBDIR/ (used by cluster.sh: --dir cluster)
#   --timeout N    seconds to wait after SIGTERM before SIGKILL (default: 30)
#
# Only processes whose command line is our Launcher for that node directory are signalled.
#
# Environment: OPENSEARCH_LOCAL_DIR (state directory, default <repo>/.local/opensearch)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE_DIR="${OPENSEARCH_LOCAL_DIR:-$ROOT/.local/opensearch}"
[[ -d "$STATE_DIR" ]] || { echo "no local OpenSearch state in $STATE_DIR; nothing to stop"; exit 0; }
STATE_DIR="$(cd "$STATE_DIR" && pwd)"

name="node1"
all=0
subdir=""
timeout=30
need() { [[ $# -ge 2 && -n "$2" ]] || { echo "stop.sh: $1 needs a value" >&2; exit 2; }; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --name) need "$@"; name="$2"; shift 2 ;;
    --all) all=1; shift ;;
    --dir) need "$@"; subdir="$2"; shift 2 ;;
    --timeout) need "$@"; timeout="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "stop.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$timeout" =~ ^[0-9]+$ ]] || { echo "stop.sh: bad --timeout: $timeout" >&2; exit 2; }
base="$STATE_DIR${subdir:+/$subdir}"

stop_node() { # $1 = pid file
  local pid_file="$1" node_dir pid label
  node_dir="$(dirname "$pid_file")"
  label="${node_dir#"$STATE_DIR"/}"
  if [[ ! -f "$pid_file" ]]; then
    echo "OpenSearch node '$label' is not running (no pid file)"
    return 0
  fi
  pid="$(cat "$pid_file" 2>/dev/null || true)"
  if ! [[ "$pid" =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null; then
    echo "OpenSearch node '$label' is not running (stale pid file removed)"
    rm -f "$pid_file"
    return 0
  fi
  if ! tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "Launcher.java --home $node_dir "; then
    echo "pid $pid from $pid_file is not our OpenSearch launcher; removing the stale pid file, not signalling it"
    rm -f "$pid_file"
    return 0
  fi
  echo "stopping OpenSearch node '$label' (pid $pid)..."
  kill -TERM "$pid" 2>/dev/null || true
  local start=$SECONDS
  while kill -0 "$pid" 2>/dev/null && (( SECONDS - start < timeout )); do
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "still alive after ${timeout} s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in 1 2 3 4 5; do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  fi
  rm -f "$pid_file"
  echo "stopped '$label' after $((SECONDS - start)) s"
}

if [[ $all -eq 1 ]]; then
  [[ -d "$base" ]] || { echo "nothing to stop under $base"; exit 0; }
  mapfile -t pid_files < <(find "$base" -maxdepth 3 -name opensearch.pid -type f | sort)
  if [[ ${#pid_files[@]} -eq 0 ]]; then
    echo "no running local OpenSearch node under $base"
    exit 0
  fi
  # signal all first so that a cluster shuts down in parallel, then wait for each
  for f in "${pid_files[@]}"; do stop_node "$f" & done
  wait
else
  [[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "stop.sh: bad --name: $name" >&2; exit 2; }
  stop_node "$base/$name/opensearch.pid"
fi

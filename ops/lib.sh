# Shared helpers for ops/test.sh, ops/demo.sh and .ci/run (sourced, not run).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }

# npm ci when node_modules is missing or older than the lock file.
ensure_node_modules() {
  if [[ ! -d "$ROOT/node_modules" || "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]]; then
    log "installing npm dependencies (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
  fi
}

# True when an OpenSearch answers at the URL.
opensearch_up() {
  curl -fsS --max-time 3 "$1/_cluster/health" >/dev/null 2>&1
}

# Starts the local node unless one answers at OPENSEARCH_URL. Sets STARTED_OPENSEARCH=1 if it started one.
STARTED_OPENSEARCH=0
ensure_opensearch() {
  local url="${OPENSEARCH_URL:-http://127.0.0.1:9200}"
  if opensearch_up "$url"; then
    log "using the OpenSearch at $url"
    return 0
  fi
  local port
  port="$(sed -E 's#^https?://[^:/]+:?([0-9]*).*#\1#' <<<"$url")"
  port="${port:-9200}"
  case "$url" in
    http://127.0.0.1:*|http://localhost:*) ;;
    *) echo "OPENSEARCH_URL=$url does not answer, and only a local node can be started here" >&2; return 1 ;;
  esac
  log "starting a local OpenSearch on port $port (first run downloads its jars from Maven Central)"
  bash "$ROOT/ops/opensearch/start.sh" --port "$port" --name "${OPENSEARCH_NODE_NAME:-node1}"
  STARTED_OPENSEARCH=1
}

stop_started_opensearch() {
  if [[ "$STARTED_OPENSEARCH" == 1 ]]; then
    log "stopping the OpenSearch this script started"
    bash "$ROOT/ops/opensearch/stop.sh" --name "${OPENSEARCH_NODE_NAME:-node1}" || true
  fi
}

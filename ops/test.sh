#!/usr/bin/env bash
# Usage: npm test [-- <jest arguments>]
#
# Runs every test layer (unit, http, integration) on a fresh clone: installs npm dependencies when
# needed, compiles the grammar, starts a local OpenSearch when none answers at OPENSEARCH_URL
# (default http://127.0.0.1:9200) and stops it afterwards. Integration tests load the sample
# datasets under the index prefix "odstest" (they never touch the demo's "ods" indices).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_node_modules
npm run --silent build:grammar
trap stop_started_opensearch EXIT
ensure_opensearch
export OPENSEARCH_URL="${OPENSEARCH_URL:-http://127.0.0.1:9200}"
log "running jest (unit, http, integration, security)"
# --forceExit: once every test has run, jest must end even if a socket of a process the integration
# tests started and stopped (cluster nodes, S3Proxy, the secured node) has not closed yet; one such
# handle kept a full run from exiting for 25 minutes.
npx jest --ci --forceExit "$@"

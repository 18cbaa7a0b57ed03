#!/usr/bin/env bash
# Usage: npm run demo
#
# The whole demo on a fresh clone: installs dependencies, builds, starts a local OpenSearch (fetched
# from Maven Central on the first run), loads the sample datasets, and serves the gateway on
# http://127.0.0.1:8080 (PORT to change it) until Ctrl-C, which also stops the OpenSearch it started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_node_modules
log "building"
npm run --silent build
trap stop_started_opensearch EXIT
ensure_opensearch
export OPENSEARCH_URL="${OPENSEARCH_URL:-http://127.0.0.1:9200}"
log "loading the sample datasets"
node dist/src/cli/ingest.js --all-samples
port="${PORT:-8080}"
base="http://127.0.0.1:$port"
cat >&2 <<MSG

  The gateway serves the Opendatasoft Search API v1 at $base

  Open in a browser:
    $base/explore/    the datasets: search, filter, table, map, chart, export
    $base/console/    every API endpoint, with "Try it out"

  Or try from a terminal:
    curl '$base/api/datasets/1.0/search/?rows=10'
    curl '$base/api/records/1.0/search/?dataset=geonames-cities&q=paris&facet=country_code&rows=3'
    curl '$base/api/records/1.0/analyze/?dataset=seattle-weather&x=date.year&y.t.func=AVG&y.t.expr=temp_max'
    curl '$base/api/openapi.json'       # the OpenAPI 3.1 document, for client generators

  Ctrl-C stops the gateway (and the OpenSearch this script started).
  Logs: one readable line per request on a terminal (LOG_FORMAT=json for JSON lines).

MSG
PORT="$port" node dist/src/main.js

#!/usr/bin/env bash
# Usage: ops/opensearch/smoke.sh [--port 9200]
#
# Checks that a running local OpenSearch node has the features the gateway relies on:
# custom analyzer with asciifolding + index_prefixes, geo_shape, geotile_grid / geohash_grid /
# geo_bounds / geo_centroid, `lang: expression` and painless scripts in aggregations, point in time
# with search_after, composite aggregation, reindex, scaled_float. Uses a throw-away index
# (opensearch-local-smoke, deleted at the end). Prints one line per check; exits 1 if any fails.
#
# Environment: OPENSEARCH_PORT (default port)
set -euo pipefail

port="${OPENSEARCH_PORT:-9200}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) [[ $# -ge 2 ]] || { echo "smoke.sh: --port needs a value" >&2; exit 2; }; port="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "smoke.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

U="http://127.0.0.1:$port"
IDX="opensearch-local-smoke"
failures=0

req() { # method path [json body]
  if [[ $# -ge 3 ]]; then
    curl -s -m 30 -X "$1" -H 'Content-Type: application/json' "$U$2" -d "$3"
  else
    curl -s -m 30 -X "$1" "$U$2"
  fi
}
check() { # name body regex
  if grep -Eq "$3" <<<"$2"; then
    echo "PASS  $1"
  else
    echo "FAIL  $1"
    echo "      response: ${2:0:400}"
    failures=$((failures + 1))
  fi
}

curl -s -m 5 -o /dev/null "$U/" || { echo "smoke.sh: nothing answers on $U (start it with ops/opensearch/start.sh)" >&2; exit 1; }
req DELETE "/$IDX" >/dev/null || true

r="$(req PUT "/$IDX" '{
  "settings": {"number_of_shards": 1, "number_of_replicas": 0,
    "analysis": {"analyzer": {"folding": {"type": "custom", "tokenizer": "standard",
                                          "filter": ["lowercase", "asciifolding"]}}}},
  "mappings": {"properties": {
    "name":  {"type": "text", "analyzer": "folding", "index_prefixes": {"min_chars": 1, "max_chars": 19}},
    "shape": {"type": "geo_shape"},
    "loc":   {"type": "geo_point"},
    "x":     {"type": "double"},
    "price": {"type": "scaled_float", "scaling_factor": 100}}}}')"
check "create index (custom analyzer, index_prefixes, geo_shape, scaled_float)" "$r" '"acknowledged":true'

req PUT "/$IDX/_doc/1" '{"name": "Étoile", "loc": {"lat": 48.8738, "lon": 2.295}, "x": 21, "price": 1.5}' >/dev/null
r="$(req PUT "/$IDX/_doc/2?refresh=true" '{"name": "Polygone", "x": 1, "loc": {"lat": 45.76, "lon": 4.84},
  "shape": {"type": "Polygon", "coordinates": [[[2.0, 48.0], [3.0, 48.0], [3.0, 49.0], [2.0, 49.0], [2.0, 48.0]]]}}')"
check "index a polygon" "$r" '"result":"created"'

r="$(req POST "/$IDX/_search" '{"query": {"match": {"name": "etoile"}}}')"
check "match 'etoile' finds 'Étoile' (asciifolding)" "$r" '"total":\{"value":1,'
r="$(req POST "/$IDX/_search" '{"query": {"prefix": {"name": "eto"}}}')"
check "prefix query on index_prefixes field" "$r" '"total":\{"value":1,'
r="$(req POST "/$IDX/_search" '{"query": {"geo_shape": {"shape": {"shape": {"type": "point", "coordinates": [2.5, 48.5]}, "relation": "intersects"}}}}')"
check "geo_shape intersects query" "$r" '"total":\{"value":1,'
r="$(req POST "/$IDX/_search?size=0" '{"aggs": {"t": {"geotile_grid": {"field": "loc", "precision": 5}}, "h": {"geohash_grid": {"field": "loc", "precision": 3}}, "b": {"geo_bounds": {"field": "loc"}}, "c": {"geo_centroid": {"field": "loc"}}}}')"
check "geotile_grid / geohash_grid / geo_bounds / geo_centroid" "$r" '"key":"5/16/11".*"doc_count":2'
r="$(req POST "/$IDX/_search?size=0" '{"aggs": {"s": {"sum": {"script": {"lang": "expression", "source": "doc['"'x'"'].value * 2"}}}}}')"
check "lang: expression script in an aggregation" "$r" '"value":44\.0'
r="$(req POST "/$IDX/_search?size=0" '{"aggs": {"s": {"terms": {"script": {"lang": "painless", "source": "doc['"'x'"'].value > 10 ? \"big\" : \"small\""}}}}}')"
check "painless script in an aggregation" "$r" '"key":"big"'
r="$(req POST "/$IDX/_search?size=0" '{"aggs": {"c": {"composite": {"sources": [{"x": {"terms": {"field": "x"}}}]}}}}')"
check "composite aggregation" "$r" '"after_key"'

r="$(req POST "/$IDX/_search/point_in_time?keep_alive=1m")"
check "point in time" "$r" '"pit_id"'
pit="$(sed -n 's/.*"pit_id":"\([^"]*\)".*/\1/p' <<<"$r")"
if [[ -n "$pit" ]]; then
  r="$(req POST "/_search" '{"size": 1, "pit": {"id": "'"$pit"'", "keep_alive": "1m"}, "sort": [{"x": "asc"}], "search_after": [1]}')"
  check "search_after within the point in time" "$r" '"_id":"1"'
  req DELETE "/_search/point_in_time" '{"pit_id": ["'"$pit"'"]}' >/dev/null || true
fi

r="$(req POST "/_reindex?refresh=true" '{"source": {"index": "'"$IDX"'"}, "dest": {"index": "'"$IDX"'-copy"}}')"
check "reindex" "$r" '"created":2'
req DELETE "/$IDX-copy" >/dev/null || true
req DELETE "/$IDX" >/dev/null || true

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed on $U"

#!/usr/bin/env bash
# Usage: ops/opensearch/fetch.sh [--force]
#
# Resolves the OpenSearch jars declared in ops/opensearch/pom.xml from Maven Central (cached in ~/.m2)
# and writes the Java classpath to .local/opensearch/classpath.txt (relative to the repository root).
# Does nothing when that file exists, is newer than pom.xml and all its jars are still present,
# unless --force is given. Called by start.sh and cluster.sh; safe to run from any directory.
#
# Environment: OPENSEARCH_LOCAL_DIR  state directory (default: <repo>/.local/opensearch)
#              MVN                   maven command (default: mvn)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE_DIR="${OPENSEARCH_LOCAL_DIR:-$ROOT/.local/opensearch}"
CP_FILE="$STATE_DIR/classpath.txt"
POM="$HERE/pom.xml"
MVN="${MVN:-mvn}"

force=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --force) force=1; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fetch.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

classpath_ok() {
  [[ -s "$CP_FILE" && ! "$POM" -nt "$CP_FILE" ]] || return 1
  local jar
  IFS=':' read -r -a jars < "$CP_FILE"
  for jar in "${jars[@]}"; do
    [[ -f "$jar" ]] || return 1
  done
}

if [[ $force -eq 0 ]] && classpath_ok; then
  exit 0
fi

command -v "$MVN" >/dev/null 2>&1 || { echo "fetch.sh: '$MVN' not found (Maven 3.8+ is required)" >&2; exit 1; }
mkdir -p "$STATE_DIR"
echo "resolving OpenSearch jars from Maven Central (first run downloads ~100 MB)..."
tmp="$CP_FILE.tmp.$$"
mvn_log="$STATE_DIR/mvn.log"
trap 'rm -f "$tmp"' EXIT
start=$SECONDS
# -q prints nothing on success; keep the output (and show it) only for a failure
if ! "$MVN" -B -q -Dstyle.color=never -f "$POM" dependency:build-classpath -Dmdep.outputFile="$tmp" >"$mvn_log" 2>&1; then
  sed 's/\x1b\[[0-9;]*m//g' "$mvn_log" | tail -n 40 >&2
  echo "fetch.sh: maven failed (full output: $mvn_log). Is Maven Central reachable? Try: mvn -B -f $POM dependency:tree" >&2
  exit 1
fi
rm -f "$mvn_log"
[[ -s "$tmp" ]] || { echo "fetch.sh: maven produced an empty classpath" >&2; exit 1; }
mv "$tmp" "$CP_FILE"
n=$(tr ':' '\n' < "$CP_FILE" | grep -c '\.jar$' || true)
echo "classpath ready: $n jars in $((SECONDS - start)) s -> $CP_FILE"

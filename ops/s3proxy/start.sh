#!/usr/bin/env bash
# Usage: ops/s3proxy/start.sh [--port 9280] [--name s3] [--bucket ods-files] [--fresh] [--timeout 60]
#
# Starts a local S3-compatible server, S3Proxy (org.gaul:s3proxy, from Maven Central like the local
# OpenSearch) with its filesystem backend, on 127.0.0.1, in the background; creates the bucket and
# waits until it answers. For tests and development of the S3 file store (FILE_STORE_S3_*); in
# production use a real S3 service or MinIO (docker-compose.yml). Credentials: local-identity /
# local-credential (AWS signature v2 or v4).
#
# State under .local/s3proxy/<name>/: data/ (the buckets, one directory each), s3proxy.properties,
# s3proxy.pid, console.log. Prints the settings the gateway needs when it is ready.
#
# Options:
#   --port N        HTTP port (default: $S3PROXY_PORT or 9280)
#   --name NAME     state sub-directory (default: s3)
#   --bucket NAME   bucket to create (default: ods-files)
#   --fresh         delete the data first
#   --timeout S     how long to wait for it (default 60)
# Environment: JAVA_HOME (else java on PATH), MVN (default mvn), S3PROXY_LOCAL_DIR (default <repo>/.local/s3proxy)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE_DIR="${S3PROXY_LOCAL_DIR:-$ROOT/.local/s3proxy}"
MVN="${MVN:-mvn}"
port="${S3PROXY_PORT:-9280}"
name="s3"
bucket="ods-files"
fresh=0
timeout=60
need() { [[ $# -ge 2 && -n "$2" ]] || { echo "start.sh: $1 needs a value" >&2; exit 2; }; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) need "$@"; port="$2"; shift 2 ;;
    --name) need "$@"; name="$2"; shift 2 ;;
    --bucket) need "$@"; bucket="$2"; shift 2 ;;
    --fresh) fresh=1; shift ;;
    --timeout) need "$@"; timeout="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "start.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$port" =~ ^[0-9]+$ ]] || { echo "start.sh: bad --port: $port" >&2; exit 2; }
[[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "start.sh: bad --name: $name" >&2; exit 2; }
[[ "$bucket" =~ ^[a-z0-9][a-z0-9.-]{2,62}$ ]] || { echo "start.sh: bad --bucket: $bucket" >&2; exit 2; }

dir="$STATE_DIR/$name"
pid_file="$dir/s3proxy.pid"
log="$dir/console.log"
cp_file="$STATE_DIR/classpath.txt"
url="http://127.0.0.1:$port"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="java"; fi

running_pid() {
  [[ -f "$pid_file" ]] || return 1
  local pid; pid="$(cat "$pid_file" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "org.gaul.s3proxy.Main --properties $dir/" || return 1
  echo "$pid"
}

# The classpath, resolved once (and again when pom.xml changes or a jar is gone).
classpath_ok() {
  [[ -s "$cp_file" && ! "$HERE/pom.xml" -nt "$cp_file" ]] || return 1
  local jar; IFS=':' read -r -a jars < "$cp_file"
  for jar in "${jars[@]}"; do [[ -f "$jar" ]] || return 1; done
}
mkdir -p "$STATE_DIR"
if ! classpath_ok; then
  command -v "$MVN" >/dev/null 2>&1 || { echo "start.sh: '$MVN' not found (Maven 3.8+ is required)" >&2; exit 1; }
  echo "resolving S3Proxy jars from Maven Central..."
  if ! "$MVN" -B -q -Dstyle.color=never -f "$HERE/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cp_file.tmp" >"$STATE_DIR/mvn.log" 2>&1; then
    tail -n 30 "$STATE_DIR/mvn.log" >&2
    echo "start.sh: maven failed (full output: $STATE_DIR/mvn.log)" >&2
    exit 1
  fi
  mv "$cp_file.tmp" "$cp_file"
fi

if pid="$(running_pid)"; then
  echo "S3Proxy '$name' is already running (pid $pid) on $url"
else
  if curl -s -m 3 -o /dev/null "$url/" 2>/dev/null; then
    echo "start.sh: port $port is busy; use --port" >&2
    exit 1
  fi
  [[ $fresh -eq 1 ]] && rm -rf "$dir/data"
  mkdir -p "$dir/data"
  cat > "$dir/s3proxy.properties" <<PROPS
s3proxy.endpoint=$url
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=local-identity
s3proxy.credential=local-credential
jclouds.provider=filesystem-nio2
jclouds.identity=local-identity
jclouds.credential=local-credential
jclouds.filesystem.basedir=$dir/data
PROPS
  : > "$log"
  (
    cd "$dir"
    exec nohup "$JAVA" -Xmx256m -Dlogback.configurationFile="$HERE/logback.xml" -cp "$(cat "$cp_file")" \
      org.gaul.s3proxy.Main --properties "$dir/s3proxy.properties" </dev/null >>"$log" 2>&1
  ) &
  pid=$!
  echo "$pid" > "$pid_file"
  echo "starting S3Proxy '$name' (pid $pid) on $url, data in $dir/data"
fi

# Ready when it answers; the bucket is a directory of the filesystem backend.
start=$SECONDS
while (( SECONDS - start < timeout )); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "start.sh: S3Proxy exited; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    rm -f "$pid_file"
    exit 1
  fi
  if curl -s -m 3 -o /dev/null "$url/" 2>/dev/null; then
    mkdir -p "$dir/data/$bucket"
    echo "S3Proxy '$name' is ready on $url after $((SECONDS - start)) s; bucket $bucket"
    echo "  FILE_STORE_S3_BUCKET=$bucket FILE_STORE_S3_ENDPOINT=$url FILE_STORE_S3_ACCESS_KEY_ID=local-identity FILE_STORE_S3_SECRET_ACCESS_KEY=local-credential"
    exit 0
  fi
  sleep 0.5
done
echo "start.sh: S3Proxy not ready after ${timeout} s" >&2
tail -n 30 "$log" >&2
kill "$pid" 2>/dev/null || true
exit 1

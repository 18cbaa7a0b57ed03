#!/usr/bin/env bash
# Usage: ops/s3proxy/stop.sh [--name s3]
#
# Stops the S3Proxy that ops/s3proxy/start.sh started under that name (by its pid file, checked against
# the process command line): SIGTERM, up to 10 s, then SIGKILL. Idempotent. The data stays.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE_DIR="${S3PROXY_LOCAL_DIR:-$ROOT/.local/s3proxy}"
name="s3"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --name) name="$2"; shift 2 ;;
    -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "stop.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
dir="$STATE_DIR/$name"
pid_file="$dir/s3proxy.pid"
[[ -f "$pid_file" ]] || { echo "S3Proxy '$name' is not running (no pid file)"; exit 0; }
pid="$(cat "$pid_file" 2>/dev/null || true)"
if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "org.gaul.s3proxy.Main --properties $dir/"; then
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  echo "stopped S3Proxy '$name' (pid $pid)"
else
  echo "S3Proxy '$name' was not running (stale pid file removed)"
fi
rm -f "$pid_file"

#!/usr/bin/env bash
# Usage: ops/check-compose.sh [--detect] [COMPOSE_FILE]
#
# Validates COMPOSE_FILE (default: docker-compose.yml at the repository root) with a Compose tool,
# twice: with the default profile only, then with every profile (monitoring, samples).
# `config -q` parses, interpolates and schema-checks the file; it needs no Docker engine.
# Prints the tool and version it used; on an invalid file prints the tool's message and exits 1.
#
# Tools, first found wins: `docker compose` (Compose v2 plugin), then `docker-compose` (a v2
# standalone binary, or Debian's Compose 1.29 which also knows the Compose Specification and profiles).
# Installs nothing. None found: exits 3 with the command that installs one on Debian/Ubuntu:
#   apt-get update && apt-get install -y --no-install-recommends docker-compose
#
#   --detect   only print the tool that would be used (exit 0), or exit 3 when there is none
#
# Environment: COMPOSE_CHECK_TOOL=v2|v1 forces `docker compose` or `docker-compose`.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

detect=0
file=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --detect) detect=1; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "check-compose.sh: unknown option: $1" >&2; exit 2 ;;
    *) [[ -z "$file" ]] || { echo "check-compose.sh: one compose file only" >&2; exit 2; }; file="$1"; shift ;;
  esac
done
file="${file:-$ROOT/docker-compose.yml}"

tool=()
version=""
want="${COMPOSE_CHECK_TOOL:-}"
if [[ "$want" != "v1" ]] && command -v docker >/dev/null 2>&1 && version="$(docker compose version 2>/dev/null)"; then
  tool=(docker compose)
elif [[ "$want" != "v2" ]] && command -v docker-compose >/dev/null 2>&1 && version="$(docker-compose version 2>/dev/null)"; then
  tool=(docker-compose)
fi
version="${version%%$'\n'*}" # v1 prints docker-py, CPython and OpenSSL versions on further lines
if [[ ${#tool[@]} -eq 0 ]]; then
  echo "check-compose.sh: no Compose tool found (neither 'docker compose' nor 'docker-compose')." >&2
  echo "  Debian/Ubuntu: apt-get update && apt-get install -y --no-install-recommends docker-compose" >&2
  exit 3
fi
echo "compose tool: ${tool[*]} ($version)"
[[ $detect -eq 1 ]] && exit 0

[[ -f "$file" ]] || { echo "check-compose.sh: no such file: $file" >&2; exit 2; }
file="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
# Relative paths (build context, bind mounts) resolve against the file's folder, and a .env there is
# read as the operators' would be; the project name is fixed so the result does not depend on the cwd.
cd "$(dirname "$file")"

run_config() { # label, extra args...
  local label="$1"; shift
  local out
  if ! out="$("${tool[@]}" -p ods-check -f "$file" "$@" config -q 2>&1)"; then
    echo "INVALID ($label): $file" >&2
    echo "$out" >&2
    return 1
  fi
  [[ -z "$out" ]] || echo "$out" # warnings (e.g. unset variables) are shown but do not fail
  echo "ok ($label)"
}

status=0
run_config "default profile" || status=1
run_config "profiles monitoring, samples" --profile monitoring --profile samples || status=1
exit $status

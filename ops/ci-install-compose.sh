#!/usr/bin/env bash
# Installs Debian's docker-compose (1.29.2 on bookworm) when no compose tool is on the machine, so
# test/integration/docker-compose.int.test.ts can validate docker-compose.yml without a Docker engine. --no-install-recommends keeps
# it to ~16 small packages (no docker.io, no containerd).
set -euo pipefail
if docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1; then
  exit 0
fi
echo "==> installing docker-compose (Debian package) to validate docker-compose.yml"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends docker-compose >/dev/null

#!/usr/bin/env bash
# Installs Debian's chromium when none is on the machine, for the browser tests
# (test/integration/*-browser.int.test.ts drive it with puppeteer-core; CHROMIUM_PATH points them
# at another binary). Idempotent: nothing happens when /usr/bin/chromium exists.
set -euo pipefail
if [[ -x /usr/bin/chromium || -n "${CHROMIUM_PATH:-}" ]]; then
  exit 0
fi
echo "==> installing chromium (Debian package) for the browser tests"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null

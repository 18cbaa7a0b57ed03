#!/usr/bin/env bash
# Installs Debian's chromium when none is on the machine, for the browser tests
# (test/integration/*-browser*.int.test.ts drive it with puppeteer-core; CHROMIUM_PATH points them
# at another binary). Debian's package, not a browser download: the CI machine reaches Debian's
# mirrors and the npm registry only. Idempotent: nothing happens when the binary exists.
set -euo pipefail
if [[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then
  exit 0
fi
echo "==> installing chromium (Debian package) for the browser tests"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null

#!/usr/bin/env bash
# Installs Debian's Chromium when it is not on the machine, for the browser test
# (test/integration/browser-map.int.test.ts, driven with puppeteer-core). Debian's package, not a
# browser download: the CI machine reaches Debian's mirrors and the npm registry only.
set -euo pipefail
if [[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then
  exit 0
fi
echo "==> installing chromium (Debian package) for the browser test"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null

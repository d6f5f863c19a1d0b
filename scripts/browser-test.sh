#!/usr/bin/env bash
# The browser tests (tests/browser): installs what they need where it is missing
# (Chromium from Debian's packages, puppeteer-core from npm at the locked version),
# then runs them against the garrison binary given (default target/debug/garrison).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-target/debug/garrison}"

if ! command -v chromium >/dev/null; then
    echo "== installing Chromium (Debian package)"
    sudo=()
    if [ "$(id -u)" != 0 ]; then sudo=(sudo); fi
    "${sudo[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q chromium
fi
if [ ! -d tests/browser/node_modules/puppeteer-core ]; then
    echo "== installing puppeteer-core (npm ci)"
    npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
fi
CHROMIUM="$(command -v chromium)" node tests/browser/console.test.mjs "$BIN"

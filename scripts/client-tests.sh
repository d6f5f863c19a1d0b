#!/usr/bin/env bash
# The interop tests with real clients (tests/clients): creates a Python virtual
# environment in target/client-venv with the pinned packages of
# tests/clients/requirements.txt where it is missing or stale, then runs them
# against the garrison binary given (default target/debug/garrison).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-target/debug/garrison}"
VENV=target/client-venv
STAMP="$VENV/requirements.txt"

if ! cmp -s tests/clients/requirements.txt "$STAMP"; then
    echo "== installing the client packages (pip, into $VENV)"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r tests/clients/requirements.txt
    cp tests/clients/requirements.txt "$STAMP"
fi
# A failing garrison command prints its error, not a backtrace.
export RUST_BACKTRACE=0
"$VENV/bin/python" tests/clients/stix_test.py "$BIN"

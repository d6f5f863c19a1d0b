#!/usr/bin/env bash
# The benchmark suite (see bench/run.py): builds the release binary, generates the
# dataset once (bench/data/ for SQLite, database garrison_bench_<events> on PostgreSQL),
# and appends the figures to bench/RESULTS.md. EVENTS=100000 for a quicker run.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/run.py "$@"

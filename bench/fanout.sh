#!/usr/bin/env bash
# Fan-out benchmark: 1,000 subscribers on one release server, one write at a time.
# SQLite by default; BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432 for PostgreSQL.
# SUBSCRIBERS and ROUNDS override the defaults (1000, 20). Appends to bench/fanout-results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench fanout

#!/usr/bin/env bash
# Builds the release binary and the raw parse floor, then runs the benchmark (see bench/run.py
# for what it measures).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bin irsalint --example parse-floor
exec python3 bench/run.py --bin target/release/irsalint --floor target/release/examples/parse-floor "$@"

#!/usr/bin/env bash
# Builds the release binary and runs the benchmark (see bench/run.py for what it measures).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked
exec python3 bench/run.py --bin target/release/irsalint "$@"

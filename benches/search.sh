#!/usr/bin/env bash
# Search in a real browser: bytes fetched for the first query, and first/median/p95 query
# latency, on synthetic playbooks of 1,000 and 10,000 touch points (needs chromium and
# chromium-driver from Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin touchbook --example synth
work="${WORK:-/tmp/touchbook-bench}"
for n in ${SIZES:-1000 10000}; do
  dir="$work/search-$n"
  ./target/release/examples/synth --touchpoints "$n" --seed 1 "$dir" > /dev/null
  bin="$PWD/target/release/touchbook"
  (cd "$dir" && rm -rf site && "$bin" build 2>&1 | grep built)
  TOUCHBOOK_BENCH_PLAYBOOK="$dir" cargo test --quiet --test it search_benchmark -- --ignored --nocapture 2>&1 | grep "SEARCH BENCHMARK"
done

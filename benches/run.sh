#!/usr/bin/env bash
# Times whole builds of synthetic playbooks with /usr/bin/time (wall clock and peak memory) and
# compares them with the floor: `cp -r` of the site the build produced.
#
#   benches/run.sh            # 1k, 10k, and 1k with 3 divisions
#   SIZES="1000" benches/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin touchbook --example synth
bin="$PWD/target/release/touchbook"
synth="$PWD/target/release/examples/synth"
work="${WORK:-/tmp/touchbook-bench}"
mkdir -p "$work"

run() { # name, touch points, divisions
  local dir="$work/$1"
  "$synth" --touchpoints "$2" --divisions "$3" --seed 1 "$dir" > /dev/null
  echo "== $1: $2 touch points, $3 divisions"
  (cd "$dir" && rm -rf site && /usr/bin/time -f "first build: %e s wall, %M KB peak" "$bin" build 2>&1 | grep -E "built|wall")
  (cd "$dir" && /usr/bin/time -f "rebuild (replaces the old site): %e s wall, %M KB peak" "$bin" build 2>&1 | grep -E "wall")
  rm -rf "$work/copy"
  /usr/bin/time -f "floor, cp -r of the produced site: %e s" cp -r "$dir/site" "$work/copy" 2>&1
  rm -rf "$work/copy"
  du -sh "$dir/site" | awk '{print "site size: " $1}'
}

for n in ${SIZES:-1000 10000}; do run "synth-$n" "$n" 0; done
run "synth-1000-d3" 1000 3

#!/usr/bin/env bash
# Fuzzes every target in turn for SECONDS_EACH seconds (default 900: an hour in all), one
# process at low priority, with debug assertions (`-a`: an overflow panics, as in `cargo
# test`). Needs cargo-fuzz and a nightly toolchain. Crashes land in fuzz/artifacts/<target>/;
# copy them to fuzz/regressions/<target>/ once fixed, where `cargo test --test it
# fuzz_regressions` replays them. Starts from the kept corpus (corpus.tar.xz) when corpus/ is
# missing.
set -euo pipefail
cd "$(dirname "$0")"
[ -d corpus ] || tar -xJf corpus.tar.xz
python3 seeds.py > /dev/null
for target in ${TARGETS:-front_matter markdown book_toml playbook}; do
  nice -n 19 cargo +nightly fuzz run --sanitizer none -O -a "$target" "corpus/$target" -- \
    -max_total_time="${SECONDS_EACH:-900}" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    2>&1 | tee "${LOG_DIR:-/tmp}/fuzz-$target.log" | grep -E "^#[0-9]+ +(pulse|DONE)|ERROR|panicked|stat::" || true
done

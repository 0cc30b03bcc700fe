#!/usr/bin/env bash
# Edit-to-reload latency of `touchbook serve`: the time from writing a touch point to the new
# text being served, median of repeated edits, at 1,000 and 10,000 synthetic touch points.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin touchbook --example synth
bin="$PWD/target/release/touchbook"
work="${WORK:-/tmp/touchbook-bench}"
port=${PORT:-3917}
edits=${EDITS:-7}
for n in ${SIZES:-1000 10000}; do
  dir="$work/serve-$n"
  ./target/release/examples/synth --touchpoints "$n" --seed 1 "$dir" > /dev/null
  (cd "$dir" && exec "$bin" serve --port "$port" > "$work/serve-$n.log" 2>&1) &
  server=$!
  until curl -sf "http://127.0.0.1:$port/" > /dev/null; do sleep 0.2; done
  file="$dir/content/touchpoints/situation-00001.md"
  times=()
  for i in $(seq 1 "$edits"); do
    marker="EDIT-MARKER-$i-$RANDOM"
    sed -i "s/^## Situation$/## Situation\n\n$marker/" "$file"
    start=$(date +%s%N)
    until curl -sf "http://127.0.0.1:$port/touchpoints/situation-00001.html" | grep -q "$marker"; do sleep 0.005; done
    times+=($(( ($(date +%s%N) - start) / 1000000 )))
    sleep "${PAUSE:-4}" # let the search index catch up before the next edit
  done
  kill "$server"; wait "$server" 2>/dev/null || true
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  echo "$n touch points: edit-to-served ms: ${times[*]} (median ${sorted[$(( ${#sorted[@]} / 2 ))]})"
done

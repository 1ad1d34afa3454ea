#!/usr/bin/env bash
# Prints the raw and gzip sizes of a built site's wasm, JS and CSS, and their gzip total
# against the first-load budget (200 KB gzip, read as 200,000 B).
set -euo pipefail
dir=${1:-dist}
total=0
for f in "$dir"/*.wasm "$dir"/*.js "$dir"/*.css; do
  [ -f "$f" ] || continue
  # The service worker loads after the page, not as part of its first load.
  [ "$(basename "$f")" = sw.js ] && continue
  raw=$(wc -c <"$f"); gz=$(gzip -9 -c "$f" | wc -c); total=$((total + gz))
  printf 'size: %-40s %8d B raw %8d B gzip\n' "$(basename "$f")" "$raw" "$gz"
done
printf 'size: first load (wasm + JS + CSS) %d B gzip of 200000 B budget\n' "$total"
[ "$total" -le 200000 ] || { echo "size: over the 200 KB first-load budget" >&2; exit 1; }

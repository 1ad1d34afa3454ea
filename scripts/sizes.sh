#!/usr/bin/env bash
# Prints the raw and gzip sizes of a built site's wasm, JS and CSS, and the gzip total of
# its first load against the budget (200 KB gzip, read as 200,000 B). The config files'
# worker (files.js, files_bg.wasm, files-worker.js) loads only when a panel asks it (the
# files, the settings, the suggestions, the saved plans): it is not counted in the first
# load; nor is the calibration's worker (calibrate.js, calibrate_bg.wasm, calibrate-worker.js),
# loaded when the Calibrate panel opens; nor "Compare plans"' code (compare.js), loaded when
# its panel opens (compare-load.js, which loads it, is first load). sw.js loads after the page.
set -euo pipefail
dir=${1:-dist}
total=0
later=0
calib=0
compare=0
for f in "$dir"/*.wasm "$dir"/*.js "$dir"/*.css; do
  [ -f "$f" ] || continue
  name=$(basename "$f")
  [ "$name" = sw.js ] && continue
  raw=$(wc -c <"$f"); gz=$(gzip -9 -c "$f" | wc -c)
  case "$name" in
    files.js|files_bg.wasm|files-worker.js) later=$((later + gz)); when="(files panel)" ;;
    calibrate.js|calibrate_bg.wasm|calibrate-worker.js) calib=$((calib + gz)); when="(Calibrate panel)" ;;
    compare.js) compare=$((compare + gz)); when="(Compare panel, with the files' worker)" ;;
    *) total=$((total + gz)); when="" ;;
  esac
  printf 'size: %-40s %8d B raw %8d B gzip %s\n' "$name" "$raw" "$gz" "$when"
done
printf 'size: files panel, loaded when opened: %d B gzip\n' "$later"
printf 'size: Calibrate panel, loaded when opened: %d B gzip\n' "$calib"
printf 'size: Compare panel, loaded when opened: %d B gzip (and the files panel'"'"'s worker)\n' "$compare"
printf 'size: first load (wasm + JS + CSS) %d B gzip of 200000 B budget\n' "$total"
[ "$total" -le 200000 ] || { echo "size: over the 200 KB first-load budget" >&2; exit 1; }

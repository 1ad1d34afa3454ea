#!/usr/bin/env bash
# trunk post_build hook (Trunk.toml), release builds only, before scripts/precache.sh:
# minifies wasm-bindgen's JS glue with terser (npm, package.json) and puts its new
# SHA-384 in index.html's integrity attribute, which trunk wrote for the unminified
# file; minifies theme.js and the other plain scripts too. About 1.9 KB less gzip on the first load; the module's
# exports keep their names.
set -euo pipefail
: "${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
[ "${TRUNK_PROFILE:-release}" = release ] || exit 0
terser=$PWD/node_modules/.bin/terser
cd "$TRUNK_STAGING_DIR"
# SHA-384 of a file, base64, as in an integrity attribute (node: terser needs it anyway).
sri() { node -e 'process.stdout.write(require("crypto").createHash("sha384").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$1"; }
for js in app-*.js; do
  before=$(sri "$js")
  "$terser" "$js" --module --compress --mangle --output "$js.min"
  mv "$js.min" "$js"
  after=$(sri "$js")
  grep -qF "sha384-$before" index.html || { echo "minify: no integrity for $js in index.html" >&2; exit 1; }
  sed -i "s|sha384-$before|sha384-$after|g" index.html
  echo "minify: $js $(wc -c <"$js") B" >&2
done
for js in theme.js files.js files-worker.js calibrate.js calibrate-worker.js compare-load.js compare.js; do
  [ -f "$js" ] || continue
  "$terser" "$js" --compress --mangle --output "$js.min"
  mv "$js.min" "$js"
done

#!/usr/bin/env bash
# trunk post_build hook (Trunk.toml): writes sw.js into the built site from src/sw.js,
# with the list of the site's files (trunk's hashed names) and a release id hashed from
# their contents. A debug build (`trunk serve`) gets a worker that removes itself and
# its caches instead, so live reload is never served stale files.
set -euo pipefail
: "${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
src=$PWD/src/sw.js
cd "$TRUNK_STAGING_DIR"

if [ "${TRUNK_PROFILE:-release}" != release ]; then
  cat >sw.js <<'EOF'
// Debug build: no offline cache. Removes a worker and caches left by a release build.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil((async () => {
  const prefix = 'planner:' + self.registration.scope + ':';
  for (const name of await caches.keys()) if (name.startsWith(prefix)) await caches.delete(name);
  await self.registration.unregister();
})()));
EOF
  exit 0
fi

mapfile -t files < <(find . -type f ! -name sw.js ! -name '*.map' -printf '%P\n' | LC_ALL=C sort)
release=$(sha256sum "${files[@]}" | sha256sum | cut -c1-16)
list=$(printf '"./%s",' "${files[@]}")
list="[${list%,}]"
sed -e "s|__RELEASE__|$release|" -e "s|__FILES__|$list|" "$src" >sw.js
echo "precache: sw.js release $release, ${#files[@]} files" >&2

// The planner's service worker: the release's files, cached at install, serve every
// visit, so the app loads and works with the network off after one visit.
// scripts/precache.sh fills in RELEASE and FILES at build time (trunk's post_build hook).
//
// Updates are never half-applied: each release has its own cache; a new worker caches
// its whole release, then waits until the page sends 'skip-waiting' (the person clicked
// "Reload to update"); once active it removes the caches of older releases of this scope.
'use strict';

const RELEASE = '__RELEASE__';
const FILES = __FILES__;

// One cache per release and scope: two copies of the app on one origin keep theirs.
const PREFIX = 'planner:' + self.registration.scope + ':';
const CACHE = PREFIX + RELEASE;
const URLS = new Set(FILES.map((f) => new URL(f, self.location).href));
const INDEX = new URL('index.html', self.registration.scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) =>
    // 'reload' skips the HTTP cache, so the release is cached as it is on the server.
    cache.addAll([...URLS].map((url) => new Request(url, { cache: 'reload' })))));
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  let key = null;
  if (request.mode === 'navigate' && (url.href === self.registration.scope || url.href === INDEX)) {
    key = INDEX; // the page itself, whatever its query; the plan is in the fragment
  } else if (URLS.has(url.href)) {
    key = url.href;
  }
  if (key === null) return; // not part of the release: the network, as without a worker
  event.respondWith(caches.open(CACHE)
    .then((cache) => cache.match(key))
    .then((hit) => hit || fetch(request)));
});

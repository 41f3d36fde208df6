// Service worker of the cache workload under swhost (bench/edge/run.sh):
// /items.json is put into Cache Storage at install, and every request is
// answered by caches.match.
const CACHE = 'bench-v1';
addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(['/items.json'])));
});
addEventListener('fetch', (e) => {
  e.respondWith(caches.match(e.request).then((r) => r || new Response('not cached', { status: 404 })));
});

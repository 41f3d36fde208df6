// The cache workload under workerd (bench/edge/run.sh, appended to ITEMS,
// the text of items.json): workerd's Cache API has no backend in a plain
// configuration (caches.default never hits), so the worker keeps its
// cache in memory, a Map from pathname to body and headers holding what
// swhost's Cache Storage holds for /items.json. A lookup is a URL parse
// and a Map get; swhost's is a Cache Storage match.
const CACHE = new Map([
  ['/items.json', { body: new TextEncoder().encode(ITEMS), headers: { 'content-type': 'application/json' } }],
]);
addEventListener('fetch', (e) => {
  const hit = CACHE.get(new URL(e.request.url).pathname);
  e.respondWith(hit ? new Response(hit.body, { headers: hit.headers }) : new Response('not cached', { status: 404 }));
});

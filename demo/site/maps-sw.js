// The maps team's worker on https://app.test, scope {"path":"/maps/?*"}:
// /maps and everything under /maps/. Tiles are cached on first use.
self.addEventListener('install', event => {
  console.log('maps team worker installing');
  event.waitUntil(caches.open('maps-tiles-v1').then(cache => cache.add('/maps/tiles/0-0-0.txt')));
});
self.addEventListener('fetch', event => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/maps/tiles/')) {
    event.respondWith(caches.open('maps-tiles-v1').then(cache => cache.match(event.request).then(hit => {
      if (hit) return hit;
      return fetch(event.request).then(resp => { cache.put(event.request, resp.clone()); return resp; });
    })));
    return;
  }
  event.respondWith(new Response('maps team worker answered ' + url.pathname + ' (scope {"path":"/maps/?*"})',
    { headers: { 'Content-Type': 'text/plain; charset=utf-8' } }));
});

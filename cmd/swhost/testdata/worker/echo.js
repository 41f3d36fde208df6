importScripts('lib.js');
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open('v1').then((c) => c.put('/cached', new Response('from cache'))));
});
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.pathname === '/cached') {
    event.respondWith(caches.match('/cached'));
    return;
  }
  if (url.pathname === '/network') return;
  event.respondWith((async () => {
    const body = await event.request.text();
    return new Response(greeting(event.request.method, url.pathname, event.request.headers.get('x-name'), body), {
      headers: { 'X-Served-By': 'echo.js' },
    });
  })());
});

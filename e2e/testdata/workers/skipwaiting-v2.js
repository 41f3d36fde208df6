// v2 calls skipWaiting() at install: it activates at once, although v1
// controls a client, and claims that client.
self.addEventListener('install', e => e.waitUntil(self.skipWaiting()));
self.addEventListener('activate', e => e.waitUntil(self.clients.claim()));
self.addEventListener('fetch', e => e.respondWith(new Response('v2 subresource')));

// v2 without skipWaiting(): it waits while v1 controls a client.
self.addEventListener('fetch', e => e.respondWith(new Response('v2 subresource')));

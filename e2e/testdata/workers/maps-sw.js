// The maps team's worker (scope {"path":"/maps/?*"}).
self.addEventListener('fetch', e => e.respondWith(new Response('maps team: ' + e.request.url.replace(/^https:\/\/[^/]*/, ''))));

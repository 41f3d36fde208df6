// The root team's worker (scope {"path":"/"}: "/" exactly).
self.addEventListener('fetch', e => e.respondWith(new Response('root team: ' + e.request.url.replace(/^https:\/\/[^/]*/, ''))));

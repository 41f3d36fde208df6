self.addEventListener('install', () => { throw new TypeError('install handler broke'); });
self.addEventListener('fetch', e => e.respondWith(new Response('never')));

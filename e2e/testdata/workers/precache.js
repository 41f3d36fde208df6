// Pre-caches two files at install and answers from the cache, falling
// back to the network for anything else.
const CACHE = 'offline-v1';
self.addEventListener('install', e => {
  e.waitUntil(caches.open(CACHE).then(c => c.addAll(['/offline/page.html', '/offline/app.css'])));
});
self.addEventListener('fetch', e => {
  e.respondWith(caches.match(e.request).then(r => r || fetch(e.request)));
});

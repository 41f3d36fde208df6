// Answers at once; its waitUntil promise never settles.
self.addEventListener('fetch', e => {
  e.respondWith(new Response('answered'));
  e.waitUntil(new Promise(() => {}));
});

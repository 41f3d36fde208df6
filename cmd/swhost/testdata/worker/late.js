// Answers at once, then works on in waitUntil for two timer turns.
self.addEventListener('fetch', e => {
  e.respondWith(new Response('answered'));
  e.waitUntil(new Promise(r => setTimeout(r, 20))
    .then(() => new Promise(r => setTimeout(r, 20)))
    .then(() => console.log('late work done')));
});

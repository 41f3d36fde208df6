self.addEventListener('install', e => {
  e.waitUntil(new Promise((_, reject) => setTimeout(() => reject(new Error('waitUntil rejected on purpose')), 1)));
});
self.addEventListener('fetch', e => e.respondWith(new Response('never')));

// v1 answers navigations only after registration.update() settled, so a
// new version is installed while this client is controlled by v1.
self.addEventListener('fetch', e => {
  if (e.request.mode === 'navigate') {
    e.respondWith(self.registration.update().then(() => new Response('v1 navigation')));
    return;
  }
  e.respondWith(new Response('v1 subresource'));
});

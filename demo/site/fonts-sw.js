// The font provider's worker (second seed): registered by the Link header
// of https://fonts.test/css, it answers other origins' font requests from
// its own cache, even when the provider's server is down.
self.addEventListener('install', event => {
  event.registerForeignFetch({
    scopes: [self.registration.scope], // or some sub-scope
    origins: ['*'] // or ['https://example.com']
  });
  event.waitUntil(caches.open('fonts-v1').then(cache => cache.addAll(['/fonts/roboto.woff2'])));
});
self.addEventListener('foreignfetch', event => {
  event.respondWith(
    caches.match(event.request, {ignoreSearch: true})
      .then(cached => cached || fetch(new Request(event.request.url)))
      .then(response => ({
        response: response,
        // Omit to origin to return an opaque response.
        // With this set, the client will receive a CORS response.
        origin: event.origin,
        // Omit headers unless you need additional header filtering.
        // With this set, only Content-Type will be exposed.
        headers: ['Content-Type']
      }))
  );
});

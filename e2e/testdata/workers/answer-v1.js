self.addEventListener('fetch', e => {
  e.respondWith(new Response('v1 ' + e.request.method + ' ' + e.request.url.replace(/^https:\/\/[^/]*/, ''), {
    status: 201,
    headers: {'Content-Type': 'text/plain', 'X-Version': 'v1'},
  }));
});

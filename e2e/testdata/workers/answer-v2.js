self.addEventListener('fetch', e => {
  e.respondWith(new Response('v2 ' + e.request.method + ' ' + e.request.url.replace(/^https:\/\/[^/]*/, ''), {
    headers: {'Content-Type': 'text/plain', 'X-Version': 'v2'},
  }));
});

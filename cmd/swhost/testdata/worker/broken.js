self.addEventListener('fetch', (event) => {
  event.respondWith(handle(event.request));
});

function handle(request) {
  return request.nope.deeper;
}

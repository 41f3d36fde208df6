// Fetch handler of the router workload (bench/edge/run.sh appends it to
// kernels.js): the request's URL through the 50 URLPatterns, answered 200
// with the match's description, or 404.
const route = makeRouter(URLPattern);
addEventListener('fetch', (e) => {
  const found = route(e.request.url);
  e.respondWith(new Response(found, {
    status: found === '404' ? 404 : 200,
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
  }));
});

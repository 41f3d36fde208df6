// Fetch handler of the headers workload (bench/edge/run.sh): the request
// passed through to the upstream with fetch(e.request), its response's
// body streamed back with headers removed and added, as an edge worker
// that hardens an origin's responses does.
const DROP = ['server', 'x-powered-by', 'x-upstream-debug'];
const ADD = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-edge': 'worker',
};
addEventListener('fetch', (e) => {
  e.respondWith(fetch(e.request).then((r) => {
    const h = new Headers(r.headers);
    for (const name of DROP) h.delete(name);
    for (const [name, value] of Object.entries(ADD)) h.set(name, value);
    return new Response(r.body, { status: r.status, statusText: r.statusText, headers: h });
  }));
});

// Fetch handler of the json workload (bench/edge/run.sh appends it to
// kernels.js and ITEMS, the text of items.json): every request answers
// the JSON API transform of ITEMS.
addEventListener('fetch', (e) => {
  e.respondWith(new Response(jsonTransform(ITEMS), { headers: { 'content-type': 'application/json' } }));
});

// Fetch handler of the html workload (bench/edge/run.sh appends it to
// kernels.js and ITEMS, the text of items.json): every request answers
// the HTML render of ITEMS.
addEventListener('fetch', (e) => {
  e.respondWith(new Response(renderHTML(ITEMS), { headers: { 'content-type': 'text/html;charset=UTF-8' } }));
});

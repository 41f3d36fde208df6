// The work of the edge benchmark's JavaScript-heavy workloads, as plain
// functions of strings: no web API but URLPattern (passed in), so that
// swhost, workerd, Node and every engine under comparison run the same
// code. items.json (60 items, 4.6 KB) is their input.
//
// jsonTransform(text): the JSON API transform. Parses the array, keeps
// the items in stock, reshapes each and returns the JSON of the result.
//
// renderHTML(text): the HTML render. Parses the array, keeps the items in
// stock and renders a table with template strings, map/join and an
// escaping replace with a regular expression.
//
// makeRouter(URLPattern): the router. Returns route(url), which matches
// url against 50 URLPatterns in order and returns a description of the
// first match ("404" when none does).

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHTML(s) {
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function jsonTransform(text) {
  const items = JSON.parse(text);
  const out = items
    .filter((it) => it.stock)
    .map((it) => ({ id: it.id, title: it.name.toUpperCase(), cat: it.cat, cents: Math.round(it.price * 100) }));
  return JSON.stringify({ count: out.length, total: out.reduce((s, it) => s + it.cents, 0), items: out });
}

function renderHTML(text) {
  const items = JSON.parse(text);
  const rows = items
    .filter((it) => it.stock)
    .map((it) => `<tr><td>${it.id}</td><td>${escapeHTML(it.name)}</td><td>${escapeHTML(it.cat)}</td><td>${it.price.toFixed(2)}</td></tr>`);
  return `<!doctype html><html><head><title>Items</title></head><body><table><thead><tr><th>id</th><th>name</th><th>category</th><th>price</th></tr></thead><tbody>${rows.join('')}</tbody></table></body></html>`;
}

// ROUTES are the router's 50 pathname patterns: ten resources, five
// routes each, the last ones the likeliest to be asked for.
const ROUTES = [];
for (const r of ['users', 'orders', 'products', 'carts', 'reviews', 'sessions', 'invoices', 'teams', 'files', 'posts']) {
  ROUTES.push(
    `/api/${r}`,
    `/api/${r}/:id(\\d+)`,
    `/api/${r}/:id(\\d+)/history`,
    `/api/${r}/:id(\\d+)/:field`,
    `/${r}/*`,
  );
}

function makeRouter(URLPatternCtor) {
  const patterns = ROUTES.map((pathname) => new URLPatternCtor({ pathname }));
  return function route(url) {
    for (let i = 0; i < patterns.length; i++) {
      const m = patterns[i].exec(url);
      if (m !== null) {
        return `${i} ${ROUTES[i]} ${JSON.stringify(m.pathname.groups)}`;
      }
    }
    return '404';
  };
}

importScripts('/harness.js');

promise_test(async () => {
  assert_false(await caches.has('v1'));
  const c = await caches.open('v1');
  assert_true(c instanceof Cache);
  assert_true(await caches.has('v1'));
  await caches.open('v2');
  assert_array_equals(await caches.keys(), ['v1', 'v2']);
  assert_true(await caches.delete('v2'));
  assert_false(await caches.delete('v2'));
  assert_array_equals(await caches.keys(), ['v1']);
}, 'open, has, keys, delete');

promise_test(async () => {
  const c = await caches.open('put');
  const resp = new Response('cached body', { headers: { 'X-A': '1' } });
  await c.put('/item?x=1', resp);
  assert_true(resp.bodyUsed, 'put consumes the body');
  const hit = await c.match('/item?x=1');
  assert_equals(await hit.text(), 'cached body');
  assert_equals(hit.headers.get('x-a'), '1');
  assert_equals(await c.match('/item?x=2'), undefined);
  const loose = await c.match('/item?x=2', { ignoreSearch: true });
  assert_equals(await loose.text(), 'cached body');
  assert_equals(await c.match(new Request('/item?x=1', { method: 'POST', body: 'b' })), undefined, 'POST does not match');
  assert_not_equals(await c.match(new Request('/item?x=1', { method: 'POST', body: 'b' }), { ignoreMethod: true }), undefined);
  const viaStorage = await caches.match('/item?x=1');
  assert_equals(await viaStorage.text(), 'cached body');
  assert_equals(await caches.match('/item?x=1', { cacheName: 'nope' }), undefined);
}, 'put and match with options');

promise_test(async (t) => {
  const c = await caches.open('bad');
  await promise_rejects_js(t, TypeError, c.put(new Request('/x', { method: 'POST', body: 'x' }), new Response('')));
  await promise_rejects_js(t, TypeError, c.put('/x', 'not a response'));
  const used = new Response('u');
  await used.text();
  await promise_rejects_js(t, TypeError, c.put('/x', used));
  await promise_rejects_js(t, TypeError, c.put('/x', new Response('', { status: 206 })));
  await promise_rejects_js(t, TypeError, c.addAll(['data:text/plain,x']));
}, 'put and addAll refuse what the spec refuses');

promise_test(async () => {
  const c = await caches.open('vary');
  await c.put(new Request('/v', { headers: { 'Accept-Language': 'fr' } }), new Response('fr', { headers: { 'Vary': 'Accept-Language' } }));
  assert_equals(await c.match(new Request('/v', { headers: { 'Accept-Language': 'en' } })), undefined);
  const fr = await c.match(new Request('/v', { headers: { 'Accept-Language': 'fr' } }));
  assert_equals(await fr.text(), 'fr');
  const any = await c.match(new Request('/v', { headers: { 'Accept-Language': 'en' } }), { ignoreVary: true });
  assert_equals(await any.text(), 'fr');
}, 'Vary');

promise_test(async () => {
  const c = await caches.open('many');
  await c.put('/a', new Response('1'));
  await c.put('/b', new Response('2'));
  await c.put('/a?q', new Response('3'));
  const keys = await c.keys();
  assert_array_equals(keys.map(r => new URL(r.url).pathname + new URL(r.url).search), ['/a', '/b', '/a?q']);
  assert_true(keys[0] instanceof Request);
  const all = await c.matchAll('/a', { ignoreSearch: true });
  assert_equals(all.length, 2);
  assert_equals((await c.matchAll()).length, 3);
  assert_true(await c.delete('/a', { ignoreSearch: true }));
  assert_equals((await c.keys()).length, 1);
  assert_false(await c.delete('/zzz'));
}, 'keys, matchAll, delete');

promise_test(async () => {
  const c = await caches.open('add');
  await c.addAll(['/net/one', '/net/two']);
  assert_equals(await (await c.match('/net/one')).text(), 'network /net/one');
  await c.add('/net/three');
  assert_equals((await c.keys()).length, 3);
  await promise_rejects_js(null, TypeError, c.add('/net/404'), 'a 404 fails add');
  assert_equals(await c.match('/net/404'), undefined);
}, 'add and addAll go through the worker fetcher');

promise_test(async () => {
  const r = await fetch('/net/hello', { headers: { 'X-Echo': 'e' } });
  assert_equals(r.status, 200);
  assert_equals(r.headers.get('x-echoed'), 'e');
  assert_equals(await r.text(), 'network /net/hello');
  assert_throws_js(TypeError, () => r.headers.set('a', 'b'), 'fetched headers are immutable');
  await promise_rejects_js(null, TypeError, fetch('/net/fail'), 'a network error rejects with TypeError');
  await promise_rejects_js(null, TypeError, fetch('http://[bad'));
  const c = new AbortController();
  c.abort();
  await promise_rejects_dom(null, 'AbortError', fetch('/net/x', { signal: c.signal }));
  const post = await fetch('/net/echo-body', { method: 'POST', body: 'payload' });
  assert_equals(await post.text(), 'payload');
}, 'fetch()');

promise_test(async () => {
  const req = new Request('/net/echo-body', { method: 'POST', body: 'sent once', headers: { 'X-Echo': 'r' } });
  const r = await fetch(req);
  assert_equals(await r.text(), 'sent once');
  assert_true(req.bodyUsed, 'fetch(request) uses the request body');
  await promise_rejects_js(null, TypeError, fetch(req), 'a used request cannot be fetched again');
  const get = new Request('/net/again', { headers: { 'X-Echo': 'g' } });
  assert_equals((await fetch(get)).headers.get('x-echoed'), 'g');
  assert_false(get.bodyUsed);
  assert_equals(await (await fetch(get)).text(), 'network /net/again', 'a request without a body can be fetched again');
  const c = new AbortController();
  const aborted = new Request('/net/x', { signal: c.signal });
  c.abort();
  await promise_rejects_dom(null, 'AbortError', fetch(aborted));
}, 'fetch(request) with no init');

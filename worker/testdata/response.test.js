importScripts('/harness.js');

promise_test(async () => {
  const r = new Response('hi');
  assert_equals(r.status, 200);
  assert_true(r.ok);
  assert_equals(r.statusText, '');
  assert_equals(r.type, 'default');
  assert_equals(r.url, '');
  assert_false(r.redirected);
  assert_equals(r.headers.get('content-type'), 'text/plain;charset=UTF-8');
  assert_equals(await r.text(), 'hi');
}, 'defaults');

test(() => {
  assert_throws_js(RangeError, () => new Response('', { status: 199 }));
  assert_throws_js(RangeError, () => new Response('', { status: 600 }));
  assert_throws_js(TypeError, () => new Response('x', { status: 204 }), 'null body status with a body');
  assert_throws_js(TypeError, () => new Response('', { statusText: 'bad\n' }));
  assert_equals(new Response(null, { status: 204 }).status, 204);
  assert_equals(new Response(null, { status: 404, statusText: 'Nope' }).statusText, 'Nope');
}, 'status and statusText validation');

promise_test(async () => {
  const r = Response.json({ a: [1, 2] }, { status: 201, headers: { 'X-A': '1' } });
  assert_equals(r.status, 201);
  assert_equals(r.headers.get('content-type'), 'application/json');
  assert_equals(r.headers.get('x-a'), '1');
  assert_equals((await r.json()).a[1], 2);
  assert_throws_js(TypeError, () => Response.json(undefined));
}, 'Response.json');

test(() => {
  const r = Response.redirect('/elsewhere', 301);
  assert_equals(r.status, 301);
  assert_equals(r.headers.get('location'), 'https://test.swhost/elsewhere');
  assert_throws_js(TypeError, () => r.headers.set('x', 'y'), 'redirect headers are immutable');
  assert_throws_js(RangeError, () => Response.redirect('/x', 200));
  assert_equals(Response.redirect('/x').status, 302);
}, 'Response.redirect');

test(() => {
  const e = Response.error();
  assert_equals(e.type, 'error');
  assert_equals(e.status, 0);
  assert_false(e.ok);
}, 'Response.error');

promise_test(async () => {
  const r = new Response('body', { headers: { 'X-A': '1' } });
  const c = r.clone();
  c.headers.set('x-a', '2');
  assert_equals(r.headers.get('x-a'), '1', 'clones have their own headers');
  assert_equals(await r.text(), 'body');
  assert_equals(await c.text(), 'body');
  assert_throws_js(TypeError, () => r.clone());
}, 'clone');

promise_test(async () => {
  const r = new Response(new Uint8Array([0xe2, 0x82, 0xac]));
  assert_equals(r.headers.get('content-type'), null, 'bytes imply no content type');
  assert_equals(await r.text(), '\u20ac');
  const b = await new Response('\u20ac').bytes();
  assert_array_equals(b, [0xe2, 0x82, 0xac]);
  const params = new Response(new URLSearchParams('a=1&b=2'));
  assert_equals(params.headers.get('content-type'), 'application/x-www-form-urlencoded;charset=UTF-8');
  assert_equals(await params.text(), 'a=1&b=2');
}, 'body kinds');

promise_test(async (t) => {
  await promise_rejects_js(t, TypeError, new Response('x').formData());
  const r = new Response('{bad');
  await promise_rejects_js(t, SyntaxError, r.json());
}, 'formData of a text/plain body rejects with TypeError; bad JSON rejects with SyntaxError');

promise_test(async () => {
  // new Response(text) keeps a compact state until more than exporting it
  // is needed: every part of the API must see the full response.
  const r = new Response('compact');
  assert_true(r instanceof Response);
  assert_false(r.bodyUsed);
  assert_equals(r.status, 200);
  assert_true(r.ok);
  assert_equals(r.statusText, '');
  assert_equals(r.type, 'default');
  assert_equals(r.url, '');
  assert_false(r.redirected);
  assert_equals(r.headers.get('content-type'), 'text/plain;charset=UTF-8');
  const c = r.clone();
  assert_equals(await c.text(), 'compact');
  assert_equals(await r.text(), 'compact');
  assert_true(r.bodyUsed);
  assert_throws_js(TypeError, () => r.clone(), 'a used body cannot be cloned');
  await promise_rejects_js(null, TypeError, r.text(), 'a used body cannot be read again');

  const fresh = new Response('first read');
  assert_false(fresh.bodyUsed, 'bodyUsed on a compact response');
  assert_equals(await fresh.arrayBuffer().then(b => b.byteLength), 10);
  const h = new Response('headers first');
  h.headers.set('x-a', '1');
  assert_equals(await h.text(), 'headers first');
  assert_equals(h.headers.get('x-a'), '1');
  assert_equals(await new Response('b').blob().then(b => b.type), 'text/plain;charset=utf-8');
  assert_throws_dom('DataCloneError', () => structuredClone(new Response('x')));
}, 'new Response(text) behaves as a full Response');

promise_test(async () => {
  const cache = await caches.open('compact');
  await cache.put('/compact', new Response('stored'));
  const got = await cache.match('/compact');
  assert_equals(await got.text(), 'stored');
  assert_equals(got.headers.get('content-type'), 'text/plain;charset=UTF-8');
  const used = new Response('used');
  await used.text();
  await promise_rejects_js(null, TypeError, cache.put('/used', used), 'a used response cannot be stored');
  const stored = new Response('stored once');
  await cache.put('/once', stored);
  assert_true(stored.bodyUsed, 'put uses the body');
}, 'compact responses through Cache Storage');

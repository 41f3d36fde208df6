importScripts('/harness.js');

test(() => {
  const r = new Request('/path?q=1#frag');
  assert_equals(r.url, 'https://test.swhost/path?q=1', 'resolved against the script URL, fragment dropped');
  assert_equals(r.method, 'GET');
  assert_equals(r.mode, 'cors');
  assert_equals(r.credentials, 'same-origin');
  assert_equals(r.cache, 'default');
  assert_equals(r.redirect, 'follow');
  assert_equals(r.destination, '');
  assert_equals(r.referrer, 'about:client');
  assert_false(r.bodyUsed);
  assert_true(r.signal instanceof AbortSignal);
}, 'defaults');

test(() => {
  assert_equals(new Request('https://a.test/', { method: 'post', body: 'x' }).method, 'POST', 'normal methods are upper-cased');
  assert_equals(new Request('https://a.test/', { method: 'patch', body: 'x' }).method, 'patch', 'others keep their case');
  assert_throws_js(TypeError, () => new Request('https://a.test/', { method: 'CONNECT' }));
  assert_throws_js(TypeError, () => new Request('https://a.test/', { method: 'trace' }));
  assert_throws_js(TypeError, () => new Request('https://a.test/', { method: 'bad method' }));
}, 'method normalization and forbidden methods');

test(() => {
  assert_throws_js(TypeError, () => new Request('https://a.test/', { body: 'x' }), 'GET with body');
  assert_throws_js(TypeError, () => new Request('https://a.test/', { method: 'HEAD', body: 'x' }), 'HEAD with body');
  assert_throws_js(TypeError, () => new Request('https://user:pw@a.test/'), 'credentials in URL');
  assert_throws_js(TypeError, () => new Request('https://a.test/', { mode: 'navigate' }));
  assert_throws_js(TypeError, () => new Request('https://a.test/', { mode: 'bogus' }));
  assert_throws_js(TypeError, () => new Request('http://[::1'), 'unparsable URL');
  assert_throws_js(TypeError, () => new Request('https://a.test/', { cache: 'only-if-cached' }));
  assert_throws_js(TypeError, () => new Request('https://a.test/', { mode: 'no-cors', method: 'PUT' }));
  assert_throws_js(TypeError, () => new Request());
}, 'constructor validation');

promise_test(async () => {
  const r = new Request('https://a.test/', { method: 'POST', body: 'hello' });
  assert_equals(r.headers.get('content-type'), 'text/plain;charset=UTF-8');
  const c = r.clone();
  assert_equals(await r.text(), 'hello');
  assert_true(r.bodyUsed);
  await promise_rejects_js(null, TypeError, r.text(), 'second read');
  assert_throws_js(TypeError, () => r.clone(), 'clone of a used request');
  assert_equals(await c.text(), 'hello', 'the clone has its own body');
}, 'body, bodyUsed and clone');

promise_test(async () => {
  const a = new Request('https://a.test/x', { method: 'POST', body: '{"k":1}', headers: { 'X-A': '1' } });
  const b = new Request(a, { headers: { 'X-B': '2' } });
  assert_equals(b.method, 'POST');
  assert_equals(b.headers.get('x-a'), null, 'init headers replace the input headers');
  assert_equals(b.headers.get('x-b'), '2');
  assert_true(a.bodyUsed, 'the input body is taken over');
  assert_equals((await b.json()).k, 1);
  assert_throws_js(TypeError, () => new Request(a), 'an input whose body was used');
}, 'Request from a Request');

promise_test(async () => {
  const r = new Request('https://a.test/', { method: 'PUT', body: new Uint8Array([104, 105]) });
  const buf = await r.arrayBuffer();
  assert_true(buf instanceof ArrayBuffer);
  assert_array_equals(new Uint8Array(buf), [104, 105]);
  const r2 = new Request('https://a.test/', { method: 'PUT', body: new Blob(['ab'], { type: 'text/x' }) });
  assert_equals(r2.headers.get('content-type'), 'text/x');
  const blob = await r2.blob();
  assert_equals(blob.size, 2);
  assert_equals(blob.type, 'text/x');
  assert_equals(await blob.text(), 'ab');
}, 'binary and Blob bodies');

test(() => {
  const c = new AbortController();
  const r = new Request('https://a.test/', { signal: c.signal });
  assert_false(r.signal.aborted);
  c.abort();
  assert_true(r.signal.aborted, 'the request signal follows its parent');
}, 'signal follows init.signal');

promise_test(async () => {
  const r = new Request('https://test.swhost/x');
  assert_equals(await r.text(), '');
  assert_false(r.bodyUsed, 'a null body is not used by reading it');
  assert_equals(await r.text(), '', 'and can be read again');
  const resp = new Response(null);
  assert_equals((await resp.arrayBuffer()).byteLength, 0);
  assert_false(resp.bodyUsed);
  const full = new Response('x');
  await full.text();
  assert_true(full.bodyUsed);
  await promise_rejects_js(null, TypeError, full.text());
}, 'reading a null body does not set bodyUsed');

importScripts('/harness.js');

test(() => {
  const h = new Headers({ 'Content-Type': 'text/plain', 'X-A': ' padded\t' });
  assert_equals(h.get('content-type'), 'text/plain');
  assert_equals(h.get('x-a'), 'padded', 'values are normalized');
  assert_true(h.has('CONTENT-TYPE'));
  assert_equals(h.get('missing'), null);
}, 'record init, case-insensitive names, value normalization');

test(() => {
  const h = new Headers([['a', '1'], ['b', '2'], ['a', '3']]);
  assert_equals(h.get('a'), '1, 3');
  assert_array_equals([...h.keys()], ['a', 'b']);
  assert_array_equals([...h.values()], ['1, 3', '2']);
  h.set('a', '4');
  assert_equals(h.get('a'), '4');
  h.delete('A');
  assert_false(h.has('a'));
}, 'sequence init, combining, sorted iteration, set and delete');

test(() => {
  assert_throws_js(TypeError, () => new Headers([['a']]));
  assert_throws_js(TypeError, () => new Headers({ 'bad name': 'x' }));
  assert_throws_js(TypeError, () => new Headers({ a: 'x\ny' }));
  assert_throws_js(TypeError, () => new Headers().get('bad name'));
  assert_throws_js(TypeError, () => new Headers(5));
}, 'invalid names, values and init throw TypeError');

test(() => {
  const h = new Headers();
  h.append('Set-Cookie', 'a=1');
  h.append('Set-Cookie', 'b=2');
  assert_array_equals(h.getSetCookie(), ['a=1', 'b=2']);
  const entries = [...h];
  assert_equals(entries.length, 2, 'set-cookie is not combined');
}, 'getSetCookie');

test(() => {
  const r = new Request('https://test.swhost/x', { headers: { 'Cookie': 'a', 'Host': 'evil', 'X-Ok': '1', 'Sec-Foo': 'x', 'Proxy-X': 'y' } });
  assert_equals(r.headers.get('cookie'), null);
  assert_equals(r.headers.get('host'), null);
  assert_equals(r.headers.get('sec-foo'), null);
  assert_equals(r.headers.get('proxy-x'), null);
  assert_equals(r.headers.get('x-ok'), '1');
}, 'request guard drops forbidden request headers');

test(() => {
  const r = new Request('https://test.swhost/x', { mode: 'no-cors', headers: { 'Accept': 'text/html', 'X-Custom': '1', 'Content-Type': 'application/json' } });
  assert_equals(r.headers.get('accept'), 'text/html');
  assert_equals(r.headers.get('x-custom'), null, 'not CORS-safelisted');
  assert_equals(r.headers.get('content-type'), null, 'content-type must be a safelisted value');
  const ok = new Request('https://test.swhost/x', { mode: 'no-cors', headers: { 'Content-Type': 'text/plain;charset=utf-8' } });
  assert_equals(ok.headers.get('content-type'), 'text/plain;charset=utf-8');
}, 'request-no-cors guard keeps only CORS-safelisted headers');

test(() => {
  const r = new Response('x', { headers: { 'Set-Cookie': 'a=1', 'X-A': '1' } });
  assert_equals(r.headers.get('set-cookie'), null);
  assert_equals(r.headers.get('x-a'), '1');
  const e = Response.error();
  assert_throws_js(TypeError, () => e.headers.set('a', 'b'), 'error response headers are immutable');
}, 'response guard and immutable guard');

test(() => {
  const h = new Headers({ b: '2', a: '1' });
  const seen = [];
  h.forEach((v, k, self) => { seen.push(k + '=' + v); assert_equals(self, h); });
  assert_array_equals(seen, ['a=1', 'b=2']);
}, 'forEach');

test(() => {
  assert_throws_js(TypeError, () => new Headers(null));
  assert_throws_js(TypeError, () => new Response('', { headers: null }));
  assert_equals([...new Headers(undefined)].length, 0);
}, 'Headers(null) is a TypeError');

test(() => {
  const h = new Headers([['b', '2'], ['a', '1']]);
  const it = h.keys();
  const proto = Object.getPrototypeOf(it);
  const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
  assert_equals(Object.getPrototypeOf(proto), iteratorPrototype, 'the prototype of the iterator prototype');
  assert_equals(Object.prototype.toString.call(it), '[object Headers Iterator]');
  assert_equals(Object.getPrototypeOf(h.values()), proto, 'keys, values and entries share one prototype');
  assert_equals(Object.getPrototypeOf(h.entries()), proto);
  assert_equals(Headers.prototype[Symbol.iterator], Headers.prototype.entries);
  assert_equals(Object.prototype.toString.call(h), '[object Headers]');
  assert_throws_js(TypeError, () => proto.next.call({}));
  assert_false(Object.getOwnPropertyNames(proto).includes('return'), 'no return(): not a generator');
}, 'Headers iterators are WebIDL pair iterators');

test(() => {
  const h = new Headers([['a', '1'], ['c', '3']]);
  const it = h.keys();
  assert_equals(it.next().value, 'a');
  h.append('b', '2');
  assert_equals(it.next().value, 'b', 'the list is read at each step: b is now second');
  h.append('d', '4');
  assert_equals(it.next().value, 'c');
  assert_equals(it.next().value, 'd');
  assert_true(it.next().done);
  const seen = [];
  h.forEach((v, n) => { seen.push(n); if (n === 'a') h.delete('b'); });
  assert_array_equals(seen, ['a', 'c', 'd']);
}, 'Headers iteration is live');

test(() => {
  const h = new Headers([['set-cookie', 'a=1'], ['x', '1'], ['Set-Cookie', 'b=2'], ['x', '2']]);
  assert_array_equals([...h].map(p => p.join(': ')), ['set-cookie: a=1', 'set-cookie: b=2', 'x: 1, 2']);
  const it = h.entries();
  assert_array_equals(it.next().value, ['set-cookie', 'a=1']);
  h.append('set-cookie', 'c=3');
  assert_array_equals(it.next().value, ['set-cookie', 'b=2']);
  assert_array_equals(it.next().value, ['set-cookie', 'c=3'], 'a set-cookie added during iteration is seen');
  assert_array_equals(h.getSetCookie(), ['a=1', 'b=2', 'c=3']);
}, 'Headers iteration keeps set-cookie headers apart, live');

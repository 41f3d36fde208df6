importScripts('/harness.js');

test(() => {
  const u = new URL('../a/b?x=1#h', 'https://EXAMPLE.com:443/p/q/r');
  assert_equals(u.href, 'https://example.com/p/a/b?x=1#h');
  assert_equals(u.origin, 'https://example.com');
  assert_equals(u.protocol, 'https:');
  assert_equals(u.host, 'example.com');
  assert_equals(u.port, '');
  assert_equals(u.pathname, '/p/a/b');
  assert_equals(u.search, '?x=1');
  assert_equals(u.hash, '#h');
  assert_equals(JSON.stringify({ u }), '{"u":"https://example.com/p/a/b?x=1#h"}');
}, 'parsing against a base');

test(() => {
  assert_throws_js(TypeError, () => new URL('nope'));
  assert_throws_js(TypeError, () => new URL('/x', 'nope'));
  assert_false(URL.canParse('nope'));
  assert_true(URL.canParse('/x', 'https://a.test'));
  assert_equals(URL.parse('nope'), null);
  assert_equals(URL.parse('/x', 'https://a.test').href, 'https://a.test/x');
  assert_equals(new URL('https://xn--nxasmq6b.com').hostname, 'xn--nxasmq6b.com');
  assert_equals(new URL('https://\u03b2\u03cc\u03bb\u03bf\u03c2.com').hostname, 'xn--nxasmm1c.com');
}, 'invalid input, canParse, parse, IDNA');

test(() => {
  const u = new URL('https://a.test/p?q=1');
  u.pathname = '/new path';
  assert_equals(u.pathname, '/new%20path');
  u.port = '8443';
  assert_equals(u.host, 'a.test:8443');
  u.port = 'bad';
  assert_equals(u.port, '8443', 'invalid port ignored');
  u.hash = 'x';
  assert_equals(u.href, 'https://a.test:8443/new%20path?q=1#x');
  assert_throws_js(TypeError, () => { u.href = 'not a url'; });
  u.protocol = 'http';
  assert_equals(u.protocol, 'http:');
}, 'setters');

test(() => {
  const p = new URLSearchParams('?a=1&b=2&a=3&c=%20x+y');
  assert_equals(p.get('a'), '1');
  assert_array_equals(p.getAll('a'), ['1', '3']);
  assert_equals(p.get('c'), ' x y');
  assert_equals(p.size, 4);
  assert_true(p.has('b'));
  assert_true(p.has('a', '3'));
  assert_false(p.has('a', '4'));
  p.append('d', 'é&=');
  assert_equals(p.toString(), 'a=1&b=2&a=3&c=+x+y&d=%C3%A9%26%3D');
  p.delete('a');
  p.set('b', '9');
  assert_equals(p.toString(), 'b=9&c=+x+y&d=%C3%A9%26%3D');
  const s = new URLSearchParams([['z', '1'], ['a', '2'], ['z', '0']]);
  s.sort();
  assert_equals(s.toString(), 'a=2&z=1&z=0', 'stable sort');
  assert_equals(new URLSearchParams({ k: 'v' }).toString(), 'k=v');
  assert_throws_js(TypeError, () => new URLSearchParams([['a']]));
}, 'URLSearchParams');

test(() => {
  const u = new URL('https://a.test/?x=1');
  const p = u.searchParams;
  assert_equals(p, u.searchParams, 'same object');
  p.append('y', '2');
  assert_equals(u.href, 'https://a.test/?x=1&y=2');
  u.search = '?z=3';
  assert_equals(p.get('z'), '3');
  assert_false(p.has('x'));
  p.delete('z');
  assert_equals(u.href, 'https://a.test/');
}, 'URL.searchParams stays in sync');

test(() => {
  assert_throws_js(TypeError, () => new URL(), 'no argument');
  assert_throws_js(TypeError, () => new URL(undefined), 'undefined is not a URL');
  assert_equals(new URL(undefined, 'https://a.test/dir/').href, 'https://a.test/dir/undefined');
  assert_equals(new URL('x', undefined === 1 ? '' : 'https://a.test/').href, 'https://a.test/x');
  assert_equals(URL.length, 1);
}, 'URL constructor arguments');

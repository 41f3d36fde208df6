importScripts('/harness.js');

test(() => {
  const p = new URLPattern({ pathname: '/books/:id' });
  assert_equals(p.pathname, '/books/:id');
  assert_equals(p.protocol, '*');
  assert_true(p.test('https://example.com/books/7'));
  assert_false(p.test('https://example.com/films/7'));
  const r = p.exec('https://example.com/books/7?x=1');
  assert_equals(r.pathname.groups.id, '7');
  assert_equals(r.pathname.input, '/books/7');
  assert_equals(r.search.input, 'x=1');
  assert_equals(r.inputs[0], 'https://example.com/books/7?x=1');
  assert_equals(p.exec('https://example.com/films/7'), null);
  assert_false(p.hasRegExpGroups);
}, 'init dictionary, test and exec');

test(() => {
  const p = new URLPattern('/api/*', 'https://api.test');
  assert_equals(p.hostname, 'api.test');
  assert_true(p.test('https://api.test/api/v1/x'));
  assert_true(p.test('/api/y', 'https://api.test'));
  assert_true(p.test({ hostname: 'api.test', pathname: '/api/z', protocol: 'https' }));
  const ci = new URLPattern({ pathname: '/Books' }, { ignoreCase: true });
  assert_true(ci.test('https://a.test/books'));
  assert_true(new URLPattern({ pathname: '/(\\d+)' }).hasRegExpGroups);
}, 'constructor string with base; options; init input');

test(() => {
  assert_throws_js(TypeError, () => new URLPattern({ pathname: '/(' }));
  assert_throws_js(TypeError, () => new URLPattern('/relative'));
  assert_throws_js(TypeError, () => new URLPattern({ pathname: '/x' }, 'https://base.test'));
}, 'invalid patterns throw TypeError');

test(() => {
  const r = new URLPattern({ pathname: '/books/:id?' }).exec({ pathname: '/books' });
  assert_true('id' in r.pathname.groups, 'the group is listed');
  assert_equals(r.pathname.groups.id, undefined);
  const u = new URLPattern({ pathname: '/x(/y)?' }).exec('https://a.test/x');
  assert_equals(u.pathname.groups['0'], undefined);
  assert_array_equals(Object.keys(u.pathname.groups), ['0']);
}, 'exec() gives undefined for an optional group that did not take part');

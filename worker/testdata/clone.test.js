importScripts('/harness.js');

test(() => {
  const d = new Date(1e12);
  const src = { a: 1, s: 'x', n: null, u: undefined, big: 10n, d, r: /a+/gi, arr: [1, , 3], m: new Map([[1, { x: 1 }]]), set: new Set(['k']), nested: { deep: [true] } };
  src.self = src;
  const c = structuredClone(src);
  assert_not_equals(c, src);
  assert_equals(c.a, 1);
  assert_equals(c.big, 10n);
  assert_true(c.d instanceof Date);
  assert_equals(c.d.getTime(), 1e12);
  assert_not_equals(c.d, d);
  assert_equals(c.r.source, 'a+');
  assert_equals(c.r.flags, 'gi');
  assert_equals(c.arr.length, 3);
  assert_false(1 in c.arr, 'holes are kept');
  assert_equals(c.m.get(1).x, 1);
  assert_true(c.set.has('k'));
  assert_equals(c.self, c, 'cycles are kept');
  assert_true('u' in c);
}, 'values, dates, regexps, maps, sets, cycles');

test(() => {
  const buf = new Uint8Array([1, 2, 3]);
  const c = structuredClone({ buf, view: new DataView(buf.buffer, 1) });
  assert_true(c.buf instanceof Uint8Array);
  assert_array_equals(c.buf, [1, 2, 3]);
  c.buf[0] = 9;
  assert_equals(buf[0], 1, 'a copy');
  assert_equals(c.view.getUint8(0), 2);
  assert_equals(c.view.buffer, c.buf.buffer, 'shared buffers stay shared');
}, 'typed arrays and buffers');

test(() => {
  const e = structuredClone(new RangeError('bad'));
  assert_true(e instanceof RangeError);
  assert_equals(e.message, 'bad');
  assert_throws_dom('DataCloneError', () => structuredClone(() => 1));
  assert_throws_dom('DataCloneError', () => structuredClone({ f() {} }));
  assert_throws_dom('DataCloneError', () => structuredClone(Symbol('s')));
  assert_throws_dom('DataCloneError', () => structuredClone(new WeakMap()));
  assert_throws_dom('DataCloneError', () => structuredClone(Promise.resolve()));
  assert_throws_js(TypeError, () => structuredClone());
}, 'errors; uncloneable values throw DataCloneError');

test(() => {
  class K { constructor() { this.x = 1; } }
  const c = structuredClone(new K());
  assert_equals(Object.getPrototypeOf(c), Object.prototype, 'class instances become plain objects');
  assert_equals(c.x, 1);
  const b = structuredClone(new Boolean(false));
  assert_equals(typeof b, 'object');
  assert_equals(b.valueOf(), false);
}, 'class instances and wrappers');

test(() => {
  // EscapeRegExpPattern, as engines show it (the structured clone
  // battery's "RegExp slash" and "RegExp new line").
  assert_equals(new RegExp('/').source, '\\/');
  assert_equals(String(new RegExp('/')), '/\\//');
  assert_equals(structuredClone(new RegExp('/')).source, '\\/');
  assert_equals(structuredClone(new RegExp('a/b', 'gi')).toString(), '/a\\/b/gi');
  assert_equals(new RegExp('\n').source, '\\n');
  assert_equals(new RegExp('').source, '(?:)');
  assert_equals(/\\u002f/.source, '\\\\u002f', 'an escaped backslash before u002f stays');
  assert_true(new RegExp(new RegExp('/').source).test('/'), 'the source re-parses to the same regexp');
  assert_equals(RegExp.prototype.toString.call({ source: 'x', flags: 'y' }), '/x/y', 'toString is generic');
  assert_throws_js(TypeError, () => RegExp.prototype.toString.call(1));
  assert_equals(Object.getOwnPropertyDescriptor(RegExp.prototype, 'source').get.name, 'get source');
}, 'RegExp source escapes / as \\/');

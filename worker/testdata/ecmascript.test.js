// ecmascript.test.js: the built-ins of js/05_ecmascript.js (ECMAScript
// built-ins sobek lacks), following ECMA-262.
importScripts('/harness.js');

test(() => {
  for (const name of ['asyncIterator', 'dispose', 'asyncDispose']) {
    assert_equals(typeof Symbol[name], 'symbol', name);
    assert_equals(Symbol[name].description, 'Symbol.' + name);
    const d = Object.getOwnPropertyDescriptor(Symbol, name);
    assert_false(d.writable || d.enumerable || d.configurable, name + ' is read-only');
    assert_not_equals(Symbol[name], Symbol.for('Symbol.' + name), name + ' is not a registered symbol');
  }
}, 'well-known symbols');

test(() => {
  assert_equals(Array.fromAsync.length, 1);
  assert_equals(Array.fromAsync.name, 'fromAsync');
  assert_false(Object.getOwnPropertyDescriptor(Array, 'fromAsync').enumerable);
  assert_throws_js(TypeError, () => new Array.fromAsync([]));
}, 'Array.fromAsync is a method, not a constructor');

promise_test(async () => {
  const items = ['a', 'b'];
  const asyncIterable = {
    [Symbol.asyncIterator]() {
      let i = 0;
      return { next: async () => (i < items.length ? { value: items[i++], done: false } : { value: undefined, done: true }) };
    },
  };
  const seen = [];
  const out = await Array.fromAsync(asyncIterable, function (v, i) { seen.push(this.p + i); return v.toUpperCase(); }, { p: '#' });
  assert_array_equals(out, ['A', 'B']);
  assert_array_equals(seen, ['#0', '#1']);
  assert_true(Array.isArray(out));
}, 'Array.fromAsync: an async iterable, with a mapper and thisArg');

promise_test(async () => {
  assert_array_equals(await Array.fromAsync(new Set([Promise.resolve(1), 2])), [1, 2], 'sync iterable: values awaited');
  assert_array_equals(await Array.fromAsync({ length: 2, 0: Promise.resolve('x'), 1: 'y' }), ['x', 'y'], 'array-like');
  assert_array_equals(await Array.fromAsync([1, 2], async (v) => v * 2), [2, 4], 'mapper results awaited');
}, 'Array.fromAsync: sync iterables and array-likes');

promise_test(async () => {
  const p = Array.fromAsync([], 'not callable');
  assert_true(p instanceof Promise, 'argument errors reject, they do not throw');
  await promise_rejects_js(null, TypeError, p);
  await promise_rejects_js(null, TypeError, Array.fromAsync(null));
}, 'Array.fromAsync rejects bad arguments');

promise_test(async () => {
  let closed = 0;
  const it = {
    [Symbol.asyncIterator]() {
      return { next: async () => ({ value: 1, done: false }), return: async () => { closed++; return {}; } };
    },
  };
  const boom = new Error('boom');
  const err = await Array.fromAsync(it, () => { throw boom; }).then(() => null, (e) => e);
  assert_equals(err, boom);
  assert_equals(closed, 1, 'the async iterator was closed');

  let syncClosed = 0;
  const sync = {
    [Symbol.iterator]() {
      return { next: () => ({ value: Promise.reject(boom), done: false }), return: () => { syncClosed++; return {}; } };
    },
  };
  assert_equals(await Array.fromAsync(sync).then(() => null, (e) => e), boom);
  assert_equals(syncClosed, 1, 'a rejected value closes the sync iterator');
}, 'Array.fromAsync closes the iterator on errors');

promise_test(async () => {
  function C(n) { this.args = arguments.length; this.n = n; }
  const a = await Array.fromAsync.call(C, [1, 2]);
  assert_true(a instanceof C);
  assert_equals(a.args, 0, 'iterables: constructed without arguments');
  assert_equals(a.length, 2);
  const b = await Array.fromAsync.call(C, { length: 3 });
  assert_equals(b.n, 3, 'array-likes: constructed with the length');
  assert_true(Array.isArray(await Array.fromAsync.call({}, [1])), 'a non-constructor receiver gives an Array');
}, 'Array.fromAsync with a constructor as this');

test(() => {
  const e = new Error('e');
  const s = new SuppressedError(e, 'sup', 'msg');
  assert_true(s instanceof SuppressedError && s instanceof Error);
  assert_equals(s.error, e);
  assert_equals(s.suppressed, 'sup');
  assert_equals(s.message, 'msg');
  assert_equals(s.name, 'SuppressedError');
  assert_equals(String(s), 'SuppressedError: msg');
  assert_false(Object.getOwnPropertyDescriptor(s, 'error').enumerable);
  assert_false(Object.hasOwn(SuppressedError(1, 2), 'message'), 'called without new, no message');
  assert_equals(SuppressedError.length, 3);
  assert_equals(Object.getPrototypeOf(SuppressedError), Error);
  assert_equals(typeof s.stack, 'string');
}, 'SuppressedError');

promise_test(async () => {
  const { promise, resolve, reject } = Promise.withResolvers();
  assert_true(promise instanceof Promise);
  resolve(1);
  reject(2);
  assert_equals(await promise, 1);
  class P extends Promise {}
  assert_true(P.withResolvers().promise instanceof P, 'uses the receiver');
  assert_throws_js(TypeError, () => Promise.withResolvers.call({}));

  assert_equals(await Promise.try((a, b) => a + b, 1, 2), 3);
  const boom = new Error('boom');
  await promise_rejects_js(null, Error, Promise.try(() => { throw boom; }));
  assert_equals(Promise.try.length, 1);
  assert_throws_js(TypeError, () => Promise.try.call(1, () => {}));
}, 'Promise.withResolvers and Promise.try');

test(() => {
  const g = Object.groupBy([1, 2, 3, 4], (x, i) => (i < 2 ? 'low' : 'high'));
  assert_equals(Object.getPrototypeOf(g), null);
  assert_array_equals(Object.keys(g), ['low', 'high']);
  assert_array_equals(g.high, [3, 4]);
  const k = { toString: () => 'key' };
  assert_array_equals(Object.groupBy(['x'], () => k).key, ['x'], 'keys become property keys');

  const obj = {};
  const m = Map.groupBy([1, 2, 3], (x) => (x === 1 ? -0 : x === 2 ? obj : 0));
  assert_true(m instanceof Map);
  assert_array_equals(m.get(0), [1, 3], '-0 and +0 are one key');
  assert_array_equals(m.get(obj), [2], 'object keys by identity');
  assert_array_equals([...m.keys()].map((x) => Object.is(x, -0)), [false, false]);

  let closed = false;
  const it = { [Symbol.iterator]() { return { next: () => ({ value: 1, done: false }), return: () => { closed = true; return {}; } }; } };
  assert_throws_js(RangeError, () => Object.groupBy(it, () => { throw new RangeError('x'); }));
  assert_true(closed, 'a throwing callback closes the iterator');
  assert_throws_js(TypeError, () => Map.groupBy([], 'x'));
  assert_throws_js(TypeError, () => Object.groupBy(null, () => 1));
}, 'Object.groupBy and Map.groupBy');

test(() => {
  assert_true('a\ud83d\ude00b'.isWellFormed());
  assert_false('a\ud83d'.isWellFormed());
  assert_false('\ude00a'.isWellFormed());
  assert_equals('a\ud83d\ude00\ud83d'.toWellFormed(), 'a\ud83d\ude00\ufffd');
  assert_equals('\ude00\ud800x'.toWellFormed(), '\ufffd\ufffdx');
  assert_equals(String.prototype.toWellFormed.call(12), '12');
  assert_throws_js(TypeError, () => String.prototype.isWellFormed.call(null));
  assert_throws_js(TypeError, () => String.prototype.toWellFormed.call(Symbol('s')));
}, 'String.prototype.isWellFormed and toWellFormed');

test(() => {
  assert_equals(typeof Float16Array, 'function');
  const a = new Float16Array([1.5, 65520, -0, 0.1]);
  assert_equals(a.length, 4);
  assert_equals(a.BYTES_PER_ELEMENT, 2);
  assert_equals(a[0], 1.5);
  assert_equals(a[1], Infinity, '65520 rounds to infinity in binary16');
  assert_true(Object.is(a[2], -0));
  assert_equals(a[3], 0.0999755859375);
  assert_equals(Math.f16round(5.0000001), 5);
  assert_equals(Math.f16round(65504), 65504);
  const dv = new DataView(new ArrayBuffer(4));
  dv.setFloat16(0, 1.5);
  assert_equals(dv.getUint16(0), 0x3e00, 'big endian by default');
  dv.setFloat16(2, -2, true);
  assert_equals(dv.getFloat16(2, true), -2);
  assert_equals(Array.from(a.subarray(0, 1)).join(), '1.5');
  assert_false(Object.keys(self).includes('Float16Array'));
}, 'Float16Array, Math.f16round and DataView half floats (ES2025)');

test(() => {
  // %TypedArray%.from over a string iterates its code points
  // (ECMA-262 TypedArrayFrom: GetMethod reads String.prototype's
  // iterator), with or without a mapping function.
  assert_equals(Uint8Array.from(atob('AQID'), (c) => c.charCodeAt(0)).join(), '1,2,3');
  assert_equals(Uint8Array.from('123').join(), '1,2,3');
  assert_equals(Uint16Array.from('\u{1F600}a', (c) => c.length).join(), '2,1', 'by code points');
  assert_equals(Float64Array.from('', Number).length, 0);
  const self = {};
  assert_equals(Int8Array.from('ab', function (c, i) { return this === self ? i : -1; }, self).join(), '0,1', 'thisArg and index');
  assert_throws_js(TypeError, () => Uint8Array.from('1', 'not callable'));
  assert_equals(Uint8Array.from([1, 2]).join(), '1,2');
  assert_equals(Uint8Array.from({ length: 2, 0: 7 }).join(), '7,0');
  class U extends Uint8Array {}
  assert_true(U.from('12') instanceof U, 'the receiver constructs');
  assert_equals(Object.getPrototypeOf(Uint8Array).from.length, 1);
  assert_equals(Object.getPrototypeOf(Uint8Array).from.name, 'from');
}, 'TypedArray.from over a string');

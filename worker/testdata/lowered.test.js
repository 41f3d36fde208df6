// lowered.test.js: modern syntax that esbuild lowers when the script is
// compiled (worker/lower.go): async generators, for await, using. The
// whole file is lowered, so the native syntax in it must survive that too.
importScripts('/harness.js');

promise_test(async () => {
  const log = [];
  const res = (name) => ({ [Symbol.dispose]() { log.push(name); } });
  {
    using a = res('a');
    using b = res('b');
    using nothing = null;
    log.push('body');
  }
  assert_array_equals(log, ['body', 'b', 'a'], 'disposed in reverse order');

  const first = new Error('first');
  const second = new Error('second');
  let caught;
  try {
    using x = { [Symbol.dispose]() { throw second; } };
    throw first;
  } catch (e) {
    caught = e;
  }
  assert_true(caught instanceof SuppressedError, 'a disposal error suppresses the body error');
  assert_equals(caught.error, second);
  assert_equals(caught.suppressed, first);

  log.length = 0;
  {
    await using y = { async [Symbol.asyncDispose]() { await null; log.push('async'); } };
    log.push('body');
  }
  assert_array_equals(log, ['body', 'async'], 'await using waits for the disposal');
  assert_throws_js(TypeError, () => { using z = {}; }, 'a value without Symbol.dispose');
}, 'using and await using (lowered)');

promise_test(async () => {
  const log = [];
  async function* gen() {
    try {
      log.push('start');
      const got = yield 1;
      log.push('got ' + got);
      yield await Promise.resolve(2);
      yield* (async function* () { yield 3; })();
      yield 4;
    } finally {
      log.push('finally');
    }
  }
  const it = gen();
  assert_equals(it[Symbol.asyncIterator](), it);
  assert_equals((await it.next('ignored')).value, 1);
  assert_equals((await it.next('x')).value, 2);
  assert_equals((await it.next()).value, 3);
  const r = await it.return('early');
  assert_equals(r.value, 'early');
  assert_true(r.done);
  assert_array_equals(log, ['start', 'got x', 'finally']);

  const queued = gen();
  const results = await Promise.all([queued.next(), queued.next(), queued.next()]);
  assert_array_equals(results.map((x) => x.value), [1, 2, 3], 'next() calls queue');

  const thrower = gen();
  await thrower.next();
  await promise_rejects_js(null, RangeError, thrower.throw(new RangeError('in')));
}, 'async generators (lowered): next, return, throw, yield*, queueing');

promise_test(async () => {
  let returned = 0;
  const source = {
    [Symbol.asyncIterator]() {
      let i = 0;
      return { next: async () => ({ value: i++, done: false }), return: async () => { returned++; return { done: true }; } };
    },
  };
  const seen = [];
  for await (const x of source) {
    if (x === 2) break;
    seen.push(x);
  }
  assert_array_equals(seen, [0, 1]);
  assert_equals(returned, 1, 'break closes the iterator');

  const values = [];
  for await (const v of [Promise.resolve('a'), 'b']) values.push(v);
  assert_array_equals(values, ['a', 'b'], 'for await over a sync iterable awaits its values');
}, 'for await (lowered)');

test(() => {
  class A {
    static #count = 0;
    static { A.#count = 2; }
    #secret = 1;
    static peek(a) { return #secret in a ? a.#secret + A.#count : -1; }
  }
  let v = null;
  v ??= A.peek(new A());
  assert_equals(v, 3);
}, 'native syntax survives lowering: private fields, static blocks, ??=');

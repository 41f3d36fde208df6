// harness.js: a tiny test harness in the style of web-platform-tests'
// testharness.js, written for swhost. A test file imports it with
// importScripts('/harness.js') and declares tests; the Go driver fetches
// https://test.swhost/__results after evaluation, which answers with every
// result once all tests have finished.
(function (global) {
  'use strict';
  const results = [];
  const pending = [];

  class AssertionError extends Error {
    constructor(message) { super(message); this.name = 'AssertionError'; }
  }
  function fmt(v) {
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'number' && Object.is(v, -0)) return '-0';
    if (typeof v === 'function') return 'function ' + (v.name || '(anonymous)');
    if (Array.isArray(v)) return '[' + v.map(fmt).join(', ') + ']';
    try { return String(v); } catch (e) { return Object.prototype.toString.call(v); }
  }
  function fail(msg, description) {
    throw new AssertionError((description ? description + ': ' : '') + msg);
  }
  function same(a, b) { return Object.is(a, b); }

  function assert_equals(actual, expected, description) {
    if (!same(actual, expected)) fail('expected ' + fmt(expected) + ' but got ' + fmt(actual), description);
  }
  function assert_not_equals(actual, expected, description) {
    if (same(actual, expected)) fail('got disallowed value ' + fmt(actual), description);
  }
  function assert_true(actual, description) {
    if (actual !== true) fail('expected true got ' + fmt(actual), description);
  }
  function assert_false(actual, description) {
    if (actual !== false) fail('expected false got ' + fmt(actual), description);
  }
  function assert_array_equals(actual, expected, description) {
    if (!actual || typeof actual.length !== 'number') fail('expected an array-like, got ' + fmt(actual), description);
    if (actual.length !== expected.length) fail('lengths differ, expected ' + fmt(expected) + ' got ' + fmt(Array.from(actual)), description);
    for (let i = 0; i < expected.length; i++) {
      if (!same(actual[i], expected[i])) fail('expected ' + fmt(expected) + ' got ' + fmt(Array.from(actual)) + ' (index ' + i + ')', description);
    }
  }
  function assert_in_array(actual, expected, description) {
    if (!expected.some(e => same(e, actual))) fail(fmt(actual) + ' is not in ' + fmt(expected), description);
  }
  function assert_unreached(description) { fail('reached unreachable code', description); }
  function assert_throws_js(ctor, fn, description) {
    try {
      fn();
    } catch (e) {
      if (e === null || typeof e !== 'object') fail('threw ' + fmt(e) + ', not an object', description);
      if (e.constructor !== ctor) fail('threw ' + (e.name || e) + ': ' + e.message + ', expected a ' + ctor.name, description);
      return e;
    }
    fail('did not throw, expected a ' + ctor.name, description);
  }
  function assert_throws_dom(name, fn, description) {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof DOMException)) fail('threw ' + fmt(e) + ', expected a DOMException ' + name, description);
      if (e.name !== name) fail('threw DOMException ' + e.name + ': ' + e.message + ', expected ' + name, description);
      return e;
    }
    fail('did not throw, expected a DOMException ' + name, description);
  }
  function promise_rejects_js(t, ctor, promise, description) {
    return Promise.resolve(promise).then(
      () => fail('promise resolved, expected a ' + ctor.name + ' rejection', description),
      e => { if (!e || e.constructor !== ctor) fail('rejected with ' + fmt(e) + ', expected a ' + ctor.name, description); });
  }
  function promise_rejects_dom(t, name, promise, description) {
    return Promise.resolve(promise).then(
      () => fail('promise resolved, expected a DOMException ' + name, description),
      e => { if (!(e instanceof DOMException) || e.name !== name) fail('rejected with ' + fmt(e) + ', expected DOMException ' + name, description); });
  }

  function record(name, err) {
    if (err === undefined) results.push({ name, status: 'PASS' });
    else results.push({ name, status: 'FAIL', message: err && err.message !== undefined ? String(err.name) + ': ' + err.message : String(err), stack: err && err.stack ? String(err.stack) : '' });
  }
  function makeT(name) {
    const cleanups = [];
    return {
      name,
      step_func: (fn) => fn,
      add_cleanup: (fn) => cleanups.push(fn),
      step_timeout: (fn, ms) => setTimeout(fn, ms),
      unreached_func: (msg) => () => assert_unreached(msg),
      _cleanup: () => { for (const c of cleanups) c(); },
    };
  }
  function test(fn, name) {
    const t = makeT(name);
    try { fn(t); record(name); } catch (e) { record(name, e); }
    t._cleanup();
  }
  function promise_test(fn, name) {
    const t = makeT(name);
    // Promise tests run one after another, as in testharness.js.
    const prev = pending.length ? pending[pending.length - 1] : Promise.resolve();
    const p = prev.then(() => {
      let r;
      try { r = fn(t); } catch (e) { record(name, e); return; }
      if (!r || typeof r.then !== 'function') { record(name, new AssertionError('promise_test: test body must return a promise')); return; }
      return r.then(() => record(name), e => record(name, e)).finally(() => t._cleanup());
    });
    pending.push(p);
  }

  const api = {
    test, promise_test, assert_equals, assert_not_equals, assert_true, assert_false, assert_array_equals,
    assert_in_array, assert_unreached, assert_throws_js, assert_throws_dom, promise_rejects_js, promise_rejects_dom,
  };
  for (const k of Object.keys(api)) global[k] = api[k];

  global.addEventListener('fetch', (event) => {
    if (event.request.url !== 'https://test.swhost/__results') return;
    event.respondWith(Promise.all(pending).then(() => Response.json(results)));
  });
})(self);

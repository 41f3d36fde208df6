importScripts('/harness.js');

test(() => {
  const detail = { a: 1 };
  const ev = new CustomEvent('touch', { detail, bubbles: true });
  assert_equals(ev.type, 'touch');
  assert_equals(ev.detail, detail);
  assert_true(ev.bubbles);
  assert_false(ev.cancelable);
  assert_true(ev instanceof Event);
  assert_equals(Object.getPrototypeOf(CustomEvent.prototype), Event.prototype);
}, 'CustomEvent carries its detail and the EventInit members');

test(() => {
  assert_equals(new CustomEvent('x').detail, null);
  assert_equals(new CustomEvent('x', {}).detail, null);
  assert_equals(new CustomEvent('x', { detail: undefined }).detail, null);
  assert_equals(new CustomEvent('x', { detail: 0 }).detail, 0);
}, 'CustomEvent detail defaults to null');

test(() => {
  assert_throws_js(TypeError, () => new CustomEvent());
  assert_throws_js(TypeError, () => new CustomEvent('x', 5));
  assert_throws_js(TypeError, () => Object.getOwnPropertyDescriptor(CustomEvent.prototype, 'detail').get.call(new Event('x')));
  assert_throws_js(TypeError, () => CustomEvent.prototype.initCustomEvent.call({}, 'x'));
  assert_throws_js(TypeError, () => new CustomEvent('x').initCustomEvent());
}, 'CustomEvent argument and receiver checks');

test(() => {
  const ev = new CustomEvent('a', { detail: 1 });
  ev.initCustomEvent('b', true, true, 2);
  assert_equals(ev.type, 'b');
  assert_true(ev.bubbles);
  assert_true(ev.cancelable);
  assert_equals(ev.detail, 2);
  ev.initCustomEvent('c');
  assert_equals(ev.detail, null);
  assert_false(ev.bubbles);
}, 'initCustomEvent reinitializes an event that is not being dispatched');

test(() => {
  const t = new EventTarget();
  let seen;
  t.addEventListener('a', (e) => { e.initCustomEvent('z', true, true, 'changed'); seen = [e.type, e.detail, e.bubbles]; });
  t.dispatchEvent(new CustomEvent('a', { detail: 'orig' }));
  assert_array_equals(seen, ['a', 'orig', false]);
}, 'initCustomEvent does nothing during dispatch');

test(() => {
  const t = new EventTarget();
  let got;
  t.addEventListener('ping', (e) => { got = e.detail; });
  t.dispatchEvent(new CustomEvent('ping', { detail: [1, 2] }));
  assert_array_equals(got, [1, 2]);
  self.addEventListener('hello', (e) => { got = e.detail; });
  self.dispatchEvent(new CustomEvent('hello', { detail: 'world' }));
  assert_equals(got, 'world');
}, 'CustomEvent dispatches on EventTarget and the global scope');

test(() => {
  const ev = new Event('a', { cancelable: true });
  ev.preventDefault();
  ev.initEvent('b', true);
  assert_equals(ev.type, 'b');
  assert_true(ev.bubbles);
  assert_false(ev.cancelable);
  assert_false(ev.defaultPrevented);
  assert_throws_js(TypeError, () => ev.initEvent());
}, 'Event.initEvent reinitializes the event');

test(() => {
  assert_equals(typeof performance, 'object');
  const a = performance.now();
  const b = performance.now();
  assert_true(typeof a === 'number' && a >= 0 && b >= a);
  assert_true(Math.abs(performance.timeOrigin + a - Date.now()) < 1000, 'timeOrigin + now() is about Date.now()');
  const j = performance.toJSON();
  assert_equals(j.timeOrigin, performance.timeOrigin);
  assert_true(performance instanceof Performance);
  assert_true(performance instanceof EventTarget);
  assert_throws_js(TypeError, () => new Performance());
}, 'performance: now, timeOrigin, toJSON');

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

test(() => {
  const ev = new ErrorEvent('error', { message: 'm', filename: 'f.js', lineno: 3, colno: 4, error: 42, cancelable: true });
  assert_array_equals([ev.message, ev.filename, ev.lineno, ev.colno, ev.error, ev.cancelable], ['m', 'f.js', 3, 4, 42, true]);
  const d = new ErrorEvent('x');
  assert_array_equals([d.message, d.filename, d.lineno, d.colno, d.error], ['', '', 0, 0, undefined]);
  assert_true(d instanceof Event);
  assert_throws_js(TypeError, () => Object.getOwnPropertyDescriptor(ErrorEvent.prototype, 'message').get.call(new Event('x')));
}, 'ErrorEvent');

promise_test(async () => {
  const seen = [];
  const onError = (e) => { seen.push([e.constructor.name, e.error && e.error.message, e.cancelable, e.lineno > 0, /events\.test\.js$/.test(e.filename)]); e.preventDefault(); };
  self.addEventListener('error', onError);
  const t = new EventTarget();
  t.addEventListener('x', () => { throw new Error('from a listener'); });
  t.dispatchEvent(new Event('x'));
  await new Promise((resolve) => setTimeout(() => { resolve(); throw new Error('from a timer'); }, 0));
  await new Promise((resolve) => setTimeout(resolve, 0));
  self.removeEventListener('error', onError);
  assert_equals(JSON.stringify(seen), JSON.stringify([['ErrorEvent', 'from a listener', true, true, true], ['ErrorEvent', 'from a timer', true, true, true]]));
}, 'uncaught exceptions of listeners and timers fire error at the global scope');

promise_test(async () => {
  const args = [];
  self.onerror = function (message, filename, lineno, colno, error) { args.push(typeof message, typeof filename, typeof lineno, error.message); return true; };
  const t = new EventTarget();
  t.addEventListener('x', () => { throw new Error('boom'); });
  t.dispatchEvent(new Event('x'));
  self.onerror = null;
  assert_array_equals(args, ['string', 'string', 'number', 'boom']);
  let inner = 0;
  const nested = () => { inner++; throw new Error('in the error listener'); };
  self.addEventListener('error', nested);
  t.dispatchEvent(new Event('x'));
  self.removeEventListener('error', nested);
  assert_equals(inner, 1, 'an exception of an error listener fires no error event of its own');
}, 'onerror gets the fields and cancels with true; no error event for errors of error listeners');

test(() => {
  const t = new EventTarget();
  t.addEventListener('x', (e) => e.preventDefault());
  assert_false(t.dispatchEvent(new Event('x', { cancelable: true })), 'a canceled event');
  assert_true(t.dispatchEvent(new Event('x')), 'not cancelable: preventDefault does nothing');
  const ev = new Event('message', { cancelable: true });
  self.onmessage = () => false;
  self.dispatchEvent(ev);
  self.onmessage = null;
  assert_true(ev.defaultPrevented, 'an event handler returning false cancels');
}, 'dispatchEvent reports cancellation; handlers returning false cancel');

promise_test(async () => {
  const events = [];
  const onUnhandled = (e) => { events.push('unhandled'); e.preventDefault(); };
  const onHandled = (e) => { events.push('handled:' + e.reason.message); };
  self.addEventListener('unhandledrejection', onUnhandled);
  self.addEventListener('rejectionhandled', onHandled);
  const p = Promise.reject(new Error('late'));
  await new Promise((resolve) => setTimeout(resolve, 0));
  await new Promise((resolve) => setTimeout(resolve, 0));
  p.catch(() => {});
  await new Promise((resolve) => setTimeout(resolve, 0));
  await new Promise((resolve) => setTimeout(resolve, 0));
  self.removeEventListener('unhandledrejection', onUnhandled);
  self.removeEventListener('rejectionhandled', onHandled);
  assert_array_equals(events, ['unhandled', 'handled:late']);
}, 'a rejection handled late fires rejectionhandled');

test(() => {
  performance.clearMarks();
  performance.clearMeasures();
  const a = performance.mark('a', { detail: { x: 1 } });
  assert_true(a instanceof PerformanceMark && a instanceof PerformanceEntry);
  assert_array_equals([a.name, a.entryType, a.duration], ['a', 'mark', 0]);
  assert_equals(a.detail.x, 1);
  const b = performance.mark('b', { startTime: a.startTime + 5 });
  const m = performance.measure('a-to-b', 'a', 'b');
  assert_equals(m.entryType, 'measure');
  assert_equals(m.startTime, a.startTime);
  assert_true(Math.abs(m.duration - 5) < 1e-9, 'duration ' + m.duration);
  const o = performance.measure('opts', { start: 'a', duration: 2, detail: 'd' });
  assert_array_equals([o.startTime, o.detail], [a.startTime, 'd']);
  assert_true(Math.abs(o.duration - 2) < 1e-9, 'duration ' + o.duration);
  const all = performance.measure('all');
  assert_equals(all.startTime, 0);
  assert_array_equals(performance.getEntriesByType('mark').map((e) => e.name), ['a', 'b']);
  assert_array_equals(performance.getEntriesByName('a-to-b').map((e) => e.entryType), ['measure']);
  assert_equals(performance.getEntries().length, 5);
  assert_throws_dom('SyntaxError', () => performance.measure('x', 'no such mark'));
  assert_throws_js(TypeError, () => performance.measure('x', { start: 'a' }, 'b'));
  assert_throws_js(TypeError, () => performance.measure('x', { detail: 1 }));
  assert_throws_js(TypeError, () => performance.mark('neg', { startTime: -1 }));
  assert_throws_js(TypeError, () => new PerformanceEntry());
  const free = new PerformanceMark('free');
  assert_equals(performance.getEntriesByName('free').length, 0, 'a PerformanceMark made directly is not buffered');
  assert_equals(free.toJSON().entryType, 'mark');
  performance.clearMarks('a');
  assert_array_equals(performance.getEntriesByType('mark').map((e) => e.name), ['b']);
  performance.clearMeasures();
  assert_equals(performance.getEntriesByType('measure').length, 0);
}, 'performance.mark, measure and the entry lists (User Timing)');

test(() => {
  // An event handler attribute on a target other than the global scope
  // (here an AbortSignal's onabort): its listener takes the place of the
  // first assignment among the target's listeners, a later assignment
  // replaces the function in that place, null disables it without losing
  // the place, `this` is the target, and returning false cancels.
  const c = new AbortController();
  const s = c.signal;
  const order = [];
  s.addEventListener('abort', () => order.push('a'));
  s.onabort = () => order.push('first');
  s.addEventListener('abort', () => order.push('b'));
  s.onabort = function (ev) { order.push(this === s ? 'handler' : 'wrong this'); };
  assert_equals(typeof s.onabort, 'function');
  const ev = new Event('abort', { cancelable: true });
  s.dispatchEvent(ev);
  assert_equals(order.join(','), 'a,handler,b');
  assert_false(ev.defaultPrevented);
  s.onabort = null;
  assert_equals(s.onabort, null);
  order.length = 0;
  s.dispatchEvent(new Event('abort'));
  assert_equals(order.join(','), 'a,b');
  s.onabort = () => { order.push('again'); return false; };
  order.length = 0;
  const ev2 = new Event('abort', { cancelable: true });
  assert_false(s.dispatchEvent(ev2));
  assert_equals(order.join(','), 'a,again,b', 'a handler set again keeps its first place');
  assert_true(ev2.defaultPrevented, 'a handler returning false cancels');
}, 'event handler attributes on a non-global target keep their place and cancel with false');

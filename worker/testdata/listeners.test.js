importScripts('/harness.js');

test(() => {
  const seen = [];
  self.addEventListener('probe', function (e) { 'use strict'; seen.push(this === self, e.currentTarget === self); });
  self.addEventListener('probe', function () { seen.push(this === self); });
  self.addEventListener('probe', (e) => seen.push(e.target === self));
  self.addEventListener('probe', { handleEvent(e) { seen.push(this !== self && e.type === 'probe'); } });
  self.dispatchEvent(new Event('probe'));
  assert_array_equals(seen, [true, true, true, true, true]);
}, 'listeners on the global scope get the global scope as this');

test(() => {
  const t = new EventTarget();
  let got;
  t.addEventListener('x', function () { 'use strict'; got = this; });
  t.dispatchEvent(new Event('x'));
  assert_equals(got, t);
}, 'listeners on an EventTarget get the target as this');

test(() => {
  const order = [];
  self.addEventListener('outer', () => {
    order.push('outer1');
    self.dispatchEvent(new Event('inner'));
    order.push('outer1-after');
  });
  self.addEventListener('outer', function () { 'use strict'; order.push(this === self ? 'outer2' : 'outer2-wrong-this'); });
  self.addEventListener('inner', () => order.push('inner'));
  self.dispatchEvent(new Event('outer'));
  assert_array_equals(order, ['outer1', 'inner', 'outer1-after', 'outer2']);
}, 'nested dispatch on the global scope');

test(() => {
  const symbols = Object.getOwnPropertySymbols(self).filter(s => Object.getOwnPropertyDescriptor(self, s).enumerable);
  assert_array_equals(symbols.map(String), []);
}, 'no enumerable internal symbols on the global scope');

test(() => {
  const t = new EventTarget();
  const seen = [];
  for (const type of ['__proto__', 'constructor', 'toString', '0', 'hasOwnProperty']) {
    t.addEventListener(type, (e) => seen.push(e.type));
    t.dispatchEvent(new Event(type));
  }
  assert_array_equals(seen, ['__proto__', 'constructor', 'toString', '0', 'hasOwnProperty']);
  t.dispatchEvent(new Event('valueOf'));
  assert_equals(seen.length, 5, 'no listener for a type never added');
}, 'event types that are names of Object.prototype members');

test(() => {
  const t = new EventTarget();
  const order = [];
  const type = { toString() { order.push('type'); return 'conv'; } };
  const options = { get capture() { order.push('capture'); return false; }, get once() { order.push('once'); return true; }, get signal() { order.push('signal'); return undefined; } };
  let n = 0;
  t.addEventListener(type, () => n++, options);
  assert_array_equals(order, ['type', 'capture', 'once', 'signal']);
  t.dispatchEvent(new Event('conv'));
  t.dispatchEvent(new Event('conv'));
  assert_equals(n, 1, 'once');
}, 'addEventListener converts the type, then reads capture, once and signal');

test(() => {
  const t = new EventTarget();
  const seen = [];
  const f = () => seen.push('f');
  t.addEventListener('d', f);
  t.addEventListener('d', f);
  t.addEventListener('d', f, true);
  t.dispatchEvent(new Event('d'));
  assert_array_equals(seen, ['f', 'f'], 'a duplicate is ignored; capture makes another listener');
  t.removeEventListener('d', f, { capture: true });
  t.removeEventListener('d', () => {});
  t.dispatchEvent(new Event('d'));
  assert_array_equals(seen, ['f', 'f', 'f']);
  t.removeEventListener('d', f);
  t.dispatchEvent(new Event('d'));
  assert_equals(seen.length, 3);
}, 'duplicates, capture and removal');

test(() => {
  const t = new EventTarget();
  const seen = [];
  const second = () => seen.push('second');
  t.addEventListener('r', () => { seen.push('first'); t.removeEventListener('r', second); });
  t.addEventListener('r', second);
  t.dispatchEvent(new Event('r'));
  assert_array_equals(seen, ['first'], 'a listener removed during dispatch does not run');
}, 'removal during dispatch');

test(() => {
  let late = 0;
  self.addEventListener('sole-probe', () => late++);
  assert_throws_js(TypeError, () => self.addEventListener(Symbol('s'), () => {}));
  assert_throws_js(TypeError, () => self.addEventListener('x', 1));
  self.addEventListener('x', null);
  self.dispatchEvent(new Event('sole-probe'));
  assert_equals(late, 1);
}, 'addEventListener on the global scope validates its arguments');

let handlerThis = [];
test(() => {
  self.onmessage = function () { 'use strict'; handlerThis.push(this === self); };
  self.dispatchEvent(new MessageEvent('message', { data: 1 }));
  assert_array_equals(handlerThis, [true]);
}, 'on* handlers on the global scope get the global scope as this');

test(() => {
  Object.freeze(self);
  self.dispatchEvent(new MessageEvent('message', { data: 2 }));
  assert_array_equals(handlerThis, [true, true]);
  let got;
  self.addEventListener = self.addEventListener; // no-op on a frozen object
  EventTarget.prototype.addEventListener.call(self, 'frozen', function () { 'use strict'; got = this; });
  self.dispatchEvent(new Event('frozen'));
  assert_equals(got, self);
}, 'listeners still run with the right this once the global scope is frozen');

test(() => {
  // The global scope is frozen (above): APIs built on first use still load.
  assert_equals(new URL('https://a.test/x?y=1').searchParams.get('y'), '1');
  assert_equals(new TextDecoder().decode(new TextEncoder().encode('hé')), 'hé');
  assert_equals(typeof crypto.randomUUID(), 'string');
  assert_true(URL === self.URL);
}, 'lazily built APIs load on a frozen global scope');

// The first plain listener of a type on the global scope is kept as the
// bare function until something needs its record: each path that does.
test(() => {
  const calls = [];
  const f = () => calls.push('f');
  self.addEventListener('bare-dup', f);
  self.addEventListener('bare-dup', f);
  self.addEventListener('bare-dup', f, false);
  self.dispatchEvent(new Event('bare-dup'));
  assert_array_equals(calls, ['f']);
}, 'the same listener added again to the global scope is ignored');

test(() => {
  const calls = [];
  const f = () => calls.push('f');
  self.addEventListener('bare-remove', f);
  self.removeEventListener('bare-remove', f, true);
  self.dispatchEvent(new Event('bare-remove'));
  self.removeEventListener('bare-remove', f);
  self.dispatchEvent(new Event('bare-remove'));
  assert_array_equals(calls, ['f']);
}, 'a first global listener is removed by removeEventListener with the same capture only');

test(() => {
  const calls = [];
  const f = () => calls.push('f');
  self.addEventListener('bare-more', f);
  self.addEventListener('bare-more', () => calls.push('g'));
  self.addEventListener('bare-more', f, { capture: true });
  self.addEventListener('bare-more', () => calls.push('once'), { once: true });
  self.dispatchEvent(new Event('bare-more'));
  self.dispatchEvent(new Event('bare-more'));
  assert_array_equals(calls, ['f', 'g', 'f', 'once', 'f', 'g', 'f']);
}, 'listeners added after a first global listener run after it, in order');

test(() => {
  const calls = [];
  self.addEventListener('bare-stop', (e) => { calls.push('a'); e.stopImmediatePropagation(); });
  self.addEventListener('bare-stop', () => calls.push('b'));
  self.dispatchEvent(new Event('bare-stop'));
  assert_array_equals(calls, ['a']);
}, 'stopImmediatePropagation in a first global listener stops the next');

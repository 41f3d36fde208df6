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

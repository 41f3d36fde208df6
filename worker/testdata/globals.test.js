importScripts('/harness.js');

test(() => {
  assert_equals(self, globalThis);
  assert_true(self instanceof ServiceWorkerGlobalScope);
  assert_true(self instanceof WorkerGlobalScope);
  assert_true(self instanceof EventTarget);
  assert_equals(typeof self.addEventListener, 'function');
  assert_equals(typeof skipWaiting, 'function');
}, 'self is the ServiceWorkerGlobalScope');

test(() => {
  assert_equals(location.href, 'https://test.swhost/globals.test.js');
  assert_equals(location.origin, 'https://test.swhost');
  assert_equals(location.pathname, '/globals.test.js');
  assert_equals(String(location), location.href);
  assert_equals(origin, 'https://test.swhost');
  assert_true(isSecureContext);
}, 'location, origin, isSecureContext');

test(() => {
  assert_equals(registration.scope, 'https://test.swhost/');
  assert_true(registration instanceof ServiceWorkerRegistration);
  assert_equals(registration.scopePattern, null, 'a legacy scope has no pattern');
  assert_true(clients instanceof Clients);
  assert_equals(typeof caches, 'object');
}, 'registration, clients and caches');

test(() => {
  assert_equals(typeof require, 'undefined');
  assert_equals(typeof process, 'undefined');
  assert_equals(typeof module, 'undefined');
  assert_equals(typeof Deno, 'undefined');
  assert_throws_js(TypeError, () => new ServiceWorkerGlobalScope());
  assert_throws_js(TypeError, () => new Crypto());
}, 'no host access; illegal constructors');

promise_test(async () => {
  const all = await clients.matchAll();
  assert_true(Array.isArray(all));
  assert_equals(all.length, 0);
  assert_equals(await clients.get('nope'), undefined);
  await clients.claim();
  await promise_rejects_js(null, TypeError, clients.matchAll({ type: 'bogus' }));
}, 'clients without a host backend');

test(() => {
  let got = null;
  const target = new EventTarget();
  const order = [];
  target.addEventListener('x', (e) => { got = e; order.push(1); });
  target.addEventListener('x', { handleEvent() { order.push(2); } });
  const once = () => order.push(3);
  target.addEventListener('x', once, { once: true });
  const ev = new Event('x', { cancelable: true });
  assert_true(target.dispatchEvent(ev));
  target.dispatchEvent(new Event('x'));
  assert_equals(got.target, target);
  assert_array_equals(order, [1, 2, 3, 1, 2]);
  assert_false(ev.isTrusted);
  assert_equals(ev.eventPhase, 0);
}, 'EventTarget order, handleEvent objects, once');

test(() => {
  const t = new EventTarget();
  const ev = new Event('y', { cancelable: true });
  t.addEventListener('y', (e) => e.preventDefault());
  assert_false(t.dispatchEvent(ev));
  assert_true(ev.defaultPrevented);
  const seen = [];
  t.addEventListener('z', (e) => { seen.push('a'); e.stopImmediatePropagation(); });
  t.addEventListener('z', () => seen.push('b'));
  t.dispatchEvent(new Event('z'));
  assert_array_equals(seen, ['a']);
  assert_throws_js(TypeError, () => new Event());
  assert_throws_js(TypeError, () => t.dispatchEvent({}));
}, 'preventDefault, stopImmediatePropagation, errors');

test(() => {
  const t = new EventTarget();
  const c = new AbortController();
  let n = 0;
  t.addEventListener('a', () => n++, { signal: c.signal });
  t.dispatchEvent(new Event('a'));
  c.abort();
  t.dispatchEvent(new Event('a'));
  assert_equals(n, 1);
}, 'addEventListener signal removes the listener');

test(() => {
  let calls = 0;
  self.onmessage = () => calls++;
  assert_equals(typeof self.onmessage, 'function');
  self.onmessage = null;
  assert_equals(self.onmessage, null);
}, 'on* handler attributes');

test(() => {
  const e = new ExtendableEvent('install');
  assert_throws_dom('InvalidStateError', () => e.waitUntil(Promise.resolve()), 'untrusted');
  const req = new Request('/x');
  const fe = new FetchEvent('fetch', { request: req, clientId: 'c1' });
  assert_equals(fe.request, req);
  assert_equals(fe.clientId, 'c1');
  assert_equals(fe.resultingClientId, '');
  assert_throws_dom('InvalidStateError', () => fe.respondWith(new Response('x')), 'not dispatching');
  assert_throws_js(TypeError, () => new FetchEvent('fetch', {}));
  const ie = new InstallEvent('install');
  assert_throws_dom('InvalidStateError', () => ie.registerForeignFetch({ scopes: ['/'], origins: ['*'] }));
}, 'event interfaces constructed by scripts');

test(() => {
  const e = new DOMException('m', 'NotFoundError');
  assert_equals(e.name, 'NotFoundError');
  assert_equals(e.message, 'm');
  assert_equals(e.code, 8);
  assert_true(e instanceof Error);
  assert_equals(DOMException.NOT_FOUND_ERR, 8);
  assert_equals(new DOMException().name, 'Error');
}, 'DOMException');

test(() => {
  assert_throws_dom('NetworkError', () => importScripts('/not-there.js'));
  assert_throws_dom('SyntaxError', () => importScripts('http://[bad'));
  importScripts('/helper.js');
  assert_equals(self.helperLoaded, true);
}, 'importScripts during evaluation');

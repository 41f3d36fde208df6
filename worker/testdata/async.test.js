importScripts('/harness.js');

promise_test(() => new Promise((resolve, reject) => {
  const order = [];
  setTimeout(() => order.push('t20'), 20);
  setTimeout((a, b) => order.push('t0:' + a + b), 0, 'x', 'y');
  queueMicrotask(() => order.push('micro'));
  Promise.resolve().then(() => order.push('promise'));
  const id = setTimeout(() => order.push('cleared'), 5);
  clearTimeout(id);
  setTimeout(() => {
    try {
      assert_array_equals(order, ['micro', 'promise', 't0:xy', 't20']);
      resolve();
    } catch (e) { reject(e); }
  }, 40);
}), 'timers are tasks; microtasks run first; clearTimeout');

promise_test(() => new Promise((resolve, reject) => {
  let n = 0;
  const id = setInterval(() => {
    n++;
    if (n === 3) {
      clearInterval(id);
      setTimeout(() => { try { assert_equals(n, 3); resolve(); } catch (e) { reject(e); } }, 30);
    }
  }, 1);
}), 'setInterval repeats until cleared');

test(() => {
  assert_throws_js(TypeError, () => setTimeout('code()', 1), 'string callbacks are not evaluated');
  assert_throws_js(TypeError, () => queueMicrotask(5));
  assert_true(setTimeout(() => {}, 0) > 0);
}, 'timer argument checks');

test(() => {
  const c = new AbortController();
  const s = c.signal;
  let events = 0;
  s.onabort = () => events++;
  s.addEventListener('abort', (e) => { assert_equals(e.type, 'abort'); events++; });
  assert_false(s.aborted);
  c.abort('why');
  c.abort('again');
  assert_true(s.aborted);
  assert_equals(s.reason, 'why');
  assert_equals(events, 2, 'abort fires once');
  try { s.throwIfAborted(); assert_unreached('should throw'); } catch (e) { assert_equals(e, 'why'); }
  const d = new AbortController();
  d.abort();
  assert_equals(d.signal.reason.name, 'AbortError');
  assert_true(d.signal.reason instanceof DOMException);
}, 'AbortController and AbortSignal');

promise_test(() => {
  const s = AbortSignal.timeout(5);
  return new Promise((resolve, reject) => {
    s.onabort = () => {
      try { assert_equals(s.reason.name, 'TimeoutError'); resolve(); } catch (e) { reject(e); }
    };
  });
}, 'AbortSignal.timeout');

test(() => {
  assert_true(AbortSignal.abort().aborted);
  const a = new AbortController(), b = new AbortController();
  const any = AbortSignal.any([a.signal, b.signal]);
  assert_false(any.aborted);
  b.abort('b');
  assert_true(any.aborted);
  assert_equals(any.reason, 'b');
  assert_throws_js(TypeError, () => new AbortSignal());
}, 'AbortSignal.abort and any');

promise_test(() => new Promise((resolve, reject) => {
  const ch = new MessageChannel();
  const got = [];
  ch.port2.onmessage = (e) => {
    got.push(e.data);
    if (got.length === 2) {
      try {
        assert_equals(got[0].n, 1);
        assert_equals(got[1], 'two');
        assert_true(e instanceof MessageEvent);
        resolve();
      } catch (err) { reject(err); }
    }
  };
  const obj = { n: 1 };
  ch.port1.postMessage(obj);
  obj.n = 99;
  ch.port1.postMessage('two');
}), 'MessageChannel delivers clones in order');

promise_test(() => new Promise((resolve, reject) => {
  const a = new MessageChannel(), b = new MessageChannel();
  b.port2.onmessage = (e) => {
    try {
      assert_equals(e.data, 'via transferred port');
      resolve();
    } catch (err) { reject(err); }
  };
  a.port2.onmessage = (e) => {
    const port = e.ports[0];
    port.postMessage('via transferred port');
  };
  a.port1.postMessage('take this', [b.port1]);
  assert_throws_dom('DataCloneError', () => a.port1.postMessage('x', [a.port1]));
}), 'transferring a MessagePort');

promise_test(() => new Promise((resolve, reject) => {
  const ch = new MessageChannel();
  ch.port1.postMessage('queued');
  setTimeout(() => {
    ch.port2.addEventListener('message', (e) => {
      try { assert_equals(e.data, 'queued'); resolve(); } catch (err) { reject(err); }
    });
    ch.port2.start();
  }, 5);
}), 'messages wait until the port is started');

promise_test(() => new Promise((resolve, reject) => {
  const p = Promise.reject(new Error('nobody listens'));
  const onEvent = (e) => {
    self.removeEventListener('unhandledrejection', onEvent);
    try {
      assert_true(e instanceof PromiseRejectionEvent);
      assert_equals(e.promise, p);
      assert_equals(e.reason.message, 'nobody listens');
      assert_true(e.cancelable);
      e.preventDefault();
      resolve();
    } catch (err) { reject(err); }
  };
  self.addEventListener('unhandledrejection', onEvent);
}), 'unhandledrejection is fired at the global scope');

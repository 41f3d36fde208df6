importScripts('/harness.js');

test(() => {
  const b = new ArrayBuffer(4);
  new Uint8Array(b).set([1, 2, 3, 4]);
  const c = structuredClone({ b, view: new Uint8Array(b, 1, 2) }, { transfer: [b] });
  assert_equals(b.byteLength, 0, 'the transferred buffer is detached');
  assert_equals(c.b.byteLength, 4);
  assert_array_equals(c.view, [2, 3]);
  assert_equals(c.view.buffer, c.b, 'the view shares the transferred buffer');
  assert_throws_dom('DataCloneError', () => structuredClone(b, { transfer: [b] }), 'a detached buffer');
  const d = new ArrayBuffer(1);
  assert_throws_dom('DataCloneError', () => structuredClone(d, { transfer: [d, d] }), 'a buffer twice');
  assert_throws_dom('DataCloneError', () => structuredClone(1, { transfer: [{}] }), 'a plain object');
  assert_throws_js(TypeError, () => structuredClone(1, { transfer: 5 }), 'not a sequence');
}, 'structuredClone transfers ArrayBuffers');

test(() => {
  assert_throws_dom('DataCloneError', () => structuredClone(new Event('x')), 'an Event');
  assert_throws_dom('DataCloneError', () => structuredClone(new Headers()), 'Headers');
  assert_throws_dom('DataCloneError', () => structuredClone(new MessageChannel().port1), 'a port not in the transfer list');
  let e;
  try { structuredClone({ deep: { f() {} } }); } catch (err) { e = err; }
  assert_true(e instanceof DOMException, 'a DOMException');
  assert_equals(e.name, 'DataCloneError');
  assert_equals(e.code, 25);
}, 'platform objects, functions and ports not transferred throw DataCloneError');

promise_test(async () => {
  const blob = new Blob(['héllo'], { type: 'text/plain' });
  const c = structuredClone({ blob });
  assert_true(c.blob instanceof Blob);
  assert_not_equals(c.blob, blob);
  assert_equals(c.blob.type, 'text/plain');
  assert_equals(await c.blob.text(), 'héllo');
}, 'Blobs are cloned');

promise_test(() => new Promise((resolve, reject) => {
  const ch = new MessageChannel();
  const moved = structuredClone(ch.port2, { transfer: [ch.port2] });
  assert_not_equals(moved, ch.port2);
  assert_true(moved instanceof MessagePort);
  assert_throws_dom('DataCloneError', () => structuredClone(ch.port2, { transfer: [ch.port2] }), 'a transferred port');
  moved.onmessage = (e) => { try { assert_equals(e.data, 'to the moved port'); resolve(); } catch (err) { reject(err); } };
  ch.port1.postMessage('to the moved port');
}), 'structuredClone transfers a MessagePort');

promise_test(() => new Promise((resolve, reject) => {
  const a = new MessageChannel(), b = new MessageChannel();
  // Messages queued on b.port2 before it is transferred go with it.
  b.port1.postMessage('first');
  b.port1.postMessage('second');
  const got = [];
  a.port2.onmessage = (e) => {
    const p = e.ports[0];
    assert_equals(e.data.port, p, 'a port inside the data is the one in ports');
    p.onmessage = (m) => {
      got.push(m.data);
      if (got.length === 2) {
        try { assert_array_equals(got, ['first', 'second']); resolve(); } catch (err) { reject(err); }
      }
    };
  };
  a.port1.postMessage({ port: b.port2 }, [b.port2]);
}), 'queued messages follow a transferred port');

promise_test(() => new Promise((resolve, reject) => {
  const ch = new MessageChannel();
  const order = [];
  ch.port2.onmessage = (e) => {
    order.push('message ' + e.data);
    Promise.resolve().then(() => order.push('microtask ' + e.data));
    if (e.data === 2) {
      setTimeout(() => {
        try { assert_array_equals(order, ['message 1', 'microtask 1', 'message 2', 'microtask 2']); resolve(); } catch (err) { reject(err); }
      }, 0);
    }
  };
  ch.port1.postMessage(1);
  ch.port1.postMessage(2);
}), 'each message is its own task');

promise_test(() => new Promise((resolve, reject) => {
  const ch = new MessageChannel();
  ch.port2.addEventListener('close', () => resolve());
  ch.port2.start();
  ch.port1.close();
  ch.port1.postMessage('dropped');
  setTimeout(() => reject(new Error('no close event')), 500);
}), 'closing one port fires close at the other');

test(() => {
  const ch = new MessageChannel();
  assert_throws_js(TypeError, () => ch.port1.postMessage(), 'no argument');
  ch.port1.postMessage(undefined);
  assert_throws_js(TypeError, () => structuredClone(), 'structuredClone without an argument');
  assert_equals(structuredClone(undefined), undefined);
  assert_equals(MessagePort.prototype.postMessage.name, 'postMessage');
  assert_equals(MessagePort.prototype.postMessage.length, 1);
  assert_equals(structuredClone.name, 'structuredClone');
  assert_equals(CrossOriginServiceWorkerClient.prototype.postMessage.length, 1);
  assert_throws_js(TypeError, () => CrossOriginServiceWorkerClient.prototype.postMessage.call({}, 1), 'not a client');
  let e;
  try { ch.port1.postMessage({ f() {} }); } catch (err) { e = err; }
  assert_true(e instanceof DOMException, 'exceptions pass through the wrapper');
  assert_equals(e.name, 'DataCloneError');
  assert_throws_js(TypeError, () => MessagePort.prototype.postMessage.call({}, 1), 'not a port');
}, 'postMessage and structuredClone require their argument; undefined is a value');

test(() => {
  const ports = [new MessageChannel().port1];
  const e = new MessageEvent('message', { data: { n: 1 }, origin: 'https://a.test', lastEventId: '7', source: null, ports });
  assert_equals(e.data.n, 1);
  assert_equals(e.origin, 'https://a.test');
  assert_equals(e.lastEventId, '7');
  assert_equals(e.source, null);
  assert_equals(e.ports.length, 1);
  assert_equals(e.ports[0], ports[0]);
  const d = new MessageEvent('message');
  assert_equals(d.data, null);
  assert_equals(d.origin, '');
  assert_equals(d.ports.length, 0);
  for (const proto of [MessageEvent.prototype, ExtendableMessageEvent.prototype]) {
    for (const name of ['data', 'origin', 'lastEventId', 'source', 'ports']) {
      const desc = Object.getOwnPropertyDescriptor(proto, name);
      assert_equals(typeof desc.get, 'function', name + ' is an accessor');
      assert_equals(desc.set, undefined, name + ' is read-only');
      assert_true(desc.enumerable && desc.configurable, name + ' enumerable, configurable');
      assert_equals(desc.get.name, 'get ' + name);
      assert_equals(desc.get.length, 0);
      assert_throws_js(TypeError, () => desc.get.call({}), name + ' on a plain object');
      assert_throws_js(TypeError, () => desc.get.call(undefined), name + ' without a receiver');
    }
  }
}, 'MessageEvent and ExtendableMessageEvent fields are read-only accessors that check their receiver');

importScripts('/harness.js');

// ticks lets queued promise jobs run (no timers).
async function ticks(n = 20) { for (let i = 0; i < n; i++) await Promise.resolve(); }
async function readAllChunks(stream) {
  const reader = stream.getReader();
  const out = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}
const enc = new TextEncoder(), dec = new TextDecoder();

test(() => {
  for (const n of ['ReadableStream', 'ReadableStreamDefaultReader', 'ReadableStreamDefaultController', 'WritableStream',
    'WritableStreamDefaultWriter', 'WritableStreamDefaultController', 'TransformStream', 'TransformStreamDefaultController',
    'CountQueuingStrategy', 'ByteLengthQueuingStrategy', 'TextEncoderStream', 'TextDecoderStream']) {
    assert_equals(typeof self[n], 'function', n);
  }
  assert_throws_js(TypeError, () => new ReadableStreamDefaultController());
  assert_throws_js(TypeError, () => new WritableStreamDefaultController());
  assert_throws_js(TypeError, () => new ReadableStream({ type: 'nope' }));
  assert_equals(typeof ReadableStreamBYOBReader, 'function');
  assert_throws_js(RangeError, () => new ReadableStream({}, { highWaterMark: -1 }));
  assert_throws_js(RangeError, () => new WritableStream({ type: 'bytes' }));
  assert_throws_js(TypeError, () => new ReadableStream({ start: 1 }));
  assert_throws_js(TypeError, () => new ReadableStream(null), 'a null source is not an object');
  assert_throws_js(TypeError, () => new WritableStream(null));
  assert_throws_js(TypeError, () => new TransformStream(null));
  assert_throws_js(TypeError, () => new ReadableStream({ type: null }), 'type is an enumeration');
  new ReadableStream({}, null);
}, 'interfaces and constructor argument checks');

promise_test(async () => {
  const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); } });
  assert_false(rs.locked);
  const reader = rs.getReader();
  assert_true(rs.locked);
  assert_throws_js(TypeError, () => rs.getReader(), 'a locked stream gives no second reader');
  assert_throws_js(TypeError, () => new ReadableStreamDefaultReader(rs));
  assert_equals(Object.prototype.toString.call(reader), '[object ReadableStreamDefaultReader]');
  let r = await reader.read();
  assert_equals(r.value, 'a'); assert_false(r.done);
  r = await reader.read();
  assert_equals(r.value, 'b');
  r = await reader.read();
  assert_true(r.done); assert_equals(r.value, undefined);
  assert_equals(await reader.closed, undefined);
  reader.releaseLock();
  assert_false(rs.locked);
  await promise_rejects_js(null, TypeError, reader.read(), 'read after releaseLock');
  await promise_rejects_js(null, TypeError, reader.closed, 'closed after releaseLock');
}, 'default reader: read, closed and releaseLock');

promise_test(async () => {
  let cancelReason;
  const rs = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel(r) { cancelReason = r; return 'ignored'; } });
  const reader = rs.getReader();
  const pending = reader.read();
  assert_equals(await reader.cancel('why'), undefined);
  assert_equals(cancelReason, 'why');
  const r = await pending;
  assert_true(r.done || r.value === 1);
  assert_true((await reader.read()).done, 'a cancelled stream is closed');
  await promise_rejects_js(null, TypeError, rs.cancel(), 'cancel on a locked stream');
  reader.releaseLock();
  assert_equals(await rs.cancel(), undefined);
}, 'cancel through the reader and the stream');

promise_test(async () => {
  const err = new Error('boom');
  let ctrl;
  const rs = new ReadableStream({ start(c) { ctrl = c; } });
  const reader = rs.getReader();
  const p = reader.read();
  ctrl.error(err);
  await p.then(() => assert_unreached('read resolved'), e => assert_equals(e, err));
  await reader.closed.then(() => assert_unreached('closed resolved'), e => assert_equals(e, err));
  assert_equals(ctrl.desiredSize, null);
  assert_throws_js(TypeError, () => ctrl.enqueue('x'), 'enqueue on an errored stream');
  await rs.cancel().catch(() => {});
  const failing = new ReadableStream({ start() { throw err; } }.start ? { start() { return Promise.reject(err); } } : {});
  await failing.getReader().read().then(() => assert_unreached(), e => assert_equals(e, err));
}, 'errored streams reject reads and closed');

test(() => {
  const err = new Error('start');
  try { new ReadableStream({ start() { throw err; } }); assert_unreached('constructor returned'); } catch (e) { assert_equals(e, err); }
}, 'an exception of start is rethrown by the constructor');

promise_test(async () => {
  let ctrl, pulls = 0;
  const rs = new ReadableStream({ start(c) { ctrl = c; }, pull() { pulls++; } }, { highWaterMark: 3, size: c => c.length });
  assert_equals(ctrl.desiredSize, 3);
  await ticks();
  assert_equals(pulls, 1, 'pull is called once after start while desiredSize > 0');
  ctrl.enqueue('ab');
  assert_equals(ctrl.desiredSize, 1);
  ctrl.enqueue('cd');
  assert_equals(ctrl.desiredSize, -1);
  await ticks();
  const reader = rs.getReader();
  assert_equals((await reader.read()).value, 'ab');
  assert_equals(ctrl.desiredSize, 1);
  ctrl.close();
  assert_throws_js(TypeError, () => ctrl.close(), 'close twice');
  assert_throws_js(TypeError, () => ctrl.enqueue('x'), 'enqueue after close');
  assert_equals((await reader.read()).value, 'cd');
  assert_true((await reader.read()).done);
  assert_equals(ctrl.desiredSize, 0);
}, 'desiredSize follows highWaterMark and the size of queued chunks');

promise_test(async () => {
  const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } });
  const [a, b] = rs.tee();
  assert_true(rs.locked);
  const [ca, cb] = await Promise.all([readAllChunks(a), readAllChunks(b)]);
  assert_array_equals(ca, [1, 2]);
  assert_array_equals(cb, [1, 2]);
}, 'tee gives both branches every chunk');

promise_test(async () => {
  let reason;
  const rs = new ReadableStream({ cancel(r) { reason = r; } });
  const [a, b] = rs.tee();
  const pa = a.cancel('one');
  await ticks();
  assert_equals(reason, undefined, 'the source is cancelled only when both branches are');
  const pb = b.cancel('two');
  await Promise.all([pa, pb]);
  assert_array_equals(reason, ['one', 'two']);
}, 'tee cancels the source with both reasons');

promise_test(async () => {
  const chunks = await readAllChunks(ReadableStream.from(['x', Promise.resolve('y')]));
  assert_array_equals(chunks, ['x', 'y']);
  let i = 0, returned;
  const asyncIterable = {
    [Symbol.asyncIterator]() {
      return {
        next() { i++; return Promise.resolve(i <= 2 ? { value: i, done: false } : { value: undefined, done: true }); },
        return(v) { returned = v; return Promise.resolve({ done: true }); },
      };
    },
  };
  assert_array_equals(await readAllChunks(ReadableStream.from(asyncIterable)), [1, 2]);
  i = 0;
  const s = ReadableStream.from(asyncIterable);
  const reader = s.getReader();
  await reader.read();
  await reader.cancel('stop');
  assert_equals(returned, 'stop', 'cancel calls the iterator return()');
  assert_throws_js(TypeError, () => ReadableStream.from(42));
  assert_throws_js(TypeError, () => ReadableStream.from(null));
}, 'ReadableStream.from iterables and async iterables');

promise_test(async () => {
  const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); } });
  const it = rs.values();
  assert_equals(it[Symbol.asyncIterator](), it);
  assert_equals(rs[Symbol.asyncIterator], ReadableStream.prototype.values);
  const seen = [];
  let r = await it.next();
  while (!r.done) { seen.push(r.value); r = await it.next(); }
  assert_array_equals(seen, ['a', 'b']);
  assert_false(rs.locked, 'the reader is released at the end');
}, 'async iteration reads every chunk and releases the lock');

promise_test(async () => {
  let reason = 'not cancelled';
  const rs = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel(r) { reason = r; } });
  const it = rs[Symbol.asyncIterator]();
  assert_equals((await it.next()).value, 1);
  const r = await it.return('done');
  assert_true(r.done); assert_equals(r.value, 'done');
  assert_equals(reason, 'done');
  assert_false(rs.locked);
  assert_true((await it.next()).done);
  const rs2 = new ReadableStream({ cancel() { reason = 'cancelled'; } });
  reason = 'kept';
  await rs2.values({ preventCancel: true }).return();
  assert_equals(reason, 'kept', 'preventCancel');
  assert_false(rs2.locked);
}, 'async iterator return() cancels the stream unless preventCancel');

promise_test(async () => {
  const written = [];
  let ctrlSignal;
  const ws = new WritableStream({
    start(c) { ctrlSignal = c.signal; },
    write(chunk) { written.push(chunk); },
  }, new CountQueuingStrategy({ highWaterMark: 2 }));
  const writer = ws.getWriter();
  assert_true(ws.locked);
  assert_throws_js(TypeError, () => ws.getWriter());
  assert_equals(writer.desiredSize, 2);
  const p1 = writer.write('a');
  const p2 = writer.write('b');
  assert_equals(writer.desiredSize, 0, 'two queued chunks fill the queue');
  await Promise.all([p1, p2]);
  assert_equals(writer.desiredSize, 2);
  await writer.ready;
  await writer.close();
  assert_array_equals(written, ['a', 'b']);
  assert_equals(await writer.closed, undefined);
  await promise_rejects_js(null, TypeError, writer.write('c'), 'write after close');
  assert_false(ctrlSignal.aborted);
}, 'WritableStream writer: writes in order, desiredSize, close');

promise_test(async () => {
  let release;
  const ws = new WritableStream({ write() { return new Promise(r => { release = r; }); } }, { highWaterMark: 1 });
  const writer = ws.getWriter();
  await writer.ready;
  writer.write('a');
  writer.write('b');
  assert_equals(writer.desiredSize, -1);
  let ready = false;
  writer.ready.then(() => { ready = true; });
  await ticks();
  assert_false(ready, 'ready waits while the queue is over the high-water mark');
  release();
  await ticks();
  release();
  await ticks();
  assert_true(ready);
}, 'WritableStream backpressure: ready waits for the sink');

promise_test(async () => {
  let abortReason, signalReason;
  const ws = new WritableStream({ start(c) { c.signal.addEventListener('abort', () => { signalReason = c.signal.reason; }); }, abort(r) { abortReason = r; } });
  const writer = ws.getWriter();
  await writer.abort('stop');
  assert_equals(abortReason, 'stop');
  assert_equals(signalReason, 'stop');
  await writer.closed.then(() => assert_unreached(), e => assert_equals(e, 'stop'));
  await promise_rejects_js(null, TypeError, new WritableStream().getWriter().releaseLock() || Promise.reject(new TypeError('x')));
}, 'WritableStream abort reaches the sink and the signal');

promise_test(async () => {
  const out = [];
  const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); } });
  const ws = new WritableStream({ write(c) { out.push(c); } });
  await rs.pipeTo(ws);
  assert_array_equals(out, ['a', 'b']);
  assert_false(rs.locked); assert_false(ws.locked);
  await promise_rejects_js(null, TypeError, new ReadableStream().pipeTo({}), 'destination must be a WritableStream');
}, 'pipeTo copies every chunk and closes the destination');

promise_test(async () => {
  let cancelled, aborted;
  const rs = new ReadableStream({ cancel(r) { cancelled = r; } });
  const ws = new WritableStream({ abort(r) { aborted = r; } });
  const ac = new AbortController();
  const p = rs.pipeTo(ws, { signal: ac.signal });
  ac.abort();
  await p.then(() => assert_unreached('pipe resolved'), e => assert_equals(e.name, 'AbortError'));
  assert_equals(cancelled.name, 'AbortError');
  assert_equals(aborted.name, 'AbortError');
  const rs2 = new ReadableStream({ cancel() { cancelled = 'no'; } });
  const ws2 = new WritableStream({ abort() { aborted = 'no'; } });
  cancelled = aborted = 'kept';
  const ac2 = new AbortController();
  ac2.abort(new Error('why'));
  await rs2.pipeTo(ws2, { signal: ac2.signal, preventAbort: true, preventCancel: true }).then(() => assert_unreached(), e => assert_equals(e.message, 'why'));
  assert_equals(cancelled, 'kept'); assert_equals(aborted, 'kept');
  assert_false(rs2.locked); assert_false(ws2.locked);
}, 'pipeTo with an AbortSignal, preventAbort and preventCancel');

promise_test(async () => {
  const err = new Error('src');
  let aborted;
  const rs = new ReadableStream({ start(c) { c.error(err); } });
  await rs.pipeTo(new WritableStream({ abort(r) { aborted = r; } })).then(() => assert_unreached(), e => assert_equals(e, err));
  assert_equals(aborted, err);
  let closed = false;
  const rs2 = new ReadableStream({ start(c) { c.close(); } });
  await rs2.pipeTo(new WritableStream({ close() { closed = true; } }), { preventClose: true });
  assert_false(closed, 'preventClose');
}, 'pipeTo propagates errors forward and honours preventClose');

promise_test(async () => {
  const ts = new TransformStream({ transform(chunk, c) { c.enqueue(chunk.toUpperCase()); }, flush(c) { c.enqueue('!'); } });
  const out = readAllChunks(ts.readable);
  const w = ts.writable.getWriter();
  w.write('a'); w.write('b'); w.close();
  assert_array_equals(await out, ['A', 'B', '!']);
  const id = new TransformStream();
  const rs = new ReadableStream({ start(c) { c.enqueue(1); c.close(); } }).pipeThrough(id);
  assert_equals(rs, id.readable);
  assert_array_equals(await readAllChunks(rs), [1]);
}, 'TransformStream transforms and flushes; pipeThrough returns the readable side');

promise_test(async () => {
  const ts = new TransformStream({ transform(chunk, c) { c.terminate(); } });
  const w = ts.writable.getWriter();
  w.write('x').catch(() => {});
  assert_true((await ts.readable.getReader().read()).done, 'terminate closes the readable side');
  await promise_rejects_js(null, TypeError, w.closed);
  const err = new Error('t');
  const ts2 = new TransformStream({ transform() { throw err; } });
  const read = ts2.readable.getReader().read();
  await ts2.writable.getWriter().write('x').then(() => assert_unreached(), e => assert_equals(e, err));
  await read.then(() => assert_unreached(), e => assert_equals(e, err));
}, 'TransformStream terminate and errors');

test(() => {
  const c = new CountQueuingStrategy({ highWaterMark: 4 });
  assert_equals(c.highWaterMark, 4); assert_equals(c.size(), 1);
  const b = new ByteLengthQueuingStrategy({ highWaterMark: 16 });
  assert_equals(b.size(new Uint8Array(5)), 5);
  assert_throws_js(TypeError, () => new CountQueuingStrategy({}));
  assert_throws_js(TypeError, () => new ByteLengthQueuingStrategy());
}, 'queuing strategies');

promise_test(async () => {
  const es = new TextEncoderStream();
  assert_equals(es.encoding, 'utf-8');
  const bytes = readAllChunks(es.readable);
  const w = es.writable.getWriter();
  w.write('h\u00e9'); w.write('\ud83d'); w.write('\ude00'); w.close();
  const all = (await bytes).map(b => Array.from(b)).flat();
  assert_array_equals(all, [0x68, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80], 'a surrogate pair split across chunks');
  const ds = new TextDecoderStream();
  const text = readAllChunks(ds.readable);
  const dw = ds.writable.getWriter();
  dw.write(new Uint8Array([0x68, 0xc3])); dw.write(new Uint8Array([0xa9])); dw.close();
  assert_equals((await text).join(''), 'h\u00e9');
  assert_throws_js(RangeError, () => new TextDecoderStream('nope'));
}, 'TextEncoderStream and TextDecoderStream');

promise_test(async () => {
  const r = new Response('abc');
  const body = r.body;
  assert_true(body instanceof ReadableStream);
  assert_equals(r.body, body, 'the same stream each time');
  assert_false(r.bodyUsed);
  assert_equals(await new Response(body).text(), 'abc');
  assert_true(r.bodyUsed, 'reading the stream disturbs the body');
  await promise_rejects_js(null, TypeError, r.text());
  assert_equals(new Response(null).body, null);
  assert_equals(new Response().body, null);
  assert_equals(await new Response(new Response('abc').body, { headers: { 'x-a': '1' } }).text(), 'abc');
}, 'Response.body round trip: new Response(new Response("abc").body)');

promise_test(async () => {
  const r = new Response('hello');
  const reader = r.body.getReader();
  const { value } = await reader.read();
  assert_true(value instanceof Uint8Array);
  assert_equals(dec.decode(value), 'hello');
  assert_true((await reader.read()).done);
  assert_true(r.bodyUsed);
  for (const m of ['text', 'json', 'arrayBuffer', 'blob', 'bytes', 'formData']) await promise_rejects_js(null, TypeError, r[m](), m);
  assert_throws_js(TypeError, () => r.clone());
  const r2 = new Response('x');
  r2.body.getReader();
  assert_false(r2.bodyUsed, 'locking alone does not use the body');
  await promise_rejects_js(null, TypeError, r2.text(), 'a locked body cannot be read');
  const r3 = new Response('y');
  await r3.text();
  assert_true(r3.body.locked, 'a body read whole is locked');
  assert_throws_js(TypeError, () => r3.body.getReader());
  assert_true(r3.bodyUsed);
}, 'bodyUsed after reading the body stream');

promise_test(async () => {
  const rs = new ReadableStream({ start(c) { c.enqueue(enc.encode('ab')); c.enqueue(enc.encode('cd')); c.close(); } });
  const r = new Response(rs);
  assert_equals(r.body, rs);
  assert_equals(r.headers.get('content-type'), null);
  const c = r.clone();
  assert_equals(await c.text(), 'abcd');
  assert_equals(await r.text(), 'abcd');
  const bad = new Response(new ReadableStream({ start(c) { c.enqueue('text'); c.close(); } }));
  await promise_rejects_js(null, TypeError, bad.text(), 'chunks must be Uint8Array');
  const locked = new ReadableStream();
  locked.getReader();
  assert_throws_js(TypeError, () => new Response(locked));
}, 'new Response(stream): reading, clone (tee), bad chunks and locked streams');

promise_test(async () => {
  const rs = () => new ReadableStream({ start(c) { c.enqueue(enc.encode('{"a":1}')); c.close(); } });
  assert_throws_js(TypeError, () => new Request('https://x.test/', { method: 'POST', body: rs() }), 'duplex is required');
  const req = new Request('https://x.test/', { method: 'POST', body: rs(), duplex: 'half' });
  assert_true(req.body instanceof ReadableStream);
  assert_equals((await req.json()).a, 1);
  assert_true(req.bodyUsed);
  assert_equals(new Request('https://x.test/').body, null);
  const buffered = new Request('https://x.test/', { method: 'POST', body: 'q' });
  assert_equals(dec.decode((await buffered.body.getReader().read()).value), 'q');
  assert_true(buffered.bodyUsed);
}, 'Request bodies as streams');

promise_test(async () => {
  const b = new Blob(['ab', 'c']);
  const s = b.stream();
  assert_true(s instanceof ReadableStream);
  const chunks = await readAllChunks(s);
  assert_equals(chunks.map(c => dec.decode(c)).join(''), 'abc');
  assert_true((await new Blob([]).stream().getReader().read()).done);
}, 'Blob.stream()');

promise_test(async () => {
  let ctrl;
  const rs = new ReadableStream({ type: 'bytes', start(c) { ctrl = c; } });
  assert_equals(Object.prototype.toString.call(ctrl), '[object ReadableByteStreamController]');
  assert_equals(ctrl.desiredSize, 0, 'a byte stream has a high-water mark of 0 by default');
  assert_throws_js(TypeError, () => ctrl.enqueue(new Uint8Array(0)));
  assert_throws_js(RangeError, () => new ReadableStream({ type: 'bytes' }, { size() { return 1; } }));
  const chunk = new Uint8Array([1, 2, 3]);
  ctrl.enqueue(chunk);
  assert_equals(chunk.byteLength, 0, 'enqueue transfers the buffer');
  const reader = rs.getReader();
  const { value } = await reader.read();
  assert_true(value instanceof Uint8Array);
  assert_array_equals(value, [1, 2, 3]);
  ctrl.close();
  assert_true((await reader.read()).done);
  assert_throws_js(TypeError, () => new ReadableStream().getReader({ mode: 'byob' }), 'BYOB needs a byte stream');
}, 'byte stream with a default reader');

promise_test(async () => {
  const rs = new ReadableStream({
    type: 'bytes',
    pull(c) {
      const req = c.byobRequest;
      assert_true(req.view instanceof Uint8Array);
      req.view[0] = 7; req.view[1] = 8;
      req.respond(2);
    },
  });
  const reader = rs.getReader({ mode: 'byob' });
  assert_equals(Object.prototype.toString.call(reader), '[object ReadableStreamBYOBReader]');
  const buf = new Uint8Array(4);
  const { value, done } = await reader.read(buf);
  assert_false(done);
  assert_equals(buf.byteLength, 0, 'the view given to read() is transferred');
  assert_equals(value.byteLength, 2);
  assert_equals(value.buffer.byteLength, 4, 'the result views the same memory');
  assert_array_equals(value, [7, 8]);
  await promise_rejects_js(null, TypeError, reader.read(new Uint8Array(0)));
  await promise_rejects_js(null, RangeError, reader.read(new Uint8Array(2), { min: 3 }));
  const u16 = await reader.read(new Uint16Array(2), { min: 2 });
  assert_true(u16.value instanceof Uint16Array);
  assert_equals(u16.value.length, 2, 'min fills at least two elements');
}, 'BYOB reader reads into the given buffer through byobRequest.respond');

promise_test(async () => {
  let ctrl;
  const rs = new ReadableStream({ type: 'bytes', start(c) { ctrl = c; } });
  ctrl.enqueue(new Uint8Array([1, 2, 3, 4, 5]));
  ctrl.close();
  const reader = rs.getReader({ mode: 'byob' });
  const a = await reader.read(new Uint8Array(3));
  assert_array_equals(a.value, [1, 2, 3]);
  const b = await reader.read(new Uint8Array(3));
  assert_array_equals(b.value, [4, 5]);
  const c = await reader.read(new Uint8Array(3));
  assert_true(c.done);
  assert_equals(c.value.byteLength, 0, 'a closed stream gives an empty view of the buffer');
  assert_equals(c.value.buffer.byteLength, 3);
}, 'BYOB reads from queued bytes, then done with an empty view');

promise_test(async () => {
  let ctrl;
  const rs = new ReadableStream({ type: 'bytes', autoAllocateChunkSize: 8, pull(c) { ctrl = c; const v = c.byobRequest.view; v[0] = 42; c.byobRequest.respond(1); } });
  const { value } = await rs.getReader().read();
  assert_array_equals(value, [42]);
  assert_equals(value.buffer.byteLength, 8, 'autoAllocateChunkSize');
  const src = new ReadableStream({ type: 'bytes', start(c) { c.enqueue(new Uint8Array([1, 2])); c.close(); } });
  const [x, y] = src.tee();
  const bx = await x.getReader({ mode: 'byob' }).read(new Uint8Array(4));
  assert_array_equals(bx.value, [1, 2]);
  const cy = await readAllChunks(y);
  assert_array_equals(cy[0], [1, 2]);
}, 'autoAllocateChunkSize and tee of a byte stream');

promise_test(async () => {
  const r = new Response('bytes!');
  const reader = r.body.getReader({ mode: 'byob' });
  const { value } = await reader.read(new Uint8Array(16));
  assert_equals(dec.decode(value), 'bytes!');
  assert_true((await reader.read(new Uint8Array(1))).done);
  assert_true(r.bodyUsed);
}, 'Response.body is a byte stream (BYOB reader)');

promise_test(async () => {
  const body = () => ReadableStream.from([enc.encode('str'), enc.encode('eamed')]);
  const r = await fetch('/net/echo-body', { method: 'POST', body: body(), duplex: 'half' });
  assert_equals(await r.text(), 'streamed');
  const req = new Request('/net/echo-body', { method: 'POST', body: body(), duplex: 'half' });
  assert_equals(await (await fetch(req)).text(), 'streamed');
  assert_true(req.bodyUsed);
  await promise_rejects_js(null, TypeError, fetch(req), 'a used request');
  const echoed = await fetch('/net/echo-body', { method: 'POST', body: 'x' });
  const piped = new Response(echoed.body.pipeThrough(new TransformStream({ transform(c, ctrl) { ctrl.enqueue(c); ctrl.enqueue(c); } })));
  assert_equals(await piped.text(), 'xx');
}, 'fetch() with a stream body and a fetched body through a TransformStream');

promise_test(async () => {
  const cache = await caches.open('streams');
  await cache.put('https://test.swhost/s', new Response(ReadableStream.from([enc.encode('cac'), enc.encode('hed')])));
  assert_equals(await (await cache.match('https://test.swhost/s')).text(), 'cached');
  const used = new Response(ReadableStream.from([enc.encode('x')]));
  await used.text();
  await promise_rejects_js(null, TypeError, cache.put('https://test.swhost/u', used));
  await caches.delete('streams');
}, 'cache.put() of a Response with a stream body');

promise_test(async () => {
  const r = new Response(new ReadableStream({ type: 'bytes', start(c) { c.enqueue(new Uint8Array([111, 107])); c.close(); } }));
  const c = r.clone();
  assert_equals(await c.text(), 'ok');
  assert_equals(await r.text(), 'ok');
}, 'clone of a Response whose body is a byte stream');

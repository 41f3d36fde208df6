// 17_streams_bytes.js: readable byte streams (WHATWG Streams):
// ReadableByteStreamController, ReadableStreamBYOBReader and
// ReadableStreamBYOBRequest, made by 17_streams_readable.js when it is
// first used (makeByteStreams).
(function (internals, host, global) {
  'use strict';
  const {
    streamsCommon
  } = internals;
  const {
    deferred, handled, noop, promiseCall, rejectedDeferred
  } = streamsCommon;

  function makeByteStreams(R) {
    // The typed array constructors, by the name %TypedArray%'s
    // toStringTag gives a view.
    const typedArrays = {
      Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array,
      Float64Array, BigInt64Array, BigUint64Array,
    };
    if (typeof Float16Array === 'function') typedArrays.Float16Array = Float16Array; // eslint-disable-line no-undef
    const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;
    const DataViewCtor = DataView, isView = ArrayBuffer.isView;
    const kC = Symbol('controller'), kR = Symbol('reader'), kQ = Symbol('request');
    function illegal() { throw new TypeError('Illegal constructor'); }
    // transfer is TransferArrayBuffer: a new buffer over the bytes, the
    // old one detached.
    function transfer(buffer) {
      const b = host.transferBuffer(buffer);
      if (b === null) throw new TypeError('The ArrayBuffer is detached.');
      return b;
    }
    function detached(buffer) { return host.bufferDetached(buffer); }

    function setupFromSource(s, src, start, pull, cancel, hwm) {
      let auto = src.autoAllocateChunkSize;
      if (auto !== undefined) {
        auto = Number(auto);
        if (!Number.isFinite(auto) || auto < 0) throw new TypeError("Failed to construct 'ReadableStream': autoAllocateChunkSize is outside the range of unsigned long long.");
        auto = Math.trunc(auto);
        if (auto === 0) throw new TypeError("Failed to construct 'ReadableStream': autoAllocateChunkSize must be greater than 0");
      }
      setupController(s, c => (start === undefined ? undefined : start.call(src, c.pub)),
        c => promiseCall(pull, src, c.pub), r => promiseCall(cancel, src, r), hwm, auto);
    }
    // A null start: started at once, for a host body read across tasks.
    function createByteStream(start, pull, cancel) {
      const s = R.initStream(Object.create(R.ReadableStream.prototype));
      setupController(s, start, pull, cancel, 0, undefined);
      return s;
    }
    function setupController(s, start, pull, cancel, hwm, auto) {
      const c = {
        bytes: true, pub: Object.create(ReadableByteStreamController.prototype), stream: s, queue: [], total: 0,
        started: start === null, closeRequested: false, pullAgain: false, pulling: false, hwm, pull, cancel,
        auto, pendingPullIntos: [], byobRequest: null,
      };
      c.pub[kC] = c;
      s.ctrl = c;
      if (start !== null) Promise.resolve(start(c)).then(() => { c.started = true; callPullIfNeeded(c); }, e => ctrlError(c, e));
    }
    function hasDefaultReader(s) { return s.reader !== undefined && !s.reader.byob; }
    function hasBYOBReader(s) { return s.reader !== undefined && s.reader.byob; }
    function shouldCallPull(c) {
      const s = c.stream;
      if (s.state !== 'readable' || c.closeRequested || !c.started) return false;
      if (s.reader !== undefined && s.reader.requests.length > 0) return true;
      return desiredSize(c) > 0;
    }
    function callPullIfNeeded(c) {
      if (!shouldCallPull(c)) return;
      if (c.pulling) { c.pullAgain = true; return; }
      c.pulling = true;
      c.pull(c).then(() => {
        c.pulling = false;
        if (c.pullAgain) { c.pullAgain = false; callPullIfNeeded(c); }
      }, e => ctrlError(c, e));
    }
    function desiredSize(c) {
      const st = c.stream.state;
      return st === 'errored' ? null : st === 'closed' ? 0 : c.hwm - c.total;
    }
    function clearAlgorithms(c) { c.pull = undefined; c.cancel = undefined; }
    function resetQueue(c) { c.queue = []; c.total = 0; }
    function invalidateBYOBRequest(c) {
      if (c.byobRequest === null) return;
      c.byobRequest[kQ].ctrl = undefined;
      c.byobRequest[kQ].view = null;
      c.byobRequest = null;
    }
    function clearPendingPullIntos(c) { invalidateBYOBRequest(c); c.pendingPullIntos = []; }
    function ctrlError(c, e) {
      const s = c.stream;
      if (s.state !== 'readable') return;
      clearPendingPullIntos(c);
      resetQueue(c);
      clearAlgorithms(c);
      R.streamError(s, e);
    }
    function ctrlClose(c) {
      const s = c.stream;
      if (c.closeRequested || s.state !== 'readable') return;
      if (c.total > 0) { c.closeRequested = true; return; }
      if (c.pendingPullIntos.length > 0) {
        const first = c.pendingPullIntos[0];
        if (first.bytesFilled % first.elementSize !== 0) {
          const e = new TypeError('Insufficient bytes to fill elements in the given buffer');
          ctrlError(c, e);
          throw e;
        }
      }
      clearAlgorithms(c);
      R.streamClose(s);
    }
    function enqueueChunk(c, buffer, byteOffset, byteLength) {
      c.queue.push({ buffer, byteOffset, byteLength });
      c.total += byteLength;
    }
    function enqueueClonedChunk(c, buffer, byteOffset, byteLength) {
      let clone;
      try { clone = buffer.slice(byteOffset, byteOffset + byteLength); } catch (e) { ctrlError(c, e); throw e; }
      enqueueChunk(c, clone, 0, byteLength);
    }
    function enqueueDetachedPullInto(c, pi) {
      if (pi.bytesFilled > 0) enqueueClonedChunk(c, pi.buffer, pi.byteOffset, pi.bytesFilled);
      c.pendingPullIntos.shift();
    }
    function ctrlEnqueue(c, chunk) {
      const s = c.stream;
      if (c.closeRequested || s.state !== 'readable') return;
      const byteOffset = chunk.byteOffset, byteLength = chunk.byteLength;
      if (detached(chunk.buffer)) throw new TypeError('The chunk\'s buffer is detached.');
      const buffer = transfer(chunk.buffer);
      if (c.pendingPullIntos.length > 0) {
        const first = c.pendingPullIntos[0];
        if (detached(first.buffer)) throw new TypeError('The BYOB request\'s buffer is detached.');
        invalidateBYOBRequest(c);
        first.buffer = transfer(first.buffer);
        if (first.readerType === 'none') enqueueDetachedPullInto(c, first);
      }
      if (hasDefaultReader(s)) {
        processReadRequestsUsingQueue(c);
        if (s.reader.requests.length === 0) enqueueChunk(c, buffer, byteOffset, byteLength);
        else {
          if (c.pendingPullIntos.length > 0) c.pendingPullIntos.shift();
          s.reader.requests.shift().chunk(new Uint8Array(buffer, byteOffset, byteLength));
        }
      } else if (hasBYOBReader(s)) {
        enqueueChunk(c, buffer, byteOffset, byteLength);
        processPullIntosUsingQueue(c);
      } else enqueueChunk(c, buffer, byteOffset, byteLength);
      callPullIfNeeded(c);
    }
    function fillPullIntoFromQueue(c, pi) {
      const maxBytesToCopy = Math.min(c.total, pi.byteLength - pi.bytesFilled);
      const maxBytesFilled = pi.bytesFilled + maxBytesToCopy;
      let remaining = maxBytesToCopy, ready = false;
      const maxAligned = maxBytesFilled - (maxBytesFilled % pi.elementSize);
      if (maxAligned >= pi.minimumFill) { remaining = maxAligned - pi.bytesFilled; ready = true; }
      while (remaining > 0) {
        const head = c.queue[0];
        const n = Math.min(remaining, head.byteLength);
        new Uint8Array(pi.buffer, pi.byteOffset + pi.bytesFilled, n).set(new Uint8Array(head.buffer, head.byteOffset, n));
        if (head.byteLength === n) c.queue.shift();
        else { head.byteOffset += n; head.byteLength -= n; }
        c.total -= n;
        pi.bytesFilled += n;
        remaining -= n;
      }
      return ready;
    }
    function fillReadRequestFromQueue(c, req) {
      const e = c.queue.shift();
      c.total -= e.byteLength;
      handleQueueDrain(c);
      req.chunk(new Uint8Array(e.buffer, e.byteOffset, e.byteLength));
    }
    function handleQueueDrain(c) {
      if (c.total === 0 && c.closeRequested) { clearAlgorithms(c); R.streamClose(c.stream); } else callPullIfNeeded(c);
    }
    function processPullIntosUsingQueue(c) {
      while (c.pendingPullIntos.length > 0) {
        if (c.total === 0) return;
        const pi = c.pendingPullIntos[0];
        if (fillPullIntoFromQueue(c, pi)) { c.pendingPullIntos.shift(); commitPullInto(c.stream, pi); }
      }
    }
    function processReadRequestsUsingQueue(c) {
      const r = c.stream.reader;
      while (r.requests.length > 0) {
        if (c.total === 0) return;
        fillReadRequestFromQueue(c, r.requests.shift());
      }
    }
    function convertPullInto(pi) {
      return new pi.ctor(transfer(pi.buffer), pi.byteOffset, pi.bytesFilled / pi.elementSize);
    }
    function commitPullInto(s, pi) {
      const done = s.state === 'closed';
      const view = convertPullInto(pi);
      const req = s.reader.requests.shift();
      if (pi.readerType === 'default') { if (done) req.close(); else req.chunk(view); } else if (done) req.close(view); else req.chunk(view);
    }
    function pullInto(c, view, min, req) {
      const s = c.stream;
      let elementSize = 1, ctor = DataViewCtor;
      const name = typedArrayTag.call(view);
      if (name !== undefined) { ctor = typedArrays[name]; elementSize = ctor.BYTES_PER_ELEMENT; }
      const byteOffset = view.byteOffset, byteLength = view.byteLength;
      let buffer;
      try { buffer = transfer(view.buffer); } catch (e) { req.error(e); return; }
      const pi = {
        buffer, bufferByteLength: buffer.byteLength, byteOffset, byteLength,
        bytesFilled: 0, minimumFill: min * elementSize, elementSize, ctor, readerType: 'byob',
      };
      if (c.pendingPullIntos.length > 0) { c.pendingPullIntos.push(pi); s.reader.requests.push(req); return; }
      if (s.state === 'closed') { req.close(new ctor(pi.buffer, pi.byteOffset, 0)); return; }
      if (c.total > 0) {
        if (fillPullIntoFromQueue(c, pi)) {
          const filled = convertPullInto(pi);
          handleQueueDrain(c);
          req.chunk(filled);
          return;
        }
        if (c.closeRequested) {
          const e = new TypeError('Insufficient bytes to fill elements in the given buffer');
          ctrlError(c, e);
          req.error(e);
          return;
        }
      }
      c.pendingPullIntos.push(pi);
      s.reader.requests.push(req);
      callPullIfNeeded(c);
    }
    function respond(c, bytesWritten) {
      const first = c.pendingPullIntos[0];
      if (c.stream.state === 'closed') {
        if (bytesWritten !== 0) throw new TypeError('bytesWritten must be 0 when calling respond() on a closed stream');
      } else {
        if (bytesWritten === 0) throw new TypeError('bytesWritten must be greater than 0 when calling respond() on a readable stream');
        if (first.bytesFilled + bytesWritten > first.byteLength) throw new RangeError('bytesWritten out of range');
      }
      first.buffer = transfer(first.buffer);
      respondInternal(c, bytesWritten);
    }
    function respondInternal(c, bytesWritten) {
      const first = c.pendingPullIntos[0];
      const s = c.stream;
      invalidateBYOBRequest(c);
      if (s.state === 'closed') {
        if (first.readerType === 'none') c.pendingPullIntos.shift();
        if (hasBYOBReader(s)) while (s.reader.requests.length > 0) commitPullInto(s, c.pendingPullIntos.shift());
      } else {
        first.bytesFilled += bytesWritten;
        if (first.readerType === 'none') {
          enqueueDetachedPullInto(c, first);
          processPullIntosUsingQueue(c);
        } else if (first.bytesFilled >= first.minimumFill) {
          c.pendingPullIntos.shift();
          const rem = first.bytesFilled % first.elementSize;
          if (rem > 0) enqueueClonedChunk(c, first.buffer, first.byteOffset + first.bytesFilled - rem, rem);
          first.bytesFilled -= rem;
          commitPullInto(s, first);
          processPullIntosUsingQueue(c);
        }
      }
      callPullIfNeeded(c);
    }
    function respondWithNewView(c, view) {
      const first = c.pendingPullIntos[0];
      if (c.stream.state === 'closed') {
        if (view.byteLength !== 0) throw new TypeError('The view\'s length must be 0 when calling respondWithNewView() on a closed stream');
      } else if (view.byteLength === 0) throw new TypeError('The view\'s length must be greater than 0 when calling respondWithNewView() on a readable stream');
      if (first.byteOffset + first.bytesFilled !== view.byteOffset) throw new RangeError('The region specified by view does not match byobRequest');
      if (first.bufferByteLength !== view.buffer.byteLength) throw new RangeError('The buffer of view has different capacity than byobRequest');
      if (first.bytesFilled + view.byteLength > first.byteLength) throw new RangeError('The region specified by view is larger than byobRequest');
      const n = view.byteLength;
      first.buffer = transfer(view.buffer);
      respondInternal(c, n);
    }
    function getBYOBRequest(c) {
      if (c.byobRequest === null && c.pendingPullIntos.length > 0) {
        const first = c.pendingPullIntos[0];
        const req = Object.create(ReadableStreamBYOBRequest.prototype);
        req[kQ] = { ctrl: c, view: new Uint8Array(first.buffer, first.byteOffset + first.bytesFilled, first.byteLength - first.bytesFilled) };
        c.byobRequest = req;
      }
      return c.byobRequest;
    }
    function cancelSteps(c, reason) {
      clearPendingPullIntos(c);
      resetQueue(c);
      const r = c.cancel(reason);
      clearAlgorithms(c);
      return r;
    }
    function pullSteps(c, req) {
      if (c.total > 0) { fillReadRequestFromQueue(c, req); return; }
      if (c.auto !== undefined) {
        let buffer;
        try { buffer = new ArrayBuffer(c.auto); } catch (e) { req.error(e); return; }
        c.pendingPullIntos.push({
          buffer, bufferByteLength: c.auto, byteOffset: 0, byteLength: c.auto, bytesFilled: 0, minimumFill: 1,
          elementSize: 1, ctor: Uint8Array, readerType: 'default',
        });
      }
      c.stream.reader.requests.push(req);
      callPullIfNeeded(c);
    }
    function releaseSteps(c) {
      if (c.pendingPullIntos.length > 0) {
        const first = c.pendingPullIntos[0];
        first.readerType = 'none';
        c.pendingPullIntos = [first];
      }
    }
    function cstate(x) {
      const c = x !== null && typeof x === 'object' ? x[kC] : undefined;
      if (c === undefined) throw new TypeError('Illegal invocation');
      return c;
    }
    class ReadableByteStreamController {
      constructor() { illegal(); }
      get byobRequest() { return getBYOBRequest(cstate(this)); }
      get desiredSize() { return desiredSize(cstate(this)); }
      close() {
        const c = cstate(this);
        if (c.closeRequested) throw new TypeError('The stream has already been closed; do not close it again!');
        if (c.stream.state !== 'readable') throw new TypeError('The stream is not in the readable state and cannot be closed');
        ctrlClose(c);
      }
      enqueue(chunk) {
        const c = cstate(this);
        if (!isView(chunk)) throw new TypeError("Failed to execute 'enqueue' on 'ReadableByteStreamController': parameter 1 is not of type 'ArrayBufferView'.");
        if (chunk.byteLength === 0) throw new TypeError('chunk must have non-zero byteLength');
        if (chunk.buffer.byteLength === 0) throw new TypeError("chunk's buffer must have non-zero byteLength");
        if (c.closeRequested) throw new TypeError('stream is closed or draining');
        if (c.stream.state !== 'readable') throw new TypeError('The stream is not in the readable state and cannot be enqueued to');
        ctrlEnqueue(c, chunk);
      }
      error(e = undefined) { ctrlError(cstate(this), e); }
    }
    Object.defineProperty(ReadableByteStreamController.prototype, Symbol.toStringTag, { value: 'ReadableByteStreamController', configurable: true });
    function qstate(x) {
      const q = x !== null && typeof x === 'object' ? x[kQ] : undefined;
      if (q === undefined) throw new TypeError('Illegal invocation');
      return q;
    }
    class ReadableStreamBYOBRequest {
      constructor() { illegal(); }
      get view() { return qstate(this).view; }
      respond(bytesWritten) {
        const q = qstate(this);
        const n = Number(bytesWritten);
        if (!Number.isFinite(n) || n < 0) throw new TypeError("Failed to execute 'respond' on 'ReadableStreamBYOBRequest': Value is outside the 'unsigned long long' value range.");
        if (q.ctrl === undefined) throw new TypeError('This BYOB request has been invalidated');
        if (detached(q.view.buffer)) throw new TypeError('The BYOB request\'s buffer has been detached and so cannot be used as a response');
        respond(q.ctrl, Math.trunc(n));
      }
      respondWithNewView(view) {
        const q = qstate(this);
        if (!isView(view)) throw new TypeError("Failed to execute 'respondWithNewView' on 'ReadableStreamBYOBRequest': parameter 1 is not of type 'ArrayBufferView'.");
        if (q.ctrl === undefined) throw new TypeError('This BYOB request has been invalidated');
        if (detached(view.buffer)) throw new TypeError('The given view\'s buffer has been detached and so cannot be used as a response');
        respondWithNewView(q.ctrl, view);
      }
    }
    Object.defineProperty(ReadableStreamBYOBRequest.prototype, Symbol.toStringTag, { value: 'ReadableStreamBYOBRequest', configurable: true });

    function rstate(x) {
      const r = x !== null && typeof x === 'object' ? x[kR] : undefined;
      if (r === undefined) throw new TypeError('Illegal invocation');
      return r;
    }
    class ReadableStreamBYOBReader {
      constructor(stream) {
        if (arguments.length === 0) throw new TypeError("Failed to construct 'ReadableStreamBYOBReader': 1 argument required, but only 0 present.");
        const s = stream !== null && typeof stream === 'object' ? stream[R.kRS] : undefined;
        if (s === undefined) throw new TypeError("Failed to construct 'ReadableStreamBYOBReader': parameter 1 is not of type 'ReadableStream'.");
        setupReader(this, s);
      }
      get closed() { return rstate(this).closed.promise; }
      cancel(reason = undefined) {
        let r;
        try { r = rstate(this); } catch (e) { return Promise.reject(e); }
        if (r.stream === undefined) return Promise.reject(new TypeError('This readable stream reader has been released and cannot be used to cancel its previous owner stream'));
        return R.streamCancel(r.stream, reason);
      }
      read(view, options = undefined) {
        let r;
        try { r = rstate(this); } catch (e) { return Promise.reject(e); }
        if (!isView(view)) return Promise.reject(new TypeError("Failed to execute 'read' on 'ReadableStreamBYOBReader': parameter 1 is not of type 'ArrayBufferView'."));
        if (view.byteLength === 0) return Promise.reject(new TypeError('view must have non-zero byteLength'));
        if (view.buffer.byteLength === 0) return Promise.reject(new TypeError("view's buffer must have non-zero byteLength"));
        if (detached(view.buffer)) return Promise.reject(new TypeError("view's buffer has been detached"));
        let min = 1;
        if (options !== undefined && options !== null && options.min !== undefined) {
          min = Math.trunc(Number(options.min));
          if (!Number.isFinite(min) || min < 0) return Promise.reject(new TypeError("Failed to execute 'read' on 'ReadableStreamBYOBReader': Value is outside the 'unsigned long long' value range."));
        }
        if (min === 0) return Promise.reject(new TypeError('options.min must be greater than 0'));
        if (typedArrayTag.call(view) !== undefined) {
          if (min > view.length) return Promise.reject(new RangeError('options.min must be less than or equal to view\'s length'));
        } else if (min > view.byteLength) return Promise.reject(new RangeError('options.min must be less than or equal to view\'s byteLength'));
        if (r.stream === undefined) return Promise.reject(new TypeError('This readable stream reader has been released and cannot be used to read from its previous owner stream'));
        return new Promise((resolve, reject) => {
          const req = {
            chunk: value => resolve({ value, done: false }),
            close: value => resolve({ value, done: true }),
            error: reject,
          };
          const s = r.stream;
          s.disturbed = true;
          if (s.state === 'errored') req.error(s.err);
          else pullInto(s.ctrl, view, min, req);
        });
      }
      releaseLock() {
        const r = rstate(this);
        if (r.stream !== undefined) R.releaseReader(r);
      }
    }
    Object.defineProperty(ReadableStreamBYOBReader.prototype, Symbol.toStringTag, { value: 'ReadableStreamBYOBReader', configurable: true });
    function setupReader(pub, s) {
      if (s.reader !== undefined) throw new TypeError('ReadableStreamBYOBReader constructor can only accept readable streams that are not yet locked to a reader');
      if (!s.ctrl.bytes) throw new TypeError('Cannot construct a ReadableStreamBYOBReader for a stream not constructed with a byte source');
      const r = { pub, stream: s, requests: [], closed: null, byob: true };
      pub[kR] = r;
      s.reader = r;
      if (s.state === 'readable') r.closed = deferred();
      else if (s.state === 'closed') { r.closed = deferred(); r.closed.resolve(undefined); } else r.closed = rejectedDeferred(s.err);
      return r;
    }
    function acquireBYOBReader(s) { return setupReader(Object.create(ReadableStreamBYOBReader.prototype), s); }

    // tee of a byte stream: two byte streams, read through a default
    // reader of the source; the second branch gets copies of the chunks.
    function tee(s) {
      const reader = R.acquireReader(s);
      let reading = false, readAgain = false, canceled1 = false, canceled2 = false, reason1, reason2;
      const cancelled = deferred();
      let b1 = null, b2 = null;
      function pull() {
        if (reading) { readAgain = true; return Promise.resolve(undefined); }
        reading = true;
        R.readerRead(reader, {
          chunk(chunk) {
            Promise.resolve().then(() => {
              readAgain = false;
              const copy = !canceled1 && !canceled2 ? new Uint8Array(chunk) : chunk;
              if (!canceled1) ctrlEnqueue(b1.ctrl, chunk);
              if (!canceled2) ctrlEnqueue(b2.ctrl, copy);
              reading = false;
              if (readAgain) pull();
            });
          },
          close() {
            reading = false;
            for (const [b, canceled] of [[b1, canceled1], [b2, canceled2]]) {
              if (canceled) continue;
              ctrlClose(b.ctrl);
              if (b.ctrl.pendingPullIntos.length > 0) respond(b.ctrl, 0);
            }
            if (!canceled1 || !canceled2) cancelled.resolve(undefined);
          },
          error() { reading = false; },
        });
        return Promise.resolve(undefined);
      }
      function cancel1(reason) {
        canceled1 = true; reason1 = reason;
        if (canceled2) cancelled.resolve(R.streamCancel(s, [reason1, reason2]));
        return cancelled.promise;
      }
      function cancel2(reason) {
        canceled2 = true; reason2 = reason;
        if (canceled1) cancelled.resolve(R.streamCancel(s, [reason1, reason2]));
        return cancelled.promise;
      }
      b1 = createByteStream(noop, pull, cancel1);
      b2 = createByteStream(noop, pull, cancel2);
      handled(reader.closed.promise.then(undefined, e => {
        ctrlError(b1.ctrl, e);
        ctrlError(b2.ctrl, e);
        if (!canceled1 || !canceled2) cancelled.resolve(undefined);
      }));
      return [b1, b2];
    }

    return {
      ReadableByteStreamController, ReadableStreamBYOBReader, ReadableStreamBYOBRequest, acquireBYOBReader, cancelSteps,
      createByteStream, ctrlClose, ctrlEnqueue, pullSteps, releaseSteps, setupFromSource, tee,
    };
  }

  Object.assign(internals, {
    makeByteStreams,
  });
})

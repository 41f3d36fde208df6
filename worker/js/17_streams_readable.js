// 17_streams_readable.js: ReadableStream (WHATWG Streams) with its
// default controller and reader, tee, from(), async iteration, and the
// readable operations the other stream files use (readableOps), built on
// first use. Byte streams are in 17_streams_bytes.js, pipeTo and
// pipeThrough in 18_streams_writable.js.
(function (internals, host, global) {
  'use strict';
  const {
    kRS, lazy, streamsCommon
  } = internals;
  const {
    deferred, dequeueValue, enqueueValueWithSize, extractHWM, extractSize, getMethod, handled, noop, promiseCall,
    queueEmpty, rejectedDeferred, resetQueue
  } = streamsCommon;

  const kC = Symbol('controller'), kR = Symbol('reader'), kIt = Symbol('iterator');

  const readableAPI = lazy(['ReadableStream', 'ReadableStreamDefaultReader', 'ReadableStreamDefaultController',
    'ReadableByteStreamController', 'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest'], () => {
      let B = null; // the byte streams' operations (17_streams_bytes.js)
      function illegal() { throw new TypeError('Illegal constructor'); }
      function sstate(x) {
        const s = x !== null && typeof x === 'object' ? x[kRS] : undefined;
        if (s === undefined) throw new TypeError('Illegal invocation');
        return s;
      }
      class ReadableStream {
        constructor(underlyingSource = undefined, strategy = undefined) {
          if (underlyingSource === null || underlyingSource !== undefined && typeof underlyingSource !== 'object' && typeof underlyingSource !== 'function') throw new TypeError("Failed to construct 'ReadableStream': The provided value is not of type 'UnderlyingSource'.");
          if (strategy !== undefined && strategy !== null && typeof strategy !== 'object') throw new TypeError("Failed to construct 'ReadableStream': The provided value is not of type 'QueuingStrategy'.");
          const src = underlyingSource || {};
          const cancel = getMethod(src, 'cancel', 'UnderlyingSource'), pull = getMethod(src, 'pull', 'UnderlyingSource');
          const start = getMethod(src, 'start', 'UnderlyingSource');
          const type = src.type;
          if (type !== undefined) {
            const t = String(type);
            if (t === 'bytes') {
              if (strategy !== undefined && strategy !== null && strategy.size !== undefined) throw new RangeError("Failed to construct 'ReadableStream': The strategy for a byte stream cannot have a size function");
              const hwm = extractHWM(strategy, 0);
              B.setupFromSource(initStream(this), src, start, pull, cancel, hwm);
              return;
            }
            throw new TypeError("Failed to construct 'ReadableStream': The provided value '" + t + "' is not a valid enum value of type ReadableStreamType.");
          }
          const size = extractSize(strategy), hwm = extractHWM(strategy, 1);
          const s = initStream(this);
          setupController(s, () => start === undefined ? undefined : start.call(src, s.ctrl.pub),
            () => promiseCall(pull, src, s.ctrl.pub), r => promiseCall(cancel, src, r), hwm, size);
        }
        get locked() { return sstate(this).reader !== undefined; }
        cancel(reason = undefined) {
          let s;
          try { s = sstate(this); } catch (e) { return Promise.reject(e); }
          if (s.reader !== undefined) return Promise.reject(new TypeError('Cannot cancel a locked ReadableStream.'));
          return streamCancel(s, reason);
        }
        getReader(options = undefined) {
          const s = sstate(this);
          if (options !== undefined && options !== null && options.mode !== undefined) {
            const m = String(options.mode);
            if (m === 'byob') return B.acquireBYOBReader(s).pub;
            throw new TypeError("Failed to execute 'getReader' on 'ReadableStream': The provided value '" + m + "' is not a valid enum value of type ReadableStreamReaderMode.");
          }
          return acquireReader(s).pub;
        }
        pipeThrough(transform, options = undefined) { return internals.pipeThrough(this, sstate(this), transform, options); }
        pipeTo(destination, options = undefined) {
          let s;
          try { s = sstate(this); } catch (e) { return Promise.reject(e); }
          return internals.pipeTo(s, destination, options);
        }
        tee() {
          const s = sstate(this);
          const [a, b] = s.ctrl.bytes ? B.tee(s) : tee(s);
          return [a.pub, b.pub];
        }
        values(options = undefined) {
          const s = sstate(this);
          const preventCancel = options !== undefined && options !== null && !!options.preventCancel;
          const it = Object.create(IteratorProto);
          it[kIt] = { reader: acquireReader(s), preventCancel, finished: false, ongoing: null };
          return it;
        }
        static from(asyncIterable) { return fromIterable(asyncIterable).pub; }
      }
      Object.defineProperty(ReadableStream.prototype, Symbol.toStringTag, { value: 'ReadableStream', configurable: true });
      Object.defineProperty(ReadableStream.prototype, Symbol.asyncIterator, { value: ReadableStream.prototype.values, writable: true, configurable: true });

      function initStream(pub) {
        const s = { pub, state: 'readable', reader: undefined, err: undefined, disturbed: false, ctrl: undefined, bytes: undefined };
        pub[kRS] = s;
        return s;
      }
      // createStream is CreateReadableStream: a stream whose controller
      // runs the given algorithms (pull and cancel return promises).
      function createStream(start, pull, cancel, hwm = 1, size = () => 1) {
        const s = initStream(Object.create(ReadableStream.prototype));
        setupController(s, start, pull, cancel, hwm, size);
        return s;
      }
      class ReadableStreamDefaultController {
        constructor() { illegal(); }
        get desiredSize() { return desiredSize(cstate(this)); }
        close() {
          const c = cstate(this);
          if (!canCloseOrEnqueue(c)) throw new TypeError('The stream is not in a state that permits close');
          ctrlClose(c);
        }
        enqueue(chunk = undefined) {
          const c = cstate(this);
          if (!canCloseOrEnqueue(c)) throw new TypeError('The stream is not in a state that permits enqueue');
          ctrlEnqueue(c, chunk);
        }
        error(e = undefined) { ctrlError(cstate(this), e); }
      }
      Object.defineProperty(ReadableStreamDefaultController.prototype, Symbol.toStringTag, { value: 'ReadableStreamDefaultController', configurable: true });
      function cstate(x) {
        const c = x !== null && typeof x === 'object' ? x[kC] : undefined;
        if (c === undefined) throw new TypeError('Illegal invocation');
        return c;
      }
      function setupController(s, start, pull, cancel, hwm, size) {
        const c = {
          pub: Object.create(ReadableStreamDefaultController.prototype), stream: s, queue: [], head: 0, total: 0,
          started: false, closeRequested: false, pullAgain: false, pulling: false, size, hwm, pull, cancel,
        };
        c.pub[kC] = c;
        s.ctrl = c;
        const r = start();
        Promise.resolve(r).then(() => { c.started = true; callPullIfNeeded(c); }, e => ctrlError(c, e));
      }
      function canCloseOrEnqueue(c) { return !c.closeRequested && c.stream.state === 'readable'; }
      function desiredSize(c) {
        const st = c.stream.state;
        return st === 'errored' ? null : st === 'closed' ? 0 : c.hwm - c.total;
      }
      function shouldCallPull(c) {
        const s = c.stream;
        if (!canCloseOrEnqueue(c) || !c.started) return false;
        if (s.reader !== undefined && s.reader.requests.length > 0) return true;
        return desiredSize(c) > 0;
      }
      function callPullIfNeeded(c) {
        if (!shouldCallPull(c)) return;
        if (c.pulling) { c.pullAgain = true; return; }
        c.pulling = true;
        c.pull().then(() => {
          c.pulling = false;
          if (c.pullAgain) { c.pullAgain = false; callPullIfNeeded(c); }
        }, e => ctrlError(c, e));
      }
      function clearAlgorithms(c) { c.pull = undefined; c.cancel = undefined; c.size = undefined; }
      function ctrlClose(c) {
        if (!canCloseOrEnqueue(c)) return;
        c.closeRequested = true;
        if (queueEmpty(c)) { clearAlgorithms(c); streamClose(c.stream); }
      }
      function ctrlEnqueue(c, chunk) {
        if (!canCloseOrEnqueue(c)) return;
        const s = c.stream;
        if (s.reader !== undefined && s.reader.requests.length > 0) {
          s.reader.requests.shift().chunk(chunk);
        } else {
          try {
            enqueueValueWithSize(c, chunk, c.size(chunk));
          } catch (e) {
            ctrlError(c, e);
            throw e;
          }
        }
        callPullIfNeeded(c);
      }
      function ctrlError(c, e) {
        if (c.stream.state !== 'readable') return;
        resetQueue(c);
        clearAlgorithms(c);
        streamError(c.stream, e);
      }
      function cancelSteps(c, reason) {
        resetQueue(c);
        const r = c.cancel(reason);
        clearAlgorithms(c);
        return r;
      }
      function pullSteps(c, req) {
        if (!queueEmpty(c)) {
          const chunk = dequeueValue(c);
          if (c.closeRequested && queueEmpty(c)) { clearAlgorithms(c); streamClose(c.stream); } else callPullIfNeeded(c);
          req.chunk(chunk);
        } else {
          c.stream.reader.requests.push(req);
          callPullIfNeeded(c);
        }
      }
      function streamClose(s) {
        s.state = 'closed';
        const r = s.reader;
        if (r === undefined) return;
        r.closed.resolve(undefined);
        if (r.byob) return;
        const reqs = r.requests;
        r.requests = [];
        for (const q of reqs) q.close();
      }
      function streamError(s, e) {
        s.state = 'errored';
        s.err = e;
        const r = s.reader;
        if (r === undefined) return;
        r.closed.reject(e);
        handled(r.closed.promise);
        const reqs = r.requests;
        r.requests = [];
        for (const q of reqs) q.error(e);
      }
      function streamCancel(s, reason) {
        s.disturbed = true;
        if (s.state === 'closed') return Promise.resolve(undefined);
        if (s.state === 'errored') return Promise.reject(s.err);
        streamClose(s);
        const r = s.reader;
        if (r !== undefined && r.byob) {
          const reqs = r.requests;
          r.requests = [];
          for (const q of reqs) q.close(undefined);
        }
        return (s.ctrl.bytes ? B.cancelSteps(s.ctrl, reason) : cancelSteps(s.ctrl, reason)).then(noop);
      }

      class ReadableStreamDefaultReader {
        constructor(stream) {
          if (arguments.length === 0) throw new TypeError("Failed to construct 'ReadableStreamDefaultReader': 1 argument required, but only 0 present.");
          setupReader(this, sstate(stream));
        }
        get closed() { return rstate(this).closed.promise; }
        cancel(reason = undefined) {
          let r;
          try { r = rstate(this); } catch (e) { return Promise.reject(e); }
          if (r.stream === undefined) return Promise.reject(new TypeError('This readable stream reader has been released and cannot be used to cancel its previous owner stream'));
          return streamCancel(r.stream, reason);
        }
        read() {
          let r;
          try { r = rstate(this); } catch (e) { return Promise.reject(e); }
          if (r.stream === undefined) return Promise.reject(new TypeError('This readable stream reader has been released and cannot be used to read from its previous owner stream'));
          return new Promise((resolve, reject) => readerRead(r, {
            chunk: value => resolve({ value, done: false }),
            close: () => resolve({ value: undefined, done: true }),
            error: reject,
          }));
        }
        releaseLock() {
          const r = rstate(this);
          if (r.stream !== undefined) releaseReader(r);
        }
      }
      Object.defineProperty(ReadableStreamDefaultReader.prototype, Symbol.toStringTag, { value: 'ReadableStreamDefaultReader', configurable: true });
      function rstate(x) {
        const r = x !== null && typeof x === 'object' ? x[kR] : undefined;
        if (r === undefined) throw new TypeError('Illegal invocation');
        return r;
      }
      function setupReader(pub, s) {
        if (s.reader !== undefined) throw new TypeError('ReadableStreamDefaultReader constructor can only accept readable streams that are not yet locked to a reader');
        const r = { pub, stream: s, requests: [], closed: null };
        pub[kR] = r;
        s.reader = r;
        if (s.state === 'readable') r.closed = deferred();
        else if (s.state === 'closed') { r.closed = deferred(); r.closed.resolve(undefined); } else r.closed = rejectedDeferred(s.err);
        return r;
      }
      function acquireReader(s) { return setupReader(Object.create(ReadableStreamDefaultReader.prototype), s); }
      // readerRead is ReadableStreamDefaultReaderRead; req has chunk,
      // close and error steps.
      function readerRead(r, req) {
        const s = r.stream;
        s.disturbed = true;
        if (s.state === 'closed') req.close();
        else if (s.state === 'errored') req.error(s.err);
        else if (s.ctrl.bytes) B.pullSteps(s.ctrl, req);
        else pullSteps(s.ctrl, req);
      }
      function releaseReader(r) {
        const s = r.stream;
        const e = new TypeError('Reader was released');
        if (s.state === 'readable') r.closed.reject(e);
        else r.closed = rejectedDeferred(e);
        handled(r.closed.promise);
        if (s.ctrl.bytes) B.releaseSteps(s.ctrl);
        s.reader = undefined;
        r.stream = undefined;
        const reqs = r.requests;
        r.requests = [];
        for (const q of reqs) q.error(e);
      }

      // tee is ReadableStreamDefaultTee (chunks are not cloned).
      function tee(s) {
        const reader = acquireReader(s);
        let reading = false, readAgain = false, canceled1 = false, canceled2 = false, reason1, reason2;
        const cancelled = deferred();
        let b1 = null, b2 = null;
        function pull() {
          if (reading) { readAgain = true; return Promise.resolve(undefined); }
          reading = true;
          readerRead(reader, {
            chunk(chunk) {
              Promise.resolve().then(() => {
                readAgain = false;
                if (!canceled1) ctrlEnqueue(b1.ctrl, chunk);
                if (!canceled2) ctrlEnqueue(b2.ctrl, chunk);
                reading = false;
                if (readAgain) pull();
              });
            },
            close() {
              reading = false;
              if (!canceled1) ctrlClose(b1.ctrl);
              if (!canceled2) ctrlClose(b2.ctrl);
              if (!canceled1 || !canceled2) cancelled.resolve(undefined);
            },
            error() { reading = false; },
          });
          return Promise.resolve(undefined);
        }
        function cancel1(reason) {
          canceled1 = true; reason1 = reason;
          if (canceled2) cancelled.resolve(streamCancel(s, [reason1, reason2]));
          return cancelled.promise;
        }
        function cancel2(reason) {
          canceled2 = true; reason2 = reason;
          if (canceled1) cancelled.resolve(streamCancel(s, [reason1, reason2]));
          return cancelled.promise;
        }
        b1 = createStream(noop, pull, cancel1);
        b2 = createStream(noop, pull, cancel2);
        reader.closed.promise.then(undefined, e => {
          ctrlError(b1.ctrl, e);
          ctrlError(b2.ctrl, e);
          if (!canceled1 || !canceled2) cancelled.resolve(undefined);
        });
        return [b1, b2];
      }

      // fromIterable is ReadableStreamFromIterable: GetIterator(async),
      // falling back to a sync iterator whose values are awaited.
      function fromIterable(obj) {
        if (obj === null || obj === undefined) throw new TypeError("Failed to execute 'from' on 'ReadableStream': The provided value is not iterable.");
        let iterator, next, sync = false;
        const am = obj[Symbol.asyncIterator];
        if (am !== undefined && am !== null) {
          if (typeof am !== 'function') throw new TypeError("Failed to execute 'from' on 'ReadableStream': @@asyncIterator is not a function.");
          iterator = am.call(obj);
        } else {
          const sm = obj[Symbol.iterator];
          if (typeof sm !== 'function') throw new TypeError("Failed to execute 'from' on 'ReadableStream': The provided value is not iterable.");
          iterator = sm.call(obj);
          sync = true;
        }
        if (iterator === null || (typeof iterator !== 'object' && typeof iterator !== 'function')) throw new TypeError("Failed to execute 'from' on 'ReadableStream': The iterator is not an object.");
        next = iterator.next;
        let s = null;
        function pull() {
          let p;
          try {
            const r = next.call(iterator);
            if (sync) {
              if (r === null || typeof r !== 'object') throw new TypeError('The iterator result is not an object.');
              const done = !!r.done;
              p = Promise.resolve(r.value).then(value => ({ value, done }));
            } else p = Promise.resolve(r);
          } catch (e) { return Promise.reject(e); }
          return p.then(r => {
            if (r === null || typeof r !== 'object') throw new TypeError('The iterator result is not an object.');
            if (r.done) ctrlClose(s.ctrl); else ctrlEnqueue(s.ctrl, r.value);
          });
        }
        function cancel(reason) {
          let p;
          try {
            const ret = getMethod(iterator, 'return', 'Iterator');
            if (ret === undefined) return Promise.resolve(undefined);
            p = Promise.resolve(ret.call(iterator, reason));
          } catch (e) { return Promise.reject(e); }
          return p.then(r => { if (r === null || typeof r !== 'object') throw new TypeError('The iterator result is not an object.'); });
        }
        s = createStream(noop, pull, cancel, 0);
        return s;
      }

      // The async iterator of values() and [Symbol.asyncIterator].
      const IteratorProto = Object.create(Object.prototype, {
        next: {
          writable: true, configurable: true, enumerable: true,
          value: function next() {
            const it = this !== null && typeof this === 'object' ? this[kIt] : undefined;
            if (it === undefined) return Promise.reject(new TypeError('Illegal invocation'));
            const step = () => {
              if (it.finished) return Promise.resolve({ value: undefined, done: true });
              const r = it.reader;
              if (r.stream === undefined) return Promise.reject(new TypeError('The reader was released.'));
              return new Promise((resolve, reject) => readerRead(r, {
                chunk: value => resolve({ value, done: false }),
                close: () => { releaseReader(r); it.finished = true; resolve({ value: undefined, done: true }); },
                error: e => { releaseReader(r); it.finished = true; reject(e); },
              }));
            };
            const p = it.ongoing === null ? step() : it.ongoing.then(step, step);
            it.ongoing = p;
            const clear = () => { if (it.ongoing === p) it.ongoing = null; };
            p.then(clear, clear);
            return p;
          },
        },
        return: {
          writable: true, configurable: true, enumerable: true,
          value: function ret(value = undefined) {
            const it = this !== null && typeof this === 'object' ? this[kIt] : undefined;
            if (it === undefined) return Promise.reject(new TypeError('Illegal invocation'));
            const step = () => {
              if (it.finished) return Promise.resolve({ value, done: true });
              it.finished = true;
              const r = it.reader;
              if (r.stream === undefined) return Promise.resolve({ value, done: true });
              let result;
              if (!it.preventCancel) {
                result = streamCancel(r.stream, value);
                releaseReader(r);
              } else {
                releaseReader(r);
                result = Promise.resolve(undefined);
              }
              return result.then(() => ({ value, done: true }));
            };
            const p = it.ongoing === null ? step() : it.ongoing.then(step, step);
            it.ongoing = p;
            return p;
          },
        },
        [Symbol.asyncIterator]: { writable: true, configurable: true, value: function () { return this; } },
        [Symbol.toStringTag]: { configurable: true, value: 'ReadableStream AsyncIterator' },
      });

      // The readable operations other files use (writable, transform,
      // bodies).
      internals.readableOps = {
        ReadableStream, acquireReader, initStream, rejectedDeferred, streamClose, streamError, canCloseOrEnqueue, createStream, ctrlClose, ctrlEnqueue, ctrlError, desiredSize,
        kRS, readerRead, releaseReader, shouldCallPull, streamCancel, tee,
        isStream: x => x !== null && typeof x === 'object' && x[kRS] !== undefined,
      };
      B = internals.readableOps.byteOps = internals.makeByteStreams(internals.readableOps);
      return {
        ReadableStream, ReadableStreamDefaultReader, ReadableStreamDefaultController, ReadableByteStreamController: B.ReadableByteStreamController,
        ReadableStreamBYOBReader: B.ReadableStreamBYOBReader, ReadableStreamBYOBRequest: B.ReadableStreamBYOBRequest,
      };
    });

  Object.assign(internals, {
    readableAPI,
  });
})

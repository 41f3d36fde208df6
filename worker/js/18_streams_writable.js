// 18_streams_writable.js: WritableStream (WHATWG Streams) with its
// default controller and writer, and ReadableStream's pipeTo and
// pipeThrough, built on first use.
(function (internals, host, global) {
  'use strict';
  const {
    lazy, streamsCommon
  } = internals;
  const {
    deferred, dequeueValue, enqueueValueWithSize, extractHWM, extractSize, getMethod, handled, noop, promiseCall,
    queueEmpty, rejectedDeferred, resetQueue
  } = streamsCommon;

  const kWS = Symbol('WritableStream'), kC = Symbol('controller'), kW = Symbol('writer');
  const closeSentinel = {};

  const writableAPI = lazy(['WritableStream', 'WritableStreamDefaultWriter', 'WritableStreamDefaultController'], () => {
    function illegal() { throw new TypeError('Illegal constructor'); }
    function sstate(x) {
      const s = x !== null && typeof x === 'object' ? x[kWS] : undefined;
      if (s === undefined) throw new TypeError('Illegal invocation');
      return s;
    }
    function rejecting(f) {
      return function (...args) { try { return f.apply(this, args); } catch (e) { return Promise.reject(e); } };
    }
    class WritableStream {
      constructor(underlyingSink = undefined, strategy = undefined) {
        if (underlyingSink === null || underlyingSink !== undefined && typeof underlyingSink !== 'object' && typeof underlyingSink !== 'function') throw new TypeError("Failed to construct 'WritableStream': The provided value is not of type 'UnderlyingSink'.");
        if (strategy !== undefined && strategy !== null && typeof strategy !== 'object') throw new TypeError("Failed to construct 'WritableStream': The provided value is not of type 'QueuingStrategy'.");
        const sink = underlyingSink || {};
        const abort = getMethod(sink, 'abort', 'UnderlyingSink'), close = getMethod(sink, 'close', 'UnderlyingSink');
        const start = getMethod(sink, 'start', 'UnderlyingSink'), write = getMethod(sink, 'write', 'UnderlyingSink');
        if (sink.type !== undefined) throw new RangeError("Failed to construct 'WritableStream': Invalid type is specified");
        const size = extractSize(strategy), hwm = extractHWM(strategy, 1);
        const s = initStream(this);
        setupController(s, c => start === undefined ? undefined : start.call(sink, c.pub),
          (chunk, c) => promiseCall(write, sink, chunk, c.pub), () => promiseCall(close, sink), r => promiseCall(abort, sink, r), hwm, size);
      }
      get locked() { return sstate(this).writer !== undefined; }
      getWriter() { return acquireWriter(sstate(this)).pub; }
    }
    Object.defineProperty(WritableStream.prototype, Symbol.toStringTag, { value: 'WritableStream', configurable: true });
    WritableStream.prototype.abort = rejecting(function abort(reason = undefined) {
      const s = sstate(this);
      if (s.writer !== undefined) throw new TypeError('Cannot abort a locked WritableStream.');
      return streamAbort(s, reason);
    });
    WritableStream.prototype.close = rejecting(function close() {
      const s = sstate(this);
      if (s.writer !== undefined) throw new TypeError('Cannot close a locked WritableStream.');
      if (closeQueuedOrInFlight(s)) throw new TypeError('Cannot close a WritableStream that is closing or closed.');
      return streamClose(s);
    });
    for (const k of ['abort', 'close']) Object.defineProperty(WritableStream.prototype, k, { enumerable: false });
    function initStream(pub) {
      const s = {
        pub, state: 'writable', err: undefined, writer: undefined, ctrl: undefined, writeRequests: [],
        inFlightWrite: undefined, closeRequest: undefined, inFlightClose: undefined, pendingAbort: undefined, backpressure: false,
      };
      pub[kWS] = s;
      return s;
    }
    function createStream(start, write, close, abort, hwm = 1, size = () => 1) {
      const s = initStream(Object.create(WritableStream.prototype));
      setupController(s, start, write, close, abort, hwm, size);
      return s;
    }
    function streamAbort(s, reason) {
      if (s.state === 'closed' || s.state === 'errored') return Promise.resolve(undefined);
      s.ctrl.abortController.abort(reason);
      if (s.state === 'closed' || s.state === 'errored') return Promise.resolve(undefined);
      if (s.pendingAbort !== undefined) return s.pendingAbort.d.promise;
      const wasAlreadyErroring = s.state === 'erroring';
      if (wasAlreadyErroring) reason = undefined;
      const d = deferred();
      s.pendingAbort = { d, reason, wasAlreadyErroring };
      if (!wasAlreadyErroring) startErroring(s, reason);
      return d.promise;
    }
    function streamClose(s) {
      if (s.state === 'closed' || s.state === 'errored') return Promise.reject(new TypeError('The stream is closed or errored.'));
      const d = deferred();
      s.closeRequest = d;
      const w = s.writer;
      if (w !== undefined && s.backpressure && s.state === 'writable') w.ready.resolve(undefined);
      enqueueValueWithSize(s.ctrl, closeSentinel, 0);
      advanceQueueIfNeeded(s.ctrl);
      return d.promise;
    }
    function dealWithRejection(s, e) {
      if (s.state === 'writable') { startErroring(s, e); return; }
      finishErroring(s);
    }
    function startErroring(s, reason) {
      s.state = 'erroring';
      s.err = reason;
      if (s.writer !== undefined) ensureReadyRejected(s.writer, reason);
      if (!hasOperationInFlight(s) && s.ctrl.started) finishErroring(s);
    }
    function finishErroring(s) {
      s.state = 'errored';
      resetQueue(s.ctrl);
      const reqs = s.writeRequests;
      s.writeRequests = [];
      for (const d of reqs) d.reject(s.err);
      const ab = s.pendingAbort;
      if (ab === undefined) { rejectCloseAndClosed(s); return; }
      s.pendingAbort = undefined;
      if (ab.wasAlreadyErroring) { ab.d.reject(s.err); rejectCloseAndClosed(s); return; }
      const c = s.ctrl;
      const p = c.abort(ab.reason);
      clearAlgorithms(c);
      p.then(() => { ab.d.resolve(undefined); rejectCloseAndClosed(s); }, r => { ab.d.reject(r); rejectCloseAndClosed(s); });
    }
    function finishInFlightClose(s) {
      s.inFlightClose.resolve(undefined);
      s.inFlightClose = undefined;
      if (s.state === 'erroring') {
        s.err = undefined;
        if (s.pendingAbort !== undefined) { s.pendingAbort.d.resolve(undefined); s.pendingAbort = undefined; }
      }
      s.state = 'closed';
      if (s.writer !== undefined) s.writer.closed.resolve(undefined);
    }
    function finishInFlightCloseWithError(s, e) {
      s.inFlightClose.reject(e);
      s.inFlightClose = undefined;
      if (s.pendingAbort !== undefined) { s.pendingAbort.d.reject(e); s.pendingAbort = undefined; }
      dealWithRejection(s, e);
    }
    function closeQueuedOrInFlight(s) { return s.closeRequest !== undefined || s.inFlightClose !== undefined; }
    function hasOperationInFlight(s) { return s.inFlightWrite !== undefined || s.inFlightClose !== undefined; }
    function rejectCloseAndClosed(s) {
      if (s.closeRequest !== undefined) { s.closeRequest.reject(s.err); s.closeRequest = undefined; }
      const w = s.writer;
      if (w !== undefined) { w.closed.reject(s.err); handled(w.closed.promise); }
    }
    function updateBackpressure(s, bp) {
      const w = s.writer;
      if (w !== undefined && bp !== s.backpressure) {
        if (bp) w.ready = deferred(); else w.ready.resolve(undefined);
      }
      s.backpressure = bp;
    }

    class WritableStreamDefaultController {
      constructor() { illegal(); }
      get signal() { return cstate(this).abortController.signal; }
      error(e = undefined) {
        const c = cstate(this);
        if (c.stream.state !== 'writable') return;
        ctrlError(c, e);
      }
    }
    Object.defineProperty(WritableStreamDefaultController.prototype, Symbol.toStringTag, { value: 'WritableStreamDefaultController', configurable: true });
    function cstate(x) {
      const c = x !== null && typeof x === 'object' ? x[kC] : undefined;
      if (c === undefined) throw new TypeError('Illegal invocation');
      return c;
    }
    function setupController(s, start, write, close, abort, hwm, size) {
      const c = {
        pub: Object.create(WritableStreamDefaultController.prototype), stream: s, queue: [], head: 0, total: 0,
        abortController: new global.AbortController(), started: false, hwm, size, write, close, abort,
      };
      c.pub[kC] = c;
      s.ctrl = c;
      updateBackpressure(s, desiredSize(c) <= 0);
      const r = start(c);
      Promise.resolve(r).then(() => { c.started = true; advanceQueueIfNeeded(c); }, e => { c.started = true; dealWithRejection(s, e); });
    }
    function clearAlgorithms(c) { c.write = undefined; c.close = undefined; c.abort = undefined; c.size = undefined; }
    function desiredSize(c) { return c.hwm - c.total; }
    function ctrlError(c, e) { clearAlgorithms(c); startErroring(c.stream, e); }
    function errorIfNeeded(c, e) { if (c.stream.state === 'writable') ctrlError(c, e); }
    function chunkSize(c, chunk) {
      if (c.size === undefined) return 1;
      try { return c.size(chunk); } catch (e) { errorIfNeeded(c, e); return 1; }
    }
    function ctrlWrite(c, chunk, size) {
      try { enqueueValueWithSize(c, chunk, size); } catch (e) { errorIfNeeded(c, e); return; }
      const s = c.stream;
      if (!closeQueuedOrInFlight(s) && s.state === 'writable') updateBackpressure(s, desiredSize(c) <= 0);
      advanceQueueIfNeeded(c);
    }
    function advanceQueueIfNeeded(c) {
      const s = c.stream;
      if (!c.started || s.inFlightWrite !== undefined) return;
      if (s.state === 'erroring') { finishErroring(s); return; }
      if (queueEmpty(c)) return;
      const v = c.queue[c.head];
      if (v === closeSentinel) {
        s.inFlightClose = s.closeRequest;
        s.closeRequest = undefined;
        dequeueValue(c);
        const p = c.close();
        clearAlgorithms(c);
        p.then(() => finishInFlightClose(s), r => finishInFlightCloseWithError(s, r));
        return;
      }
      s.inFlightWrite = s.writeRequests.shift();
      c.write(v, c).then(() => {
        s.inFlightWrite.resolve(undefined);
        s.inFlightWrite = undefined;
        dequeueValue(c);
        if (!closeQueuedOrInFlight(s) && s.state === 'writable') updateBackpressure(s, desiredSize(c) <= 0);
        advanceQueueIfNeeded(c);
      }, r => {
        if (s.state === 'writable') clearAlgorithms(c);
        s.inFlightWrite.reject(r);
        s.inFlightWrite = undefined;
        dealWithRejection(s, r);
      });
    }

    class WritableStreamDefaultWriter {
      constructor(stream) {
        if (arguments.length === 0) throw new TypeError("Failed to construct 'WritableStreamDefaultWriter': 1 argument required, but only 0 present.");
        setupWriter(this, sstate(stream));
      }
      get closed() { return wstate(this).closed.promise; }
      get ready() { return wstate(this).ready.promise; }
      get desiredSize() {
        const w = wstate(this);
        if (w.stream === undefined) throw new TypeError('This writer has been released.');
        return writerDesiredSize(w);
      }
      releaseLock() {
        const w = wstate(this);
        if (w.stream !== undefined) releaseWriter(w);
      }
    }
    Object.defineProperty(WritableStreamDefaultWriter.prototype, Symbol.toStringTag, { value: 'WritableStreamDefaultWriter', configurable: true });
    const released = () => new TypeError('This writer has been released and cannot be used.');
    Object.assign(WritableStreamDefaultWriter.prototype, {
      abort: rejecting(function abort(reason = undefined) {
        const w = wstate(this);
        if (w.stream === undefined) throw released();
        return streamAbort(w.stream, reason);
      }),
      close: rejecting(function close() {
        const w = wstate(this);
        if (w.stream === undefined) throw released();
        if (closeQueuedOrInFlight(w.stream)) throw new TypeError('Cannot close a WritableStream that is closing or closed.');
        return streamClose(w.stream);
      }),
      write: rejecting(function write(chunk = undefined) {
        const w = wstate(this);
        if (w.stream === undefined) throw released();
        return writerWrite(w, chunk);
      }),
    });
    for (const k of ['abort', 'close', 'write']) Object.defineProperty(WritableStreamDefaultWriter.prototype, k, { enumerable: false });
    function wstate(x) {
      const w = x !== null && typeof x === 'object' ? x[kW] : undefined;
      if (w === undefined) throw new TypeError('Illegal invocation');
      return w;
    }
    function setupWriter(pub, s) {
      if (s.writer !== undefined) throw new TypeError('Cannot create writer when WritableStream is locked');
      const w = { pub, stream: s, ready: null, closed: null };
      pub[kW] = w;
      s.writer = w;
      const resolved = () => { const d = deferred(); d.resolve(undefined); return d; };
      if (s.state === 'writable') {
        w.ready = !closeQueuedOrInFlight(s) && s.backpressure ? deferred() : resolved();
        w.closed = deferred();
      } else if (s.state === 'erroring') {
        w.ready = rejectedDeferred(s.err);
        w.closed = deferred();
      } else if (s.state === 'closed') {
        w.ready = resolved();
        w.closed = resolved();
      } else {
        w.ready = rejectedDeferred(s.err);
        w.closed = rejectedDeferred(s.err);
      }
      return w;
    }
    function acquireWriter(s) { return setupWriter(Object.create(WritableStreamDefaultWriter.prototype), s); }
    function writerDesiredSize(w) {
      const st = w.stream.state;
      if (st === 'errored' || st === 'erroring') return null;
      if (st === 'closed') return 0;
      return desiredSize(w.stream.ctrl);
    }
    function ensureReadyRejected(w, e) {
      if (!w.ready.settled) w.ready.reject(e); else w.ready = rejectedDeferred(e);
      handled(w.ready.promise);
    }
    function releaseWriter(w) {
      const s = w.stream;
      const e = new TypeError('Writer was released');
      ensureReadyRejected(w, e);
      if (!w.closed.settled) w.closed.reject(e); else w.closed = rejectedDeferred(e);
      handled(w.closed.promise);
      s.writer = undefined;
      w.stream = undefined;
    }
    function writerWrite(w, chunk) {
      const s = w.stream;
      const size = chunkSize(s.ctrl, chunk);
      if (s !== w.stream) return Promise.reject(released());
      if (s.state === 'errored') return Promise.reject(s.err);
      if (closeQueuedOrInFlight(s) || s.state === 'closed') return Promise.reject(new TypeError('The stream is closing or closed and cannot be written to.'));
      if (s.state === 'erroring') return Promise.reject(s.err);
      const d = deferred();
      s.writeRequests.push(d);
      ctrlWrite(s.ctrl, chunk, size);
      return d.promise;
    }
    function closeWithErrorPropagation(w) {
      const s = w.stream;
      if (closeQueuedOrInFlight(s) || s.state === 'closed') return Promise.resolve(undefined);
      if (s.state === 'errored') return Promise.reject(s.err);
      return streamClose(s);
    }

    internals.writableOps = {
      closeQueuedOrInFlight, createStream, errorIfNeeded, isStream: x => x !== null && typeof x === 'object' && x[kWS] !== undefined,
      kWS, streamAbort, acquireWriter, releaseWriter, writerWrite, closeWithErrorPropagation,
    };
    return { WritableStream, WritableStreamDefaultWriter, WritableStreamDefaultController };
  });

  // pipeTo is ReadableStreamPipeTo for ReadableStream.prototype.pipeTo
  // (source state src).
  function pipeTo(src, destination, options) {
    writableAPI();
    const W = internals.writableOps, R = internals.readableOps;
    if (!W.isStream(destination)) return Promise.reject(new TypeError("Failed to execute 'pipeTo' on 'ReadableStream': parameter 1 is not of type 'WritableStream'."));
    let preventClose = false, preventAbort = false, preventCancel = false, signal;
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object') return Promise.reject(new TypeError("Failed to execute 'pipeTo' on 'ReadableStream': The provided value is not of type 'StreamPipeOptions'."));
      preventAbort = !!options.preventAbort; preventCancel = !!options.preventCancel; preventClose = !!options.preventClose;
      signal = options.signal;
      if (signal !== undefined && !(signal instanceof internals.AbortSignal)) return Promise.reject(new TypeError("Failed to execute 'pipeTo' on 'ReadableStream': member signal is not of type AbortSignal."));
    }
    if (src.reader !== undefined) return Promise.reject(new TypeError('Cannot pipe a locked ReadableStream.'));
    const dest = destination[W.kWS];
    if (dest.writer !== undefined) return Promise.reject(new TypeError('Cannot pipe to a locked WritableStream.'));
    return pipe(R, W, src, dest, preventClose, preventAbort, preventCancel, signal);
  }
  function pipe(R, W, src, dest, preventClose, preventAbort, preventCancel, signal) {
    const reader = R.acquireReader(src), writer = W.acquireWriter(dest);
    src.disturbed = true;
    let shuttingDown = false, currentWrite = Promise.resolve(undefined), onAbort = null;
    const done = deferred();
    function finalize(isError, error) {
      W.releaseWriter(writer);
      R.releaseReader(reader);
      if (onAbort !== null) signal.removeEventListener('abort', onAbort);
      if (isError) done.reject(error); else done.resolve(undefined);
    }
    function waitForWrites() {
      const old = currentWrite;
      return old.then(() => (old !== currentWrite ? waitForWrites() : undefined));
    }
    function shutdown(action, isError, error) {
      if (shuttingDown) return;
      shuttingDown = true;
      const rest = () => {
        if (action === null) { finalize(isError, error); return; }
        let p;
        try { p = Promise.resolve(action()); } catch (e) { p = Promise.reject(e); }
        p.then(() => finalize(isError, error), e => finalize(true, e));
      };
      if (dest.state === 'writable' && !W.closeQueuedOrInFlight(dest)) waitForWrites().then(rest); else rest();
    }
    function checkStates() {
      if (src.state === 'errored') {
        const e = src.err;
        if (!preventAbort) shutdown(() => W.streamAbort(dest, e), true, e); else shutdown(null, true, e);
        return true;
      }
      if (dest.state === 'errored' || dest.state === 'erroring') {
        const e = dest.err;
        if (!preventCancel) shutdown(() => R.streamCancel(src, e), true, e); else shutdown(null, true, e);
        return true;
      }
      if (src.state === 'closed') {
        if (!preventClose) shutdown(() => W.closeWithErrorPropagation(writer), false); else shutdown(null, false);
        return true;
      }
      if (W.closeQueuedOrInFlight(dest) || dest.state === 'closed') {
        const e = new TypeError('The destination writable stream closed before all data could be piped to it.');
        if (!preventCancel) shutdown(() => R.streamCancel(src, e), true, e); else shutdown(null, true, e);
        return true;
      }
      return false;
    }
    if (signal !== undefined) {
      onAbort = () => {
        const error = signal.reason;
        const actions = [];
        if (!preventAbort) actions.push(() => (dest.state === 'writable' ? W.streamAbort(dest, error) : undefined));
        if (!preventCancel) actions.push(() => (src.state === 'readable' ? R.streamCancel(src, error) : undefined));
        shutdown(() => Promise.all(actions.map(a => a())), true, error);
      };
      if (signal.aborted) { onAbort(); return done.promise; }
      signal.addEventListener('abort', onAbort);
    }
    const check = () => { if (!shuttingDown) checkStates(); };
    reader.closed.promise.then(check, check);
    writer.closed.promise.then(check, check);
    if (checkStates()) return done.promise;
    function loop() {
      if (shuttingDown) return;
      writer.ready.promise.then(() => {
        if (shuttingDown) return;
        R.readerRead(reader, {
          chunk(chunk) {
            currentWrite = W.writerWrite(writer, chunk).then(undefined, noop);
            loop();
          },
          close: check,
          error: check,
        });
      }, check);
    }
    loop();
    return done.promise;
  }
  function pipeThrough(stream, src, transform, options) {
    if (transform === null || typeof transform !== 'object') throw new TypeError("Failed to execute 'pipeThrough' on 'ReadableStream': The provided value is not of type 'ReadableWritablePair'.");
    const { readable, writable } = transform;
    if (!internals.readableOps.isStream(readable)) throw new TypeError("Failed to execute 'pipeThrough' on 'ReadableStream': Failed to read the 'readable' property from 'ReadableWritablePair': The provided value is not of type 'ReadableStream'.");
    writableAPI();
    if (!internals.writableOps.isStream(writable)) throw new TypeError("Failed to execute 'pipeThrough' on 'ReadableStream': Failed to read the 'writable' property from 'ReadableWritablePair': The provided value is not of type 'WritableStream'.");
    if (src.reader !== undefined) throw new TypeError('Cannot pipe a locked ReadableStream.');
    if (writable[internals.writableOps.kWS].writer !== undefined) throw new TypeError('Cannot pipe to a locked WritableStream.');
    handled(pipeTo(src, writable, options));
    return readable;
  }

  Object.assign(internals, {
    pipeThrough, pipeTo, writableAPI,
  });
})

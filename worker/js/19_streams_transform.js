// 19_streams_transform.js: TransformStream (WHATWG Streams) and its
// default controller, and TextEncoderStream and TextDecoderStream
// (Encoding standard), built on first use.
(function (internals, host, global) {
  'use strict';
  const {
    lazy, readableAPI, streamsCommon, writableAPI
  } = internals;
  const {
    deferred, extractHWM, extractSize, getMethod, promiseCall
  } = streamsCommon;

  const kTS = Symbol('TransformStream'), kC = Symbol('controller'), kX = Symbol('textStream');

  const transformAPI = lazy(['TransformStream', 'TransformStreamDefaultController'], () => {
    readableAPI();
    writableAPI();
    const R = internals.readableOps, W = internals.writableOps;
    function illegal() { throw new TypeError('Illegal constructor'); }
    function tstate(x) {
      const t = x !== null && typeof x === 'object' ? x[kTS] : undefined;
      if (t === undefined) throw new TypeError('Illegal invocation');
      return t;
    }
    class TransformStream {
      constructor(transformer = undefined, writableStrategy = undefined, readableStrategy = undefined) {
        if (transformer === null || transformer !== undefined && typeof transformer !== 'object' && typeof transformer !== 'function') throw new TypeError("Failed to construct 'TransformStream': The provided value is not of type 'Transformer'.");
        const tr = transformer || {};
        const cancel = getMethod(tr, 'cancel', 'Transformer'), flush = getMethod(tr, 'flush', 'Transformer');
        if (tr.readableType !== undefined) throw new RangeError("Failed to construct 'TransformStream': Invalid readableType is specified");
        const start = getMethod(tr, 'start', 'Transformer'), transform = getMethod(tr, 'transform', 'Transformer');
        if (tr.writableType !== undefined) throw new RangeError("Failed to construct 'TransformStream': Invalid writableType is specified");
        const rHWM = extractHWM(readableStrategy, 0), rSize = extractSize(readableStrategy);
        const wHWM = extractHWM(writableStrategy, 1), wSize = extractSize(writableStrategy);
        const startPromise = deferred();
        const t = initialize(this, startPromise, wHWM, wSize, rHWM, rSize);
        const c = setupController(t,
          transform === undefined ? chunk => { try { enqueue(t.ctrl, chunk); return Promise.resolve(undefined); } catch (e) { return Promise.reject(e); } } : chunk => promiseCall(transform, tr, chunk, t.ctrl.pub),
          () => promiseCall(flush, tr, t.ctrl.pub), r => promiseCall(cancel, tr, r));
        if (start !== undefined) startPromise.resolve(start.call(tr, c.pub)); else startPromise.resolve(undefined);
      }
      get readable() { return tstate(this).readable.pub; }
      get writable() { return tstate(this).writable.pub; }
    }
    Object.defineProperty(TransformStream.prototype, Symbol.toStringTag, { value: 'TransformStream', configurable: true });
    function initialize(pub, startPromise, wHWM, wSize, rHWM, rSize) {
      const t = { pub, readable: null, writable: null, backpressure: undefined, bpChange: undefined, ctrl: undefined };
      pub[kTS] = t;
      const start = () => startPromise.promise;
      t.writable = W.createStream(start, chunk => sinkWrite(t, chunk), () => sinkClose(t), r => sinkAbort(t, r), wHWM, wSize);
      t.readable = R.createStream(start, () => sourcePull(t), r => sourceCancel(t, r), rHWM, rSize);
      setBackpressure(t, true);
      return t;
    }
    // createTransform makes a TransformStream from algorithms (the text
    // and compression streams): transform(c, chunk), flush(c) and
    // cancel(c, reason) may throw or return a promise; cancel is optional.
    function createTransform(pub, transform, flush, cancel = undefined) {
      const startPromise = deferred();
      const t = initialize(pub, startPromise, 1, () => 1, 0, () => 1);
      const wrap = f => (...a) => { try { return Promise.resolve(f(t.ctrl, ...a)); } catch (e) { return Promise.reject(e); } };
      setupController(t, wrap(transform), wrap(flush), cancel === undefined ? () => Promise.resolve(undefined) : wrap(cancel));
      startPromise.resolve(undefined);
      return t;
    }
    // pulled resolves to true once the readable side of c's stream wants
    // another chunk (at once when it has no backpressure), or to false
    // once it can take none (closed, errored or cancelled).
    function pulled(c) {
      const t = c.stream;
      if (!R.canCloseOrEnqueue(t.readable.ctrl)) return Promise.resolve(false);
      if (!t.backpressure) return Promise.resolve(true);
      return t.bpChange.promise.then(() => pulled(c));
    }
    function setBackpressure(t, bp) {
      if (t.bpChange !== undefined) t.bpChange.resolve(undefined);
      t.bpChange = deferred();
      t.backpressure = bp;
    }
    function error(t, e) {
      R.ctrlError(t.readable.ctrl, e);
      errorWritableAndUnblockWrite(t, e);
    }
    function errorWritableAndUnblockWrite(t, e) {
      clearAlgorithms(t.ctrl);
      W.errorIfNeeded(t.writable.ctrl, e);
      unblockWrite(t);
    }
    function unblockWrite(t) { if (t.backpressure) setBackpressure(t, false); }

    class TransformStreamDefaultController {
      constructor() { illegal(); }
      get desiredSize() { return R.desiredSize(cstate(this).stream.readable.ctrl); }
      enqueue(chunk = undefined) { enqueue(cstate(this), chunk); }
      error(reason = undefined) { error(cstate(this).stream, reason); }
      terminate() { terminate(cstate(this)); }
    }
    Object.defineProperty(TransformStreamDefaultController.prototype, Symbol.toStringTag, { value: 'TransformStreamDefaultController', configurable: true });
    function cstate(x) {
      const c = x !== null && typeof x === 'object' ? x[kC] : undefined;
      if (c === undefined) throw new TypeError('Illegal invocation');
      return c;
    }
    function setupController(t, transform, flush, cancel) {
      const c = { pub: Object.create(TransformStreamDefaultController.prototype), stream: t, transform, flush, cancel, finish: undefined };
      c.pub[kC] = c;
      t.ctrl = c;
      return c;
    }
    function clearAlgorithms(c) { c.transform = undefined; c.flush = undefined; c.cancel = undefined; }
    function enqueue(c, chunk) {
      const t = c.stream, rc = t.readable.ctrl;
      if (!R.canCloseOrEnqueue(rc)) throw new TypeError('Readable side is not in a state that permits enqueue');
      try {
        R.ctrlEnqueue(rc, chunk);
      } catch (e) {
        errorWritableAndUnblockWrite(t, e);
        throw t.readable.err;
      }
      const bp = !R.shouldCallPull(rc);
      if (bp !== t.backpressure) setBackpressure(t, true);
    }
    function terminate(c) {
      const t = c.stream;
      R.ctrlClose(t.readable.ctrl);
      errorWritableAndUnblockWrite(t, new TypeError('The transform stream has been terminated'));
    }
    function performTransform(c, chunk) {
      return c.transform(chunk).then(undefined, r => { error(c.stream, r); throw r; });
    }
    function sinkWrite(t, chunk) {
      const c = t.ctrl;
      if (t.backpressure) {
        return t.bpChange.promise.then(() => {
          if (t.writable.state === 'erroring') throw t.writable.err;
          return performTransform(c, chunk);
        });
      }
      return performTransform(c, chunk);
    }
    function sinkAbort(t, reason) {
      const c = t.ctrl;
      if (c.finish !== undefined) return c.finish.promise;
      const readable = t.readable;
      const d = c.finish = deferred();
      const p = c.cancel(reason);
      clearAlgorithms(c);
      p.then(() => {
        if (readable.state === 'errored') d.reject(readable.err);
        else { R.ctrlError(readable.ctrl, reason); d.resolve(undefined); }
      }, r => { R.ctrlError(readable.ctrl, r); d.reject(r); });
      return d.promise;
    }
    function sinkClose(t) {
      const c = t.ctrl;
      if (c.finish !== undefined) return c.finish.promise;
      const readable = t.readable;
      const d = c.finish = deferred();
      const p = c.flush();
      clearAlgorithms(c);
      p.then(() => {
        if (readable.state === 'errored') d.reject(readable.err);
        else { R.ctrlClose(readable.ctrl); d.resolve(undefined); }
      }, r => { R.ctrlError(readable.ctrl, r); d.reject(r); });
      return d.promise;
    }
    function sourcePull(t) {
      setBackpressure(t, false);
      return t.bpChange.promise;
    }
    function sourceCancel(t, reason) {
      const c = t.ctrl;
      if (c.finish !== undefined) return c.finish.promise;
      const writable = t.writable;
      const d = c.finish = deferred();
      const p = c.cancel(reason);
      clearAlgorithms(c);
      p.then(() => {
        if (writable.state === 'errored') d.reject(writable.err);
        else { W.errorIfNeeded(writable.ctrl, reason); unblockWrite(t); d.resolve(undefined); }
      }, r => { W.errorIfNeeded(writable.ctrl, r); unblockWrite(t); d.reject(r); });
      return d.promise;
    }
    internals.transformOps = { createTransform, enqueue, pulled };
    return { TransformStream, TransformStreamDefaultController };
  });

  const textStreamsAPI = lazy(['TextEncoderStream', 'TextDecoderStream'], () => {
    transformAPI();
    const { createTransform, enqueue } = internals.transformOps;
    function xstate(x) {
      const t = x !== null && typeof x === 'object' ? x[kX] : undefined;
      if (t === undefined) throw new TypeError('Illegal invocation');
      return t;
    }
    // TextEncoderStream keeps a lead surrogate that ends a chunk for the
    // next one.
    class TextEncoderStream {
      constructor() {
        const enc = new global.TextEncoder();
        let pending = '';
        this[kX] = createTransform(this, (c, chunk) => {
          let s = pending + String(chunk);
          pending = '';
          const last = s.charCodeAt(s.length - 1);
          if (last >= 0xd800 && last <= 0xdbff) { pending = s.slice(-1); s = s.slice(0, -1); }
          if (s.length > 0) enqueue(c, enc.encode(s));
        }, c => {
          if (pending !== '') enqueue(c, new Uint8Array([0xef, 0xbf, 0xbd]));
        });
      }
      get encoding() { xstate(this); return 'utf-8'; }
      get readable() { return xstate(this).readable.pub; }
      get writable() { return xstate(this).writable.pub; }
    }
    Object.defineProperty(TextEncoderStream.prototype, Symbol.toStringTag, { value: 'TextEncoderStream', configurable: true });
    class TextDecoderStream {
      constructor(label = 'utf-8', options = undefined) {
        const dec = new global.TextDecoder(label, options);
        this[kX] = createTransform(this, (c, chunk) => {
          if (!(chunk instanceof ArrayBuffer) && !ArrayBuffer.isView(chunk)) throw new TypeError("Failed to execute 'decode' on 'TextDecoder': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
          const s = dec.decode(chunk, { stream: true });
          if (s !== '') enqueue(c, s);
        }, c => {
          const s = dec.decode();
          if (s !== '') enqueue(c, s);
        });
        this[kX].decoder = dec;
      }
      get encoding() { return xstate(this).decoder.encoding; }
      get fatal() { return xstate(this).decoder.fatal; }
      get ignoreBOM() { return xstate(this).decoder.ignoreBOM; }
      get readable() { return xstate(this).readable.pub; }
      get writable() { return xstate(this).writable.pub; }
    }
    Object.defineProperty(TextDecoderStream.prototype, Symbol.toStringTag, { value: 'TextDecoderStream', configurable: true });
    return { TextEncoderStream, TextDecoderStream };
  });

  Object.assign(internals, {
    textStreamsAPI, transformAPI,
  });
})

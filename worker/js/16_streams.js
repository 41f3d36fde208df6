// 16_streams.js: what the WHATWG Streams files share: promise helpers,
// queues with sizes, strategy extraction, and the queuing strategies
// (CountQueuingStrategy, ByteLengthQueuingStrategy), built on first use.
(function (internals, host, global) {
  'use strict';
  const {
    lazy
  } = internals;

  const noop = () => {};
  function deferred() {
    const d = { promise: null, resolve: null, reject: null, settled: false };
    d.promise = new Promise((res, rej) => {
      d.resolve = v => { d.settled = true; res(v); };
      d.reject = e => { d.settled = true; rej(e); };
    });
    return d;
  }
  function handled(p) { p.then(undefined, noop); return p; }
  function rejectedDeferred(e) { const d = deferred(); d.reject(e); handled(d.promise); return d; }
  // promiseCall calls f and returns a promise of its result (rejected
  // when it throws).
  function promiseCall(f, self, ...args) {
    try { return Promise.resolve(f === undefined ? undefined : f.apply(self, args)); } catch (e) { return Promise.reject(e); }
  }
  function getMethod(obj, name, what) {
    const m = obj[name];
    if (m === undefined || m === null) return undefined;
    if (typeof m !== 'function') throw new TypeError(what + " member '" + name + "' is not a function.");
    return m;
  }
  // Queue-with-sizes (the spec's abstract ops on a container).
  function enqueueValueWithSize(c, value, size) {
    size = Number(size);
    if (!(size >= 0) || size === Infinity) throw new RangeError('The chunk size must be a finite, non-negative number.');
    c.queue.push(value, size);
    c.total += size;
  }
  function dequeueValue(c) {
    const v = c.queue[c.head], size = c.queue[c.head + 1];
    c.queue[c.head] = undefined;
    c.head += 2;
    c.total -= size;
    if (c.total < 0) c.total = 0;
    if (c.head === c.queue.length) { c.queue = []; c.head = 0; } else if (c.head > 64) { c.queue = c.queue.slice(c.head); c.head = 0; }
    return v;
  }
  function queueEmpty(c) { return c.head === c.queue.length; }
  function resetQueue(c) { c.queue = []; c.head = 0; c.total = 0; }
  function extractHWM(strategy, def) {
    if (strategy === undefined || strategy === null) return def;
    const h = strategy.highWaterMark;
    if (h === undefined) return def;
    const n = Number(h);
    if (Number.isNaN(n) || n < 0) throw new RangeError('Invalid highWaterMark');
    return n;
  }
  function extractSize(strategy) {
    const size = strategy === undefined || strategy === null ? undefined : strategy.size;
    if (size === undefined) return () => 1;
    if (typeof size !== 'function') throw new TypeError("Failed to construct: member size is not a function.");
    return chunk => Number(size(chunk));
  }

  const strategiesAPI = lazy(['CountQueuingStrategy', 'ByteLengthQueuingStrategy'], () => {
    // Queuing strategies.
    function strategyInit(init, name) {
      if (init === null || typeof init !== 'object') throw new TypeError("Failed to construct '" + name + "': The provided value is not of type 'QueuingStrategyInit'.");
      if (init.highWaterMark === undefined) throw new TypeError("Failed to construct '" + name + "': Failed to read the 'highWaterMark' property from 'QueuingStrategyInit': Required member is undefined.");
      return Number(init.highWaterMark);
    }
    const kHWM = Symbol('highWaterMark');
    function hwmOf(x) {
      if (x === null || typeof x !== 'object' || !(kHWM in x)) throw new TypeError('Illegal invocation');
      return x[kHWM];
    }
    const countSize = function size() { return 1; };
    const byteSize = function size(chunk) { return chunk.byteLength; };
    class CountQueuingStrategy {
      constructor(init) { this[kHWM] = strategyInit(init, 'CountQueuingStrategy'); }
      get highWaterMark() { return hwmOf(this); }
      get size() { hwmOf(this); return countSize; }
    }
    Object.defineProperty(CountQueuingStrategy.prototype, Symbol.toStringTag, { value: 'CountQueuingStrategy', configurable: true });
    class ByteLengthQueuingStrategy {
      constructor(init) { this[kHWM] = strategyInit(init, 'ByteLengthQueuingStrategy'); }
      get highWaterMark() { return hwmOf(this); }
      get size() { hwmOf(this); return byteSize; }
    }
    Object.defineProperty(ByteLengthQueuingStrategy.prototype, Symbol.toStringTag, { value: 'ByteLengthQueuingStrategy', configurable: true });

    return { CountQueuingStrategy, ByteLengthQueuingStrategy };
  });

  Object.assign(internals, {
    strategiesAPI,
    streamsCommon: { deferred, dequeueValue, enqueueValueWithSize, extractHWM, extractSize, getMethod, handled, noop, promiseCall, queueEmpty, rejectedDeferred, resetQueue },
  });
})

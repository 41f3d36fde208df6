// 05_ecmascript.js: ECMAScript built-ins the engine lacks that modern
// scripts use, and that the code esbuild lowers them to relies on (see
// worker/lower.go): the well-known symbols Symbol.asyncIterator,
// Symbol.dispose and Symbol.asyncDispose, SuppressedError,
// Array.fromAsync, Promise.withResolvers, Promise.try, Object.groupBy,
// Map.groupBy, String.prototype.isWellFormed and toWellFormed, and
// %TypedArray%.from over a string. Each
// follows ECMA-262's algorithm and is installed only where the engine has
// none; docs/ecmascript.md lists what is still missing.
(function (internals, host, global) {
  'use strict';
  const { define, str } = internals;

  // The intrinsics, as they are before any script runs.
  const IntrinsicArray = Array;
  const IntrinsicMap = Map;
  const MAX_SAFE = Number.MAX_SAFE_INTEGER;
  const mapGet = Map.prototype.get;
  const mapSet = Map.prototype.set;
  const mapForEach = Map.prototype.forEach;
  const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');

  // Well-known symbols: lowered for await, async generators and using
  // look them up on Symbol, as scripts do.
  for (const name of ['asyncIterator', 'dispose', 'asyncDispose']) {
    if (typeof Symbol[name] !== 'symbol') {
      Object.defineProperty(Symbol, name, { value: Symbol('Symbol.' + name), writable: false, enumerable: false, configurable: false });
    }
  }

  // IsConstructor(C), without calling C.
  function isConstructor(C) {
    if (typeof C !== 'function') return false;
    try {
      Reflect.construct(Object, [], C);
      return true;
    } catch {
      return false;
    }
  }

  // GetMethod(v, key).
  function getMethod(v, key) {
    const m = v[key];
    if (m === undefined || m === null) return undefined;
    if (typeof m !== 'function') throw new TypeError(String(key.description) + ' is not a function');
    return m;
  }

  // NewPromiseCapability(C).
  function newPromiseCapability(C) {
    if (!isConstructor(C)) throw new TypeError('Promise capability: the receiver is not a constructor');
    let resolve, reject;
    const promise = new C((res, rej) => {
      if (resolve !== undefined || reject !== undefined) throw new TypeError('Promise executor called twice');
      resolve = res;
      reject = rej;
    });
    if (typeof resolve !== 'function' || typeof reject !== 'function') throw new TypeError('Promise resolve or reject is not callable');
    return { promise, resolve, reject };
  }

  // SuppressedError (explicit resource management): the error a disposal
  // threw, with the one it suppressed.
  if (typeof global.SuppressedError !== 'function') {
    const SuppressedError = function SuppressedError(error, suppressed, message) {
      const O = Reflect.construct(Error, message === undefined ? [] : [message], new.target || SuppressedError);
      define(O, { error, suppressed });
      return O;
    };
    Object.setPrototypeOf(SuppressedError, Error);
    const proto = Object.create(Error.prototype);
    define(proto, { constructor: SuppressedError, name: 'SuppressedError', message: '' });
    Object.defineProperty(SuppressedError, 'prototype', { value: proto, writable: false, enumerable: false, configurable: false });
    Object.defineProperty(global, 'SuppressedError', { value: SuppressedError, writable: true, enumerable: false, configurable: true });
  }

  // CreateAsyncFromSyncIterator: the async iterator for await and
  // Array.fromAsync make of a sync one; a rejected value closes it.
  function asyncFromSync(iterator, next) {
    const closeOnRejection = (result) => {
      const done = Boolean(result.done);
      return Promise.resolve(result.value).then((value) => ({ value, done }), (err) => {
        if (!done) {
          try {
            const ret = iterator.return;
            if (ret !== undefined && ret !== null) ret.call(iterator);
          } catch {
            // the rejection wins
          }
        }
        throw err;
      });
    };
    return {
      next() {
        const result = next.call(iterator);
        if (!isObject(result)) throw new TypeError('iterator result is not an object');
        return closeOnRejection(result);
      },
      return() {
        const ret = iterator.return;
        if (ret === undefined || ret === null) return Promise.resolve({ value: undefined, done: true });
        const result = ret.call(iterator);
        if (!isObject(result)) throw new TypeError('iterator result is not an object');
        return closeOnRejection(result);
      },
    };
  }

  // AsyncIteratorClose(iterator, error): calls return and rethrows error.
  async function asyncIteratorClose(iterator, error) {
    try {
      const ret = iterator.return;
      if (ret !== undefined && ret !== null) await ret.call(iterator);
    } catch {
      // the original error wins
    }
    throw error;
  }

  function createDataProperty(O, key, value) {
    Object.defineProperty(O, key, { value, writable: true, enumerable: true, configurable: true });
  }

  if (typeof Array.fromAsync !== 'function') {
    define(Array, {
      // Array.fromAsync(asyncItems, mapper, thisArg) (ES2026).
      async fromAsync(asyncItems, mapper = undefined, thisArg = undefined) {
        const C = this;
        const mapping = mapper !== undefined;
        if (mapping && typeof mapper !== 'function') throw new TypeError('Array.fromAsync: the mapper is not a function');
        if (asyncItems === undefined || asyncItems === null) throw new TypeError('Array.fromAsync: ' + asyncItems + ' is not iterable');
        let iterator, next;
        const usingAsync = getMethod(asyncItems, Symbol.asyncIterator);
        if (usingAsync !== undefined) {
          iterator = usingAsync.call(asyncItems);
          if (!isObject(iterator)) throw new TypeError('Array.fromAsync: the async iterator is not an object');
          next = iterator.next;
        } else {
          const usingSync = getMethod(asyncItems, Symbol.iterator);
          if (usingSync !== undefined) {
            const sync = usingSync.call(asyncItems);
            if (!isObject(sync)) throw new TypeError('Array.fromAsync: the iterator is not an object');
            iterator = asyncFromSync(sync, sync.next);
            next = iterator.next;
          }
        }
        if (iterator !== undefined) {
          const A = isConstructor(C) ? new C() : [];
          for (let k = 0; ; k++) {
            if (k >= MAX_SAFE) return asyncIteratorClose(iterator, new TypeError('Array.fromAsync: too many items'));
            const result = await next.call(iterator);
            if (!isObject(result)) throw new TypeError('Array.fromAsync: the iterator result is not an object');
            if (result.done) {
              A.length = k;
              return A;
            }
            let value = result.value;
            try {
              if (mapping) value = await mapper.call(thisArg, value, k);
              createDataProperty(A, String(k), value);
            } catch (err) {
              return asyncIteratorClose(iterator, err);
            }
          }
        }
        const arrayLike = Object(asyncItems);
        const len = Math.min(Math.max(Math.trunc(Number(arrayLike.length)) || 0, 0), MAX_SAFE);
        const A = isConstructor(C) ? new C(len) : new IntrinsicArray(len);
        for (let k = 0; k < len; k++) {
          let value = await arrayLike[k];
          if (mapping) value = await mapper.call(thisArg, value, k);
          createDataProperty(A, String(k), value);
        }
        A.length = len;
        return A;
      },
    });
  }

  // %TypedArray%.from(source, mapfn, thisArg) with a string source (the
  // usual base64 idiom: Uint8Array.from(atob(s), c => c.charCodeAt(0))):
  // the engine converts source to an object before looking up its
  // iterator and throws a TypeError for a primitive string, where
  // ECMA-262's GetMethod(source, @@iterator) reads String.prototype's. A
  // string is iterated by code points, as Array.from does; every other
  // source goes to the engine's own from as it is.
  {
    const TypedArray = Object.getPrototypeOf(Uint8Array);
    const nativeFrom = TypedArray.from;
    const arrayFrom = Array.from;
    let stringWorks = true;
    try { Uint8Array.from('1'); } catch (_) { stringWorks = false; }
    if (!stringWorks) {
      const from = {
        from(source, mapfn = undefined, thisArg = undefined) {
          return nativeFrom.call(this, typeof source === 'string' ? arrayFrom.call(IntrinsicArray, source) : source, mapfn, thisArg);
        },
      }.from;
      Object.defineProperty(from, 'length', { value: 1 });
      Object.defineProperty(TypedArray, 'from', { value: from, writable: true, enumerable: false, configurable: true });
    }
  }

  if (typeof Promise.withResolvers !== 'function') {
    define(Promise, {
      // Promise.withResolvers() (ES2024).
      withResolvers() {
        const { promise, resolve, reject } = newPromiseCapability(this);
        return { promise, resolve, reject };
      },
    });
  }
  if (typeof Promise.try !== 'function') {
    define(Promise, {
      // Promise.try(callback, ...args) (ES2025).
      'try'(callback, ...args) {
        if (!isObject(this)) throw new TypeError('Promise.try: the receiver is not an object');
        const cap = newPromiseCapability(this);
        try {
          cap.resolve(callback(...args));
        } catch (err) {
          cap.reject(err);
        }
        return cap.promise;
      },
    });
  }

  // GroupBy(items, callback, keyCoercion) (ES2024): the groups in the
  // order their keys first appear, in a Map.
  function groupBy(items, callback, toKey) {
    if (items === undefined || items === null) throw new TypeError('groupBy: ' + items + ' is not iterable');
    if (typeof callback !== 'function') throw new TypeError('groupBy: the callback is not a function');
    const groups = new IntrinsicMap();
    let k = 0;
    for (const value of items) {
      if (k >= MAX_SAFE) throw new TypeError('groupBy: too many items'); // for-of closes the iterator
      const key = toKey(callback(value, k));
      const group = mapGet.call(groups, key);
      if (group === undefined) mapSet.call(groups, key, [value]);
      else group[group.length] = value;
      k++;
    }
    return groups;
  }
  // ToPropertyKey, as a computed property name applies it.
  const toPropertyKey = (key) => Reflect.ownKeys({ [key]: 0 })[0];
  const zeroKey = (key) => (key === 0 ? 0 : key); // -0 becomes +0

  if (typeof Object.groupBy !== 'function') {
    define(Object, {
      groupBy(items, callback) {
        const obj = Object.create(null);
        mapForEach.call(groupBy(items, callback, toPropertyKey), (elements, key) => createDataProperty(obj, key, elements));
        return obj;
      },
    });
  }
  if (typeof Map.groupBy !== 'function') {
    define(Map, {
      groupBy(items, callback) {
        const map = new IntrinsicMap();
        mapForEach.call(groupBy(items, callback, zeroKey), (elements, key) => mapSet.call(map, key, elements));
        return map;
      },
    });
  }

  // String.prototype.isWellFormed and toWellFormed (ES2024): lone
  // surrogates, and their replacement by U+FFFD.
  function thisString(s, method) {
    if (s === undefined || s === null) throw new TypeError('String.prototype.' + method + ' called on ' + s);
    return `${s}`;
  }
  function loneSurrogate(s, i) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) return false;
    if (c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      return !(d >= 0xdc00 && d <= 0xdfff);
    }
    const b = s.charCodeAt(i - 1);
    return !(b >= 0xd800 && b <= 0xdbff);
  }
  if (typeof String.prototype.isWellFormed !== 'function') {
    define(String.prototype, {
      isWellFormed() {
        const s = thisString(this, 'isWellFormed');
        for (let i = 0; i < s.length; i++) if (loneSurrogate(s, i)) return false;
        return true;
      },
      toWellFormed() {
        const s = thisString(this, 'toWellFormed');
        let out = '';
        let from = 0;
        for (let i = 0; i < s.length; i++) {
          if (loneSurrogate(s, i)) {
            out += s.slice(from, i) + '\ufffd';
            from = i + 1;
          }
        }
        return from === 0 ? s : out + s.slice(from);
      },
    });
  }

  // Float16Array, Math.f16round, DataView.prototype.getFloat16 and
  // setFloat16 (ES2025): the vendored @petamoriken/float16 polyfill, run
  // on first use (host.loadFloat16; worker/third_party/float16).
  {
    const float16 = internals.lazy(['Float16Array'], () => {
      const m = host.loadFloat16();
      return { Float16Array: m.Float16Array, m };
    });
    define(Math, { f16round(x) { return float16().m.f16round(x); } });
    define(DataView.prototype, {
      getFloat16(byteOffset, littleEndian = false) { return float16().m.getFloat16(this, byteOffset, littleEndian); },
      setFloat16(byteOffset, value, littleEndian = false) { return float16().m.setFloat16(this, byteOffset, value, littleEndian); },
    });
  }

  // JSON.parse: without a reviver, Go builds the values straight from the
  // text (worker/jsonparse.go), several times faster than the engine's
  // parser, which goes through encoding/json's tokens; with one, or for a
  // text Go leaves to it, the engine's own.
  {
    const engineParse = JSON.parse;
    const JSONSyntaxError = SyntaxError;
    const parse = {
      parse(text, reviver) {
        const s = str(text);
        if (typeof reviver === 'function') return engineParse(s, reviver);
        let v;
        try {
          v = host.jsonParse(s);
        } catch (e) {
          // Go reports a malformed text by name; JSON.parse throws the
          // ECMAScript SyntaxError.
          if (e !== null && typeof e === 'object' && e.name === 'SyntaxError') throw new JSONSyntaxError(e.message);
          throw e;
        }
        return v === undefined ? engineParse(s) : v;
      },
    }.parse;
    define(JSON, { parse });
  }
})

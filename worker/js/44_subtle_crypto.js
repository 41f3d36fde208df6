// 44_subtle_crypto.js: SubtleCrypto and CryptoKey (Web Cryptography API)
// over Go's webcrypto package, built on first use.
(function (internals, host, global) {
  'use strict';
  const {
    bufferBytes, illegal, kState, lazy, str
  } = internals;

  const subtleAPI = lazy(['SubtleCrypto', 'CryptoKey'], () => {
    // A CryptoKey's state is its Go key (a handle) and its attributes,
    // read once: algorithm and usages are the same objects at every read.
    class CryptoKey {
      constructor() { illegal(); }
      get type() { return keyState(this).type; }
      get extractable() { return keyState(this).extractable; }
      get algorithm() { return keyState(this).algorithm; }
      get usages() { return keyState(this).usages; }
    }
    Object.defineProperty(CryptoKey.prototype, Symbol.toStringTag, { value: 'CryptoKey', configurable: true });
    function keyState(k) {
      const st = k !== null && typeof k === 'object' ? k[kState] : undefined;
      if (st === undefined || st.handle === undefined) throw new TypeError('Illegal invocation');
      return st;
    }
    function isKey(v) { return v !== null && typeof v === 'object' && v[kState] !== undefined && v[kState].handle !== undefined && v instanceof CryptoKey; }
    // makeKey makes the CryptoKey of a Go key.
    function makeKey(handle) {
      const info = host.cryptoKeyInfo(handle);
      const algorithm = info[2];
      if (algorithm.publicExponent instanceof ArrayBuffer) algorithm.publicExponent = new Uint8Array(algorithm.publicExponent);
      const k = Object.create(CryptoKey.prototype);
      k[kState] = { handle, type: info[0], extractable: info[1], algorithm, usages: info[3] };
      return k;
    }

    // The members of every algorithm dictionary of the specification; an
    // algorithm object is read into a plain one with these, in this order
    // (webcrypto normalizes it for the operation).
    const members = ['additionalData', 'counter', 'hash', 'info', 'iterations', 'iv', 'label', 'length',
      'modulusLength', 'name', 'namedCurve', 'public', 'publicExponent', 'salt', 'saltLength', 'tagLength'];
    function algorithm(a, depth = 0) {
      if (a === null || (typeof a !== 'object' && typeof a !== 'function')) return str(a);
      const out = {};
      for (const m of members) {
        const v = a[m];
        if (v === undefined) continue;
        out[m] = member(v, depth);
      }
      return out;
    }
    function member(v, depth) {
      if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return typeof v === 'bigint' || typeof v === 'symbol' ? str(v) : v;
      if (isKey(v)) return keyState(v).handle;
      const b = bufferBytes(v);
      if (b !== null) return b.slice();
      return depth < 2 ? algorithm(v, depth + 1) : str(v);
    }
    // The members of a JsonWebKey (and of RsaOtherPrimesInfo).
    const jwkStrings = ['alg', 'crv', 'd', 'dp', 'dq', 'e', 'k', 'kty', 'n', 'p', 'q', 'qi', 'use', 'x', 'y'];
    function jwk(v) {
      if (v === null || typeof v !== 'object') throw new TypeError("Failed to execute 'importKey' on 'SubtleCrypto': The provided value is not of type 'JsonWebKey'.");
      const out = {};
      for (const m of ['alg', 'crv', 'd', 'dp', 'dq', 'e', 'ext', 'k', 'key_ops', 'kty', 'n', 'oth', 'p', 'q', 'qi', 'use', 'x', 'y']) {
        const x = v[m];
        if (x === undefined) continue;
        if (m === 'ext') out[m] = !!x;
        else if (m === 'key_ops') out[m] = Array.from(x, str);
        else if (m === 'oth') out[m] = Array.from(x, (o) => ({ r: str(o.r), d: str(o.d), t: str(o.t) }));
        else if (jwkStrings.includes(m)) out[m] = str(x);
      }
      return out;
    }
    function bytes(v, what) {
      const b = bufferBytes(v);
      if (b === null) throw new TypeError("Failed to execute '" + what + "' on 'SubtleCrypto': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
      return b.slice();
    }
    function key(v, what) {
      if (!isKey(v)) throw new TypeError("Failed to execute '" + what + "' on 'SubtleCrypto': parameter is not of type 'CryptoKey'.");
      return keyState(v).handle;
    }
    function usages(v, what) {
      if (v === null || typeof v !== 'object' || typeof v[Symbol.iterator] !== 'function') throw new TypeError("Failed to execute '" + what + "' on 'SubtleCrypto': The provided value cannot be converted to a sequence.");
      return Array.from(v, str);
    }
    function required(n, count, what) {
      if (n < count) throw new TypeError("Failed to execute '" + what + "' on 'SubtleCrypto': " + count + ' arguments required, but only ' + n + ' present.');
    }
    // Each method converts its arguments as WebIDL does, then runs the
    // operation in Go; a failure of either rejects the promise.
    function call(what, count, args, convert) {
      try {
        required(args.length, count, what);
        return host.subtle(what, makeKey, ...convert(...args));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    class SubtleCrypto {
      constructor(k) { if (k !== kState) illegal(); }
      digest(...args) { return call('digest', 2, args, (a, d) => [algorithm(a), bytes(d, 'digest')]); }
      encrypt(...args) { return call('encrypt', 3, args, (a, k, d) => [algorithm(a), key(k, 'encrypt'), bytes(d, 'encrypt')]); }
      decrypt(...args) { return call('decrypt', 3, args, (a, k, d) => [algorithm(a), key(k, 'decrypt'), bytes(d, 'decrypt')]); }
      sign(...args) { return call('sign', 3, args, (a, k, d) => [algorithm(a), key(k, 'sign'), bytes(d, 'sign')]); }
      verify(...args) {
        return call('verify', 4, args, (a, k, s, d) => [algorithm(a), key(k, 'verify'), bytes(s, 'verify'), bytes(d, 'verify')]);
      }
      generateKey(...args) {
        return call('generateKey', 3, args, (a, e, u) => [algorithm(a), !!e, usages(u, 'generateKey')]);
      }
      importKey(...args) {
        return call('importKey', 5, args, (f, d, a, e, u) => {
          f = str(f);
          return [f, f === 'jwk' ? jwk(d) : bytes(d, 'importKey'), algorithm(a), !!e, usages(u, 'importKey')];
        });
      }
      exportKey(...args) { return call('exportKey', 2, args, (f, k) => [str(f), key(k, 'exportKey')]); }
      deriveBits(...args) {
        return call('deriveBits', 2, args, (a, k, l = null) => [algorithm(a), key(k, 'deriveBits'), l === null ? null : Number(l)]);
      }
      deriveKey(...args) {
        return call('deriveKey', 5, args, (a, k, t, e, u) => [algorithm(a), key(k, 'deriveKey'), algorithm(t), !!e, usages(u, 'deriveKey')]);
      }
      wrapKey(...args) {
        return call('wrapKey', 4, args, (f, k, w, a) => [str(f), key(k, 'wrapKey'), key(w, 'wrapKey'), algorithm(a)]);
      }
      unwrapKey(...args) {
        return call('unwrapKey', 7, args, (f, d, k, ua, ka, e, u) =>
          [str(f), bytes(d, 'unwrapKey'), key(k, 'unwrapKey'), algorithm(ua), algorithm(ka), !!e, usages(u, 'unwrapKey')]);
      }
    }
    Object.defineProperty(SubtleCrypto.prototype, Symbol.toStringTag, { value: 'SubtleCrypto', configurable: true });
    for (const m of ['digest', 'encrypt', 'decrypt', 'sign', 'verify', 'generateKey', 'importKey', 'exportKey', 'deriveBits', 'deriveKey', 'wrapKey', 'unwrapKey']) {
      const f = SubtleCrypto.prototype[m];
      Object.defineProperty(f, 'length', { value: { digest: 2, exportKey: 2, deriveBits: 2, encrypt: 3, decrypt: 3, sign: 3, generateKey: 3, verify: 4, wrapKey: 4, importKey: 5, deriveKey: 5, unwrapKey: 7 }[m] });
    }
    return { SubtleCrypto, CryptoKey, subtle: new SubtleCrypto(kState), makeKey, isKey, keyHandle: (k) => keyState(k).handle };
  });

  Object.assign(internals, {
    subtleAPI,
  });
})

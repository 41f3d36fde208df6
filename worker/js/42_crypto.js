// 42_crypto.js: Crypto and crypto (getRandomValues, randomUUID, subtle),
// built on first use.
(function (internals, host, global) {
  'use strict';
  const {
    bufferBytes, domErr, illegal, kState, lazy
  } = internals;

  const cryptoAPI = lazy(['Crypto', 'crypto'], () => {
    const integerArrays = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
      typeof BigInt64Array === 'function' ? BigInt64Array : Int8Array, typeof BigUint64Array === 'function' ? BigUint64Array : Int8Array];
    class Crypto {
      constructor(key) { if (key !== kState) illegal(); }
      getRandomValues(array) {
        if (!ArrayBuffer.isView(array) || !integerArrays.some(c => array instanceof c)) {
          throw domErr('TypeMismatchError', "Failed to execute 'getRandomValues' on 'Crypto': The provided ArrayBufferView is not an integer array type.");
        }
        if (array.byteLength > 65536) throw domErr('QuotaExceededError', "Failed to execute 'getRandomValues' on 'Crypto': The ArrayBufferView's byte length (" + array.byteLength + ') exceeds the number of bytes of entropy available via this API (65536).');
        host.randomFill(bufferBytes(array));
        return array;
      }
      randomUUID() { return host.randomUUID(); }
      // subtle is the SubtleCrypto of 44_subtle_crypto.js.
      get subtle() {
        if (this !== crypto) throw new TypeError('Illegal invocation');
        return internals.subtleAPI().subtle;
      }
    }
    const crypto = new Crypto(kState);
    return { Crypto, crypto };
  });
})

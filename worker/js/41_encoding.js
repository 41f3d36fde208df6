// 41_encoding.js: TextEncoder and TextDecoder (Encoding standard; UTF-8 only), built on first use.
(function (internals, host, global) {
  'use strict';
  const {
    bufferBytes, encodeUTF8, kState, lazy, str
  } = internals;

  const encodingAPI = lazy(['TextEncoder', 'TextDecoder'], () => {
    class TextEncoder {
      get encoding() { return 'utf-8'; }
      encode(input = '') { return encodeUTF8(str(input)); }
      encodeInto(source, destination) {
        if (!(destination instanceof Uint8Array)) throw new TypeError("Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.");
        return host.encodeInto(str(source), destination);
      }
    }
    const utf8Labels = new Set(['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8']);
    class TextDecoder {
      constructor(label = 'utf-8', options) {
        const l = str(label).trim().toLowerCase();
        if (!utf8Labels.has(l)) throw new RangeError("Failed to construct 'TextDecoder': The encoding label provided ('" + label + "') is invalid or not supported by swhost (only UTF-8 is).");
        options = options || {};
        this[kState] = { fatal: !!options.fatal, ignoreBOM: !!options.ignoreBOM };
      }
      get encoding() { return 'utf-8'; }
      get fatal() { return this[kState].fatal; }
      get ignoreBOM() { return this[kState].ignoreBOM; }
      decode(input, options) {
        if (input === undefined || input === null) return '';
        const bytes = bufferBytes(input);
        if (bytes === null) throw new TypeError("Failed to execute 'decode' on 'TextDecoder': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
        return host.decodeUTF8(bytes, this[kState].fatal, this[kState].ignoreBOM);
      }
    }
    return { TextEncoder, TextDecoder };
  });
})

// 41_encoding.js: TextEncoder and TextDecoder (Encoding standard: every
// encoding for decoding, streaming), built on first use.
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
    // A TextDecoder's state is its Go decoder (internal/webencoding: every
    // encoding of the standard, streaming), its encoding's name and its
    // options.
    function decoderState(d) {
      const st = d !== null && typeof d === 'object' ? d[kState] : undefined;
      if (st === undefined || st.decoder === undefined) throw new TypeError('Illegal invocation');
      return st;
    }
    class TextDecoder {
      constructor(label = 'utf-8', options = undefined) {
        label = str(label);
        if (options !== undefined && options !== null && typeof options !== 'object' && typeof options !== 'function') {
          throw new TypeError("Failed to construct 'TextDecoder': The provided value is not of type 'TextDecoderOptions'.");
        }
        const fatal = options == null ? false : !!options.fatal;
        const ignoreBOM = options == null ? false : !!options.ignoreBOM;
        const decoder = host.textDecoderNew(label, fatal, ignoreBOM);
        if (decoder === null) throw new RangeError("Failed to construct 'TextDecoder': The encoding label provided ('" + label + "') is invalid.");
        this[kState] = { decoder, encoding: host.textDecoderName(decoder), fatal, ignoreBOM };
      }
      get encoding() { return decoderState(this).encoding; }
      get fatal() { return decoderState(this).fatal; }
      get ignoreBOM() { return decoderState(this).ignoreBOM; }
      decode(input = undefined, options = undefined) {
        const st = decoderState(this);
        let bytes = null;
        if (input !== undefined) {
          bytes = bufferBytes(input);
          if (bytes === null) throw new TypeError("Failed to execute 'decode' on 'TextDecoder': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
        }
        if (options !== undefined && options !== null && typeof options !== 'object' && typeof options !== 'function') {
          throw new TypeError("Failed to execute 'decode' on 'TextDecoder': The provided value is not of type 'TextDecodeOptions'.");
        }
        const stream = options == null ? false : !!options.stream;
        return host.textDecode(st.decoder, bytes, stream);
      }
    }
    Object.defineProperty(TextDecoder.prototype, Symbol.toStringTag, { value: 'TextDecoder', configurable: true });
    return { TextEncoder, TextDecoder };
  });
})

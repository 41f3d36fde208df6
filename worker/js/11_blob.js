// 11_blob.js: byte helpers (bufferBytes, toBytes, UTF-8) and Blob
// (File API), built on first use.
(function (internals, host, global) {
  'use strict';
  const {
    kState, lazy, str
  } = internals;

  // bufferBytes returns a Uint8Array over the bytes an ArrayBuffer or an
  // ArrayBufferView holds (shared, not copied), or null for anything else.
  // A detached buffer holds no bytes: WebIDL reads it as an empty byte
  // sequence, so a body or Blob part made of one is empty and
  // TextDecoder.decode gives ''.
  function bufferBytes(v) {
    if (v instanceof ArrayBuffer) return v.byteLength === 0 ? new Uint8Array(0) : new Uint8Array(v);
    if (ArrayBuffer.isView(v)) {
      const buf = v.buffer;
      return buf.byteLength === 0 ? new Uint8Array(0) : new Uint8Array(buf, v.byteOffset, v.byteLength);
    }
    return null;
  }
  // toBytes is bufferBytes, copied.
  function toBytes(v) {
    const b = bufferBytes(v);
    return b === null ? null : b.slice();
  }
  function encodeUTF8(s) { return new Uint8Array(host.encodeUTF8(s)); }
  function decodeUTF8(bytes) { return host.decodeUTF8(bytes, false, false); }

  const blobAPI = lazy(['Blob'], () => {
    class Blob {
      constructor(parts, options) {
        const chunks = [];
        if (parts !== undefined) {
          if (parts === null || typeof parts !== 'object' || typeof parts[Symbol.iterator] !== 'function') throw new TypeError("Failed to construct 'Blob': The provided value cannot be converted to a sequence.");
          for (const p of parts) {
            if (p instanceof Blob) chunks.push(p[kState].bytes);
            else chunks.push(toBytes(p) || encodeUTF8(str(p)));
          }
        }
        let type = options && options.type !== undefined ? str(options.type) : '';
        if (/[^\x20-\x7e]/.test(type)) type = '';
        this[kState] = { bytes: concatBytes(chunks), type: type.toLowerCase() };
      }
      get size() { return this[kState].bytes.length; }
      get type() { return this[kState].type; }
      text() { return Promise.resolve(decodeUTF8(this[kState].bytes)); }
      arrayBuffer() { return Promise.resolve(this[kState].bytes.slice().buffer); }
      bytes() { return Promise.resolve(this[kState].bytes.slice()); }
      slice(start, end, type) {
        const b = this[kState].bytes;
        const n = b.length;
        const rel = (x, d) => x === undefined ? d : (x < 0 ? Math.max(n + Math.trunc(x), 0) : Math.min(Math.trunc(x), n));
        const s = rel(start, 0), e = rel(end, n);
        const out = Object.create(Blob.prototype);
        out[kState] = { bytes: b.slice(s, Math.max(s, e)), type: type === undefined ? '' : str(type).toLowerCase() };
        return out;
      }
      get [Symbol.toStringTag]() { return 'Blob'; }
    }
    function concatBytes(chunks) {
      let n = 0;
      for (const c of chunks) n += c.length;
      host.checkSize(n);
      const out = new Uint8Array(n);
      let o = 0;
      for (const c of chunks) { out.set(c, o); o += c.length; }
      return out;
    }
    return { Blob };
  });

  Object.assign(internals, {
    blobAPI, bufferBytes, decodeUTF8, encodeUTF8,
  });
})

// 11_blob.js: byte helpers (bufferBytes, toBytes, UTF-8), Blob and File
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

  const blobAPI = lazy(['Blob', 'File'], () => {
    // blobParts is the File API's "process blob parts": the bytes of a
    // sequence of BufferSources, Blobs and strings (with endings
    // 'native', line breaks in strings become LF).
    function blobParts(parts, what, native) {
      const chunks = [];
      if (parts !== undefined) {
        if (parts === null || typeof parts !== 'object' || typeof parts[Symbol.iterator] !== 'function') throw new TypeError("Failed to construct '" + what + "': The provided value cannot be converted to a sequence.");
        for (const p of parts) {
          if (p instanceof Blob) chunks.push(p[kState].bytes);
          else {
            const b = toBytes(p);
            if (b !== null) chunks.push(b);
            else { let s = str(p); if (native) s = s.replace(/\r\n?/g, '\n'); chunks.push(encodeUTF8(s)); }
          }
        }
      }
      return concatBytes(chunks);
    }
    function blobType(options) {
      const type = options !== undefined && options !== null && options.type !== undefined ? str(options.type) : '';
      return /[^\x20-\x7e]/.test(type) ? '' : type.toLowerCase();
    }
    function endings(options, what) {
      const e = options !== undefined && options !== null ? options.endings : undefined;
      if (e === undefined || e === 'transparent') return false;
      if (e === 'native') return true;
      throw new TypeError("Failed to construct '" + what + "': The provided value '" + str(e) + "' is not a valid enum value of type EndingType.");
    }
    class Blob {
      constructor(parts, options) {
        if (options !== undefined && options !== null && typeof options !== 'object' && typeof options !== 'function') throw new TypeError("Failed to construct 'Blob': The provided value is not of type 'BlobPropertyBag'.");
        // BlobPropertyBag's members in WebIDL order: endings, type.
        const native = endings(options, 'Blob');
        const type = blobType(options);
        this[kState] = { bytes: blobParts(parts, 'Blob', native), type };
      }
      get size() { return this[kState].bytes.length; }
      get type() { return this[kState].type; }
      text() { return Promise.resolve(decodeUTF8(this[kState].bytes)); }
      arrayBuffer() { return Promise.resolve(this[kState].bytes.slice().buffer); }
      bytes() { return Promise.resolve(this[kState].bytes.slice()); }
      stream() { return internals.bodyStream(this[kState].bytes, false); }
      slice(start, end, type) {
        const b = this[kState].bytes;
        const n = b.length;
        const rel = (x, d) => x === undefined ? d : (x < 0 ? Math.max(n + Math.trunc(x), 0) : Math.min(Math.trunc(x), n));
        const s = rel(start, 0), e = rel(end, n);
        const out = Object.create(Blob.prototype);
        out[kState] = { bytes: b.slice(s, Math.max(s, e)), type: type === undefined ? '' : str(type).toLowerCase() };
        return out;
      }
    }
    Object.defineProperty(Blob.prototype, Symbol.toStringTag, { value: 'Blob', configurable: true });
    class File extends Blob {
      constructor(parts, name, options) {
        if (arguments.length < 2) throw new TypeError("Failed to construct 'File': 2 arguments required, but only " + arguments.length + ' present.');
        if (options !== undefined && options !== null && typeof options !== 'object' && typeof options !== 'function') throw new TypeError("Failed to construct 'File': The provided value is not of type 'FilePropertyBag'.");
        // FilePropertyBag's members in WebIDL order: endings, type, then
        // lastModified.
        const native = endings(options, 'File');
        const type = blobType(options);
        const lm = options !== undefined && options !== null ? options.lastModified : undefined;
        const bytes = blobParts(parts, 'File', native);
        super();
        this[kState] = { bytes, type, name: usvName(name), lastModified: lm === undefined ? Date.now() : toLong(lm) };
      }
      get name() { return fileState(this).name; }
      get lastModified() { return fileState(this).lastModified; }
    }
    Object.defineProperty(File.prototype, Symbol.toStringTag, { value: 'File', configurable: true });
    function usvName(v) { return host.toUSV(str(v)); }
    // toLong is WebIDL's long long conversion.
    function toLong(v) { const n = Number(v); return Number.isFinite(n) ? Math.trunc(n) : 0; }
    function fileState(f) {
      const st = f !== null && typeof f === 'object' ? f[kState] : undefined;
      if (st === undefined || st.name === undefined || !(f instanceof File)) throw new TypeError('Illegal invocation');
      return st;
    }
    // makeFile makes a File of bytes without copying them.
    function makeFile(bytes, name, type, lastModified) {
      const f = Object.create(File.prototype);
      f[kState] = { bytes, type, name, lastModified };
      return f;
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
    return { Blob, File, makeFile };
  });

  Object.assign(internals, {
    blobAPI, bufferBytes, decodeUTF8, encodeUTF8,
  });
})

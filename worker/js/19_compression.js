// 19_compression.js: CompressionStream and DecompressionStream
// (Compression standard), built on first use: transform streams whose
// compression context is a Go codec (bind_compression.go) for the
// formats 'deflate', 'deflate-raw' and 'gzip'.
(function (internals, host, global) {
  'use strict';
  const {
    bufferBytes, lazy, str, transformAPI
  } = internals;

  const kCS = Symbol('compressionStream');

  lazy(['CompressionStream', 'DecompressionStream'], () => {
    transformAPI();
    const { createTransform, enqueue, pulled } = internals.transformOps;
    function cstate(x, what) {
      const t = x !== null && typeof x === 'object' ? x[kCS] : undefined;
      if (t === undefined || t.what !== what) throw new TypeError('Illegal invocation');
      return t;
    }
    // drain enqueues the codec's output, a piece at a time, pulling the
    // next piece only once the readable side wants it: the transform (or
    // flush) settles when the codec needs more input, so a writer is held
    // back while the output is not read. A codec error (corrupt data) is
    // a TypeError that errors the stream.
    async function drain(c, h) {
      for (;;) {
        const out = host.codecPull(h);
        if (out === null) return;
        if (out.byteLength !== 0) enqueue(c, new Uint8Array(out));
        if (!(await pulled(c))) return;
      }
    }
    // setup makes self a GenericTransformStream over a new codec: the
    // constructors' steps (a missing or unsupported format is a TypeError).
    function setup(self, what, args, decompress) {
      if (args.length < 1) throw new TypeError("Failed to construct '" + what + "': 1 argument required, but only 0 present.");
      const h = host.codecNew(str(args[0]), decompress);
      const run = (c, step) => {
        try { step(); } catch (e) { host.codecClose(h); throw e; }
        return drain(c, h).then(undefined, e => { host.codecClose(h); throw e; });
      };
      const t = createTransform(self, (c, chunk) => run(c, () => {
        const bytes = bufferBytes(chunk);
        if (bytes === null) throw new TypeError("Failed to execute 'transform' on '" + what + "': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
        host.codecPush(h, bytes);
      }), c => run(c, () => host.codecFinish(h)).then(() => host.codecClose(h)),
      () => host.codecClose(h));
      t.what = what;
      self[kCS] = t;
    }
    class CompressionStream {
      constructor(format) { setup(this, 'CompressionStream', arguments, false); }
      get readable() { return cstate(this, 'CompressionStream').readable.pub; }
      get writable() { return cstate(this, 'CompressionStream').writable.pub; }
    }
    Object.defineProperty(CompressionStream.prototype, Symbol.toStringTag, { value: 'CompressionStream', configurable: true });
    class DecompressionStream {
      constructor(format) { setup(this, 'DecompressionStream', arguments, true); }
      get readable() { return cstate(this, 'DecompressionStream').readable.pub; }
      get writable() { return cstate(this, 'DecompressionStream').writable.pub; }
    }
    Object.defineProperty(DecompressionStream.prototype, Symbol.toStringTag, { value: 'DecompressionStream', configurable: true });
    return { CompressionStream, DecompressionStream };
  });
})

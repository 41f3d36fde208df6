// 12_body.js: the Body mixin of Request and Response (Fetch standard),
// body extraction, bodies as streams (.body, reading a stream body before
// it goes to Go), and the state-array layout the two classes share.
(function (internals, host, global) {
  'use strict';
  const {
    blobAPI, bufferBytes, decodeUTF8, encodeUTF8, kState, str
  } = internals;

  // Request and Response state are arrays (much cheaper than objects in
  // sobek), sharing the body slots.
  const B_BODY = 0, B_USED = 1;
  const R_METHOD = 2, R_URL = 3, R_H = 4, R_X = 5, R_TOKEN = 6, R_SIGNAL = 7;
  const P_STATUS = 2, P_TEXT = 3, P_H = 4, P_TYPE = 5, P_META = 6, P_CT = 7;
  // A body is null, a string (not yet encoded), a Uint8Array or a
  // ReadableStream; a request from Go has undefined until its body is
  // first needed. extractBody sets
  // bodyState.extractedType to the Content-Type the body implies (or
  // null); bodyState.limit mirrors the worker's body limit (the entry
  // point configure), so that small bodies need no call into Go to be
  // checked. Both are read and written by the Request and Response files.
  const bodyState = { extractedType: null, limit: 0 };
  // kRS keys a ReadableStream's state (17_streams_readable.js): a body
  // that is an object with it is a stream.
  const kRS = Symbol('ReadableStream');
  function extractBody(init) {
    bodyState.extractedType = null;
    if (init === null || init === undefined) return null;
    if (typeof init === 'string') { bodyState.extractedType = 'text/plain;charset=UTF-8'; if (init.length > bodyState.limit) host.checkSize(init.length); return init; }
    const bytes = bufferBytes(init);
    if (bytes !== null) { if (bytes.length > bodyState.limit) host.checkSize(bytes.length); return bytes.slice(); }
    if (blobAPI.loaded() && init instanceof blobAPI().Blob) { bodyState.extractedType = init.type || null; return init[kState].bytes.slice(); }
    if (internals.urlAPI.loaded() && init instanceof internals.urlAPI().URLSearchParams) { bodyState.extractedType = 'application/x-www-form-urlencoded;charset=UTF-8'; return init.toString(); }
    if (internals.formDataAPI.loaded() && init instanceof internals.formDataAPI().FormData) {
      const [buf, type] = internals.formDataAPI().encodeForm(init);
      bodyState.extractedType = type;
      return new Uint8Array(buf);
    }
    if (isStreamBody(init)) {
      const rs = init[kRS];
      if (rs.disturbed || rs.reader !== undefined) throw new TypeError('The ReadableStream body is disturbed or locked.');
      return init;
    }
    bodyState.extractedType = 'text/plain;charset=UTF-8';
    return str(init);
  }
  // A body (B_BODY) may also be a ReadableStream: one the script passed,
  // or one .body made over the buffered bytes (its state's bytes field
  // keeps them while the stream is untouched, so that exporting it needs
  // no reading).
  function isStreamBody(b) {
    return b !== null && typeof b === 'object' && b[kRS] !== undefined;
  }
  // untouched returns the bytes of a stream .body made, while nothing
  // read, locked or cancelled it, or undefined.
  function untouched(b) {
    const rs = b[kRS];
    return rs.disturbed || rs.reader !== undefined ? undefined : rs.bytes;
  }
  // unusable reports whether a body state is used: consumed, or a stream
  // body disturbed or locked (Fetch's "unusable").
  function unusable(st) {
    if (st[B_USED]) return true;
    const b = st[B_BODY];
    if (b === null || typeof b !== 'object') return false;
    const rs = b[kRS];
    return rs !== undefined && (rs.disturbed || rs.reader !== undefined);
  }
  // readAll reads a stream body to its end: the bytes of its Uint8Array
  // chunks, within the worker's body limit (QuotaExceededError beyond).
  function readAll(stream) {
    const R = internals.readableOps;
    const bytes = untouched(stream);
    const rs = stream[kRS];
    if (bytes !== undefined) { rs.disturbed = true; return Promise.resolve(bytes); }
    const reader = R.acquireReader(rs);
    const chunks = [];
    let total = 0;
    return new Promise((resolve, reject) => {
      const fail = e => { R.streamCancel(rs, e).then(undefined, () => {}); reject(e); };
      const next = () => R.readerRead(reader, {
        chunk(c) {
          if (!(c instanceof Uint8Array)) { fail(new TypeError('A body stream chunk is not a Uint8Array.')); return; }
          total += c.length;
          if (total > bodyState.limit) { try { host.checkSize(total); } catch (e) { fail(e); return; } }
          chunks.push(c.slice());
          Promise.resolve().then(next);
        },
        close() {
          if (chunks.length === 1) { resolve(chunks[0]); return; }
          const out = new Uint8Array(total);
          let at = 0;
          for (const c of chunks) { out.set(c, at); at += c.length; }
          resolve(out);
        },
        error: reject,
      });
      next();
    });
  }
  // exportBody is the body to give Go: bytes, a string or null (the bytes
  // of an untouched .body stream, which becomes disturbed).
  function exportBody(st) {
    const b = st[B_BODY];
    if (b === null || typeof b !== 'object' || !isStreamBody(b)) return b;
    const bytes = untouched(b);
    if (bytes === undefined) throw new TypeError('A stream body must be read before it is sent.');
    b[kRS].disturbed = true;
    return bytes;
  }
  // cloneBody returns the body of a clone of state st: a stream body is
  // teed (st keeps one branch).
  function cloneBody(st) {
    const b = st[B_BODY];
    if (b === null || b === undefined || typeof b !== 'object' || !isStreamBody(b)) return b;
    const bytes = untouched(b);
    if (bytes !== undefined) return bytes.slice();
    const R = internals.readableOps, rs = b[kRS];
    const [x, y] = rs.ctrl.bytes ? R.byteOps.tee(rs) : R.tee(rs);
    st[B_BODY] = x.pub;
    return y.pub;
  }
  // goBodyStream is the ReadableStream of a body Go streams (handle, a
  // Go reader; bind_body.go): a byte stream whose pull reads one chunk
  // through host.goBodyRead, so that one chunk at most is in flight;
  // cancelling it, or a failed read, closes the Go reader. rs.goBody
  // keeps the handle, so that a stream nothing read goes back to Go as
  // the same reader (streamSource).
  function goBodyStream(handle) {
    internals.readableAPI();
    const R = internals.readableOps, B = R.byteOps;
    // Started at once (null start): its reads answer in a later task.
    const rs = B.createByteStream(null, c => host.goBodyRead(handle).then(chunk => {
      if (rs.state !== 'readable' || c.closeRequested) return;
      if (chunk === null) B.ctrlClose(c); else B.ctrlEnqueue(c, chunk);
    }, e => { host.goBodyCancel(handle); throw e; }), () => { host.goBodyCancel(handle); return Promise.resolve(undefined); });
    rs.goBody = handle;
    return rs.pub;
  }
  // goRequestBody is the body of a Request made for an event from Go
  // (handle, requestHandle): null, its bytes, or, for a body the client
  // is still sending, a stream over it (goBodyStream).
  function goRequestBody(handle) {
    const b = host.requestBody(handle);
    return b === null || b instanceof Uint8Array ? b : goBodyStream(b);
  }
  // streamSource hands a stream body to Go as it is produced, locking
  // it: the Go reader it came from when nothing read it, else
  // [pull, cancel], with which Go's reader asks for one chunk at a time
  // (host.jsBodyChunk answers each pull) and cancels the stream when
  // its own reader goes away.
  function streamSource(b) {
    const R = internals.readableOps, rs = b[kRS];
    const reader = R.acquireReader(rs);
    if (rs.goBody !== undefined && !rs.disturbed) { rs.disturbed = true; return rs.goBody; }
    rs.disturbed = true;
    const pull = id => R.readerRead(reader, {
      chunk(c) {
        if (c instanceof Uint8Array) { host.jsBodyChunk(id, c, undefined); return; }
        const e = new TypeError('A body stream chunk is not a Uint8Array.');
        R.streamCancel(rs, e).then(undefined, () => {});
        host.jsBodyChunk(id, undefined, e);
      },
      close() { host.jsBodyChunk(id, null, undefined); },
      error(e) { host.jsBodyChunk(id, undefined, e); },
    });
    const cancel = reason => { R.streamCancel(rs, reason).then(undefined, () => {}); };
    return [pull, cancel];
  }
  // exportStreaming is the body to give Go for a Response sent as it is
  // produced (respondWith): as exportBody, but a stream body that must
  // be read goes as a stream (streamSource) instead of failing.
  function exportStreaming(st) {
    const b = st[B_BODY];
    if (b === null || typeof b !== 'object' || !isStreamBody(b) || untouched(b) !== undefined) return exportBody(st);
    return streamSource(b);
  }
  // bodyStream is the ReadableStream of .body over a buffered body: a
  // byte stream whose one chunk is a copy of the bytes (the buffer may be
  // shared with a clone or with Go), enqueued on the first pull.
  function bodyStream(b, used) {
    internals.readableAPI();
    const R = internals.readableOps, B = R.byteOps;
    let bytes = null;
    const rs = B.createByteStream(() => undefined, () => {
      if (rs.state === 'readable') {
        if (bytes !== null && bytes.length > 0) B.ctrlEnqueue(rs.ctrl, bytes);
        B.ctrlClose(rs.ctrl);
      }
      return Promise.resolve(undefined);
    }, () => Promise.resolve(undefined));
    if (used) {
      // A body read whole was read through a reader that keeps the lock.
      B.ctrlClose(rs.ctrl);
      R.acquireReader(rs);
      rs.disturbed = true;
    } else rs.bytes = bytes = bodyBytes(b);
    return rs.pub;
  }
  function consume(obj) {
    const st = rstate(obj);
    if (st === undefined || st[B_USED] === undefined) return Promise.reject(new TypeError('Illegal invocation'));
    if (unusable(st)) return Promise.reject(new TypeError('Body has already been consumed.'));
    if (st[B_BODY] === undefined) st[B_BODY] = goRequestBody(st[R_TOKEN]);
    // A null body is never used: it can be read any number of times.
    if (st[B_BODY] === null) return Promise.resolve(null);
    st[B_USED] = true;
    if (typeof st[B_BODY] === 'object' && isStreamBody(st[B_BODY])) return readAll(st[B_BODY]);
    return Promise.resolve(st[B_BODY]);
  }
  function bodyBytes(b) { return b === null ? new Uint8Array(0) : typeof b === 'string' ? encodeUTF8(b) : b.slice(); }
  const bodyMixin = {
    get bodyUsed() { const st = rstate(this); return st[B_USED] || (st[B_BODY] !== null && typeof st[B_BODY] === 'object' && isStreamBody(st[B_BODY]) && st[B_BODY][kRS].disturbed); },
    text() { return consume(this).then(b => b === null ? '' : typeof b === 'string' ? b : decodeUTF8(b)); },
    json() { return this.text().then(t => JSON.parse(t)); },
    arrayBuffer() { return consume(this).then(b => bodyBytes(b).buffer); },
    bytes() { return consume(this).then(b => bodyBytes(b)); },
    blob() {
      const type = this.headers.get('content-type') || '';
      return consume(this).then(b => {
        const out = Object.create(blobAPI().Blob.prototype);
        out[kState] = { bytes: bodyBytes(b), type: /[^\x20-\x7e]/.test(type) ? '' : type.toLowerCase() };
        return out;
      });
    },
    formData() {
      const type = this.headers.get('content-type');
      return consume(this).then(b => internals.formDataAPI().parseForm(bodyBytes(b), type));
    },
    get body() {
      const st = rstate(this);
      if (st === undefined || st[B_USED] === undefined) throw new TypeError('Illegal invocation');
      let b = st[B_BODY];
      if (b === undefined) b = st[B_BODY] = goRequestBody(st[R_TOKEN]);
      if (b === null) return null;
      if (typeof b === 'object' && isStreamBody(b)) return b;
      return (st[B_BODY] = bodyStream(b, st[B_USED]));
    },
  };
  function mixBody(proto) {
    for (const k of Object.getOwnPropertyNames(bodyMixin)) {
      Object.defineProperty(proto, k, Object.getOwnPropertyDescriptor(bodyMixin, k));
    }
  }

  // rstate returns a Response's (or Request's) state array. A Response
  // made by new Response(text) holds just the text until something needs
  // more than exporting it: one array fewer for the common case, and a
  // shallower VM stack (sobek regrows it for every event).
  function rstate(r) {
    const st = r[kState];
    if (typeof st !== 'string') return st;
    const full = [st, false, 200, '', null, 'default', null, 'text/plain;charset=UTF-8'];
    r[kState] = full;
    return full;
  }

  Object.assign(internals, {
    B_BODY, B_USED, P_CT, P_H, P_META, P_STATUS, P_TEXT, P_TYPE, R_H, R_METHOD, R_SIGNAL, R_TOKEN,
    R_URL, R_X, bodyState, bodyStream, cloneBody, exportBody, exportStreaming, extractBody, goBodyStream, goRequestBody,
    isStreamBody, kRS, mixBody,
    rstate, unusable,
  });
})

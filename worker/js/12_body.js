// 12_body.js: the Body mixin of Request and Response (Fetch standard),
// body extraction, and the state-array layout the two classes share.
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
  // A body is null, a string (not yet encoded) or a Uint8Array; a request
  // from Go has undefined until its body is first needed. extractBody sets
  // bodyState.extractedType to the Content-Type the body implies (or
  // null); bodyState.limit mirrors the worker's body limit (the entry
  // point configure), so that small bodies need no call into Go to be
  // checked. Both are read and written by the Request and Response files.
  const bodyState = { extractedType: null, limit: 0 };
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
    if (typeof init === 'object' && typeof init.getReader === 'function') throw new TypeError('ReadableStream bodies are not supported by swhost');
    bodyState.extractedType = 'text/plain;charset=UTF-8';
    return str(init);
  }
  function consume(obj) {
    const st = rstate(obj);
    if (st === undefined || st[B_USED] === undefined) return Promise.reject(new TypeError('Illegal invocation'));
    if (st[B_USED]) return Promise.reject(new TypeError('Body has already been consumed.'));
    if (st[B_BODY] === undefined) st[B_BODY] = host.requestBody(st[R_TOKEN]);
    // A null body is never used: it can be read any number of times.
    if (st[B_BODY] !== null) st[B_USED] = true;
    return Promise.resolve(st[B_BODY]);
  }
  function bodyBytes(b) { return b === null ? new Uint8Array(0) : typeof b === 'string' ? encodeUTF8(b) : b.slice(); }
  const bodyMixin = {
    get bodyUsed() { return rstate(this)[B_USED]; },
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
    get body() { return null; },
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
    R_URL, R_X, bodyState, extractBody, mixBody, rstate,
  });
})

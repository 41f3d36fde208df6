// 51_websocket.js: WebSocket and CloseEvent (WebSockets standard), over Go
// connections made under the host's network policy, built on first use.
(function (internals, host, global) {
  'use strict';
  const {
    Event, EventTarget, blobAPI, bufferBytes, dispatch, domErr, eventHandler, kState, lazy, str
  } = internals;

  lazy(['WebSocket', 'CloseEvent'], () => {
    const { Blob } = blobAPI();
    const MessageEvent = internals.MessageEvent;
    class CloseEvent extends Event {
      constructor(type, init) {
        if (arguments.length === 0) throw new TypeError("Failed to construct 'CloseEvent': 1 argument required, but only 0 present.");
        super(type, init);
        const i = init === undefined || init === null ? {} : init;
        const code = i.code, reason = i.reason, wasClean = i.wasClean;
        this[kCloseState] = { code: code === undefined ? 0 : code & 0xffff, reason: reason === undefined ? '' : str(reason), wasClean: !!wasClean };
      }
      get code() { return closeState(this).code; }
      get reason() { return closeState(this).reason; }
      get wasClean() { return closeState(this).wasClean; }
    }
    const kCloseState = Symbol('close');
    function closeState(e) {
      const st = e !== null && typeof e === 'object' ? e[kCloseState] : undefined;
      if (st === undefined) throw new TypeError('Illegal invocation');
      return st;
    }
    const CONNECTING = 0, OPEN = 1, CLOSING = 2, CLOSED = 3;
    const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
    function socketState(s) {
      const st = s !== null && typeof s === 'object' ? s[kState] : undefined;
      if (st === undefined || st.readyState === undefined) throw new TypeError('Illegal invocation');
      return st;
    }
    function utf8Length(s) { return new TextEncoder().encode(s).length; }
    class WebSocket extends EventTarget {
      constructor(url, protocols = []) {
        if (arguments.length === 0) throw new TypeError("Failed to construct 'WebSocket': 1 argument required, but only 0 present.");
        super();
        let href = host.parseURL(str(url), internals.location.href);
        if (href === null) throw domErr('SyntaxError', "Failed to construct 'WebSocket': The URL '" + str(url) + "' is invalid.");
        if (href.startsWith('http:')) href = 'ws:' + href.slice(5);
        else if (href.startsWith('https:')) href = 'wss:' + href.slice(6);
        if (!href.startsWith('ws:') && !href.startsWith('wss:')) throw domErr('SyntaxError', "Failed to construct 'WebSocket': The URL's scheme must be either 'http', 'https', 'ws', or 'wss'.");
        if (href.includes('#')) throw domErr('SyntaxError', "Failed to construct 'WebSocket': The URL contains a fragment identifier.");
        const list = typeof protocols === 'string' ? [protocols] : Array.from(protocols, str);
        const seen = new Set();
        for (const p of list) {
          if (!tokenRe.test(p) || seen.has(p)) throw domErr('SyntaxError', "Failed to construct 'WebSocket': The subprotocol '" + p + "' is invalid or duplicated.");
          seen.add(p);
        }
        const st = { url: href, readyState: CONNECTING, bufferedAmount: 0, protocol: '', extensions: '', binaryType: 'blob', handle: null };
        this[kState] = st;
        const self = this;
        st.handle = host.wsOpen(href, list, internals.location.origin, function (type, a, b, c) { onEvent(self, st, type, a, b, c); });
      }
      get url() { return socketState(this).url; }
      get readyState() { return socketState(this).readyState; }
      get bufferedAmount() { return socketState(this).bufferedAmount; }
      get protocol() { return socketState(this).protocol; }
      get extensions() { return socketState(this).extensions; }
      get binaryType() { return socketState(this).binaryType; }
      set binaryType(v) {
        const st = socketState(this);
        if (v === 'blob' || v === 'arraybuffer') st.binaryType = v;
      }
      send(data) {
        const st = socketState(this);
        if (arguments.length === 0) throw new TypeError("Failed to execute 'send' on 'WebSocket': 1 argument required, but only 0 present.");
        if (st.readyState === CONNECTING) throw domErr('InvalidStateError', "Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.");
        let payload, size;
        if (data instanceof Blob) { payload = data[kState].bytes; size = payload.length; }
        else {
          const b = bufferBytes(data);
          if (b !== null) { payload = b; size = b.length; }
          else { payload = str(data); size = utf8Length(payload); }
        }
        st.bufferedAmount += size;
        if (st.readyState !== OPEN) return;
        host.wsSend(st.handle, payload);
      }
      close(code = undefined, reason = undefined) {
        const st = socketState(this);
        if (code !== undefined) {
          code = Number(code) & 0xffff;
          if (code !== 1000 && (code < 3000 || code > 4999)) throw domErr('InvalidAccessError', "Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. " + code + ' is neither.');
        }
        let r = '';
        if (reason !== undefined) {
          r = host.toUSV(str(reason));
          if (utf8Length(r) > 123) throw domErr('SyntaxError', "Failed to execute 'close' on 'WebSocket': The close reason must not be greater than 123 UTF-8 bytes.");
        }
        if (st.readyState === CLOSING || st.readyState === CLOSED) return;
        st.readyState = CLOSING;
        host.wsClose(st.handle, code === undefined ? 1000 : code, r);
      }
    }
    function onEvent(ws, st, type, a, b, c) {
      switch (type) {
        case 'open':
          if (st.readyState !== CONNECTING) return;
          st.readyState = OPEN; st.protocol = a; st.extensions = b;
          dispatch(ws, internals.newEvent('open', false, false), true);
          return;
        case 'message': {
          if (st.readyState !== OPEN) return;
          let data = a;
          if (typeof a !== 'string') data = st.binaryType === 'arraybuffer' ? a : new Blob([a]);
          dispatch(ws, new MessageEvent('message', { data, origin: new URL(st.url).origin }), true);
          return;
        }
        case 'sent':
          st.bufferedAmount = Math.max(0, st.bufferedAmount - a);
          return;
        case 'error':
          dispatch(ws, internals.newEvent('error', false, false), true);
          return;
        case 'close':
          st.readyState = CLOSED;
          dispatch(ws, new CloseEvent('close', { code: a, reason: b, wasClean: c }), true);
      }
    }
    for (const [name, value] of [['CONNECTING', CONNECTING], ['OPEN', OPEN], ['CLOSING', CLOSING], ['CLOSED', CLOSED]]) {
      Object.defineProperty(WebSocket, name, { value, enumerable: true });
      Object.defineProperty(WebSocket.prototype, name, { value, enumerable: true });
    }
    for (const t of ['open', 'message', 'error', 'close']) eventHandler(WebSocket.prototype, t);
    Object.defineProperty(WebSocket.prototype, Symbol.toStringTag, { value: 'WebSocket', configurable: true });
    return { WebSocket, CloseEvent };
  });
})

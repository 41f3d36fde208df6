// swhost connect bridge: navigator.connect for real pages.
//
//   <script src="http://127.0.0.1:8080/connect.js"></script>
//   swhost.connect('https://example.com/services/echo', {name: 'chat'})
//     .then(port => { port.onmessage = e => console.log(e.data); port.postMessage('hello'); })
//     .catch(err => console.log(err.name)); // AbortError: no service, or refused
//
// swhost.install() (or loading the script with ?install) makes it
// navigator.connect too. Each connection is one WebSocket to the bridge
// next to this script; the page's origin is what the browser puts in the
// handshake's Origin header. Messages are JSON values.
(function (global) {
  'use strict';
  var script = document.currentScript;
  var base = script && script.src ? script.src : global.location.href;
  var endpoint = new URL('connect', base);
  endpoint.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

  function domError(name, message) {
    try { return new DOMException(message, name); } catch (e) {
      var err = new Error(message); err.name = name; return err;
    }
  }

  // BridgePort is a MessagePort-like object over one WebSocket.
  function BridgePort(ws) {
    this._ws = ws;
    this._listeners = { message: [], close: [], messageerror: [] };
    this._queue = [];
    this._started = false;
    this._closed = false;
    this._onmessage = null;
    this.onclose = null;
    // onmessageerror: a message was dropped (error.name DataCloneError:
    // too deep to clone, or not JSON; SyntaxError: a bad frame).
    this.onmessageerror = null;
  }
  BridgePort.prototype.postMessage = function (message, transfer) {
    if (arguments.length === 0) throw new TypeError("Failed to execute 'postMessage': 1 argument required, but only 0 present.");
    if (transfer && transfer.length) throw domError('DataCloneError', 'the swhost bridge cannot transfer objects');
    var text;
    try { text = JSON.stringify({ data: message === undefined ? null : message }); } catch (e) {
      throw domError('DataCloneError', 'the message cannot be sent through the swhost bridge: ' + e.message);
    }
    if (this._closed) return;
    this._ws.send(text);
  };
  BridgePort.prototype.start = function () {
    if (this._started) return;
    this._started = true;
    var q = this._queue; this._queue = [];
    for (var i = 0; i < q.length; i++) this._dispatch('message', q[i]);
  };
  BridgePort.prototype.close = function () {
    if (this._closed) return;
    this._closed = true;
    this._ws.close(1000, 'closed');
  };
  BridgePort.prototype.addEventListener = function (type, fn) {
    if (!this._listeners[type] || typeof fn !== 'function') return;
    if (this._listeners[type].indexOf(fn) < 0) this._listeners[type].push(fn);
    if (type === 'message') this.start();
  };
  BridgePort.prototype.removeEventListener = function (type, fn) {
    var l = this._listeners[type];
    if (!l) return;
    var i = l.indexOf(fn);
    if (i >= 0) l.splice(i, 1);
  };
  Object.defineProperty(BridgePort.prototype, 'onmessage', {
    get: function () { return this._onmessage; },
    set: function (fn) { this._onmessage = typeof fn === 'function' ? fn : null; if (this._onmessage) this.start(); }
  });
  BridgePort.prototype._receive = function (data) {
    var ev = { type: 'message', data: data, ports: [], target: this, origin: '', lastEventId: '' };
    if (!this._started) { this._queue.push(ev); return; }
    this._dispatch('message', ev);
  };
  BridgePort.prototype._dispatch = function (type, ev) {
    var handler = type === 'message' ? this._onmessage : this['on' + type];
    var list = this._listeners[type].slice();
    if (handler) list.unshift(handler);
    for (var i = 0; i < list.length; i++) {
      try { list[i].call(this, ev); } catch (e) { setTimeout(function () { throw e; }); }
    }
  };

  function connect(url, options) {
    return new Promise(function (resolve, reject) {
      var target;
      try { target = new URL(String(url), global.location.href).href; } catch (e) {
        reject(new TypeError("Failed to execute 'connect': invalid URL " + url));
        return;
      }
      var first;
      try { first = JSON.stringify({ connect: target, options: options === undefined ? null : options }); } catch (e) {
        reject(domError('DataCloneError', 'the connect options cannot be sent: ' + e.message));
        return;
      }
      var ws = new WebSocket(endpoint.href);
      var port = null;
      ws.onopen = function () { ws.send(first); };
      ws.onmessage = function (m) {
        var f;
        try { f = JSON.parse(m.data); } catch (e) { return; }
        if (port) {
          if ('data' in f) port._receive(f.data);
          else if (f.error) port._dispatch('messageerror', { type: 'messageerror', data: null, error: domError(f.error.name, f.error.message), target: port });
          return;
        }
        if (f.accepted) { port = new BridgePort(ws); resolve(port); return; }
        var err = f.error || { name: 'AbortError', message: 'the connection was refused' };
        reject(domError(err.name, err.message));
        ws.close();
      };
      ws.onerror = function () {};
      ws.onclose = function () {
        if (!port) { reject(domError('AbortError', 'the swhost bridge closed the connection')); return; }
        if (!port._closed) { port._closed = true; port._dispatch('close', { type: 'close', target: port }); }
      };
    });
  }

  // serviceWorker(pageURL) is the page's navigator.serviceWorker for a
  // worker that runs in swhost: it resolves with a container whose
  // controller is {scriptURL} or null, postMessage(data) posts to the
  // controller (a message event whose source is this page's window
  // client), and which fires message (e.data, e.source.scriptURL),
  // controllerchange and messageerror events. pageURL defaults to this
  // page's URL and must be of its origin.
  function serviceWorker(pageURL) {
    return new Promise(function (resolve, reject) {
      var page;
      try { page = new URL(pageURL === undefined ? global.location.href : String(pageURL), global.location.href).href; } catch (e) {
        reject(new TypeError("Failed to execute 'serviceWorker': invalid URL " + pageURL));
        return;
      }
      var ws = new WebSocket(endpoint.href);
      var c = null;
      ws.onopen = function () { ws.send(JSON.stringify({ serviceWorker: page })); };
      ws.onmessage = function (m) {
        var f;
        try { f = JSON.parse(m.data); } catch (e) { return; }
        if (c) {
          if ('data' in f) c._receive(f.data, f.source);
          else if ('controllerchange' in f) {
            c.controller = { scriptURL: f.controllerchange };
            c._dispatch('controllerchange', { type: 'controllerchange', target: c });
          } else if (f.error) c._dispatch('messageerror', { type: 'messageerror', data: null, error: domError(f.error.name, f.error.message), target: c });
          return;
        }
        if (f.accepted) {
          c = new BridgePort(ws);
          c._listeners.controllerchange = [];
          c.oncontrollerchange = null;
          c.controller = f.controller ? { scriptURL: f.controller } : null;
          c._receive = function (data, source) {
            var ev = { type: 'message', data: data, ports: [], target: this, origin: new URL(page).origin, lastEventId: '', source: source ? { scriptURL: source } : null };
            if (!this._started) { this._queue.push(ev); return; }
            this._dispatch('message', ev);
          };
          resolve(c);
          return;
        }
        var err = f.error || { name: 'AbortError', message: 'the bridge refused the page' };
        reject(domError(err.name, err.message));
        ws.close();
      };
      ws.onerror = function () {};
      ws.onclose = function () {
        if (!c) { reject(domError('AbortError', 'the swhost bridge closed the connection')); return; }
        if (!c._closed) { c._closed = true; c._dispatch('close', { type: 'close', target: c }); }
      };
    });
  }

  var swhost = {
    connect: connect,
    serviceWorker: serviceWorker,
    // install makes connect navigator.connect (unless the browser has one).
    install: function () {
      if (!global.navigator.connect) global.navigator.connect = connect;
      return connect;
    }
  };
  global.swhost = swhost;
  if (script && /[?&]install\b/.test(script.src)) swhost.install();
})(typeof window !== 'undefined' ? window : self);

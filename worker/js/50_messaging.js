// 50_messaging.js: structuredClone, MessageChannel and MessagePort
// (HTML), over Go's structured clone and ports, built on first use.
(function (internals, host, global) {
  'use strict';
  const {
    Event, EventTarget, MessageEvent, blobAPI, dispatch, domErr, eventHandler, illegal,
    kOnHandlerSet, kState, lazy, noPorts, requireArgs, transferArg
  } = internals;

  // Structured clone is Go's (internal/structuredclone, host.clone); so is
  // the crossing of MessagePorts to and from Go. A port's state: other (the
  // entangled port of this runtime) or link (the id of the Go channel end
  // it is entangled with), the queue of messages not yet dispatched, and
  // started/closed/detached.
  const messagingAPI = lazy(['structuredClone', 'MessageChannel', 'MessagePort'], () => {
    // Methods that must tell a missing argument from undefined are
    // wrapped by host.requireArgs instead of reading arguments.length: an
    // arguments object costs more than the rest of a message in sobek.
    const structuredClonePublic = requireArgs(function (value, options) {
      return host.clone(value, transferArg(options));
    }, 'structuredClone', "Failed to execute 'structuredClone': 1 argument required, but only 0 present.");
    const links = new Map();
    function newState() { return { other: null, link: 0, started: false, closed: false, detached: false, draining: false, queue: [] }; }
    // MessageChannel / MessagePort
    class MessagePort extends EventTarget {
      constructor(key) {
        if (key !== kState) illegal();
        super();
        this[kState] = newState();
        this[kOnHandlerSet] = (type) => { if (type === 'message') this.start(); };
      }
      postMessage(message, transfer) {
        const st = this[kState];
        const list = transferArg(transfer);
        if (list !== undefined && list.includes(this)) throw domErr('DataCloneError', 'A MessagePort cannot transfer itself.');
        if (st.link !== 0) { host.portPost(st.link, message, list); return; }
        const target = st.other;
        let data, ports = [];
        if (list === undefined) data = host.clone(message, undefined);
        else {
          // Clone the message with the transfer list; the transferred
          // ports come back, as the receiver gets them, at the end.
          const both = host.clone([message, list], list);
          data = both[0];
          for (const p of both[1]) if (p instanceof MessagePort) ports.push(p);
        }
        if (st.closed || target === null) return;
        enqueue(target, data, ports);
      }
      start() {
        const st = this[kState];
        if (st.started || st.detached) return;
        st.started = true;
        if (st.queue.length > 0) scheduleDrain(this);
      }
      close() {
        const st = this[kState];
        if (st.closed) return;
        st.closed = true;
        if (st.link !== 0) { links.delete(st.link); host.portClose(st.link); st.link = 0; return; }
        const other = st.other;
        st.other = null;
        if (other) {
          other[kState].other = null;
          host.queueTask(() => dispatch(other, internals.newEvent('close', false, false), true));
        }
      }
    }
    Object.defineProperty(MessagePort.prototype, 'postMessage', {
      value: requireArgs(MessagePort.prototype.postMessage, 'postMessage', "Failed to execute 'postMessage' on 'MessagePort': 1 argument required, but only 0 present."),
      writable: true, enumerable: true, configurable: true,
    });
    eventHandler(MessagePort.prototype, 'message');
    eventHandler(MessagePort.prototype, 'messageerror');
    eventHandler(MessagePort.prototype, 'close');
    const closeMark = {};
    // enqueue adds a message to a port's queue; a started port dispatches
    // each queued message as its own task.
    function enqueue(port, data, ports) {
      const st = port[kState];
      st.queue.push(data, ports);
      if (st.started && !st.draining) scheduleDrain(port);
    }
    function scheduleDrain(port) {
      const st = port[kState];
      st.draining = true;
      host.queueTask(() => drainOne(port));
    }
    function drainOne(port) {
      const st = port[kState];
      st.draining = false;
      if (st.queue.length === 0 || st.detached) return;
      const data = st.queue.shift(), ports = st.queue.shift();
      if (st.queue.length > 0) scheduleDrain(port);
      if (data === closeMark) { dispatch(port, internals.newEvent('close', false, false), true); return; }
      if (st.closed) return;
      dispatch(port, portEvent(data, ports), true);
    }
    // portEvent is new MessageEvent('message', {data, ports}) without the
    // constructor's argument checks and init dictionary.
    function portEvent(data, ports) {
      return {
        __proto__: MessageEvent.prototype,
        [kState]: ['message', 0, null, host.now(), null, 0, data, null, ports.length === 0 ? noPorts : Object.freeze(ports), '', ''],
      };
    }
    class MessageChannel {
      constructor() {
        const a = new MessagePort(kState), b = new MessagePort(kState);
        a[kState].other = b; b[kState].other = a;
        this[kState] = { port1: a, port2: b };
      }
      get port1() { return this[kState].port1; }
      get port2() { return this[kState].port2; }
    }
    function newPort() { return new MessagePort(kState); }
    host.msgInit(MessagePort.prototype, {
      // portIn makes a port entangled with the Go channel end link.
      portIn(link) {
        const p = newPort();
        p[kState].link = link;
        links.set(link, p);
        return p;
      },
      // portMessage delivers a message from Go; Go calls it in its own
      // task, so a started port with nothing queued dispatches at once.
      portMessage(link, data, ports) {
        const p = links.get(link);
        if (p === undefined) return;
        const st = p[kState];
        ports = ports === undefined ? [] : ports;
        if (st.started && st.queue.length === 0 && !st.closed) dispatch(p, portEvent(data, ports), true);
        else enqueue(p, data, ports);
      },
      // portClosed: the Go end closed.
      portClosed(link) {
        const p = links.get(link);
        if (p === undefined) return;
        links.delete(link);
        const st = p[kState];
        st.link = 0;
        if (st.started && st.queue.length === 0) dispatch(p, internals.newEvent('close', false, false), true);
        else enqueue(p, closeMark, null);
      },
      // portDetach detaches a transferred port. Without link it returns a
      // new port of this runtime that takes over the entanglement and the
      // queue (a transfer within the runtime). With link (the port leaves
      // the runtime), a partner of this runtime becomes entangled with Go
      // link, and it returns [hasPartner, data, ports, ...]: the messages
      // the port had not dispatched.
      portDetach(port, link) {
        const st = port[kState];
        const queue = st.queue;
        st.queue = [];
        st.detached = true; st.closed = true;
        if (link === undefined) {
          const np = newPort();
          const ns = np[kState];
          ns.other = st.other; ns.link = st.link; ns.queue = queue;
          if (ns.other !== null) ns.other[kState].other = np;
          if (ns.link !== 0) links.set(ns.link, np);
          st.other = null; st.link = 0;
          return np;
        }
        const out = [false];
        if (st.link !== 0) {
          links.delete(st.link);
          st.link = 0;
        } else if (st.other !== null) {
          const o = st.other;
          o[kState].other = null;
          o[kState].link = link;
          links.set(link, o);
          st.other = null;
          out[0] = true;
        }
        for (let i = 0; i < queue.length; i += 2) {
          if (queue[i] === closeMark) continue;
          out.push(queue[i], queue[i + 1]);
        }
        return out;
      },
      // portLink says what Go needs of a MessagePort it transfers: the
      // Go channel end it is entangled with (0: none), -1 when it was
      // transferred away, undefined when v has no port state.
      portLink(v) {
        const st = v[kState];
        if (st === undefined || st === null || typeof st !== 'object' || !('detached' in st)) return undefined;
        return st.detached ? -1 : st.link;
      },
      // hostKind says what a platform object is for structured clone:
      // ['Blob', bytes, type], its interface name (not serializable), or
      // undefined for an object that is not a platform object.
      hostKind(v) {
        if (v[kState] === undefined) return undefined;
        if (blobAPI.loaded() && v instanceof blobAPI().File) { const b = v[kState]; return ['File', b.bytes, b.type, b.name, b.lastModified]; }
        if (blobAPI.loaded() && v instanceof blobAPI().Blob) { const b = v[kState]; return ['Blob', b.bytes, b.type]; }
        if (internals.subtleAPI.loaded() && internals.subtleAPI().isKey(v)) return ['CryptoKey', internals.subtleAPI().keyHandle(v)];
        return (v.constructor && v.constructor.name) || 'Object';
      },
      makeKey(handle) { return internals.subtleAPI().makeKey(handle); },
      makeBlob(buffer, type, name, lastModified) {
        if (name !== undefined) return blobAPI().makeFile(new Uint8Array(buffer), name, type, lastModified);
        const B = blobAPI().Blob;
        const out = Object.create(B.prototype);
        out[kState] = { bytes: new Uint8Array(buffer), type };
        return out;
      },
    });
    return { structuredClone: structuredClonePublic, MessageChannel, MessagePort, transferArg };
  });

  Object.assign(internals, {
    messagingAPI,
  });
})

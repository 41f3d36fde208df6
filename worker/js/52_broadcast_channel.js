// 52_broadcast_channel.js: BroadcastChannel (HTML), between every worker
// of an origin in the process (Go's bus), built on first use.
(function (internals, host, global) {
  'use strict';
  const {
    EventTarget, dispatch, domErr, eventHandler, kState, lazy, str
  } = internals;

  lazy(['BroadcastChannel'], () => {
    const MessageEvent = internals.MessageEvent;
    function channelState(c) {
      const st = c !== null && typeof c === 'object' ? c[kState] : undefined;
      if (st === undefined || st.sub === undefined) throw new TypeError('Illegal invocation');
      return st;
    }
    class BroadcastChannel extends EventTarget {
      constructor(name) {
        if (arguments.length === 0) throw new TypeError("Failed to construct 'BroadcastChannel': 1 argument required, but only 0 present.");
        super();
        const self = this;
        const st = { name: str(name), closed: false, sub: null };
        this[kState] = st;
        st.sub = host.bcOpen(st.name, function (data, origin, failed) {
          if (st.closed) return;
          if (failed === true) dispatch(self, new MessageEvent('messageerror', { origin }), true);
          else dispatch(self, new MessageEvent('message', { data, origin }), true);
        });
      }
      get name() { return channelState(this).name; }
      postMessage(message) {
        const st = channelState(this);
        if (arguments.length === 0) throw new TypeError("Failed to execute 'postMessage' on 'BroadcastChannel': 1 argument required, but only 0 present.");
        if (st.closed) throw domErr('InvalidStateError', "Failed to execute 'postMessage' on 'BroadcastChannel': Channel is closed");
        host.bcPost(st.sub, message);
      }
      close() {
        const st = channelState(this);
        if (st.closed) return;
        st.closed = true;
        host.bcClose(st.sub);
      }
    }
    eventHandler(BroadcastChannel.prototype, 'message');
    eventHandler(BroadcastChannel.prototype, 'messageerror');
    Object.defineProperty(BroadcastChannel.prototype, Symbol.toStringTag, { value: 'BroadcastChannel', configurable: true });
    return { BroadcastChannel };
  });
})

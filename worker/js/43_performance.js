// 43_performance.js: performance (High Resolution Time): now(),
// timeOrigin and toJSON(), built on first use.
(function (internals, host, global) {
  'use strict';
  const {
    EventTarget, illegal, kState, lazy
  } = internals;

  lazy(['Performance', 'performance'], () => {
    let performance = null;
    function check(p) { if (p !== performance || p === null) throw new TypeError('Illegal invocation'); }
    class Performance extends EventTarget {
      constructor(key) { if (key !== kState) illegal(); super(); }
      // now is the time since the time origin, in milliseconds, with
      // microsecond precision (host.now, the clock of Event.timeStamp).
      now() { check(this); return host.now(); }
      get timeOrigin() { check(this); return host.timeOrigin(); }
      toJSON() { check(this); return { timeOrigin: host.timeOrigin() }; }
    }
    Object.defineProperty(Performance.prototype, Symbol.toStringTag, { value: 'Performance', configurable: true });
    performance = new Performance(kState);
    return { Performance, performance };
  });
})

// 43_performance.js: performance (High Resolution Time, User Timing):
// now(), timeOrigin, toJSON(), mark(), measure() and the entry lists,
// built on first use.
(function (internals, host, global) {
  'use strict';
  const {
    EventTarget, domErr, illegal, kState, lazy, str
  } = internals;

  lazy(['Performance', 'performance', 'PerformanceEntry', 'PerformanceMark', 'PerformanceMeasure'], () => {
    let performance = null;
    function check(p) { if (p !== performance || p === null) throw new TypeError('Illegal invocation'); }
    // The performance entry buffer: marks and measures in the order made.
    // It is bounded: past maxEntries the oldest entries are dropped.
    const maxEntries = 10000;
    let entries = [];
    function add(e) {
      if (entries.length >= maxEntries) entries = entries.slice(entries.length - maxEntries + 1);
      entries.push(e);
    }
    function entryState(e) {
      const st = e !== null && typeof e === 'object' ? e[kState] : undefined;
      if (st === undefined || st.entryType === undefined) throw new TypeError('Illegal invocation');
      return st;
    }
    class PerformanceEntry {
      constructor() { illegal(); }
      get name() { return entryState(this).name; }
      get entryType() { return entryState(this).entryType; }
      get startTime() { return entryState(this).startTime; }
      get duration() { return entryState(this).duration; }
      toJSON() { const st = entryState(this); return { name: st.name, entryType: st.entryType, startTime: st.startTime, duration: st.duration }; }
    }
    function detailOf(options) {
      const d = options == null ? undefined : options.detail;
      return d === undefined ? null : structuredClone(d);
    }
    function timestamp(v, what) {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new TypeError("Failed to execute '" + what + "' on 'Performance': the time is not a finite number.");
      if (n < 0) throw new TypeError("Failed to execute '" + what + "' on 'Performance': '" + n + "' is negative.");
      return n;
    }
    class PerformanceMark extends PerformanceEntry {
      constructor(name, options = undefined) {
        // PerformanceEntry's constructor is illegal for scripts: build the
        // object without it.
        const self = Object.create(new.target.prototype);
        const startTime = options == null || options.startTime === undefined ? host.now() : timestamp(options.startTime, 'mark');
        self[kState] = { name: str(name), entryType: 'mark', startTime, duration: 0, detail: detailOf(options) };
        return self;
      }
      get detail() { return entryState(this).detail; }
      toJSON() { return Object.assign(PerformanceEntry.prototype.toJSON.call(this), { detail: entryState(this).detail }); }
    }
    class PerformanceMeasure extends PerformanceEntry {
      get detail() { return entryState(this).detail; }
      toJSON() { return Object.assign(PerformanceEntry.prototype.toJSON.call(this), { detail: entryState(this).detail }); }
    }
    // markTime converts a mark name or a timestamp to a time (User Timing's
    // "convert a mark to a timestamp").
    function markTime(v) {
      if (typeof v === 'string') {
        for (let i = entries.length - 1; i >= 0; i--) {
          const st = entries[i][kState];
          if (st.entryType === 'mark' && st.name === v) return st.startTime;
        }
        throw domErr('SyntaxError', "Failed to execute 'measure' on 'Performance': The mark '" + v + "' does not exist.");
      }
      return timestamp(v, 'measure');
    }
    function byStartTime(list) { return list.slice().sort((a, b) => a[kState].startTime - b[kState].startTime); }
    class Performance extends EventTarget {
      constructor(key) { if (key !== kState) illegal(); super(); }
      // now is the time since the time origin, in milliseconds, with
      // microsecond precision (host.now, the clock of Event.timeStamp).
      now() { check(this); return host.now(); }
      get timeOrigin() { check(this); return host.timeOrigin(); }
      toJSON() { check(this); return { timeOrigin: host.timeOrigin() }; }
      mark(name, options = undefined) {
        check(this);
        if (arguments.length === 0) throw new TypeError("Failed to execute 'mark' on 'Performance': 1 argument required, but only 0 present.");
        const m = new PerformanceMark(name, options);
        add(m);
        return m;
      }
      measure(name, startOrOptions = undefined, endMark = undefined) {
        check(this);
        if (arguments.length === 0) throw new TypeError("Failed to execute 'measure' on 'Performance': 1 argument required, but only 0 present.");
        name = str(name);
        const opts = startOrOptions !== null && typeof startOrOptions === 'object' ? startOrOptions : null;
        let start, end, duration, detail;
        if (opts !== null) ({ detail, duration, end, start } = opts);
        const hasOptions = opts !== null && (start !== undefined || end !== undefined || duration !== undefined || detail !== undefined);
        if (hasOptions) {
          if (endMark !== undefined) throw new TypeError("Failed to execute 'measure' on 'Performance': an end mark cannot be given with measure options.");
          if (start === undefined && end === undefined) throw new TypeError("Failed to execute 'measure' on 'Performance': measure options need a start or an end.");
          if (start !== undefined && end !== undefined && duration !== undefined) throw new TypeError("Failed to execute 'measure' on 'Performance': start, end and duration cannot all be given.");
        }
        let endTime;
        if (endMark !== undefined) endTime = markTime(typeof endMark === 'number' ? endMark : str(endMark));
        else if (hasOptions && end !== undefined) endTime = markTime(end);
        else if (hasOptions && start !== undefined && duration !== undefined) endTime = markTime(start) + timestamp(duration, 'measure');
        else endTime = host.now();
        let startTime;
        if (hasOptions && start !== undefined) startTime = markTime(start);
        else if (hasOptions && duration !== undefined && end !== undefined) startTime = endTime - timestamp(duration, 'measure');
        else if (typeof startOrOptions === 'string') startTime = markTime(startOrOptions);
        else startTime = 0;
        const m = Object.create(PerformanceMeasure.prototype);
        m[kState] = { name, entryType: 'measure', startTime, duration: endTime - startTime, detail: hasOptions ? detailOf(opts) : null };
        add(m);
        return m;
      }
      getEntries() { check(this); return byStartTime(entries); }
      getEntriesByType(type) { check(this); type = str(type); return byStartTime(entries.filter((e) => e[kState].entryType === type)); }
      getEntriesByName(name, type = undefined) {
        check(this);
        name = str(name);
        return byStartTime(entries.filter((e) => e[kState].name === name && (type === undefined || e[kState].entryType === str(type))));
      }
      clearMarks(name = undefined) { check(this); clear('mark', name); }
      clearMeasures(name = undefined) { check(this); clear('measure', name); }
    }
    function clear(type, name) {
      const n = name === undefined ? undefined : str(name);
      entries = entries.filter((e) => !(e[kState].entryType === type && (n === undefined || e[kState].name === n)));
    }
    for (const [c, tag] of [[Performance, 'Performance'], [PerformanceEntry, 'PerformanceEntry'], [PerformanceMark, 'PerformanceMark'], [PerformanceMeasure, 'PerformanceMeasure']]) {
      Object.defineProperty(c.prototype, Symbol.toStringTag, { value: tag, configurable: true });
    }
    performance = new Performance(kState);
    return { Performance, performance, PerformanceEntry, PerformanceMark, PerformanceMeasure };
  });
})

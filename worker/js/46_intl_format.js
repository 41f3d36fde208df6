// 46_intl_format.js: Intl.RelativeTimeFormat, Intl.ListFormat and
// Intl.Segmenter (joining the Intl object of 45_intl.js when it is
// built), and the built-in locale methods routed to Intl:
// Number/BigInt/Date/Array toLocaleString, Date toLocaleDateString and
// toLocaleTimeString, String localeCompare.
(function (internals, host, global) {
  'use strict';
  const {
    define, intlAPI, intlExtensions, str
  } = internals;

  intlExtensions.push((Intl, util) => {
    const { make, install, slot, resolved } = util;

    function RelativeTimeFormat(locales, options) {
      if (new.target === undefined) throw new TypeError("Constructor Intl.RelativeTimeFormat requires 'new'");
      return make('RelativeTimeFormat', RelativeTimeFormat, new.target, locales, options,
        { spec: [['localeMatcher', 's'], ['numberingSystem', 's'], ['style', 's'], ['numeric', 's']] });
    }
    function rtf(o, method, value, unit, parts) {
      const h = slot(o, 'RelativeTimeFormat', method).h;
      return host.rtfFormat(h, +value, str(unit), parts);
    }
    install(Intl, 'RelativeTimeFormat', RelativeTimeFormat, {
      format: function format(value, unit) { return rtf(this, 'format', value, unit, false); },
      formatToParts: function formatToParts(value, unit) { return rtf(this, 'formatToParts', value, unit, true); },
      resolvedOptions: function resolvedOptions() { return resolved(this, 'RelativeTimeFormat'); },
    });

    function ListFormat(locales, options) {
      if (new.target === undefined) throw new TypeError("Constructor Intl.ListFormat requires 'new'");
      return make('ListFormat', ListFormat, new.target, locales, options,
        { strict: true, spec: [['localeMatcher', 's'], ['type', 's'], ['style', 's']] });
    }
    // StringListFromIterable.
    function stringList(list) {
      if (list === undefined) return [];
      const out = [];
      for (const v of list) {
        if (typeof v !== 'string') throw new TypeError('Iterable yielded ' + (typeof v === 'symbol' ? 'a symbol' : String(v)) + ' which is not a string');
        out.push(v);
      }
      return out;
    }
    function lf(o, method, list, parts) {
      const h = slot(o, 'ListFormat', method).h;
      return host.lfFormat(h, stringList(list), parts);
    }
    install(Intl, 'ListFormat', ListFormat, {
      format: function format(list) { return lf(this, 'format', list, false); },
      formatToParts: function formatToParts(list) { return lf(this, 'formatToParts', list, true); },
      resolvedOptions: function resolvedOptions() { return resolved(this, 'ListFormat'); },
    });

    function Segmenter(locales, options) {
      if (new.target === undefined) throw new TypeError("Constructor Intl.Segmenter requires 'new'");
      const o = make('Segmenter', Segmenter, new.target, locales, options,
        { strict: true, spec: [['localeMatcher', 's'], ['granularity', 's']] });
      const s = slot(o, 'Segmenter', 'segment');
      s.granularity = host.intlResolved(s.h).granularity;
      return o;
    }
    // A Segments object: the string, its segment bounds (flat [start, end,
    // isWordLike, ...]) and whether they are words.
    const segmentsState = new WeakMap();
    function segmentData(st, i) {
      const f = st.flat;
      const d = { segment: st.input.slice(f[i], f[i + 1]), index: f[i], input: st.input };
      if (st.words) d.isWordLike = f[i + 2];
      return d;
    }
    const SegmentsPrototype = {};
    define(SegmentsPrototype, {
      containing: function containing(index) {
        const st = segmentsState.get(this);
        if (st === undefined) throw new TypeError('Method %Segments.prototype%.containing called on incompatible receiver');
        let n = Math.trunc(+index);
        if (Number.isNaN(n)) n = 0;
        if (n < 0 || n >= st.input.length) return undefined;
        let lo = 0, hi = st.flat.length / 3 - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (st.flat[3 * mid] <= n) lo = mid; else hi = mid - 1;
        }
        return segmentData(st, 3 * lo);
      },
    });
    Object.defineProperty(SegmentsPrototype, Symbol.iterator, {
      value: {
        [Symbol.iterator]() {
          const st = segmentsState.get(this);
          if (st === undefined) throw new TypeError('Method %Segments.prototype%[@@iterator] called on incompatible receiver');
          const it = Object.create(SegmentIteratorPrototype);
          iteratorState.set(it, { st, i: 0 });
          return it;
        },
      }[Symbol.iterator],
      writable: true, configurable: true, enumerable: false,
    });
    const iteratorState = new WeakMap();
    const SegmentIteratorPrototype = Object.create(Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
    define(SegmentIteratorPrototype, {
      next: function next() {
        const s = iteratorState.get(this);
        if (s === undefined) throw new TypeError('Method %SegmentIterator.prototype%.next called on incompatible receiver');
        if (s.i >= s.st.flat.length) return { value: undefined, done: true };
        const value = segmentData(s.st, s.i);
        s.i += 3;
        return { value, done: false };
      },
    });
    Object.defineProperty(SegmentIteratorPrototype, Symbol.toStringTag, { value: 'Segmenter String Iterator', configurable: true });
    install(Intl, 'Segmenter', Segmenter, {
      segment: function segment(string) {
        const s = slot(this, 'Segmenter', 'segment');
        const input = str(string);
        const segs = Object.create(SegmentsPrototype);
        segmentsState.set(segs, { input, flat: host.segSegments(s.h, input), words: s.granularity === 'word' });
        return segs;
      },
      resolvedOptions: function resolvedOptions() { return resolved(this, 'Segmenter'); },
    });
  });

  // The built-in locale methods, as ECMA-402 redefines them. Each loads
  // Intl on its first call.
  function thisTime(d, name) {
    try {
      return Date.prototype.getTime.call(d);
    } catch (e) {
      throw new TypeError('Method Date.prototype.' + name + ' called on incompatible receiver');
    }
  }
  function dateMethod(name, required, defaults) {
    return {
      [name]: function () {
        const t = thisTime(this, name);
        if (Number.isNaN(t)) return 'Invalid Date';
        const api = intlAPI();
        return api.dtfFormat(api.dateTimeFormat(arguments[0], arguments[1], required, defaults), t);
      },
    }[name];
  }
  define(Date.prototype, {
    toLocaleString: dateMethod('toLocaleString', 'any', 'all'),
    toLocaleDateString: dateMethod('toLocaleDateString', 'date', 'date'),
    toLocaleTimeString: dateMethod('toLocaleTimeString', 'time', 'time'),
  });
  define(Number.prototype, {
    toLocaleString: function toLocaleString() {
      const x = Number.prototype.valueOf.call(this);
      const api = intlAPI();
      return api.nfFormat(api.numberFormat(arguments[0], arguments[1]), x);
    },
  });
  define(BigInt.prototype, {
    toLocaleString: function toLocaleString() {
      const x = BigInt.prototype.valueOf.call(this);
      const api = intlAPI();
      return api.nfFormat(api.numberFormat(arguments[0], arguments[1]), x);
    },
  });
  define(String.prototype, {
    localeCompare: function localeCompare(that) {
      if (this === undefined || this === null) throw new TypeError('String.prototype.localeCompare called on null or undefined');
      const s = str(this), t = str(that);
      const api = intlAPI();
      return api.collCompare(api.collator(arguments[1], arguments[2]), s, t);
    },
  });
  // Array.prototype.toLocaleString passes locales and options on to each
  // element's toLocaleString; an array met again while it is being
  // joined (a cycle) is the empty string.
  const joining = new Set();
  define(Array.prototype, {
    toLocaleString: function toLocaleString() {
      if (this === undefined || this === null) throw new TypeError('Array.prototype.toLocaleString called on null or undefined');
      const a = Object(this);
      if (joining.has(a)) return '';
      joining.add(a);
      try {
        const len = Math.min(Math.max(Math.trunc(+a.length) || 0, 0), Number.MAX_SAFE_INTEGER);
        let r = '';
        for (let k = 0; k < len; k++) {
          if (k > 0) r += ',';
          const e = a[k];
          if (e === undefined || e === null) continue;
          const f = e.toLocaleString;
          if (typeof f !== 'function') throw new TypeError('toLocaleString is not a function');
          r += `${f.call(e, arguments[0], arguments[1])}`;
        }
        return r;
      } finally {
        joining.delete(a);
      }
    },
  });
})

// 45_intl.js: Intl (ECMA-402), built on first use over Go's package intl:
// the locale list and option readers, Intl.getCanonicalLocales,
// Collator, NumberFormat, PluralRules and DateTimeFormat. The other
// constructors (46_intl_format.js) join through intlExtensions.
(function (internals, host, global) {
  'use strict';
  const {
    define, lazy, str
  } = internals;

  // Functions that add to the Intl object when it is built: (Intl, util).
  const intlExtensions = [];

  const intlAPI = lazy(['Intl'], () => {
    // The handle (Go formatter) and cached bound functions of every Intl
    // object, by object: a WeakMap, so that scripts cannot reach them.
    const slots = new WeakMap();
    function slot(o, kind, method) {
      const s = o !== null && (typeof o === 'object' || typeof o === 'function') ? slots.get(o) : undefined;
      if (s === undefined || s.kind !== kind) {
        throw new TypeError('Method Intl.' + kind + '.prototype.' + method + ' called on incompatible receiver');
      }
      return s;
    }
    function toLength(v) {
      const n = Math.trunc(Number(v));
      return Number.isFinite(n) ? Math.min(Math.max(n, 0), Number.MAX_SAFE_INTEGER) : (n > 0 ? Number.MAX_SAFE_INTEGER : 0);
    }
    // localeList is the JavaScript half of CanonicalizeLocaleList: the
    // strings of locales (Go canonicalizes them).
    function localeList(locales) {
      if (locales === undefined) return [];
      if (typeof locales === 'string') return [locales];
      if (locales === null) throw new TypeError('Cannot convert undefined or null to object');
      const o = Object(locales);
      const len = toLength(o.length);
      const out = [];
      for (let k = 0; k < len; k++) {
        if (!(k in o)) continue;
        const v = o[k];
        if (typeof v !== 'string' && (v === null || typeof v !== 'object')) throw new TypeError('Language ID should be string or object.');
        out.push(str(v));
      }
      return out;
    }
    // CoerceOptionsToObject and GetOptionsObject.
    function coerceOptions(o) {
      if (o === undefined) return Object.create(null);
      if (o === null) throw new TypeError('Cannot convert undefined or null to object');
      return Object(o);
    }
    function optionsObject(o) {
      if (o === undefined) return Object.create(null);
      if (o !== null && (typeof o === 'object' || typeof o === 'function')) return o;
      throw new TypeError('Options must be an object');
    }
    // readOptions reads the options of spec ([name, type] in the order of
    // the specification; type s: string, b: boolean, n: number, g:
    // useGrouping) into a plain object for Go, which checks the values.
    function readOptions(o, spec) {
      const out = {};
      for (const [name, type] of spec) {
        const v = o[name];
        if (v === undefined) continue;
        switch (type) {
          case 's': {
            const s = str(v);
            if (s === '') throw new RangeError('Value  out of range for Intl options property ' + name);
            out[name] = s;
            break;
          }
          case 'b': out[name] = !!v; break;
          case 'n': out[name] = +v; break;
          case 'g': {
            if (v === true) { out[name] = 'always'; break; }
            if (!v) { out[name] = 'false'; break; }
            const s = str(v);
            if (s === 'true' || s === 'false') break;
            if (s !== 'min2' && s !== 'auto' && s !== 'always') throw new RangeError('Value ' + s + ' out of range for Intl.NumberFormat options property useGrouping');
            out[name] = s;
            break;
          }
        }
      }
      return out;
    }
    const digitSpec = [['minimumIntegerDigits', 'n'], ['minimumFractionDigits', 'n'], ['maximumFractionDigits', 'n'],
      ['minimumSignificantDigits', 'n'], ['maximumSignificantDigits', 'n'], ['roundingIncrement', 'n'],
      ['roundingMode', 's'], ['roundingPriority', 's'], ['trailingZeroDisplay', 's']];
    const specs = {
      Collator: [['usage', 's'], ['localeMatcher', 's'], ['collation', 's'], ['numeric', 'b'], ['caseFirst', 's'],
        ['sensitivity', 's'], ['ignorePunctuation', 'b']],
      NumberFormat: [['localeMatcher', 's'], ['numberingSystem', 's'], ['style', 's'], ['currency', 's'],
        ['currencyDisplay', 's'], ['currencySign', 's'], ['unit', 's'], ['unitDisplay', 's'], ['notation', 's'],
        ...digitSpec, ['compactDisplay', 's'], ['useGrouping', 'g'], ['signDisplay', 's']],
      PluralRules: [['localeMatcher', 's'], ['type', 's'], ...digitSpec],
      DateTimeFormat: [['localeMatcher', 's'], ['calendar', 's'], ['numberingSystem', 's'], ['hour12', 'b'],
        ['hourCycle', 's'], ['timeZone', 's'], ['weekday', 's'], ['era', 's'], ['year', 's'], ['month', 's'],
        ['day', 's'], ['dayPeriod', 's'], ['hour', 's'], ['minute', 's'], ['second', 's'],
        ['fractionalSecondDigits', 'n'], ['timeZoneName', 's'], ['formatMatcher', 's'], ['dateStyle', 's'],
        ['timeStyle', 's']],
    };
    // make builds an Intl object of kind for new.target nt (or the
    // constructor itself when called as a function).
    function make(kind, ctor, nt, locales, options, opts = {}) {
      const list = localeList(locales);
      const o = (opts.strict ? optionsObject : coerceOptions)(options);
      const h = host.intlNew(kind, list, readOptions(o, opts.spec || specs[kind]), opts.required || '', opts.defaults || '');
      let proto = nt === undefined ? ctor.prototype : nt.prototype;
      if (proto === null || (typeof proto !== 'object' && typeof proto !== 'function')) proto = ctor.prototype;
      const obj = Object.create(proto);
      slots.set(obj, { kind, h });
      return obj;
    }
    // install finishes a constructor: prototype methods and getters,
    // supportedLocalesOf, toStringTag, the prototype property locked.
    function install(Intl, kind, ctor, methods, getters = {}) {
      define(ctor.prototype, methods);
      for (const [name, get] of Object.entries(getters)) {
        Object.defineProperty(get, 'name', { value: 'get ' + name });
        Object.defineProperty(ctor.prototype, name, { get, configurable: true, enumerable: false });
      }
      Object.defineProperty(ctor.prototype, Symbol.toStringTag, { value: 'Intl.' + kind, configurable: true });
      Object.defineProperty(ctor, 'prototype', { writable: false, enumerable: false, configurable: false });
      define(ctor, {
        supportedLocalesOf: function supportedLocalesOf(locales) {
          const options = arguments[1];
          const list = localeList(locales);
          const o = coerceOptions(options);
          const m = o.localeMatcher;
          return host.intlSupported(kind, list, m === undefined ? '' : str(m));
        },
      });
      Object.defineProperty(Intl, kind, { value: ctor, writable: true, configurable: true, enumerable: false });
    }
    function resolved(o, kind) { return host.intlResolved(slot(o, kind, 'resolvedOptions').h); }
    // bound returns the function of getter name, made once per object.
    function bound(o, kind, name, make) {
      const s = slot(o, kind, name);
      const key = 'bound_' + name;
      if (s[key] === undefined) {
        s[key] = make(s.h);
        Object.defineProperty(s[key], 'name', { value: '' });
      }
      return s[key];
    }

    // toPrimitive is ToPrimitive(v, number) for an object.
    function toPrimitive(v) {
      const f = v[Symbol.toPrimitive];
      if (f !== undefined && f !== null) {
        const r = f.call(v, 'number');
        if (r !== null && (typeof r === 'object' || typeof r === 'function')) throw new TypeError('Cannot convert object to primitive value');
        return r;
      }
      for (const m of ['valueOf', 'toString']) {
        const g = v[m];
        if (typeof g === 'function') {
          const r = g.call(v);
          if (r === null || (typeof r !== 'object' && typeof r !== 'function')) return r;
        }
      }
      throw new TypeError('Cannot convert object to primitive value');
    }
    const decimalLiteral = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;
    // mathValue is ToIntlMathematicalValue: BigInts and decimal strings
    // go to Go as exact decimal strings, anything else as a Number.
    function mathValue(x) {
      let p = x;
      if (p !== null && (typeof p === 'object' || typeof p === 'function')) p = toPrimitive(p);
      if (typeof p === 'bigint') return String(p);
      if (typeof p === 'string') return decimalLiteral.test(p) ? p.trim() : Number(p);
      return Number(p);
    }

    const Intl = {};
    Object.defineProperty(Intl, Symbol.toStringTag, { value: 'Intl', configurable: true });
    define(Intl, {
      getCanonicalLocales: function getCanonicalLocales(locales) { return host.intlCanonicalize(localeList(locales)); },
    });

    function Collator(locales, options) { return make('Collator', Collator, new.target, locales, options); }
    install(Intl, 'Collator', Collator, {
      resolvedOptions: function resolvedOptions() { return resolved(this, 'Collator'); },
    }, {
      compare() { return bound(this, 'Collator', 'compare', (h) => (x, y) => host.collCompare(h, str(x), str(y))); },
    });

    function NumberFormat(locales, options) { return make('NumberFormat', NumberFormat, new.target, locales, options); }
    install(Intl, 'NumberFormat', NumberFormat, {
      formatToParts: function formatToParts(value) { return host.nfFormat(slot(this, 'NumberFormat', 'formatToParts').h, mathValue(value), true); },
      resolvedOptions: function resolvedOptions() { return resolved(this, 'NumberFormat'); },
    }, {
      format() { return bound(this, 'NumberFormat', 'format', (h) => (value) => host.nfFormat(h, mathValue(value), false)); },
    });

    function PluralRules(locales, options) {
      if (new.target === undefined) throw new TypeError("Constructor Intl.PluralRules requires 'new'");
      return make('PluralRules', PluralRules, new.target, locales, options);
    }
    install(Intl, 'PluralRules', PluralRules, {
      select: function select(n) { return host.prSelect(slot(this, 'PluralRules', 'select').h, +n); },
      selectRange: function selectRange(start, end) {
        const h = slot(this, 'PluralRules', 'selectRange').h;
        if (start === undefined || end === undefined) throw new TypeError('start and end are required');
        const x = +start, y = +end;
        if (Number.isNaN(x) || Number.isNaN(y)) throw new RangeError('Invalid number value');
        return host.prSelectRange(h, x, y);
      },
      resolvedOptions: function resolvedOptions() { return resolved(this, 'PluralRules'); },
    });

    // createDateTimeFormat serves the constructor and the Date methods,
    // which pass their own required and defaults.
    function DateTimeFormat(locales, options) { return make('DateTimeFormat', DateTimeFormat, new.target, locales, options, { required: 'any', defaults: 'date' }); }
    function timeValue(date) { return date === undefined ? Date.now() : +date; }
    install(Intl, 'DateTimeFormat', DateTimeFormat, {
      formatToParts: function formatToParts(date) { return host.dtfFormat(slot(this, 'DateTimeFormat', 'formatToParts').h, timeValue(date), true); },
      formatRange: function formatRange(startDate, endDate) { return range(this, 'formatRange', startDate, endDate, false); },
      formatRangeToParts: function formatRangeToParts(startDate, endDate) { return range(this, 'formatRangeToParts', startDate, endDate, true); },
      resolvedOptions: function resolvedOptions() { return resolved(this, 'DateTimeFormat'); },
    }, {
      format() { return bound(this, 'DateTimeFormat', 'format', (h) => (date) => host.dtfFormat(h, timeValue(date), false)); },
    });
    function range(dtf, method, a, b, parts) {
      const h = slot(dtf, 'DateTimeFormat', method).h;
      if (a === undefined || b === undefined) throw new TypeError('startDate and endDate are required');
      return host.dtfFormatRange(h, +a, +b, parts);
    }

    const util = { make, install, slot, bound, resolved, localeList, optionsObject, coerceOptions, readOptions, mathValue };
    for (const extend of intlExtensions) extend(Intl, util);

    // The formatters the built-in toLocale* methods use: made per call,
    // except the default one (no locales, no options), made once.
    const defaults = new Map();
    function cached(key, locales, options, create) {
      if (locales !== undefined || options !== undefined) return create();
      let f = defaults.get(key);
      if (f === undefined) {
        f = create();
        defaults.set(key, f);
      }
      return f;
    }
    return {
      Intl,
      numberFormat: (locales, options) => cached('nf', locales, options, () => new NumberFormat(locales, options)),
      dateTimeFormat: (locales, options, required, defs) => cached('dtf' + required + defs, locales, options,
        () => make('DateTimeFormat', DateTimeFormat, undefined, locales, options, { required, defaults: defs })),
      collator: (locales, options) => cached('coll', locales, options, () => new Collator(locales, options)),
      nfFormat: (nf, x) => host.nfFormat(slot(nf, 'NumberFormat', 'format').h, mathValue(x), false),
      dtfFormat: (dtf, t) => host.dtfFormat(slot(dtf, 'DateTimeFormat', 'format').h, t, false),
      collCompare: (c, a, b) => host.collCompare(slot(c, 'Collator', 'compare').h, a, b),
    };
  });

  Object.assign(internals, {
    intlAPI, intlExtensions,
  });
})

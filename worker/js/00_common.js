// 00_common.js: helpers every other file shares: the private state key
// kState, property definition (define, expose, readonly), WebIDL-style
// conversions (str, usv, transferArg, requireArgs) and lazy, which
// defines global names whose values are built on first use.
(function (internals, host, global) {
  'use strict';

  const kState = Symbol('state');
  const kListeners = Symbol('listeners');
  const hasOwn = Object.prototype.hasOwnProperty;

  function define(obj, props) {
    for (const k of Object.keys(props)) {
      Object.defineProperty(obj, k, { value: props[k], writable: true, configurable: true, enumerable: false });
    }
  }
  function expose(name, value) {
    Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
  }
  function readonly(obj, name, get) {
    Object.defineProperty(obj, name, { get, configurable: true, enumerable: true });
  }
  function illegal() { throw new TypeError('Illegal constructor'); }
  function str(v) { return typeof v === 'symbol' ? (() => { throw new TypeError('Cannot convert a Symbol to a string'); })() : String(v); }

  // lazy defines global names whose values are built on first use. Most
  // scripts use few of these APIs, and creating classes is most of a
  // runtime's start-up cost. The returned function loads the group.
  function lazy(names, init) {
    let api = null;
    const getters = [];
    const load = () => {
      if (api === null) {
        api = init();
        for (let i = 0; i < names.length; i++) {
          const d = Object.getOwnPropertyDescriptor(global, names[i]);
          // Replace the getter by the value; on a global scope a script
          // froze, the getter stays and keeps answering from api.
          if (d && d.get === getters[i] && d.configurable) expose(names[i], api[names[i]]);
        }
      }
      return api;
    };
    for (let i = 0; i < names.length; i++) {
      const n = names[i];
      const get = function () { return load()[n]; };
      getters.push(get);
      Object.defineProperty(global, n, {
        get, configurable: true, enumerable: false,
        set(v) { Object.defineProperty(global, n, { value: v, writable: true, configurable: true, enumerable: false }); },
      });
    }
    load.loaded = () => api !== null;
    return load;
  }
  function usv(v) { return host.toUSV(str(v)); }
  const noArg = Symbol('no argument');
  function transferArg(transfer) {
    if (transfer === undefined || transfer === null) return undefined;
    if (Array.isArray(transfer)) return transfer.length === 0 ? undefined : transfer;
    if (typeof transfer !== 'object') throw new TypeError("Failed to execute 'postMessage': The provided value is not of type 'StructuredSerializeOptions'.");
    const t = transfer.transfer;
    if (t === undefined) return undefined;
    if (t === null || typeof t !== 'object' || typeof t[Symbol.iterator] !== 'function') throw new TypeError("Failed to execute 'postMessage': The provided value cannot be converted to a sequence.");
    return Array.from(t);
  }
  function requireArgs(fn, name, message) {
    const f = host.requireArgs(fn, message);
    Object.defineProperty(f, 'name', { value: name });
    Object.defineProperty(f, 'length', { value: 1 });
    return f;
  }
  // requireArgsOn replaces the methods names of obj (a prototype, or a
  // class for static operations) of interface cls with requireArgs
  // wrappers: WebIDL's "1 argument required" TypeError, checked in Go.
  // A method that reads `arguments` pays for the arguments object on
  // every call (several µs in sobek); the native check costs a tenth.
  function requireArgsOn(obj, cls, names) {
    for (const name of names) {
      Object.defineProperty(obj, name, {
        value: requireArgs(obj[name], name, "Failed to execute '" + name + "' on '" + cls + "': 1 argument required, but only 0 present."),
        writable: true, enumerable: false, configurable: true,
      });
    }
  }

  Object.assign(internals, {
    define, expose, illegal, kListeners, kState, lazy, noArg, requireArgs, requireArgsOn, str, transferArg, usv,
  });
})

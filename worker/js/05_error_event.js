// 05_error_event.js: ErrorEvent (HTML), and the error event the global
// scope gets for every exception no one caught.
(function (internals, host, global) {
  'use strict';
  const {
    Event, dispatch, expose, kState, str
  } = internals;

  // The per-interface slots of an ErrorEvent's state (02_event.js puts the
  // common slots first).
  const E_MESSAGE = 6, E_FILENAME = 7, E_LINENO = 8, E_COLNO = 9, E_ERROR = 10;
  const brand = new WeakSet();
  class ErrorEvent extends Event {
    constructor(type, init) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'ErrorEvent': 1 argument required, but only 0 present.");
      if (init !== undefined && init !== null && typeof init !== 'object' && typeof init !== 'function') {
        throw new TypeError("Failed to construct 'ErrorEvent': The provided value is not of type 'ErrorEventInit'.");
      }
      super(type, init);
      const i = init === undefined || init === null ? {} : init;
      // ErrorEventInit's members, in WebIDL's (lexicographic) order.
      const colno = i.colno, error = i.error, filename = i.filename, lineno = i.lineno, message = i.message;
      const st = this[kState];
      st[E_COLNO] = colno === undefined ? 0 : colno >>> 0;
      st[E_ERROR] = error;
      st[E_FILENAME] = filename === undefined ? '' : str(filename);
      st[E_LINENO] = lineno === undefined ? 0 : lineno >>> 0;
      st[E_MESSAGE] = message === undefined ? '' : str(message);
      brand.add(this);
    }
    get message() { return errorState(this)[E_MESSAGE]; }
    get filename() { return errorState(this)[E_FILENAME]; }
    get lineno() { return errorState(this)[E_LINENO]; }
    get colno() { return errorState(this)[E_COLNO]; }
    get error() { return errorState(this)[E_ERROR]; }
  }
  function errorState(ev) {
    if (!brand.has(ev)) throw new TypeError('Illegal invocation');
    return ev[kState];
  }

  // location reads where an exception was thrown from its stack: the
  // first frame with a URL, as "url:line:col".
  const frameRe = /(?:at |\()((?:https?|file|swhost):[^\s()]*?):(\d+):(\d+)/;
  function location(err) {
    let stack = '';
    try { stack = err !== null && typeof err === 'object' ? String(err.stack || '') : ''; } catch (_) { /* a throwing getter */ }
    const m = frameRe.exec(stack);
    return m === null ? ['', 0, 0] : [m[1], +m[2], +m[3]];
  }
  function describe(err) {
    try {
      if (err !== null && typeof err === 'object' && 'message' in err) return 'Uncaught ' + (err.name ? str(err.name) + ': ' : '') + str(err.message);
      return 'Uncaught ' + str(err);
    } catch (_) {
      return 'Uncaught exception';
    }
  }
  // fireErrorEvent fires a cancelable error event at the global scope for
  // err and reports whether it is still to be reported (no listener
  // canceled it). An exception a listener of that event throws is only
  // reported, without an event of its own (the error reporting mode).
  let reporting = false;
  function fireErrorEvent(err) {
    if (reporting) return true;
    reporting = true;
    try {
      const [filename, lineno, colno] = location(err);
      const ev = new ErrorEvent('error', { cancelable: true, colno, error: err, filename, lineno, message: describe(err) });
      return dispatch(global, ev, true);
    } finally {
      reporting = false;
    }
  }
  expose('ErrorEvent', ErrorEvent);

  Object.assign(internals, {
    ErrorEvent, fireErrorEvent, isErrorEvent: (v) => brand.has(v),
  });
})

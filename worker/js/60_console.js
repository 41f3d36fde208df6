// 60_console.js: console, formatting bounded by the worker's console limit.
(function (internals, host, global) {
  'use strict';
  const {
    Request, Response, expose
  } = internals;

  // Console output is written into a ConsoleOut of at most
  // host.consoleLimit() characters (Go caps the bytes again): a string is
  // cut, never copied whole, and a structure stops being walked once the
  // budget is spent, so formatting a huge value costs no more than the
  // limit. cut counts the characters left out; unknown is set when
  // formatting stopped before it could know how many.
  class ConsoleOut {
    constructor(max) { this.parts = []; this.len = 0; this.max = max; this.cut = 0; this.unknown = false; }
    get full() { return this.len >= this.max; }
    // put writes s[start, end) (all of s by default), as much as fits.
    put(s, start = 0, end = s.length) {
      let n = end - start;
      if (n <= 0) return;
      let room = this.max - this.len;
      if (n > room) {
        // Keep a surrogate pair whole.
        const c = room > 0 ? s.charCodeAt(start + room - 1) : 0;
        if (c >= 0xd800 && c <= 0xdbff) room--;
        this.cut += n - Math.max(room, 0);
        n = Math.max(room, 0);
        this.len = this.max;
      } else this.len += n;
      if (n > 0) this.parts.push(start === 0 && n === s.length ? s : s.slice(start, start + n));
    }
    text() { return this.parts.join(''); }
  }
  // quote writes a string nested in a structure as a JSON string literal.
  function quote(s, out) {
    const room = out.max - out.len;
    if (s.length > room) { s = s.slice(0, room); out.unknown = true; }
    out.put(JSON.stringify(s));
  }
  function inspect(v, depth, seen, out) {
    if (typeof v === 'string') {
      if (depth === 0) out.put(v); else quote(v, out);
      return;
    }
    if (out.full) { out.unknown = true; return; }
    if (v === null || typeof v !== 'object' && typeof v !== 'function') { out.put(typeof v === 'bigint' ? v + 'n' : String(v)); return; }
    if (typeof v === 'function') { out.put('[Function: '); out.put(v.name || '(anonymous)'); out.put(']'); return; }
    if (v instanceof Error) { out.put(v.stack || String(v)); return; }
    if (seen.includes(v)) { out.put('[Circular]'); return; }
    if (depth > 2) { out.put(Array.isArray(v) ? '[Array]' : '[Object]'); return; }
    seen = seen.concat([v]);
    // list writes the items of an iterable between open and close,
    // stopping once the output is full.
    const list = (open, items, each, close) => {
      out.put(open);
      let first = true;
      for (const x of items) {
        if (out.full) { out.unknown = true; return; }
        if (!first) out.put(', ');
        first = false;
        each(x);
      }
      out.put(close);
    };
    const item = x => inspect(x, depth + 1, seen, out);
    if (Array.isArray(v)) {
      out.put('[ ');
      for (let i = 0; i < v.length; i++) {
        if (out.full) { out.unknown = true; return; }
        if (i) out.put(', ');
        if (i in v) item(v[i]);
      }
      out.put(' ]');
      return;
    }
    if (v instanceof Map) { list('Map(' + v.size + ') { ', v, ([k, x]) => { item(k); out.put(' => '); item(x); }, ' }'); return; }
    if (v instanceof Set) { list('Set(' + v.size + ') { ', v, item, ' }'); return; }
    if (v instanceof Date) { out.put(v.toISOString()); return; }
    if (v instanceof Request || v instanceof Response) {
      out.put(v[Symbol.toStringTag] + ' { ' + (v instanceof Request ? v.method + ' ' : v.status + ' '));
      out.put(v.url);
      out.put(' }');
      return;
    }
    const ctor = v.constructor && v.constructor !== Object ? v.constructor.name + ' ' : '';
    const keys = Object.keys(v);
    if (keys.length === 0) { out.put(ctor + '{}'); return; }
    list(ctor + '{ ', keys, k => { out.put(k); out.put(': '); item(v[k]); }, ' }');
  }
  // format writes console arguments: a first string argument is a format
  // string (%s %d %i %f %o %O %j %c %%), the others follow after spaces.
  function format(args, out) {
    if (args.length === 0) return;
    const first = args[0];
    let i = 1;
    if (typeof first === 'string' && first.includes('%')) {
      const re = /%[sdifoOjc%]/g;
      let last = 0;
      let m;
      while ((m = re.exec(first)) !== null) {
        if (out.full) { out.unknown = true; return; }
        out.put(first, last, m.index);
        last = m.index + 2;
        const spec = m[0];
        if (spec === '%%') { out.put('%'); continue; }
        if (i >= args.length) { out.put(spec); continue; }
        const a = args[i++];
        switch (spec) {
          case '%s': if (typeof a === 'string') out.put(a); else inspect(a, 1, [], out); break;
          case '%d': case '%i': out.put(typeof a === 'object' ? 'NaN' : String(spec === '%i' ? parseInt(a) : Number(a))); break;
          case '%f': out.put(String(parseFloat(a))); break;
          case '%c': break;
          default: inspect(a, 1, [], out);
        }
      }
      out.put(first, last);
    } else inspect(first, 0, [], out);
    for (; i < args.length; i++) {
      out.put(' ');
      inspect(args[i], 0, [], out);
    }
  }
  // emit formats a console message from its parts (strings written as
  // they are, argument lists formatted, functions called with the output)
  // and hands it to Go, with the number of characters left out (-1:
  // unknown).
  function emit(level, ...parts) {
    const out = new ConsoleOut(host.consoleLimit());
    if (groupDepth > 0) out.put(indent());
    for (const p of parts) {
      if (typeof p === 'string') out.put(p);
      else if (typeof p === 'function') p(out);
      else format(p, out);
    }
    let text = out.text();
    // Each line of a message in a group is indented by the group depth.
    if (groupDepth > 0 && text.indexOf('\n') >= 0) text = text.split('\n').join('\n' + indent());
    host.log(level, text, out.unknown ? -1 : out.cut);
  }
  // The group stack of the Console standard: its depth indents messages.
  let groupDepth = 0;
  const indent = () => '  '.repeat(groupDepth);
  function group(...a) {
    if (a.length) emit('log', a); else emit('log', 'console.group');
    groupDepth++;
  }
  // table prints tabular data (an object or array whose values are
  // objects or primitives) as a text table, as Node and browsers' consoles
  // do: an index column, a column per property (or only columns), and a
  // Values column for primitive rows. It returns false for data that is
  // not tabular, which console.table then logs as is.
  function table(data, columns) {
    if (data === null || typeof data !== 'object') return false;
    const keys = Object.keys(data);
    if (keys.length > 1000) return false;
    const cell = (v) => {
      const out = new ConsoleOut(200);
      inspect(v, 1, [], out);
      return out.text();
    };
    const cols = [];
    let hasValues = false;
    const rows = keys.map((k) => {
      const row = data[k];
      const cells = new Map();
      if (row !== null && typeof row === 'object') {
        for (const c of Object.keys(row)) {
          if (columns !== undefined && !Array.from(columns, String).includes(c)) continue;
          if (!cols.includes(c)) cols.push(c);
          cells.set(c, cell(row[c]));
        }
      } else {
        hasValues = true;
        cells.set('\0values', cell(row));
      }
      return [k, cells];
    });
    const header = ['(index)', ...cols, ...(hasValues ? ['Values'] : [])];
    const ids = [...cols, ...(hasValues ? ['\0values'] : [])];
    const lines = rows.map(([k, cells]) => [k, ...ids.map((c) => cells.has(c) ? cells.get(c) : '')]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)) + 2);
    const pad = (s, w) => { const left = Math.floor((w - s.length) / 2); return ' '.repeat(left) + s + ' '.repeat(w - s.length - left); };
    const rule = (l, m, r) => l + widths.map((w) => '─'.repeat(w)).join(m) + r;
    const text = [rule('┌', '┬', '┐'), '│' + header.map((h, i) => pad(h, widths[i])).join('│') + '│', rule('├', '┼', '┤'),
      ...lines.map((l) => '│' + l.map((c, i) => pad(c, widths[i])).join('│') + '│'), rule('└', '┴', '┘')].join('\n');
    emit('log', text);
    return true;
  }
  const counts = new Map();
  const timersByLabel = new Map();
  const ms = t => (host.now() - t).toFixed(3) + ' ms';
  const consoleObj = {
    log: (...a) => emit('log', a),
    info: (...a) => emit('info', a),
    debug: (...a) => emit('debug', a),
    warn: (...a) => emit('warn', a),
    error: (...a) => emit('error', a),
    trace: (...a) => emit('debug', 'Trace: ', a, '\n', new Error().stack.split('\n').slice(2).join('\n')),
    dir: (v) => emit('log', out => inspect(v, 0, [], out)),
    assert: (cond, ...a) => { if (!cond) { if (a.length) emit('error', 'Assertion failed: ', a); else emit('error', 'Assertion failed'); } },
    count: (label = 'default') => { label = '' + label; const n = (counts.get(label) || 0) + 1; counts.set(label, n); emit('info', label, ': ' + n); },
    countReset: (label = 'default') => {
      label = '' + label;
      if (counts.has(label)) counts.set(label, 0); else emit('warn', "Count for '" + label + "' does not exist");
    },
    time: (label = 'default') => {
      label = '' + label;
      if (timersByLabel.has(label)) { emit('warn', "Timer '" + label + "' already exists"); return; }
      timersByLabel.set(label, host.now());
    },
    timeLog: (label = 'default', ...a) => {
      label = '' + label;
      const t = timersByLabel.get(label);
      if (t === undefined) { emit('warn', "Timer '" + label + "' does not exist"); return; }
      if (a.length) emit('info', label, ': ' + ms(t) + ' ', a); else emit('info', label, ': ' + ms(t));
    },
    timeEnd: (label = 'default') => {
      label = '' + label;
      const t = timersByLabel.get(label);
      if (t === undefined) { emit('warn', "Timer '" + label + "' does not exist"); return; }
      timersByLabel.delete(label);
      emit('info', label, ': ' + ms(t));
    },
    group,
    groupCollapsed: group,
    groupEnd: () => { if (groupDepth > 0) groupDepth--; },
    clear: () => { groupDepth = 0; },
    table: (v, columns) => { if (!table(v, columns)) emit('log', out => inspect(v, 0, [], out)); },
    timeStamp: () => {},
  };
  expose('console', consoleObj);
})

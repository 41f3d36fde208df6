// swhost devtools: plain JavaScript over the admin API (docs/api.md).
(function () {
  'use strict';
  var $ = function (sel) { return document.querySelector(sel); };

  // el builds an element: el('td', {class: 'x'}, 'text', child, ...).
  function el(tag, attrs) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === 'onclick') e.addEventListener('click', attrs[k]);
      else if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); return e; }

  // api calls the admin API; failures reject with the API's error object.
  // The admin token travels in the page's HttpOnly cookie; state-changing
  // requests must say Content-Type: application/json, body or not. A 401
  // shows the sign-in form.
  function api(method, path, body) {
    var init = { method: method, headers: {} };
    if (method !== 'GET') init.headers['Content-Type'] = 'application/json';
    if (body !== undefined) init.body = JSON.stringify(body);
    return fetch(path, init).then(function (r) {
      if (r.status === 401) $('#signin').hidden = false;
      if (r.status === 204) return null;
      return r.text().then(function (t) {
        var v = null;
        try { v = t ? JSON.parse(t) : null; } catch (e) { v = { error: 'Error', message: t }; }
        if (!r.ok) throw (v && v.error) ? v : { error: 'Error', message: r.status + ' ' + t };
        return v;
      });
    });
  }
  function errText(e) { return (e && e.error ? e.error + ': ' + e.message : String(e)); }
  // scopeText shows a legacy scope URL as it is, and a pattern scope as
  // its pattern without the base URL (the origin is shown next to it).
  function scopeText(s) {
    if (typeof s === 'string' && s.charAt(0) === '{') { try { s = JSON.parse(s); } catch (e) { return s; } }
    if (typeof s !== 'object' || s === null) return String(s);
    var o = {};
    for (var k in s) if (k !== 'baseUrl' && k !== 'baseURL') o[k] = s[k];
    return JSON.stringify(o);
  }

  // ---- views ----
  function show(view) {
    if (!document.getElementById('view-' + view)) view = 'workers';
    document.querySelectorAll('.view').forEach(function (v) { v.hidden = v.id !== 'view-' + view; });
    document.querySelectorAll('.sidebar .item').forEach(function (a) { a.classList.toggle('sel', a.dataset.view === view); });
    if (view === 'caches') loadCaches();
    if (view === 'indexeddb') loadIDB(false);
  }
  window.addEventListener('hashchange', function () { show(location.hash.slice(1).split('/')[0]); });

  // ---- service workers ----
  var regs = [], clients = [];
  function loadRegs() {
    return Promise.all([api('GET', '/v1/registrations'), api('GET', '/v1/clients')]).then(function (r) {
      regs = r[0]; clients = r[1]; renderRegs();
    }, function (e) { $('#reg-count').textContent = errText(e); });
  }
  function origins() {
    var seen = {};
    regs.forEach(function (r) { seen[r.origin] = true; });
    return Object.keys(seen).sort();
  }
  function renderRegs() {
    var sel = $('#origin-select'), cur = sel.value;
    clear(sel);
    origins().forEach(function (o) { sel.appendChild(el('option', { value: o }, o)); });
    if (cur) sel.value = cur;
    sel.disabled = $('#show-all').checked;
    var q = $('#reg-filter').value.toLowerCase();
    var shown = regs.filter(function (r) {
      if (!$('#show-all').checked && r.origin !== sel.value) return false;
      if (!q) return true;
      var hay = [r.origin, scopeText(r.scope), r.prefix].concat(r.versions.map(function (v) { return v.scriptURL; })).join(' ').toLowerCase();
      return hay.indexOf(q) >= 0;
    });
    $('#reg-count').textContent = shown.length + ' of ' + regs.length + ' registration' + (regs.length === 1 ? '' : 's') +
      ($('#show-all').checked ? ' across ' + origins().length + ' origin(s)' : ' of ' + sel.value);
    var list = clear($('#reg-list'));
    if (!regs.length) list.appendChild(el('p', { class: 'muted' }, 'No service workers registered.'));
    shown.forEach(function (r) { list.appendChild(regCard(r)); });
  }

  function action(label, cls, fn) {
    return el('button', { type: 'button', class: cls, onclick: function (ev) {
      var b = ev.currentTarget; b.disabled = true;
      var card = b.closest('.reg'), msg = card && card.querySelector('.reg-err');
      if (msg) msg.textContent = '';
      fn().then(loadRegs, function (e) { if (msg) msg.textContent = label + ': ' + errText(e); }).then(function () { b.disabled = false; });
    } }, label);
  }

  // runningText says whether a version's worker runs: in a fleet (the
  // registration names this node), on which nodes, this one marked.
  function runningText(r, v) {
    if (!r.node) return v.running ? 'is running' : 'is stopped';
    var nodes = v.nodes || [];
    if (!nodes.length) return 'runs on no node (this is ' + r.node + ')';
    return 'runs on ' + nodes.map(function (n) { return n === r.node ? n + ' (this node)' : n; }).join(', ');
  }

  function regCard(r) {
    var base = '/v1/registrations/' + r.id;
    var active = r.versions.filter(function (v) { return v.slot === 'active'; })[0];
    var waiting = r.versions.filter(function (v) { return v.slot === 'waiting'; })[0];
    var card = el('div', { class: 'reg', 'data-id': r.id, 'data-origin': r.origin });
    card.appendChild(el('div', { class: 'reg-head' },
      el('span', { class: 'scope' }, scopeText(r.scope)),
      el('span', { class: 'muted' }, '#' + r.id + ' · ' + r.origin),
      r.uninstalling ? el('span', { class: 'badge st-redundant' }, 'uninstalling') : null,
      el('span', { class: 'actions' },
        action('Update', 'update', function () { return api('POST', base + '/update'); }),
        waiting ? action('skipWaiting', 'skip-waiting', function () { return api('POST', base + '/skip-waiting'); }) : null,
        action('Stop', 'stop', function () { return api('POST', base + '/stop'); }),
        action('Unregister', 'danger unregister', function () { return api('DELETE', base); }))));
    var dl = el('dl', { class: 'kv' });
    function row(k, v) { dl.appendChild(el('dt', null, k)); dl.appendChild(el('dd', null, v)); }
    row('Source', active ? el('a', { href: active.scriptURL, class: 'mono', title: 'script URL' }, active.scriptURL) : (r.versions[0] ? r.versions[0].scriptURL : '—'));
    var scope = el('span', null, typeof r.scope === 'string' ? 'legacy scope URL (prefix match) · ' : 'URL pattern · ',
      'non-variable prefix ', el('code', null, r.prefix), ' (' + r.prefix.length + ' chars)');
    var fig = el('span', { class: 'muted figs' });
    scope.appendChild(el('br')); scope.appendChild(fig);
    explainScope(r, fig);
    row('Scope', scope);
    var vs = el('div');
    if (!r.versions.length) vs.appendChild(el('span', { class: 'muted' }, 'none'));
    r.versions.forEach(function (v) {
      vs.appendChild(el('div', { class: 'version' },
        el('span', { class: 'dot' + (v.running ? ' run' : ''), title: v.running ? 'running' : 'stopped' }),
        '#' + v.id + ' ', el('span', { class: 'badge st-' + v.state }, v.state), ' ',
        el('span', { class: 'muted' }, v.slot + ' · ' + runningText(r, v) + ' · ' + v.scriptURL)));
    });
    row('Status', vs);
    var ff = r.versions.filter(function (v) { return v.foreignFetch; });
    if (ff.length) {
      var f = ff[0].foreignFetch;
      row('Foreign fetch', el('span', null, 'scopes ', el('code', null, (f.scopes || []).join(', ') || '—'),
        ' · origins ', el('code', null, (f.origins || []).join(', ') || '—')));
    }
    var mine = clients.filter(function (c) { return c.controller === r.id; });
    var cl = el('div');
    if (!mine.length) cl.appendChild(el('span', { class: 'muted' }, 'none'));
    mine.forEach(function (c) { cl.appendChild(el('div', { class: 'mono' }, c.url, el('span', { class: 'muted' }, ' (' + c.id + ')'))); });
    row('Clients', cl);
    row('Update via cache', r.updateViaCache + ' · type ' + r.type + (r.lastUpdateCheck ? ' · last update check ' + new Date(r.lastUpdateCheck).toLocaleTimeString() : ''));
    if (active) {
      var fe = functionalRow(base);
      row('Push / Sync / Message', fe.controls);
      row('Notifications', fe.notifications);
    }
    card.appendChild(dl);
    card.appendChild(el('div', { class: 'reg-err error' }));
    return card;
  }

  // functionalRow builds the functional-event controls of a registration,
  // as Chrome's Application panel has them: one text field (the push
  // data, the sync tag, or the message as JSON or text) and a button per
  // event, with the outcome; and the notifications the worker shows, each
  // with Click and Close.
  // The text field and the last outcome of each registration outlive the
  // card, which is rebuilt whenever the list reloads.
  var feState = {};
  function functionalRow(base) {
    var st = feState[base] || (feState[base] = { input: '', out: '', cls: 'muted' });
    var input = el('input', { type: 'text', class: 'fe-input', placeholder: 'Test push message from DevTools.', 'aria-label': 'push data, sync tag or message' });
    input.value = st.input;
    input.addEventListener('input', function () { st.input = input.value; });
    var out = el('div', { class: 'fe-out ' + st.cls, role: 'status' }, st.out);
    out.setAttribute('data-base', base);
    var notes = el('div', { class: 'fe-notes', 'data-base': base });
    notes.reload = function () { loadNotes(); };
    // The last list shown is drawn at once (a rebuilt card does not
    // flicker), then refreshed.
    function drawNotes(list) {
      clear(notes);
      if (!list.length) notes.appendChild(el('span', { class: 'muted' }, 'none'));
      list.forEach(function (n) {
        notes.appendChild(el('div', { class: 'fe-note' },
          el('strong', null, n.title), n.body ? ' — ' + n.body : '', n.tag ? el('span', { class: 'muted' }, ' tag ' + n.tag) : null, ' ',
          fireButton('Click', { event: 'notificationclick', notification: n.id }),
          fireButton('Close', { event: 'notificationclose', notification: n.id })));
      });
    }
    function loadNotes() {
      api('GET', base + '/notifications').then(function (list) {
        st.notes = list;
        drawNotes(list);
      }, function (e) { clear(notes).appendChild(el('span', { class: 'error' }, errText(e))); });
    }
    function fireButton(label, body) {
      return el('button', { type: 'button', class: 'fe-' + label.toLowerCase().replace(/ /g, '-'), onclick: function (ev) {
        var b = ev.currentTarget; b.disabled = true;
        var req = typeof body === 'function' ? body() : body;
        api('POST', base + '/trigger', req).then(function (res) {
          st.out = req.event + ': ' + res.outcome + ' · ' + res.notifications.length + ' notification(s) shown · ' +
            res.messages.length + ' message(s) posted' + (res.windows.length ? ' · opened ' + res.windows.join(', ') : '');
          st.cls = res.outcome === 'fulfilled' ? 'muted' : 'error';
        }, function (e) { st.out = req.event + ': ' + errText(e); st.cls = 'error'; })
          .then(function () {
            // The card may have been rebuilt meanwhile: update the one in
            // the page.
            document.querySelectorAll('.fe-out[data-base="' + base + '"]').forEach(function (o) { o.textContent = st.out; o.className = 'fe-out ' + st.cls; });
            b.disabled = false;
            document.querySelectorAll('.fe-notes[data-base="' + base + '"]').forEach(function (n) { n.reload(); });
          });
      } }, label);
    }
    function value(dflt) { return input.value || dflt; }
    var controls = el('div', null, input, ' ',
      fireButton('Push', function () { return { event: 'push', payload: value('Test push message from DevTools.') }; }),
      fireButton('Sync', function () { return { event: 'sync', tag: value('test-tag-from-devtools') }; }),
      fireButton('Periodic sync', function () { return { event: 'periodicsync', tag: value('test-tag-from-devtools') }; }),
      fireButton('Message', function () {
        var v = value('{}'), data;
        try { data = JSON.parse(v); } catch (e) { data = v; }
        return { event: 'message', data: data };
      }), out);
    if (st.notes) drawNotes(st.notes);
    loadNotes();
    return { controls: controls, notifications: notes };
  }

  // explainScope fills in the ordering figures of a registration for the
  // URL its prefix names.
  function explainScope(r, into) {
    api('GET', '/v1/scope?url=' + encodeURIComponent(r.prefix)).then(function (res) {
      var c = (res.candidates || []).filter(function (c) { return c.registration === r.id; })[0];
      if (!c) { into.textContent = 'the prefix URL itself is outside the pattern (it matches longer URLs only)'; return; }
      into.textContent = 'for ' + r.prefix + ': specificity ' + c.specificity + ', ' + c.variableChars +
        ' variable char(s), ' + c.variableBeforeLastStatic + ' before the last static part' +
        (res.registration === r.id ? '' : ' (registration #' + res.registration + ' wins there)');
    }, function () {});
  }

  // ---- scope lookup ----
  function lookupScope(url) {
    var out = clear($('#scope-result'));
    api('GET', '/v1/scope?url=' + encodeURIComponent(url)).then(function (res) {
      out.appendChild(el('p', null, res.registration === null ? 'No registration controls ' : 'Registration #' + res.registration + ' controls ',
        el('code', null, res.url), res.registration === null ? ': it goes to the network.' : '.'));
      if (!res.candidates.length) return;
      var t = el('table', null, el('tr', null, el('th', null, '#'), el('th', null, 'registration'), el('th', null, 'scope'),
        el('th', null, '1. prefix length'), el('th', null, '2. specificity'), el('th', null, '3. variable chars'), el('th', null, '4. variable before last static')));
      res.candidates.forEach(function (c, i) {
        t.appendChild(el('tr', { class: i === 0 ? 'win' : '' }, el('td', null, i + 1), el('td', null, '#' + c.registration),
          el('td', { class: 'mono' }, scopeText(c.scope), el('br'), el('span', { class: 'muted' }, c.prefix)),
          el('td', null, c.prefixLength), el('td', null, c.specificity), el('td', null, c.variableChars), el('td', null, c.variableBeforeLastStatic)));
      });
      out.appendChild(t);
    }, function (e) { out.appendChild(el('p', { class: 'error' }, errText(e))); });
  }

  // ---- request as a client ----
  function sendFetch() {
    var out = clear($('#fetch-result'));
    var body = { client: $('#fetch-client').value, url: $('#fetch-url').value, method: $('#fetch-method').value };
    if ($('#fetch-mode').value) body.mode = $('#fetch-mode').value;
    if ($('#fetch-body').value) body.body = $('#fetch-body').value;
    out.appendChild(el('p', { class: 'muted' }, 'sending…'));
    api('POST', '/v1/fetch', body).then(function (res) {
      clear(out);
      var r = res.response;
      out.appendChild(el('p', null, 'Answered by ', el('span', { class: 'layer layer-' + res.layer }, res.layer),
        res.scriptURL ? el('span', null, ' (', el('code', null, res.scriptURL), ')') : null, ' in ' + res.latencyMs.toFixed(2) + ' ms'));
      var hdrs = Object.keys(r.headers || {}).sort().map(function (k) { return k + ': ' + r.headers[k].join(', '); }).join('\n');
      out.appendChild(el('pre', { class: 'resp-head' }, r.status + ' ' + (r.statusText || '') + '  (type ' + r.type + ')' + (r.error ? '  ' + r.error : '') + '\n' + hdrs));
      out.appendChild(el('pre', { class: 'resp-body' }, r.body !== undefined ? r.body : r.bodyBase64 !== undefined ? '(base64) ' + r.bodyBase64 : '(empty body)'));
    }, function (e) { clear(out); out.appendChild(el('p', { class: 'error' }, errText(e))); });
  }

  // ---- cache storage ----
  function loadCaches() {
    api('GET', '/v1/caches').then(function (list) {
      var tree = clear($('#cache-tree')), inline = clear($('#cache-list'));
      list.forEach(function (o) {
        tree.appendChild(el('a', { class: 'origin', href: '#caches' }, o.origin));
        o.caches.forEach(function (name) {
          var href = '#caches/' + encodeURIComponent(o.origin) + '/' + encodeURIComponent(name);
          tree.appendChild(el('a', { href: href, 'data-cache': o.origin + ' ' + name, title: o.origin + ' › ' + name }, name));
          inline.appendChild(el('a', { href: href, 'data-cache': o.origin + ' ' + name }, name + ' — ' + o.origin));
        });
      });
      if (!list.some(function (o) { return o.caches.length; })) inline.appendChild(el('span', { class: 'muted' }, 'No caches yet.'));
      var parts = location.hash.slice(1).split('/');
      if (parts[0] === 'caches' && parts.length === 3) openCache(decodeURIComponent(parts[1]), decodeURIComponent(parts[2]));
    }, function (e) { clear($('#cache-list')).appendChild(el('p', { class: 'error' }, errText(e))); });
  }
  function openCache(origin, name) {
    document.querySelectorAll('[data-cache]').forEach(function (a) { a.classList.toggle('sel', a.dataset.cache === origin + ' ' + name); });
    $('#cache-path').textContent = origin + ' › ' + name;
    var q = 'origin=' + encodeURIComponent(origin) + '&cache=' + encodeURIComponent(name);
    var out = clear($('#cache-entries'));
    clear($('#cache-body'));
    api('GET', '/v1/caches/entries?' + q).then(function (entries) {
      var t = el('table', null, el('tr', null, el('th', null, '#'), el('th', null, 'Name'), el('th', null, 'Response type'),
        el('th', null, 'Content-Type'), el('th', null, 'Status'), el('th', null, 'Size')));
      entries.forEach(function (en, i) {
        var ct = (en.headers && (en.headers['Content-Type'] || en.headers['content-type'])) || [''];
        var tr = el('tr', { class: 'click' }, el('td', null, i), el('td', { class: 'mono' }, en.method + ' ' + en.url), el('td', null, en.type),
          el('td', null, ct.join(', ')), el('td', null, en.status + ' ' + en.statusText), el('td', null, en.bodyBytes + ' B'));
        tr.addEventListener('click', function () {
          out.querySelectorAll('tr').forEach(function (x) { x.classList.remove('sel'); });
          tr.classList.add('sel');
          fetch('/v1/caches/entry?' + q + '&url=' + encodeURIComponent(en.url)).then(function (r) { return r.text(); }).then(function (b) {
            clear($('#cache-body')).appendChild(el('pre', null, b || '(empty body)'));
          });
        });
        t.appendChild(tr);
      });
      out.appendChild(entries.length ? t : el('p', { class: 'muted' }, 'This cache is empty.'));
    }, function (e) { out.appendChild(el('p', { class: 'error' }, errText(e))); });
  }

  // ---- IndexedDB ----
  // Keys and values arrive as the API's inspect JSON (docs/api.md): JSON,
  // with what JSON cannot carry tagged by "$type". inspectText renders
  // them as text, always set with textContent: the data is the worker's.
  function inspectText(v, depth) {
    depth = depth || 0;
    if (depth > 8) return '…';
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    var sub = function (x) { return inspectText(x, depth + 1); };
    if (Array.isArray(v)) return '[' + v.map(sub).join(', ') + ']';
    var t = Object.prototype.hasOwnProperty.call(v, '$type') ? v.$type : null;
    switch (t) {
      case null: return '{' + Object.keys(v).map(function (k) { return JSON.stringify(k) + ': ' + sub(v[k]); }).join(', ') + '}';
      case 'object': return sub(v.value);
      case 'undefined': return 'undefined';
      case 'hole': return '<empty>';
      case 'number': return String(v.value);
      case 'bigint': return v.value + 'n';
      case 'Date': return 'Date(' + v.value + ')';
      case 'RegExp': return '/' + v.source + '/' + v.flags;
      case 'Error': return v.name + (v.message !== undefined ? '(' + sub(v.message) + ')' : '');
      case 'Map': return 'Map{' + v.entries.map(function (e) { return sub(e[0]) + ' => ' + sub(e[1]); }).join(', ') + '}';
      case 'Set': return 'Set{' + v.values.map(sub).join(', ') + '}';
      case 'ArrayBuffer': return 'ArrayBuffer(' + v.byteLength + ') base64:' + v.base64 + (v.truncated ? '…' : '');
      case 'Boolean': case 'Number': case 'String': case 'BigInt': return t + '(' + sub(v.value) + ')';
      case 'Blob': case 'File':
        return t + '(' + Object.keys(v).filter(function (k) { return k !== '$type'; }).map(function (k) { return k + ': ' + JSON.stringify(v[k]); }).join(', ') + ')';
      default:
        if (v.base64 !== undefined) return t + '(' + v.length + ') base64:' + v.base64 + (v.truncated ? '…' : '');
        return '<' + t + '>';
    }
  }
  function idbQuery(o) {
    return Object.keys(o).filter(function (k) { return o[k] !== undefined && o[k] !== ''; })
      .map(function (k) { return k + '=' + encodeURIComponent(o[k]); }).join('&');
  }
  var idbDBs = [], idbCur = null;
  // loadIDB lists the databases; keep leaves the open store's page as it
  // is (a reload after a change), else the store the URL names opens.
  function loadIDB(keep) {
    return api('GET', '/v1/indexeddb').then(function (list) {
      idbDBs = list;
      var tree = clear($('#idb-tree')), inline = clear($('#idb-list'));
      list.forEach(function (o) {
        if (!o.databases.length) return;
        tree.appendChild(el('a', { class: 'origin', href: '#indexeddb' }, o.origin));
        o.databases.forEach(function (db) {
          tree.appendChild(el('span', { class: 'idb-db', title: o.origin + ' › ' + db.name }, db.name + ' (v' + db.version + ')'));
          var stores = el('ul');
          db.stores.forEach(function (st) {
            var href = '#indexeddb/' + encodeURIComponent(o.origin) + '/' + encodeURIComponent(db.name) + '/' + encodeURIComponent(st.name);
            var id = o.origin + ' ' + db.name + ' ' + st.name;
            tree.appendChild(el('a', { href: href, class: 'idb-store', 'data-idb-store': id, title: o.origin + ' › ' + db.name + ' › ' + st.name }, st.name));
            stores.appendChild(el('li', null, el('a', { href: href, 'data-idb-store': id }, st.name),
              el('span', { class: 'muted' }, ' · ' + st.records + ' record(s) · keyPath ' + JSON.stringify(st.keyPath) +
                (st.autoIncrement ? ' · autoIncrement' : '') +
                (st.indexes.length ? ' · indexes ' + st.indexes.map(function (ix) {
                  return ix.name + ' (' + JSON.stringify(ix.keyPath) + (ix.unique ? ', unique' : '') + (ix.multiEntry ? ', multiEntry' : '') + ')';
                }).join(', ') : ''))));
          });
          inline.appendChild(el('div', { class: 'idb-db-card', 'data-idb-db': o.origin + ' ' + db.name },
            el('strong', null, db.name), el('span', { class: 'muted' }, ' version ' + db.version + ' · ' + o.origin + ' '),
            el('button', { type: 'button', class: 'danger idb-delete-db', onclick: function (ev) { deleteIDB(ev.currentTarget, o.origin, db.name); } }, 'Delete database'),
            stores));
        });
      });
      if (!list.some(function (o) { return o.databases.length; })) inline.appendChild(el('span', { class: 'muted' }, 'No databases yet.'));
      var parts = location.hash.slice(1).split('/');
      if (idbCur) document.querySelectorAll('[data-idb-store]').forEach(function (a) { a.classList.toggle('sel', a.dataset.idbStore === idbCur.origin + ' ' + idbCur.db + ' ' + idbCur.store); });
      if (!keep && parts[0] === 'indexeddb' && parts.length === 4) {
        openStore(decodeURIComponent(parts[1]), decodeURIComponent(parts[2]), decodeURIComponent(parts[3]));
      }
    }, function (e) { clear($('#idb-list')).appendChild(el('p', { class: 'error' }, errText(e))); });
  }
  function deleteIDB(b, origin, name) {
    b.disabled = true;
    api('DELETE', '/v1/indexeddb?' + idbQuery({ origin: origin, db: name })).then(function (res) {
      $('#idb-msg').textContent = res.blocked
        ? name + ': blocked by open connections; it is deleted once they close.'
        : name + ': deleted (it was version ' + res.oldVersion + ').';
      $('#idb-msg').className = 'muted';
      if (idbCur && idbCur.origin === origin && idbCur.db === name) { idbCur = null; $('#idb-controls').hidden = true; clear($('#idb-records')); }
      return loadIDB(true);
    }, function (e) { $('#idb-msg').textContent = errText(e); $('#idb-msg').className = 'error'; })
      .then(function () { b.disabled = false; });
  }
  function openStore(origin, db, store) {
    var same = idbCur && idbCur.origin === origin && idbCur.db === db && idbCur.store === store;
    document.querySelectorAll('[data-idb-store]').forEach(function (a) { a.classList.toggle('sel', a.dataset.idbStore === origin + ' ' + db + ' ' + store); });
    $('#idb-path').textContent = origin + ' › ' + db + ' › ' + store;
    var info = null;
    idbDBs.forEach(function (o) {
      if (o.origin !== origin) return;
      o.databases.forEach(function (d) { if (d.name === db) d.stores.forEach(function (s) { if (s.name === store) info = s; }); });
    });
    var sel = clear($('#idb-index'));
    sel.appendChild(el('option', { value: '' }, 'object store (by key)'));
    (info ? info.indexes : []).forEach(function (ix) { sel.appendChild(el('option', { value: ix.name }, 'index ' + ix.name)); });
    if (same && idbCur.index) sel.value = idbCur.index;
    idbCur = { origin: origin, db: db, store: store, index: sel.value, pages: [''] };
    $('#idb-controls').hidden = false;
    loadRecords();
  }
  // loadRecords shows the current page (the last after= in idbCur.pages).
  function loadRecords() {
    var c = idbCur, out = clear($('#idb-records'));
    if (!c) return;
    var after = c.pages[c.pages.length - 1];
    $('#idb-next').disabled = true;
    api('GET', '/v1/indexeddb/records?' + idbQuery({ origin: c.origin, db: c.db, store: c.store, index: c.index, after: after, limit: 25 })).then(function (page) {
      if (c !== idbCur) return;
      $('#idb-msg').className = 'muted';
      $('#idb-msg').textContent = page.total + ' record(s)' + (c.index ? ' in index ' + c.index : '') + ' · page ' + c.pages.length;
      var head = el('tr', null, el('th', null, '#'), el('th', null, c.index ? 'Index key' : 'Key'));
      if (c.index) head.appendChild(el('th', null, 'Primary key'));
      head.appendChild(el('th', null, 'Value'));
      head.appendChild(el('th', null, ''));
      var t = el('table', { class: 'idb-table' }, head);
      page.records.forEach(function (r, i) {
        var tr = el('tr', { class: 'idb-rec' }, el('td', null, (c.pages.length - 1) * 25 + i), el('td', { class: 'mono idb-key' }, inspectText(r.key)));
        if (c.index) tr.appendChild(el('td', { class: 'mono' }, inspectText(r.primaryKey)));
        tr.appendChild(el('td', { class: 'mono idb-value' }, inspectText(r.value) + (r.truncated ? ' …(truncated)' : '')));
        tr.appendChild(el('td', null, el('button', { type: 'button', class: 'danger idb-delete', title: 'delete this record', onclick: function (ev) {
          ev.currentTarget.disabled = true;
          api('DELETE', '/v1/indexeddb/records?' + idbQuery({ origin: c.origin, db: c.db, store: c.store, ref: r.ref }))
            .then(function () { loadRecords(); loadIDB(true); }, function (e) { $('#idb-msg').textContent = errText(e); $('#idb-msg').className = 'error'; });
        } }, '✕')));
        t.appendChild(tr);
      });
      out.appendChild(page.records.length ? t : el('p', { class: 'muted' }, 'No records.'));
      c.next = page.next || '';
      $('#idb-next').disabled = !c.next;
    }, function (e) { $('#idb-msg').textContent = errText(e); $('#idb-msg').className = 'error'; });
  }
  // ---- event log ----
  var events = [], MAX = 1000;
  function summary(ev) {
    var d = ev.data || {};
    switch (ev.type) {
      case 'fetch': return d.method + ' ' + d.url + ' → ' + d.layer + (d.scriptURL ? ' (' + d.scriptURL + ')' : '') + ' ' + d.status + ' ' + (d.responseType || '') + ' ' + (d.latencyMs || 0).toFixed(2) + ' ms · client ' + d.client;
      case 'lifecycle': return d.event + ' ' + scopeText(d.scope) + (d.state ? ' → ' + d.state : '') + (d.scriptURL ? ' ' + d.scriptURL : '') +
        (d.detail ? ' · ' + d.detail : '') + (isError(ev) ? ' ERROR ' + d.error : d.error ? ' (' + d.error + ')' : '');
      case 'console': return '[' + d.level + '] ' + d.message + ' (' + d.scriptURL + ')';
      default: return JSON.stringify(d);
    }
  }
  // isError tells events that report a failure ("update" reports "no
  // change" in its error field, which is not one).
  function isError(ev) {
    var d = ev.data || {};
    return (!!d.error && !(d.event === 'update' && d.error === 'no change')) || d.level === 'error';
  }
  function evRow(ev) {
    var bad = isError(ev);
    return el('div', { class: 'ev ev-' + ev.type + (bad ? ' err' : ''), 'data-type': ev.type },
      el('span', { class: 't' }, new Date(ev.time).toLocaleTimeString()), el('span', { class: 'k' }, ev.type), el('span', { class: 'm' }, summary(ev)));
  }
  function evShown(ev) {
    var typ = $('#ev-type').value, q = $('#ev-filter').value.toLowerCase();
    return (!typ || ev.type === typ) && (!q || (ev.type + ' ' + summary(ev)).toLowerCase().indexOf(q) >= 0);
  }
  function renderEvents() {
    var box = clear($('#events'));
    events.filter(evShown).forEach(function (ev) { box.appendChild(evRow(ev)); });
    box.scrollTop = box.scrollHeight;
    $('#ev-count').textContent = events.length + ' events';
  }
  var refreshTimer = null;
  function addEvent(ev) {
    events.push(ev);
    if (events.length > MAX) events.splice(0, events.length - MAX);
    var box = $('#events');
    var atEnd = box.scrollHeight - box.scrollTop - box.clientHeight < 30;
    if (evShown(ev)) box.appendChild(evRow(ev));
    while (box.childNodes.length > MAX) box.removeChild(box.firstChild);
    if (atEnd) box.scrollTop = box.scrollHeight;
    $('#ev-count').textContent = events.length + ' events';
    if (ev.type === 'lifecycle' || ev.type === 'fetch') {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(loadRegs, 150);
    }
  }
  function connectEvents() {
    var es = new EventSource('/v1/events');
    ['lifecycle', 'fetch', 'console', 'connect', 'message'].forEach(function (t) {
      es.addEventListener(t, function (e) { try { addEvent(JSON.parse(e.data)); } catch (x) { /* not JSON: skip */ } });
    });
    es.onopen = function () { var c = $('#conn'); c.textContent = 'live'; c.className = 'conn on'; };
    es.onerror = function () { var c = $('#conn'); c.textContent = 'reconnecting'; c.className = 'conn off'; };
  }

  // ---- wiring ----
  document.addEventListener('DOMContentLoaded', function () {
    $('#show-all').addEventListener('change', renderRegs);
    $('#origin-select').addEventListener('change', renderRegs);
    $('#reg-filter').addEventListener('input', renderRegs);
    $('#refresh').addEventListener('click', loadRegs);
    $('#scope-form').addEventListener('submit', function (e) { e.preventDefault(); lookupScope($('#scope-url').value); });
    $('#fetch-form').addEventListener('submit', function (e) { e.preventDefault(); sendFetch(); });
    $('#idb-index').addEventListener('change', function () { if (idbCur) { idbCur.index = $('#idb-index').value; idbCur.pages = ['']; loadRecords(); } });
    $('#idb-first').addEventListener('click', function () { if (idbCur) { idbCur.pages = ['']; loadRecords(); } });
    $('#idb-next').addEventListener('click', function () { if (idbCur && idbCur.next) { idbCur.pages.push(idbCur.next); loadRecords(); } });
    $('#idb-refresh').addEventListener('click', function () { if (idbCur) loadRecords(); loadIDB(true); });
    $('#idb-clear').addEventListener('click', function () {
      var c = idbCur;
      if (!c) return;
      api('DELETE', '/v1/indexeddb/records?' + idbQuery({ origin: c.origin, db: c.db, store: c.store, all: '1' })).then(function (res) {
        c.pages = ['']; loadRecords(); loadIDB(true);
        $('#idb-msg').textContent = 'cleared ' + res.deleted + ' record(s)';
      }, function (e) { $('#idb-msg').textContent = errText(e); $('#idb-msg').className = 'error'; });
    });
    $('#ev-type').addEventListener('change', renderEvents);
    $('#ev-filter').addEventListener('input', renderEvents);
    $('#ev-clear').addEventListener('click', function () { events = []; renderEvents(); });
    show(location.hash.slice(1).split('/')[0]);
    loadRegs();
    connectEvents();
  });
})();

// swhost demo page: drives clients through the admin API and the connect bridge.
(function () {
  'use strict';
  var $ = function (s) { return document.querySelector(s); };
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }

  // request makes one request as a client and appends a result line to out.
  function request(client, url, out) {
    return fetch('/v1/fetch', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ client: client, url: url }) })
      .then(function (r) { return r.json().then(function (v) { return { ok: r.ok, v: v }; }); })
      .then(function (r) {
        var row = el('div', 'res');
        row.appendChild(el('span', 'u', (client === url ? 'navigate ' + url : url + ' from page ' + client)));
        if (r.ok) {
          var res = r.v, resp = res.response;
          var layer = el('span', 'layer layer-' + res.layer, res.layer);
          if (res.scriptURL) layer.title = res.scriptURL;
          row.appendChild(layer);
          row.appendChild(el('span', 'b', resp.status + ' ' + resp.type + ' · ' + (resp.body !== undefined ? resp.body.trim() : '(binary)') +
            (res.scriptURL ? ' · by ' + res.scriptURL : '')));
        } else {
          row.appendChild(el('span', 'layer error', r.v.error));
          row.appendChild(el('span', 'b error', r.v.message));
        }
        out.appendChild(row);
      });
  }

  function connectEcho() {
    var out = $('#echo-out'), text = $('#echo-text').value;
    return swhost.connect('https://echo.test/services/echo').then(function (port) {
      return new Promise(function (resolve) {
        port.onmessage = function (e) {
          var line = el('div', 'reply', 'echo reply: ' + JSON.stringify(e.data));
          var old = document.getElementById('echo-reply');
          if (old) old.removeAttribute('id');
          line.id = 'echo-reply';
          out.appendChild(line);
          port.close();
          resolve();
        };
        out.appendChild(el('div', '', 'connected; sent ' + JSON.stringify(text)));
        port.postMessage(text);
      });
    }, function (err) {
      out.appendChild(el('div', 'error', err.name + ': ' + err.message));
    });
  }

  function setDown(down) {
    return fetch('/demo/down?origin=' + encodeURIComponent('https://fonts.test') + '&down=' + (down ? '1' : '0'), { method: 'POST', headers: { 'Content-Type': 'application/json' } });
  }

  function outFor(btn) { return btn.closest('section').querySelector('.out'); }

  document.addEventListener('DOMContentLoaded', function () {
    $('#page-origin').textContent = location.origin;
    document.querySelectorAll('button[data-url]').forEach(function (b) {
      b.addEventListener('click', function () { request(b.dataset.client, b.dataset.url, outFor(b)); });
    });
    $('#fonts-down').addEventListener('change', function (e) { setDown(e.target.checked); });
    $('#connect-btn').addEventListener('click', connectEcho);
    $('#run-all').addEventListener('click', function () {
      var chain = Promise.resolve();
      document.querySelectorAll('button[data-url]').forEach(function (b) {
        chain = chain.then(function () { return request(b.dataset.client, b.dataset.url, outFor(b)); });
      });
      chain.then(function () { return setDown(true); })
        .then(function () { $('#fonts-down').checked = true; return request('https://app.test/', 'https://fonts.test/fonts/roboto.woff2', $('#out-fonts')); })
        .then(function () { return setDown(false); }).then(function () { $('#fonts-down').checked = false; })
        .then(connectEcho);
    });
  });
})();

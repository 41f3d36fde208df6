importScripts('/harness.js');

test(() => {
  const e = new TextEncoder();
  assert_equals(e.encoding, 'utf-8');
  assert_array_equals(e.encode('a\u00e9\u20ac'), [0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac]);
  assert_array_equals(e.encode(), []);
  assert_array_equals(e.encode('\ud800'), [0xef, 0xbf, 0xbd], 'lone surrogates become U+FFFD');
  const dst = new Uint8Array(4);
  const r = e.encodeInto('a\u20ac\u20ac', dst);
  assert_equals(r.read, 2);
  assert_equals(r.written, 4);
}, 'TextEncoder');

test(() => {
  const d = new TextDecoder();
  assert_equals(d.encoding, 'utf-8');
  assert_equals(d.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69])), 'hi', 'BOM stripped');
  assert_equals(new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x68])), '\ufeffh');
  assert_equals(d.decode(new Uint8Array([0xff, 0x41])), '\ufffdA');
  assert_throws_js(TypeError, () => new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])));
  assert_equals(d.decode(new Uint8Array([0x68, 0x69]).buffer), 'hi', 'ArrayBuffer input');
  assert_equals(d.decode(new DataView(new Uint8Array([0x41, 0x42, 0x43]).buffer, 1)), 'BC');
  assert_equals(d.decode(), '');
  assert_equals(new TextDecoder(' UTF8 ').encoding, 'utf-8');
}, 'TextDecoder');

test(() => {
  const cases = [['latin2', 'iso-8859-2'], ['ascii', 'windows-1252'], ['sjis', 'shift_jis'], ['utf-16', 'utf-16le'],
    ['unicodefffe', 'utf-16be'], ['x-user-defined', 'x-user-defined'], ['\t\n\f\r gbk \t\n\f\r', 'gbk'], ['UNICODE-1-1-UTF-8', 'utf-8']];
  for (const [label, name] of cases) assert_equals(new TextDecoder(label).encoding, name, label);
  for (const label of ['replacement', 'iso-2022-kr', 'hz-gb-2312', '\vunicode-1-1-utf-8', 'utf-8\u00a0', '\u2028utf-8', 'utf-7', '']) {
    assert_throws_js(RangeError, () => new TextDecoder(label), JSON.stringify(label));
  }
}, 'TextDecoder labels: every encoding of the standard, ASCII whitespace only, no replacement');

test(() => {
  assert_equals(new TextDecoder('windows-1252').decode(new Uint8Array([0x80, 0x41])), '\u20acA');
  assert_equals(new TextDecoder('shift_jis').decode(new Uint8Array([0x82, 0xa0])), '\u3042');
  assert_equals(new TextDecoder('utf-16le').decode(new Uint8Array([0xff, 0xfe, 0x68, 0, 0x69, 0])), 'hi');
  assert_equals(new TextDecoder('utf-16be').decode(new Uint8Array([0, 0x68, 0xd8, 0x3d, 0xde, 0x00])), 'h\u{1f600}');
  assert_equals(new TextDecoder('x-user-defined').decode(new Uint8Array([0x80])), '\uf780');
  assert_throws_js(TypeError, () => new TextDecoder('windows-874', { fatal: true }).decode(new Uint8Array([0xdb])));
}, 'TextDecoder legacy encodings and UTF-16');

test(() => {
  const d = new TextDecoder();
  assert_equals(d.decode(new Uint8Array([0xe2, 0x82]), { stream: true }), '');
  assert_equals(d.decode(new Uint8Array([0xac]), { stream: true }), '\u20ac', 'a sequence split across chunks');
  assert_equals(d.decode(new Uint8Array([0xf0, 0x9f]), { stream: true }), '');
  assert_equals(d.decode(), '\ufffd', 'decode() without input flushes');
  assert_equals(d.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])), 'A', 'a new stream strips its BOM again');
  assert_equals(d.decode(new Uint8Array([0xff, 0xff])), '\ufffd\ufffd', 'one U+FFFD per invalid byte');
  assert_equals(d.decode(new Uint8Array([0xf0, 0x80, 0x80])), '\ufffd\ufffd\ufffd', 'maximal subparts');
  const s = new TextDecoder('utf-16le');
  assert_equals(s.decode(new Uint8Array([0x3d]), { stream: true }), '');
  assert_equals(s.decode(new Uint8Array([0xd8, 0x00]), { stream: true }), '');
  assert_equals(s.decode(new Uint8Array([0xde])), '\u{1f600}');
  assert_throws_js(TypeError, () => d.decode(null));
  assert_throws_js(TypeError, () => Object.getOwnPropertyDescriptor(TextDecoder.prototype, 'encoding').get.call({}));
}, 'TextDecoder streaming decode');

test(() => {
  assert_equals(btoa('hello'), 'aGVsbG8=');
  assert_equals(atob('aGVsbG8='), 'hello');
  assert_equals(atob(' aGVs bG8 '), 'hello', 'ASCII whitespace is ignored');
  assert_equals(atob('aGVsbG8'), 'hello', 'padding is optional');
  assert_equals(btoa('\u00ff'), '/w==');
  assert_equals(atob('/w=='), '\u00ff');
  assert_throws_dom('InvalidCharacterError', () => btoa('\u20ac'));
  assert_throws_dom('InvalidCharacterError', () => atob('a'));
  assert_throws_dom('InvalidCharacterError', () => atob('a*b='));
  assert_throws_js(TypeError, () => atob());
}, 'atob and btoa');

test(() => {
  const a = new Uint8Array(16);
  assert_equals(crypto.getRandomValues(a), a);
  assert_true(a.some(x => x !== 0), 'filled (with overwhelming probability)');
  crypto.getRandomValues(new Uint32Array(4));
  assert_throws_dom('TypeMismatchError', () => crypto.getRandomValues(new Float32Array(4)));
  assert_throws_dom('QuotaExceededError', () => crypto.getRandomValues(new Uint8Array(65537)));
  const id = crypto.randomUUID();
  assert_true(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id), id);
  assert_not_equals(crypto.randomUUID(), id);
}, 'crypto');

promise_test(async () => {
  const b = new Blob(['ab', new Uint8Array([99]), new Blob(['d'])], { type: 'Text/Plain' });
  assert_equals(b.size, 4);
  assert_equals(b.type, 'text/plain');
  assert_equals(await b.text(), 'abcd');
  assert_equals(await b.slice(1, 3).text(), 'bc');
  assert_equals(await b.slice(-2).text(), 'cd');
  assert_array_equals(new Uint8Array(await b.arrayBuffer()), [97, 98, 99, 100]);
}, 'Blob');

test(() => {
  let e;
  try { crypto.getRandomValues(new Uint8Array(65537)); } catch (x) { e = x; }
  assert_true(e instanceof QuotaExceededError, 'getRandomValues throws a QuotaExceededError');
  assert_true(e instanceof DOMException);
  assert_equals(e.name, 'QuotaExceededError');
  assert_equals(e.code, 22);
  assert_equals(e.quota, null);
  assert_equals(e.requested, null);
  const q = new QuotaExceededError('full', { quota: 10, requested: 12 });
  assert_array_equals([q.message, q.quota, q.requested], ['full', 10, 12]);
  assert_throws_js(RangeError, () => new QuotaExceededError('', { quota: -1 }));
  assert_throws_js(RangeError, () => new QuotaExceededError('', { quota: 5, requested: 4 }));
  assert_throws_js(TypeError, () => new QuotaExceededError('', { quota: NaN }));
  assert_equals(new QuotaExceededError().message, '');
}, 'QuotaExceededError');

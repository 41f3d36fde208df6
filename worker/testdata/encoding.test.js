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
  assert_throws_js(RangeError, () => new TextDecoder('latin2'));
  assert_equals(new TextDecoder(' UTF8 ').encoding, 'utf-8');
}, 'TextDecoder');

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

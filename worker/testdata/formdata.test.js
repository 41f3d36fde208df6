importScripts('/harness.js');

test(() => {
  const f = new File(['a', new Uint8Array([98]), new Blob(['c'])], 'x.txt', { type: 'Text/Plain', lastModified: 42 });
  assert_true(f instanceof Blob);
  assert_array_equals([f.name, f.size, f.type, f.lastModified], ['x.txt', 3, 'text/plain', 42]);
  assert_equals(Object.prototype.toString.call(f), '[object File]');
  assert_throws_js(TypeError, () => new File(['a']));
  const now = Date.now();
  assert_true(Math.abs(new File([], 'n').lastModified - now) < 1000, 'lastModified defaults to now');
  assert_equals(new File([], '\ud800').name, '\ufffd', 'the name is a USVString');
  assert_throws_js(TypeError, () => Object.getOwnPropertyDescriptor(File.prototype, 'name').get.call(new Blob([])));
}, 'File');

promise_test(async () => {
  assert_equals(await new Blob(['a\r\nb\rc'], { endings: 'native' }).text(), 'a\nb\nc');
  assert_equals(await new Blob(['a\r\nb'], { endings: 'transparent' }).text(), 'a\r\nb');
  assert_throws_js(TypeError, () => new Blob([], { endings: 'bogus' }));
}, 'Blob endings');

test(() => {
  const fd = new FormData();
  fd.append('a', '1');
  fd.append('b', new Blob(['x'], { type: 'text/x' }));
  fd.append('a', '2');
  fd.append('c', new Blob(['y']), 'named.bin');
  assert_equals(fd.get('a'), '1');
  assert_array_equals(fd.getAll('a'), ['1', '2']);
  assert_true(fd.get('b') instanceof File);
  assert_equals(fd.get('b').name, 'blob');
  assert_equals(fd.get('b').type, 'text/x');
  assert_equals(fd.get('c').name, 'named.bin');
  assert_true(fd.has('c'));
  assert_equals(fd.get('zz'), null);
  fd.set('a', '3');
  assert_array_equals([...fd.keys()], ['a', 'b', 'c']);
  assert_array_equals(fd.getAll('a'), ['3']);
  fd.delete('b');
  assert_array_equals([...fd].map(([k, v]) => k + '=' + (typeof v === 'string' ? v : v.name)), ['a=3', 'c=named.bin']);
  assert_throws_js(TypeError, () => fd.append('x'));
  assert_throws_js(TypeError, () => fd.append('x', 'str', 'filename'), 'a filename needs a Blob');
  assert_throws_js(TypeError, () => new FormData({}), 'no forms in workers');
  const it = fd.values();
  fd.append('d', '4');
  assert_array_equals([...it].map((v) => typeof v === 'string' ? v : v.name), ['3', 'named.bin', '4'], 'iteration is live');
  assert_equals(Object.prototype.toString.call(fd.entries()), '[object FormData Iterator]');
}, 'FormData');

promise_test(async () => {
  const fd = new FormData();
  fd.append('field "one"\n', 'value\r\nwith lines \u00e9');
  fd.append('file', new File([new Uint8Array([0, 1, 255])], 'a"b.bin', { type: 'application/x-test' }));
  const req = new Request('https://test.swhost/upload', { method: 'POST', body: fd });
  const ct = req.headers.get('content-type');
  assert_true(/^multipart\/form-data; boundary=\S+$/.test(ct), ct);
  const boundary = ct.split('boundary=')[1];
  const raw = await req.clone().text();
  assert_true(raw.includes('Content-Disposition: form-data; name="field %22one%22%0A"'), 'names are escaped');
  assert_true(raw.includes('filename="a%22b.bin"\r\nContent-Type: application/x-test\r\n\r\n'), raw);
  assert_true(raw.endsWith('--' + boundary + '--\r\n'));
  const back = await req.formData();
  assert_equals(back.get('field "one"\n'), 'value\r\nwith lines \u00e9');
  const f = back.get('file');
  assert_true(f instanceof File);
  assert_array_equals([f.name, f.type], ['a"b.bin', 'application/x-test']);
  assert_array_equals(new Uint8Array(await f.arrayBuffer()), [0, 1, 255]);
}, 'FormData bodies: multipart/form-data encoding and parsing round trip');

promise_test(async () => {
  const r = new Response('a=1&b=%C3%A9&a=+2', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const fd = await r.formData();
  assert_array_equals(fd.getAll('a'), ['1', ' 2']);
  assert_equals(fd.get('b'), '\u00e9');
  await promise_rejects_js(null, TypeError, new Response('x', { headers: { 'content-type': 'text/plain' } }).formData());
  await promise_rejects_js(null, TypeError, new Response('garbage', { headers: { 'content-type': 'multipart/form-data; boundary=zz' } }).formData());
  const raw = '--B\r\nContent-Disposition: form-data; name="f"; filename="x.txt"\r\n\r\nhello\r\n--B\r\nContent-Disposition: form-data; name="s"\r\n\r\nplain\r\n--B--\r\n';
  const m = await new Response(raw, { headers: { 'content-type': 'multipart/form-data; boundary=B' } }).formData();
  assert_equals(m.get('f').type, 'text/plain', 'a file part without Content-Type is text/plain');
  assert_equals(await m.get('f').text(), 'hello');
  assert_equals(m.get('s'), 'plain');
}, 'formData() parses urlencoded and multipart bodies, and rejects others');

test(() => {
  const f = new File(['abc'], 'n.txt', { type: 'text/plain', lastModified: 7 });
  const c = structuredClone(f);
  assert_true(c instanceof File);
  assert_array_equals([c.name, c.type, c.size, c.lastModified], ['n.txt', 'text/plain', 3, 7]);
}, 'File structured-clones');

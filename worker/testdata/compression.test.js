importScripts('/harness.js');

// The Compression standard's CompressionStream and DecompressionStream,
// with facts from the web-platform-tests' compression/ directory (the
// inputs that decompress to 'expected output', the corrupted fields).

const formats = ['deflate', 'deflate-raw', 'gzip'];
const enc = new TextEncoder(), dec = new TextDecoder();
const expected = enc.encode('expected output');
const compressed = {
  deflate: new Uint8Array([120, 156, 75, 173, 40, 72, 77, 46, 73, 77, 81, 200, 47, 45, 41, 40, 45, 1, 0, 48, 173, 6, 36]),
  gzip: new Uint8Array([31, 139, 8, 0, 0, 0, 0, 0, 0, 3, 75, 173, 40, 72, 77, 46, 73, 77, 81, 200, 47, 45, 41, 40, 45, 1, 0, 176, 1, 57, 179, 15, 0, 0, 0]),
  'deflate-raw': new Uint8Array([0x4b, 0xad, 0x28, 0x48, 0x4d, 0x2e, 0x49, 0x4d, 0x51, 0xc8, 0x2f, 0x2d, 0x29, 0x28, 0x2d, 0x01, 0x00]),
};
// Complete streams of no data.
const empty = {
  gzip: new Uint8Array([31, 139, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  deflate: new Uint8Array([120, 156, 3, 0, 0, 0, 0, 1]),
  'deflate-raw': new Uint8Array([1, 0, 0, 255, 255]),
};

async function ticks(n = 20) { for (let i = 0; i < n; i++) await Promise.resolve(); }
// nextTask lets a heavy test start a task of its own (each task has its
// own CPU budget; the tests' microtasks would all run in one).
const nextTask = () => new Promise(resolve => setTimeout(resolve, 0));
async function readAll(readable) {
  const chunks = [];
  for await (const c of readable) chunks.push(c);
  return chunks;
}
function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.byteLength; }
  return out;
}
// equalBytes compares as strings: windows-1252 decodes every byte to
// its own character, and Go does it faster than a loop here.
const latin1 = new TextDecoder('latin1');
function equalBytes(a, b, what) {
  assert_equals(a.length, b.length, what + ': length');
  if (latin1.decode(a) !== latin1.decode(b)) assert_unreached(what + ': the bytes differ');
}
// run writes chunks to a new stream of the class and format, closes it,
// and answers the output's bytes, or the name of the error it failed with.
async function run(Class, format, chunks) {
  const s = new Class(format);
  const w = s.writable.getWriter();
  for (const c of chunks) w.write(c).catch(() => {});
  w.close().catch(() => {});
  try {
    const out = await readAll(s.readable);
    for (const c of out) assert_true(c instanceof Uint8Array, 'output chunks are Uint8Arrays');
    return concat(out);
  } catch (e) {
    return e.name;
  }
}
const compress = (format, chunks) => run(CompressionStream, format, chunks);
const decompress = (format, chunks) => run(DecompressionStream, format, chunks);
// Pseudo-random bytes from a fixed seed, compressible when words.
function randomBytes(n, seed = 1) {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) >>> 0; b[i] = x >>> 24; }
  return b;
}
function words(n) {
  const list = ['service', 'worker', 'cache', 'fetch', 'stream', 'gzip', 'deflate', 'response', '\n', ' '];
  const r = randomBytes(n, 7);
  let s = '';
  for (let i = 0; s.length < n; i++) s += list[r[i % n] % list.length] + ' ';
  return enc.encode(s.slice(0, n));
}

test(() => {
  for (const Class of [CompressionStream, DecompressionStream]) {
    assert_equals(typeof Class, 'function');
    assert_equals(Class.length, 1, Class.name + '.length');
    for (const f of formats) {
      const s = new Class(f);
      assert_true(s.readable instanceof ReadableStream, 'readable');
      assert_true(s.writable instanceof WritableStream, 'writable');
      assert_equals(s.readable, s.readable, 'the same readable each time');
      assert_equals(Object.prototype.toString.call(s), '[object ' + Class.name + ']');
    }
    const get = Object.getOwnPropertyDescriptor(Class.prototype, 'readable').get;
    assert_throws_js(TypeError, () => get.call({}), 'readable of another object');
    assert_throws_js(TypeError, () => Class('gzip'), 'called without new');
  }
  const readable = Object.getOwnPropertyDescriptor(CompressionStream.prototype, 'readable').get;
  assert_throws_js(TypeError, () => readable.call(new DecompressionStream('gzip')), 'a DecompressionStream is no CompressionStream');
  assert_throws_js(TypeError, () => readable.call(new TransformStream()), 'nor is a TransformStream');
}, 'interfaces: GenericTransformStream, length, brand checks');

test(() => {
  for (const Class of [CompressionStream, DecompressionStream]) {
    for (const f of ['a', '', 'GZIP', 'gzip ', 'deflate\0', 'brotli', 'zstd', 'br', null, undefined, 1]) {
      assert_throws_js(TypeError, () => new Class(f), Class.name + '(' + String(f) + ')');
    }
    assert_throws_js(TypeError, () => new Class(), 'no argument');
    assert_throws_js(TypeError, () => new Class(Symbol('gzip')), 'a Symbol');
    const err = new Error('toString');
    try { new Class({ toString() { throw err; } }); assert_unreached('did not throw'); } catch (e) { assert_equals(e, err, 'the conversion\'s error'); }
    new Class({ toString() { return 'gzip'; } });
    new Class(new String('deflate-raw'));
  }
}, 'an unsupported format throws TypeError at construction; the format is converted to a string first');

promise_test(async () => {
  for (const f of formats) {
    const out = await decompress(f, [compressed[f]]);
    assert_equals(dec.decode(out), 'expected output', f);
  }
}, 'decompressing each format');

promise_test(async () => {
  for (const f of formats) {
    const s = new DecompressionStream(f);
    const reader = s.readable.getReader();
    s.writable.getWriter().write(compressed[f]);
    const { value, done } = await reader.read();
    assert_false(done);
    assert_equals(dec.decode(value), 'expected output', f + ': the output of a complete stream comes before close');
  }
}, 'output is enqueued before the writable side closes');

promise_test(async () => {
  const make = {
    ArrayBuffer: b => b.slice().buffer, Int8Array: b => new Int8Array(b.slice().buffer), Uint8Array: b => b.slice(),
    Uint8ClampedArray: b => new Uint8ClampedArray(b.slice().buffer), DataView: b => new DataView(b.slice().buffer),
    'Uint8Array at an offset': b => { const x = new Uint8Array(b.length + 7); x.set(b, 3); return x.subarray(3, 3 + b.length); },
    'DataView at an offset': b => { const x = new Uint8Array(b.length + 5); x.set(b, 5); return new DataView(x.buffer, 5, b.length); },
  };
  // The WPT's inputs whose lengths are multiples of 8 bytes, for the
  // wider element types.
  const wide = {
    deflate: [[120, 156, 75, 52, 48, 52, 50, 54, 49, 53, 3, 0, 8, 136, 1, 199], 'a0123456'],
    gzip: [[31, 139, 8, 0, 0, 0, 0, 0, 0, 3, 75, 52, 48, 52, 2, 0, 216, 252, 63, 136, 4, 0, 0, 0], 'a012'],
    'deflate-raw': [[0x00, 0x06, 0x00, 0xf9, 0xff, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x01, 0x00, 0x00, 0xff, 0xff], 'ABCDEF'],
  };
  for (const f of formats) {
    for (const [name, fn] of Object.entries(make)) {
      assert_equals(dec.decode(await decompress(f, [fn(compressed[f])])), 'expected output', f + ' ' + name);
    }
    const [bytes, text] = wide[f];
    for (const T of [Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array]) {
      assert_equals(dec.decode(await decompress(f, [new T(new Uint8Array(bytes).buffer)])), text, f + ' ' + T.name);
    }
  }
}, 'every BufferSource is a chunk: ArrayBuffer, typed arrays, DataView, views at an offset');

promise_test(async () => {
  const bad = [undefined, null, 3.14, {}, [65], 'abc', true, Symbol('s'), new Blob(['x']), { buffer: new ArrayBuffer(4), byteLength: 4 }];
  for (const f of formats) {
    for (const chunk of bad) {
      const s = new CompressionStream(f);
      const reader = s.readable.getReader(), writer = s.writable.getWriter();
      const write = writer.write(chunk), read = reader.read();
      await promise_rejects_js(null, TypeError, write, f + ': write of ' + String(typeof chunk));
      await promise_rejects_js(null, TypeError, read, f + ': read');
      await promise_rejects_js(null, TypeError, writer.closed, f + ': the writable side is errored');
    }
  }
}, 'CompressionStream: a chunk that is not a BufferSource errors the stream with TypeError');

promise_test(async () => {
  const bad = [undefined, null, 3.14, {}, [65], 'abc',
    new Uint8Array([0, 156, 75, 173, 40, 72, 77, 46, 73, 77, 81, 200, 47, 45, 41, 40, 45, 1, 0, 48, 173, 6, 36]),
    new Uint8Array([0, 139, 8, 0, 0, 0, 0, 0, 0, 3, 75, 173, 40, 72, 77, 46, 73, 77, 81, 200, 47, 45, 41, 40, 45, 1, 0, 176, 1, 57, 179, 15, 0, 0, 0])];
  for (const f of formats) {
    for (const chunk of bad) {
      const s = new DecompressionStream(f);
      const reader = s.readable.getReader(), writer = s.writable.getWriter();
      writer.write(chunk).catch(() => {});
      reader.read().catch(() => {});
      await promise_rejects_js(null, TypeError, writer.close(), f + ': close');
      await promise_rejects_js(null, TypeError, writer.closed, f + ': closed');
      await promise_rejects_js(null, TypeError, reader.read(), f + ': read');
      await promise_rejects_js(null, TypeError, reader.closed, f + ': reader closed');
    }
  }
}, 'DecompressionStream: a bad chunk or bad bytes error the stream with TypeError');

promise_test(async () => {
  // [format, field, offset, length, value, result] from the WPT's table.
  const cases = [
    ['deflate', 'CMF', 0, 1, 0, 'error'],
    ['deflate', 'FLG', 1, 1, 218, 'success'], ['deflate', 'FLG', 1, 1, 1, 'success'], ['deflate', 'FLG', 1, 1, 94, 'success'],
    ['deflate', 'FLG', 1, 1, 157, 'error'],
    ['deflate', 'DATA', 18, 1, 4, 'success'], ['deflate', 'DATA', 18, 1, 5, 'error'],
    ['deflate', 'ADLER', -4, 4, 255, 'error'],
    ['gzip', 'ID', 0, 2, 255, 'error'], ['gzip', 'CM', 2, 1, 0, 'error'],
    ['gzip', 'FLG', 3, 1, 1, 'success'], ['gzip', 'FLG', 3, 1, 2, 'error'],
    ['gzip', 'MTIME', 4, 4, 255, 'success'], ['gzip', 'XFL', 8, 1, 255, 'success'], ['gzip', 'OS', 9, 1, 128, 'success'],
    ['gzip', 'DATA', 26, 1, 3, 'error'], ['gzip', 'DATA', 26, 1, 4, 'success'],
    ['gzip', 'CRC', -8, 4, 0, 'error'], ['gzip', 'ISIZE', -4, 4, 1, 'error'],
  ];
  for (const [f, field, offset, length, value, want] of cases) {
    const input = compressed[f].slice();
    const start = offset < 0 ? input.length + offset : offset;
    input.fill(value, start, start + length);
    const out = await decompress(f, [input]);
    const got = typeof out === 'string' ? (out === 'TypeError' ? 'error' : out) : (dec.decode(out) === 'expected output' ? 'success' : 'corrupt');
    assert_equals(got, want, f + ' ' + field + ' = ' + value);
  }
}, 'corrupted fields: errors where the formats say so, success where they are ignored');

promise_test(async () => {
  for (const f of formats) {
    assert_equals(await decompress(f, [compressed[f].subarray(0, -1)]), 'TypeError', f + ': truncated');
    assert_equals(await decompress(f, [new Uint8Array([...compressed[f], 0])]), 'TypeError', f + ': trailing junk');
    assert_equals(await decompress(f, [compressed[f], new Uint8Array([0])]), 'TypeError', f + ': trailing junk in its own chunk');
    assert_equals(await decompress(f, [compressed[f], compressed[f]]), 'TypeError', f + ': a second stream');
    assert_equals(await decompress(f, []), 'TypeError', f + ': no input at all');
    assert_equals(await decompress(f, [new Uint8Array(0)]), 'TypeError', f + ': only an empty chunk');
    assert_equals(dec.decode(await decompress(f, [compressed[f], new Uint8Array(0)])), 'expected output', f + ': an empty chunk after the end is no data');
  }
  // Data compressed with a preset dictionary (FDICT), which the API has
  // no way to give.
  const dict = new Uint8Array([0x78, 0xbb, 0x74, 0xee, 0x09, 0x59, 0x2b, 0xc1, 0x2e, 0x0c, 0x00, 0x74, 0xee, 0x09, 0x59]);
  assert_equals(await decompress('deflate', [dict]), 'TypeError', 'FDICT');
}, 'truncated input errors at flush; data after the end errors; FDICT is refused');

promise_test(async () => {
  for (const f of formats) {
    const s = new DecompressionStream(f);
    const reader = s.readable.getReader();
    s.writable.getWriter().write(new Uint8Array([...compressed[f], 0])).catch(() => {});
    const { value } = await reader.read();
    assert_equals(dec.decode(value), 'expected output', f + ': the output before the trailing byte');
    await promise_rejects_js(null, TypeError, reader.read(), f + ': then the error');
  }
}, 'trailing data: the output comes first, then the stream errors');

promise_test(async () => {
  for (const f of formats) {
    const s = new DecompressionStream(f);
    const reader = s.readable.getReader(), writer = s.writable.getWriter();
    const write = writer.write(empty[f]);
    writer.close();
    const { value, done } = await reader.read();
    assert_true(done, f + ': done');
    assert_equals(value, undefined);
    await write;
  }
}, 'decompressing a stream of no data');

promise_test(async () => {
  await nextTask();
  for (const f of formats) {
    const input = compressed[f];
    for (let size = 1; size < input.length; size++) {
      const chunks = [];
      for (let i = 0; i < input.length; i += size) chunks.push(input.subarray(i, i + size));
      assert_equals(dec.decode(await decompress(f, chunks)), 'expected output', f + ' in chunks of ' + size);
    }
  }
}, 'input split into chunks of every size');

promise_test(async () => {
  for (const f of formats) {
    const lists = [['', 'Hello', 'Hello'], ['Hello', '', 'Hello'], ['Hello', 'Hello', '']];
    for (const list of lists) {
      const out = await compress(f, list.map(s => enc.encode(s)));
      assert_equals(dec.decode(await decompress(f, [out])), 'HelloHello', f + ' ' + JSON.stringify(list));
    }
    const none = await compress(f, []);
    assert_true(none.length > 0, f + ': even no input makes a stream');
    assert_equals((await decompress(f, [none])).length, 0, f + ': which decompresses to nothing');
  }
}, 'compressing, empty chunks and empty input included');

promise_test(async () => {
  const inputs = [words(50000), randomBytes(100000), new Uint8Array(256 << 10)];
  for (const f of formats) {
    for (const input of inputs) {
      await nextTask();
      const chunks = [];
      for (let i = 0, n = 1; i < input.length; i += n, n = n * 3 + 1) chunks.push(input.subarray(i, i + n));
      const out = await compress(f, chunks);
      if (input[0] === 0) assert_true(out.length < 1024, f + ': zeros compress well, to ' + out.length);
      if (input === inputs[0]) assert_true(out.length < input.length / 2, f + ': words compress');
      equalBytes(await decompress(f, [out]), input, f + ' round trip of ' + input.length + ' bytes');
      const split = [];
      for (let i = 0; i < out.length; i += 1000) split.push(out.subarray(i, i + 1000));
      equalBytes(await decompress(f, split), input, f + ' round trip, compressed data in chunks of 1000');
    }
  }
}, 'round trips of text, random bytes and zeros in uneven chunks');

promise_test(async () => {
  await nextTask();
  const zeros = await compress('gzip', [new Uint8Array(1 << 20)]);
  const s = new DecompressionStream('gzip');
  const writer = s.writable.getWriter();
  let written = false;
  writer.write(zeros).then(() => { written = true; });
  const close = writer.close();
  await ticks(50);
  assert_false(written, 'the write waits while its output is not read');
  const chunks = await readAll(s.readable);
  await close;
  assert_true(written);
  assert_true(chunks.length >= 16, chunks.length + ' pieces');
  for (const c of chunks) assert_true(c.byteLength > 0 && c.byteLength <= 65536, 'a piece of ' + c.byteLength + ' bytes');
  assert_equals(concat(chunks).length, 1 << 20);
}, 'decompression output is made as it is read (backpressure), in pieces of at most 64 KiB');

promise_test(async () => {
  await nextTask();
  const bomb = await compress('deflate', [new Uint8Array(4 << 20)]);
  const s = new DecompressionStream('deflate');
  const writer = s.writable.getWriter();
  const write = writer.write(bomb);
  const reader = s.readable.getReader();
  const { value } = await reader.read();
  assert_true(value.byteLength > 0);
  await reader.cancel(new Error('enough'));
  await write.then(() => {}, () => {});
  await promise_rejects_js(null, Error, writer.closed, 'the writable side errors with the reason');
}, 'cancelling the readable side stops decompressing');

promise_test(async () => {
  await nextTask();
  const input = randomBytes(200000);
  const copy = input.slice();
  const s = new CompressionStream('deflate');
  const writer = s.writable.getWriter();
  writer.write(input);
  writer.close();
  const reader = s.readable.getReader();
  const first = await reader.read();
  structuredClone(input.buffer, { transfer: [input.buffer] });
  assert_equals(input.byteLength, 0, 'detached');
  const rest = [first.value];
  for (;;) { const { value, done } = await reader.read(); if (done) break; rest.push(value); }
  equalBytes(await decompress('deflate', [concat(rest)]), copy, 'the chunk was taken when written');
}, 'a chunk detached while its output is read still compresses whole');

promise_test(async () => {
  await nextTask();
  const text = 'compressed through pipes '.repeat(1000);
  for (const f of formats) {
    const s = new Blob([text]).stream().pipeThrough(new CompressionStream(f)).pipeThrough(new DecompressionStream(f));
    assert_equals(await new Response(s).text(), text, f);
  }
  const gz = new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip')));
  assert_equals(await new Response(gz.body.pipeThrough(new DecompressionStream('gzip'))).text(), text, 'a Response body');
}, 'pipeThrough and Response bodies');

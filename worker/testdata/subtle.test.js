importScripts('/harness.js');

const enc = (s) => new TextEncoder().encode(s);
const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

test(() => {
  assert_true(crypto.subtle instanceof SubtleCrypto);
  assert_equals(crypto.subtle, crypto.subtle, 'one object');
  assert_equals(Object.prototype.toString.call(crypto.subtle), '[object SubtleCrypto]');
  assert_throws_js(TypeError, () => new SubtleCrypto());
  assert_throws_js(TypeError, () => new CryptoKey());
  assert_equals(SubtleCrypto.prototype.importKey.length, 5);
}, 'crypto.subtle, SubtleCrypto and CryptoKey');

promise_test(async () => {
  assert_equals(hex(await crypto.subtle.digest('SHA-256', enc('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert_equals(hex(await crypto.subtle.digest({ name: 'sha-1' }, enc('abc'))), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assert_equals(hex(await crypto.subtle.digest('SHA-384', new ArrayBuffer(0))).slice(0, 16), '38b060a751ac9638');
}, 'digest: FIPS 180 vectors, names without regard to case, ArrayBuffer input');

promise_test(async () => {
  await promise_rejects_dom(null, 'NotSupportedError', crypto.subtle.digest('MD5', enc('x')));
  await promise_rejects_js(null, TypeError, crypto.subtle.digest('SHA-256'));
  await promise_rejects_js(null, TypeError, crypto.subtle.digest('SHA-256', 'not a buffer'));
  await promise_rejects_js(null, TypeError, crypto.subtle.sign('HMAC', {}, enc('x')));
}, 'failures reject the promise with the specified exceptions');

promise_test(async () => {
  // RFC 4231 test case 2.
  const key = await crypto.subtle.importKey('raw', enc('Jefe'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  assert_equals(key.type, 'secret');
  assert_false(key.extractable);
  assert_equals(key.algorithm.name, 'HMAC');
  assert_equals(key.algorithm.hash.name, 'SHA-256');
  assert_equals(key.algorithm, key.algorithm, 'the same object at every read');
  assert_array_equals(key.usages, ['sign', 'verify']);
  const mac = await crypto.subtle.sign('HMAC', key, enc('what do ya want for nothing?'));
  assert_equals(hex(mac), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  assert_true(await crypto.subtle.verify('HMAC', key, mac, enc('what do ya want for nothing?')));
  assert_false(await crypto.subtle.verify('HMAC', key, mac, enc('something else')));
  await promise_rejects_dom(null, 'InvalidAccessError', crypto.subtle.exportKey('raw', key));
}, 'HMAC: RFC 4231, attributes, non-extractable keys');

promise_test(async () => {
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, enc('secret message'));
  assert_equals(ct.byteLength, 14 + 16);
  const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, ct);
  assert_equals(new TextDecoder().decode(pt), 'secret message');
  const tampered = new Uint8Array(ct).slice(); tampered[0] ^= 1;
  await promise_rejects_dom(null, 'OperationError', crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, tampered));
  const raw = await crypto.subtle.exportKey('raw', key);
  assert_equals(raw.byteLength, 32);
  const jwk = await crypto.subtle.exportKey('jwk', key);
  assert_equals(jwk.kty, 'oct');
  assert_equals(jwk.alg, 'A256GCM');
  const again = await crypto.subtle.importKey('jwk', jwk, 'AES-GCM', false, ['decrypt']);
  assert_equals(new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, again, ct)), 'secret message');
}, 'AES-GCM: generate, encrypt, decrypt, tamper, export raw and JWK, import JWK');

promise_test(async () => {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  assert_equals(pair.publicKey.type, 'public');
  assert_equals(pair.privateKey.type, 'private');
  assert_equals(pair.publicKey.algorithm.namedCurve, 'P-256');
  const alg = { name: 'ECDSA', hash: 'SHA-256' };
  const sig = await crypto.subtle.sign(alg, pair.privateKey, enc('data'));
  assert_equals(sig.byteLength, 64);
  assert_true(await crypto.subtle.verify(alg, pair.publicKey, sig, enc('data')));
  const spki = await crypto.subtle.exportKey('spki', pair.publicKey);
  const pub = await crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
  assert_true(await crypto.subtle.verify(alg, pub, sig, enc('data')));
  await promise_rejects_dom(null, 'InvalidAccessError', crypto.subtle.sign(alg, pair.publicKey, enc('data')));
}, 'ECDSA: generate a pair, sign, verify, spki round trip, wrong key type');

promise_test(async () => {
  const base = await crypto.subtle.importKey('raw', enc('password'), 'PBKDF2', false, ['deriveBits', 'deriveKey']);
  // RFC 6070, SHA-1, 1 iteration.
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', salt: enc('salt'), iterations: 1, hash: 'SHA-1' }, base, 160);
  assert_equals(hex(bits), '0c60c80f961f0e71f3a9b524af6012062fe037a6');
  const aes = await crypto.subtle.deriveKey({ name: 'PBKDF2', salt: enc('salt'), iterations: 2, hash: 'SHA-256' }, base,
    { name: 'AES-KW', length: 128 }, true, ['wrapKey', 'unwrapKey']);
  const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
  const wrapped = await crypto.subtle.wrapKey('raw', hmac, aes, 'AES-KW');
  const unwrapped = await crypto.subtle.unwrapKey('raw', wrapped, aes, 'AES-KW', { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
  assert_equals(hex(await crypto.subtle.exportKey('raw', unwrapped)), hex(await crypto.subtle.exportKey('raw', hmac)));
}, 'PBKDF2 deriveBits (RFC 6070) and deriveKey; AES-KW wrapKey and unwrapKey');

promise_test(async () => {
  const key = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const copy = structuredClone(key);
  assert_true(copy instanceof CryptoKey);
  assert_not_equals(copy, key);
  assert_equals(copy.algorithm.hash.name, 'SHA-256');
  assert_false(copy.extractable);
  const a = await crypto.subtle.sign('HMAC', key, enc('x'));
  const b = await crypto.subtle.sign('HMAC', copy, enc('x'));
  assert_equals(hex(a), hex(b), 'the copy holds the same key');
  const { port1, port2 } = new MessageChannel();
  const got = new Promise((resolve) => { port2.onmessage = (e) => resolve(e.data); });
  port1.postMessage({ key });
  const msg = await got;
  assert_true(msg.key instanceof CryptoKey);
}, 'CryptoKeys structured-clone');

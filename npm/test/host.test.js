// The package's own tests: every Host method against a small worker
// (test/fixture), under the swhost binary of SWHOST_BIN or the package.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDirectory, startHost, SwhostError } from '../index.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixture');
const app = 'https://app.test';
let dir;
let host;
let events;

before(async () => {
  // A copy, so that the update test may change sw.js.
  dir = mkdtempSync(path.join(os.tmpdir(), 'swhost-fixture-'));
  cpSync(fixture, dir, { recursive: true });
  host = await startHost({ origins: { [app]: dir } });
  events = host.events();
  await events.ready;
});

after(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

let reg;

test('register resolves with the active registration', async () => {
  reg = await host.register(`${app}/sw.js`, { scope: '/' });
  assert.equal(reg.active.state, 'activated');
  assert.equal(reg.active.scriptURL, `${app}/sw.js`);
  assert.equal(reg.waiting, null);
  const ev = await events.waitFor((e) => e.type === 'console' && e.data.message === 'activated v1');
  assert.equal(ev.data.level, 'log');
});

test('fetch answers from the worker, the cache and the network', async () => {
  const res = await host.fetch(`${app}/app.js`, { client: `${app}/` });
  assert.equal(res.servedBy, 'fetch-event');
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'console.log("app")\n');
  assert.match(res.headers.get('content-type'), /javascript/);
  const nav = await host.fetch(`${app}/`, { client: `${app}/`, mode: 'navigate' });
  assert.match(await nav.text(), /home/);
  const missing = await host.fetch(`${app}/missing`);
  assert.equal(missing.status, 404);
});

test('offline: the cache answers, the network fails', async () => {
  await host.setOffline(app, true);
  try {
    assert.match(await (await host.fetch(`${app}/`, { mode: 'navigate' })).text(), /home/);
    await assert.rejects(host.fetch(`${app}/not-cached`), TypeError);
  } finally {
    await host.setOffline(app, false);
  }
});

test('caches and IndexedDB are readable', async () => {
  const caches = host.caches(app);
  assert.deepEqual(await caches.keys(), ['static-v1']);
  assert.deepEqual(await caches.urls('static-v1'), [`${app}/`, `${app}/app.js`]);
  const hit = await caches.match(`${app}/app.js`);
  assert.equal(hit.cacheName, 'static-v1');
  assert.equal(await hit.text(), 'console.log("app")\n');
  assert.equal(await caches.match(`${app}/nope`), undefined);
  const dump = await host.indexedDB(app).dump('meta');
  assert.equal(dump.version, 1);
  assert.deepEqual(dump.stores.kv, [{ key: 'installed', ref: dump.stores.kv[0].ref, value: { version: 'v1', at: { $type: 'Date', value: '1970-01-01T00:00:00.000Z' } } }]);
  await assert.rejects(host.indexedDB(app).dump('nope'), (err) => err instanceof SwhostError && err.errorName === 'NotFoundError');
});

test('push shows a notification', async () => {
  const out = await host.trigger(reg, 'push', { data: 'hi' });
  assert.equal(out.outcome, 'fulfilled');
  assert.equal(out.notifications[0].title, 'Pushed');
  assert.equal(out.notifications[0].body, 'hi');
  assert.equal((await host.notifications(reg)).length, 1);
});

test('a client talks to its worker; the update flow', async () => {
  const client = await host.client(`${app}/`);
  assert.equal(client.controller, reg.id);
  await client.postMessage({ hello: 1 });
  assert.deepEqual(await client.nextMessage(), { echo: { hello: 1 }, version: 'v1' });

  writeFileSync(path.join(dir, 'sw.js'), readFileSync(path.join(dir, 'sw.js'), 'utf8').replace("'v1'", "'v2'"));
  const updated = await host.update(reg);
  assert.equal(updated.waiting.state, 'installed');
  await client.postMessage({ type: 'SKIP_WAITING' }, { worker: 'waiting' });
  const change = await client.nextEvent('controllerchange');
  assert.equal(change.source, `${app}/sw.js`);
  await client.postMessage('again');
  assert.deepEqual(await client.nextMessage(), { echo: 'again', version: 'v2' });
  assert.deepEqual(await host.caches(app).keys(), ['static-v1', 'static-v2']);
  await client.close();
});

test('events are numbered, and a poll abandoned at its timeout loses none', async () => {
  const client = await host.client(`${app}/`);
  await assert.rejects(client.nextEvent('message', { timeout: 50 }), /no message at client/);
  await client.postMessage('one');
  await client.postMessage('two');
  const first = await client.nextEvent('message');
  const second = await client.nextEvent('message');
  assert.deepEqual([first.data.echo, second.data.echo], ['one', 'two']);
  assert.equal(second.seq, first.seq + 1);
  await client.close();
});

test('the manual clock moves Date.now() in workers', async (t) => {
  if (!(await host.clock.available())) {
    t.skip('this swhost binary has no manual clock (GET /v1/clock answered 404)');
    return;
  }
  const before = Number(await (await host.fetch(`${app}/now`)).text());
  await host.clock.advance(2 * 24 * 3600e3);
  const later = Number(await (await host.fetch(`${app}/now`)).text());
  assert.ok(later - before >= 2 * 24 * 3600e3, `${later} - ${before}`);
});

test('errors carry the web exception name', async () => {
  await assert.rejects(host.register('https://app.test/missing-sw.js'), (err) => err instanceof SwhostError && err.errorName === 'TypeError' && /404/.test(err.message));
  await assert.rejects(host.registration(999), (err) => err.errorName === 'NotFoundError' && err.status === 404);
});

test('unregister', async () => {
  await host.unregister(reg);
  await events.waitFor((e) => e.type === 'lifecycle' && e.data.event === 'unregister');
  assert.deepEqual(await host.registrations(app), []);
});

test('an origin given as the URL of a running server (a dev server)', async () => {
  const dev = await serveDirectory(fixture);
  const other = await startHost({ origins: { 'https://dev.test': `http://127.0.0.1:${dev.address().port}` } });
  try {
    const r = await other.register('https://dev.test/sw.js');
    assert.equal(r.active.state, 'activated');
    assert.equal((await other.fetch('https://dev.test/app.js')).servedBy, 'fetch-event');
    assert.ok(dev.requests.some((q) => q.path === '/sw.js'));
    assert.throws(() => other.served('https://dev.test'), TypeError);
  } finally {
    await other.close();
    await new Promise((resolve) => dev.close(resolve));
  }
});

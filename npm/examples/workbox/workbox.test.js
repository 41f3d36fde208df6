// The Workbox example under swhost: precaching, offline navigation,
// runtime caching, expiration after the clock moves, the update flow and
// a push notification. Run: node --test workbox/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHost } from 'swhost';
import { build } from './build.mjs';

const app = 'https://app.test';
let dist, host, events, reg, manifest;

before(async () => {
  dist = mkdtempSync(path.join(os.tmpdir(), 'workbox-example-'));
  ({ manifest } = build(dist));
  host = await startHost({ origins: { [app]: dist } });
  events = host.events();
  reg = await host.register(`${app}/sw.js`, { scope: '/' });
});

after(async () => {
  await host?.close();
  if (dist) rmSync(dist, { recursive: true, force: true });
});

const fromNetwork = (p) => host.served(app).filter((r) => r.path === p).length;

test('install precaches the app shell', async () => {
  assert.equal(reg.active.state, 'activated');
  const caches = host.caches(app);
  const precache = (await caches.keys()).find((n) => n.startsWith('notes-precache-'));
  assert.ok(precache, 'a precache');
  for (const { url, revision } of manifest) {
    const hit = await caches.match(`${app}${url}?__WB_REVISION__=${revision}`, { cacheName: precache });
    assert.ok(hit, `${url} precached`);
  }
  assert.match(await (await caches.match(`${app}/index.html`, { ignoreSearch: true })).text(), /<h1>Notes<\/h1>/);
});

test('navigations work offline from the precached shell', async () => {
  await host.setOffline(app, true);
  try {
    const res = await host.fetch(`${app}/notes/42`, { client: `${app}/notes/42`, mode: 'navigate' });
    assert.equal(res.servedBy, 'fetch-event');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<h1>Notes<\/h1>/);
    assert.equal(fromNetwork('/notes/42'), 0);
  } finally {
    await host.setOffline(app, false);
  }
});

test('runtime caching: the API network first, images cache first', async () => {
  const api = await host.fetch(`${app}/api/notes.json`);
  assert.deepEqual(await api.json(), [{ id: 1, text: 'first note' }]);
  assert.equal(fromNetwork('/api/notes.json'), 1);
  await host.settled();
  await host.setOffline(app, true);
  try {
    const offline = await host.fetch(`${app}/api/notes.json`);
    assert.equal(offline.servedBy, 'fetch-event');
    assert.deepEqual(await offline.json(), [{ id: 1, text: 'first note' }]);
  } finally {
    await host.setOffline(app, false);
  }

  for (let i = 0; i < 2; i++) {
    const img = await host.fetch(`${app}/images/logo.svg`);
    assert.equal(img.status, 200);
    assert.match(await img.text(), /<circle/);
    // CacheFirst writes the cache after answering (event.waitUntil).
    await host.settled();
  }
  assert.equal(fromNetwork('/images/logo.svg'), 1, 'the second request came from the cache');
  assert.deepEqual(await host.caches(app).urls('images'), [`${app}/images/logo.svg`]);
});

test('images expire after a day (ExpirationPlugin, the manual clock)', async (t) => {
  if (!(await host.clock.available())) {
    t.skip('this swhost binary has no manual clock (GET /v1/clock answered 404)');
    return;
  }
  const now = await host.clock.now();
  const db = await host.indexedDB(app).dump('workbox-expiration');
  const entry = db.stores['cache-entries'].find((r) => r.value.url === `${app}/images/logo.svg`);
  assert.equal(entry.value.cacheName, 'images');
  assert.equal(entry.value.timestamp, now);

  await host.clock.advance(2 * 24 * 3600e3);
  const img = await host.fetch(`${app}/images/logo.svg`);
  assert.equal(img.status, 200);
  await img.text();
  await host.settled();
  assert.equal(fromNetwork('/images/logo.svg'), 2, 'the expired copy was not used');
});

test('update: the new version waits, SKIP_WAITING activates it, controllerchange', async () => {
  const client = await host.client(`${app}/`);
  assert.equal(client.controller, reg.id);
  await client.postMessage({ type: 'GET_VERSION' });
  assert.deepEqual(await client.nextMessage(), { version: '1' });

  build(dist, { version: '2', appJS: '// release 2\n' });
  const updated = await host.update(reg);
  assert.equal(updated.waiting?.state, 'installed', 'the new version waits for the open client');
  assert.equal(updated.active.scriptURL, `${app}/sw.js`);

  await client.postMessage({ type: 'SKIP_WAITING' }, { worker: 'waiting' });
  const change = await client.nextEvent('controllerchange');
  assert.equal(change.source, `${app}/sw.js`);
  await client.postMessage({ type: 'GET_VERSION' });
  assert.deepEqual(await client.nextMessage(), { version: '2' });
  const res = await host.fetch(`${app}/app.js`);
  assert.equal(await res.text(), '// release 2\n');
  await events.waitFor((e) => e.type === 'lifecycle' && e.data.event === 'state' && e.data.state === 'activated' && e.data.versionID === updated.waiting.id);
  await client.close();
});

test('a push shows a notification; clicking it opens the note', async () => {
  const out = await host.trigger(reg, 'push', { data: { title: 'New note', body: 'Buy milk', url: '/notes/7' } });
  assert.equal(out.outcome, 'fulfilled');
  assert.equal(out.notifications.length, 1);
  assert.equal(out.notifications[0].title, 'New note');
  assert.equal(out.notifications[0].body, 'Buy milk');
  const click = await host.trigger(reg, 'notificationclick', { notification: 'note' });
  assert.equal(click.outcome, 'fulfilled');
  assert.deepEqual(click.windows, [`${app}/notes/7`]);
});

// The Angular service worker (ngsw-worker.js, unchanged) under swhost:
// prefetching at install, offline navigation, data groups (freshness and
// performance), expiration after the clock moves, the app update flow and
// a worker update, push notifications. Run: node --test angular/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHost } from 'swhost';
import { build } from './build.mjs';

const app = 'https://app.test';
let dist, host, reg, client;

before(async () => {
  dist = mkdtempSync(path.join(os.tmpdir(), 'angular-example-'));
  build(dist);
  host = await startHost({ origins: { [app]: dist } });
  reg = await host.register(`${app}/ngsw-worker.js`, { scope: '/' });
  // ngsw initializes (fetches ngsw.json, prefetches) in a message event
  // its activate handler posts to itself: wait for that work to settle.
  await settle();
  client = await host.client(`${app}/`);
  // The page loads its script: ngsw assigns the client to the app version.
  await client.fetch(`${app}/main.js`);
});

after(async () => {
  await host?.close();
  if (dist) rmSync(dist, { recursive: true, force: true });
});

const fromNetwork = (p) => host.served(app).filter((r) => r.path === p).length;

// ngsw does its cache writes and update checks in "idle" tasks that run
// after 5 s without requests (event.waitUntil of a timer). With the
// manual clock the test moves time past that: it advances 5 s, then waits
// for the workers to settle; when they have not within 500 ms (the timer
// was set after the advance), it advances again. Without the manual clock
// settling waits the 5 s out.
async function settle() {
  if (!host.manualClock) return host.settled({ timeout: 30000 });
  for (let i = 0; ; i++) {
    await host.clock.advance(5000);
    try {
      return await host.settled({ timeout: 500 });
    } catch (err) {
      if (err.errorName !== 'TimeoutError' || i === 40) throw err;
    }
  }
}

/** The next message of a type; ngsw also broadcasts update checks. */
async function nextOfType(type) {
  for (;;) {
    const m = await client.nextMessage();
    if (process.env.DEBUG_NGSW) console.log('message', JSON.stringify(m));
    if (m.type === type) return m;
  }
}

test('the app group is prefetched at install', async () => {
  assert.deepEqual(host.served(app).map((r) => r.path.replace(/\?.*/, '')).sort(), ['/index.html', '/main.js', '/ngsw-worker.js', '/ngsw.json', '/styles.css']);
  const main = await host.fetch(`${app}/main.js`);
  assert.equal(main.servedBy, 'fetch-event');
  assert.equal(await main.text(), "console.log('news app, release 1');\n");
  const caches = host.caches(app);
  const appCache = (await caches.keys()).find((n) => n.endsWith(':assets:app:cache'));
  assert.ok(appCache, 'the app group cache');
  assert.deepEqual((await caches.urls(appCache)).sort(), [`${app}/index.html`, `${app}/main.js`, `${app}/styles.css`]);
  assert.equal(fromNetwork('/main.js'), 1, 'fetched once, by the prefetch');
});

test('navigations work offline (index.html from the prefetch)', async () => {
  await host.setOffline(app, true);
  try {
    const res = await host.fetch(`${app}/news/1`, { client: `${app}/news/1`, mode: 'navigate' });
    assert.equal(res.servedBy, 'fetch-event');
    assert.match(await res.text(), /<app-root>/);
  } finally {
    await host.setOffline(app, false);
  }
});

test('data groups: freshness falls back to the cache offline; performance serves the cache', async () => {
  assert.deepEqual(await (await host.fetch(`${app}/api/news.json`)).json(), [{ id: 1, title: 'swhost ships an npm package' }]);
  await settle();
  await host.setOffline(app, true);
  try {
    const res = await host.fetch(`${app}/api/news.json`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), [{ id: 1, title: 'swhost ships an npm package' }]);
  } finally {
    await host.setOffline(app, false);
  }

  for (let i = 0; i < 2; i++) {
    assert.deepEqual(await (await host.fetch(`${app}/api/config.json`)).json(), { theme: 'light' });
    await settle();
  }
  assert.equal(fromNetwork('/api/config.json'), 1, 'the second came from the cache');
});

test('the performance group expires after maxAge (the manual clock)', async (t) => {
  if (!(await host.clock.available())) {
    t.skip('this swhost binary has no manual clock (GET /v1/clock answered 404)');
    return;
  }
  await host.clock.advance(2 * 24 * 3600e3);
  assert.deepEqual(await (await host.fetch(`${app}/api/config.json`)).json(), { theme: 'light' });
  await settle();
  assert.equal(fromNetwork('/api/config.json'), 2, 'the copy older than a day was not used');
});

test('a push shows a notification and is broadcast to clients', async () => {
  const notification = { title: 'Breaking', body: 'swhost 0.1', data: { onActionClick: { default: { operation: 'openWindow', url: '/news/2' } } } };
  const out = await host.trigger(reg, 'push', { data: { notification } });
  assert.equal(out.outcome, 'fulfilled');
  assert.equal(out.notifications[0].title, 'Breaking');
  assert.equal(out.notifications[0].body, 'swhost 0.1');
  assert.deepEqual(await nextOfType('PUSH'), { type: 'PUSH', data: { notification } });
  const click = await host.trigger(reg, 'notificationclick', { notification: out.notifications[0].id });
  assert.deepEqual(click.windows, [`${app}/news/2`]);
  assert.equal((await nextOfType('NOTIFICATION_CLICK')).data.notification.title, 'Breaking');
});

test('app update: CHECK_FOR_UPDATES finds the new version, ACTIVATE_UPDATE moves the client', async () => {
  build(dist, { version: '2', mainJS: "console.log('news app, release 2');\n" });
  await client.postMessage({ action: 'CHECK_FOR_UPDATES', nonce: 1 });
  assert.equal((await nextOfType('VERSION_DETECTED')).version.appData.version, '2');
  const ready = await nextOfType('VERSION_READY');
  assert.deepEqual(ready.currentVersion.appData, { version: '1' });
  assert.deepEqual(ready.latestVersion.appData, { version: '2' });
  assert.deepEqual(await nextOfType('OPERATION_COMPLETED'), { type: 'OPERATION_COMPLETED', nonce: 1, result: true });
  await client.postMessage({ action: 'ACTIVATE_UPDATE', nonce: 2 });
  assert.deepEqual(await nextOfType('OPERATION_COMPLETED'), { type: 'OPERATION_COMPLETED', nonce: 2, result: true });
  // The page now gets the new version's files.
  const main = await client.fetch(`${app}/main.js`);
  assert.equal(await main.text(), "console.log('news app, release 2');\n");
});

test('worker update: the new ngsw-worker.js takes over, controllerchange', async () => {
  build(dist, { version: '2', mainJS: "console.log('news app, release 2');\n", workerSuffix: '\n// rebuilt\n' });
  const updated = await host.update(reg);
  assert.equal(updated.waiting, null, 'ngsw skips waiting');
  assert.notEqual(updated.active.id, reg.active.id);
  const change = await client.nextEvent('controllerchange');
  assert.equal(change.source, `${app}/ngsw-worker.js`);
});

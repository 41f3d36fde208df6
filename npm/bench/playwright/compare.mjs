// The Workbox example's checks (npm/examples/workbox) in headless Chromium
// through Playwright, timed, for comparison with the swhost test file.
// Not run by CI. Needs Debian's chromium (apt-get install chromium) and
// the examples' node_modules (cd npm/examples && npm ci):
//
//   cd npm/bench/playwright && npm ci && node compare.mjs [runs]
//
// Expiration (the clock does not reach service workers) and push (no push
// service) have no counterpart here.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serveDirectory } from '../../index.js';
import { build } from '../../examples/workbox/build.mjs';

async function once() {
  const t0 = performance.now();
  const dist = mkdtempSync(path.join(os.tmpdir(), 'workbox-pw-'));
  build(dist);
  const srv = await serveDirectory(dist);
  const origin = `http://localhost:${srv.address().port}`; // a secure context
  const fromNetwork = (p) => srv.requests.filter((r) => r.path === p).length;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const t1 = performance.now();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const t2 = performance.now();

    // Precache.
    const keys = await page.evaluate(() => caches.keys());
    assert.ok(keys.some((k) => k.startsWith('notes-precache-')), keys.join());

    // Offline navigation (the page must be controlled first: reload).
    await page.reload();
    await page.evaluate(() => navigator.serviceWorker.controller || new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r)));
    await context.setOffline(true);
    await page.goto(`${origin}/notes/42`);
    assert.equal(await page.textContent('h1'), 'Notes');
    await context.setOffline(false);

    // Runtime caching: images cache first.
    const before = fromNetwork('/images/logo.svg');
    for (let i = 0; i < 2; i++) {
      await page.evaluate(async () => (await fetch('/images/logo.svg?x')).text());
    }
    assert.ok(fromNetwork('/images/logo.svg?x') <= 1, 'cache first');
    void before;

    // Update: a new version waits; SKIP_WAITING; controllerchange.
    build(dist, { version: '2', appJS: '// release 2\n' });
    const version = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      await reg.update();
      const sw = reg.installing || reg.waiting;
      if (sw.state !== 'installed') await new Promise((r) => sw.addEventListener('statechange', () => sw.state === 'installed' && r()));
      const changed = new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r));
      reg.waiting.postMessage({ type: 'SKIP_WAITING' });
      await changed;
      return new Promise((r) => {
        navigator.serviceWorker.addEventListener('message', (e) => r(e.data.version), { once: true });
        navigator.serviceWorker.controller.postMessage({ type: 'GET_VERSION' });
      });
    });
    assert.equal(version, '2');
    const t3 = performance.now();
    return { launch: t1 - t0, firstActive: t2 - t1, checks: t3 - t2, total: t3 - t0 };
  } finally {
    await browser.close();
    await new Promise((r) => { srv.close(r); srv.closeAllConnections(); });
    rmSync(dist, { recursive: true, force: true });
  }
}

const runs = Number(process.argv[2] || 3);
const results = [];
for (let i = 0; i < runs; i++) results.push(await once());
const med = (k) => {
  const xs = results.map((r) => r[k]).sort((a, b) => a - b);
  return `${xs[Math.floor(xs.length / 2)].toFixed(0)} ms (min ${xs[0].toFixed(0)}, max ${xs[xs.length - 1].toFixed(0)})`;
};
console.log(`runs: ${runs}`);
console.log(`build, static server, chromium launched:  ${med('launch')}`);
console.log(`page loaded, worker active:               ${med('firstActive')}`);
console.log(`precache, offline navigation, cache-first, update flow: ${med('checks')}`);
console.log(`total:                                    ${med('total')}`);

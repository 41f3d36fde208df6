// Builds the Angular example into a directory: the app's files, Angular's
// ngsw-worker.js (unchanged, from e2e/testdata/realworld/angular) and the
// ngsw.json manifest that the Angular CLI's service-worker builder makes
// from ngsw-config.json (the same fields, each file's SHA-1 in hashTable).
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ngswWorker = path.join(here, '..', '..', '..', 'e2e', 'testdata', 'realworld', 'angular', 'ngsw-worker.js');

const ms = { d: 86400000, h: 3600000, m: 60000, s: 1000, u: 1 };
/** '1d', '1h30m', '5s' → ms, as ngsw-config durations. */
function duration(s) {
  let total = 0;
  for (const [, n, unit] of s.matchAll(/(\d+)([dhmsu])/g)) total += Number(n) * ms[unit];
  return total;
}

/**
 * A data group's URL of ngsw-config (only literal paths here) as
 * ngsw.json's regex, unanchored at the start as the CLI makes it: the
 * worker tests it against the request's whole URL.
 */
function pattern(url) {
  return url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Builds the app into out.
 * @param {string} out
 * @param {{version?: string, mainJS?: string, workerSuffix?: string}} [options]
 *   version: the manifest's appData.version; mainJS: replaces main.js (a
 *   new app version); workerSuffix: appended to ngsw-worker.js (a new
 *   Angular release changes the worker script)
 */
export function build(out, options = {}) {
  cpSync(path.join(here, 'src'), out, { recursive: true });
  if (options.mainJS) writeFileSync(path.join(out, 'main.js'), options.mainJS);
  cpSync(ngswWorker, path.join(out, 'ngsw-worker.js'));
  if (options.workerSuffix) appendFileSync(path.join(out, 'ngsw-worker.js'), options.workerSuffix);
  const config = JSON.parse(readFileSync(path.join(here, 'ngsw-config.json'), 'utf8'));
  const hashTable = {};
  const assetGroups = config.assetGroups.map((g) => {
    for (const f of g.resources.files) hashTable[f] = createHash('sha1').update(readFileSync(path.join(out, f))).digest('hex');
    return {
      name: g.name, installMode: g.installMode || 'prefetch', updateMode: g.updateMode || g.installMode || 'prefetch',
      cacheQueryOptions: { ignoreVary: true }, urls: g.resources.files, patterns: [],
    };
  });
  const dataGroups = config.dataGroups.map((g) => ({
    name: g.name, patterns: g.urls.map(pattern), strategy: g.cacheConfig.strategy, maxSize: g.cacheConfig.maxSize,
    maxAge: duration(g.cacheConfig.maxAge), ...(g.cacheConfig.timeout ? { timeoutMs: duration(g.cacheConfig.timeout) } : {}),
    version: 1, cacheOpaqueResponses: undefined, cacheQueryOptions: { ignoreVary: true },
  }));
  const manifest = {
    configVersion: 1, timestamp: 1700000000000, index: config.index, appData: { version: options.version || '1' },
    assetGroups, dataGroups, hashTable,
    navigationUrls: [
      { positive: true, regex: '^\\/.*$' },
      { positive: false, regex: '^\\/(?:.+\\/)?[^/]*\\.[^/]*$' },
    ],
    navigationRequestStrategy: 'performance',
  };
  writeFileSync(path.join(out, 'ngsw.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  build(process.argv[2] || path.join(here, 'dist'));
}

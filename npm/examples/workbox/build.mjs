// Builds the Workbox example into a directory: the app's files, Workbox's
// production builds from node_modules, and sw.js with the precache
// manifest injected (what workbox-build's injectManifest does: each
// file's URL and the MD5 of its content as its revision).
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const modules = ['workbox-core', 'workbox-routing', 'workbox-strategies', 'workbox-precaching', 'workbox-expiration'];
const precached = ['index.html', 'app.js', 'styles.css'];

/**
 * Builds the app into out.
 * @param {string} out
 * @param {{version?: string, appJS?: string}} [options] version: written into
 *   sw.js; appJS: replaces app.js (a new release changes the precache)
 */
export function build(out, options = {}) {
  mkdirSync(path.join(out, 'workbox'), { recursive: true });
  cpSync(path.join(here, 'src'), out, { recursive: true });
  if (options.appJS) writeFileSync(path.join(out, 'app.js'), options.appJS);
  for (const m of modules) {
    const file = path.join(path.dirname(require.resolve(`${m}/package.json`)), 'build', `${m}.prod.js`);
    cpSync(file, path.join(out, 'workbox', `${m}.prod.js`));
  }
  const manifest = precached.map((f) => ({
    url: '/' + f,
    revision: createHash('md5').update(readFileSync(path.join(out, f))).digest('hex'),
  }));
  const sw = readFileSync(path.join(here, 'src', 'sw.js'), 'utf8')
    .replace('self.__WB_MANIFEST', JSON.stringify(manifest))
    .replace('__VERSION__', options.version || '1');
  writeFileSync(path.join(out, 'sw.js'), sw);
  return { manifest, files: readdirSync(out) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  build(process.argv[2] || path.join(here, 'dist'));
}

// Service worker of the workbox workload under swhost (bench/edge/run.sh
// prepends MANIFEST, the precache manifest: each file's URL and the MD5 of
// its content, as workbox-build's injectManifest writes it). Workbox 7's
// production builds, loaded as workbox-sw loads them; every request is
// answered by precacheAndRoute's route from the precache.
importScripts(
  '/wb/workbox-core.prod.js',
  '/wb/workbox-routing.prod.js',
  '/wb/workbox-strategies.prod.js',
  '/wb/workbox-precaching.prod.js',
);
workbox.precaching.precacheAndRoute(MANIFEST);

// The app's service worker, on Workbox 7's production builds (loaded with
// importScripts from /workbox/, as workbox-sw would). build.mjs replaces the
// manifest placeholder with the precache manifest, as workbox-build's
// injectManifest does.
importScripts(
  '/workbox/workbox-core.prod.js',
  '/workbox/workbox-routing.prod.js',
  '/workbox/workbox-strategies.prod.js',
  '/workbox/workbox-precaching.prod.js',
  '/workbox/workbox-expiration.prod.js',
);

const { precacheAndRoute, cleanupOutdatedCaches, createHandlerBoundToURL } = workbox.precaching;
const { registerRoute, NavigationRoute } = workbox.routing;
const { CacheFirst, NetworkFirst } = workbox.strategies;
const { ExpirationPlugin } = workbox.expiration;

workbox.core.setCacheNameDetails({ prefix: 'notes' });
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

// Every navigation gets the precached app shell.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html')));

// Images: cache first, kept a day, 20 at most.
registerRoute(
  ({ request, url }) => url.pathname.startsWith('/images/'),
  new CacheFirst({
    cacheName: 'images',
    plugins: [new ExpirationPlugin({ maxAgeSeconds: 24 * 60 * 60, maxEntries: 20 })],
  }),
);

// The notes API: network first, the cached copy when offline.
registerRoute(({ url }) => url.pathname.startsWith('/api/'), new NetworkFirst({ cacheName: 'api' }));

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
  if (event.data && event.data.type === 'GET_VERSION') event.source.postMessage({ version: VERSION });
});

self.addEventListener('push', (event) => {
  const msg = event.data ? event.data.json() : { title: 'Notes' };
  event.waitUntil(self.registration.showNotification(msg.title, { body: msg.body, tag: 'note', data: { url: msg.url } }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});

const VERSION = '__VERSION__';

// A service worker as an application ships one: a precache of the app
// shell on install, the shell for offline navigations, a runtime cache
// of /api/ responses that expire after an hour (timestamps in
// IndexedDB, as workbox-expiration keeps them), a SKIP_WAITING message
// for the update prompt, and push notifications.
const VERSION = 'v1';
const PRECACHE = 'precache-' + VERSION;
const RUNTIME = 'runtime';
const MAX_AGE_MS = 60 * 60 * 1000;

addEventListener('install', (e) => {
  e.waitUntil(caches.open(PRECACHE).then((c) => c.addAll(['/', '/app.js'])));
});

addEventListener('activate', (e) => {
  e.waitUntil(caches.keys().then((names) =>
    Promise.all(names.filter((n) => n.startsWith('precache-') && n !== PRECACHE).map((n) => caches.delete(n)))));
});

addEventListener('message', (e) => {
  if (e.data && e.data.type === 'SKIP_WAITING') self.skipWaiting();
  if (e.data && e.data.type === 'VERSION') e.source.postMessage({ version: VERSION });
});

addEventListener('push', (e) => {
  e.waitUntil(self.registration.showNotification('New message', { body: e.data ? e.data.text() : '' }));
});

addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.mode === 'navigate') {
    e.respondWith(fetch(e.request).catch(() => caches.match('/')));
  } else if (url.pathname.startsWith('/api/')) {
    e.respondWith(fromRuntimeCache(e.request));
  } else {
    e.respondWith(caches.match(e.request).then((r) => r || fetch(e.request)));
  }
});

function openStamps() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('expiration', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('stamps');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function stamps(mode, f) {
  const db = await openStamps();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction('stamps', mode);
      const req = f(tx.objectStore('stamps'));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

async function fromRuntimeCache(request) {
  const cache = await caches.open(RUNTIME);
  const hit = await cache.match(request);
  if (hit) {
    const at = await stamps('readonly', (s) => s.get(request.url));
    if (at !== undefined && Date.now() - at <= MAX_AGE_MS) return hit;
    await cache.delete(request);
  }
  const response = await fetch(request);
  await cache.put(request, response.clone());
  await stamps('readwrite', (s) => s.put(Date.now(), request.url));
  return response;
}

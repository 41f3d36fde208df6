// The maps team's worker on https://app.test, scope {"path":"/maps/?*"}:
// /maps and everything under /maps/. Tiles are cached on first use.
// It also keeps a small IndexedDB database, maps-meta, for the devtools
// page's IndexedDB view to show.
self.addEventListener('install', event => {
  console.log('maps team worker installing');
  event.waitUntil(Promise.all([
    caches.open('maps-tiles-v1').then(cache => cache.add('/maps/tiles/0-0-0.txt')),
    seedMeta(),
  ]));
});

function openMeta() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('maps-meta', 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore('tiles', { keyPath: 'id' }).createIndex('by_zoom', 'zoom');
      db.createObjectStore('settings');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function seedMeta() {
  return openMeta().then(db => new Promise((resolve, reject) => {
    const tx = db.transaction(['tiles', 'settings'], 'readwrite');
    const tiles = tx.objectStore('tiles');
    for (let z = 2; z >= 0; z--) {
      for (let x = 0; x <= z; x++) tiles.put({ id: z + '-' + x + '-0', zoom: z, x, y: 0, fetched: new Date(Date.UTC(2024, 0, 1 + z)) });
    }
    const settings = tx.objectStore('settings');
    settings.put('dark', 'theme');
    settings.put(new Map([['lat', 48.85], ['lng', 2.35]]), 'center');
    settings.put({ note: '<b>shown as text</b>', zoomLevels: new Set([0, 1, 2]), tileSize: 256n }, 'about');
    tx.oncomplete = () => { db.close(); resolve(); };
    tx.onabort = () => reject(tx.error);
  }));
}
self.addEventListener('fetch', event => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/maps/tiles/')) {
    event.respondWith(caches.open('maps-tiles-v1').then(cache => cache.match(event.request).then(hit => {
      if (hit) return hit;
      return fetch(event.request).then(resp => { cache.put(event.request, resp.clone()); return resp; });
    })));
    return;
  }
  event.respondWith(new Response('maps team worker answered ' + url.pathname + ' (scope {"path":"/maps/?*"})',
    { headers: { 'Content-Type': 'text/plain; charset=utf-8' } }));
});

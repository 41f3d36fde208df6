// No fetch handler: every request goes to the network.
self.addEventListener('install', e => e.waitUntil(Promise.resolve()));
self.addEventListener('activate', () => {});

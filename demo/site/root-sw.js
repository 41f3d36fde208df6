// The root team's worker on https://app.test, scope {"path":"/"}: it
// controls the home page "/" exactly, nothing under it. It answers the
// home page itself and lets every other request of its page (other
// paths, other origins such as fonts.test) go on to the next layer.
self.addEventListener('install', () => console.log('root team worker installed'));
self.addEventListener('fetch', event => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || url.pathname !== '/') return;
  event.respondWith(new Response('root team worker answered / (scope {"path":"/"} matches "/" only)',
    { headers: { 'Content-Type': 'text/plain; charset=utf-8' } }));
});
// A push message shows a notification (try the devtools page's Push
// button, swhost trigger push, or POST to the subscription's endpoint);
// a click on it opens the home page.
self.addEventListener('push', event => {
  const text = event.data ? event.data.text() : 'no data';
  event.waitUntil(self.registration.showNotification('app.test', { body: text, tag: 'demo', data: { url: '/' } }));
});
self.addEventListener('notificationclick', event => {
  event.notification.close();
  event.waitUntil(clients.openWindow(event.notification.data.url));
});

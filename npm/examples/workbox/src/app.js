// The page: registers the worker and, when a new version waits, asks it
// to take over (what workbox-window's messageSkipWaiting does).
const reg = await navigator.serviceWorker.register('/sw.js');
reg.addEventListener('updatefound', () => {
  const next = reg.installing;
  next.addEventListener('statechange', () => {
    if (next.state === 'installed' && navigator.serviceWorker.controller) next.postMessage({ type: 'SKIP_WAITING' });
  });
});
navigator.serviceWorker.addEventListener('controllerchange', () => location.reload());

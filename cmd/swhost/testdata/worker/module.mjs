import { greeting } from './module-lib.mjs';
addEventListener('fetch', (e) => e.respondWith(new Response(greeting(new URL(e.request.url).pathname))));

self.addEventListener('fetch', e => e.respondWith(new Response('other.test worker')));

// Compiled (not run) by CI: the package's index.d.ts against the calls
// the README shows.
import { startHost, SwhostError, type Registration, type HostResponse } from 'swhost';
const host = await startHost({ origins: { 'https://app.test': './dist' } });
const reg: Registration = await host.register('https://app.test/sw.js', { scope: '/', type: 'classic' });
const res: HostResponse = await host.fetch('https://app.test/index.html', { client: 'https://app.test/', mode: 'navigate' });
const layer: string = res.servedBy;
await host.setOffline('https://app.test', true);
await host.clock.advance(2 * 24 * 3600e3);
const names: string[] = await host.caches('https://app.test').keys();
const entry = await host.caches('https://app.test').match('https://app.test/app.js');
const text: string | undefined = await entry?.text();
const db = await host.indexedDB('https://app.test').dump('workbox-expiration');
const out = await host.trigger(reg, 'push', { data: 'hi' });
const o: string = out.outcome;
const client = await host.client('https://app.test/');
await client.postMessage({ type: 'SKIP_WAITING' }, { worker: 'waiting' });
const m = await client.nextMessage();
await host.update(reg); await host.unregister(reg);
const ev = host.events();
await ev.waitFor('lifecycle');
for await (const e of ev) { const t: string = e.type; break; }
try { await host.registration(9); } catch (e) { if (e instanceof SwhostError) { const n: string = e.errorName; } }
await host.close();
console.log(layer, names, text, db.stores, o, m);

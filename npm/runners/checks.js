// The checks both runners make, against the package's own fixture worker
// (../test/fixture): precache at install, an offline navigation answered
// from the cache, the manual clock inside the worker, a push notification
// and a message round trip. Each runner file wraps them in its own test
// and expect.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHost } from 'swhost';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixture');
const app = 'https://app.test';

export async function runChecks(expectEqual) {
  const host = await startHost({ origins: { [app]: fixture } });
  try {
    const reg = await host.register(`${app}/sw.js`, { scope: '/' });
    expectEqual(reg.active.state, 'activated');
    expectEqual((await host.caches(app).keys()).includes('static-v1'), true);

    await host.setOffline(app, true);
    const page = await host.fetch(`${app}/`, { client: `${app}/`, mode: 'navigate' });
    expectEqual(page.status, 200);
    expectEqual(page.servedBy.startsWith('fetch-event'), true);
    await host.setOffline(app, false);

    const before = Number(await (await host.fetch(`${app}/now`, { client: `${app}/` })).text());
    await host.clock.advance(3600e3);
    const after = Number(await (await host.fetch(`${app}/now`, { client: `${app}/` })).text());
    expectEqual(after - before >= 3600e3, true);

    const out = await host.trigger(reg, 'push', { data: 'hi' });
    expectEqual(out.outcome, 'fulfilled');
    expectEqual(out.notifications[0].body, 'hi');

    const client = await host.client(`${app}/`);
    await client.postMessage({ ping: 1 });
    const reply = await client.nextMessage();
    expectEqual(reply.echo.ping, 1);
  } finally {
    await host.close();
  }
}

import { test, expect } from 'vitest';
import { runChecks } from '../checks.js';

test('a service worker under Vitest: precache, offline, clock, push, messages', async () => {
  await runChecks((got, want) => expect(got).toEqual(want));
}, 60_000);

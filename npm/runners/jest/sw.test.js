import { test, expect } from '@jest/globals';
import { runChecks } from '../checks.js';

test('a service worker under Jest: precache, offline, clock, push, messages', async () => {
  await runChecks((got, want) => expect(got).toEqual(want));
}, 60_000);

// Host start-up to the first register resolving, and to close, over N
// runs (default 10): node bench/startup.mjs [N]. Uses test/fixture (a
// worker that precaches two files and opens IndexedDB on activate).
// Figures in docs/benchmarks.md ("npm package").
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHost } from '../index.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixture');
const n = Number(process.argv[2] || 10);
const start = [], register = [], total = [], close = [];
for (let i = 0; i < n; i++) {
  const t0 = performance.now();
  const host = await startHost({ origins: { 'https://app.test': fixture } });
  const t1 = performance.now();
  await host.register('https://app.test/sw.js', { scope: '/' });
  const t2 = performance.now();
  await host.close();
  const t3 = performance.now();
  start.push(t1 - t0); register.push(t2 - t1); total.push(t2 - t0); close.push(t3 - t2);
}
const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(0)} ms, min ${s[0].toFixed(0)}, max ${s[s.length - 1].toFixed(0)}`;
};
console.log(`runs: ${n}`);
console.log(`startHost (serve running, admin API answering): ${stat(start)}`);
console.log(`first register resolving (installed and active):  ${stat(register)}`);
console.log(`start-up to first register:                       ${stat(total)}`);
console.log(`close:                                            ${stat(close)}`);

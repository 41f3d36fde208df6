// node.mjs times the kernels of kernels.js on items.json in Node: the
// peer of worker's BenchmarkKernels (the router is left out: Node 20 has
// no URLPattern). Usage: node bench/edge/workloads/node.mjs [iterations]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const k = new Function(readFileSync(join(here, 'kernels.js'), 'utf8') + '; return { jsonTransform, renderHTML };')();
const items = readFileSync(join(here, 'items.json'), 'utf8');
const n = Number(process.argv[2] || 2000);
for (const [name, fn] of [['json', k.jsonTransform], ['html', k.renderHTML]]) {
  for (let i = 0; i < n; i++) fn(items); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(items);
  const ns = Number(process.hrtime.bigint() - t0) / n;
  console.log(`node ${name} ${(ns / 1000).toFixed(1)} µs/op`);
}

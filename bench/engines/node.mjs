// Node's side of the engine comparison (see doc.go): the same harness.js,
// kernels and arguments as engines_test.go, in V8.
//
//   node node.mjs outputs        each kernel's results as JSON (testdata/node-outputs.json)
//   node --expose-gc node.mjs bench [N]
//                                N timed calls per kernel (default 1000) after 200
//                                warm-up calls, the cost of a new context (bare, with
//                                kernels.js, with harness.js) and its memory, printed as Go benchmark lines
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const here = dirname(fileURLToPath(import.meta.url));
const read = (p) => readFileSync(join(here, p), 'utf8');

// The placeholders are replaced by functions so that `$` in the files is
// taken literally, as Go's strings.Replace does.
const src = read('testdata/harness.js')
  .replace('/*@WHATWG_URL@*/', () => read('testdata/whatwg-url-minimum/whatwg-url-minimum.lowered.js'))
  .replace('/*@URLPATTERN@*/', () => read('testdata/urlpattern-polyfill/urlpattern.lowered.cjs'))
  .replace('/*@KERNELS@*/', () => read('../edge/workloads/kernels.js'));

const items = read('../edge/workloads/items.json');
const kernels = [
  { fn: 'jsonTransform', args: [items] },
  { fn: 'renderHTML', args: [items] },
  { fn: 'route', args: JSON.parse(read('testdata/urls.json')) },
];

// A fresh context per use, so nothing of Node's own globals but the
// ECMAScript built-ins is reached (the harness passes its own URL).
function ready() {
  const ctx = vm.createContext({});
  vm.runInContext(src, ctx, { filename: 'harness.js' });
  return ctx;
}

const mode = process.argv[2];
if (mode === 'outputs') {
  const ctx = ready();
  const out = {};
  for (const k of kernels) out[k.fn] = k.args.map((a) => ctx[k.fn](a));
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
} else if (mode === 'bench') {
  const n = Number(process.argv[3] || 1000);
  const name = `node-${process.versions.node}`;
  const ctx = ready();
  for (const k of kernels) {
    const f = ctx[k.fn];
    const m = k.args.length;
    for (let i = 0; i < 200; i++) f(k.args[i % m]);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f(k.args[i % m]);
    const ns = Number(process.hrtime.bigint() - t0) / n;
    console.log(`BenchmarkKernels/${k.fn}/${name} \t${n}\t${ns.toFixed(0)} ns/op`);
  }
  const kernelsSrc = read('../edge/workloads/kernels.js');
  const news = [
    ['bare', () => vm.createContext({})],
    ['kernels', () => vm.runInContext(kernelsSrc, vm.createContext({}), { filename: 'kernels.js' })],
    ['harness', ready],
  ];
  for (const [what, f] of news) {
    const r = 20;
    for (let i = 0; i < 3; i++) f();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < r; i++) f();
    const ns = Number(process.hrtime.bigint() - t0) / r;
    console.log(`BenchmarkNew/${name}/${what} \t${r}\t${ns.toFixed(0)} ns/op`);
  }
  // As BenchmarkMemory: 10 ready contexts kept, what each adds to the
  // resident set and to V8's heap, after a collection when --expose-gc.
  const gc = () => { for (let i = 0; i < 4; i++) globalThis.gc?.(); };
  gc();
  const m0 = process.memoryUsage();
  const keep = [];
  for (let i = 0; i < 10; i++) keep.push(ready());
  gc();
  const m1 = process.memoryUsage();
  console.log(`BenchmarkMemory/${name} \t1\t0 ns/op\t${((m1.rss - m0.rss) / 10).toFixed(0)} rss-B/rt\t${((m1.heapUsed - m0.heapUsed) / 10).toFixed(0)} heap-B/rt`);
} else {
  console.error('usage: node node.mjs outputs | bench [N]');
  process.exit(2);
}

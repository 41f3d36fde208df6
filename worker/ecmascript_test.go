package worker

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/sw"
)

// How an ECMAScript feature runs in a worker.
const (
	native      = "native"      // sobek runs it as written
	lowered     = "lowered"     // esbuild rewrites it at compile time (lower.go)
	polyfilled  = "polyfilled"  // js/05_ecmascript.js adds it
	unsupported = "unsupported" // it does not run: a compile error, an exception or a wrong result
)

// ecmaFeature is one feature flag of test262's features.txt, with a
// snippet that uses it: the snippet defines async function test(), whose
// result, as a string, must be want.
type ecmaFeature struct {
	feature string // test262's flag
	edition string // the ECMA-262 edition that has it, or "stage 3"
	module  bool   // the snippet is a module worker's main module
	status  string // what TestECMAScriptFeatures finds
	note    string
	src     string
	want    string
}

// ecmaFeatures covers test262's features.txt: every ECMA-262 flag but
// those of the test harness (IsHTMLDDA, cross-realm, host-gc-required),
// and none of ECMA-402's (Intl.*, see docs/intl.md). Flags that name one
// method of a larger feature (DataView.prototype.getInt8, ...) are
// represented by their feature.
var ecmaFeatures = []ecmaFeature{
	// ES2015
	{feature: "arrow-function", edition: "ES2015", status: native, src: `async function test() { return [1, 2].map((x) => x * 2).join(); }`, want: "2,4"},
	{feature: "class", edition: "ES2015", status: native, src: `class A { m() { return 1; } } class B extends A { m() { return super.m() + 1; } } async function test() { return new B().m(); }`, want: "2"},
	{feature: "computed-property-names", edition: "ES2015", status: native, src: `async function test() { return { ['a' + 1]: 2 }.a1; }`, want: "2"},
	{feature: "const", edition: "ES2015", status: native, src: `async function test() { const a = 1; try { eval('a = 2'); } catch (e) { return e.name; } }`, want: "TypeError"},
	{feature: "let", edition: "ES2015", status: native, src: `async function test() { let a = 1; { let a = 2; } return a; }`, want: "1"},
	{feature: "default-parameters", edition: "ES2015", status: native, src: `function f(a, b = a + 1) { return b; } async function test() { return f(1); }`, want: "2"},
	{feature: "destructuring-assignment", edition: "ES2015", status: native, src: `async function test() { let a, b; [a, b] = [1, 2]; ({ a } = { a: 3 }); return a + b; }`, want: "5"},
	{feature: "destructuring-binding", edition: "ES2015", status: native, src: `async function test() { const { a, b: [c] } = { a: 1, b: [2] }; return a + c; }`, want: "3"},
	{feature: "for-of", edition: "ES2015", status: native, src: `async function test() { let s = 0; for (const x of new Set([1, 2])) s += x; return s; }`, want: "3"},
	{feature: "generators", edition: "ES2015", status: native, src: `function* g() { yield 1; yield* [2, 3]; } async function test() { return [...g()].join(); }`, want: "1,2,3"},
	{feature: "new.target", edition: "ES2015", status: native, src: `function F() { return { t: new.target === F }; } async function test() { return new F().t; }`, want: "true"},
	{feature: "rest-parameters", edition: "ES2015", status: native, src: `function f(a, ...r) { return r.length; } async function test() { return f(1, 2, 3); }`, want: "2"},
	{feature: "super", edition: "ES2015", status: native, src: `const o = { __proto__: { f() { return 1; } }, f() { return super.f() + 1; } }; async function test() { return o.f(); }`, want: "2"},
	{feature: "template", edition: "ES2015", status: native, src: "function tag(s, v) { return s.raw[0] + v; } async function test() { return tag`a\\n${1}`; }", want: `a\n1`},
	{feature: "Symbol", edition: "ES2015", status: native, src: `async function test() { const s = Symbol('x'); return typeof s + ({ [s]: 1 })[s]; }`, want: "symbol1"},
	{feature: "Symbol.hasInstance", edition: "ES2015", status: native, src: `const Even = { [Symbol.hasInstance]: (n) => n % 2 === 0 }; async function test() { return 2 instanceof Even; }`, want: "true"},
	{feature: "Symbol.isConcatSpreadable", edition: "ES2015", status: native, src: `async function test() { return [].concat({ length: 1, 0: 'a', [Symbol.isConcatSpreadable]: true }).join(); }`, want: "a"},
	{feature: "Symbol.iterator", edition: "ES2015", status: native, src: `const it = { *[Symbol.iterator]() { yield 1; } }; async function test() { return [...it].length; }`, want: "1"},
	{feature: "Symbol.match", edition: "ES2015", status: native, src: `async function test() { return 'abc'.match({ [Symbol.match]: () => 'm' }); }`, want: "m"},
	{feature: "Symbol.replace", edition: "ES2015", status: native, src: `async function test() { return 'abc'.replace({ [Symbol.replace]: () => 'r' }, ''); }`, want: "r"},
	{feature: "Symbol.search", edition: "ES2015", status: native, src: `async function test() { return 'abc'.search({ [Symbol.search]: () => 7 }); }`, want: "7"},
	{feature: "Symbol.split", edition: "ES2015", status: native, src: `async function test() { return 'abc'.split({ [Symbol.split]: () => 's' }); }`, want: "s"},
	{feature: "Symbol.species", edition: "ES2015", status: native, src: `class A extends Array { static get [Symbol.species]() { return Array; } } async function test() { return new A(1, 2).map((x) => x).constructor === Array; }`, want: "true"},
	{feature: "Symbol.toPrimitive", edition: "ES2015", status: native, src: `async function test() { return +{ [Symbol.toPrimitive]: () => 5 }; }`, want: "5"},
	{feature: "Symbol.toStringTag", edition: "ES2015", status: native, src: `async function test() { return String({ [Symbol.toStringTag]: 'T' }); }`, want: "[object T]"},
	{feature: "Symbol.unscopables", edition: "ES2015", status: native, src: `async function test() { return Array.prototype[Symbol.unscopables].flat; }`, want: "true"},
	{feature: "Map", edition: "ES2015", status: native, src: `async function test() { return new Map([[1, 'a']]).get(1); }`, want: "a"},
	{feature: "Set", edition: "ES2015", status: native, src: `async function test() { return new Set([1, 1, 2]).size; }`, want: "2"},
	{feature: "WeakMap", edition: "ES2015", status: native, src: `async function test() { const k = {}; return new WeakMap([[k, 1]]).get(k); }`, want: "1"},
	{feature: "WeakSet", edition: "ES2015", status: native, src: `async function test() { const k = {}; return new WeakSet([k]).has(k); }`, want: "true"},
	{feature: "Proxy", edition: "ES2015", status: native, src: `async function test() { return new Proxy({}, { get: (t, k) => k }).x; }`, want: "x"},
	{feature: "Reflect", edition: "ES2015", status: native, src: `async function test() { return Reflect.ownKeys({ a: 1, [Symbol.iterator]: 0 }).length; }`, want: "2"},
	{feature: "Reflect.construct", edition: "ES2015", status: native, src: `class A {} class B {} async function test() { return Reflect.construct(A, [], B) instanceof B; }`, want: "true"},
	{feature: "Reflect.set", edition: "ES2015", status: native, src: `async function test() { const o = {}; return Reflect.set(o, 'a', 1) && o.a; }`, want: "1"},
	{feature: "Reflect.setPrototypeOf", edition: "ES2015", status: native, src: `async function test() { return Reflect.setPrototypeOf({}, null); }`, want: "true"},
	{feature: "ArrayBuffer", edition: "ES2015", status: native, src: `async function test() { return new ArrayBuffer(8).slice(2).byteLength; }`, want: "6"},
	{feature: "DataView", edition: "ES2015", status: native, note: "with every DataView.prototype.get*/set* flag", src: `async function test() { const d = new DataView(new ArrayBuffer(8)); d.setFloat64(0, 1.5); return d.getFloat64(0) + d.getInt8(0); }`, want: "64.5"},
	{feature: "TypedArray", edition: "ES2015", status: native, note: "with Int8Array ... Float64Array, Uint8ClampedArray", src: `async function test() { return [new Int8Array([200])[0], new Uint8ClampedArray([300])[0], new Float32Array([0.5])[0]].join(); }`, want: "-56,255,0.5"},
	{feature: "String.fromCodePoint", edition: "ES2015", status: native, src: `async function test() { return String.fromCodePoint(0x1f600).length; }`, want: "2"},
	{feature: "String.prototype.includes", edition: "ES2015", status: native, note: "and String.prototype.endsWith", src: `async function test() { return 'abc'.includes('b') && 'abc'.endsWith('c'); }`, want: "true"},
	{feature: "Array.prototype.values", edition: "ES2015", status: native, src: `async function test() { return [...[1, 2].values()].join(); }`, want: "1,2"},
	{feature: "Object.is", edition: "ES2015", status: native, src: `async function test() { return Object.is(NaN, NaN) && !Object.is(0, -0); }`, want: "true"},
	{feature: "u180e", edition: "ES2015", status: native, src: `async function test() { return '\u180e'.trim().length; }`, want: "1"},
	{feature: "__proto__", edition: "ES2015 (Annex B)", status: native, src: `async function test() { return Object.getPrototypeOf({ __proto__: Array.prototype }) === Array.prototype; }`, want: "true"},
	{feature: "__getter__", edition: "ES2017 (Annex B)", status: unsupported, note: "__defineGetter__, __lookupGetter__ and their setter twins are missing", src: `async function test() { const o = {}; o.__defineGetter__('a', () => 1); return o.a; }`, want: "1"},
	{feature: "tail-call-optimization", edition: "ES2015", status: unsupported, note: "no engine but JavaScriptCore has it", src: `'use strict'; function f(n) { return n === 0 ? 'done' : f(n - 1); } async function test() { return f(100000); }`, want: "done"},
	{feature: "legacy-regexp", edition: "stage 3", status: unsupported, note: "RegExp.$1 and friends", src: `async function test() { /(a)/.test('a'); return RegExp.$1; }`, want: "a"},
	// ES2016-ES2019
	{feature: "Array.prototype.includes", edition: "ES2016", status: native, src: `async function test() { return [NaN].includes(NaN); }`, want: "true"},
	{feature: "async-functions", edition: "ES2017", status: native, src: `async function test() { return await Promise.resolve(1) + 1; }`, want: "2"},
	{feature: "SharedArrayBuffer", edition: "ES2017", status: unsupported, note: "a worker shares no memory", src: `async function test() { return new SharedArrayBuffer(8).byteLength; }`, want: "8"},
	{feature: "Atomics", edition: "ES2017", status: unsupported, src: `async function test() { return Atomics.add(new Int32Array(1), 0, 1); }`, want: "0"},
	{feature: "async-iteration", edition: "ES2018", status: lowered, note: "async generators and for await, by esbuild; they are not AsyncGenerator objects (no %AsyncGeneratorPrototype%)", src: `async function* gen() { yield 1; yield* [2, 3]; } async function test() { let s = ''; for await (const x of gen()) s += x; return s; }`, want: "123"},
	{feature: "Symbol.asyncIterator", edition: "ES2018", status: polyfilled, src: `const it = { [Symbol.asyncIterator]() { return { next: async () => ({ value: 'a', done: false }) }; } }; async function test() { return typeof Symbol.asyncIterator + String(Symbol.asyncIterator.description) + (await it[Symbol.asyncIterator]().next()).value; }`, want: "symbolSymbol.asyncIteratora"},
	{feature: "object-rest", edition: "ES2018", status: native, src: `async function test() { const { a, ...r } = { a: 1, b: 2, c: 3 }; return Object.keys(r).join(); }`, want: "b,c"},
	{feature: "object-spread", edition: "ES2018", status: native, src: `async function test() { return JSON.stringify({ ...{ a: 1 }, b: 2 }); }`, want: `{"a":1,"b":2}`},
	{feature: "Promise.prototype.finally", edition: "ES2018", status: native, src: `async function test() { let f = 0; await Promise.resolve().finally(() => { f = 1; }); return f; }`, want: "1"},
	{feature: "regexp-dotall", edition: "ES2018", status: native, src: `async function test() { return /a.b/s.test('a\nb'); }`, want: "true"},
	{feature: "regexp-lookbehind", edition: "ES2018", status: native, src: `async function test() { return 'xab'.replace(/(?<=a)b/, 'c'); }`, want: "xac"},
	{feature: "regexp-named-groups", edition: "ES2018", status: unsupported, note: "the syntax parses, but match results have no groups", src: `async function test() { return '2024'.match(/(?<y>\d+)/).groups.y; }`, want: "2024"},
	{feature: "regexp-unicode-property-escapes", edition: "ES2018", status: lowered, note: "a literal becomes a RegExp call; RegExp spells \\p{...} out as a class of code points (js/05_regexp.js)", src: `async function test() { return /\p{L}/u.test('a'); }`, want: "true"},
	{feature: "Array.prototype.flat", edition: "ES2019", status: native, note: "and Array.prototype.flatMap", src: `async function test() { return [[1, [2]], [3]].flat(Infinity).join() + [1].flatMap((x) => [x, x]).join(); }`, want: "1,2,31,1"},
	{feature: "Object.fromEntries", edition: "ES2019", status: native, src: `async function test() { return Object.fromEntries([['a', 1]]).a; }`, want: "1"},
	{feature: "string-trimming", edition: "ES2019", status: native, note: "String.prototype.trimStart and trimEnd", src: `async function test() { return '[' + ' a '.trimStart() + '|' + ' a '.trimEnd() + ']'; }`, want: "[a | a]"},
	{feature: "Symbol.prototype.description", edition: "ES2019", status: native, src: `async function test() { return Symbol('d').description; }`, want: "d"},
	{feature: "optional-catch-binding", edition: "ES2019", status: native, src: `async function test() { try { throw 1; } catch { return 'caught'; } }`, want: "caught"},
	{feature: "json-superset", edition: "ES2019", status: native, src: "async function test() { return eval(\"'\u2028'\").length; }", want: "1"},
	{feature: "well-formed-json-stringify", edition: "ES2019", status: native, src: `async function test() { return JSON.stringify('\ud800'); }`, want: `"\ud800"`},
	// ES2020
	{feature: "BigInt", edition: "ES2020", status: native, src: `async function test() { return (2n ** 64n).toString(); }`, want: "18446744073709551616"},
	{feature: "globalThis", edition: "ES2020", status: native, src: `async function test() { return globalThis.Array === Array; }`, want: "true"},
	{feature: "optional-chaining", edition: "ES2020", status: native, src: `async function test() { const o = { a: { b: 1 } }; return o?.a?.b + String(o.x?.y) + String(o.f?.()); }`, want: "1undefinedundefined"},
	{feature: "coalesce-expression", edition: "ES2020", status: native, src: `async function test() { return (null ?? 'd') + (0 ?? 'd'); }`, want: "d0"},
	{feature: "Promise.allSettled", edition: "ES2020", status: native, src: `async function test() { return (await Promise.allSettled([Promise.reject(1)]))[0].status; }`, want: "rejected"},
	{feature: "String.prototype.matchAll", edition: "ES2020", status: native, note: "and Symbol.matchAll", src: `async function test() { return [...'a1b2'.matchAll(/\d/g)].join(); }`, want: "1,2"},
	{feature: "dynamic-import", edition: "ES2020", status: unsupported, note: "service workers may not import() (HTML); modules import statically", src: `async function test() { return (await import('./dep.js')).a; }`, want: "1"},
	{feature: "import.meta", edition: "ES2020", module: true, status: unsupported, note: "import.meta is an empty object (no url)", src: `export {}; async function test() { return import.meta.url; }`, want: "https://app.test/sw.mjs"},
	{feature: "export-star-as-namespace-from-module", edition: "ES2020", module: true, status: native, src: `import { ns } from './reexport.js'; async function test() { return ns.a; }`, want: "1"},
	{feature: "for-in-order", edition: "ES2020", status: native, src: `async function test() { const o = { b: 1, 2: 1, a: 1, 1: 1 }; const k = []; for (const x in o) k.push(x); return k.join(); }`, want: "1,2,b,a"},
	// ES2021
	{feature: "logical-assignment-operators", edition: "ES2021", status: native, src: `async function test() { let a = null, b = 1, c = 0; a ??= 'x'; b &&= 'y'; c ||= 'z'; return a + b + c; }`, want: "xyz"},
	{feature: "numeric-separator-literal", edition: "ES2021", status: native, src: `async function test() { return 1_000_000; }`, want: "1000000"},
	{feature: "Promise.any", edition: "ES2021", status: native, note: "and AggregateError", src: `async function test() { try { await Promise.any([Promise.reject(1)]); } catch (e) { return e.constructor.name + e.errors.length; } }`, want: "AggregateError1"},
	{feature: "String.prototype.replaceAll", edition: "ES2021", status: native, src: `async function test() { return 'aa'.replaceAll('a', 'b'); }`, want: "bb"},
	{feature: "WeakRef", edition: "ES2021", status: unsupported, src: `async function test() { const o = {}; return new WeakRef(o).deref() === o; }`, want: "true"},
	{feature: "FinalizationRegistry", edition: "ES2021", status: unsupported, src: `async function test() { return typeof new FinalizationRegistry(() => {}).register; }`, want: "function"},
	// ES2022
	{feature: "class-fields-public", edition: "ES2022", status: native, src: `class A { x = 1; } async function test() { return new A().x; }`, want: "1"},
	{feature: "class-fields-private", edition: "ES2022", status: native, src: `class A { #x = 1; get x() { return this.#x; } } async function test() { return new A().x; }`, want: "1"},
	{feature: "class-static-fields-public", edition: "ES2022", status: native, src: `class A { static x = 'A' + this.name; } async function test() { return A.x; }`, want: "AA"},
	{feature: "class-static-fields-private", edition: "ES2022", status: native, src: `class A { static #x = 2; static x() { return A.#x; } } async function test() { return A.x(); }`, want: "2"},
	{feature: "class-methods-private", edition: "ES2022", status: native, note: "and private accessors", src: `class A { #m() { return 1; } get #g() { return 2; } x() { return this.#m() + this.#g; } } async function test() { return new A().x(); }`, want: "3"},
	{feature: "class-static-methods-private", edition: "ES2022", status: native, src: `class A { static #m() { return 3; } static x() { return A.#m(); } } async function test() { return A.x(); }`, want: "3"},
	{feature: "class-fields-private-in", edition: "ES2022", status: native, src: `class A { #x; static has(o) { return #x in o; } } async function test() { return A.has(new A()) + ',' + A.has({}); }`, want: "true,false"},
	{feature: "class-static-block", edition: "ES2022", status: native, src: `class A { static x; static { A.x = 'set'; } } async function test() { return A.x; }`, want: "set"},
	{feature: "top-level-await", edition: "ES2022", module: true, status: native, note: "when it settles during the evaluation; an await still pending after it fails the worker with a TypeError (service workers may not wait at top level)", src: `const v = await Promise.resolve(1); async function test() { return v; }`, want: "1"},
	{feature: "Object.hasOwn", edition: "ES2022", status: native, src: `async function test() { return Object.hasOwn({ a: 1 }, 'a'); }`, want: "true"},
	{feature: "Array.prototype.at", edition: "ES2022", status: native, note: "and String.prototype.at, TypedArray.prototype.at", src: `async function test() { return [1, 2].at(-1) + 'ab'.at(-1) + new Uint8Array([7]).at(0); }`, want: "2b7"},
	{feature: "error-cause", edition: "ES2022", status: native, src: `async function test() { return new Error('m', { cause: 'c' }).cause; }`, want: "c"},
	{feature: "regexp-match-indices", edition: "ES2022", status: unsupported, note: "the d flag: a literal becomes a RegExp call, which throws a SyntaxError when it runs", src: `async function test() { return /b/d.exec('ab').indices[0][0]; }`, want: "1"},
	// ES2023
	{feature: "array-find-from-last", edition: "ES2023", status: native, src: `async function test() { return [1, 2, 3].findLast((x) => x < 3) + [1, 2].findLastIndex((x) => x === 1); }`, want: "2"},
	{feature: "change-array-by-copy", edition: "ES2023", status: native, src: "async function test() { const a = [3, 1, 2]; return a.toSorted().join() + a.toReversed().join() + a.toSpliced(0, 1).join() + a.with(0, 9).join() + a.join(); }", want: "1,2,32,1,31,29,1,23,1,2"},
	{feature: "hashbang", edition: "ES2023", status: native, src: "#!/usr/bin/env swhost\nasync function test() { return 'ok'; }", want: "ok"},
	{feature: "symbols-as-weakmap-keys", edition: "ES2023", status: unsupported, src: `async function test() { const s = Symbol('k'); return new WeakMap([[s, 1]]).get(s); }`, want: "1"},
	// ES2024
	{feature: "array-grouping", edition: "ES2024", status: polyfilled, note: "Object.groupBy and Map.groupBy", src: `async function test() { const g = Object.groupBy([1, 2, 3], (x) => (x % 2 ? 'odd' : 'even')); const m = Map.groupBy([1, 2, 3], (x) => x % 2); return g.odd.join() + '|' + m.get(0).join(); }`, want: "1,3|2"},
	{feature: "promise-with-resolvers", edition: "ES2024", status: polyfilled, src: `async function test() { const { promise, resolve } = Promise.withResolvers(); resolve('r'); return await promise; }`, want: "r"},
	{feature: "String.prototype.isWellFormed", edition: "ES2024", status: polyfilled, note: "and String.prototype.toWellFormed", src: `async function test() { return 'a\ud800'.isWellFormed() + 'a\ud800'.toWellFormed(); }`, want: "falsea\ufffd"},
	{feature: "arraybuffer-transfer", edition: "ES2024", status: unsupported, src: `async function test() { return new ArrayBuffer(4).transfer(8).byteLength; }`, want: "8"},
	{feature: "resizable-arraybuffer", edition: "ES2024", status: unsupported, src: `async function test() { const b = new ArrayBuffer(1, { maxByteLength: 4 }); b.resize(4); return b.byteLength; }`, want: "4"},
	{feature: "regexp-v-flag", edition: "ES2024", status: unsupported, note: "as regexp-match-indices", src: `async function test() { return /[\p{L}--[a-z]]/v.test('A'); }`, want: "true"},
	{feature: "Atomics.waitAsync", edition: "ES2024", status: unsupported, src: `async function test() { return typeof Atomics.waitAsync; }`, want: "function"},
	// ES2025
	{feature: "promise-try", edition: "ES2025", status: polyfilled, src: `async function test() { return await Promise.try((a) => a + 1, 1); }`, want: "2"},
	{feature: "set-methods", edition: "ES2025", status: unsupported, src: `async function test() { return [...new Set([1, 2]).union(new Set([3]))].join(); }`, want: "1,2,3"},
	{feature: "iterator-helpers", edition: "ES2025", status: unsupported, src: `async function test() { return [1, 2, 3].values().map((x) => x * 2).toArray().join(); }`, want: "2,4,6"},
	{feature: "RegExp.escape", edition: "ES2025", status: unsupported, src: `async function test() { return RegExp.escape('a.b'); }`, want: `\x61\.b`},
	{feature: "regexp-modifiers", edition: "ES2025", status: unsupported, src: `async function test() { return /(?i:a)b/.test('Ab'); }`, want: "true"},
	{feature: "regexp-duplicate-named-groups", edition: "ES2025", status: unsupported, src: `async function test() { return 'b'.match(/(?<x>a)|(?<x>b)/).groups.x; }`, want: "b"},
	{feature: "Float16Array", edition: "ES2025", status: polyfilled, note: "and Math.f16round, DataView getFloat16/setFloat16 (vendored @petamoriken/float16)", src: `async function test() { return new Float16Array([1.5])[0]; }`, want: "1.5"},
	{feature: "import-attributes", edition: "ES2025", module: true, status: unsupported, note: "and json-modules", src: `import data from './data.json' with { type: 'json' }; async function test() { return data.a; }`, want: "1"},
	// ES2026
	{feature: "Array.fromAsync", edition: "ES2026", status: polyfilled, src: `const it = { [Symbol.asyncIterator]() { let i = 0; return { next: async () => ({ value: ++i, done: i > 2 }) }; } }; async function test() { const a = await Array.fromAsync(it, (x) => x * 10); const b = await Array.fromAsync([Promise.resolve(3), 4]); const c = await Array.fromAsync({ length: 1, 0: Promise.resolve(5) }); return a.join() + '|' + b.join() + '|' + c.join(); }`, want: "10,20|3,4|5"},
	{feature: "explicit-resource-management", edition: "ES2026", status: lowered, note: "using and await using, by esbuild, with Symbol.dispose, Symbol.asyncDispose and SuppressedError; DisposableStack and AsyncDisposableStack are missing", src: `async function test() { const log = []; { using r = { [Symbol.dispose]() { log.push('d'); } }; log.push('b'); } { await using a = { async [Symbol.asyncDispose]() { log.push('ad'); } }; } return log.join(); }`, want: "b,d,ad"},
	{feature: "Error.isError", edition: "ES2026", status: unsupported, src: `async function test() { return Error.isError(new TypeError()); }`, want: "true"},
	{feature: "Math.sumPrecise", edition: "ES2026", status: unsupported, src: `async function test() { return Math.sumPrecise([1e20, 0.1, -1e20]); }`, want: "0.1"},
	{feature: "uint8array-base64", edition: "ES2026", status: unsupported, src: `async function test() { return new Uint8Array([104, 105]).toBase64(); }`, want: "aGk="},
	{feature: "upsert", edition: "ES2026", status: unsupported, note: "Map.prototype.getOrInsert", src: `async function test() { return new Map().getOrInsert('k', 1); }`, want: "1"},
	{feature: "json-parse-with-source", edition: "stage 3", status: unsupported, src: `async function test() { return JSON.parse('1', (k, v, ctx) => ctx.source); }`, want: "1"},
	// stage 3
	{feature: "decorators", edition: "stage 3", status: lowered, note: "by esbuild (the 2023 proposal, with accessor)", src: `function tag(cls, ctx) { cls.tag = ctx.kind + ':' + ctx.name; } function twice(m) { return function () { return 2 * m.call(this); }; } @tag class A { @twice m() { return 2; } accessor n = 1; } async function test() { return A.tag + new A().m() + new A().n; }`, want: "class:A41"},
	{feature: "Temporal", edition: "stage 3", status: unsupported, src: `async function test() { return typeof Temporal.Now; }`, want: "object"},
	{feature: "ShadowRealm", edition: "stage 3", status: unsupported, src: `async function test() { return new ShadowRealm().evaluate('1'); }`, want: "1"},
	{feature: "iterator-sequencing", edition: "stage 3", status: unsupported, src: `async function test() { return [...Iterator.concat([1], [2])].join(); }`, want: "1,2"},
	{feature: "joint-iteration", edition: "stage 3", status: unsupported, src: `async function test() { return Iterator.zip([[1], [2]]).next().value.join(); }`, want: "1,2"},
	{feature: "Atomics.pause", edition: "stage 3", status: unsupported, src: `async function test() { return Atomics.pause(); }`, want: "undefined"},
	{feature: "immutable-arraybuffer", edition: "stage 3", status: unsupported, src: `async function test() { return new ArrayBuffer(1).transferToImmutable().immutable; }`, want: "true"},
	{feature: "source-phase-imports", edition: "stage 3", module: true, status: unsupported, src: `import source m from './dep.js'; async function test() { return typeof m; }`, want: "object"},
	{feature: "import-defer", edition: "stage 3", module: true, status: unsupported, src: `import defer * as ns from './dep.js'; async function test() { return ns.a; }`, want: "1"},
	{feature: "arbitrary-module-namespace-names", edition: "ES2022", module: true, status: native, src: `import { 'a b' as ab } from './strnames.js'; async function test() { return ab; }`, want: "1"},
}

// ecmaModules are the modules the module snippets import.
var ecmaModules = MapLoader{
	"https://app.test/dep.js":      "export const a = 1;\n",
	"https://app.test/reexport.js": "export * as ns from './dep.js';\n",
	"https://app.test/strnames.js": "const x = 1; export { x as 'a b' };\n",
	"https://app.test/data.json":   `{"a": 1}`,
}

var updateECMAScriptDoc = flag.Bool("update-ecmascript-doc", false, "rewrite the feature table of docs/ecmascript.md from TestECMAScriptFeatures")

// TestECMAScriptFeatures runs each feature of ecmaFeatures in a worker and
// checks how it runs (native, lowered, polyfilled, unsupported) against
// the table, then that docs/ecmascript.md shows the table. A feature whose
// status changes (sobek learns it, a polyfill is added) fails the test
// until the table and the document say so.
func TestECMAScriptFeatures(t *testing.T) {
	for _, f := range ecmaFeatures {
		t.Run(f.feature, func(t *testing.T) {
			got, detail := runECMAFeature(t, f)
			if got != f.status {
				t.Errorf("%s runs %s (%s), the table says %s", f.feature, got, detail, f.status)
			}
		})
	}
	checkECMAScriptDoc(t)
}

// runECMAFeature returns how f runs in a worker and, when it does not,
// why.
func runECMAFeature(t *testing.T, f ecmaFeature) (status, detail string) {
	t.Helper()
	typ, scriptURL := sw.WorkerClassic, "https://app.test/sw.js"
	if f.module {
		typ, scriptURL = sw.WorkerModule, "https://app.test/sw.mjs"
	}
	src := f.src + "\naddEventListener('fetch', (e) => e.respondWith(Promise.resolve().then(test).then((v) => new Response(String(v)), (err) => new Response('threw ' + err))));\n"
	s, err := CompileScript(context.Background(), scriptURL, typ, []byte(src), ecmaModules, 0)
	if err != nil {
		return unsupported, "compile: " + firstLine(err.Error())
	}
	w := New(s, Options{Loader: ecmaModules})
	defer w.Close()
	r, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if err != nil {
		return unsupported, "run: " + firstLine(err.Error())
	}
	if r.Response == nil {
		return unsupported, "no response"
	}
	if got := string(r.Response.Body); got != f.want {
		return unsupported, fmt.Sprintf("test() = %q, want %q", got, f.want)
	}
	if s.lowered {
		return lowered, ""
	}
	if f.module {
		return native, ""
	}
	// In a bare engine, without the bootstrap's built-ins.
	rt := sobek.New()
	if _, err := rt.RunString(f.src + "\nvar result; test().then((v) => { result = String(v); }, (e) => { result = 'threw ' + e; });"); err == nil {
		if v := rt.Get("result"); v != nil && v.String() == f.want {
			return native, ""
		}
	}
	return polyfilled, ""
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// ecmaTable renders ecmaFeatures as the Markdown table of
// docs/ecmascript.md.
func ecmaTable() string {
	var b strings.Builder
	b.WriteString("| test262 feature | edition | in a worker | notes |\n| --- | --- | --- | --- |\n")
	for _, f := range ecmaFeatures {
		status := f.status
		if status != native {
			status = "**" + status + "**"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.feature, f.edition, status, f.note)
	}
	return b.String()
}

const (
	ecmaDoc        = "../docs/ecmascript.md"
	ecmaTableStart = "<!-- feature table: generated by TestECMAScriptFeatures -->\n"
	ecmaTableEnd   = "<!-- end of the feature table -->\n"
)

// checkECMAScriptDoc checks that docs/ecmascript.md holds ecmaTable()
// between its markers, or rewrites it there with -update-ecmascript-doc.
func checkECMAScriptDoc(t *testing.T) {
	t.Helper()
	b, err := os.ReadFile(ecmaDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	before, rest, ok1 := strings.Cut(doc, ecmaTableStart)
	_, after, ok2 := strings.Cut(rest, ecmaTableEnd)
	if !ok1 || !ok2 {
		t.Fatalf("%s has no feature table markers", ecmaDoc)
	}
	want := before + ecmaTableStart + ecmaTable() + ecmaTableEnd + after
	if want == doc {
		return
	}
	if *updateECMAScriptDoc {
		if err := os.WriteFile(ecmaDoc, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the feature table of %s is not ecmaFeatures': run go test ./worker -run TestECMAScriptFeatures -update-ecmascript-doc", ecmaDoc)
}

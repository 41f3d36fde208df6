package worker

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
)

// respond appends a fetch listener answering with String(await f()), or
// "threw " and the exception's stack, to a script defining f.
const respond = "\naddEventListener('fetch', (e) => e.respondWith(Promise.resolve().then(f).then((v) => new Response(String(v)), (err) => new Response('threw ' + err.stack))));\n"

// fetchText compiles src as the script at scriptURL, dispatches one fetch
// event and returns the response body and what the console printed.
func fetchText(t *testing.T, scriptURL string, typ sw.WorkerType, src string, loader MapLoader) (body, console string, s *Script) {
	t.Helper()
	s, err := CompileScript(context.Background(), scriptURL, typ, []byte(src), loader, 0)
	if err != nil {
		t.Fatalf("CompileScript: %v", err)
	}
	var mu sync.Mutex
	var out strings.Builder
	w := New(s, Options{Loader: loader, Console: func(level, msg string) {
		mu.Lock()
		defer mu.Unlock()
		out.WriteString(msg + "\n")
	}})
	defer w.Close()
	r, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if err != nil || r.Response == nil {
		t.Fatalf("fetch: %+v, %v", r, err)
	}
	mu.Lock()
	defer mu.Unlock()
	return string(r.Response.Body), out.String(), s
}

// stackPositions matches the file:line:column of stack frames and syntax
// errors.
var stackPositions = regexp.MustCompile(`((?:https://app\.test/|swhost:)[\w./-]+):(\d+):(\d+)`)

// TestLoweredPositions: stack traces (exceptions, Error.stack,
// console.trace) of lowered scripts point at the original lines, in
// JavaScript and TypeScript, classic scripts, modules and importScripts;
// frames in esbuild's helpers name swhost:esbuild; no frame names a line
// the original does not have.
func TestLoweredPositions(t *testing.T) {
	tests := []struct {
		name      string
		url       string
		typ       sw.WorkerType
		src       string
		loader    MapLoader
		wantLines []string // file:line that must appear, in order
		console   bool     // look in the console output rather than the response
	}{
		{
			name: "throw in an async generator",
			url:  "https://app.test/sw.js",
			src: `async function* gen() {
  yield 1;
  throw new RangeError('from the generator');
}
async function f() {
  for await (const x of gen()) {}
}`,
			wantLines: []string{"sw.js:3", "swhost:esbuild"},
		},
		{
			name: "Error.stack in a for await loop",
			url:  "https://app.test/sw.js",
			src: `async function f() {
  let stack = '';
  for await (const x of [1]) {
    stack = new Error('here').stack;
  }
  return stack;
}`,
			wantLines: []string{"sw.js:4"},
		},
		{
			name: "console.trace under using",
			url:  "https://app.test/sw.js",
			src: `function f() {
  using r = { [Symbol.dispose]() {} };

  console.trace('where');
  return 'ok';
}`,
			wantLines: []string{"sw.js:4"},
			console:   true,
		},
		{
			name: "TypeScript: types and interfaces removed",
			url:  "https://app.test/sw.ts",
			src: `interface Thing {
  name: string;
}
type Alias = Thing | null;
enum Level { Low, High }
function f(): string {
  const t: Alias = { name: 'x' };
  throw new TypeError('line 8 ' + Level.High + (t as Thing).name);
}`,
			wantLines: []string{"sw.ts:8"},
		},
		{
			name: "TypeScript module importing TypeScript",
			url:  "https://app.test/sw.mts",
			typ:  sw.WorkerModule,
			src: `import type { Opts } from './util.ts';
import { check } from './util.ts';
const opts: Opts = { strict: true };
async function f() {
  return check(opts);
}`,
			loader: MapLoader{"https://app.test/util.ts": `export interface Opts { strict: boolean }

export function check(o: Opts): never {
  throw new Error('util line 4: ' + o.strict);
}
`},
			wantLines: []string{"util.ts:4", "sw.mts:5"},
		},
		{
			name: "importScripts of a lowered script",
			url:  "https://app.test/sw.js",
			src: `importScripts('/lib.js');
function f() { return boom(); }`,
			loader: MapLoader{"https://app.test/lib.js": `async function* unused() {}
// line 2
function boom() {
  throw new Error('lib line 4');
}`},
			wantLines: []string{"lib.js:4", "sw.js:2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ := tt.typ
			if typ == "" {
				typ = sw.WorkerClassic
			}
			body, console, s := fetchText(t, tt.url, typ, tt.src+respond, tt.loader)
			if !s.lowered && !strings.Contains(tt.name, "importScripts") {
				t.Errorf("the script was not lowered")
			}
			text := body
			if tt.console {
				text = console
			}
			rest := text
			for _, want := range tt.wantLines {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Fatalf("%q does not name %s (in order %v)", text, want, tt.wantLines)
				}
				rest = rest[i:]
			}
			sources := map[string]string{tt.url: tt.src + respond}
			for u, src := range tt.loader {
				sources[u] = src
			}
			for _, m := range stackPositions.FindAllStringSubmatch(text, -1) {
				src, ok := sources[m[1]]
				if !ok {
					continue
				}
				if line, _ := strconv.Atoi(m[2]); line > strings.Count(src, "\n")+1 {
					t.Errorf("%s names line %d, past the end of %s", m[0], line, m[1])
				}
			}
		})
	}
}

// TestLoweredPositionsMatchNative: a script that sobek compiles as it is
// and the same script lowered (an unused async generator at its end forces
// that) give the same lines for the same frames.
func TestLoweredPositionsMatchNative(t *testing.T) {
	src := `function inner(a) {
  const o = { a };
  return o.a.b.c;
}
class K {
  static run(v) {
    return [v].map((x) =>
      inner(x))[0];
  }
}
function f() {
  let v = null;
  v ??= {};
  return K.run(v);
}` + respond
	native, _, s1 := fetchText(t, "https://app.test/sw.js", sw.WorkerClassic, src, nil)
	lowered, _, s2 := fetchText(t, "https://app.test/sw.js", sw.WorkerClassic, src+"async function* force() {}\n", nil)
	if s1.lowered || !s2.lowered {
		t.Fatalf("lowered: %v, %v", s1.lowered, s2.lowered)
	}
	lines := func(stack string) []string {
		var out []string
		for _, m := range stackPositions.FindAllStringSubmatch(stack, -1) {
			out = append(out, m[1]+":"+m[2])
		}
		return out
	}
	if a, b := lines(native), lines(lowered); strings.Join(a, " ") != strings.Join(b, " ") || len(a) < 4 {
		t.Errorf("native frames %v\nlowered frames %v\n(native %q, lowered %q)", a, b, native, lowered)
	}
}

// TestLowerSyntaxErrors: a syntax error is a SyntaxError at its original
// position, whether esbuild finds it, or sobek in esbuild's output (then
// mapped back); a script too complex to lower is a RangeError that also
// says what sobek could not parse.
func TestLowerSyntaxErrors(t *testing.T) {
	tests := []struct {
		name, url string
		typ       sw.WorkerType
		src       string
		loader    MapLoader
		wantName  string
		wantIn    []string
	}{
		{"esbuild: modern script with an error", "https://app.test/sw.js", sw.WorkerClassic, "for await (const x of y) {}\nlet a = ;\n", nil, weberr.SyntaxError, []string{"sw.js:2:9"}},
		{"esbuild: TypeScript", "https://app.test/sw.ts", sw.WorkerClassic, "let a: number = 1;\nlet b: = 2;\n", nil, weberr.SyntaxError, []string{"sw.ts:2:8"}},
		{"esbuild: module dependency", "https://app.test/sw.mjs", sw.WorkerModule, "import './dep.js';\n", MapLoader{"https://app.test/dep.js": "async function* g() {}\n\n  let x = );\n"}, weberr.SyntaxError, []string{"dep.js:3:11"}},
		{"sobek after esbuild: regular expression modifiers", "https://app.test/sw.js", sw.WorkerClassic, "async function* g() {}\nconst re =   /(?i:a)b/;\n", nil, weberr.SyntaxError, []string{"Invalid group", "sw.js:2:14"}},
		{"sobek compiler after esbuild", "https://app.test/sw.js", sw.WorkerClassic, "async function* g() {}\nfunction h() {\n  'use strict';\n  with (x) {}\n}\n", nil, weberr.SyntaxError, []string{"sw.js:4"}},
		{"too deep to lower", "https://app.test/sw.js", sw.WorkerClassic, "for await (const x of y) {}\nx = " + strings.Repeat("[", 2500) + strings.Repeat("]", 2500), nil, weberr.RangeError, []string{"too deeply nested to lower", "without lowering", "sw.js:1"}},
		{"TypeScript too deep to lower", "https://app.test/sw.ts", sw.WorkerClassic, "x = " + strings.Repeat("(", 2500) + "1" + strings.Repeat(")", 2500), nil, weberr.RangeError, []string{"too deeply nested to lower"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var loader Loader
			if tt.loader != nil {
				loader = tt.loader
			}
			_, err := CompileScript(context.Background(), tt.url, tt.typ, []byte(tt.src), loader, 0)
			if weberr.NameOf(err) != tt.wantName {
				t.Fatalf("got %v, want a %s", err, tt.wantName)
			}
			for _, w := range tt.wantIn {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not mention %q", err, w)
				}
			}
		})
	}
}

// TestLowerRescuesParserBugs: sobek's parser refuses a keyword member
// access that ends a statement without a semicolon; such a script goes
// through esbuild, which writes the semicolons.
func TestLowerRescuesParserBugs(t *testing.T) {
	src := "const t = Promise.try\nconst w = [].with\nfunction f() { return typeof t + typeof w; }"
	body, _, s := fetchText(t, "https://app.test/sw.js", sw.WorkerClassic, src+respond, nil)
	if body != "functionfunction" || !s.lowered {
		t.Errorf("got %q (lowered %v)", body, s.lowered)
	}
}

// lowerOnceRuns numbers TestLowerOnce's runs in the process.
var lowerOnceRuns atomic.Int64

// TestLowerOnce: a script version is lowered once; compiling it again
// (the same bytes at the same URL) is a cache hit, for a classic script and
// for each module of a graph, even when another module of the graph
// changed.
func TestLowerOnce(t *testing.T) {
	ctx := context.Background()
	// The lowering cache is the process's: each run's sources are its own
	// (go test -count N).
	nonce := fmt.Sprintf("// run %d\n", lowerOnceRuns.Add(1))
	modern := nonce + "async function* g() { yield 1; }\n"
	runs := lowerRuns.Load()
	for range 3 {
		if _, err := CompileScript(ctx, "https://app.test/once.js", sw.WorkerClassic, []byte(modern), nil, 0); err != nil {
			t.Fatal(err)
		}
	}
	if n := lowerRuns.Load() - runs; n != 1 {
		t.Errorf("a classic script was lowered %d times, want 1", n)
	}
	programs.Clear() // the program cache dropped: the lowering cache still holds it
	if _, err := CompileScript(ctx, "https://app.test/once.js", sw.WorkerClassic, []byte(modern), nil, 0); err != nil {
		t.Fatal(err)
	}
	if n := lowerRuns.Load() - runs; n != 1 {
		t.Errorf("a classic script was lowered %d times, want 1", n)
	}

	loader := MapLoader{"https://app.test/dep.mjs": nonce + "export async function* items() { yield 1; }\n"}
	runs = lowerRuns.Load()
	for _, main := range []string{nonce + "import { items } from './dep.mjs';\nfor await (const x of items()) {}\n", nonce + "import { items } from './dep.mjs';\nfor await (const y of items()) {}\n"} {
		for range 2 {
			if _, err := CompileScript(ctx, "https://app.test/main.mjs", sw.WorkerModule, []byte(main), loader, 0); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := lowerRuns.Load() - runs; n != 3 { // dep once, each main once
		t.Errorf("the module graphs were lowered %d times, want 3", n)
	}
	runs = lowerRuns.Load()
	if _, err := CompileScript(ctx, "https://app.test/other.js", sw.WorkerClassic, []byte(modern), nil, 0); err != nil {
		t.Fatal(err)
	}
	if n := lowerRuns.Load() - runs; n != 1 {
		t.Errorf("the same bytes at another URL were lowered %d times, want 1 (the source map names the URL)", n)
	}
}

// TestTypeScriptWorkers: TypeScript classic and module workers run, with
// type-only imports removed; the URL's extension decides, not the
// content.
func TestTypeScriptWorkers(t *testing.T) {
	classic := `type Answer = { text: string };
const enum Kind { A = 'a' }
class Greeter<T> {
  constructor(private readonly value: T) {}
  greet(): Answer { return { text: 'hello ' + String(this.value) + Kind.A }; }
}
function f(): string { return new Greeter<number>(1).greet().text; }`
	if body, _, _ := fetchText(t, "https://app.test/sw.ts?v=2", sw.WorkerClassic, classic+respond, nil); body != "hello 1a" {
		t.Errorf("classic TypeScript: %q", body)
	}
	loader := MapLoader{
		"https://app.test/lib/types.ts": "export type Greeting = string;\nexport const never: unknown = null;\n",
		"https://app.test/lib/util.mts": "import type { Greeting } from './types.ts';\nexport const greet = (n: string): Greeting => `hi ${n}`;\n",
	}
	module := `import { greet } from './lib/util.mts';
import type { Greeting } from './lib/types.ts';
async function f(): Promise<Greeting> { return greet('ts'); }`
	body, _, s := fetchText(t, "https://app.test/sw.ts", sw.WorkerModule, module+respond, loader)
	if body != "hi ts" {
		t.Errorf("module TypeScript: %q", body)
	}
	if got := strings.Join(s.Modules(), ","); got != "https://app.test/lib/util.mts" {
		t.Errorf("Modules() = %q: type-only imports are not loaded", got)
	}
	for u, want := range map[string]bool{
		"https://app.test/sw.ts": true, "https://app.test/sw.MTS": true, "https://app.test/x.cts?a=b.js": true,
		"https://app.test/sw.js?x=.ts": false, "https://app.test/sw.tsx": false, "https://app.test/ts": false, "https://app.test/a.js#.ts": false,
	} {
		if got := IsTypeScript(u); got != want {
			t.Errorf("IsTypeScript(%q) = %v", u, got)
		}
	}
	// A .js URL holding TypeScript is JavaScript, and fails as such.
	if _, err := CompileScript(context.Background(), "https://app.test/typed.js", sw.WorkerClassic, []byte("let x: number = 1;\n"), nil, 0); weberr.NameOf(err) != weberr.SyntaxError {
		t.Errorf("TypeScript in a .js URL: %v", err)
	}
}

// TestLoweredSourceMap: the mappings of esbuild's maps survive decoding
// and encoding, and the shift to 1-based columns gives sobek's columns.
func TestLoweredSourceMap(t *testing.T) {
	src := "const a = 1;\nasync function* g() {\n  yield a;\n}\n"
	res := api.Transform(src, api.TransformOptions{Sourcefile: "https://app.test/m.js", Target: api.ESNext, Supported: lowerSupported, Sourcemap: api.SourceMapExternal, LogLevel: api.LogLevelSilent})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	mappings := regexp.MustCompile(`"mappings": "([^"]*)"`).FindSubmatch(res.Map)
	if mappings == nil {
		t.Fatalf("no mappings in %s", res.Map)
	}
	lines, err := decodeMappings(string(mappings[1]))
	if err != nil {
		t.Fatal(err)
	}
	if got := encodeMappings(lines); got != string(mappings[1]) {
		t.Errorf("round trip: %q, want %q", got, mappings[1])
	}
	sm, err := loweredSourceMap("https://app.test/m.js", res.Map, nil)
	if err != nil {
		t.Fatal(err)
	}
	code := string(res.Code)
	// "yield a" in the output is "yield a" of line 3, column 3.
	genLine := strings.Count(code[:strings.Index(code, "yield a")], "\n") + 1
	genCol := strings.Index(code, "yield a") - strings.LastIndex(code[:strings.Index(code, "yield a")], "\n")
	if file, _, line, col, ok := sm.Source(genLine, genCol); !ok || file != "https://app.test/m.js" || line != 3 || col != 3 {
		t.Errorf("yield a maps to %s:%d:%d (%v), want m.js:3:3", file, line, col, ok)
	}
	if file, _, line, _, ok := sm.Source(1, 1); !ok || file != helperSource || line != 1 {
		t.Errorf("the first helper line maps to %s:%d (%v)", file, line, ok)
	}
	for _, v := range []int{0, 1, -1, 15, 16, -16, 1 << 20, -(1 << 30)} {
		var b strings.Builder
		encodeVLQ(&b, v)
		if got, next, err := decodeVLQ(b.String(), 0); err != nil || got != v || next != b.Len() {
			t.Errorf("VLQ %d: %q decodes to %d, %d, %v", v, b.String(), got, next, err)
		}
	}
	if _, err := decodeMappings("A@"); err == nil {
		t.Errorf("bad mappings decoded")
	}
}

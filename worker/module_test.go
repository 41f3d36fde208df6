package worker

import (
	"context"
	"strings"
	"testing"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
)

func TestModuleWorker(t *testing.T) {
	loader := MapLoader{
		"https://app.test/lib/util.js":   "import { prefix } from './consts.js';\nexport function greet(u) { return prefix + new URL(u).pathname; }\n",
		"https://app.test/lib/consts.js": "export const prefix = 'module says ';\n",
	}
	main := `import { greet } from './lib/util.js';
addEventListener('fetch', e => e.respondWith(new Response(greet(e.request.url) + ' ' + typeof importScripts)));
`
	ctx := context.Background()
	s, err := CompileScript(ctx, "https://app.test/sw.mjs", sw.WorkerModule, []byte(main), loader, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Modules(), ","); got != "https://app.test/lib/consts.js,https://app.test/lib/util.js" {
		t.Errorf("Modules() = %q", got)
	}
	again, err := CompileScript(ctx, "https://app.test/sw.mjs", sw.WorkerModule, []byte(main), loader, 0)
	if err != nil || again != s {
		t.Errorf("the same module graph was compiled twice (%v)", err)
	}
	// Two workers (two runtimes) share the compiled graph.
	for i := range 2 {
		w := New(s, Options{Loader: loader})
		r, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/x"}, FetchEventInit{})
		w.Close()
		if err != nil || r.Response == nil || string(r.Response.Body) != "module says /x function" {
			t.Fatalf("worker %d: %+v, %v", i, r, err)
		}
	}
}

func TestModuleWorkerImportScriptsThrows(t *testing.T) {
	s, err := CompileScript(context.Background(), "https://app.test/sw.mjs", sw.WorkerModule, []byte(`
addEventListener('fetch', e => { let n = 'none'; try { importScripts('/a.js'); } catch (err) { n = err.name; } e.respondWith(new Response(n)); });`), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := New(s, Options{})
	defer w.Close()
	r, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if err != nil || string(r.Response.Body) != "TypeError" {
		t.Errorf("importScripts in a module worker: %+v, %v", r, err)
	}
}

func TestModuleGraphErrors(t *testing.T) {
	tests := []struct {
		name, src string
		loader    MapLoader
		wantName  string
		wantIn    string
	}{
		{"cross-origin import", `import x from 'https://evil.test/x.js';`, nil, weberr.SecurityError, "cross-origin"},
		{"bare specifier", `import x from 'lodash';`, nil, weberr.TypeError, "bare specifiers"},
		{"missing module", `import x from './nope.js';`, MapLoader{}, weberr.NetworkError, "nope.js"},
		{"syntax error in a dependency", `import { a } from './bad.js';`, MapLoader{"https://app.test/bad.js": "export const a = ;"}, "SyntaxError", "bad.js:1"},
		{"missing export", `import { nothere } from './ok.js';`, MapLoader{"https://app.test/ok.js": "export const a = 1;"}, "SyntaxError", "nothere"},
		{"top-level await", `await new Promise(() => {});`, nil, weberr.TypeError, "top-level await"},
		{"throws at top level", "throw new RangeError('module boom');", nil, "RangeError", "module boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var loader Loader
			if tt.loader != nil {
				loader = tt.loader
			}
			s, err := CompileScript(context.Background(), "https://app.test/sw.mjs", sw.WorkerModule, []byte(tt.src), loader, 0)
			if err == nil {
				w := New(s, Options{Loader: loader})
				err = w.Start(ctxT(t))
				w.Close()
			}
			if err == nil || weberr.NameOf(err) != tt.wantName || !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("got %v, want a %s mentioning %q", err, tt.wantName, tt.wantIn)
			}
		})
	}
}

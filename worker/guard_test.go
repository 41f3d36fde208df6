package worker

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

// evalScript wraps body (statements ending in a return) in a fetch
// listener that answers with the JSON of {"value": result} or, when body
// throws, {"threw": name}. detach(buffer) detaches an ArrayBuffer the way
// a transfer does.
func evalScript(body string) string {
	return `const detach = (b) => { structuredClone(b, { transfer: [b] }); return b; };
addEventListener('fetch', (e) => e.respondWith((async () => {
  try {
    const value = await (async () => { ` + body + ` })();
    return new Response(JSON.stringify({ value }));
  } catch (err) {
    return new Response(JSON.stringify({ threw: String(err && err.name) }));
  }
})()));`
}

// echoFetcher answers every fetch with the request's body.
type echoFetcher struct{}

func (echoFetcher) Fetch(_ context.Context, req *fetch.Request) (*fetch.Response, error) {
	return &fetch.Response{Type: fetch.TypeBasic, URL: req.URL, Status: 200, Header: http.Header{}, Body: req.Body}, nil
}

// runEval runs evalScript(body) in a new worker and returns its answer.
func runEval(t *testing.T, body string, opts Options) string {
	t.Helper()
	if opts.Fetcher == nil {
		opts.Fetcher = echoFetcher{}
	}
	w := newTestWorker(t, evalScript(body), opts)
	res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if err != nil {
		t.Fatalf("dispatch: %v", err)
	}
	if res.Response == nil {
		t.Fatalf("no response (exceptions: %v)", res.Exceptions)
	}
	return string(res.Response.Body)
}

// TestDetachedBufferSources passes detached (transferred) ArrayBuffers and
// views to every API that takes bytes. WebIDL reads a detached buffer
// source as no bytes, so they see empty input; structured clone refuses
// them with a DataCloneError. Before the host read views safely,
// encodeInto into a detached view panicked in sobek and ended the process.
func TestDetachedBufferSources(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"encodeInto detached view", `const v = new Uint8Array(new ArrayBuffer(10)); detach(v.buffer);
			const enc = new TextEncoder();
			return [enc.encodeInto('', v), enc.encodeInto('test', v), v.length];`,
			`{"value":[{"read":0,"written":0},{"read":0,"written":0},0]}`},
		{"encodeInto detached by postMessage", `const b = new ArrayBuffer(10), v = new Uint8Array(b, 2, 4);
			new MessageChannel().port1.postMessage(b, [b]);
			return new TextEncoder().encodeInto('hello', v);`,
			`{"value":{"read":0,"written":0}}`},
		{"encodeInto view with offset", `const b = new ArrayBuffer(8), v = new Uint8Array(b, 2, 4);
			const r = new TextEncoder().encodeInto('h\u00e9llo', v);
			return [r, Array.from(new Uint8Array(b))];`,
			`{"value":[{"read":3,"written":4},[0,0,104,195,169,108,0,0]]}`},
		{"encodeInto surrogates", `const v = new Uint8Array(9);
			return [new TextEncoder().encodeInto('\ud83d\ude00\ud800', v), Array.from(v)];`,
			`{"value":[{"read":3,"written":7},[240,159,152,128,239,191,189,0,0]]}`},
		{"encodeInto into a Proxy", `return new TextEncoder().encodeInto('a', new Proxy(new Uint8Array(4), {}));`,
			`{"threw":"TypeError"}`},
		{"decode detached view", `const v = new Uint8Array([104, 105]); detach(v.buffer); return new TextDecoder().decode(v);`,
			`{"value":""}`},
		{"decode detached buffer and views", `const b = new Uint8Array([104, 105]).buffer;
			const v = new Uint8Array(b), dv = new DataView(b, 1);
			detach(b);
			const d = new TextDecoder('utf-8', { fatal: true });
			return [d.decode(b), d.decode(v), d.decode(dv)];`,
			`{"value":["","",""]}`},
		{"Blob of detached parts", `const b = new Uint8Array([97, 98]).buffer, v = new Uint8Array(b), dv = new DataView(b);
			detach(b);
			const blob = new Blob([v, 'x', b, dv]);
			return [blob.size, await blob.text()];`,
			`{"value":[1,"x"]}`},
		{"Response of detached buffers", `const b = new Uint8Array([97]).buffer, v = new Uint8Array(b), dv = new DataView(b);
			detach(b);
			return [await new Response(b).text(), await new Response(v).text(), await new Response(dv).text()];`,
			`{"value":["","",""]}`},
		{"Request and fetch of a detached body", `const v = new Uint8Array([97]);
			detach(v.buffer);
			const req = new Request('https://app.test/echo', { method: 'POST', body: v });
			const res = await fetch('https://app.test/echo', { method: 'POST', body: v });
			return [await req.text(), await res.text()];`,
			`{"value":["",""]}`},
		{"getRandomValues of a detached view", `const a = new Uint32Array(4);
			detach(a.buffer);
			return [crypto.getRandomValues(a) === a, a.length];`,
			`{"value":[true,0]}`},
		{"structuredClone of a detached buffer", `return structuredClone(detach(new ArrayBuffer(4)));`,
			`{"threw":"DataCloneError"}`},
		{"structuredClone of a detached view", `const v = new Uint8Array(4); detach(v.buffer); return structuredClone(v);`,
			`{"threw":"DataCloneError"}`},
		{"transfer of a detached buffer", `const b = detach(new ArrayBuffer(4)); return structuredClone(0, { transfer: [b] });`,
			`{"threw":"DataCloneError"}`},
		{"postMessage of a detached view", `const v = new Uint8Array(4); detach(v.buffer); new MessageChannel().port1.postMessage(v); return 'posted';`,
			`{"threw":"DataCloneError"}`},
		// sobek has no resizable ArrayBuffers: maxByteLength is ignored and
		// the buffer is a fixed-length one, which every API takes as such.
		{"resizable buffer options", `const b = new ArrayBuffer(4, { maxByteLength: 16 }), v = new Uint8Array(b);
			const r = new TextEncoder().encodeInto('abcd', v);
			return [typeof b.resize, r.written, new TextDecoder().decode(b), await new Response(v).text(), await new Blob([b]).text()];`,
			`{"value":["undefined",4,"abcd","abcd","abcd"]}`},
		{"crypto.subtle is testable", `return [typeof crypto.subtle, 'subtle' in crypto, crypto.subtle ? 'yes' : 'no'];`,
			`{"value":["object",true,"yes"]}`},
		{"subtle takes a detached buffer as no bytes", `const b = new Uint8Array([1, 2]); structuredClone(b.buffer, { transfer: [b.buffer] });
			const d = await crypto.subtle.digest('SHA-256', b);
			return [d.byteLength, new Uint8Array(d)[0]];`,
			`{"value":[32,227]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := runEval(t, tt.body, Options{}); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// recordLog is a slog handler that keeps every record.
type recordLog struct {
	mu      sync.Mutex
	records []slog.Record
}

func (h *recordLog) Enabled(context.Context, slog.Level) bool { return true }
func (h *recordLog) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r.Clone())
	return nil
}
func (h *recordLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recordLog) WithGroup(string) slog.Handler      { return h }

// matching returns the attributes of the records whose message contains
// msg, one map per record.
func (h *recordLog) matching(msg string) []map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []map[string]string
	for _, r := range h.records {
		if !strings.Contains(r.Message, msg) {
			continue
		}
		attrs := map[string]string{}
		r.Attrs(func(a slog.Attr) bool { attrs[a.Key] = a.Value.String(); return true })
		out = append(out, attrs)
	}
	return out
}

// onLoop runs fn on the worker's running instance's loop and waits.
func onLoop(t *testing.T, w *Worker, fn func(in *instance)) {
	t.Helper()
	in, err := w.running()
	if err != nil {
		t.Fatal(err)
	}
	if err := in.waitStarted(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	if !in.loop.Submit(func() { defer close(done); fn(in) }) {
		t.Fatal("the loop refused the task")
	}
	<-done
}

// TestHostPanicBecomesTypeError checks the guard on host functions: a Go
// panic in one is a TypeError in JavaScript, logged once with its stack,
// also when it passes through another host function on its way out;
// exceptions thrown on purpose pass through untouched; and the worker
// goes on serving.
func TestHostPanicBecomesTypeError(t *testing.T) {
	logs := &recordLog{}
	w := newTestWorker(t, evalScript(`return [
		(() => { try { boom(); } catch (e) { return e.name + ' ' + (e instanceof TypeError); } })(),
		(() => { try { outer(() => boom()); } catch (e) { return e.name; } })(),
		(() => { try { outer(() => { throw new RangeError('mine'); }); } catch (e) { return e.name + ' ' + e.message; } })(),
		(() => { try { throwing(); } catch (e) { return e.name; } })(),
	];`), Options{Logger: slog.New(logs)})
	onLoop(t, w, func(in *instance) {
		g := in.rt.GlobalObject()
		_ = g.Set("boom", in.native("boom", func(sobek.FunctionCall) sobek.Value {
			var s []int
			_ = s[len(s)+3]
			return nil
		}))
		_ = g.Set("outer", in.native("outer", func(c sobek.FunctionCall) sobek.Value {
			fn, _ := sobek.AssertFunction(c.Argument(0))
			v, err := fn(sobek.Undefined())
			if err != nil {
				panic(err)
			}
			return v
		}))
		_ = g.Set("throwing", in.native("throwing", func(sobek.FunctionCall) sobek.Value {
			in.throw(weberr.New(weberr.NotFoundError, "on purpose"))
			return nil
		}))
	})
	res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"value":["TypeError true","TypeError","RangeError mine","NotFoundError"]}`; string(res.Response.Body) != want {
		t.Errorf("got  %s\nwant %s", res.Response.Body, want)
	}
	got := logs.matching("Go panic")
	if len(got) != 2 {
		t.Fatalf("%d panic log records, want 2 (one per panic): %v", len(got), got)
	}
	for _, a := range got {
		if a["func"] != "boom" || !strings.Contains(a["panic"], "index out of range") || !strings.Contains(a["stack"], "guard_test.go") {
			t.Errorf("log record %v lacks the function, the panic or its stack", a)
		}
	}
	if !w.Running() {
		t.Error("the worker stopped after a host function panicked")
	}
}

// TestLoopPanicStopsOnlyTheRuntime checks the loop's safety net: a Go
// panic outside any host function stops that runtime (its event fails
// with an OperationError wrapping ErrEngineFailure), is logged, and the
// worker starts afresh for the next event.
func TestLoopPanicStopsOnlyTheRuntime(t *testing.T) {
	logs := &recordLog{}
	w := newTestWorker(t, evalScript(`return 'ok';`), Options{Logger: slog.New(logs)})
	var in *instance
	onLoop(t, w, func(i *instance) { in = i })
	in.loop.Submit(func() { panic("engine bug") })
	<-in.loop.Done()
	if err := in.err(); !errors.Is(err, ErrEngineFailure) || weberr.NameOf(err) != "OperationError" {
		t.Errorf("stopped with %v, want an OperationError wrapping ErrEngineFailure", err)
	}
	if got := logs.matching("Go panic"); len(got) != 1 || got[0]["panic"] != "engine bug" {
		t.Errorf("panic log records: %v", got)
	}
	res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if err != nil || !bytes.Equal(res.Response.Body, []byte(`{"value":"ok"}`)) {
		t.Fatalf("next event: %v, %v", res, err)
	}
	var st Stats = w.Stats()
	if st.Starts != 2 {
		t.Errorf("starts = %d, want 2", st.Starts)
	}
}

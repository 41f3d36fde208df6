package worker

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/store"
)

// hostileValues builds, in a worker's runtime, the arguments
// FuzzHostFunctions passes to host functions: detached and resizable
// buffers, Proxies (revoked, trapping, of a Uint8Array), getters and
// conversions that throw, huge lengths, wrong types and Symbols.
const hostileValues = `(() => {
  const detach = (b) => { structuredClone(b, { transfer: [b] }); return b; };
  const dview = new Uint8Array(new ArrayBuffer(16), 4, 8); detach(dview.buffer);
  const ddv = new DataView(new ArrayBuffer(8), 2); detach(ddv.buffer);
  const { proxy: revoked, revoke } = Proxy.revocable({}, {}); revoke();
  const boom = () => { throw new Error('hostile'); };
  const throwing = { get length() { boom(); }, toString: boom, valueOf: boom, [Symbol.toPrimitive]: boom, get 0() { boom(); } };
  const traps = new Proxy({}, { get: boom, has: boom, ownKeys: boom, getPrototypeOf: boom, getOwnPropertyDescriptor: boom });
  return [undefined, null, true, 0, -1, 1.5, NaN, -Infinity, 2 ** 53, 2 ** 31, -(2 ** 31), '', 'x', 'x'.repeat(1 << 16), '\ud800', '\udc00x',
    Symbol('s'), Symbol.iterator, 10n, {}, [], ['a', 'b', 'c'], [1, [2, [3]]], { length: 2 ** 32 - 1 }, { length: -5, 0: 'a' }, { length: 2 ** 40 },
    detach(new ArrayBuffer(32)), dview, ddv, new Uint8Array([1, 2, 3]), new Uint16Array(4), new Float64Array(2), new DataView(new ArrayBuffer(4)),
    new ArrayBuffer(4, { maxByteLength: 64 }), new Proxy(new Uint8Array(4), {}), new Proxy(new ArrayBuffer(4), {}), revoked, throwing, traps,
    boom, function () { return this; }, new Proxy(() => 1, { apply: boom }), async () => { throw new Error('async'); },
    Object.create(null), new Date(NaN), /x/g, new Map([[1, 2]]), new Set([1]), new Error('e'), Promise.resolve(1),
    new Proxy([], { get: (t, k) => k === 'length' ? 2 ** 31 : undefined })];
})()`

var hostileProgram = sync.OnceValues(func() (*sobek.Program, error) {
	return sobek.Compile("hostile.js", hostileValues, true)
})

// hostileArgs makes the hostile values in in's runtime: value(i) is the
// i-th (modulo their number n).
func hostileArgs(t *testing.T, in *instance) (value func(i int) sobek.Value, n int) {
	t.Helper()
	prog, err := hostileProgram()
	if err != nil {
		t.Fatal(err)
	}
	arr, err := in.rt.RunProgram(prog)
	if err != nil {
		t.Fatal(err)
	}
	vals := arr.(*sobek.Object)
	n = listLen(vals)
	return func(i int) sobek.Value { return vals.Get(strconv.Itoa(i % n)) }, n
}

// FuzzHostFunctions calls a host function, chosen by the input, with
// three hostile arguments. Whatever the arguments, the call returns or
// throws a JavaScript exception: a Go panic that escaped it would end the
// fuzzing process, or stop the runtime through the loop's panic handler,
// which the test catches. The worker must then still answer a fetch.
// Panics the guard turned into TypeErrors are logged by the test.
func FuzzHostFunctions(f *testing.F) {
	// One seed per binding (names are taken in sorted order).
	for i := range len(exports) {
		f.Add(uint8(i), uint8(i), uint8(3*i+1), uint8(5*i+2))
	}
	// The cases that crashed the process before the guard: encodeInto and
	// decodeUTF8 with a detached view.
	f.Add(uint8(255), uint8(27), uint8(27), uint8(27))
	// Cache Storage on the persistent store, as under swhost serve (host
	// functions reach its SQL backend), shared by the inputs.
	st, err := store.Open(context.Background(), f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	caches, err := cachestorage.New(st.CacheStorage(), cachestorage.Limits{}).For("https://app.test")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, fn, a0, a1, a2 uint8) {
		logs := &recordLog{}
		w := newTestWorker(t, `addEventListener('fetch', (e) => e.respondWith(new Response('alive')));`, Options{
			Logger:  slog.New(logs),
			Console: func(string, string) {},
			Caches:  caches,
			Fetcher: echoFetcher{},
			// Generous: under -race, a host function reading 2^20 items of a
			// hostile array-like takes longer than a real task budget.
			Limits: Limits{CPUPerTask: 10 * time.Second, IdleTimeout: -1},
		})
		var called string
		var callErr error
		var stopped bool
		onLoop(t, w, func(in *instance) {
			h := in.hostObject()
			names := h.Keys()
			slices.Sort(names)
			hostile, _ := hostileArgs(t, in)
			pick := func(i uint8) sobek.Value { return hostile(int(i)) }
			called = names[int(fn)%len(names)]
			if fn == 255 {
				called = []string{"encodeInto", "decodeUTF8"}[int(a0)%2]
			}
			call, ok := sobek.AssertFunction(h.Get(called))
			if !ok {
				t.Fatalf("host.%s is not a function", called)
			}
			_, callErr = call(sobek.Undefined(), pick(a0), pick(a1), pick(a2))
			stopped = in.loop.Stopped()
			if in.hostPanics > 0 {
				t.Logf("host.%s: %d Go panics turned into TypeErrors (%v)", called, in.hostPanics, callErr)
				for _, r := range logs.matching("Go panic") {
					t.Logf("%s", r["stack"])
				}
			}
		})
		if stopped {
			t.Fatalf("host.%s stopped the runtime (%v)", called, callErr)
		}
		res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
		if err != nil || res.Response == nil || string(res.Response.Body) != "alive" {
			t.Fatalf("after host.%s: the worker no longer answers: %v %v", called, res, err)
		}
	})
}

package worker

import (
	"strings"
	"testing"

	"github.com/grafana/sobek"
)

// TestIndexedDBHostFunctionsRejectHostileArguments calls every IndexedDB
// host function with the hostile values of FuzzHostFunctions (each value
// first, against a spread of others after it): each call returns or
// throws a JavaScript exception, and none gets there through a Go panic
// (the guard's TypeError, counted by hostPanics). idbInit and
// idbInitStores are left out: they replace the bootstrap's hooks.
func TestIndexedDBHostFunctionsRejectHostileArguments(t *testing.T) {
	w := newTestWorker(t, `addEventListener('fetch', (e) => e.respondWith(new Response('alive')));
indexedDB.cmp(1, 2); // builds the API`, Options{})
	onLoop(t, w, func(in *instance) {
		h := in.hostObject()
		val, n := hostileArgs(t, in)
		calls := 0
		for _, name := range h.Keys() {
			if !strings.HasPrefix(name, "idb") || name == "idbInit" || name == "idbInitStores" {
				continue
			}
			call, ok := sobek.AssertFunction(h.Get(name))
			if !ok {
				t.Fatalf("host.%s is not a function", name)
			}
			for a := range n {
				for b := 0; b < n; b += 7 {
					before := in.hostPanics
					_, err := call(sobek.Undefined(), val(a), val(b), val(a+b), val(a+2*b))
					calls++
					if in.hostPanics > before {
						t.Errorf("host.%s(values %d, %d, %d, %d): a Go panic: %v", name, a, b, (a+b)%n, (a+2*b)%n, err)
						break
					}
				}
			}
		}
		if calls < 1000 {
			t.Fatalf("only %d calls", calls)
		}
	})
	if got := fetchBody(t, w, "https://app.test/"); got != "alive" {
		t.Fatalf("the worker no longer answers: %q", got)
	}
}

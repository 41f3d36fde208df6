package worker

import (
	"testing"

	"github.com/grafana/sobek"
)

// BenchmarkHeaderRules measures the Fetch standard's header rules as
// JavaScript calls them (host functions backed by package fetch): one op
// is one call, the loop's own cost included.
func BenchmarkHeaderRules(b *testing.B) {
	in, err := newInstance()
	if err != nil {
		b.Fatal(err)
	}
	defer in.discard()
	close(in.bound) // no worker: the loop runs the benchmark's tasks
	for _, bm := range []struct{ name, call string }{
		{"loop", `void 0`},
		{"isCORSSafelistedRequestHeader", `h.isCORSSafelistedRequestHeader('content-type', 'text/plain;charset=UTF-8')`},
		{"isForbiddenRequestHeader", `h.isForbiddenRequestHeader('x-http-method-override', 'GET')`},
		{"isNoCORSSafelistedRequestHeaderName", `h.isNoCORSSafelistedRequestHeaderName('accept')`},
		{"isForbiddenMethod", `h.isForbiddenMethod('PATCH')`},
	} {
		b.Run(bm.name, func(b *testing.B) {
			var fn sobek.Callable
			done := make(chan error, 1)
			in.loop.Submit(func() {
				v, err := in.rt.RunString(`(function (h, n) { for (let i = 0; i < n; i++) ` + bm.call + `; })`)
				if err == nil {
					fn, _ = sobek.AssertFunction(v)
				}
				done <- err
			})
			if err := <-done; err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			in.loop.Submit(func() {
				_, err := fn(sobek.Undefined(), in.hostObject(), in.rt.ToValue(b.N))
				done <- err
			})
			if err := <-done; err != nil {
				b.Fatal(err)
			}
		})
	}
}

package worker

import (
	"context"
	"testing"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/sw"
)

// self.isSecureContext follows internal/trustworthy, the rule the registry
// uses: a domain that starts with "127." is not loopback (it was before).
func TestIsSecureContext(t *testing.T) {
	for _, c := range []struct {
		script string
		want   string
	}{
		{"https://app.test/sw.js", "true"},
		{"http://127.0.0.1:8080/sw.js", "true"},
		{"http://127.1/sw.js", "true"},
		{"http://[::1]/sw.js", "true"},
		{"http://app.localhost/sw.js", "true"},
		{"http://127.evil.example/sw.js", "false"},
		{"http://[::ffff:7f00:1]/sw.js", "false"},
		{"http://app.test/sw.js", "false"},
	} {
		s, err := CompileScript(context.Background(), c.script, sw.WorkerClassic, []byte(`
addEventListener('fetch', e => e.respondWith(new Response(String(self.isSecureContext))));`), nil, 0)
		if err != nil {
			t.Fatalf("%s: compile: %v", c.script, err)
		}
		w := New(s, Options{Console: testConsole(t), Registration: Registration{Scope: c.script[:len(c.script)-len("sw.js")]}})
		res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: c.script[:len(c.script)-len("sw.js")] + "x"}, FetchEventInit{})
		w.Close()
		if err != nil || res.Response == nil {
			t.Fatalf("%s: DispatchFetch = %+v, %v", c.script, res, err)
		}
		if got := string(res.Response.Body); got != c.want {
			t.Errorf("isSecureContext for a worker at %s = %s, want %s", c.script, got, c.want)
		}
	}
}

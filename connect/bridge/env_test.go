package bridge

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/swhost/swhost/connect"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/worker"
)

// originCheckWorker is the seed's echo worker with its suggested origin
// check filled in: only pages of ALLOWED may connect.
const originCheckWorker = `this.addEventListener('crossoriginconnect', function(event) {
  event.acceptConnection(event.client.origin === ALLOWED &&
    event.client.targetUrl === 'https://example.com/services/echo');
});
this.addEventListener('crossoriginmessage', function(event) {
  event.source.postMessage(event.data, event.ports);
});
`

// newBroker returns a broker over a registry where https://example.com
// has registered originCheckWorker with ALLOWED = allowed.
func newBroker(t testing.TB, allowed string) *connect.Broker {
	t.Helper()
	src := "const ALLOWED = " + quote(allowed) + ";\n" + originCheckWorker
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/serviceworker.js" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/javascript")
		_, _ = w.Write([]byte(src))
	}))
	t.Cleanup(srv.Close)
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	net := &network.Transport{Resolve: map[string]string{"https://example.com": srv.URL}}
	var b *connect.Broker
	r, err := registry.New(ctx, registry.Options{Store: st, Network: net, Limits: worker.Limits{IdleTimeout: -1},
		Environment: registry.Environment{Hooks: func(v *registry.Version) worker.Hooks { return b.WorkerHooks(v) }}})
	if err != nil {
		t.Fatal(err)
	}
	b = connect.New(r, connect.Options{FailureDelay: 2 * time.Second, FailureJitter: 5 * time.Millisecond})
	t.Cleanup(func() { b.Close(); r.Close(); st.Close() })
	if _, err := r.Register(ctx, registry.RegisterRequest{ClientURL: "https://example.com/", ScriptURL: "/serviceworker.js"}); err != nil {
		t.Fatal(err)
	}
	return b
}

func quote(s string) string { return `"` + s + `"` }

package connect

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/worker"
)

// testEnv is a registry over a fresh store whose scripts come from a
// loopback server standing for https://example.com, and a broker on it.
type testEnv struct {
	t   testing.TB
	mu  sync.Mutex
	js  map[string]string
	r   *registry.Registry
	b   *Broker
	st  *store.SQLStore
	srv *httptest.Server
}

const (
	svcOrigin = "https://example.com"
	appURL    = "http://example.com/webapp.js"
)

func newTestEnv(t testing.TB, opts Options) *testEnv {
	e := &testEnv{t: t, js: map[string]string{}}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		body, ok := e.js[r.URL.Path]
		e.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/javascript")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(e.srv.Close)
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	net := &network.Transport{Resolve: map[string]string{svcOrigin: e.srv.URL}}
	r, err := registry.New(ctx, registry.Options{Store: st, Network: net, Limits: worker.Limits{IdleTimeout: -1},
		Environment: registry.Environment{Hooks: func(v *registry.Version) worker.Hooks { return e.b.WorkerHooks(v) }}})
	if err != nil {
		t.Fatal(err)
	}
	if opts.FailureDelay == 0 {
		opts.FailureDelay = -1
	}
	if opts.FailureJitter == 0 {
		opts.FailureJitter = -1
	}
	e.r, e.st, e.b = r, st, New(r, opts)
	t.Cleanup(func() {
		e.b.Close()
		e.r.Close()
		e.st.Close()
	})
	return e
}

func (e *testEnv) setScript(path, src string) {
	e.mu.Lock()
	e.js[path] = src
	e.mu.Unlock()
}

// register serves src at path and registers it with scope ("" for the
// script's directory).
func (e *testEnv) register(path, scopeText, src string) *registry.Registration {
	e.t.Helper()
	e.setScript(path, src)
	reg, err := e.r.Register(context.Background(), registry.RegisterRequest{ClientURL: svcOrigin + "/", ScriptURL: path, Scope: scopeText})
	if err != nil {
		e.t.Fatalf("register %s: %v", path, err)
	}
	return reg
}

func (e *testEnv) connect(target string, options any) (*Port, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return e.b.Connect(ctx, appURL, target, options)
}

func (e *testEnv) mustConnect(target string, options any) *Port {
	e.t.Helper()
	p, err := e.connect(target, options)
	if err != nil {
		e.t.Fatalf("connect %s: %v", target, err)
	}
	e.t.Cleanup(p.Close)
	return p
}

// recv returns the next message on p within 10 s.
func recv(t testing.TB, p *Port) Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := p.Recv(ctx)
	if err != nil {
		t.Fatalf("recv: %v", err)
	}
	return m
}

// roundTrip posts data and returns the reply's data.
func roundTrip(t testing.TB, p *Port, data any) any {
	t.Helper()
	if err := p.PostMessage(data); err != nil {
		t.Fatalf("postMessage: %v", err)
	}
	return recv(t, p).Value()
}

// echoWorker is the seed's example service worker, unchanged.
const echoWorker = `// https://example.com/serviceworker.js
this.addEventListener('crossoriginconnect', function(event) {
  // Optionally check event.client.origin to determine if that origin should be
  // allowed access to this service.
  event.acceptConnection(event.client.targetUrl === 'https://example.com/services/echo');
});

this.addEventListener('crossoriginmessage', function(event) {
  event.source.postMessage(event.data, event.ports);
});
`

package worker

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
)

// seed reads one of the seeds' example scripts, kept verbatim under
// testdata/seeds (TestSeedSnippetsAreVerbatim checks them against the seed
// documents when those are present).
func seed(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/seeds/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSeedSnippetsAreVerbatim(t *testing.T) {
	entries, err := os.ReadDir("testdata/seeds")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		docs, _ := os.ReadDir("../../shared/seeds")
		for _, d := range docs {
			if !strings.HasPrefix(d.Name(), e.Name()[:3]+"_") {
				continue
			}
			doc, err := os.ReadFile("../../shared/seeds/" + d.Name())
			if err != nil {
				t.Fatal(err)
			}
			src := strings.Trim(seed(t, e.Name()), "\n")
			if !strings.Contains(string(doc), src) {
				t.Errorf("%s is not verbatim from %s", e.Name(), d.Name())
			}
		}
	}
}

// recorder collects what a worker posts to cross-origin clients.
type recorder struct {
	mu   sync.Mutex
	msgs []string
}

func (r *recorder) post(clientID string, m Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if clientID == "refused" {
		return weberr.New(weberr.InvalidStateError, "the connection was not accepted")
	}
	r.msgs = append(r.msgs, clientID+":"+jsonish(valueOf(m)))
	return nil
}

func jsonish(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

func TestSeedEchoService(t *testing.T) {
	rec := &recorder{}
	s, err := CompileScript(context.Background(), "https://example.com/serviceworker.js", sw.WorkerClassic, []byte(seed(t, "000_echo_serviceworker.js")), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := New(s, Options{Hooks: Hooks{CrossOriginPostMessage: rec.post}})
	defer w.Close()
	ctx := ctxT(t)
	echo := CrossOriginClient{ID: "c1", Origin: "http://example.com", TargetURL: "https://example.com/services/echo"}
	res, err := w.DispatchConnect(ctx, echo)
	if err != nil || !res.Accepted {
		t.Fatalf("connect to the echo service = %+v, %v; want accepted", res, err)
	}
	other := CrossOriginClient{ID: "c2", Origin: "http://example.com", TargetURL: "https://example.com/services/other"}
	if res, err := w.DispatchConnect(ctx, other); err != nil || res.Accepted {
		t.Fatalf("connect to another URL = %+v, %v; want rejected", res, err)
	}
	if err := w.DispatchCrossOriginMessage(ctx, echo, Message{Data: "hello"}); err != nil {
		t.Fatal(err)
	}
	if err := w.DispatchCrossOriginMessage(ctx, echo, Message{Data: map[string]any{"n": 1.0}}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rec.msgs, " | "); got != `c1:hello | c1:{"n":1}` {
		t.Errorf("echoed %q", got)
	}
	// Replying on a connection the host refuses throws InvalidStateError in
	// the worker, which reports it.
	err = w.DispatchCrossOriginMessage(ctx, CrossOriginClient{ID: "refused", Origin: "http://example.com", TargetURL: "https://example.com/services/echo"}, Message{Data: "x"})
	if weberr.NameOf(errors.Unwrap(err)) != weberr.InvalidStateError && !strings.Contains(fmtErr(err), "InvalidStateError") {
		t.Errorf("postMessage to a refused client: %v, want InvalidStateError", err)
	}
}

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestCrossOriginConnectEvent(t *testing.T) {
	tests := []struct {
		name, src string
		accepted  bool
		errIn     string
	}{
		{"no handler", ``, false, ""},
		{"handler without acceptConnection", `oncrossoriginconnect = () => {};`, false, ""},
		{"false", `oncrossoriginconnect = e => e.acceptConnection(false);`, false, ""},
		{"promise of true after a timer", `oncrossoriginconnect = e => e.acceptConnection(new Promise(r => setTimeout(() => r(true), 10)));`, true, ""},
		{"promise that rejects after a timer", `oncrossoriginconnect = e => e.acceptConnection(new Promise((_, j) => setTimeout(() => j(new Error('no')), 10)));`, false, "Error: no"},
		{"truthy non-boolean is not true", `oncrossoriginconnect = e => e.acceptConnection(1);`, false, ""},
		{"exception", `oncrossoriginconnect = e => { throw new Error('bad'); };`, false, ""},
		{"first call wins", `oncrossoriginconnect = e => { e.acceptConnection(true); try { e.acceptConnection(false); } catch (err) { if (err.name !== 'InvalidStateError') throw err; } };`, true, ""},
		{"options and origin are visible", `oncrossoriginconnect = e => e.acceptConnection(e.client.origin === 'https://page.test' && e.client.options.name === 'n' && e.client.options.data.k === 1 && e.client instanceof CrossOriginServiceWorkerClient);`, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newTestWorker(t, tt.src, Options{})
			client := CrossOriginClient{ID: "x", Origin: "https://page.test", TargetURL: "https://app.test/svc", Options: map[string]any{"name": "n", "data": map[string]any{"k": 1}}}
			res, err := w.DispatchConnect(ctxT(t), client)
			if err != nil {
				t.Fatal(err)
			}
			if res.Accepted != tt.accepted {
				t.Errorf("accepted = %v, want %v", res.Accepted, tt.accepted)
			}
			if tt.errIn != "" && (res.Err == nil || !strings.Contains(res.Err.Error(), tt.errIn)) {
				t.Errorf("Err = %v, want %q", res.Err, tt.errIn)
			}
		})
	}
}

func TestCrossOriginClientsGetAll(t *testing.T) {
	w := newTestWorker(t, `
addEventListener('fetch', e => e.respondWith((async () => {
  const all = await self.crossOriginClients.getAll();
  const some = await self.crossOriginClients.getAll({targetUrl: 'https://app.test/a'});
  return new Response(all.map(c => c.origin + ' ' + c.targetUrl).join(',') + '|' + some.length);
})()));`, Options{Hooks: Hooks{CrossOriginClients: func(_ context.Context, target string) ([]CrossOriginClient, error) {
		all := []CrossOriginClient{{ID: "1", Origin: "https://p.test", TargetURL: "https://app.test/a"}, {ID: "2", Origin: "https://q.test", TargetURL: "https://app.test/b"}}
		if target == "" {
			return all, nil
		}
		var out []CrossOriginClient
		for _, c := range all {
			if c.TargetURL == target {
				out = append(out, c)
			}
		}
		return out, nil
	}}})
	r, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if err != nil || r.Response == nil {
		t.Fatal(r, err)
	}
	if got := string(r.Response.Body); got != "https://p.test https://app.test/a,https://q.test https://app.test/b|1" {
		t.Errorf("getAll: %q", got)
	}
}

func TestSeedForeignFetchSnippets(t *testing.T) {
	ctx := ctxT(t)
	// The seed assumes a requestLogic() helper; it is defined before the
	// snippet, which itself is unchanged.
	prelude := "function requestLogic(request) { return Promise.resolve(new Response('logic for ' + request.url, {headers: {'Content-Type': 'text/plain', 'X-Secret': 's'}})); }\n"
	src := seed(t, "003_install.js") + prelude + seed(t, "003_foreignfetch_requestlogic.js")
	s, err := CompileScript(ctx, "https://fonts.test/sw.js", sw.WorkerClassic, []byte(src), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := New(s, Options{Registration: Registration{Scope: "https://fonts.test/"}})
	defer w.Close()
	inst, err := w.DispatchInstall(ctx)
	if err != nil || inst.ForeignFetch == nil {
		t.Fatalf("install = %+v, %v", inst, err)
	}
	if got := strings.Join(inst.ForeignFetch.Scopes, ",") + " " + strings.Join(inst.ForeignFetch.Origins, ","); got != "https://fonts.test/ *" {
		t.Errorf("registerForeignFetch = %q", got)
	}
	res, err := w.DispatchForeignFetch(ctx, &fetch.Request{URL: "https://fonts.test/font.woff", Mode: fetch.ModeCORS}, "https://app.test")
	if err != nil || res.Response == nil {
		t.Fatalf("foreignfetch = %+v, %v", res, err)
	}
	if !res.HasOrigin || res.Origin != "https://app.test" || strings.Join(res.Headers, ",") != "Content-Type" || string(res.Response.Body) != "logic for https://fonts.test/font.woff" {
		t.Errorf("foreignfetch result %+v body %q", res, res.Response.Body)
	}

	// The no-credentials snippet: fetch(), falling back to the cache.
	net := &flakyNetwork{}
	s2, err := CompileScript(ctx, "https://api.test/sw.js", sw.WorkerClassic, []byte(seed(t, "003_foreignfetch_nocredentials.js")), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	w2 := New(s2, Options{Fetcher: net})
	defer w2.Close()
	res, err = w2.DispatchForeignFetch(ctx, &fetch.Request{URL: "https://api.test/data", Credentials: fetch.CredentialsInclude}, "https://app.test")
	if err != nil || res.Response == nil || string(res.Response.Body) != "fresh" || res.HasOrigin {
		t.Fatalf("online: %+v, %v", res, err)
	}
	if net.lastCredentials != fetch.CredentialsSameOrigin {
		t.Errorf("the worker's fetch used credentials %q; the new Request should not carry the client's", net.lastCredentials)
	}
	// Offline with an empty cache: caches.match resolves to undefined, so the
	// promise resolves to {response: undefined}: a network error for Go.
	net.down = true
	res, err = w2.DispatchForeignFetch(ctx, &fetch.Request{URL: "https://api.test/data"}, "https://app.test")
	if err != nil || !res.Response.IsNetworkError() || res.Err == nil {
		t.Fatalf("offline: %+v, %v", res, err)
	}
}

func TestSeedFirstPartySnippets(t *testing.T) {
	ctx := ctxT(t)
	net := &flakyNetwork{}
	w := newTestWorker(t, seed(t, "003_firstparty_fetch.js"), Options{Fetcher: net})
	res, err := w.DispatchFetch(ctx, &fetch.Request{URL: "https://fonts.test/a.woff", Mode: fetch.ModeCORS}, FetchEventInit{})
	if err != nil || res.Response == nil || string(res.Response.Body) != "fresh" {
		t.Fatalf("fetch(event.request): %+v, %v", res, err)
	}
	if net.lastURL != "https://fonts.test/a.woff" {
		t.Errorf("fetched %q", net.lastURL)
	}

	prelude := "function localRequestLogic(request) { return new Response('local ' + request.url); }\n"
	w2 := newTestWorker(t, prelude+seed(t, "003_firstparty_fallthrough.js"), Options{})
	res, err = w2.DispatchFetch(ctx, &fetch.Request{URL: "https://app.test/page", Mode: fetch.ModeSameOrigin}, FetchEventInit{})
	if err != nil || res.Response == nil || string(res.Response.Body) != "local https://app.test/page" {
		t.Fatalf("same-origin: %+v, %v", res, err)
	}
	res, err = w2.DispatchFetch(ctx, &fetch.Request{URL: "https://fonts.test/a.woff", Mode: fetch.ModeCORS}, FetchEventInit{})
	if err != nil || res.Response != nil {
		t.Fatalf("cross-origin should fall through: %+v, %v", res, err)
	}
}

// flakyNetwork answers "fresh" unless down.
type flakyNetwork struct {
	mu              sync.Mutex
	down            bool
	lastURL         string
	lastCredentials fetch.Credentials
}

func (n *flakyNetwork) Fetch(_ context.Context, req *fetch.Request) (*fetch.Response, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.lastURL, n.lastCredentials = req.URL, req.Credentials
	if n.down {
		return nil, errors.New("offline")
	}
	return &fetch.Response{Type: fetch.TypeBasic, URL: req.URL, Status: 200, Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte("fresh")}, nil
}

func TestMessageEvent(t *testing.T) {
	w := newTestWorker(t, `
let last = null;
addEventListener('message', e => {
  last = e;
  e.waitUntil(Promise.resolve());
});
addEventListener('fetch', e => e.respondWith(new Response(JSON.stringify({data: last.data, origin: last.origin, ext: last instanceof ExtendableMessageEvent}))));`, Options{})
	if err := w.DispatchMessage(ctxT(t), Message{Data: map[string]any{"a": []any{1.0, "x"}}}, "https://app.test"); err != nil {
		t.Fatal(err)
	}
	r, _ := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if got := string(r.Response.Body); got != `{"data":{"a":[1,"x"]},"origin":"https://app.test","ext":true}` {
		t.Errorf("message event: %s", got)
	}
}

// TestMessageEventLifetime: DispatchMessage waits for the event's
// lifetime promises, settled or pending, and fails with the first
// rejection.
func TestMessageEventLifetime(t *testing.T) {
	w := newTestWorker(t, `
const log = [];
addEventListener('message', e => {
  if (e.data === 'reject') e.waitUntil(Promise.reject(new Error('message failed')));
  if (e.data === 'pending') e.waitUntil(new Promise(r => setTimeout(r, 5)).then(() => log.push('pending done')));
  if (e.data === 'pending-reject') e.waitUntil(new Promise((_, j) => setTimeout(() => j(new Error('late')), 5)));
});
addEventListener('fetch', e => e.respondWith(new Response(log.join(','))));`, Options{})
	if err := w.DispatchMessage(ctxT(t), Message{Data: "reject"}, ""); err == nil || !strings.Contains(err.Error(), "message failed") {
		t.Errorf("rejected waitUntil: %v", err)
	}
	if err := w.DispatchMessage(ctxT(t), Message{Data: "pending-reject"}, ""); err == nil || !strings.Contains(err.Error(), "late") {
		t.Errorf("pending then rejected waitUntil: %v", err)
	}
	if err := w.DispatchMessage(ctxT(t), Message{Data: "pending"}, ""); err != nil {
		t.Fatal(err)
	}
	// No sleep: DispatchMessage returned only once the promise settled.
	r, _ := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if got := string(r.Response.Body); got != "pending done" {
		t.Errorf("log = %q", got)
	}
	if n := w.Stats().UnhandledRejections; n != 0 {
		t.Errorf("%d unhandled rejections: waitUntil handles its promises", n)
	}
}

func TestMessageDataConversions(t *testing.T) {
	var got Message
	w := newTestWorker(t, `
addEventListener('message', e => {
  const d = e.data;
  self.seen = [d.when instanceof Date, d.when.getTime(), d.buf instanceof ArrayBuffer, d.list.length, d.nested.k].join(',');
});
addEventListener('fetch', e => e.respondWith(new Response(self.seen)));
oncrossoriginmessage = e => e.source.postMessage({when: new Date(5000), bytes: new Uint8Array([7]), n: 2, s: 'x', list: [1, 'a'], nil: null});
`, Options{Hooks: Hooks{CrossOriginPostMessage: func(_ string, m Message) error { got = m; return nil }}})
	when := time.UnixMilli(1234)
	if err := w.DispatchMessage(ctxT(t), Message{Data: map[string]any{"when": when, "buf": []byte{1, 2}, "list": []any{1.0, "b"}, "nested": map[string]any{"k": "v"}}}, ""); err != nil {
		t.Fatal(err)
	}
	r, _ := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if s := string(r.Response.Body); s != "true,1234,true,2,v" {
		t.Errorf("Go to JS: %q", s)
	}
	if err := w.DispatchCrossOriginMessage(ctxT(t), CrossOriginClient{ID: "c"}, Message{Data: "hi"}); err != nil {
		t.Fatal(err)
	}
	m, ok := valueOf(got).(map[string]any)
	if !ok {
		t.Fatalf("JS to Go: %T", valueOf(got))
	}
	if tm, ok := m["when"].(time.Time); !ok || tm.UnixMilli() != 5000 {
		t.Errorf("Date exported as %T %v", m["when"], m["when"])
	}
	if b, ok := m["bytes"].([]byte); !ok || len(b) != 1 || b[0] != 7 {
		t.Errorf("Uint8Array exported as %T %v", m["bytes"], m["bytes"])
	}
	if m["s"] != "x" || m["nil"] != nil || len(m["list"].([]any)) != 2 {
		t.Errorf("exported %v", m)
	}
}

package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"testing"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/server"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/worker"
)

// relayBodyBytes is the body BenchmarkStreamRelay moves per request.
const relayBodyBytes = 100 << 20

// relayUpstream serves relayBodyBytes at every path but /sw.js, which is
// the pass-through worker, to a GET; to a POST it answers the number of
// bytes its body had.
func relayUpstream() *httptest.Server {
	body := bytes.Repeat([]byte("0123456789abcdef"), relayBodyBytes/16)
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sw.js" {
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, passThroughWorker)
			return
		}
		if r.Method == http.MethodPost {
			// An upload: read it all, answer how much arrived.
			n, err := io.Copy(io.Discard, r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			io.WriteString(w, strconv.FormatInt(n, 10))
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	}))
}

// relayEdge is swhost's edge, in process, for https://app.test mapped to
// up, with the pass-through worker registered for it.
func relayEdge(b *testing.B, up string) (edge *httptest.Server, closeAll func()) {
	ctx := context.Background()
	st, err := store.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	tr := &network.Transport{Resolve: map[string]string{"https://app.test": up}}
	var a *agent.Agent
	r, err := registry.New(ctx, registry.Options{Store: st, Network: tr, Logger: quietLogger(), Limits: worker.Limits{IdleTimeout: -1},
		Environment: registry.Environment{
			Fetcher: func(reg *registry.Registration) fetch.Fetcher { return a.WorkerFetcher(reg) },
			Clients: func(reg *registry.Registration) worker.Clients { return a.WorkerClients(reg) },
		}})
	if err != nil {
		b.Fatal(err)
	}
	a = agent.New(r, tr, agent.Options{Logger: quietLogger()})
	if _, err := r.Register(ctx, registry.RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "/sw.js"}); err != nil {
		b.Fatal(err)
	}
	srv := server.New(server.Options{Registry: r, Agent: a, Network: tr, Logger: quietLogger()})
	edge = httptest.NewServer(srv.EdgeHandler("https"))
	return edge, func() { edge.Close(); srv.Shutdown(); a.Close(); r.Close(); st.Close() }
}

// getAll GETs target (with Host host, when not "") and discards the body,
// which must be relayBodyBytes long; it returns the X-Swhost-Served-By
// header.
func getAll(b *testing.B, c *http.Client, target, host string, buf []byte) string {
	req, _ := http.NewRequest("GET", target, nil)
	if host != "" {
		req.Host = host
	}
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.CopyBuffer(io.Discard, resp.Body, buf)
	resp.Body.Close()
	if err != nil || n != relayBodyBytes || resp.StatusCode != 200 {
		b.Fatalf("%s: %s, %d bytes, %v", target, resp.Status, n, err)
	}
	return resp.Header.Get("X-Swhost-Served-By")
}

// BenchmarkStreamRelay measures a 100 MiB body relayed by a worker,
// respondWith(fetch(e.request)) behind swhost's edge, against the same
// body through net/http/httputil.ReverseProxy, from the same loopback
// upstream. b.SetBytes makes -bench report MB/s.
func BenchmarkStreamRelay(b *testing.B) {
	up := relayUpstream()
	defer up.Close()
	buf := make([]byte, 256<<10)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}

	b.Run("worker", func(b *testing.B) {
		edge, closeAll := relayEdge(b, up.URL)
		defer closeAll()
		if by := getAll(b, client, edge.URL+"/warm", "app.test", buf); by != "fetch-event https://app.test/sw.js" {
			b.Fatalf("served by %q, want the worker", by)
		}
		b.SetBytes(relayBodyBytes)
		b.ResetTimer()
		for b.Loop() {
			getAll(b, client, edge.URL+"/data", "app.test", buf)
		}
	})
	b.Run("reverseproxy", func(b *testing.B) {
		target, _ := url.Parse(up.URL)
		rp := httptest.NewServer(httputil.NewSingleHostReverseProxy(target))
		defer rp.Close()
		b.SetBytes(relayBodyBytes)
		b.ResetTimer()
		for b.Loop() {
			getAll(b, client, rp.URL+"/data", "", buf)
		}
	})
}

// postAll POSTs body to target (with Host host, when not "") and checks
// that the upstream got all of it; it returns the X-Swhost-Served-By
// header.
func postAll(b *testing.B, c *http.Client, target, host string, body []byte) string {
	req, _ := http.NewRequest("POST", target, bytes.NewReader(body))
	if host != "" {
		req.Host = host
	}
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || string(got) != strconv.Itoa(len(body)) {
		b.Fatalf("%s: %s, %q, %v", target, resp.Status, got, err)
	}
	return resp.Header.Get("X-Swhost-Served-By")
}

// BenchmarkUploadRelay measures a 100 MiB upload relayed by a worker,
// respondWith(fetch(e.request)) behind swhost's edge (the request body
// streams from the client through the worker to the upstream), against
// the same upload through net/http/httputil.ReverseProxy to the same
// loopback upstream. b.SetBytes makes -bench report MB/s.
func BenchmarkUploadRelay(b *testing.B) {
	up := relayUpstream()
	defer up.Close()
	body := bytes.Repeat([]byte("fedcba9876543210"), relayBodyBytes/16)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}

	b.Run("worker", func(b *testing.B) {
		edge, closeAll := relayEdge(b, up.URL)
		defer closeAll()
		if by := postAll(b, client, edge.URL+"/warm", "app.test", body[:1<<20]); by != "fetch-event https://app.test/sw.js" {
			b.Fatalf("served by %q, want the worker", by)
		}
		b.SetBytes(relayBodyBytes)
		b.ResetTimer()
		for b.Loop() {
			postAll(b, client, edge.URL+"/upload", "app.test", body)
		}
	})
	b.Run("reverseproxy", func(b *testing.B) {
		target, _ := url.Parse(up.URL)
		rp := httptest.NewServer(httputil.NewSingleHostReverseProxy(target))
		defer rp.Close()
		b.SetBytes(relayBodyBytes)
		b.ResetTimer()
		for b.Loop() {
			postAll(b, client, rp.URL+"/upload", "", body)
		}
	})
}

package worker

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/sw"
)

// TestJS runs every testdata/*.test.js file as a worker script with the
// harness (testdata/harness.js, imported as /harness.js) and reports each
// JavaScript test as a Go subtest.
func TestJS(t *testing.T) {
	files, err := filepath.Glob("testdata/*.test.js")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.test.js files (%v)", err)
	}
	harness, err := os.ReadFile("testdata/harness.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".test.js")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			scriptURL := "https://test.swhost/" + filepath.Base(file)
			loader := MapLoader{"https://test.swhost/harness.js": string(harness)}
			for _, helper := range []string{"helper.js", "idb.js"} {
				if b, err := os.ReadFile(filepath.Join("testdata", helper)); err == nil {
					loader["https://test.swhost/"+helper] = string(b)
				}
			}
			results := runJSTests(t, scriptURL, src, loader)
			if len(results) == 0 {
				t.Fatal("the file declared no tests")
			}
			for _, r := range results {
				t.Run(r.Name, func(t *testing.T) {
					if r.Status != "PASS" {
						t.Errorf("%s\n%s", r.Message, r.Stack)
					}
				})
			}
		})
	}
}

type jsResult struct {
	Name, Status, Message, Stack string
}

func runJSTests(t *testing.T, scriptURL string, src []byte, loader Loader) []jsResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := CompileScript(ctx, scriptURL, sw.WorkerClassic, src, loader, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := New(s, Options{
		Loader:       loader,
		Fetcher:      fakeNetwork{},
		Registration: Registration{Scope: "https://test.swhost/"},
		Console:      testConsole(t),
		// A fresh engine per run: the process-wide in-memory one would
		// keep the databases of an earlier run (go test -count 2).
		IndexedDB: indexeddb.NewFactory(indexeddb.NewMemoryBackend(), IDBHostCodec),
	})
	defer w.Close()
	if _, err := w.DispatchInstall(ctx); err != nil {
		t.Fatalf("install: %v", err)
	}
	res, err := w.DispatchFetch(ctx, &fetch.Request{URL: "https://test.swhost/__results"}, FetchEventInit{})
	if err != nil {
		t.Fatalf("collecting results: %v", err)
	}
	if res.Response == nil {
		t.Fatalf("the harness did not answer (exceptions: %v)", res.Exceptions)
	}
	if res.RespondWithError != nil {
		t.Fatalf("the harness failed: %v", res.RespondWithError)
	}
	var out []jsResult
	if err := json.Unmarshal(res.Response.Body, &out); err != nil {
		t.Fatalf("results %q: %v", res.Response.Body, err)
	}
	return out
}

// fakeNetwork answers the JS tests' fetch() and cache.add() calls without a
// network: /net/404 is a 404, /net/fail a network error, /net/echo-body
// echoes the request body, anything else under /net/ says "network PATH".
type fakeNetwork struct{}

func (fakeNetwork) Fetch(_ context.Context, req *fetch.Request) (*fetch.Response, error) {
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil, err
	}
	switch {
	case u.Path == "/net/fail":
		return nil, errors.New("connection refused")
	case u.Path == "/net/404":
		return &fetch.Response{Type: fetch.TypeBasic, URL: req.URL, Status: 404, Header: http.Header{}, Body: []byte("not found")}, nil
	case u.Path == "/net/echo-body":
		resp := &fetch.Response{Type: fetch.TypeBasic, URL: req.URL, Status: 200, Header: http.Header{}, Body: req.Body}
		if req.Stream != nil {
			// A streamed request body comes back as the response's stream.
			resp.Stream, req.Stream = req.Stream, nil
		}
		return resp, nil
	}
	h := http.Header{"Content-Type": {"text/plain"}}
	if v := req.Header.Get("X-Echo"); v != "" {
		h.Set("X-Echoed", v)
	}
	return &fetch.Response{Type: fetch.TypeBasic, URL: req.URL, Status: 200, StatusText: "OK", Header: h, Body: []byte("network " + u.Path)}, nil
}

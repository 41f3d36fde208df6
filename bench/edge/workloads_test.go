package edge

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/swhost/swhost/bench/edge/workloads"
)

// TestWorkloads checks that run.sh compares like with like: for every
// workload and request path, the swhost worker (in process, the edge
// handler over the upstream run.sh serves) and the plain Go peer answer
// the same status, content type and body, and the headers workload
// rewrites the upstream's headers in both. workerd's answers are compared
// by run.sh itself before it measures.
func TestWorkloads(t *testing.T) {
	dir := t.TempDir()
	if err := workloads.WriteSite("../..", dir); err != nil {
		t.Fatal(err)
	}
	for _, w := range workloads.Names {
		t.Run(w, func(t *testing.T) {
			f := newSiteFixture(t, false, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/sw.js" {
					r.URL.Path = "/sw-" + w + ".js"
				}
				workloads.Upstream(dir).ServeHTTP(rw, r)
			}))
			defer f.close()
			peer, err := workloads.Peer(w, f.upstream.URL, "../..")
			if err != nil {
				t.Fatal(err)
			}
			for _, path := range workloads.Paths(w) {
				sw, plain := answer(f.edge, path), answer(peer, path)
				if !strings.HasPrefix(sw.Header.Get("X-Swhost-Served-By"), "fetch-event ") {
					t.Errorf("%s: swhost did not answer from the fetch event: %q", path, sw.Header.Get("X-Swhost-Served-By"))
				}
				ct := func(r *http.Response) string {
					return strings.ToLower(strings.ReplaceAll(r.Header.Get("Content-Type"), " ", ""))
				}
				if sw.StatusCode != plain.StatusCode || ct(sw) != ct(plain) || body(sw) != body(plain) {
					t.Errorf("%s: swhost %d %q %.200q, plain Go %d %q %.200q", path, sw.StatusCode, ct(sw), body(sw), plain.StatusCode, ct(plain), body(plain))
				}
				if w == "headers" {
					for _, r := range []*http.Response{sw, plain} {
						if r.Header.Get("X-Edge") != "worker" || r.Header.Get("X-Powered-By") != "" || r.Header.Get("Server") != "" {
							t.Errorf("%s: headers not rewritten: %v", path, r.Header)
						}
					}
				}
			}
		})
	}
}

// answer runs GET https://app.test/PATH through h.
func answer(h http.Handler, path string) *http.Response {
	r := httptest.NewRequest(http.MethodGet, "http://app.test"+path, nil)
	r.Host = "app.test"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec.Result()
}

func body(r *http.Response) string {
	b, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(strings.NewReader(string(b)))
	return string(b)
}

// BenchmarkWorkloads runs each workload of run.sh in process: wrk's
// requests (its paths in turn) through the edge handler, against the
// plain Go peer in the same run, without HTTP or wrk, so that a profile
// shows the worker's and the host's work alone.
//
//	cd bench/edge && go test -run '^$' -bench Workloads -benchtime 2000x -count 3 -benchmem .
func BenchmarkWorkloads(b *testing.B) {
	dir := b.TempDir()
	if err := workloads.WriteSite("../..", dir); err != nil {
		b.Fatal(err)
	}
	for _, w := range workloads.Names {
		f := newSiteFixture(b, false, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/sw.js" {
				r.URL.Path = "/sw-" + w + ".js"
			}
			workloads.Upstream(dir).ServeHTTP(rw, r)
		}))
		peer, err := workloads.Peer(w, f.upstream.URL, "../..")
		if err != nil {
			b.Fatal(err)
		}
		paths := workloads.Paths(w)
		for _, target := range []struct {
			name string
			h    http.Handler
		}{{"swhost", f.edge}, {"plain", peer}} {
			b.Run(w+"/"+target.name, func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					r := answer(target.h, paths[i%len(paths)])
					if r.StatusCode >= 500 {
						b.Fatalf("%s: %d", paths[i%len(paths)], r.StatusCode)
					}
					i++
				}
			})
		}
		f.close()
	}
}

package httpcache

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/store"
)

// benchUpstream answers with a copy of a sample font response.
type benchUpstream struct{ e *entry }

func (u benchUpstream) Fetch(_ context.Context, req *fetch.Request) (*fetch.Response, error) {
	r := *u.e.resp
	r.URL = req.URL
	return &r, nil
}

func benchCache(b *testing.B, st Storage) (*Cache, fetch.Fetcher) {
	b.Helper()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	c := New(st, Options{Now: func() time.Time { return now }, MaxBytes: 1 << 30})
	return c, benchUpstream{sampleEntry(4096)}
}

func sqlStorage(b *testing.B) Storage {
	b.Helper()
	st, err := store.Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

func benchHit(b *testing.B, st Storage) {
	c, u := benchCache(b, st)
	req := &fetch.Request{URL: "https://fonts.test/roboto/v30/regular.woff2", Header: http.Header{"Accept-Encoding": {"gzip, br"}}}
	ctx := context.Background()
	if _, out, err := c.Fetch(ctx, req, u); err != nil || out != OutcomeMiss {
		b.Fatalf("first fetch: %s %v", out, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		resp, out, err := c.Fetch(ctx, req, u)
		if err != nil || out != OutcomeHit || len(resp.Body) != 4096 {
			b.Fatalf("hit: %s %v", out, err)
		}
	}
}

// BenchmarkHit is a fresh 4 KiB response with ten header fields served
// from the cache.
func BenchmarkHit(b *testing.B) {
	b.Run("memory", func(b *testing.B) { benchHit(b, &MemoryStorage{}) })
	b.Run("sql", func(b *testing.B) { benchHit(b, sqlStorage(b)) })
}

// BenchmarkMissStore is a reload-mode fetch: no lookup, the upstream's
// response is encoded and stored (overwriting one of 64 keys).
func BenchmarkMissStore(b *testing.B) {
	run := func(b *testing.B, st Storage) {
		c, u := benchCache(b, st)
		ctx := context.Background()
		var reqs []*fetch.Request
		for i := range 64 {
			reqs = append(reqs, &fetch.Request{URL: fmt.Sprintf("https://fonts.test/f%d.woff2", i), Cache: fetch.CacheReload})
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, out, err := c.Fetch(ctx, reqs[i%len(reqs)], u); err != nil || out != OutcomeMiss {
				b.Fatalf("miss: %s %v", out, err)
			}
			i++
		}
	}
	b.Run("memory", func(b *testing.B) { run(b, &MemoryStorage{}) })
	b.Run("sql", func(b *testing.B) { run(b, sqlStorage(b)) })
}

// BenchmarkNoEntry is a GET for a URL with nothing stored, answered by the
// upstream with a response that is not storable: the cost of consulting
// the cache on the way to the network.
func BenchmarkNoEntry(b *testing.B) {
	e := sampleEntry(16)
	e.resp.Header = http.Header{"Cache-Control": {"no-store"}}
	c := New(&MemoryStorage{}, Options{})
	u := benchUpstream{e}
	req := &fetch.Request{URL: "https://api.test/v1/items"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, out, err := c.Fetch(ctx, req, u); err != nil || out != OutcomeUncacheable {
			b.Fatalf("%s %v", out, err)
		}
	}
}

func BenchmarkParseDirectives(b *testing.B) {
	lines := []string{"public, max-age=31536000, immutable"}
	b.ReportAllocs()
	for b.Loop() {
		parseDirectives(lines)
	}
}

// jsonEntry is the same entry as JSON, the alternative format measured
// against the binary one.
type jsonEntry struct {
	RequestTime  time.Time       `json:"req"`
	ResponseTime time.Time       `json:"resp"`
	Response     *fetch.Response `json:"r"`
	Vary         [][3]string     `json:"v"`
}

func BenchmarkEntry(b *testing.B) {
	e := sampleEntry(4096)
	enc := appendEntry(nil, e)
	b.Run("binary/encode", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = appendEntry(buf[:0], e)
		}
		b.ReportMetric(float64(len(enc)), "bytes")
	})
	b.Run("binary/decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeEntry(enc); err != nil {
				b.Fatal(err)
			}
		}
	})
	je := jsonEntry{e.requestTime, e.responseTime, e.resp, [][3]string{{"Accept-Encoding", "1", "gzip, br"}}}
	js, _ := json.Marshal(je)
	b.Run("json/encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(je); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(js)), "bytes")
	})
	b.Run("json/decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out jsonEntry
			if err := json.Unmarshal(js, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkNetwork is the same 4 KiB font fetched from a loopback server
// through network.Transport, the step a hit saves, for comparison.
func BenchmarkNetwork(b *testing.B) {
	e := sampleEntry(4096)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, vs := range e.resp.Header {
			w.Header()[k] = vs
		}
		w.Write(e.resp.Body)
	}))
	defer srv.Close()
	tr := &network.Transport{Resolve: map[string]string{"https://fonts.test": srv.URL}}
	req := &fetch.Request{URL: "https://fonts.test/roboto/v30/regular.woff2"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := tr.Fetch(ctx, req)
		if err != nil || resp.Status != 200 || len(resp.Body) != 4096 {
			b.Fatalf("%v %v", resp, err)
		}
	}
}

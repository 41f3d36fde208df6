package httpcache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/store"
)

// fixed answers every request with a response fresh for an hour at the
// test clock's t0, whose body is the URL's last path segment repeated n
// times. Caches that read it must use a [clock] (newClock) so that its
// freshness does not depend on the real date.
func fixed(n int) *upstream {
	return &upstream{answer: func(req *fetch.Request) *fetch.Response {
		seg := req.URL[strings.LastIndexByte(req.URL, '/')+1:]
		return &fetch.Response{Type: fetch.TypeBasic, URL: req.URL, Status: 200,
			Header: http.Header{"Cache-Control": {"max-age=3600"}, "Date": {t0.Format(http.TimeFormat)}},
			Body:   bytes.Repeat([]byte(seg), n)}
	}}
}

func get(t *testing.T, c *Cache, u fetch.Fetcher, url string) Outcome {
	t.Helper()
	_, out, err := c.Fetch(t.Context(), &fetch.Request{URL: url}, u)
	if err != nil {
		t.Fatalf("Fetch %s: %v", url, err)
	}
	return out
}

func TestEviction(t *testing.T) {
	clk := newClock()
	u := fixed(100)
	url := func(i int) string { return fmt.Sprintf("https://app.test/%d", i) }

	// Measure one entry.
	probe := New(&MemoryStorage{}, Options{Now: clk.Now})
	get(t, probe, u, url(0))
	_, size, err := probe.Usage(t.Context())
	if err != nil || size == 0 {
		t.Fatalf("Usage: %d, %v", size, err)
	}

	st := &MemoryStorage{}
	c := New(st, Options{Now: clk.Now, MaxBytes: 3*size + size/2})
	for i := 1; i <= 3; i++ {
		if out := get(t, c, u, url(i)); out != OutcomeMiss {
			t.Fatalf("url %d: %s", i, out)
		}
	}
	// Use 1, so that 2 is the least recently used.
	if out := get(t, c, u, url(1)); out != OutcomeHit {
		t.Fatalf("url 1: %s", out)
	}
	get(t, c, u, url(4))
	n, total, _ := c.Usage(t.Context())
	if n != 3 || total != 3*size {
		t.Errorf("after eviction: %d entries, %d bytes; want 3, %d", n, total, 3*size)
	}
	su, _ := st.Usage(t.Context(), KeyPrefix)
	if su.Entries != 3 || su.Bytes != total {
		t.Errorf("storage holds %+v, index says %d, %d", su, n, total)
	}
	for _, i := range []int{1, 3, 4} {
		if out := get(t, c, u, url(i)); out != OutcomeHit {
			t.Errorf("url %d: %s, want hit", i, out)
		}
	}
	if _, err := st.Get(t.Context(), Key(url(2))); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("url 2 still stored: %v", err)
	}

	// A new cache over the same storage with a smaller budget evicts the
	// oldest-written entries when it loads.
	c2 := New(st, Options{Now: clk.Now, MaxBytes: size + size/2})
	n, total, err = c2.Usage(t.Context())
	if err != nil || n != 1 || total != size {
		t.Fatalf("reloaded: %d entries, %d bytes, %v", n, total, err)
	}
	if out := get(t, c2, u, url(4)); out != OutcomeHit {
		t.Errorf("newest entry after reload: %s, want hit", out)
	}
}

func TestMaxEntryBytes(t *testing.T) {
	clk := newClock()
	st := &MemoryStorage{}
	c := New(st, Options{Now: clk.Now, MaxEntryBytes: 1000})
	if out := get(t, c, fixed(10), testURL); out != OutcomeMiss {
		t.Fatalf("small: %s", out)
	}
	// A larger response for the same URL is not stored and drops the old one.
	if out := get(t, c, fixed(200), testURL+"?big"); out != OutcomeUncacheable {
		t.Errorf("big: %s, want uncacheable", out)
	}
	clk.Advance(2 * time.Hour)
	if out := get(t, c, fixed(200), testURL); out != OutcomeUncacheable {
		t.Errorf("big replacement: %s", out)
	}
	if n, _, _ := c.Usage(t.Context()); n != 0 {
		t.Errorf("%d entries left, want 0", n)
	}
	// MaxEntryBytes is capped at MaxBytes.
	c = New(&MemoryStorage{}, Options{Now: clk.Now, MaxBytes: 100, MaxEntryBytes: 1 << 20})
	if out := get(t, c, fixed(200), testURL); out != OutcomeUncacheable {
		t.Errorf("over MaxBytes: %s", out)
	}
}

// failing is a storage whose operations fail on demand.
type failing struct {
	MemoryStorage
	mu                           sync.Mutex
	get, put, scan, del, corrupt bool
}

var errBroken = errors.New("disk on fire")

func (f *failing) Get(ctx context.Context, key string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.get {
		return nil, errBroken
	}
	if f.corrupt {
		return []byte("HC\x01garbage"), nil
	}
	return f.MemoryStorage.Get(ctx, key)
}

func (f *failing) Put(ctx context.Context, key string, v []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.put {
		return errBroken
	}
	return f.MemoryStorage.Put(ctx, key, v)
}

func (f *failing) Scan(ctx context.Context, prefix string, opts store.ScanOptions, fn func(store.KVEntry) error) error {
	f.mu.Lock()
	scan := f.scan
	f.mu.Unlock()
	if scan {
		return errBroken
	}
	return f.MemoryStorage.Scan(ctx, prefix, opts, fn)
}

func (f *failing) set(fn func()) {
	f.mu.Lock()
	fn()
	f.mu.Unlock()
}

func TestStorageFailures(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	u := fixed(10)

	f := &failing{scan: true}
	c := New(f, Options{Logger: logger, Now: newClock().Now})
	if out := get(t, c, u, testURL); out != OutcomeUncacheable {
		t.Errorf("index unreadable: %s, want uncacheable", out)
	}
	f.set(func() { f.scan = false })
	if out := get(t, c, u, testURL); out != OutcomeMiss {
		t.Errorf("index readable again: %s, want miss", out)
	}

	f.set(func() { f.get = true })
	if out := get(t, c, u, testURL); out != OutcomeMiss {
		t.Errorf("Get failing: %s, want miss (answered by the network)", out)
	}
	f.set(func() { f.get, f.put = false, true })
	if out := get(t, c, u, testURL+"2"); out != OutcomeUncacheable {
		t.Errorf("Put failing: %s, want uncacheable", out)
	}
	f.set(func() { f.put, f.corrupt = false, true })
	if out := get(t, c, u, testURL); out != OutcomeMiss {
		t.Errorf("corrupt entry: %s, want miss", out)
	}
	f.set(func() { f.corrupt = false })
	if out := get(t, c, u, testURL); out != OutcomeHit {
		t.Errorf("after corrupt entry was replaced: %s, want hit", out)
	}
	for _, want := range []string{"loading the index failed", "reading an entry failed", "storing a response failed", "dropping an unreadable entry", "disk on fire"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}

	// An entry deleted behind the cache's back is a miss.
	if err := f.Delete(t.Context(), Key(testURL)); err != nil {
		t.Fatal(err)
	}
	if out := get(t, c, u, testURL); out != OutcomeMiss {
		t.Errorf("entry lost by the storage: %s, want miss", out)
	}
}

// TestConcurrent runs many fetches at once (meaningful under -race) and
// checks that the index agrees with the storage afterwards.
func TestConcurrent(t *testing.T) {
	st := &MemoryStorage{}
	clk := newClock()
	probe := New(&MemoryStorage{}, Options{Now: clk.Now})
	get(t, probe, fixed(50), "https://app.test/0")
	_, size, _ := probe.Usage(t.Context())
	c := New(st, Options{Now: clk.Now, MaxBytes: 10 * size})
	u := fixed(50)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 60 {
				url := fmt.Sprintf("https://app.test/%d", (g*7+i)%25)
				method := ""
				if i%13 == 0 {
					method = "POST"
				}
				if _, _, err := c.Fetch(context.Background(), &fetch.Request{Method: method, URL: url}, u); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	n, total, _ := c.Usage(t.Context())
	su, _ := st.Usage(t.Context(), KeyPrefix)
	if n != su.Entries || total != su.Bytes || total > 10*size {
		t.Errorf("index %d entries %d bytes, storage %+v, budget %d", n, total, su, 10*size)
	}
}

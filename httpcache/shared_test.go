package httpcache

import (
	"context"
	"net/http"
	"testing"

	"github.com/swhost/swhost/fetch"
)

// TestShared: two caches on one storage (two nodes of a fleet). With
// Shared, one finds what the other stored (and then counts it in its own
// index); without it, a key missing from the index is a miss.
func TestShared(t *testing.T) {
	ctx := context.Background()
	var st MemoryStorage
	clk := newClock()
	up := &upstream{answer: func(req *fetch.Request) *fetch.Response {
		return &fetch.Response{Status: 200, Header: http.Header{"Cache-Control": {"max-age=3600"}, "Date": {clk.Now().Format(http.TimeFormat)}}, Body: []byte("font")}
	}}
	a := New(&st, Options{Now: clk.Now, Shared: true})
	b := New(&st, Options{Now: clk.Now, Shared: true})
	alone := New(&st, Options{Now: clk.Now})
	// alone loads its (empty) index before a stores anything.
	if _, _, err := alone.Usage(ctx); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := a.Fetch(ctx, &fetch.Request{URL: testURL}, up); out != OutcomeMiss {
		t.Fatalf("a: %s, want miss", out)
	}
	resp, out, _ := b.Fetch(ctx, &fetch.Request{URL: testURL}, up)
	if out != OutcomeHit || string(resp.Body) != "font" || up.calls() != 1 {
		t.Errorf("b: %s %q after %d upstream calls, want a hit on a's entry", out, resp.Body, up.calls())
	}
	if n, size, _ := b.Usage(ctx); n != 1 || size == 0 {
		t.Errorf("b's index: %d entries, %d bytes; want the adopted entry", n, size)
	}
	if _, out, _ := alone.Fetch(ctx, &fetch.Request{URL: testURL}, up); out != OutcomeMiss {
		t.Errorf("a cache not Shared: %s, want miss (its index does not know the key)", out)
	}
}

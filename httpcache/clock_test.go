package httpcache_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/swhost/swhost/clock"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/httpcache"
)

// datedServer answers with max-age=60 and a Date header on its own wall
// clock, a day behind the cache's manual clock.
type datedServer struct {
	date     time.Time
	requests int
}

func (s *datedServer) Fetch(_ context.Context, req *fetch.Request) (*fetch.Response, error) {
	s.requests++
	return &fetch.Response{
		Type: fetch.TypeBasic, URL: req.URL, Status: 200,
		Header: http.Header{"Cache-Control": {"max-age=60"}, "Date": {s.date.Format(http.TimeFormat)}},
		Body:   []byte("body"),
	}, nil
}

// TestManualClockFreshness: on a manual clock an entry ages only as the
// clock moves, whatever the server's Date says, and is stale past its
// max-age.
func TestManualClockFreshness(t *testing.T) {
	start := time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)
	m := clock.NewManual(start)
	c := httpcache.New(&httpcache.MemoryStorage{}, httpcache.Options{Clock: m})
	srv := &datedServer{date: start.Add(-24 * time.Hour)}
	ctx := context.Background()
	steps := []struct {
		advance time.Duration
		want    httpcache.Outcome
		age     string
	}{
		{0, httpcache.OutcomeMiss, ""},
		{0, httpcache.OutcomeHit, "0"},
		{59 * time.Second, httpcache.OutcomeHit, "59"},
		{time.Second, httpcache.OutcomeMiss, ""},
		{time.Second, httpcache.OutcomeHit, "1"},
	}
	for i, s := range steps {
		m.Advance(s.advance)
		resp, outcome, err := c.Fetch(ctx, &fetch.Request{URL: "https://fonts.test/a.woff2"}, srv)
		if err != nil {
			t.Fatal(err)
		}
		if outcome != s.want {
			t.Errorf("step %d: %v, want %v", i, outcome, s.want)
		}
		if s.want == httpcache.OutcomeHit && resp.Header.Get("Age") != s.age {
			t.Errorf("step %d: Age %q, want %q", i, resp.Header.Get("Age"), s.age)
		}
	}
	if srv.requests != 2 {
		t.Errorf("%d network requests, want 2", srv.requests)
	}
}

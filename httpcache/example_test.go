package httpcache_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/httpcache"
)

// fontServer stands for the network: every font is fresh for an hour.
type fontServer struct{ requests int }

func (s *fontServer) Fetch(_ context.Context, req *fetch.Request) (*fetch.Response, error) {
	s.requests++
	return &fetch.Response{
		Type: fetch.TypeBasic, URL: req.URL, Status: 200,
		Header: http.Header{"Cache-Control": {"max-age=3600"}, "Content-Type": {"font/woff2"}},
		Body:   []byte("font bytes"),
	}, nil
}

func Example() {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	c := httpcache.New(&httpcache.MemoryStorage{}, httpcache.Options{Now: func() time.Time { return now }})
	network := &fontServer{}
	ctx := context.Background()
	req := &fetch.Request{URL: "https://fonts.test/a.woff2"}

	_, outcome, _ := c.Fetch(ctx, req, network)
	fmt.Println(outcome)
	now = now.Add(10 * time.Minute)
	resp, outcome, _ := c.Fetch(ctx, req, network)
	fmt.Println(outcome, resp.Header.Get("Age"), string(resp.Body))
	_, outcome, _ = c.Fetch(ctx, &fetch.Request{URL: req.URL, Cache: fetch.CacheReload}, network)
	fmt.Println(outcome, "network requests:", network.requests)
	// Output:
	// miss
	// hit 600 font bytes
	// miss network requests: 2
}

package agent

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/httpcache"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/store"
)

func TestHTTPCacheStep(t *testing.T) {
	api := newSite(t)
	api.handle("/fresh", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Cache-Control", "max-age=60")
		rw.Header().Set("Access-Control-Allow-Origin", "*")
		io.WriteString(rw, "fresh body")
	})
	api.handle("/validate", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Cache-Control", "no-cache")
		rw.Header().Set("ETag", `"v1"`)
		rw.Header().Set("Access-Control-Allow-Origin", "*")
		if r.Header.Get("If-None-Match") == `"v1"` {
			rw.WriteHeader(http.StatusNotModified)
			return
		}
		io.WriteString(rw, "validated body")
	})
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	net := &network.Transport{Resolve: map[string]string{"https://api.test": api.srv.URL, "https://app.test": api.srv.URL}}
	var a *Agent
	r, err := registry.New(ctx, registry.Options{Store: st, Network: net, Limits: testLimits, Environment: envOf(&a)})
	if err != nil {
		t.Fatal(err)
	}
	a = New(r, net, Options{HTTPCache: httpcache.New(st, httpcache.Options{})})
	t.Cleanup(func() { a.Close(); r.Close(); st.Close() })
	c, _, err := a.Navigate(ctx, &fetch.Request{URL: "https://app.test/"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path   string
		layers []Layer
		hits   int64
	}{
		{"/fresh", []Layer{LayerNetwork, LayerHTTPCache, LayerHTTPCache}, 1},
		{"/validate", []Layer{LayerNetwork, LayerHTTPCache, LayerHTTPCache}, 3},
	}
	for _, tt := range tests {
		for i, want := range tt.layers {
			res, err := c.Fetch(ctx, &fetch.Request{URL: "https://api.test" + tt.path})
			if err != nil {
				t.Fatal(err)
			}
			if res.Layer != want || res.Response.Type != fetch.TypeCORS || len(res.Response.Body) == 0 {
				t.Errorf("%s #%d: layer %s type %s body %q; want %s", tt.path, i, res.Layer, res.Response.Type, res.Response.Body, want)
			}
		}
		if got := api.count(tt.path); got != tt.hits {
			t.Errorf("%s: %d upstream hits, want %d", tt.path, got, tt.hits)
		}
	}
}

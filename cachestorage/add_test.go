package cachestorage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

// httpFetcher fetches over net/http, as the worker's fetch will.
type httpFetcher struct{ client *http.Client }

func (f httpFetcher) Fetch(ctx context.Context, req *fetch.Request) (*fetch.Response, error) {
	hr, err := http.NewRequestWithContext(ctx, req.MethodOrGet(), req.URL, nil)
	if err != nil {
		return nil, err
	}
	res, err := f.client.Do(hr)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	return &fetch.Response{Type: fetch.TypeBasic, URL: req.URL, Status: res.StatusCode, Header: res.Header, Body: body}, nil
}

// newUpstream serves /ok/NAME (200, body NAME), /status/CODE and
// /vary-star on 127.0.0.1.
func newUpstream(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case strings.HasPrefix(p, "/ok/"):
			fmt.Fprint(w, strings.TrimPrefix(p, "/ok/"))
		case strings.HasPrefix(p, "/status/"):
			var code int
			fmt.Sscan(strings.TrimPrefix(p, "/status/"), &code)
			w.WriteHeader(code)
		case p == "/vary-star":
			w.Header().Set("Vary", "Accept, *")
			fmt.Fprint(w, "v")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestAddAll(t *testing.T) {
	srv := newUpstream(t)
	f := httpFetcher{srv.Client()}
	u := func(p string) *fetch.Request { return get(srv.URL + p) }
	tests := []struct {
		name string
		reqs []*fetch.Request
		want string   // exception name, "" for success
		keys []string // paths stored on success
	}{
		{"all ok", []*fetch.Request{u("/ok/a"), u("/ok/b"), u("/ok/c")}, "", []string{"/ok/a", "/ok/b", "/ok/c"}},
		{"empty list", nil, "", nil},
		{"one 404", []*fetch.Request{u("/ok/a"), u("/status/404"), u("/ok/c")}, weberr.TypeError, nil},
		{"one 500", []*fetch.Request{u("/status/500"), u("/ok/b")}, weberr.TypeError, nil},
		{"206", []*fetch.Request{u("/status/206")}, weberr.TypeError, nil},
		{"Vary star", []*fetch.Request{u("/ok/a"), u("/vary-star")}, weberr.TypeError, nil},
		{"connection refused", []*fetch.Request{u("/ok/a"), get("http://127.0.0.1:1/x")}, weberr.TypeError, nil},
		{"POST", []*fetch.Request{u("/ok/a"), {Method: "POST", URL: srv.URL + "/ok/b"}}, weberr.TypeError, nil},
		{"non-http scheme", []*fetch.Request{u("/ok/a"), get("file:///etc/passwd")}, weberr.TypeError, nil},
		{"nil request", []*fetch.Request{u("/ok/a"), nil}, weberr.TypeError, nil},
		{"same request twice", []*fetch.Request{u("/ok/a"), u("/ok/a#x")}, weberr.InvalidStateError, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			c := openCache(t, newTestStorage(t, Limits{}), "v1")
			mustPut(t, c, get(srv.URL+"/ok/a"), ok("old")) // must survive a failed batch unchanged
			err := c.AddAll(ctx, f, tt.reqs)
			if got := weberr.NameOf(err); got != tt.want || (tt.want == "" && err != nil) {
				t.Fatalf("AddAll error = %v (name %q), want %q", err, got, tt.want)
			}
			keys, _ := c.Keys(ctx, nil, MatchOptions{})
			all, _ := c.MatchAll(ctx, nil, MatchOptions{})
			if tt.want != "" {
				if len(keys) != 1 || string(all[0].Body) != "old" {
					t.Errorf("failed AddAll changed the cache: %d entries, first body %q", len(keys), all[0].Body)
				}
				return
			}
			var paths []string
			for _, k := range keys {
				paths = append(paths, strings.TrimPrefix(k.URL, srv.URL))
			}
			want := tt.keys
			if !slices.Contains(want, "/ok/a") {
				want = append([]string{"/ok/a"}, want...)
			}
			if !slices.Equal(paths, want) {
				t.Errorf("keys = %q, want %q", paths, want)
			}
		})
	}
}

func TestAddAllCancelsOtherFetches(t *testing.T) {
	srv := newUpstream(t)
	hf := httpFetcher{srv.Client()}
	var cancelled atomic.Int32
	// The slow fetch waits for its context: AddAll returns only once every
	// fetch has, so it returns at all only if the 404 cancelled it.
	f := fetch.FetcherFunc(func(ctx context.Context, req *fetch.Request) (*fetch.Response, error) {
		if strings.HasSuffix(req.URL, "/slow") {
			<-ctx.Done()
			cancelled.Add(1)
			return nil, ctx.Err()
		}
		return hf.Fetch(ctx, req)
	})
	c := openCache(t, newTestStorage(t, Limits{}), "v1")
	err := c.AddAll(context.Background(), f, []*fetch.Request{get(srv.URL + "/slow"), get(srv.URL + "/status/404")})
	if weberr.NameOf(err) != weberr.TypeError || !strings.Contains(err.Error(), "404") {
		t.Fatalf("AddAll = %v, want the 404's TypeError", err)
	}
	if cancelled.Load() != 1 {
		t.Errorf("slow fetch was cancelled %d times, want 1", cancelled.Load())
	}
}

func TestAddFakeFetcher(t *testing.T) {
	ctx := context.Background()
	c := openCache(t, newTestStorage(t, Limits{}), "v1")
	var seen []*fetch.Request
	f := fetch.FetcherFunc(func(ctx context.Context, req *fetch.Request) (*fetch.Response, error) {
		seen = append(seen, req)
		switch req.URL {
		case "https://app.test/err":
			return nil, errors.New("boom")
		case "https://app.test/panic":
			panic("fetcher bug")
		case "https://app.test/neterr":
			return fetch.NetworkError("dns"), nil
		}
		return ok("fetched " + req.URL), nil
	})
	orig := get("https://app.test/page", "Accept", "text/html")
	if err := c.Add(ctx, f, orig); err != nil {
		t.Fatal(err)
	}
	seen[0].Header.Set("Accept", "changed by fetcher")
	if orig.Header.Get("Accept") != "text/html" {
		t.Error("the fetcher received the caller's request, not a copy")
	}
	r, _ := c.Match(ctx, get("https://app.test/page"), MatchOptions{})
	if r == nil || string(r.Body) != "fetched https://app.test/page" {
		t.Fatalf("Match after Add = %v", r)
	}
	for _, u := range []string{"https://app.test/err", "https://app.test/panic", "https://app.test/neterr"} {
		if err := c.Add(ctx, f, get(u)); weberr.NameOf(err) != weberr.TypeError {
			t.Errorf("Add(%s) = %v, want TypeError", u, err)
		}
	}
	if err := c.Add(ctx, nil, get("https://app.test/x")); weberr.NameOf(err) != weberr.TypeError {
		t.Errorf("Add without a fetcher = %v, want TypeError", err)
	}
}

func TestAddAllQuota(t *testing.T) {
	f := fetch.FetcherFunc(func(ctx context.Context, req *fetch.Request) (*fetch.Response, error) { return ok("x"), nil })
	c := openCache(t, newTestStorage(t, Limits{MaxEntriesPerCache: 2}), "v1")
	err := c.AddAll(context.Background(), f, []*fetch.Request{get("https://app.test/1"), get("https://app.test/2"), get("https://app.test/3")})
	if weberr.NameOf(err) != weberr.QuotaExceeded {
		t.Fatalf("AddAll of 3 into a 2-entry cache = %v, want QuotaExceededError", err)
	}
	if all, _ := c.MatchAll(context.Background(), nil, MatchOptions{}); len(all) != 0 {
		t.Errorf("failed AddAll stored %d entries", len(all))
	}
}

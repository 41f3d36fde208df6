package backendtest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

// matchJSON holds the matching rules: for each case, entries put in
// order, a query with options, and the bodies it must match, in order.
//
//go:embed testdata/match.json
var matchJSON []byte

type matchCase struct {
	Name    string `json:"name"`
	Entries []struct {
		URL         string      `json:"url"`
		ReqHeaders  http.Header `json:"reqHeaders"`
		RespHeaders http.Header `json:"respHeaders"`
		Body        string      `json:"body"`
	} `json:"entries"`
	Query struct {
		Method  string      `json:"method"`
		URL     string      `json:"url"`
		Headers http.Header `json:"headers"`
	} `json:"query"`
	Opts struct {
		IgnoreSearch bool `json:"ignoreSearch"`
		IgnoreMethod bool `json:"ignoreMethod"`
		IgnoreVary   bool `json:"ignoreVary"`
	} `json:"opts"`
	Want []string `json:"want"`
}

// RunStore runs the Cache Storage behaviour tests over a backend, through
// cachestorage.New: the matching rules of testdata/match.json (each
// through MatchAll, Keys, Match, CacheStorage.Match and Delete), and
// concurrent workers of two origins putting, matching and deleting at
// once (run it with -race). Every backend runs the same scenarios.
func RunStore(t *testing.T, newBackend func(t testing.TB) cachestorage.Backend) {
	t.Run("MatchRules", func(t *testing.T) { testMatchRules(t, newBackend(t)) })
	t.Run("ConcurrentWorkers", func(t *testing.T) { testConcurrentWorkers(t, newBackend(t)) })
}

func getReq(url string) *fetch.Request {
	return &fetch.Request{Method: "GET", URL: url, Header: http.Header{}}
}

func okResp(body string) *fetch.Response {
	return &fetch.Response{Type: fetch.TypeBasic, Status: 200, Header: http.Header{}, Body: []byte(body)}
}

func bodies(resps []*fetch.Response) []string {
	out := []string{}
	for _, r := range resps {
		out = append(out, string(r.Body))
	}
	return out
}

func testMatchRules(t *testing.T, b cachestorage.Backend) {
	var cases []matchCase
	if err := json.Unmarshal(matchJSON, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 20 {
		t.Fatalf("only %d cases in testdata/match.json", len(cases))
	}
	ctx := t.Context()
	store := cachestorage.New(b, cachestorage.Limits{})
	for i, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			// Each case has its own origin in the one backend.
			cs, err := store.For(fmt.Sprintf("https://case%d.test", i))
			if err != nil {
				t.Fatal(err)
			}
			// An empty cache before, for CacheStorage.Match.
			if _, err := cs.Open(ctx, "other"); err != nil {
				t.Fatal(err)
			}
			c, err := cs.Open(ctx, "c")
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range tc.Entries {
				req, resp := getReq(e.URL), okResp(e.Body)
				if e.ReqHeaders != nil {
					req.Header = e.ReqHeaders
				}
				if e.RespHeaders != nil {
					resp.Header = e.RespHeaders
				}
				if err := c.Put(ctx, req, resp); err != nil {
					t.Fatalf("Put(%s): %v", e.URL, err)
				}
			}
			all, err := c.MatchAll(ctx, nil, cachestorage.MatchOptions{})
			if err != nil || len(all) != len(tc.Entries) {
				t.Fatalf("cache holds %d entries (%v), want %d", len(all), err, len(tc.Entries))
			}
			q := &fetch.Request{Method: tc.Query.Method, URL: tc.Query.URL, Header: tc.Query.Headers}
			opts := cachestorage.MatchOptions{IgnoreSearch: tc.Opts.IgnoreSearch, IgnoreMethod: tc.Opts.IgnoreMethod, IgnoreVary: tc.Opts.IgnoreVary}

			got, err := c.MatchAll(ctx, q, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(bodies(got), tc.Want) {
				t.Errorf("MatchAll = %q, want %q", bodies(got), tc.Want)
			}
			keys, err := c.Keys(ctx, q, opts)
			if err != nil || len(keys) != len(tc.Want) {
				t.Errorf("Keys returned %d requests (%v), want %d", len(keys), err, len(tc.Want))
			}
			first, err := c.Match(ctx, q, opts)
			if err != nil {
				t.Fatal(err)
			}
			first2, err := cs.Match(ctx, q, opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(tc.Want) == 0 {
				if first != nil || first2 != nil {
					t.Errorf("Match = %v / CacheStorage.Match = %v, want nil", first, first2)
				}
			} else {
				if first == nil || string(first.Body) != tc.Want[0] {
					t.Errorf("Match = %v, want body %q", first, tc.Want[0])
				}
				if first2 == nil || string(first2.Body) != tc.Want[0] {
					t.Errorf("CacheStorage.Match = %v, want body %q", first2, tc.Want[0])
				}
			}
			deleted, err := c.Delete(ctx, q, opts)
			if err != nil || deleted != (len(tc.Want) > 0) {
				t.Errorf("Delete = %v, %v; want %v", deleted, err, len(tc.Want) > 0)
			}
			left, _ := c.MatchAll(ctx, nil, cachestorage.MatchOptions{})
			if len(left) != len(tc.Entries)-len(tc.Want) {
				t.Errorf("after Delete %d entries left, want %d", len(left), len(tc.Entries)-len(tc.Want))
			}
		})
	}
}

// testConcurrentWorkers runs workers of one origin, and one of another
// origin, against one store at once, then checks every surviving entry.
func testConcurrentWorkers(t *testing.T, b cachestorage.Backend) {
	ctx := t.Context()
	store := cachestorage.New(b, cachestorage.Limits{})
	workers, rounds := 8, 60
	if testing.Short() {
		rounds = 20
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := range workers {
		origin := "https://app.test"
		if w == workers-1 {
			origin = "https://other.test"
		}
		wg.Go(func() {
			cs, err := store.For(origin)
			if err != nil {
				errs <- err
				return
			}
			for i := range rounds {
				name := fmt.Sprintf("c%d", i%3)
				c, err := cs.Open(ctx, name)
				if err != nil {
					errs <- err
					return
				}
				url := fmt.Sprintf("https://app.test/r%d?w=%d", i%10, w)
				switch i % 5 {
				case 0, 1:
					err = c.Put(ctx, getReq(url), okResp(url))
				case 2:
					_, err = c.Match(ctx, getReq(url), cachestorage.MatchOptions{IgnoreSearch: true})
				case 3:
					_, err = c.Delete(ctx, getReq(url), cachestorage.MatchOptions{})
				case 4:
					_, err = cs.Match(ctx, getReq(url), cachestorage.MatchOptions{})
					if err == nil && i%20 == 4 {
						if _, err = cs.Delete(ctx, name); err == nil {
							// The cache may be gone: a later Put may fail
							// with InvalidStateError, which is fine here.
							_ = c.Put(ctx, getReq(url), okResp(url))
						}
					}
				}
				// Another worker may have deleted the cache c refers to.
				if err != nil && weberr.NameOf(err) != weberr.InvalidStateError {
					errs <- fmt.Errorf("worker %d round %d: %w", w, i, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Every surviving entry is consistent: its response is the one put for
	// its request, and no request is stored twice.
	for _, origin := range []string{"https://app.test", "https://other.test"} {
		cs, _ := store.For(origin)
		names, _ := cs.Keys(ctx)
		for _, n := range names {
			c, _ := cs.Open(ctx, n)
			keys, _ := c.Keys(ctx, nil, cachestorage.MatchOptions{})
			resps, _ := c.MatchAll(ctx, nil, cachestorage.MatchOptions{})
			if len(keys) != len(resps) {
				t.Fatalf("%s %s: %d keys, %d responses", origin, n, len(keys), len(resps))
			}
			seen := map[string]bool{}
			for i := range keys {
				if string(resps[i].Body) != keys[i].URL {
					t.Errorf("%s: entry %s holds %q", n, keys[i].URL, resps[i].Body)
				}
				if seen[keys[i].URL] {
					t.Errorf("%s: %s stored twice", n, keys[i].URL)
				}
				seen[keys[i].URL] = true
			}
		}
	}
}

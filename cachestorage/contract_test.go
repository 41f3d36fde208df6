package cachestorage_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/cachestorage/backendtest"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

func TestMemoryBackendContract(t *testing.T) {
	backendtest.Run(t, func(testing.TB) cachestorage.Backend { return cachestorage.NewMemoryBackend() })
}

// TestMemoryBackendStore runs the Cache Storage behaviour suite (matching
// rules, concurrent workers) over the memory backend.
func TestMemoryBackendStore(t *testing.T) {
	backendtest.RunStore(t, func(testing.TB) cachestorage.Backend { return cachestorage.NewMemoryBackend() })
}

// Example shows a worker's view of Cache Storage: open a cache, put a
// response, match it with ignoreSearch.
func Example() {
	ctx := context.Background()
	store := cachestorage.New(cachestorage.NewMemoryBackend(), cachestorage.Limits{})
	caches, _ := store.For("https://app.example")
	cache, _ := caches.Open(ctx, "v1")
	req := &fetch.Request{Method: "GET", URL: "https://app.example/app.js?v=2", Header: http.Header{}}
	resp := &fetch.Response{Status: 200, Header: http.Header{"Content-Type": {"text/javascript"}}, Body: []byte("main()")}
	if err := cache.Put(ctx, req, resp); err != nil {
		fmt.Println(err)
	}
	hit, _ := caches.Match(ctx, &fetch.Request{URL: "https://app.example/app.js"}, cachestorage.MatchOptions{IgnoreSearch: true})
	fmt.Println(hit.Status, string(hit.Body))
	miss, _ := caches.Match(ctx, &fetch.Request{URL: "https://app.example/app.js"}, cachestorage.MatchOptions{})
	fmt.Println(miss == nil)
	err := cache.Put(ctx, &fetch.Request{Method: "POST", URL: "https://app.example/api"}, resp)
	fmt.Println(weberr.NameOf(err))
	// Output:
	// 200 main()
	// true
	// TypeError
}

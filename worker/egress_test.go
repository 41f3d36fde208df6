package worker

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/swhost/swhost/fetch"
)

// A worker without a Fetcher (the default fetcher, the network) connects under
// the default egress policy: its fetch() of a loopback server rejects with
// a TypeError and the server sees nothing.
func TestDefaultFetcherEgress(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	w := newTestWorker(t, `
addEventListener('fetch', e => e.respondWith(fetch(e.request.headers.get('x-to'), { mode: 'no-cors' }).then(
  r => new Response('fetched ' + r.status), err => new Response('rejected ' + err.name + ': ' + err.message))));`, Options{})
	for _, to := range []string{srv.URL + "/", "http://2130706433:" + srv.URL[len("http://127.0.0.1:"):] + "/"} {
		res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/", Header: http.Header{"X-To": {to}}}, FetchEventInit{})
		if err != nil || res.Response == nil {
			t.Fatalf("DispatchFetch = %+v, %v", res, err)
		}
		if got := string(res.Response.Body); got != "rejected TypeError: Failed to fetch "+srv.URL+"/: NetworkError: the egress policy refuses "+srv.URL[len("http://"):] {
			t.Errorf("fetch(%s): %q", to, got)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("the loopback server got %d requests", hits.Load())
	}
}

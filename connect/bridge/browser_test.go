package bridge

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/swhost/swhost/internal/testbrowser"
)

// pageServer serves one HTML page that loads connect.js from the bridge,
// on its own loopback port.
func pageServer(t *testing.T, bridgeURL string) (port int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>page</title><script src="%s/connect.js?install"></script>`, bridgeURL)
	})}}
	srv.Start()
	t.Cleanup(srv.Close)
	return ln.Addr().(*net.TCPAddr).Port
}

// TestBrowser drives headless chromium: a page on http://127.0.0.1:PORT
// connects through the bridge to the seed's echo worker (with an origin
// check that admits that origin only) and gets its reply; a page on
// http://localhost:PORT2, another origin, is refused and sees AbortError.
func TestBrowser(t *testing.T) {
	testbrowser.Require(t)

	bridgeLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	bridgeURL := "http://" + bridgeLn.Addr().String()
	portA := pageServer(t, bridgeURL)
	portB := pageServer(t, bridgeURL)
	originA := fmt.Sprintf("http://127.0.0.1:%d", portA)
	originB := fmt.Sprintf("http://localhost:%d", portB)

	b := newBroker(t, originA)
	served := &servedHandler{h: New(b, Options{AllowedOrigins: []string{originA, originB}})}
	bridge := &httptest.Server{Listener: bridgeLn, Config: &http.Server{Handler: served}}
	bridge.Start()
	defer bridge.Close()

	actx, cancel := testbrowser.Allocator(t)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()

	// The seed's page code, with the reply and the failure reported back.
	const pageScript = `navigator.connect('https://example.com/services/echo').then(
  port => new Promise(resolve => {
    port.postMessage('hello');
    port.onmessage = event => { resolve('reply: ' + event.data); port.close(); };
  }),
  err => 'error: ' + err.name + ': ' + err.message)`
	cases := []struct {
		origin string
		want   string
	}{
		{originA, "reply: hello"},
		{originB, "error: AbortError: no service accepted the connection to https://example.com/services/echo"},
	}
	for _, c := range cases {
		tctx, cancel := chromedp.NewContext(ctx)
		_, err := chromedp.Run(tctx, chromedp.Navigate(c.origin+"/"))
		var got string
		if err == nil {
			got, err = chromedp.Run(tctx, chromedp.Evaluate[string](pageScript, chromedp.EvalAwaitPromise))
		}
		cancel()
		if err != nil {
			t.Fatalf("page %s: %v", c.origin, err)
		}
		if got != c.want {
			t.Errorf("page %s: %q; want %q", c.origin, got, c.want)
		}
	}
	served.waitFor(t, func() bool { return b.Connections() == 0 })
}

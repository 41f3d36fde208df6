package worker

import (
	"strings"
	"sync"
	"testing"

	"github.com/swhost/swhost/fetch"
)

// TestErrorEventCancelsReport checks the HTML standard's "report an
// exception" end to end: an uncaught exception fires error at the global
// scope, and reaches the console only when no listener canceled it.
func TestErrorEventCancelsReport(t *testing.T) {
	var mu sync.Mutex
	var console []string
	w := newTestWorker(t, `
addEventListener('error', (e) => { if (e.error && e.error.message === 'quiet') e.preventDefault(); });
addEventListener('fetch', (e) => {
  const t = new EventTarget();
  t.addEventListener('x', () => { throw new Error(new URL(e.request.url).pathname.slice(1)); });
  t.dispatchEvent(new Event('x'));
  e.respondWith(new Response('ok'));
});`, Options{Console: func(level, msg string) {
		mu.Lock()
		console = append(console, level+": "+msg)
		mu.Unlock()
	}})
	for _, path := range []string{"/quiet", "/loud"} {
		res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test" + path}, FetchEventInit{})
		if err != nil || res.Response == nil || string(res.Response.Body) != "ok" {
			t.Fatalf("fetch %s: %v %v", path, res, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	got := strings.Join(console, "\n")
	if strings.Contains(got, "quiet") {
		t.Errorf("a canceled error event was reported:\n%s", got)
	}
	if !strings.Contains(got, "error: Uncaught Error: loud") {
		t.Errorf("an uncanceled error event was not reported:\n%s", got)
	}
}

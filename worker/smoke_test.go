package worker

import (
	"context"
	"testing"

	"github.com/swhost/swhost/fetch"
)

func TestSmoke(t *testing.T) {
	ctx := context.Background()
	s, err := CompileScript(ctx, "https://app.test/sw.js", Classic, []byte(`
self.addEventListener('install', e => { console.log('install', typeof e.waitUntil); });
self.addEventListener('fetch', e => {
  e.respondWith(new Response('hello ' + e.request.url + ' ' + e.request.headers.get('x-a'), {headers: {'x-b': '1'}}));
});
`), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := New(s, Options{Console: func(l, m string) { t.Log(l, m) }})
	defer w.Close()
	if _, err := w.DispatchInstall(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := w.DispatchFetch(ctx, &fetch.Request{URL: "https://app.test/x", Header: map[string][]string{"X-A": {"v"}}}, FetchEventInit{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v %q", res.Response, res.Response.Body)
}

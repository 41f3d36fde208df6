package agent

import (
	"context"
	"fmt"
	"testing"

	"github.com/swhost/swhost/fetch"
)

func TestClientForURL(t *testing.T) {
	f := newFixture(t)
	f.register(t, "/sw.js", `self.addEventListener('fetch', e => e.respondWith(new Response('sw')));`, "")
	c1, err := f.a.ClientForURL("https://app.test/page#x")
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := f.a.ClientForURL("https://app.test/page")
	if c1 != c2 || c1.Controller() == nil {
		t.Fatalf("same URL gave different clients (%v) or an uncontrolled one", c1 != c2)
	}
	if res, _ := c1.Fetch(context.Background(), &fetch.Request{URL: "/x"}); res.Layer != LayerFetchEvent {
		t.Errorf("ambient client's request: %s", res.Layer)
	}
	if _, err := f.a.ClientForURL("::bad"); err == nil {
		t.Error("bad URL accepted")
	}
	for i := 0; i <= MaxAmbientClients; i++ {
		if _, err := f.a.ClientForURL(fmt.Sprintf("https://app.test/p%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.a.Clients()); n > MaxAmbientClients {
		t.Errorf("%d clients kept, cap %d", n, MaxAmbientClients)
	}
	if f.a.Client(c1.ID()) != nil {
		t.Error("the least recently used client was not evicted")
	}
}

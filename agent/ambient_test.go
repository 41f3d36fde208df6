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
	// A non-canonical spelling of a kept URL finds its client.
	if c3, _ := f.a.ClientForURL("HTTPS://APP.TEST/page"); c3 != c1 {
		t.Error("a non-canonical spelling of the URL gave another client")
	}
	var p0 *Client
	for i := 0; i <= MaxAmbientClients; i++ {
		c, err := f.a.ClientForURL(fmt.Sprintf("https://app.test/p%d", i))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			p0 = c
		}
		if i == MaxAmbientClients/2 {
			f.a.ClientForURL("https://app.test/p0") // used again: no longer the least recent
		}
	}
	if n := len(f.a.Clients()); n > MaxAmbientClients {
		t.Errorf("%d clients kept, cap %d", n, MaxAmbientClients)
	}
	if f.a.Client(c1.ID()) != nil {
		t.Error("the least recently used client was not evicted")
	}
	if f.a.Client(p0.ID()) == nil {
		t.Error("a client used again was evicted before less recently used ones")
	}
	// A closed client leaves the set: its URL gets a new client.
	p0.Close()
	if again, _ := f.a.ClientForURL("https://app.test/p0"); again == p0 || again == nil {
		t.Error("a closed client was handed out again")
	}
}

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/swhost/swhost/internal/natstest"
	"github.com/swhost/swhost/internal/pgtest"
)

// fleetBCWorker posts on a BroadcastChannel (/post?TEXT: the text and a
// Blob) and answers /got with what its channel received, in order, each
// message's text then "+" and its Blob's text.
const fleetBCWorker = `const got = [];
const bc = new BroadcastChannel('fleet');
bc.onmessage = e => {
  const i = got.length;
  got.push(e.data.text);
  e.data.blob.text().then(t => { got[i] += '+' + t; });
};
self.addEventListener('fetch', e => {
  const u = new URL(e.request.url);
  if (u.pathname === '/hello') e.respondWith(new Response('hello'));
  if (u.pathname === '/post') {
    const text = u.search.slice(1);
    bc.postMessage({text, blob: new Blob(['blob ' + text], {type: 'text/plain'})});
    e.respondWith(new Response('posted'));
  }
  if (u.pathname === '/got') e.respondWith(new Response(JSON.stringify(got)));
});
`

// startFleet starts n serve nodes on one database and NATS server, with
// app.test serving script at /sw.js, registers it through the first node
// and waits until every node serves it.
func startFleet(t *testing.T, n int, script string) []*fleetNodeProc {
	t.Helper()
	pg := pgtest.NewServer(t)
	db := pg.NewDatabase(t)
	ns := natstest.New(t)
	app := newUpstream(t, "https://app.test", "")
	app.put("/sw.js", resource{body: script, ctype: "text/javascript"})
	var nodes []*fleetNodeProc
	for i := range n {
		id := fmt.Sprintf("n%d", i+1)
		p := startServe(t, newHost(t, app), "--store", db, "--nats", ns.URL(), "--node-id", id)
		nodes = append(nodes, &fleetNodeProc{serveProc: p, id: id})
	}
	if code, body := nodes[0].adminPost(t, "/v1/registrations", map[string]any{"client": "https://app.test/", "script": "/sw.js"}); code != http.StatusCreated {
		t.Fatalf("register through n1: %d %s", code, body)
	}
	for _, n := range nodes {
		n.waitServes(t)
	}
	return nodes
}

// TestFleetBroadcast: a BroadcastChannel message a worker posts on n1
// reaches the worker of the same origin on n2, in order, once, with its
// Blob, and is not echoed back to n1.
func TestFleetBroadcast(t *testing.T) {
	if testing.Short() {
		t.Skip("two serve processes, PostgreSQL and NATS: not in -short")
	}
	t.Parallel()
	nodes := startFleet(t, 2, fleetBCWorker)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// waitServes fetched /hello through both: both workers run, their
	// channels open.
	for _, text := range []string{"a", "b", "c"} {
		if body, _, err := nodes[0].edgeGet(ctx, "/post?"+text); err != nil || body != "posted" {
			t.Fatalf("post through n1: %q %v", body, err)
		}
	}
	want := `["a+blob a","b+blob b","c+blob c"]`
	for {
		body, _, err := nodes[1].edgeGet(ctx, "/got")
		if err != nil {
			t.Fatal(err)
		}
		if body == want {
			break
		}
		var got []string
		if err := json.Unmarshal([]byte(body), &got); err != nil || len(got) > 3 {
			t.Fatalf("n2's worker received %s, want %s", body, want)
		}
		if ctx.Err() != nil {
			t.Fatalf("n2's worker received %s, want %s", body, want)
		}
		time.Sleep(5 * time.Millisecond) // polling another process
	}
	if body, _, err := nodes[0].edgeGet(ctx, "/got"); err != nil || body != "[]" {
		t.Errorf("n1's worker received %q %v: its own messages came back", body, err)
	}
}

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/swhost/swhost/internal/natstest"
	"github.com/swhost/swhost/internal/pgtest"
)

// fleetBCWorker posts on a BroadcastChannel (/post?TEXT: the text and a
// Blob) and answers /got with what its channel received, in order, each
// message's text then "+" and its Blob's text; it logs that list each
// time a message's Blob has been read.
const fleetBCWorker = `const got = [];
const bc = new BroadcastChannel('fleet');
bc.onmessage = e => {
  const i = got.length;
  got.push(e.data.text);
  e.data.blob.text().then(t => { got[i] += '+' + t; console.log('got ' + JSON.stringify(got)); });
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
	app := newUpstream(t, "https://app.test", "")
	app.put("/sw.js", resource{body: script, ctype: "text/javascript"})
	nodes := startFleetOf(t, n, app)
	for _, n := range nodes {
		n.waitServes(t)
	}
	return nodes
}

// startFleetOf starts n serve nodes of app and registers app's /sw.js
// through the first.
func startFleetOf(t *testing.T, n int, app *upstream) []*fleetNodeProc {
	t.Helper()
	pg := pgtest.NewServer(t)
	db := pg.NewDatabase(t)
	ns := natstest.New(t)
	var nodes []*fleetNodeProc
	for i := range n {
		id := fmt.Sprintf("n%d", i+1)
		p := startServe(t, newHost(t, app), "--store", db, "--nats", ns.URL(), "--node-id", id)
		nodes = append(nodes, &fleetNodeProc{serveProc: p, id: id})
	}
	if code, body := nodes[0].adminPost(t, "/v1/registrations", map[string]any{"client": "https://app.test/", "script": "/sw.js"}); code != http.StatusCreated {
		t.Fatalf("register through n1: %d %s", code, body)
	}
	return nodes
}

// nodesRegistration is the registration object as the fleet tests read
// it.
type nodesRegistration struct {
	ID       int64    `json:"id"`
	Node     string   `json:"node"`
	Clients  []string `json:"clients"`
	Versions []struct {
		ID        int64    `json:"id"`
		Slot      string   `json:"slot"`
		State     string   `json:"state"`
		ScriptURL string   `json:"scriptURL"`
		Running   bool     `json:"running"`
		Nodes     []string `json:"nodes"`
	} `json:"versions"`
}

// registration returns the node's one registration.
func (n *fleetNodeProc) registration(ctx context.Context, t *testing.T) nodesRegistration {
	t.Helper()
	resp := n.adminGet(ctx, t, "/v1/registrations")
	defer resp.Body.Close()
	var regs []nodesRegistration
	if err := json.NewDecoder(resp.Body).Decode(&regs); err != nil || len(regs) != 1 {
		t.Fatalf("%s: registrations: %v %+v", n.id, err, regs)
	}
	return regs[0]
}

// waitRegistration waits until ok says the node's registration is as
// wanted, checking it again after each lifecycle event of the node.
func (n *fleetNodeProc) waitRegistration(ctx context.Context, t *testing.T, what string, ok func(nodesRegistration) bool) nodesRegistration {
	t.Helper()
	var reg nodesRegistration
	n.waitLifecycle(ctx, t, n.id+": "+what, func() bool {
		reg = n.registration(ctx, t)
		return ok(reg)
	})
	return reg
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
	// channels open. n2's worker logs what it received to n2's event
	// stream, read from before the first post.
	stream := nodes[1].adminGet(ctx, t, "/v1/events?replay=0")
	defer stream.Body.Close()
	if stream.StatusCode != http.StatusOK {
		t.Fatalf("n2's event stream: %s", stream.Status)
	}
	for _, text := range []string{"a", "b", "c"} {
		if body, _, err := nodes[0].edgeGet(ctx, "/post?"+text); err != nil || body != "posted" {
			t.Fatalf("post through n1: %q %v", body, err)
		}
	}
	want := `["a+blob a","b+blob b","c+blob c"]`
	var last string
	err := eachEvent(stream.Body, func(typ, msg string) bool {
		if typ == "console" && strings.HasPrefix(msg, "got ") {
			last = msg
		}
		return last != "got "+want
	})
	if last != "got "+want {
		t.Fatalf("n2's worker received %q (stream: %v), want %s", strings.TrimPrefix(last, "got "), err, want)
	}
	if body, _, err := nodes[1].edgeGet(ctx, "/got"); err != nil || body != want {
		t.Errorf("n2's worker answers %q %v, want %s", body, err, want)
	}
	if body, _, err := nodes[0].edgeGet(ctx, "/got"); err != nil || body != "[]" {
		t.Errorf("n1's worker received %q %v: its own messages came back", body, err)
	}
}

// TestFleetNodes: the admin API of n1 says which node runs a worker; a
// waiting version activates only when no client on any node is
// controlled by the active one, and a killed node's clients stop holding
// it back when its presence expires.
func TestFleetNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("two serve processes, PostgreSQL and NATS: not in -short")
	}
	t.Parallel()
	app := newUpstream(t, "https://app.test", "")
	app.put("/sw.js", resource{body: fleetWorker + "// v1\n", ctype: "text/javascript"})
	nodes := startFleetOf(t, 2, app)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	activated := func(r nodesRegistration) bool {
		return len(r.Versions) == 1 && r.Versions[0].State == "activated"
	}
	// n1 serves nothing (it has no client); n2 serves a fetch: its
	// worker runs, and its edge's client is controlled.
	reg := nodes[0].waitRegistration(ctx, t, "activated", activated)
	nodes[1].waitServes(t)
	if code, body := nodes[0].adminPost(t, fmt.Sprintf("/v1/registrations/%d/stop", reg.ID), map[string]any{}); code != http.StatusOK {
		t.Fatalf("stop on n1: %d %s", code, body)
	}
	reg = nodes[0].registration(ctx, t)
	if reg.Node != "n1" || len(reg.Versions) != 1 || !slices.Equal(reg.Versions[0].Nodes, []string{"n2"}) || len(reg.Clients) != 0 {
		t.Fatalf("n1 lists %+v, want node n1, the version running on n2 only, no client", reg)
	}
	if r2 := nodes[1].registration(ctx, t); r2.Node != "n2" || !slices.Equal(r2.Versions[0].Nodes, []string{"n2"}) || len(r2.Clients) != 1 {
		t.Fatalf("n2 lists %+v, want node n2, the version running on n2, one client", r2)
	}

	// A new version, installed through n1: n2's client holds it waiting.
	app.put("/sw.js", resource{body: fleetWorker + "// v2\n", ctype: "text/javascript"})
	if code, body := nodes[0].adminPost(t, fmt.Sprintf("/v1/registrations/%d/update", reg.ID), map[string]any{}); code != http.StatusOK {
		t.Fatalf("update through n1: %d %s", code, body)
	}
	first := reg.Versions[0].ID
	reg = nodes[0].waitRegistration(ctx, t, "a waiting version", func(r nodesRegistration) bool {
		if len(r.Versions) == 1 && r.Versions[0].ID != first {
			t.Fatalf("n1 activated the new version while n2's client uses the old one: %+v", r)
		}
		return len(r.Versions) == 2 && r.Versions[1].Slot == "waiting" && r.Versions[1].State == "installed"
	})
	old := reg.Versions[0].ID
	if reg.Versions[0].Slot != "active" {
		t.Fatalf("n1 lists %+v", reg)
	}

	// n2 dies: when its presence expires, its client no longer counts.
	if err := nodes[1].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	nodes[1].cmd.Wait()
	reg = nodes[0].waitRegistration(ctx, t, "the new version activated", activated)
	if reg.Versions[0].ID == old {
		t.Fatalf("n1 lists %+v", reg)
	}
}

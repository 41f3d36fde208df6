package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/swhost/swhost/internal/natstest"
	"github.com/swhost/swhost/internal/pgtest"
)

// TestFleetFigures measures a three-node fleet against one node, in the
// same run, on the same PostgreSQL server and NATS server
// (docs/benchmarks.md, fleet): fetch throughput through the edges (32
// clients spread over the nodes' edges for 3 s) and the round trip of a
// connect message through the bridge, from a client on the node that runs
// the service's worker and from one on another node (routed over NATS).
// It runs only with SWHOST_FIGURES=1.
func TestFleetFigures(t *testing.T) {
	if os.Getenv("SWHOST_FIGURES") == "" {
		t.Skip("figures: set SWHOST_FIGURES=1")
	}
	pg := pgtest.NewServer(t)
	app := newUpstream(t, "https://app.test", "")
	app.put("/sw.js", resource{body: fleetWorker, ctype: "text/javascript"})
	start := func(n int, prefix string) []*fleetNodeProc {
		db := pg.NewDatabase(t)
		ns := natstest.New(t) // a NATS server per fleet: fleets sharing one would see each other's nodes
		var nodes []*fleetNodeProc
		for i := range n {
			id := fmt.Sprintf("%s%d", prefix, i+1)
			p := startServe(t, newHost(t, app), "--store", db, "--nats", ns.URL(), "--node-id", id)
			nodes = append(nodes, &fleetNodeProc{serveProc: p, id: id})
		}
		if code, body := nodes[0].adminPost(t, "/v1/registrations", map[string]any{"client": "https://app.test/", "script": "/sw.js"}); code != http.StatusCreated {
			t.Fatalf("register: %d %s", code, body)
		}
		for _, n := range nodes {
			n.waitServes(t)
		}
		return nodes
	}
	single := start(1, "s")
	fleet := start(3, "f")
	for round := range 2 {
		for _, c := range []struct {
			name  string
			nodes []*fleetNodeProc
		}{{"one node", single}, {"three nodes", fleet}} {
			rps, p50, p99 := fetchLoad(t, c.nodes, 32, 3*time.Second)
			t.Logf("round %d, %s: fetch %.0f req/s, p50 %v, p99 %v", round+1, c.name, rps, p50, p99)
			for _, n := range c.nodes {
				p50, p99 := echoRTT(t, n, 1000)
				t.Logf("round %d, %s: connect round trip through %s: p50 %v, p99 %v", round+1, c.name, n.id, p50, p99)
			}
		}
	}
}

// fetchLoad runs clients concurrent fetch loops of /hello for d, spread
// over the nodes' edges, and returns requests per second and latency
// percentiles.
func fetchLoad(t *testing.T, nodes []*fleetNodeProc, clients int, d time.Duration) (float64, time.Duration, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	for i := range clients {
		n := nodes[i%len(nodes)]
		wg.Go(func() {
			var mine []time.Duration
			for ctx.Err() == nil {
				s := time.Now()
				body, _, err := n.edgeGet(ctx, "/hello")
				if err != nil || body != "hello" {
					if ctx.Err() == nil {
						t.Errorf("fetch through %s: %q %v", n.id, body, err)
					}
					break
				}
				mine = append(mine, time.Since(s))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(lat)
	if len(lat) == 0 {
		t.Fatal("no fetch finished")
	}
	return float64(len(lat)) / d.Seconds(), pct(lat, 50), pct(lat, 99)
}

// echoRTT connects through n and times n sequential echoes.
func echoRTT(t *testing.T, n *fleetNodeProc, count int) (time.Duration, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := bridgeConnect(ctx, n, "https://app.test/svc")
	if err != nil {
		t.Fatal(err)
	}
	defer c.ws.CloseNow()
	for i := range 50 { // warm up
		if err := c.echo(ctx, i); err != nil {
			t.Fatal(err)
		}
	}
	lat := make([]time.Duration, 0, count)
	for i := range count {
		s := time.Now()
		if err := c.echo(ctx, i); err != nil {
			t.Fatal(err)
		}
		lat = append(lat, time.Since(s))
	}
	slices.Sort(lat)
	return pct(lat, 50), pct(lat, 99)
}

func pct(sorted []time.Duration, p int) time.Duration {
	return sorted[min(len(sorted)-1, len(sorted)*p/100)].Round(time.Microsecond)
}

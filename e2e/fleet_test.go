package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/swhost/swhost/internal/natstest"
	"github.com/swhost/swhost/internal/pgtest"
)

// fleetWorker answers fetches (/hello; /put writes a cache entry, /get
// reads it) and connect (an echo service at /svc).
const fleetWorker = `self.addEventListener('fetch', e => {
  const u = new URL(e.request.url);
  if (u.pathname === '/hello') e.respondWith(new Response('hello'));
  if (u.pathname === '/put') e.respondWith(caches.open('c').then(c => c.put('/k', new Response('cached ' + u.search))).then(() => new Response('put')));
  if (u.pathname === '/get') e.respondWith(caches.match('/k').then(r => r ? r.text() : 'miss').then(t => new Response(t)));
});
self.addEventListener('crossoriginconnect', e => e.acceptConnection(true));
self.addEventListener('crossoriginmessage', e => e.source.postMessage(e.data));
`

// fleetNodeProc is one "swhost serve" of a test fleet.
type fleetNodeProc struct {
	*serveProc
	id string
}

// edgeGet fetches path from origin app.test through the node's edge.
func (n *fleetNodeProc) edgeGet(ctx context.Context, path string) (string, string, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+n.edge+path, nil)
	req.Host = "app.test"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return string(b), "", fmt.Errorf("%s: %s %s", n.id, resp.Status, b)
	}
	return string(b), resp.Header.Get("X-Swhost-Served-By"), err
}

// waitServes waits until the node lists the registration of /sw.js with
// an activated version (a request made before would create a client that
// no worker controls, as it would on one node), then checks that it
// serves it.
func (n *fleetNodeProc) waitServes(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n.waitLifecycle(ctx, t, n.id+" lists the registration activated", func() bool {
		resp := n.adminGet(ctx, t, "/v1/registrations")
		defer resp.Body.Close()
		var regs []struct {
			Versions []struct {
				State     string `json:"state"`
				ScriptURL string `json:"scriptURL"`
			} `json:"versions"`
		}
		err := json.NewDecoder(resp.Body).Decode(&regs)
		return err == nil && len(regs) > 0 && len(regs[0].Versions) > 0 && regs[0].Versions[0].State == "activated"
	})
	if body, by, err := n.edgeGet(ctx, "/hello"); err != nil || body != "hello" || !strings.HasPrefix(by, "fetch-event") {
		t.Fatalf("%s does not serve the registration: %q %q %v", n.id, body, by, err)
	}
}

// versions returns the ids of the versions the node lists, in order.
func (n *fleetNodeProc) versions(ctx context.Context, t *testing.T) []int64 {
	t.Helper()
	resp := n.adminGet(ctx, t, "/v1/registrations")
	defer resp.Body.Close()
	var regs []struct {
		Versions []struct {
			ID int64 `json:"id"`
		} `json:"versions"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&regs); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range regs {
		for _, v := range r.Versions {
			ids = append(ids, v.ID)
		}
	}
	return ids
}

// health returns the node's /healthz body.
func (n *fleetNodeProc) health(ctx context.Context, t *testing.T) string {
	t.Helper()
	resp := n.adminGet(ctx, t, "/healthz")
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// adminPost posts a JSON body to the node's admin API.
func (n *fleetNodeProc) adminPost(t *testing.T, path string, body any) (int, string) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", "http://"+n.admin+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+n.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// bridgeClient is a page connected to a service through a node's connect
// bridge.
type bridgeClient struct {
	ws *websocket.Conn
}

func bridgeConnect(ctx context.Context, n *fleetNodeProc, target string) (*bridgeClient, error) {
	ws, _, err := websocket.Dial(ctx, "ws://"+n.admin+"/connect", &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"https://page.test"}}})
	if err != nil {
		return nil, err
	}
	c := &bridgeClient{ws: ws}
	if err := c.send(ctx, map[string]any{"connect": target}); err != nil {
		return nil, err
	}
	var f map[string]any
	if err := c.read(ctx, &f); err != nil {
		return nil, err
	}
	if f["accepted"] != true {
		ws.CloseNow()
		return nil, fmt.Errorf("connect through %s: %v", n.id, f)
	}
	return c, nil
}

func (c *bridgeClient) send(ctx context.Context, v any) error {
	b, _ := json.Marshal(v)
	return c.ws.Write(ctx, websocket.MessageText, b)
}

func (c *bridgeClient) read(ctx context.Context, v any) error {
	_, b, err := c.ws.Read(ctx)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// echo sends n and reads it back.
func (c *bridgeClient) echo(ctx context.Context, n int) error {
	if err := c.send(ctx, map[string]any{"data": n}); err != nil {
		return err
	}
	var f struct {
		Data *int `json:"data"`
	}
	if err := c.read(ctx, &f); err != nil {
		return err
	}
	if f.Data == nil || *f.Data != n {
		return fmt.Errorf("echo of %d came back as %v", n, f.Data)
	}
	return nil
}

// TestFleetFailure runs three "swhost serve" nodes sharing one
// PostgreSQL database and one NATS server, kills one with SIGKILL while
// clients fetch and message through the others, and then takes
// PostgreSQL away: nothing committed is lost, fetches through the
// surviving nodes never fail, the killed node's connect client connects
// again through another node, and a node without PostgreSQL serves its
// active version while answering admin writes 503 until it is back.
func TestFleetFailure(t *testing.T) {
	if testing.Short() {
		t.Skip("three serve processes, PostgreSQL and NATS: not in -short")
	}
	t.Parallel()
	pg := pgtest.NewServer(t)
	db := pg.NewDatabase(t)
	ns := natstest.New(t)
	app := newUpstream(t, "https://app.test", "")
	app.put("/sw.js", resource{body: fleetWorker, ctype: "text/javascript"})
	var nodes []*fleetNodeProc
	for i := range 3 {
		id := fmt.Sprintf("n%d", i+1)
		p := startServe(t, newHost(t, app), "--store", db, "--nats", ns.URL(), "--node-id", id)
		nodes = append(nodes, &fleetNodeProc{serveProc: p, id: id})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	if code, body := nodes[0].adminPost(t, "/v1/registrations", map[string]any{"client": "https://app.test/", "script": "/sw.js"}); code != http.StatusCreated {
		t.Fatalf("register through n1: %d %s", code, body)
	}
	// Every node serves it (the others once they heard of it).
	for _, n := range nodes {
		n.waitServes(t)
	}
	// A cache entry written through n2 is read through n1.
	if body, _, err := nodes[1].edgeGet(ctx, "/put?1"); err != nil || body != "put" {
		t.Fatalf("put through n2: %q %v", body, err)
	}
	if body, _, err := nodes[0].edgeGet(ctx, "/get"); err != nil || body != "cached ?1" {
		t.Fatalf("get through n1: %q %v", body, err)
	}

	committed := nodes[0].versions(ctx, t)

	// Clients: one page on every node, each echoing.
	var clients []*bridgeClient
	for _, n := range nodes {
		c, err := bridgeConnect(ctx, n, "https://app.test/svc")
		if err != nil {
			t.Fatal(err)
		}
		defer c.ws.CloseNow()
		if err := c.echo(ctx, 1); err != nil {
			t.Fatalf("echo through %s: %v", n.id, err)
		}
		clients = append(clients, c)
	}

	// Fetches through n1 and n2 run while n3 is killed.
	var fetched, failed atomic.Int64
	var firstErr atomic.Value
	progress := make(chan struct{}, 1) // a fetch finished
	waitFetched := func(n int64) {
		t.Helper()
		timer := time.NewTimer(30 * time.Second)
		defer timer.Stop()
		for fetched.Load() < n && failed.Load() == 0 {
			select {
			case <-progress:
			case <-timer.C:
				t.Fatalf("%d fetches after 30 s, want %d", fetched.Load(), n)
			}
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, n := range nodes[:2] {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				body, _, err := n.edgeGet(ctx, "/hello")
				if err != nil || body != "hello" {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("%s: %q %v", n.id, body, err))
				} else {
					fetched.Add(1)
				}
				select {
				case progress <- struct{}{}:
				default:
				}
			}
		})
	}
	// n2's page messages throughout.
	msgErr := make(chan error, 1)
	wg.Go(func() {
		c := clients[1]
		i := 100
		for {
			select {
			case <-stop:
				msgErr <- nil
				return
			default:
			}
			if err := c.echo(ctx, i); err != nil {
				// Its channel was placed on n3: the page connects again
				// through its node and goes on.
				c.ws.CloseNow()
				if c2, err2 := bridgeConnect(ctx, nodes[1], "https://app.test/svc"); err2 != nil {
					msgErr <- fmt.Errorf("echo failed (%v), and connecting again through n2 too: %v", err, err2)
					return
				} else {
					c = c2
					clients[1] = c2
				}
				continue
			}
			i++
		}
	})
	waitFetched(20)
	if err := nodes[2].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	nodes[2].cmd.Wait()
	before := fetched.Load()
	waitFetched(before + 50)
	close(stop)
	wg.Wait()
	if err := <-msgErr; err != nil {
		t.Error(err)
	}
	if failed.Load() > 0 {
		t.Errorf("%d of %d fetches through the surviving nodes failed; first: %v", failed.Load(), failed.Load()+fetched.Load(), firstErr.Load())
	}
	// n3's page lost its node: it connects again through n1.
	if err := clients[2].echo(ctx, 7); err == nil {
		t.Error("the killed node's bridge still answers")
	}
	again, err := bridgeConnect(ctx, nodes[0], "https://app.test/svc")
	if err != nil {
		t.Fatalf("the killed node's client connecting again through n1: %v", err)
	}
	defer again.ws.CloseNow()
	if err := again.echo(ctx, 8); err != nil {
		t.Errorf("echo after reconnecting: %v", err)
	}
	// Nothing committed was lost.
	if body, _, err := nodes[0].edgeGet(ctx, "/get"); err != nil || body != "cached ?1" {
		t.Errorf("the cache entry after the kill: %q %v", body, err)
	}
	for _, n := range nodes[:2] {
		if got := n.versions(ctx, t); !slices.Equal(got, committed) {
			t.Errorf("%s lists versions %v after the kill, want %v", n.id, got, committed)
		}
	}

	// PostgreSQL goes away: n1 serves its active version, admin writes
	// are 503 until the database is back.
	if h := nodes[0].health(ctx, t); h != "ok\nfleet: connected\n" {
		t.Errorf("healthz of n1: %q", h)
	}
	pg.Crash()
	if body, _, err := nodes[0].edgeGet(ctx, "/hello"); err != nil || body != "hello" {
		t.Errorf("fetch through n1 without PostgreSQL: %q %v", body, err)
	}
	// The node's listener notices (a disconnected lifecycle event).
	nodes[0].waitLifecycle(ctx, t, "healthz of n1 says it does not hear the others", func() bool {
		return strings.Contains(nodes[0].health(ctx, t), "not hearing")
	})
	reg2 := map[string]any{"client": "https://app.test/", "script": "/sw.js", "scope": "/other/"}
	if code, body := nodes[0].adminPost(t, "/v1/registrations", reg2); code != http.StatusServiceUnavailable || !strings.Contains(body, "UnavailableError") {
		t.Errorf("register without PostgreSQL: %d %s, want 503 UnavailableError", code, body)
	}
	if err := pg.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	// Its listener reconnects (a connected lifecycle event); a write may
	// still meet a connection of the pools from before the restart,
	// which the pools drop, so it is tried a few times.
	nodes[0].waitLifecycle(ctx, t, "healthz of n1 says it is connected again", func() bool {
		return nodes[0].health(ctx, t) == "ok\nfleet: connected\n"
	})
	for try := 1; ; try++ {
		code, body := nodes[0].adminPost(t, "/v1/registrations", reg2)
		if code == http.StatusCreated {
			t.Logf("registered after PostgreSQL came back at try %d", try)
			break
		}
		if code != http.StatusServiceUnavailable || try == 20 {
			t.Fatalf("register after PostgreSQL came back (try %d): %d %s", try, code, body)
		}
	}
	t.Logf("%d fetches through n1 and n2, none failed, while n3 was killed", fetched.Load())
}

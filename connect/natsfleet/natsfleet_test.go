package natsfleet

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/swhost/swhost/connect"
	"github.com/swhost/swhost/internal/natstest"
	"github.com/swhost/swhost/internal/pgtest"
	"github.com/swhost/swhost/message"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

const (
	svcOrigin = "https://svc.test"
	appURL    = "https://app.test/"
	// presence is the tests' presence interval: a killed node is noticed
	// within three.
	presence = 200 * time.Millisecond
)

// echoGetAll echoes messages, and answers "list" with the target URLs of
// crossOriginClients.getAll().
const echoGetAll = `self.addEventListener('crossoriginconnect', e => e.acceptConnection(e.client.targetUrl.indexOf('/refuse') < 0));
self.addEventListener('crossoriginmessage', e => {
  if (e.data === 'list') {
    self.crossOriginClients.getAll().then(list => e.source.postMessage(list.map(c => c.targetUrl).sort().join(',')));
    return;
  }
  e.source.postMessage(e.data);
});`

// fleetNode is one node: store on the shared database, registry, broker
// and router on the shared NATS server.
type fleetNode struct {
	st      *store.SQLStore
	reg     *registry.Registry
	b       *connect.Broker
	nc      *nats.Conn
	rt      *Router
	members chan []string
	closed  bool
}

type fleet struct {
	t     *testing.T
	nodes []*fleetNode
	nats  *natstest.Server
	db    string
	net   *network.Transport
}

func newTestFleet(t *testing.T, n int) *fleet {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, echoGetAll)
	}))
	t.Cleanup(srv.Close)
	f := &fleet{t: t, nats: natstest.New(t), db: pgtest.New(t),
		net: &network.Transport{Resolve: map[string]string{svcOrigin: srv.URL}}}
	for i := range n {
		f.nodes = append(f.nodes, f.startNode(fmt.Sprintf("n%d", i+1)))
	}
	for _, nd := range f.nodes {
		f.waitMembers(nd, n)
	}
	return f
}

func (f *fleet) startNode(id string) *fleetNode {
	t := f.t
	t.Helper()
	ctx := context.Background()
	nd := &fleetNode{members: make(chan []string, 64)}
	var err error
	if nd.st, err = store.Open(ctx, f.db); err != nil {
		t.Fatal(err)
	}
	nd.reg, err = registry.New(ctx, registry.Options{Store: nd.st, Network: f.net, Limits: worker.Limits{IdleTimeout: -1},
		Environment: registry.Environment{Hooks: func(v *registry.Version) worker.Hooks { return nd.b.WorkerHooks(v) }}})
	if err != nil {
		t.Fatal(err)
	}
	if nd.nc, err = nats.Connect(f.nats.URL(), nats.Name("swhost "+id)); err != nil {
		t.Fatal(err)
	}
	nd.rt, err = New(nd.nc, Options{NodeID: id, PresenceInterval: presence, AckTimeout: time.Second,
		OnMembers: func(m []string) { nd.members <- m }})
	if err != nil {
		t.Fatal(err)
	}
	nd.b = connect.New(nd.reg, connect.Options{Router: nd.rt, FailureDelay: -1, FailureJitter: -1})
	if err := nd.rt.Serve(nd.b); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.stop(nd) })
	return nd
}

// stop stops nd as a node shutting down does.
func (f *fleet) stop(nd *fleetNode) {
	if nd.closed {
		return
	}
	nd.closed = true
	nd.rt.Close()
	nd.b.Close()
	nd.nc.Close()
	nd.reg.Close()
	nd.st.Close()
}

// kill stops nd as kill -9 would, as far as the fleet sees: its NATS
// connection drops with nothing said.
func (f *fleet) kill(nd *fleetNode) {
	nd.nc.Close()
}

// waitMembers waits until nd knows n members.
func (f *fleet) waitMembers(nd *fleetNode, n int) {
	f.t.Helper()
	timer := time.NewTimer(10 * time.Second)
	defer timer.Stop()
	for len(nd.rt.Members()) != n {
		select {
		case <-nd.members:
		case <-timer.C:
			f.t.Fatalf("node %s knows %v, want %d members", nd.rt.NodeID(), nd.rt.Members(), n)
		}
	}
}

// register registers the service on node 0 and waits until every node
// has its active version.
func (f *fleet) register() *registry.Registration {
	f.t.Helper()
	ctx := context.Background()
	reg, err := f.nodes[0].reg.Register(ctx, registry.RegisterRequest{ClientURL: svcOrigin + "/", ScriptURL: "/sw.js"})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, nd := range f.nodes[1:] {
		changed := make(chan struct{}, 1)
		cancel := nd.reg.Subscribe(func(registry.Event) {
			select {
			case changed <- struct{}{}:
			default:
			}
		})
		timer := time.NewTimer(10 * time.Second)
		for {
			if r := nd.reg.MatchString(svcOrigin + "/"); r != nil && r.Active() != nil && r.Active().State() == sw.StateActivated {
				break
			}
			select {
			case <-changed:
			case <-timer.C:
				f.t.Fatalf("node %s did not get the registration", nd.rt.NodeID())
			}
		}
		timer.Stop()
		cancel()
	}
	return reg
}

// byRole returns the node the registration is placed on and another.
func (f *fleet) byRole(reg *registry.Registration) (owner, other *fleetNode) {
	id := f.nodes[0].rt.Owner(reg.Scope().Key())
	for _, nd := range f.nodes {
		if nd.rt.NodeID() == id {
			owner = nd
		} else if other == nil {
			other = nd
		}
	}
	return owner, other
}

func connectVia(t *testing.T, nd *fleetNode, target string) *connect.Port {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p, err := nd.b.Connect(ctx, appURL, target, map[string]any{"name": "t"})
	if err != nil {
		t.Fatalf("connect through %s: %v", nd.rt.NodeID(), err)
	}
	t.Cleanup(p.Close)
	return p
}

func recv(t *testing.T, p *connect.Port) any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := p.Recv(ctx)
	if err != nil {
		t.Fatalf("recv: %v", err)
	}
	return m.Value()
}

// waitClosed waits until p is closed.
func waitClosed(t *testing.T, p *connect.Port, within time.Duration) {
	t.Helper()
	select {
	case <-p.Done():
	case <-time.After(within):
		t.Fatalf("the port is still open after %v", within)
	}
}

// eventually waits until cond holds, checking it every few milliseconds
// (the broker's connection count has no notification), for at most 10 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within 10 s: %s", what)
		}
		time.Sleep(2 * time.Millisecond) // polling a condition, not waiting for time to pass
	}
}

// TestRoutedChannel: a client on one node reaches the worker on the node
// the registration is placed on; 10,000 messages come back in order,
// exactly once; the worker's getAll lists the clients of every node; a
// refusal there is the client's AbortError; closing the client's port
// removes it from getAll.
func TestRoutedChannel(t *testing.T) {
	f := newTestFleet(t, 3)
	reg := f.register()
	owner, other := f.byRole(reg)

	p := connectVia(t, other, svcOrigin+"/a")
	if other.rt.Channels() != 1 || owner.rt.Channels() != 1 || owner.b.Connections() != 1 || other.b.Connections() != 0 {
		t.Errorf("channels: client node %d (broker %d), owner %d (broker %d); want a routed channel served by the owner",
			other.rt.Channels(), other.b.Connections(), owner.rt.Channels(), owner.b.Connections())
	}
	const n = 10000
	for i := range n {
		if err := p.PostMessage(float64(i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		if got := recv(t, p); got != float64(i) {
			t.Fatalf("message %d: got %v", i, got)
		}
	}
	// Structured-clone values survive the trip both ways.
	if err := p.PostMessage(map[string]any{"when": time.UnixMilli(42).UTC(), "set": connect.Set{"x", 1.0}}); err != nil {
		t.Fatal(err)
	}
	got, _ := recv(t, p).(map[string]any)
	if w, _ := got["when"].(time.Time); !w.Equal(time.UnixMilli(42)) || !slices.Equal(got["set"].(connect.Set), connect.Set{"x", 1.0}) {
		t.Errorf("a structured clone came back as %#v", got)
	}

	// Clients on every node are listed by the one worker.
	var ports []*connect.Port
	for i, nd := range f.nodes {
		ports = append(ports, connectVia(t, nd, fmt.Sprintf("%s/c%d", svcOrigin, i)))
	}
	if err := ports[0].PostMessage("list"); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, ports[0]); got != svcOrigin+"/a,"+svcOrigin+"/c0,"+svcOrigin+"/c1,"+svcOrigin+"/c2" {
		t.Errorf("getAll lists %v", got)
	}

	// A refusal on the owner is the client's AbortError.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := other.b.Connect(ctx, appURL, svcOrigin+"/refuse", nil); weberr.NameOf(err) != weberr.AbortError {
		t.Errorf("a refused routed connect = %v, want an AbortError", err)
	}

	// Closing the client's port removes it from the owner.
	p.Close()
	eventually(t, "the owner forgets the closed client", func() bool { return owner.b.Connections() == 3 })
	for _, q := range ports {
		q.Close()
	}
	eventually(t, "every routed channel closes", func() bool {
		for _, nd := range f.nodes {
			if nd.rt.Channels() != 0 {
				return false
			}
		}
		return true
	})
}

// TestLostAcks: frames whose acknowledgement is lost are sent again, and
// the messages in them still arrive once each, in order.
func TestLostAcks(t *testing.T) {
	f := newTestFleet(t, 2)
	reg := f.register()
	owner, other := f.byRole(reg)
	var mu sync.Mutex
	frames := 0
	drop := func() bool { // every third acknowledgement is lost
		mu.Lock()
		defer mu.Unlock()
		frames++
		return frames%3 == 0
	}
	for _, nd := range []*fleetNode{owner, other} {
		nd.rt.mu.Lock()
		nd.rt.dropAck = drop
		nd.rt.opts.AckTimeout = 50 * time.Millisecond
		nd.rt.mu.Unlock()
	}
	p := connectVia(t, other, svcOrigin+"/a")
	const n = 300
	for i := range n {
		if err := p.PostMessage(float64(i)); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 {
			if got := recv(t, p); got != float64(i/10) {
				t.Fatalf("reply %d: got %v", i/10, got)
			}
		}
	}
	for i := n / 10; i < n; i++ {
		if got := recv(t, p); got != float64(i) {
			t.Fatalf("reply %d: got %v", i, got)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if frames < 6 {
		t.Errorf("only %d frames: no acknowledgement was lost", frames)
	}
}

// TestNodeStops: the owner stopping closes the channels routed to it (the
// client sees its port close), and the client connects again through its
// node, which places the registration on a node that is up.
func TestNodeStops(t *testing.T) {
	f := newTestFleet(t, 3)
	reg := f.register()
	owner, other := f.byRole(reg)
	p := connectVia(t, other, svcOrigin+"/a")
	if err := p.PostMessage("hi"); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, p); got != "hi" {
		t.Fatalf("echo: %v", got)
	}
	f.stop(owner)
	waitClosed(t, p, 5*time.Second)
	f.waitMembers(other, 2)
	q := connectVia(t, other, svcOrigin+"/b")
	if err := q.PostMessage("again"); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, q); got != "again" {
		t.Errorf("echo after reconnecting: %v", got)
	}
}

// TestNodeKilled: an owner that vanishes without a word (its NATS
// connection drops, as with kill -9) is noticed: an idle channel closes
// once its presence stops, a busy one at its next frame; clients connect
// again through their node.
func TestNodeKilled(t *testing.T) {
	f := newTestFleet(t, 3)
	reg := f.register()
	owner, other := f.byRole(reg)
	idle := connectVia(t, other, svcOrigin+"/idle")
	busy := connectVia(t, other, svcOrigin+"/busy")
	if err := busy.PostMessage("x"); err != nil {
		t.Fatal(err)
	}
	recv(t, busy)
	f.kill(owner)
	if err := busy.PostMessage("y"); err != nil {
		t.Fatal(err)
	}
	waitClosed(t, busy, 5*time.Second)
	waitClosed(t, idle, 5*time.Second)
	f.waitMembers(other, 2)
	q := connectVia(t, other, svcOrigin+"/b")
	if err := q.PostMessage("again"); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, q); got != "again" {
		t.Errorf("echo after reconnecting: %v", got)
	}
	if _, err := busy.Recv(context.Background()); !errors.Is(err, connect.ErrClosed) {
		t.Errorf("Recv on the closed port = %v", err)
	}
}

// TestFrameEncoding: frames keep every kind of message data.
func TestFrameEncoding(t *testing.T) {
	rec, err := connectRecord(map[string]any{"a": []any{1.0, "b"}})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []connect.Message
	for _, d := range []any{nil, connect.Undefined{}, true, false, 1.5, "s", rec} {
		msgs = append(msgs, connect.Message{Data: d})
	}
	b, err := encodeFrame("id", 7, msgs, true)
	if err != nil {
		t.Fatal(err)
	}
	f, err := decodeFrame(b)
	if err != nil {
		t.Fatal(err)
	}
	if f.ch != "id" || f.seq != 7 || !f.close || len(f.data) != len(msgs) {
		t.Fatalf("frame = %+v", f)
	}
	for i, m := range msgs[:6] {
		if f.data[i] != m.Data {
			t.Errorf("data %d = %#v, want %#v", i, f.data[i], m.Data)
		}
	}
	if got := (connect.Message{Data: f.data[6]}).Value(); fmt.Sprint(got) != "map[a:[1 b]]" {
		t.Errorf("record = %v", got)
	}
	for n := range len(b) {
		if _, err := decodeFrame(b[:n]); err == nil {
			t.Errorf("a frame cut to %d of %d bytes decoded", n, len(b))
		}
	}
}

func connectRecord(v any) (*connect.Record, error) {
	a, b := connect.NewChannel()
	defer a.Close()
	b.SetReader(&message.Reader{Clone: true})
	if err := a.PostMessage(v); err != nil {
		return nil, err
	}
	m, _ := b.TryRecv()
	rec, _ := m.Data.(*connect.Record)
	if rec == nil {
		return nil, errors.New("not a record")
	}
	return rec, nil
}

// TestNATSDown: with the NATS server gone, routed channels close and a
// new connection is served on the client's node.
func TestNATSDown(t *testing.T) {
	f := newTestFleet(t, 2)
	reg := f.register()
	owner, other := f.byRole(reg)
	p := connectVia(t, other, svcOrigin+"/a")
	if err := p.PostMessage("x"); err != nil {
		t.Fatal(err)
	}
	recv(t, p)
	f.nats.Shutdown()
	waitClosed(t, p, 10*time.Second)
	q := connectVia(t, other, svcOrigin+"/b")
	if err := q.PostMessage("here"); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, q); got != "here" {
		t.Errorf("echo with NATS down: %v", got)
	}
	if other.b.Connections() != 1 {
		t.Errorf("the client's node has %d connections, want 1: it serves the new one", other.b.Connections())
	}
	eventually(t, "the owner closes the channel of a node it no longer hears", func() bool { return owner.b.Connections() == 0 })
}

// TestPlacementStaysWhenANodeJoins: a node joining that rendezvous
// hashing would now pick for a registration does not take its new
// connections while another node has connections for it: they all stay
// with one worker, whose getAll lists them all.
func TestPlacementStaysWhenANodeJoins(t *testing.T) {
	f := newTestFleet(t, 1)
	reg := f.register()
	key := reg.Scope().Key()
	first := f.nodes[0]
	p1 := connectVia(t, first, svcOrigin+"/a")

	id := ""
	for i := 2; id == ""; i++ {
		if c := fmt.Sprintf("n%d", i); rendezvous([]string{first.rt.NodeID(), c}, key) == c {
			id = c
		}
	}
	second := f.startNode(id)
	f.nodes = append(f.nodes, second)
	f.waitMembers(first, 2)
	f.waitMembers(second, 2)
	eventually(t, "the joining node hears which keys n1 serves", func() bool { return second.rt.Owner(key) == first.rt.NodeID() })

	p2 := connectVia(t, second, svcOrigin+"/b")
	if first.b.Connections() != 2 || second.b.Connections() != 0 {
		t.Errorf("connections: n1 %d, %s %d; want both on n1", first.b.Connections(), id, second.b.Connections())
	}
	if err := p1.PostMessage("list"); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, p1); got != svcOrigin+"/a,"+svcOrigin+"/b" {
		t.Errorf("getAll lists %v", got)
	}
	// Once n1 has no connection left, placement is rendezvous again.
	p1.Close()
	p2.Close()
	eventually(t, "n1's connections close", func() bool { return first.b.Connections() == 0 })
	eventually(t, "placement goes back to rendezvous", func() bool { return second.rt.Owner(key) == id && first.rt.Owner(key) == id })
}

// TestCloseWithSilentPeer: a router closing while a channel's sender
// waits for a message, its peer node still present but answering no
// frame (so no closing frame will come from it, and the peer is not
// dropped), still returns: Close wakes the sender, which tries to send
// its closing frame and gives up on the silent peer. It hung in the
// router's wait for its goroutines when Close relied on the peer.
func TestCloseWithSilentPeer(t *testing.T) {
	f := newTestFleet(t, 2)
	reg := f.register()
	owner, other := f.byRole(reg)
	p := connectVia(t, other, svcOrigin+"/a")
	if err := p.PostMessage("hi"); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, p); got != "hi" {
		t.Fatalf("echo: %v", got)
	}
	owner.rt.mu.Lock()
	for _, sub := range owner.rt.subs {
		_ = sub.Unsubscribe() // its presence goes on; its frames go unanswered
	}
	owner.rt.mu.Unlock()
	closed := make(chan struct{})
	go func() {
		other.rt.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(20 * time.Second):
		t.Fatal("Router.Close did not return with its peer silent")
	}
}

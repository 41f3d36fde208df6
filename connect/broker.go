package connect

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/scope"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// Defaults of Options.
const (
	DefaultActiveTimeout = 30 * time.Second
	// DefaultFailureDelay is the window every connect decision must fit
	// in, cold worker start included; failures are answered at its end.
	// 200 ms refused accepted connections when a cold start met a loaded
	// machine, so the default trades a slower "no" for fewer false ones.
	DefaultFailureDelay  = time.Second
	DefaultFailureJitter = 20 * time.Millisecond
)

// Options configure a Broker.
type Options struct {
	// ActiveTimeout bounds how long Connect waits for a matched
	// registration without an active worker to get one; 0 means
	// DefaultActiveTimeout.
	ActiveTimeout time.Duration
	// FailureDelay is when, after a connect attempt starts (after the
	// active worker was found, for an attempt that waited), every failed
	// attempt is answered: no service, a rejection, or a decision still
	// pending by then (which counts as a rejection). 0 means
	// DefaultFailureDelay; negative means 0 (tests only: it leaks timing).
	FailureDelay time.Duration
	// FailureJitter adds a uniformly random delay in [0, FailureJitter)
	// to every failure answer; 0 means DefaultFailureJitter, negative
	// means none.
	FailureJitter time.Duration
	// Logger receives delivery failures; nil means slog.Default().
	Logger *slog.Logger
	// Observe, when set, is told of every connect attempt ("connect":
	// accepted or not, for the operator only: clients never learn why) and
	// every message ("message": direction "to-worker" or "to-client"),
	// for the admin API's event stream. It must not block.
	Observe func(kind string, data map[string]any)
	// Router, in a fleet of nodes, places the service worker side of
	// connections to registrations on the node that runs it (package
	// connect/natsfleet); nil connects every client here.
	Router Router
}

// Router places connections to service workers in a fleet of nodes: the
// connections of one registration are served by one node's worker, so
// that its crossOriginClients lists every node's clients.
type Router interface {
	// Route connects client to reg's service worker on the node the fleet
	// places reg on, when that is another node: it returns the client's
	// end of the connection, or the connect failure that node answered,
	// and handled=true. With handled=false Connect goes on here (reg is
	// placed here, or its node cannot be reached).
	Route(ctx context.Context, reg *registry.Registration, client Client) (port *Port, handled bool, err error)
}

// observe reports an event about client to Options.Observe.
func (b *Broker) observe(kind string, client Client, extra map[string]any) {
	if b.opts.Observe == nil {
		return
	}
	data := map[string]any{"origin": client.Origin, "targetURL": client.TargetURL, "clientID": client.ID}
	for k, v := range extra {
		data[k] = v
	}
	b.opts.Observe(kind, data)
}

// Broker runs the connect seed's algorithms over a registry: Connect,
// Deliver Message, the cross-origin client lists of registrations, and
// native Go services. It is safe for concurrent use.
type Broker struct {
	reg  *registry.Registry
	opts Options
	log  *slog.Logger

	mu       sync.RWMutex
	conns    map[string]*conn                   // accepted, open connections by client id
	byReg    map[*registry.Registration][]*conn // accepted, open connections per registration, in connect order
	services *scope.Index[*service]
	seq      atomic.Uint64
	closed   bool
}

// New returns a broker over reg and attaches its worker hooks
// (self.crossOriginClients, event.source.postMessage) to reg's
// environment, next to the agent's.
func New(reg *registry.Registry, opts Options) *Broker {
	if opts.ActiveTimeout <= 0 {
		opts.ActiveTimeout = DefaultActiveTimeout
	}
	if opts.FailureDelay == 0 {
		opts.FailureDelay = DefaultFailureDelay
	} else if opts.FailureDelay < 0 {
		opts.FailureDelay = 0
	}
	if opts.FailureJitter == 0 {
		opts.FailureJitter = DefaultFailureJitter
	} else if opts.FailureJitter < 0 {
		opts.FailureJitter = 0
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	b := &Broker{
		reg: reg, opts: opts, log: opts.Logger,
		conns:    map[string]*conn{},
		byReg:    map[*registry.Registration][]*conn{},
		services: scope.NewIndex[*service](scope.IndexOptions{}),
	}
	return b
}

// WorkerHooks returns the worker hooks of version v, the cross-origin
// connect of its worker (registry.Environment's Hooks): both hooks resolve
// clients through v's registration, so every version of it sees the same
// list.
func (b *Broker) WorkerHooks(v *registry.Version) worker.Hooks {
	reg := v.Registration()
	return worker.Hooks{
		CrossOriginClients: func(_ context.Context, targetURL string) ([]worker.CrossOriginClient, error) {
			return b.clientsOf(reg, targetURL), nil
		},
		CrossOriginPostMessage: func(id string, msg worker.Message) error {
			b.mu.RLock()
			c := b.conns[id]
			b.mu.RUnlock()
			if c == nil || c.reg != reg {
				return weberr.New(weberr.InvalidStateError, "the cross-origin client's connection is not open: it was not accepted, was rejected, or was closed")
			}
			c.toClient(msg)
			return nil
		},
	}
}

// Client is a cross-origin client as Go code sees it: the connect seed's
// CrossOriginServiceWorkerClient.
type Client struct {
	ID        string // opaque, unique per connection
	Origin    string // the serialized origin of the connecting page
	TargetURL string // the URL it connected to
	Options   any    // connect options ({name, data}), JSON-able
}

func (c Client) worker() worker.CrossOriginClient {
	return worker.CrossOriginClient{ID: c.ID, Origin: c.Origin, TargetURL: c.TargetURL, Options: c.Options}
}

// clientsOf lists reg's open connections, in connect order, filtered by
// target URL when not empty.
func (b *Broker) clientsOf(reg *registry.Registration, targetURL string) []worker.CrossOriginClient {
	if targetURL != "" {
		if u, err := weburl.Parse(targetURL); err == nil {
			targetURL = u.Href()
		}
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	list := b.byReg[reg]
	out := make([]worker.CrossOriginClient, 0, len(list))
	for _, c := range list {
		if targetURL == "" || c.client.TargetURL == targetURL {
			out = append(out, c.client.worker())
		}
	}
	return out
}

// Clients returns the open cross-origin clients of a registration, the
// list self.crossOriginClients.getAll() resolves to.
func (b *Broker) Clients(reg *registry.Registration) []Client {
	ws := b.clientsOf(reg, "")
	out := make([]Client, len(ws))
	for i, w := range ws {
		out[i] = Client{ID: w.ID, Origin: w.Origin, TargetURL: w.TargetURL, Options: w.Options}
	}
	return out
}

// Close closes every connection.
func (b *Broker) Close() {
	b.mu.Lock()
	b.closed = true
	list := make([]*conn, 0, len(b.conns))
	for _, c := range b.conns {
		list = append(list, c)
	}
	b.mu.Unlock()
	for _, c := range list {
		c.close()
	}
}

// abort is the one failure every refused connect gets, whatever the
// cause: the same name and message for "no service" and "rejected".
func abort(target string) error {
	return weberr.Errorf(weberr.AbortError, "no service accepted the connection to %s", target)
}

// Connect runs the connect seed's Connect algorithm for a client at
// clientURL (a URL or a serialized origin; only its origin is used)
// connecting to targetURL with options ({name, data}, any JSON-able
// value, passed to the crossoriginconnect event).
//
// It finds the native service or registration whose scope matches
// targetURL, waits for the registration's active worker when it has none
// (up to Options.ActiveTimeout), fires crossoriginconnect and, when the
// worker accepts, returns the client's end of the connection. Every
// refusal (no service, a rejection, no decision) is an AbortError with
// the same message, answered Options.FailureDelay after the attempt
// started, plus jitter. An invalid URL is a TypeError; ctx ending returns
// ctx's error.
func (b *Broker) Connect(ctx context.Context, clientURL, targetURL string, options any) (*Port, error) {
	start := time.Now()
	cu, err := weburl.Parse(clientURL)
	if err != nil {
		return nil, weberr.Errorf(weberr.TypeError, "connect: invalid client URL or origin %q", clientURL)
	}
	origin := cu.Origin()
	tu, err := weburl.Parse(targetURL)
	if err != nil {
		return nil, weberr.Errorf(weberr.TypeError, "connect: invalid URL %q", targetURL)
	}
	client := Client{ID: newID(), Origin: origin, TargetURL: tu.Href(), Options: options}
	return b.connect(ctx, start, tu, client, true)
}

// ConnectHere is Connect for a client whose attempt another node routed
// here (see [Router]): it runs the attempt on this node, whatever the
// Router says, keeping client's ID (a new one when empty). client.Origin
// must be a serialized origin and client.TargetURL a URL.
func (b *Broker) ConnectHere(ctx context.Context, client Client) (*Port, error) {
	start := time.Now()
	tu, err := weburl.Parse(client.TargetURL)
	if err != nil {
		return nil, weberr.Errorf(weberr.TypeError, "connect: invalid URL %q", client.TargetURL)
	}
	client.TargetURL = tu.Href()
	if client.ID == "" {
		client.ID = newID()
	}
	return b.connect(ctx, start, tu, client, false)
}

// connect runs Connect for client, asking Options.Router first when
// route is set.
func (b *Broker) connect(ctx context.Context, start time.Time, tu *weburl.URL, client Client, route bool) (*Port, error) {
	target := client.TargetURL
	if res, ok := b.services.Lookup(tu); ok {
		return b.connectNative(ctx, start, res.Value, client)
	}
	var reg *registry.Registration
	if b.reg != nil {
		reg = b.reg.Match(tu)
	}
	if reg == nil {
		b.observe("connect", client, map[string]any{"accepted": false, "reason": "no registration matches"})
		return nil, b.fail(ctx, start, target)
	}
	if route && b.opts.Router != nil {
		if port, handled, err := b.opts.Router.Route(ctx, reg, client); handled {
			return port, err
		}
	}
	v := reg.Active()
	var err error
	if v == nil {
		if v, err = b.waitActive(ctx, reg); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, b.fail(ctx, time.Now().Add(-b.opts.FailureDelay), target)
		}
		start = time.Now()
	}
	dctx, cancel := b.decisionContext(ctx, start)
	accepted, err := b.dispatchConnect(dctx, v, client)
	cancel()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		b.log.Debug("crossoriginconnect failed", "target", target, "err", err)
	}
	if !accepted {
		reason := "refused by the worker"
		if err != nil {
			reason = err.Error()
		}
		b.observe("connect", client, map[string]any{"accepted": false, "reason": reason, "scope": reg.ScopeText()})
		return nil, b.fail(ctx, start, target)
	}
	b.observe("connect", client, map[string]any{"accepted": true, "scope": reg.ScopeText(), "scriptURL": v.ScriptURL()})
	c := b.newConn(reg, nil, client)
	if !b.add(c) {
		c.port.Close()
		return nil, b.fail(ctx, start, target)
	}
	go c.deliverLoop()
	return c.port, nil
}

// dispatchConnect fires crossoriginconnect on v's worker (starting it).
func (b *Broker) dispatchConnect(ctx context.Context, v *registry.Version, client Client) (bool, error) {
	w, err := v.Worker(ctx)
	if err != nil {
		return false, err
	}
	res, err := w.DispatchConnect(ctx, client.worker())
	if err != nil {
		return false, err
	}
	return res.Accepted, res.Err
}

// waitActive waits for reg to get an active worker, up to
// Options.ActiveTimeout. It checks again on every lifecycle change of the
// registry (a registration gets its active worker, or is unregistered,
// before the change's event is sent).
func (b *Broker) waitActive(ctx context.Context, reg *registry.Registration) (*registry.Version, error) {
	ctx, cancel := context.WithTimeout(ctx, b.opts.ActiveTimeout)
	defer cancel()
	changed := make(chan struct{}, 1)
	unsubscribe := b.reg.Subscribe(func(registry.Event) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer unsubscribe()
	for {
		if v := reg.Active(); v != nil {
			return v, nil
		}
		if reg.Uninstalling() {
			return nil, errors.New("the registration was unregistered")
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// decisionContext bounds a connect decision by start+FailureDelay (when
// FailureDelay is not disabled).
func (b *Broker) decisionContext(ctx context.Context, start time.Time) (context.Context, context.CancelFunc) {
	if b.opts.FailureDelay <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithDeadline(ctx, start.Add(b.opts.FailureDelay))
}

// fail waits until start+FailureDelay plus jitter and returns the
// AbortError (or ctx's error if it ends first).
func (b *Broker) fail(ctx context.Context, start time.Time, target string) error {
	d := time.Until(start.Add(b.opts.FailureDelay)) + jitter(b.opts.FailureJitter)
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return abort(target)
}

func jitter(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	n, err := rand.Int(rand.Reader, big.NewInt(int64(max)))
	if err != nil {
		return max / 2
	}
	return time.Duration(n.Int64())
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// add records an accepted connection; false when the broker is closed.
func (b *Broker) add(c *conn) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	c.seq = b.seq.Add(1)
	b.conns[c.client.ID] = c
	if c.reg != nil {
		b.byReg[c.reg] = append(b.byReg[c.reg], c)
	}
	return true
}

// remove forgets a connection everywhere at once.
func (b *Broker) remove(c *conn) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.conns[c.client.ID] != c {
		return
	}
	delete(b.conns, c.client.ID)
	if c.reg == nil {
		return
	}
	list := b.byReg[c.reg]
	i := sort.Search(len(list), func(i int) bool { return list[i].seq >= c.seq })
	if i < len(list) && list[i] == c {
		list = append(list[:i:i], list[i+1:]...)
	}
	if len(list) == 0 {
		delete(b.byReg, c.reg)
	} else {
		b.byReg[c.reg] = list
	}
}

// Connections returns the number of open connections (for tests and the
// admin API).
// ServedKeys returns the scope keys of the registrations that have open
// connections here, for a fleet's placement (each once).
func (b *Broker) ServedKeys() []string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := make([]string, 0, len(b.byReg))
	for reg, list := range b.byReg {
		if len(list) > 0 {
			out = append(out, reg.Scope().Key())
		}
	}
	return out
}

func (b *Broker) Connections() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.conns)
}

func (c Client) String() string { return fmt.Sprintf("%s → %s", c.Origin, c.TargetURL) }

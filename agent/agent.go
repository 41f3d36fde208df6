// Package agent is swhost's user agent: it models clients (pages and
// workers that make requests) and runs the lookup order for their
// requests:
//
//  1. the client's controller, its first-party worker's fetch event;
//  2. a foreign-fetch worker of the request's origin (cross-origin only);
//  3. the HTTP cache;
//  4. the network.
//
// A navigation finds its registration by scope, becomes controlled by its
// active worker, and triggers a soft update when the registration is
// stale. fetch() called inside any worker enters the order at step 2.
package agent

import (
	"container/list"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/httpcache"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/worker"
)

// Layer names the step of the lookup order that answered a request.
type Layer string

// Layers of the lookup order.
const (
	LayerFetchEvent   Layer = "fetch-event"
	LayerForeignFetch Layer = "foreign-fetch"
	LayerHTTPCache    Layer = "http-cache"
	LayerNetwork      Layer = "network"
	// LayerRouterCache is Cache Storage answering for a router rule of
	// the controller (the Static Routing API's cache source), its worker
	// not started.
	LayerRouterCache Layer = "router-cache"
)

// Result is the answer to a client's request and where it came from.
type Result struct {
	Response *fetch.Response
	Layer    Layer
	// ScriptURL is the script of the worker that answered, for the
	// fetch-event and foreign-fetch layers.
	ScriptURL string
	// Duration is how long the lookup took.
	Duration time.Duration
	// Route, when one of the controller's router rules decided the
	// request (the Static Routing API), says which and what answered.
	Route *Route
}

// Route is the router rule that decided a request.
type Route struct {
	Rule   int    `json:"rule"`   // its index in the version's rules
	Source string `json:"source"` // its source: "network", "cache", `cache "NAME"`, "fetch-event" or "race-network-and-fetch-handler"
	// Final is what answered: "network", "cache" or "fetch-event" (for
	// a race, the side that won).
	Final string `json:"final"`
}

// ServedBy names what answered, as the edge's X-Swhost-Served-By header
// and the command line's served-by line give it: the layer, the worker's
// script URL when a worker answered, and the router rule that decided.
func (r *Result) ServedBy() string {
	s := string(r.Layer)
	if r.ScriptURL != "" {
		s += " " + r.ScriptURL
	}
	if r.Route != nil {
		s += fmt.Sprintf(" (router rule %d: %s, answered by %s)", r.Route.Rule, r.Route.Source, r.Route.Final)
	}
	return s
}

// Options configure an Agent.
type Options struct {
	// Logger receives the agent's logs; nil means slog.Default().
	Logger *slog.Logger
	// OnFetch, when set, is called after every client request with its
	// result, for observers such as the admin API's event stream.
	OnFetch func(c *Client, req *fetch.Request, res *Result)
	// HTTPCache is lookup step 3; nil means no HTTP cache.
	HTTPCache *httpcache.Cache
	// Links bound the registrations Link response headers start.
	Links LinkLimits
	// Now returns the current time, for Links' rate; nil means the
	// registry's clock (registry.Options.Clock).
	Now func() time.Time
}

// Agent holds the clients and runs their requests. It is safe for
// concurrent use.
type Agent struct {
	reg   *registry.Registry
	net   fetch.Fetcher
	opts  Options
	log   *slog.Logger
	order handler // the lookup order (order.go)

	mu         sync.Mutex
	clients    map[string]*Client
	ambient    map[string]*list.Element        // ClientForURL's clients (*Client) by URL, in ambientLRU
	ambientLRU list.List                       // the same clients, least recently used first
	offline    atomic.Pointer[map[string]bool] // origins taken offline (offline.go); replaced, never changed
	wg         sync.WaitGroup                  // Link-header registrations in flight
	linkRate   linkRate
	traces     map[*registry.Registration][]*trace // functional events being triggered (trigger.go), under mu
	focused    string                              // the id of the focused window client (container.go), under mu
}

// New returns an agent over a registry and the network. The registry's
// workers reach the agent through the registry's Environment, which
// calls WorkerFetcher and WorkerClients (see registry.Environment).
func New(reg *registry.Registry, network fetch.Fetcher, opts Options) *Agent {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	opts.Links = opts.Links.withDefaults()
	a := &Agent{reg: reg, net: network, opts: opts, log: opts.Logger, clients: map[string]*Client{}, traces: map[*registry.Registration][]*trace{}}
	a.order = a.newOrder()
	reg.Subscribe(a.onRegistryEvent)
	return a
}

// WorkerFetcher returns the fetch() of reg's workers: the agent's lookup
// order for requests whose client is the worker (registry.Environment's
// Fetcher).
func (a *Agent) WorkerFetcher(reg *registry.Registration) fetch.Fetcher {
	return workerFetcher{a: a, origin: reg.Scope().Origin()}
}

// WorkerOnline reports whether reg's workers are online (registry
// Environment's Online): not when their origin is offline.
func (a *Agent) WorkerOnline(reg *registry.Registration) bool {
	return !a.Offline(reg.Scope().Origin())
}

// WorkerClients returns self.clients of reg's workers: the agent's clients
// that reg may see (registry.Environment's Clients).
func (a *Agent) WorkerClients(reg *registry.Registration) worker.Clients {
	return clientsView{a: a, reg: reg}
}

// Registry returns the agent's registry.
func (a *Agent) Registry() *registry.Registry { return a.reg }

// Client is a window or worker client: it has a URL, an origin and an id,
// and may be controlled by a registration's active worker.
type Client struct {
	a      *Agent
	id     string
	url    string
	u      *weburl.URL
	origin string

	mu         sync.Mutex
	controller *registry.Registration
	closed     bool
	messages   []worker.Message
	events     []ClientEvent // not yet taken by NextEvent (container.go)
	seq        uint64        // the last event's Seq
	wake       chan struct{} // closed and replaced when an event arrives or the client closes
	channels   []*BroadcastChannel
}

// ID returns the client's id.
func (c *Client) ID() string { return c.id }

// URL returns the client's creation URL.
func (c *Client) URL() string { return c.url }

// Origin returns the client's serialized origin.
func (c *Client) Origin() string { return c.origin }

// Controller returns the registration whose active worker controls the
// client, or nil.
func (c *Client) Controller() *registry.Registration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.controller
}

// Messages returns the messages workers posted to the client so far.
func (c *Client) Messages() []worker.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]worker.Message(nil), c.messages...)
}

// Close removes the client: its controller no longer counts it, which may
// let a waiting worker activate or an unregistered registration clear. The
// ports of the messages workers posted to it are closed.
func (c *Client) Close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	close(c.wake)
	c.events = nil
	ctrl := c.controller
	c.controller = nil
	msgs := c.messages
	c.messages = nil
	channels := c.channels
	c.channels = nil
	c.mu.Unlock()
	for _, b := range channels {
		b.Close()
	}
	for _, m := range msgs {
		for _, p := range m.Ports {
			p.Close()
		}
	}
	c.a.mu.Lock()
	delete(c.a.clients, c.id)
	if e := c.a.ambient[c.u.HrefWithoutFragment()]; e != nil && e.Value == c {
		delete(c.a.ambient, c.u.HrefWithoutFragment())
		c.a.ambientLRU.Remove(e)
	}
	c.a.mu.Unlock()
	if ctrl != nil {
		ctrl.RemoveClient(c.id)
	}
}

func (c *Client) setController(reg *registry.Registration) {
	c.mu.Lock()
	old := c.controller
	c.controller = reg
	c.mu.Unlock()
	if old == reg {
		return
	}
	if reg != nil {
		reg.AddClient(c.id)
	}
	if old != nil {
		old.RemoveClient(c.id)
	}
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Navigate loads a page: it creates a client for req.URL, runs the
// navigation request through the lookup order (the controlling worker's
// fetch event sees mode "navigate" and the new client's id as
// resultingClientId), and returns the client with the response. A zero
// Method means GET.
func (a *Agent) Navigate(ctx context.Context, req *fetch.Request) (*Client, *Result, error) {
	start := time.Now()
	u, err := weburl.Parse(req.URL)
	if err != nil {
		return nil, nil, fmt.Errorf("navigate: %w", err)
	}
	req = req.Clone()
	req.URL = u.HrefWithoutFragment()
	req.Mode = fetch.ModeNavigate
	req.Destination = "document"
	req.Redirect = fetch.RedirectManual
	if req.Credentials == "" {
		req.Credentials = fetch.CredentialsInclude
	}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	}
	c := &Client{a: a, id: newID(), url: u.Href(), u: u, origin: u.Origin(), wake: make(chan struct{})}
	req.ResultingClientID = c.id
	a.mu.Lock()
	a.clients[c.id] = c
	a.mu.Unlock()

	l := lookup{req: req, followAfterWorker: true}
	if reg := a.reg.Match(u); reg != nil {
		a.reg.TryActivate(ctx, reg)
		if v := reg.Active(); v != nil {
			c.setController(reg)
			l.controller, l.init = v, worker.FetchEventInit{ResultingClientID: c.id}
		}
		l.softUpdate = reg
	}
	res, err := a.order(ctx, l)
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	res.Duration = time.Since(start)
	a.observe(c, req, res)
	return c, res, nil
}

// Fetch makes a request from the client (a subresource request) through
// the lookup order. A zero Mode means "cors", as fetch() defaults to.
func (c *Client) Fetch(ctx context.Context, req *fetch.Request) (*Result, error) {
	return c.fetch(ctx, req.Clone())
}

// fetch is Fetch on a request of the caller's own, which it completes in
// place.
func (c *Client) fetch(ctx context.Context, req *fetch.Request) (*Result, error) {
	start := time.Now()
	u, err := weburl.ParseRef(c.u, req.URL)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	req.URL = u.HrefWithoutFragment()
	req.ClientID = c.id
	if req.Origin == "" {
		req.Origin = c.origin
	}
	if req.Referrer == "" {
		req.Referrer = c.url
	}
	if req.Mode == "" {
		req.Mode = fetch.ModeCORS
	}
	if req.Credentials == "" {
		req.Credentials = fetch.CredentialsSameOrigin
	}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	l := lookup{req: req, clientOrigin: c.origin}
	if reg := c.Controller(); reg != nil {
		if v := reg.Active(); v != nil {
			l.controller, l.init = v, worker.FetchEventInit{ClientID: c.id}
		}
	}
	res, err := c.a.order(ctx, l)
	if err != nil {
		return nil, err
	}
	res.Duration = time.Since(start)
	c.a.observe(c, req, res)
	return res, nil
}

// dispatchFetch is lookup step 1: the controller's fetch event. It
// returns nil when the worker has no fetch handler or did not call
// respondWith, so the request goes on.
func (a *Agent) dispatchFetch(ctx context.Context, v *registry.Version, req *fetch.Request, init worker.FetchEventInit) (*Result, error) {
	has, err := v.HasFetchHandler(ctx)
	if err != nil {
		a.log.Warn("starting the controller failed; going to the network", "script", v.ScriptURL(), "err", err)
		return nil, nil
	}
	if !has {
		return nil, nil
	}
	w, err := v.Worker(ctx)
	if err != nil {
		return nil, nil
	}
	fr, err := w.DispatchFetch(ctx, req, init)
	if fr.BodyUsed {
		// A streamed request body the worker read without answering
		// cannot be sent again: the fetch fails (Service Workers, Handle
		// Fetch).
		return &Result{Response: fetch.NetworkError("the fetch event used the request's streamed body and did not answer"), Layer: LayerFetchEvent, ScriptURL: v.ScriptURL()}, nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		a.log.Warn("fetch event failed; going to the network", "script", v.ScriptURL(), "url", req.URL, "err", err)
		return nil, nil
	}
	if fr.Response == nil {
		return nil, nil
	}
	return &Result{Response: fr.Response, Layer: LayerFetchEvent, ScriptURL: v.ScriptURL()}, nil
}

func (a *Agent) observe(c *Client, req *fetch.Request, res *Result) {
	if a.opts.OnFetch != nil {
		a.opts.OnFetch(c, req, res)
	}
}

// Clients returns every open client.
func (a *Agent) Clients() []*Client {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]*Client, 0, len(a.clients))
	for _, c := range a.clients {
		out = append(out, c)
	}
	return out
}

// Client returns the open client with the given id, or nil.
func (a *Agent) Client(id string) *Client {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.clients[id]
}

// Close closes every client.
func (a *Agent) Close() {
	for _, c := range a.Clients() {
		c.Close()
	}
}

// workerFetcher serves fetch() inside the workers of one origin: the
// lookup order with the worker as the client (it has no controller, so
// the order starts at step 2).
type workerFetcher struct {
	a      *Agent
	origin string
}

// Fetch performs a worker's fetch().
func (f workerFetcher) Fetch(ctx context.Context, req *fetch.Request) (*fetch.Response, error) {
	if req.Origin == "" {
		req = req.Clone()
		req.Origin = f.origin
	}
	res, err := f.a.order(ctx, lookup{req: req, clientOrigin: f.origin})
	if err != nil {
		return nil, err
	}
	return res.Response, nil
}

// clientsView is self.clients for a registration's workers.
type clientsView struct {
	a   *Agent
	reg *registry.Registration
}

func (v clientsView) info(c *Client) worker.Client { return c.info() }

// Get returns the client with id if it has the registration's origin.
func (v clientsView) Get(_ context.Context, id string) (worker.Client, bool, error) {
	c := v.a.Client(id)
	if c == nil || c.origin != v.reg.Scope().Origin() {
		return worker.Client{}, false, nil
	}
	return v.info(c), true, nil
}

// MatchAll returns the clients the registration controls, or every client
// of its origin with includeUncontrolled.
func (v clientsView) MatchAll(_ context.Context, includeUncontrolled bool, clientType string) ([]worker.Client, error) {
	if clientType != "" && clientType != "all" && clientType != "window" {
		return []worker.Client{}, nil
	}
	out := []worker.Client{}
	for _, c := range v.a.Clients() {
		if c.origin != v.reg.Scope().Origin() {
			continue
		}
		if includeUncontrolled || c.Controller() == v.reg {
			out = append(out, v.info(c))
		}
	}
	return out, nil
}

// Claim makes the registration's active worker control every client of
// its origin whose URL its scope matches best.
func (v clientsView) Claim(context.Context) error {
	src := ""
	if a := v.reg.Active(); a != nil {
		src = a.ScriptURL()
	}
	for _, c := range v.a.Clients() {
		if c.origin == v.reg.Scope().Origin() && v.a.reg.MatchString(c.url) == v.reg && c.Controller() != v.reg {
			c.setController(v.reg)
			c.addEvent(ClientEvent{Type: "controllerchange", Source: src})
		}
	}
	return nil
}

// PostMessage delivers a worker's Client.postMessage: a message event
// at the client's container (Client.NextEvent).
func (v clientsView) PostMessage(_ context.Context, id string, msg worker.Message) error {
	return v.a.clientsPost(v.reg, id, msg)
}

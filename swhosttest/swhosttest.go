// Package swhosttest runs service workers in Go tests, in process and
// without a browser: a whole swhost (store, network, registry, agent) on
// a temporary directory, its origins served by loopback servers, and a
// manual clock that the test moves.
//
// A test serves its site from a directory (or any fs.FS, or a handler, or
// a running dev server), registers its worker, and then makes requests as
// pages do, reading which layer answered:
//
//	func TestOffline(t *testing.T) {
//		h := swhosttest.New(t, swhosttest.Origin("https://app.test", os.DirFS("dist")))
//		ctx := t.Context()
//		reg, err := h.Register(ctx, "https://app.test/sw.js", swhosttest.RegisterOptions{})
//		if err != nil {
//			t.Fatal(err)
//		}
//		h.SetOffline("https://app.test", true)
//		res, err := h.Fetch(ctx, "https://app.test/", nil, fetch.ModeNavigate)
//		if err != nil || res.Status != 200 || res.Layer != agent.LayerFetchEvent {
//			t.Fatalf("offline navigation: %v, %v", res, err)
//		}
//		h.Clock().Advance(25 * time.Hour) // cache expiration, update staleness
//		_ = reg
//	}
//
// # What it sets up
//
// [New] opens a SQLite store in t.TempDir(), maps each origin to an
// httptest server on 127.0.0.1 (the network reaches nothing else), and
// builds the registry and agent as swhost serve does. Everything is
// closed by t.Cleanup. A host starts in a few milliseconds
// (docs/benchmarks.md, "swhosttest").
//
// # Time
//
// The host's clock is always a [clock.Manual], starting at the wall time
// of New (or [StartAt]): workers' Date, setTimeout and setInterval,
// performance.now and event timeouts, the HTTP cache's freshness, the
// 24-hour update staleness and background sync retries all stand still
// until the test calls h.Clock().Advance or Set. After Advance returns,
// every worker timer that fell due has been queued ahead of anything the
// test does next. The CPU watchdog and the idle timeout that stops unused
// workers stay on the wall clock (docs/decisions.md, "A manual clock").
//
// # Concurrency
//
// A Host is safe for concurrent use; so are its Clients, except that one
// Client's events (NextEvent, NextMessage) have one reader.
package swhosttest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/clock"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/httpcache"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// Option configures [New].
type Option func(*config)

type config struct {
	handlers  map[string]http.Handler // origin → what serves it
	upstreams map[string]string       // origin → URL of a running server
	order     []string                // origins in the order given
	start     time.Time
	limits    worker.Limits
	logger    *slog.Logger
}

// Origin serves origin (such as "https://app.test") from fsys, as a
// static file server does: index.html for directories, the content type
// from the extension, and "Cache-Control: no-cache" on every response so
// that the HTTP cache revalidates each file as with a development
// server. Paths are the request's, without the leading slash.
func Origin(origin string, fsys fs.FS) Option {
	return Handler(origin, noCache(http.FileServerFS(fsys)))
}

// Handler serves origin with h on a loopback server, for responses a
// file system cannot give (headers, changing scripts, errors).
func Handler(origin string, h http.Handler) Option {
	return func(c *config) {
		if _, ok := c.handlers[origin]; !ok {
			c.order = append(c.order, origin)
		}
		c.handlers[origin] = h
	}
}

// Upstream serves origin from a server already running at url (a
// development server: "http://127.0.0.1:5173"), as swhost serve
// --resolve does. It must be a loopback address.
func Upstream(origin, url string) Option {
	return func(c *config) {
		if _, ok := c.upstreams[origin]; !ok {
			c.order = append(c.order, origin)
		}
		c.upstreams[origin] = url
	}
}

// StartAt starts the host's manual clock at t instead of the wall time.
func StartAt(t time.Time) Option { return func(c *config) { c.start = t } }

// Limits bounds the host's workers (zero fields take
// worker.DefaultLimits).
func Limits(l worker.Limits) Option { return func(c *config) { c.limits = l } }

// Logger receives the host's logs; by default they are dropped (worker
// console output is in [Host.Events]).
func Logger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// noCache adds "Cache-Control: no-cache" to h's responses.
func noCache(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}

// Registration is a service worker registration of the host.
type Registration = registry.Registration

// Host is an in-process swhost for one test. Make it with [New] (or
// [Open] outside a test).
type Host struct {
	clock *clock.Manual
	store *store.SQLStore
	net   *network.Transport
	reg   *registry.Registry
	agent *agent.Agent

	mu      sync.Mutex
	events  []Event
	changed chan struct{} // closed and replaced when an event is recorded

	closeOnce sync.Once
	cleanups  []func() // run in reverse order by Close
}

// New starts a host for t with opts, and closes it when t ends. It fails
// t (t.Fatal) when the host cannot start: an origin that does not parse,
// an upstream that is not a URL, a store that cannot be opened.
func New(t testing.TB, opts ...Option) *Host {
	t.Helper()
	h, err := open(t.TempDir(), opts)
	if err != nil {
		t.Fatalf("swhosttest: %v", err)
	}
	t.Cleanup(h.Close)
	return h
}

// Open starts a host outside a test (an example, a program driving
// workers): its store is in a new temporary directory, which Close
// removes. Tests use [New].
func Open(opts ...Option) (*Host, error) {
	dir, err := os.MkdirTemp("", "swhosttest-")
	if err != nil {
		return nil, fmt.Errorf("swhosttest: %w", err)
	}
	h, err := open(dir, opts)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("swhosttest: %w", err)
	}
	h.cleanups = append([]func(){func() { os.RemoveAll(dir) }}, h.cleanups...)
	return h, nil
}

// open starts a host keeping its store in dir.
func open(dir string, opts []Option) (_ *Host, err error) {
	cfg := config{handlers: map[string]http.Handler{}, upstreams: map[string]string{}}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.start.IsZero() {
		cfg.start = time.Now().Truncate(time.Millisecond)
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	h := &Host{clock: clock.NewManual(cfg.start), changed: make(chan struct{})}
	defer func() {
		if err != nil {
			h.Close()
		}
	}()
	tr := &network.Transport{Resolve: map[string]string{}}
	for _, origin := range cfg.order {
		up, ok := cfg.upstreams[origin]
		if hd, served := cfg.handlers[origin]; served {
			srv := httptest.NewServer(hd)
			h.cleanups = append(h.cleanups, srv.Close)
			up, ok = srv.URL, true
		}
		if !ok {
			continue
		}
		o, u, err := network.ParseResolve(origin + "=" + up)
		if err != nil {
			return nil, fmt.Errorf("origin %s: %w", origin, err)
		}
		tr.Resolve[o] = u
	}
	ctx := context.Background()
	st, err := store.OpenWith(ctx, dir, store.Options{Synchronous: "NORMAL", Clock: h.clock})
	if err != nil {
		return nil, err
	}
	h.store, h.net = st, tr
	h.cleanups = append(h.cleanups, func() { st.Close() })
	cache := httpcache.New(st, httpcache.Options{Logger: cfg.logger, Clock: h.clock})
	reg, err := registry.New(ctx, registry.Options{
		Store: st, Network: registry.CachedNetwork(cache, tr), WebSockets: tr,
		Logger: cfg.logger, Limits: cfg.limits, Clock: h.clock, Console: h.console,
		Environment: agent.Environment(func() *agent.Agent { return h.agent }),
	})
	if err != nil {
		return nil, err
	}
	reg.Subscribe(h.lifecycle)
	h.reg = reg
	h.cleanups = append(h.cleanups, reg.Close)
	h.agent = agent.New(reg, tr, agent.Options{Logger: cfg.logger, HTTPCache: cache})
	h.cleanups = append(h.cleanups, h.agent.Close)
	return h, nil
}

// Close closes the pages, stops the workers, closes the store and the
// loopback servers. New's host is closed when its test ends; calling
// Close again does nothing.
func (h *Host) Close() {
	h.closeOnce.Do(func() {
		for i := len(h.cleanups) - 1; i >= 0; i-- {
			h.cleanups[i]()
		}
	})
}

// Clock returns the host's clock, which only the test moves.
func (h *Host) Clock() *clock.Manual { return h.clock }

// Registry returns the host's registry, for what this package does not
// wrap.
func (h *Host) Registry() *registry.Registry { return h.reg }

// Agent returns the host's agent (clients and the lookup order).
func (h *Host) Agent() *agent.Agent { return h.agent }

// RegisterOptions are navigator.serviceWorker.register's options, and the
// page that calls it.
type RegisterOptions struct {
	// Scope is a legacy scope URL or a JSON scope pattern, resolved
	// against Client; "" is the script's directory.
	Scope string
	// Type is "classic" (the default) or "module".
	Type sw.WorkerType
	// UpdateViaCache is "imports" (the default), "all" or "none".
	UpdateViaCache sw.UpdateViaCache
	// Client is the URL of the registering page; "" is the script's
	// origin's root ("https://app.test/").
	Client string
}

// Register registers the worker at scriptURL (absolute, or relative to
// opts.Client) and returns its registration once it has an active worker:
// the new worker installed and activated, or, when an active worker of the
// same registration holds the new one waiting, at once. An install that
// fails is a *registry.InstallError; ctx bounds the whole wait.
func (h *Host) Register(ctx context.Context, scriptURL string, opts RegisterOptions) (*Registration, error) {
	client := opts.Client
	if client == "" {
		u, err := weburl.Parse(scriptURL)
		if err != nil {
			return nil, fmt.Errorf("swhosttest: register %s: %w", scriptURL, err)
		}
		client = u.Origin() + "/"
	}
	reg, err := h.reg.Register(ctx, registry.RegisterRequest{
		ClientURL: client, ScriptURL: scriptURL, Scope: opts.Scope, Type: opts.Type, UpdateViaCache: opts.UpdateViaCache,
	})
	if err != nil {
		return nil, fmt.Errorf("swhosttest: register %s: %w", scriptURL, err)
	}
	if err := h.waitFor(ctx, func() bool { return reg.Active() != nil }); err != nil {
		return nil, fmt.Errorf("swhosttest: register %s: waiting for an active worker: %w", scriptURL, err)
	}
	return reg, nil
}

// Update runs registration.update(): the script is fetched again and a
// new worker installed if it changed. It returns when the update job is
// over (the new worker installed, waiting or activated).
func (h *Host) Update(ctx context.Context, reg *Registration) error {
	if err := h.reg.Update(ctx, reg); err != nil {
		return fmt.Errorf("swhosttest: update %s: %w", reg.ScopeText(), err)
	}
	return nil
}

// Unregister runs registration.unregister(); the registration is cleared
// once no client uses it.
func (h *Host) Unregister(ctx context.Context, reg *Registration) error {
	if err := h.reg.Unregister(ctx, reg); err != nil {
		return fmt.Errorf("swhosttest: unregister %s: %w", reg.ScopeText(), err)
	}
	return nil
}

// WaitFor waits until cond, called after each lifecycle or console event
// and once at first, reports true. It fails with ctx's error. Use it to
// wait on what happens in the background (a waiting worker activating,
// a soft update) without sleeping.
func (h *Host) WaitFor(ctx context.Context, cond func() bool) error { return h.waitFor(ctx, cond) }

func (h *Host) waitFor(ctx context.Context, cond func() bool) error {
	for {
		h.mu.Lock()
		changed := h.changed
		h.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// SetOffline takes origin offline (the network fails its requests and
// those of its clients and workers; caches still answer) or back online.
func (h *Host) SetOffline(origin string, offline bool) error {
	if err := h.agent.SetOffline(origin, offline); err != nil {
		return fmt.Errorf("swhosttest: %w", err)
	}
	return nil
}

// Trigger fires a functional event (push, sync, periodicsync,
// notificationclick, notificationclose, pushsubscriptionchange, message)
// at reg's active worker and reports what it showed and posted, as
// agent.Trigger does. The event's own failure is in the result's Err.
func (h *Host) Trigger(ctx context.Context, reg *Registration, req agent.TriggerRequest) (agent.TriggerResult, error) {
	res, err := h.agent.Trigger(ctx, reg, req)
	if err != nil {
		return res, fmt.Errorf("swhosttest: trigger %s: %w", req.Type, err)
	}
	return res, nil
}

// Response is the answer to a request made through the host, with where
// it came from. Its body is read: Body holds it whole.
type Response struct {
	*fetch.Response
	// Layer is the step of the lookup order that answered.
	Layer agent.Layer
	// ScriptURL is the worker that answered (fetch-event, foreign-fetch).
	ScriptURL string
	// ServedBy is the layer, the worker and the router rule, as the
	// edge's X-Swhost-Served-By header says it.
	ServedBy string
	// Client is the page a navigation made (nil for other requests).
	Client *Client
}

// Text returns the body as a string.
func (r *Response) Text() string { return string(r.Body) }

// maxBody caps a response body the host reads for the test.
const maxBody = 64 << 20

// Fetch makes a request for url through the lookup order (the
// controller's fetch event, foreign fetch, the HTTP cache, the network).
// With mode fetch.ModeNavigate it is a navigation that makes a new page,
// returned in Response.Client; otherwise it is a request from client (nil:
// a page at the root of url's origin, controlled as if navigated to),
// with mode "" meaning cors. A network error is a response of type
// "error", not an error: err is for requests that could not be made.
func (h *Host) Fetch(ctx context.Context, url string, client *Client, mode fetch.Mode) (*Response, error) {
	return h.Do(ctx, &fetch.Request{Method: http.MethodGet, URL: url, Mode: mode}, client)
}

// Do is Fetch for any request: a method, headers and a body (a POST a
// worker queues for background sync, a form it answers itself). req.URL
// must be absolute; an empty Method is GET and an empty Mode cors, and
// req.Mode fetch.ModeNavigate makes it a navigation. Do takes req: its
// body is read by the request.
func (h *Host) Do(ctx context.Context, req *fetch.Request, client *Client) (*Response, error) {
	if req == nil {
		return nil, weberr.New(weberr.TypeError, "swhosttest: Do: no request")
	}
	if req.Method == "" {
		req.Method = http.MethodGet
	}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	url, mode := req.URL, req.Mode
	var res *agent.Result
	var nav *agent.Client
	var err error
	if mode == fetch.ModeNavigate {
		nav, res, err = h.agent.Navigate(ctx, req)
	} else {
		c, cerr := h.clientFor(client, url)
		if cerr != nil {
			return nil, cerr
		}
		res, err = c.Fetch(ctx, req)
	}
	if err != nil {
		return nil, fmt.Errorf("swhosttest: fetch %s: %w", url, err)
	}
	if res.Response == nil {
		return nil, weberr.Errorf(weberr.NetworkError, "swhosttest: fetch %s: no response", url)
	}
	if err := res.Response.ReadBody(maxBody); err != nil {
		return nil, fmt.Errorf("swhosttest: fetch %s: %w", url, err)
	}
	out := &Response{Response: res.Response, Layer: res.Layer, ScriptURL: res.ScriptURL, ServedBy: res.ServedBy()}
	if nav != nil {
		out.Client = &Client{Client: nav, agent: h.agent}
	}
	return out, nil
}

// clientFor returns client's agent client, or the ambient page at the
// root of url's origin.
func (h *Host) clientFor(client *Client, url string) (*agent.Client, error) {
	if client != nil {
		return client.Client, nil
	}
	u, err := weburl.Parse(url)
	if err != nil {
		return nil, weberr.Errorf(weberr.TypeError, "swhosttest: fetch %q: %v", url, err)
	}
	c, err := h.agent.ClientForURL(u.Origin() + "/")
	if err != nil {
		return nil, fmt.Errorf("swhosttest: fetch %s: %w", url, err)
	}
	return c, nil
}

// Client is a page: it posts to its controller and receives what workers
// post to it, with controllerchange events (NextEvent).
type Client struct {
	*agent.Client
	agent *agent.Agent
}

// Client opens a page at url: a navigation through the lookup order, as
// a browser tab loading it. The page is controlled by the active worker
// of the registration whose scope matches url, if any.
func (h *Host) Client(ctx context.Context, url string) (*Client, error) {
	c, res, err := h.agent.Navigate(ctx, &fetch.Request{URL: url})
	if err != nil {
		return nil, fmt.Errorf("swhosttest: open %s: %w", url, err)
	}
	if res != nil && res.Response != nil {
		res.Response.CloseBody()
	}
	return &Client{Client: c, agent: h.agent}, nil
}

// NextMessage waits for the next message a worker posts to the page and
// returns its data as Go values (message.Message.Value). Other events
// before it (controllerchange) are taken and dropped: read them with
// NextEvent when they matter.
func (c *Client) NextMessage(ctx context.Context) (any, error) {
	for {
		ev, err := c.NextEvent(ctx)
		if err != nil {
			return nil, err
		}
		if ev.Type == "message" {
			return ev.Message.Value(), nil
		}
	}
}

// ErrNoResponse is what Caches.Match returns when no cached response
// matches.
var ErrNoResponse = errors.New("swhosttest: no cached response matches")

// Caches is an origin's Cache Storage as its workers see it.
type Caches struct {
	h      *Host
	origin string
}

// Caches returns origin's Cache Storage.
func (h *Host) Caches(origin string) *Caches { return &Caches{h: h, origin: origin} }

// Names returns the cache names, in creation order (caches.keys()).
func (c *Caches) Names(ctx context.Context) ([]string, error) {
	cs, err := c.h.reg.Caches().For(c.origin)
	if err != nil {
		return nil, fmt.Errorf("swhosttest: caches of %s: %w", c.origin, err)
	}
	names, err := cs.Keys(ctx)
	if err != nil {
		return nil, fmt.Errorf("swhosttest: caches of %s: %w", c.origin, err)
	}
	return names, nil
}

// Match returns the cached response for url in any cache (caches.match),
// its body read, or ErrNoResponse.
func (c *Caches) Match(ctx context.Context, url string) (*fetch.Response, error) {
	cs, err := c.h.reg.Caches().For(c.origin)
	if err != nil {
		return nil, fmt.Errorf("swhosttest: caches of %s: %w", c.origin, err)
	}
	resp, err := cs.Match(ctx, &fetch.Request{Method: http.MethodGet, URL: url}, cachestorage.MatchOptions{})
	if err != nil {
		return nil, fmt.Errorf("swhosttest: caches.match %s: %w", url, err)
	}
	if resp == nil {
		return nil, ErrNoResponse
	}
	if err := resp.ReadBody(maxBody); err != nil {
		return nil, fmt.Errorf("swhosttest: caches.match %s: %w", url, err)
	}
	return resp, nil
}

// Event is a lifecycle change or a line of worker console output, with
// the fields the admin API's event stream gives it (docs/api.md, "Live
// events").
type Event struct {
	// Type is "lifecycle" or "console".
	Type string
	// Data is, for "lifecycle": event ("register", "state", "update",
	// "unregister", "install-error", "notification", "sync", ...), scope,
	// and when known scriptURL, versionID, state, error, detail; for
	// "console": scriptURL, level and message.
	Data map[string]any
}

// Events returns the events so far, oldest first.
func (h *Host) Events() []Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.events)
}

// WaitEvent waits for an event for which match reports true, among those
// recorded so far and those to come, and returns the first.
func (h *Host) WaitEvent(ctx context.Context, match func(Event) bool) (Event, error) {
	var found Event
	seen := 0
	err := h.waitFor(ctx, func() bool {
		evs := h.Events()
		for _, ev := range evs[seen:] {
			if match(ev) {
				found = ev
				return true
			}
		}
		seen = len(evs)
		return false
	})
	return found, err
}

// record appends an event and wakes the waiters.
func (h *Host) record(ev Event) {
	h.mu.Lock()
	h.events = append(h.events, ev)
	close(h.changed)
	h.changed = make(chan struct{})
	h.mu.Unlock()
}

// lifecycle records a registry event as the admin event stream shows it.
func (h *Host) lifecycle(ev registry.Event) {
	data := map[string]any{"event": ev.Type, "scope": ev.Scope}
	if ev.ScriptURL != "" {
		data["scriptURL"] = ev.ScriptURL
	}
	if ev.VersionID != 0 {
		data["versionID"] = ev.VersionID
	}
	if ev.State != "" {
		data["state"] = ev.State
	}
	if ev.Err != "" {
		data["error"] = ev.Err
	}
	if ev.Detail != "" {
		data["detail"] = ev.Detail
	}
	h.record(Event{Type: "lifecycle", Data: data})
}

// console records a worker's console output.
func (h *Host) console(scriptURL, level, msg string) {
	h.record(Event{Type: "console", Data: map[string]any{"scriptURL": scriptURL, "level": level, "message": msg}})
}

// PostMessageTo posts data to the service worker v as the page does with
// ServiceWorker.postMessage (reg.Waiting() for
// registration.waiting.postMessage, the usual way to ask a waiting worker
// to skip waiting). It returns when the message event is over.
func (c *Client) PostMessageTo(ctx context.Context, v *registry.Version, data any) error {
	if v == nil {
		return weberr.New(weberr.InvalidStateError, "swhosttest: no service worker to post to")
	}
	return c.agent.PostMessageTo(ctx, c.Client, v, data)
}

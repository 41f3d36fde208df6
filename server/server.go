// Package server is swhost as a running server: the admin JSON API under
// /v1/, the live event stream, Prometheus metrics, health checks, the
// edge listener that serves hosted origins through their workers, and the
// forward proxy.
//
//	events := server.NewEvents()
//	var ag *agent.Agent
//	reg, _ := registry.New(ctx, registry.Options{..., Console: events.Console,
//		Environment: registry.Environment{Fetcher: ..., Clients: ...}}) // reaching ag
//	reg.Subscribe(events.Registry)
//	ag = agent.New(reg, network, agent.Options{OnFetch: events.Fetch})
//	srv := server.New(server.Options{Registry: reg, Agent: ag, Events: events})
//	http.ListenAndServe("127.0.0.1:8080", srv.Handler())
//
// The API is documented in docs/api.md.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/clock"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/weberr"
)

// Options configure a Server.
type Options struct {
	Registry *registry.Registry // required
	Agent    *agent.Agent       // required
	Events   *Events            // nil: a fresh one (then no lifecycle or fetch events are seen)
	Logger   *slog.Logger       // nil: slog.Default()
	// Bridge, when set, is the cross-origin connect bridge: mounted at
	// /connect (WebSocket) and /connect.js.
	Bridge http.Handler
	// UI, when set, serves the devtools page and its assets at "/".
	UI http.Handler
	// CrossOriginClients, when set, lists a registration's connected
	// cross-origin clients for the registration listings.
	CrossOriginClients func(reg *registry.Registration) []CrossOriginClient
	// Admin guards the admin handler: its token and the host names it
	// answers to. The zero value refuses every /v1/ request.
	Admin AdminOptions
	// Timeouts apply to the connections the server serves itself: the
	// requests inside intercepted CONNECT tunnels (ProxyHandler with a
	// CA). Listeners get them from Timeouts.HTTPServer.
	Timeouts Timeouts
	// Network is the network step the agent uses. Its Resolve map names
	// the origins the edge serves besides the registered ones, and its
	// egress policy decides where the proxy may relay and tunnel. nil:
	// the edge serves the registered origins only, and the proxy follows
	// egress.Default().
	Network *network.Transport
	// Clock is the host's clock, which GET /v1/clock reads and, when it is
	// a *clock.Manual, POST /v1/clock moves; nil means the registry's
	// (registry.Options.Clock).
	Clock clock.Clock
}

// CrossOriginClient is a connected cross-origin client as the admin API
// shows it.
type CrossOriginClient struct {
	ID        string `json:"id"`
	Origin    string `json:"origin"`
	TargetURL string `json:"targetURL"`
}

// Server serves the admin API, events, metrics and health checks.
type Server struct {
	opts    Options
	reg     *registry.Registry
	agent   *agent.Agent
	hub     *hub
	log     *slog.Logger
	metrics *metrics
	done    chan struct{}

	apiClients apiClients // opened through POST /v1/clients (clients.go)
}

// Events collects what the event stream and metrics report. Create it
// before the registry and agent, and pass its methods as their observers.
type Events struct {
	hub      *hub
	metrics  *metrics
	activity atomic.Int64 // requests seen, for ReturnIdleMemory
}

// Defaults of [EventsOptions].
const (
	DefaultRecentEvents = 500
	DefaultRecentBytes  = 8 << 20 // 8 MiB
)

// EventsOptions bound the recent events an [Events] keeps for new
// subscribers of the event stream (older ones are dropped first).
type EventsOptions struct {
	// MaxEvents caps how many are kept (DefaultRecentEvents when zero).
	MaxEvents int
	// MaxBytes caps their total size (DefaultRecentBytes when zero),
	// counted as the bytes of their strings plus a fixed overhead per
	// event and per value. An event bigger than this alone is streamed to
	// the subscribers present but not kept.
	MaxBytes int64
}

// NewEvents returns an event collector keeping the last
// DefaultRecentEvents events, of at most DefaultRecentBytes together, for
// new subscribers.
func NewEvents() *Events { return NewEventsWith(EventsOptions{}) }

// NewEventsWith returns an event collector keeping the recent events
// within opts.
func NewEventsWith(opts EventsOptions) *Events {
	if opts.MaxEvents <= 0 {
		opts.MaxEvents = DefaultRecentEvents
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultRecentBytes
	}
	return &Events{hub: newHub(opts.MaxEvents, opts.MaxBytes), metrics: newMetrics()}
}

// Registry records a lifecycle change (subscribed with registry.Registry.Subscribe).
func (e *Events) Registry(ev registry.Event) {
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
	e.metrics.lifecycle.WithLabelValues(ev.Type).Inc()
	e.hub.publish("lifecycle", data)
}

// Console records worker console output (registry.Options.Console).
func (e *Events) Console(scriptURL, level, msg string) {
	e.hub.publish("console", map[string]any{"scriptURL": scriptURL, "level": level, "message": msg})
}

// Fetch records a client request and the layer that answered
// (agent.Options.OnFetch).
func (e *Events) Fetch(c *agent.Client, req *fetch.Request, res *agent.Result) {
	status := 0
	typ := ""
	if res.Response != nil {
		status, typ = res.Response.Status, string(res.Response.Type)
	}
	series := e.metrics.layer(string(res.Layer))
	series.fetches.Inc()
	series.latency.Observe(res.Duration.Seconds())
	e.activity.Add(1)
	e.hub.publishFetch(&fetchData{
		client: c.URL(), clientID: c.ID(), method: req.MethodOrGet(), url: req.URL, mode: string(req.Mode),
		layer: string(res.Layer), scriptURL: res.ScriptURL, status: status, responseType: typ,
		latencyMs: float64(res.Duration.Microseconds()) / 1000,
	})
}

// Publish records an event of another kind ("connect", "message").
func (e *Events) Publish(typ string, data map[string]any) { e.hub.publish(typ, data) }

// New returns a server over a registry and an agent.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Events == nil {
		opts.Events = NewEvents()
	}
	s := &Server{opts: opts, reg: opts.Registry, agent: opts.Agent, hub: opts.Events.hub, log: opts.Logger, metrics: opts.Events.metrics, done: make(chan struct{})}
	s.metrics.registrations = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: "swhost", Name: "registrations", Help: "Registrations in the registry.",
	}, func() float64 { return float64(len(s.reg.Registrations(""))) })
	s.metrics.reg.MustRegister(s.metrics.registrations)
	if s.reg.InFleet() {
		s.metrics.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "swhost", Name: "fleet_connected", Help: "1 when this node hears the changes the other nodes of its fleet make (its database listener is up), else 0.",
		}, func() float64 {
			if s.reg.Connected() {
				return 1
			}
			return 0
		}))
	}
	return s
}

// ReturnIdleMemory returns freed memory to the operating system whenever
// no request was seen for a whole interval after a busy one, until ctx
// ends. Without it a server that served a burst (say 1,000 keep-alive
// connections) keeps its peak resident memory while idle: the Go runtime
// reuses freed memory but gives it back only slowly when no collection
// runs.
func (s *Server) ReturnIdleMemory(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	last, busy := s.opts.Events.activity.Load(), false
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			return
		case <-t.C:
		}
		n := s.opts.Events.activity.Load()
		switch {
		case n != last:
			busy = true
		case busy:
			freeOSMemory()
			busy = false
		}
		last = n
	}
}

// freeOSMemory collects twice (objects in sync.Pool victim caches, such as
// net/http's per-connection buffers, survive one collection) and returns
// the freed memory to the OS; tests replace it.
var freeOSMemory = func() {
	runtime.GC()
	debug.FreeOSMemory()
}

// Shutdown ends long-lived responses (event streams) so that an
// http.Server's Shutdown can finish.
func (s *Server) Shutdown() {
	select {
	case <-s.done:
	default:
		close(s.done)
	}
}

// Handler returns the admin handler: /v1/ API, /metrics, /healthz, the
// connect bridge and the devtools page, behind the checks of
// Options.Admin (the admin token, Host, Origin and Content-Type).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("POST /push/{sub}", s.push)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
		// A node of a fleet that does not hear the others still serves
		// (what it has): it stays healthy, and says so.
		if s.reg.InFleet() {
			if s.reg.Connected() {
				w.Write([]byte("fleet: connected\n"))
			} else {
				w.Write([]byte("fleet: not hearing the other nodes (is the database reachable?)\n"))
			}
		}
	})
	if s.opts.Bridge != nil {
		mux.Handle("/connect", s.opts.Bridge)
		mux.Handle("/connect.js", s.opts.Bridge)
	}
	if s.opts.UI != nil {
		mux.Handle("/", s.opts.UI)
	}
	guarded := newGuard(mux, s.opts.Admin)
	if s.opts.Events == nil {
		return guarded
	}
	// Admin requests, refused ones included, count as activity for
	// ReturnIdleMemory: a burst of them (10k registrations) leaves as much
	// memory to return as a burst of edge requests.
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.opts.Events.activity.Add(1)
		guarded.ServeHTTP(w, r)
	})
}

// apiError is the JSON error body: the web exception name and a message.
type apiError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, name, msg string) {
	writeJSON(w, status, apiError{Error: name, Message: msg})
}

// fail writes err as a JSON error with a status that fits its exception
// name.
func (s *Server) fail(w http.ResponseWriter, err error) {
	name := weberr.NameOf(err)
	status := http.StatusInternalServerError
	var ie *registry.InstallError
	switch {
	case errors.As(err, &ie):
		name, status = "InstallError", http.StatusUnprocessableEntity
	case errors.Is(err, store.ErrUnavailable):
		// The shared database is unreachable: the node serves what it
		// has, and takes writes again once the database is back.
		name, status = "UnavailableError", http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "1")
	case isBodyTimeout(err):
		status = http.StatusRequestTimeout
	case name == weberr.TypeError, name == weberr.SyntaxError, name == weberr.RangeError:
		status = http.StatusBadRequest
	case name == weberr.SecurityError:
		status = http.StatusForbidden
	case name == weberr.NotFoundError:
		status = http.StatusNotFound
	case name == weberr.InvalidStateError:
		status = http.StatusConflict
	case name == weberr.QuotaExceeded:
		status = http.StatusInsufficientStorage
	case name == weberr.AbortError, name == weberr.NetworkError:
		status = http.StatusBadGateway
	case name == "":
		name = "Error"
		s.log.Error("admin API", "err", err)
	}
	msg := err.Error()
	if n := weberr.NameOf(err); n != "" {
		msg = strings.Replace(msg, n+": ", "", 1)
	}
	writeError(w, status, name, msg)
}

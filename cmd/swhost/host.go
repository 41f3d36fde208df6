package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/clock"
	"github.com/swhost/swhost/connect"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/httpcache"
	"github.com/swhost/swhost/internal/egress"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// hostFlags are the flags every command that runs workers takes.
type hostFlags struct {
	data    string
	store   string
	resolve stringList
	allow   stringList
	limits  workerLimitFlags
	caps    capFlags
}

func (h *hostFlags) add(fs *flag.FlagSet) {
	h.limits.add(fs)
	h.caps.add(fs)
	fs.StringVar(&h.data, "data", "", "data directory (default: the user configuration directory's swhost folder, e.g. ~/.config/swhost)")
	fs.StringVar(&h.store, "store", "", "keep the store (registrations, scripts, Cache Storage, HTTP cache) in the PostgreSQL database at this postgres:// URL instead of the data directory's swhost.db; nodes given the same URL share it (the password is better in PGPASSWORD or ~/.pgpass than on the command line)")
	fs.Var(&h.resolve, "resolve", "serve ORIGIN from UPSTREAM_URL, as ORIGIN=UPSTREAM_URL (repeatable); the upstream is allowed by the egress policy")
	fs.Var(&h.allow, "allow-network", "let workers and the network step connect to CIDR, an address or a host name that the egress policy refuses by default (loopback, private, link-local...; repeatable)")
}

// host is an opened swhost: store, network, registry and agent.
type host struct {
	store *store.SQLStore
	net   *network.Transport
	reg   *registry.Registry
	agent *agent.Agent
	// broker is the connect broker of the command that has one (serve,
	// connect), set with newBroker before any worker starts; the
	// registry's workers reach it through their hooks.
	broker atomic.Pointer[connect.Broker]
}

// newBroker makes the host's connect broker.
func (h *host) newBroker(opts connect.Options) *connect.Broker {
	b := connect.New(h.reg, opts)
	h.broker.Store(b)
	return b
}

// environment is what the registry's workers get from the layers above:
// fetch() and self.clients through the agent, and the broker's hooks. Its
// functions run when a worker starts, after openWith made the agent.
func (h *host) environment() registry.Environment {
	env := agent.Environment(func() *agent.Agent { return h.agent })
	env.Hooks = func(v *registry.Version) worker.Hooks {
		if b := h.broker.Load(); b != nil {
			return b.WorkerHooks(v)
		}
		return worker.Hooks{}
	}
	return env
}

// logger returns the CLI's logger: warnings and errors on stderr, or more
// with SWHOST_LOG=debug|info.
func (e *env) logger() *slog.Logger {
	level := slog.LevelWarn
	switch strings.ToLower(os.Getenv("SWHOST_LOG")) {
	case "debug":
		level = slog.LevelDebug
	case "info":
		level = slog.LevelInfo
	case "error":
		level = slog.LevelError
	}
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
}

// hostOptions customise open for long-running commands.
type hostOptions struct {
	logger  *slog.Logger
	onEvent func(registry.Event)
	console func(scriptURL, level, msg string)
	onFetch func(*agent.Client, *fetch.Request, *agent.Result)
	// listeners are swhost's own listeners, which the egress policy
	// never connects to.
	listeners []net.Addr
	// pushEndpoint is the base URL of push subscription endpoints (the
	// admin listener's /push/).
	pushEndpoint string
	// clock is the host's clock (serve --clock); nil: the wall clock.
	clock clock.Clock
}

// dataDir returns --data or the default data directory.
func (h *hostFlags) dataDir() (string, error) {
	if h.data != "" {
		return h.data, nil
	}
	return store.DefaultDir()
}

// storeLocation returns where the store is: --store's PostgreSQL URL, or
// the data directory.
func (h *hostFlags) storeLocation() (string, error) {
	if h.store != "" {
		if !store.IsPostgresURL(h.store) {
			return "", weberr.Errorf(weberr.TypeError, "--store: want a postgres:// or postgresql:// URL (the SQLite store is --data DIR)")
		}
		return h.store, nil
	}
	return h.dataDir()
}

// open opens the store and builds the layers over it.
func (h *hostFlags) open(ctx context.Context, e *env) (*host, error) {
	return h.openWith(ctx, e, hostOptions{})
}

// openWith is open with observers and a logger.
func (h *hostFlags) openWith(ctx context.Context, e *env, o hostOptions) (*host, error) {
	loc, err := h.storeLocation()
	if err != nil {
		return nil, err
	}
	if err := h.caps.check(); err != nil {
		return nil, err
	}
	log := o.logger
	if log == nil {
		log = e.logger()
	}
	policy, err := egress.New(egress.Options{Allow: h.allow, Logger: log})
	if err != nil {
		return nil, err
	}
	for _, l := range o.listeners {
		policy.DenyListener(l)
	}
	t := &network.Transport{Resolve: map[string]string{}, Egress: policy}
	for _, r := range h.resolve {
		origin, up, err := network.ParseResolve(r)
		if err != nil {
			return nil, fmt.Errorf("--resolve: %w", err)
		}
		t.Resolve[origin] = up
	}
	st, err := store.OpenWith(ctx, loc, store.Options{Clock: o.clock})
	if err != nil {
		return nil, err
	}
	// Worker scripts are fetched through the HTTP cache, so that a
	// registration's updateViaCache mode decides whether they may come
	// from it.
	// In a fleet (a store with a coordinator) the HTTP cache reads entries
	// other nodes stored.
	cache := httpcache.New(st, httpcache.Options{Logger: log, Shared: store.CoordinatorOf(st) != nil, Clock: o.clock})
	hst := &host{store: st, net: t}
	reg, err := registry.New(ctx, registry.Options{Store: st, Network: registry.CachedNetwork(cache, t), Logger: log, Console: o.console,
		Limits: h.limits.workerLimits(), CacheLimits: h.limits.cacheLimits(), MaxRegistrationsPerOrigin: h.caps.regsPerOrigin,
		WebSockets:   t,
		PushEndpoint: o.pushEndpoint, MaxBackgroundEntries: h.caps.backgroundEntries,
		Environment: hst.environment(), Clock: o.clock})
	if err != nil {
		st.Close()
		return nil, err
	}
	if o.onEvent != nil {
		reg.Subscribe(o.onEvent)
	}
	hst.reg = reg
	hst.agent = agent.New(reg, t, agent.Options{Logger: log, HTTPCache: cache, OnFetch: o.onFetch, Links: h.caps.linkLimits()})
	return hst, nil
}

// settleTimeout bounds the wait for the work workers do after answering
// when a command has no --timeout (0).
const settleTimeout = 30 * time.Second

// addTimeoutFlag defines --timeout on fs for a command that dispatches
// events: its whole run, the work its workers still do after answering
// included.
func addTimeoutFlag(fs *flag.FlagSet) *time.Duration {
	return fs.Duration("timeout", settleTimeout, "give up after this long, including the work workers do after answering (waitUntil promises); 0: no limit, but that work gets at most "+settleTimeout.String())
}

// withTimeout returns ctx bounded by timeout (0: no bound).
func withTimeout(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if timeout > 0 {
		return context.WithTimeout(ctx, timeout)
	}
	return context.WithCancel(ctx)
}

// timedOut names err a TimeoutError when it is ctx's deadline (--timeout)
// passing without a web exception name of its own.
func timedOut(ctx context.Context, err error, timeout time.Duration) error {
	if err == nil || weberr.NameOf(err) != "" || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return err
	}
	te := weberr.Errorf(weberr.TimeoutError, "no answer within --timeout %v: %v", timeout, err)
	te.Err = err
	return te
}

// settle waits until the host's workers have no event in flight and no
// lifetime promise pending (a fetch handler's waitUntil cache write after
// it answered), so that Close cuts no work short. ctx bounds the wait,
// and settleTimeout when ctx has no deadline; work still pending then is
// cut short, with a warning on stderr.
func (h *host) settle(ctx context.Context, e *env) {
	if ctx.Err() != nil {
		return // the command failed or was interrupted: it said so
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, settleTimeout)
		defer cancel()
	}
	h.agent.Wait()
	if err := h.reg.WaitIdle(ctx); err != nil {
		fmt.Fprintf(e.stderr, "swhost: warning: %v; stopping it\n", err)
	}
}

// Close closes clients, stops workers and closes the store.
func (h *host) Close() {
	h.agent.Close()
	h.reg.Close()
	h.store.Close()
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/swhost/swhost/clock"
	"github.com/swhost/swhost/connect"
	"github.com/swhost/swhost/connect/bridge"
	"github.com/swhost/swhost/connect/natsfleet"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/server"
	"github.com/swhost/swhost/server/ui"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

func init() {
	register(&command{name: "serve", summary: "run the admin API, devtools page, connect bridge, edge listener and forward proxy", run: runServe})
	register(&command{name: "ca", summary: "print the local CA certificate used by serve --proxy --mitm (PEM)", run: runCA})
}

// shutdownGrace bounds how long serve waits for in-flight requests and
// events on SIGINT/SIGTERM.
const shutdownGrace = 10 * time.Second

// defaultGCPercent is serve's GC target: each fetch event allocates a few
// kilobytes of short-lived JavaScript objects over a small live heap, so
// Go's default of 100 spends a third of the CPU collecting them
// (docs/benchmarks.md, "serve / edge"). 400 collects a quarter as often;
// --memory-limit bounds the heap when the live set grows.
const defaultGCPercent = 400

// tuneGC applies --gc-percent (unless GOGC is set in the environment and
// the flag was left at its default) and --memory-limit.
func tuneGC(percent int, limit string, log *slog.Logger) error {
	if percent < 0 {
		return weberr.Errorf(weberr.TypeError, "--gc-percent %d: must be 0 or more", percent)
	}
	if percent > 0 && (os.Getenv("GOGC") == "" || percent != defaultGCPercent) {
		debug.SetGCPercent(percent)
		log.Debug("gc target set", "percent", percent)
	}
	switch {
	case limit != "":
		n, err := parseByteSize(limit)
		if err != nil {
			return weberr.Errorf(weberr.TypeError, "--memory-limit %q: %v", limit, err)
		}
		debug.SetMemoryLimit(n)
		log.Debug("memory limit set", "bytes", n)
	case os.Getenv("GOMEMLIMIT") == "":
		n := defaultMemoryLimit()
		debug.SetMemoryLimit(n)
		log.Debug("memory limit set", "bytes", n, "default", true)
	}
	return nil
}

// procsPerCPU is serve's default GOMAXPROCS per CPU. With more Go
// processors than CPUs, a worker running a long task holds a processor
// but not a CPU: the operating system's scheduler, which runs a thread
// that wakes from sleep ahead of threads that have been running, gives a
// light worker's short task a CPU at once, where with one processor per
// CPU it would wait in Go's run queue behind the long tasks for 10 ms
// slices. Heavy workers are kept to CPUs-1 at once by worker's heavy
// lanes.
const procsPerCPU = 4

// tuneProcs applies --gomaxprocs, or the default unless GOMAXPROCS is set
// in the environment.
func tuneProcs(n int, log *slog.Logger) error {
	switch {
	case n < 0:
		return weberr.Errorf(weberr.TypeError, "--gomaxprocs %d: must be 0 or more", n)
	case n == 0 && os.Getenv("GOMAXPROCS") != "":
		return nil
	case n == 0:
		n = procsPerCPU * runtime.NumCPU()
	}
	runtime.GOMAXPROCS(n)
	log.Debug("go processors set", "gomaxprocs", n)
	return nil
}

// parseByteSize reads a size in GOMEMLIMIT's syntax: a number with an
// optional B, KiB, MiB, GiB or TiB suffix.
func parseByteSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}
	mult := int64(1)
	num := s
	for _, u := range units {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			num, mult = v, u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 {
		return 0, errors.New("want a positive whole number with an optional B, KiB, MiB, GiB or TiB suffix")
	}
	if n > math.MaxInt64/mult {
		return 0, errors.New("too large")
	}
	return n * mult, nil
}

// serveConfig is what serve runs: its flags, parsed, and what the demo
// command adds. serve and demo both start it with startServe.
type serveConfig struct {
	host         hostFlags
	listen       string
	edge         string
	edgeScheme   string
	proxy        string
	mitm         bool
	logFormat    string
	gcPercent    int
	memLimit     string
	maxWorkers   int
	procs        int
	timeouts     *timeoutFlags
	events       eventFlags
	allowOrigins stringList
	offline      stringList
	admin        adminFlags
	fleet        fleetFlags
	clock        string

	// demoPage, when set, is mounted at /demo next to the devtools page.
	demoPage http.Handler
	// ready, when set, runs once every listener serves, with the admin
	// listener's URL ("http://ADDR/"); an error stops serve, which then
	// fails with it.
	ready func(ctx context.Context, admin string) error
}

// add defines serve's flags on fs, bound to c.
func (c *serveConfig) add(fs *flag.FlagSet) {
	c.host.add(fs)
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8080", "address of the admin API, devtools page, connect bridge and /metrics")
	fs.StringVar(&c.edge, "edge", "", "address of the edge listener (serves hosted origins by Host header); empty: off")
	fs.StringVar(&c.edgeScheme, "edge-scheme", "https", "scheme of the origins the edge listener serves")
	fs.StringVar(&c.proxy, "proxy", "", "address of the forward proxy; empty: off")
	fs.BoolVar(&c.mitm, "mitm", false, "intercept https:// CONNECT tunnels with swhost's local CA (see 'swhost ca')")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	fs.IntVar(&c.gcPercent, "gc-percent", defaultGCPercent, "Go GC target percentage (GOGC) for serve; 0: keep GOGC from the environment or Go's default")
	fs.StringVar(&c.memLimit, "memory-limit", "", "soft memory limit of the process (GOMEMLIMIT syntax, e.g. 256MiB); empty: GOMEMLIMIT if set, else half the memory available, at most 4GiB")
	fs.IntVar(&c.maxWorkers, "max-workers", worker.DefaultMaxRunning, "running workers at most; starting one more stops the least recently active")
	fs.IntVar(&c.procs, "gomaxprocs", 0, "Go processors (GOMAXPROCS); 0: GOMAXPROCS from the environment, else 4 per CPU (see docs/decisions.md, fair scheduling)")
	c.timeouts = addTimeoutFlags(fs)
	c.events.add(fs)
	fs.Var(&c.allowOrigins, "allow-origin", "page origin allowed to use the connect bridge (repeatable; default: any)")
	fs.Var(&c.offline, "offline", "start with ORIGIN offline: the network fails its requests and its clients' and workers' (repeatable; the admin API's /v1/offline changes it)")
	c.admin.add(fs)
	c.fleet.add(fs)
	fs.StringVar(&c.clock, "clock", "real", "the clock of workers (Date, timers, event timeouts), the HTTP cache, update staleness and sync retries: real, or manual (starts at the current time and moves only by POST /v1/clock; for tests)")
}

// hostClock returns the clock --clock names: nil for the wall clock.
func (c *serveConfig) hostClock() (clock.Clock, error) {
	switch c.clock {
	case "", "real":
		return nil, nil
	case "manual":
		return clock.NewManual(time.Now().Truncate(time.Millisecond)), nil
	}
	return nil, weberr.Errorf(weberr.TypeError, "--clock %q: want real or manual", c.clock)
}

// defaultServeConfig returns serve's configuration with every flag at its
// default, for the demo command to adjust.
func defaultServeConfig() *serveConfig {
	c := &serveConfig{}
	c.add(flag.NewFlagSet("serve", flag.ContinueOnError))
	return c
}

func runServe(ctx context.Context, e *env, args []string) int {
	fs := e.newFlagSet("serve", "[--listen ADDR] [--admin-token-file FILE | --insecure-no-auth] [--allow-host NAME]... [--edge ADDR] [--proxy ADDR [--mitm]] [--data DIR] [--store URL [--nats URL] [--node-id ID]] [--resolve ORIGIN=UPSTREAM]... [--allow-network CIDR|HOST]... [--header-timeout D] [--body-timeout D] [--idle-timeout D]")
	c := &serveConfig{}
	c.add(fs)
	if _, status := flagsOrUsage(fs, args, 0, 0); status >= 0 {
		return status
	}
	return startServe(ctx, e, c)
}

// startServe runs serve with c until ctx ends or a listener fails, and
// returns the exit status: the one start function of serve and demo.
func startServe(ctx context.Context, e *env, c *serveConfig) int {
	log, err := serveLogger(e, c.logFormat)
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	if err := tuneGC(c.gcPercent, c.memLimit, log); err != nil {
		return e.fail(exitBadInput, err)
	}
	if c.maxWorkers < 1 {
		return e.fail(exitBadInput, weberr.Errorf(weberr.TypeError, "--max-workers %d: must be 1 or more", c.maxWorkers))
	}
	hostClock, err := c.hostClock()
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	worker.SetMaxRunning(c.maxWorkers)
	if err := tuneProcs(c.procs, log); err != nil {
		return e.fail(exitBadInput, err)
	}
	if err := c.timeouts.check(); err != nil {
		return e.fail(exitBadInput, err)
	}
	if c.mitm && c.proxy == "" {
		return e.fail(exitBadInput, weberr.New(weberr.TypeError, "--mitm needs --proxy"))
	}
	if err := c.fleet.check(); err != nil {
		return e.fail(exitBadInput, err)
	}
	if c.fleet.nats != "" && c.host.store == "" {
		return e.fail(exitBadInput, weberr.New(weberr.TypeError, "--nats needs --store postgres://...: the nodes of a fleet share their store"))
	}
	var token, tokenFrom string
	if c.admin.noAuth {
		fmt.Fprintln(e.stderr, "swhost serve: WARNING: --insecure-no-auth: the admin API takes no token; any local process or user, and any web page that gets past the Host and Origin checks, can register, run and stop workers")
	} else {
		dir, err := c.host.dataDir()
		if err == nil {
			token, tokenFrom, err = adminToken(c.admin.tokenFile, dir)
		}
		if err != nil {
			return e.fail(exitBadInput, fmt.Errorf("admin token: %w", err))
		}
	}

	// Listen first: a busy port is a clear error before anything starts.
	type listener struct {
		name string
		ln   net.Listener
	}
	var lns []listener
	for _, l := range []struct{ name, addr string }{{"admin", c.listen}, {"edge", c.edge}, {"proxy", c.proxy}} {
		if l.addr == "" {
			continue
		}
		ln, err := net.Listen("tcp", l.addr)
		if err != nil {
			for _, o := range lns {
				o.ln.Close()
			}
			return e.fail(exitBadInput, fmt.Errorf("--%s %s: %w", map[string]string{"admin": "listen", "edge": "edge", "proxy": "proxy"}[l.name], l.addr, err))
		}
		lns = append(lns, listener{l.name, ln})
	}

	events := server.NewEventsWith(c.events.events())
	own := make([]net.Addr, len(lns))
	for i, l := range lns {
		own[i] = l.ln.Addr()
	}
	pushEndpoint := ""
	for _, l := range lns {
		if l.name == "admin" {
			pushEndpoint = "http://" + l.ln.Addr().String() + "/push/"
		}
	}
	h, err := c.host.openWith(ctx, e, hostOptions{logger: log, onEvent: events.Registry, console: events.Console, onFetch: events.Fetch, listeners: own, pushEndpoint: pushEndpoint, clock: hostClock})
	if err != nil {
		for _, o := range lns {
			o.ln.Close()
		}
		return e.fail(exitBadInput, err)
	}
	for _, o := range c.offline {
		if err := h.agent.SetOffline(o, true); err != nil {
			h.Close()
			for _, l := range lns {
				l.ln.Close()
			}
			return e.fail(exitBadInput, fmt.Errorf("--offline: %w", err))
		}
	}
	// Background syncs registered before a restart fire once their
	// origin is online.
	h.reg.ResumeSyncs(ctx)
	// A node that left no longer holds waiting workers back with its
	// clients.
	router, nc, err := c.fleet.router(log, func([]string) { h.reg.RetryActivations() })
	if err != nil {
		h.Close()
		for _, o := range lns {
			o.ln.Close()
		}
		return e.fail(exitBadInput, err)
	}
	bopts := connect.Options{Logger: log, Observe: events.Publish}
	if router != nil {
		bopts.Router = router
	}
	broker := h.newBroker(bopts)
	var relay *natsfleet.Relay
	if router != nil {
		if err := router.Serve(broker); err != nil {
			router.Close()
			nc.Close()
			h.Close()
			for _, o := range lns {
				o.ln.Close()
			}
			return e.fail(exitBadInput, err)
		}
		relay, err = relayBroadcasts(router)
		if err == nil {
			err = joinRegistry(h.reg, router)
		}
		if err != nil {
			if relay != nil {
				stopRelay(relay)
			}
			router.Close()
			nc.Close()
			h.Close()
			for _, o := range lns {
				o.ln.Close()
			}
			return e.fail(exitBadInput, err)
		}
		log.Info("fleet", "node", router.NodeID(), "nats", nc.ConnectedUrlRedacted())
	}
	srv := server.New(server.Options{
		Registry: h.reg, Agent: h.agent, Events: events, Logger: log, Timeouts: c.timeouts.Timeouts, Network: h.net,
		Admin:  c.admin.options(token, c.listen),
		Bridge: bridge.New(broker, bridge.Options{AllowedOrigins: c.allowOrigins, Logger: log, Agent: h.agent}),
		UI:     ui.New(ui.Options{Demo: c.demoPage}),
		CrossOriginClients: func(reg *registry.Registration) []server.CrossOriginClient {
			var out []server.CrossOriginClient
			for _, c := range broker.Clients(reg) {
				out = append(out, server.CrossOriginClient{ID: c.ID, Origin: c.Origin, TargetURL: c.TargetURL})
			}
			return out
		},
	})
	var ca *server.CA
	if c.mitm {
		dir, _ := c.host.dataDir()
		if ca, err = server.LoadOrCreateCA(dir); err != nil {
			h.Close()
			return e.fail(exitBadInput, err)
		}
	}

	var adminURL string
	servers := make([]*http.Server, 0, len(lns))
	errc := make(chan error, len(lns))
	for _, l := range lns {
		var handler http.Handler
		switch l.name {
		case "admin":
			handler = srv.Handler()
		case "edge":
			handler = srv.EdgeHandler(c.edgeScheme)
		case "proxy":
			handler = srv.ProxyHandler(ca)
		}
		hs := c.timeouts.HTTPServer(handler, log)
		servers = append(servers, hs)
		go func() { errc <- hs.Serve(l.ln) }()
		fmt.Fprintf(e.stdout, "swhost serve: %s on http://%s/\n", l.name, l.ln.Addr())
		if l.name == "admin" {
			adminURL = fmt.Sprintf("http://%s/", l.ln.Addr())
			devtools := "http://" + browserAddr(l.ln.Addr()) + "/"
			if token != "" {
				fmt.Fprintf(e.stdout, "swhost serve: admin token from %s (send it as Authorization: Bearer TOKEN)\n", tokenFrom)
				devtools += "?token=" + token
			}
			fmt.Fprintf(e.stdout, "swhost serve: devtools %s\n", devtools)
		}
		log.Info("listening", "listener", l.name, "addr", l.ln.Addr().String())
	}

	go srv.ReturnIdleMemory(ctx, 5*time.Second)

	var serveErr, readyErr error
	if c.ready != nil {
		readyErr = c.ready(ctx, adminURL)
	}
	if readyErr == nil {
		select {
		case <-ctx.Done():
			log.Info("shutting down")
		case serveErr = <-errc:
			log.Error("a listener failed", "err", serveErr)
		}
	}
	srv.Shutdown()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	for _, hs := range servers {
		if err := hs.Shutdown(sctx); err != nil {
			log.Warn("graceful shutdown cut short", "err", err)
		}
	}
	if router != nil {
		leaveRegistry(h.reg)
		stopRelay(relay)
		router.Close() // closes the routed channels: the other nodes' ports see it
		nc.Close()
	}
	broker.Close()
	h.Close()
	if readyErr != nil {
		return e.fail(exitNoMatch, readyErr)
	}
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return e.fail(exitNoMatch, serveErr)
	}
	return exitOK
}

// timeoutFlags are the listener timeouts of serve and demo.
type timeoutFlags struct{ server.Timeouts }

// addTimeoutFlags defines --header-timeout, --body-timeout and
// --idle-timeout on fs, defaulting to server.DefaultTimeouts.
func addTimeoutFlags(fs *flag.FlagSet) *timeoutFlags {
	t := &timeoutFlags{server.DefaultTimeouts}
	fs.DurationVar(&t.Header, "header-timeout", t.Header, "close a connection whose request line and headers take longer than this to arrive (0: no limit)")
	fs.DurationVar(&t.Body, "body-timeout", t.Body, "fail a request (408) whose body sends no byte for this long (0: no limit)")
	fs.DurationVar(&t.Idle, "idle-timeout", t.Idle, "close a keep-alive connection with no new request for this long (0: no limit)")
	return t
}

// check refuses negative timeouts and turns 0 ("no limit" on the command
// line) into server.Timeouts' "disabled".
func (t *timeoutFlags) check() error {
	for _, f := range []struct {
		name string
		d    *time.Duration
	}{{"header-timeout", &t.Header}, {"body-timeout", &t.Body}, {"idle-timeout", &t.Idle}} {
		switch {
		case *f.d < 0:
			return weberr.Errorf(weberr.TypeError, "--%s %v: must be 0 or more", f.name, *f.d)
		case *f.d == 0:
			*f.d = -1
		}
	}
	return nil
}

// serveLogger returns the structured logger of serve, on stderr.
func serveLogger(e *env, format string) (*slog.Logger, error) {
	level := slog.LevelInfo
	switch strings.ToLower(os.Getenv("SWHOST_LOG")) {
	case "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(e.stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(e.stderr, opts)), nil
	}
	return nil, weberr.Errorf(weberr.TypeError, "invalid --log-format %q: text or json", format)
}

func runCA(ctx context.Context, e *env, args []string) int {
	fs := e.newFlagSet("ca", "[--data DIR]")
	var hf hostFlags
	hf.add(fs)
	if _, status := flagsOrUsage(fs, args, 0, 0); status >= 0 {
		return status
	}
	dir, err := hf.dataDir()
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	ca, err := server.LoadOrCreateCA(dir)
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	e.stdout.Write(ca.PEM())
	return exitOK
}

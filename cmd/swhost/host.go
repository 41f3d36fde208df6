package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/httpcache"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/worker"
)

// hostFlags are the flags every command that runs workers takes.
type hostFlags struct {
	data    string
	resolve stringList
}

func (h *hostFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&h.data, "data", "", "data directory (default: the user cache directory's swhost folder)")
	fs.Var(&h.resolve, "resolve", "serve ORIGIN from UPSTREAM_URL, as ORIGIN=UPSTREAM_URL (repeatable)")
}

// host is an opened swhost: store, network, registry and agent.
type host struct {
	store *store.SQLStore
	net   *network.Transport
	reg   *registry.Registry
	agent *agent.Agent
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
	logger      *slog.Logger
	onEvent     func(registry.Event)
	console     func(scriptURL, level, msg string)
	onFetch     func(*agent.Client, *fetch.Request, *agent.Result)
	limits      worker.Limits       // zero fields: worker.DefaultLimits
	cacheLimits cachestorage.Limits // zero fields: cachestorage's defaults
}

// dataDir returns --data or the default data directory.
func (h *hostFlags) dataDir() (string, error) {
	if h.data != "" {
		return h.data, nil
	}
	return store.DefaultDir()
}

// open opens the data directory and builds the layers over it.
func (h *hostFlags) open(ctx context.Context, e *env) (*host, error) {
	return h.openWith(ctx, e, hostOptions{})
}

// openWith is open with observers and a logger.
func (h *hostFlags) openWith(ctx context.Context, e *env, o hostOptions) (*host, error) {
	dir, err := h.dataDir()
	if err != nil {
		return nil, err
	}
	t := &network.Transport{Resolve: map[string]string{}}
	for _, r := range h.resolve {
		origin, up, err := network.ParseResolve(r)
		if err != nil {
			return nil, fmt.Errorf("--resolve: %w", err)
		}
		t.Resolve[origin] = up
	}
	st, err := store.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	log := o.logger
	if log == nil {
		log = e.logger()
	}
	// Worker scripts are fetched through the HTTP cache, so that a
	// registration's updateViaCache mode decides whether they may come
	// from it.
	cache := httpcache.New(st, httpcache.Options{Logger: log})
	reg, err := registry.New(ctx, registry.Options{Store: st, Network: registry.CachedNetwork(cache, t), Logger: log, OnEvent: o.onEvent, Console: o.console, Limits: o.limits, CacheLimits: o.cacheLimits})
	if err != nil {
		st.Close()
		return nil, err
	}
	ag := agent.New(reg, t, agent.Options{Logger: log, HTTPCache: cache, OnFetch: o.onFetch})
	return &host{store: st, net: t, reg: reg, agent: ag}, nil
}

// Close closes clients, stops workers and closes the store.
func (h *host) Close() {
	h.agent.Close()
	h.reg.Close()
	h.store.Close()
}

package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/httpcache"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/store"
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

// open opens the data directory and builds the layers over it.
func (h *hostFlags) open(ctx context.Context, e *env) (*host, error) {
	dir := h.data
	if dir == "" {
		d, err := store.DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
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
	log := e.logger()
	reg, err := registry.New(ctx, registry.Options{Store: st, Network: t, Logger: log})
	if err != nil {
		st.Close()
		return nil, err
	}
	cache := httpcache.New(st, httpcache.Options{Logger: log})
	return &host{store: st, net: t, reg: reg, agent: agent.New(reg, t, agent.Options{Logger: log, HTTPCache: cache})}, nil
}

// Close closes clients, stops workers and closes the store.
func (h *host) Close() {
	h.agent.Close()
	h.reg.Close()
	h.store.Close()
}

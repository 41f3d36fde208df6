package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/swhost/swhost/demo"
)

func init() {
	register(&command{name: "demo", summary: "run serve with bundled example origins and print the devtools and demo page URLs", run: runDemo})
}

func runDemo(ctx context.Context, e *env, args []string) int {
	fs := e.newFlagSet("demo", "[--listen ADDR] [--log-format text|json] [--allow-network CIDR|HOST]... [--header-timeout D] [--body-timeout D] [--idle-timeout D]")
	listen := fs.String("listen", "127.0.0.1:8080", "address of the admin API, devtools page, demo page and connect bridge")
	var allow stringList
	fs.Var(&allow, "allow-network", "let the demo's workers connect to CIDR, an address or a host name that the egress policy refuses by default (repeatable; the demo origins are allowed)")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	timeouts := addTimeoutFlags(fs)
	if _, status := flagsOrUsage(fs, args, 0, 0); status >= 0 {
		return status
	}
	origins, err := demo.Start()
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	defer origins.Close()
	dir, err := os.MkdirTemp("", "swhost-demo-")
	if err != nil {
		return e.fail(exitBadInput, fmt.Errorf("demo data directory: %w", err))
	}
	defer os.RemoveAll(dir)
	// The token serve will use (SWHOST_ADMIN_TOKEN, or a new admin.token
	// in the demo's data directory): the demo's own setup requests and the
	// URLs it prints carry it.
	token, _, err := adminToken("", dir)
	if err != nil {
		return e.fail(exitBadInput, fmt.Errorf("admin token: %w", err))
	}

	c := defaultServeConfig()
	c.listen, c.logFormat, c.timeouts = *listen, *logFormat, timeouts
	c.host.data = dir
	c.host.resolve = origins.Resolve()
	c.host.allow = allow
	c.demoPage = demo.Page(origins)
	// Once serve listens, the demo sets its origins up through the admin
	// API and prints where to look.
	c.ready = func(ctx context.Context, admin string) error {
		if err := demo.Setup(ctx, admin, token); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "swhost demo: data in %s (removed on exit)\n", dir)
		fmt.Fprintf(e.stdout, "swhost demo: origins %s\n", strings.Join(origins.Resolve(), " "))
		fmt.Fprintf(e.stdout, "\n  devtools:  %s?token=%s\n  demo page: %sdemo?token=%s\n\nPress Ctrl+C to stop.\n", admin, token, admin, token)
		return nil
	}
	return startServe(ctx, e, c)
}

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/swhost/swhost/demo"
)

func init() {
	register(&command{name: "demo", summary: "run serve with bundled example origins and print the devtools and demo page URLs", run: runDemo})
}

// demoPage is the demo page handler that uiHandler mounts at /demo; it
// is set only while the demo command runs serve.
var demoPage http.Handler

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

	serveArgs := append([]string{"--listen", *listen, "--data", dir, "--log-format", *logFormat}, timeouts.args()...)
	for _, r := range origins.Resolve() {
		serveArgs = append(serveArgs, "--resolve", r)
	}
	for _, a := range allow {
		serveArgs = append(serveArgs, "--allow-network", a)
	}
	demoPage = demo.Page(origins)
	defer func() { demoPage = nil }()

	// serve prints "swhost serve: admin on http://ADDR/" once it listens:
	// the demo sets its origins up through that address.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := &adminWatch{out: e.stdout, found: make(chan string, 1)}
	done := make(chan int, 1)
	go func() { done <- runServe(ctx, &env{stdin: e.stdin, stdout: w, stderr: e.stderr}, serveArgs) }()
	select {
	case code := <-done:
		return code
	case admin := <-w.found:
		if err := demo.Setup(ctx, admin, token); err != nil {
			cancel()
			<-done
			return e.fail(exitNoMatch, err)
		}
		fmt.Fprintf(e.stdout, "swhost demo: data in %s (removed on exit)\n", dir)
		fmt.Fprintf(e.stdout, "swhost demo: origins %s\n", strings.Join(origins.Resolve(), " "))
		fmt.Fprintf(e.stdout, "\n  devtools:  %s?token=%s\n  demo page: %sdemo?token=%s\n\nPress Ctrl+C to stop.\n", admin, token, admin, token)
	}
	return <-done
}

// adminWatch passes serve's output through and reports the admin URL
// from its "admin on" line.
type adminWatch struct {
	out   io.Writer
	found chan string
	mu    sync.Mutex
	buf   strings.Builder
	done  bool
}

func (a *adminWatch) Write(p []byte) (int, error) {
	a.mu.Lock()
	if !a.done {
		a.buf.Write(p)
		for _, line := range strings.Split(a.buf.String(), "\n") {
			if u, ok := strings.CutPrefix(line, "swhost serve: admin on "); ok && strings.HasSuffix(u, "/") {
				a.done = true
				a.found <- u
				a.buf.Reset()
				break
			}
		}
	}
	a.mu.Unlock()
	return a.out.Write(p)
}

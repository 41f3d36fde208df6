package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/egress"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

func init() {
	register(&command{
		name:    "worker",
		summary: "run a worker script from a file: install, activate, then a fetch event",
		run:     runWorker,
	})
}

const workerUsage = `run [--script-url URL] [--type classic|module] [--event install|activate|fetch] [--url URL] [-X METHOD] [-H 'Name: value']... [--data-raw BODY] [--allow-network CIDR|HOST]... [--timeout D] SCRIPT.js`

// workerHeaders collects repeated -H values.
type workerHeaders []string

// String joins the headers for flag's usage output.
func (h *workerHeaders) String() string { return strings.Join(*h, ", ") }

// Set adds one -H value.
func (h *workerHeaders) Set(v string) error { *h = append(*h, v); return nil }

func runWorker(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] != "run" {
		fmt.Fprintf(e.stderr, "usage: swhost worker %s\n", workerUsage)
		return exitBadInput
	}
	fs := e.newFlagSet("worker run", workerUsage[len("run "):])
	scriptURL := fs.String("script-url", "", "URL the script is served at (default https://localhost/NAME); imports resolve against it and load from the script's directory")
	typ := fs.String("type", "classic", "worker type: classic or module")
	event := fs.String("event", "fetch", "last event to fire: install, activate or fetch")
	target := fs.String("url", "", "URL of the fetch event's request (default: the scope, the script URL's directory)")
	method := fs.String("X", "GET", "request method")
	var headers workerHeaders
	fs.Var(&headers, "H", "request header 'Name: value' (repeatable)")
	body := fs.String("data-raw", "", "request body")
	timeout := fs.Duration("timeout", 30*time.Second, "time limit for each event, and for the work the worker does after answering (waitUntil promises)")
	var allow stringList
	fs.Var(&allow, "allow-network", "let the worker's fetch() connect to CIDR, an address or a host name that the egress policy refuses by default (repeatable)")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return exitBadInput
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitBadInput
	}
	file := pos[0]
	// One worker per process: keeping warm runtimes ready would only cost.
	worker.SetWarmRuntimes(0)
	src, err := os.ReadFile(file)
	if err != nil {
		return e.fail(exitBadInput, fmt.Errorf("reading the worker script: %w", err))
	}
	if *scriptURL == "" {
		*scriptURL = "https://localhost/" + filepath.Base(file)
	}
	switch *event {
	case "install", "activate", "fetch":
	default:
		return e.fail(exitBadInput, weberr.Errorf(weberr.TypeError, "--event %q: want install, activate or fetch", *event))
	}
	scope := (*scriptURL)[:strings.LastIndex(*scriptURL, "/")+1]
	if *target == "" {
		*target = scope
	}
	loader := &workerDirLoader{base: scope, dir: filepath.Dir(file)}

	var consoleMu sync.Mutex
	s, err := worker.CompileScript(ctx, *scriptURL, sw.WorkerType(*typ), src, loader, 0)
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	policy, err := egress.New(egress.Options{Allow: allow, Logger: e.logger()})
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	w := worker.New(s, worker.Options{
		Fetcher:      &network.Transport{Egress: policy},
		Loader:       loader,
		Registration: worker.Registration{Scope: scope},
		Console: func(level, msg string) {
			consoleMu.Lock()
			defer consoleMu.Unlock()
			fmt.Fprintf(e.stderr, "console.%s: %s\n", level, msg)
		},
		Logger: slog.New(slog.DiscardHandler),
	})
	defer w.Close()

	step := func() (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, *timeout) }
	// The work the worker does after answering (waitUntil) ends before it
	// stops, within another --timeout.
	defer func() {
		c, cancel := step()
		defer cancel()
		if err := w.WaitIdle(c); err != nil {
			fmt.Fprintf(e.stderr, "swhost: warning: %v; stopping it\n", err)
		}
	}()
	c, cancel := step()
	err = w.Start(c) // evaluates the script: its errors come with the JS stack
	cancel()
	if err != nil {
		return e.fail(exitBadInput, err)
	}
	c, cancel = step()
	res, err := w.DispatchInstall(c)
	cancel()
	if err != nil {
		return e.fail(exitBadInput, fmt.Errorf("install: %w", err))
	}
	if res.ForeignFetch != nil {
		fmt.Fprintf(e.stderr, "registerForeignFetch: scopes %s origins %s\n", strings.Join(res.ForeignFetch.Scopes, " "), strings.Join(res.ForeignFetch.Origins, " "))
	}
	if *event == "install" {
		fmt.Fprintln(e.stdout, "installed")
		return exitOK
	}
	c, cancel = step()
	err = w.DispatchActivate(c)
	cancel()
	if err != nil {
		return e.fail(exitBadInput, fmt.Errorf("activate: %w", err))
	}
	if *event == "activate" {
		fmt.Fprintln(e.stdout, "activated")
		return exitOK
	}

	req := &fetch.Request{Method: strings.ToUpper(*method), URL: *target, Header: http.Header{}, Mode: fetch.ModeNavigate, Destination: "document"}
	for _, h := range headers {
		name, value, ok := strings.Cut(h, ":")
		if !ok {
			return e.fail(exitBadInput, weberr.Errorf(weberr.TypeError, "-H %q: want 'Name: value'", h))
		}
		req.Header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	if *body != "" {
		req.Body = []byte(*body)
	}
	c, cancel = step()
	fr, err := w.DispatchFetch(c, req, worker.FetchEventInit{ClientID: "cli"})
	cancel()
	if err != nil {
		return e.fail(exitBadInput, fmt.Errorf("fetch event: %w", err))
	}
	for _, ex := range fr.Exceptions {
		fmt.Fprintf(e.stderr, "uncaught in a fetch listener: %v\n", ex)
	}
	if fr.Response == nil {
		fmt.Fprintln(e.stderr, "served-by: network (no listener called respondWith)")
		return exitNoMatch
	}
	if fr.RespondWithError != nil {
		return e.fail(exitNoMatch, fmt.Errorf("respondWith: %w", fr.RespondWithError))
	}
	fmt.Fprintf(e.stderr, "served-by: fetch-event %s\n", *scriptURL)
	writeWorkerResponse(e.stdout, fr.Response)
	return exitOK
}

// writeWorkerResponse prints r like curl -i.
func writeWorkerResponse(w io.Writer, r *fetch.Response) {
	fmt.Fprintf(w, "HTTP/1.1 %s\n", r.StatusLine())
	names := make([]string, 0, len(r.Header))
	for n := range r.Header {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, v := range r.Header[n] {
			fmt.Fprintf(w, "%s: %s\n", n, v)
		}
	}
	fmt.Fprintln(w)
	w.Write(r.Body)
	if len(r.Body) > 0 && r.Body[len(r.Body)-1] != '\n' {
		fmt.Fprintln(w)
	}
}

// workerDirLoader serves scripts under base from the files under dir, so that
// importScripts and module imports of a worker run from a file work.
type workerDirLoader struct {
	base string // URL prefix, ending in "/"
	dir  string
}

// Load reads the file that url maps to under l.dir; URLs outside l.base
// (or escaping it with ..) are a NetworkError.
func (l *workerDirLoader) Load(_ context.Context, url string) ([]byte, error) {
	rel, ok := strings.CutPrefix(url, l.base)
	if i := strings.IndexAny(rel, "?#"); i >= 0 {
		rel = rel[:i]
	}
	clean := path.Clean("/" + rel)
	if !ok || clean != "/"+rel {
		return nil, weberr.Errorf(weberr.NetworkError, "%s is outside %s, which maps to %s", url, l.base, l.dir)
	}
	b, err := os.ReadFile(filepath.Join(l.dir, filepath.FromSlash(rel)))
	if errors.Is(err, os.ErrNotExist) {
		return nil, weberr.Errorf(weberr.NetworkError, "%s: no file %s", url, filepath.Join(l.dir, rel))
	}
	return b, err
}

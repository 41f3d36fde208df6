// Command origin is the loopback HTTP server of the edge benchmark
// (bench/edge/run.sh). It plays two parts:
//
//   - with -script FILE, the upstream of https://app.test: GET /sw.js
//     answers FILE as JavaScript, so that "swhost register" can install it;
//   - always, the plain Go net/http baseline: every other request is
//     answered "hello" with the headers a worker's new Response('hello')
//     carries (Content-Type: text/plain;charset=UTF-8).
//
// It listens on -addr (127.0.0.1:0 picks a free port), prints
// "origin: listening on http://ADDR/" once it accepts connections, and stops
// on SIGINT/SIGTERM or when -timeout has passed, so that a benchmark run
// never leaves it behind.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	script := flag.String("script", "", "worker script served at /sw.js (empty: none)")
	timeout := flag.Duration("timeout", 30*time.Minute, "stop after this long")
	flag.Parse()
	if err := run(*addr, *script, *timeout); err != nil {
		log.Fatalf("origin: %v", err)
	}
}

var hello = []byte("hello")

func run(addr, script string, timeout time.Duration) error {
	var js []byte
	if script != "" {
		b, err := os.ReadFile(script)
		if err != nil {
			return fmt.Errorf("reading the worker script: %w", err)
		}
		js = b
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	mux := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if js != nil && r.URL.Path == "/sw.js" {
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(js)
			return
		}
		w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
		w.Write(hello)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 30 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Printf("origin: listening on http://%s/\n", ln.Addr())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer scancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

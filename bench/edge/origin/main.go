// Command origin is the loopback HTTP server of the edge benchmark
// (bench/edge/run.sh) and its helper. It plays two parts:
//
//   - with -static DIR, the upstream of https://app.test
//     (workloads.Upstream): the files of DIR at their paths and
//     /api/items, the headers workload's upstream;
//   - without it, the plain Go net/http peer of the workload named by
//     -workload (workloads.Peer), which does in Go what the worker does in
//     JavaScript.
//
// It listens on -addr (127.0.0.1:0 picks a free port), prints
// "origin: listening on http://ADDR/" once it accepts connections, and stops
// on SIGINT/SIGTERM or when -timeout has passed, so that a benchmark run
// never leaves it behind.
//
// As a helper it prints and exits: -write-site DIR writes the upstream's
// files into DIR (workloads.WriteSite), -print-script WORKLOAD prints the
// worker script of WORKLOAD for -host swhost or workerd
// (workloads.Script), -print-paths WORKLOAD its request paths
// (workloads.Paths). -root is the repository's root.
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
	"strings"
	"syscall"
	"time"

	"github.com/swhost/swhost/bench/edge/workloads"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	static := flag.String("static", "", "serve the files of this directory as the upstream of https://app.test (empty: be the plain Go peer)")
	workload := flag.String("workload", "hello", "plain Go peer: "+strings.Join(workloads.Names, ", "))
	upstream := flag.String("upstream", "", "headers workload: URL of the upstream")
	root := flag.String("root", ".", "the repository's root (workbox: Workbox's builds and the precached files)")
	timeout := flag.Duration("timeout", 30*time.Minute, "stop after this long")
	site := flag.String("write-site", "", "write the upstream's files into this directory and exit")
	script := flag.String("print-script", "", "print the worker script of this workload for -host and exit")
	host := flag.String("host", "swhost", "-print-script: swhost or workerd")
	paths := flag.String("print-paths", "", "print the request paths of this workload and exit")
	flag.Parse()
	if err := do(*addr, *static, *workload, *upstream, *root, *timeout, *site, *script, *host, *paths); err != nil {
		log.Fatalf("origin: %v", err)
	}
}

func do(addr, static, workload, upstream, root string, timeout time.Duration, site, script, host, paths string) error {
	switch {
	case site != "":
		return workloads.WriteSite(root, site)
	case script != "":
		b, err := workloads.Script(script, host, root)
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(b)
		return err
	case paths != "":
		fmt.Println(strings.Join(workloads.Paths(paths), " "))
		return nil
	case static != "":
		return run(addr, workloads.Upstream(static), timeout)
	}
	h, err := workloads.Peer(workload, upstream, root)
	if err != nil {
		return err
	}
	return run(addr, h, timeout)
}

func run(addr string, h http.Handler, timeout time.Duration) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second}
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

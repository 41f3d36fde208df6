// Package edge holds the edge-listener benchmark of issue 9
// (docs/benchmarks.md, "serve / edge"): run.sh drives the swhost binary,
// a plain Go net/http handler (./origin) and Cloudflare's workerd with wrk,
// and the keep-alive soak (./soak); the Go benchmarks in this package run
// server.EdgeHandler in-process over a real store, registry and agent so
// that its CPU profile shows where an edge request spends its time.
//
// It is a module of its own (replace github.com/swhost/swhost => ../..), so
// the benchmark tools add nothing to swhost's dependencies.
package edge

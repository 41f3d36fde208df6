// Package edge holds the edge-listener benchmark of issues 9 and 25
// (docs/benchmarks.md, "serve / edge"): run.sh drives the swhost binary,
// the plain Go net/http peer (./origin) and Cloudflare's workerd with wrk
// over selectable workloads (WORKLOADS="hello json html router headers
// cache workbox", ./workloads: the JavaScript kernels, the fetch handlers
// and their Go peers), writes every round's figures and the swhost/workerd
// ratios to table.md (table.sh), and runs the keep-alive soak (./soak).
// The Go benchmarks in this package run server.EdgeHandler in-process over
// a real store, registry and agent so that its CPU profile shows where an
// edge request spends its time; TestWorkloads checks that swhost's worker
// and the Go peer answer every workload's requests alike.
//
// It is a module of its own (replace github.com/swhost/swhost => ../..), so
// the benchmark tools add nothing to swhost's dependencies.
package edge

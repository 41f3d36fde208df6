// Package engines measures the pure-Go JavaScript engines swhost could run
// against the one it runs (sobek) and against Node, on the work of the
// edge benchmark's JavaScript-heavy workloads
// (bench/edge/workloads/kernels.js: a JSON transform, an HTML render and a
// router over 50 URL Patterns), for docs/decisions.md ("JavaScript
// engine"). It is a module of its own, so swhost gains none of the engines
// it compares.
//
// Every engine, Node included, evaluates the same script
// (testdata/harness.js): the kernels, a WHATWG URL and the URL Pattern
// polyfill in plain JavaScript (testdata/README.md), since no engine but
// Node has URL and none has URLPattern. TestOutputs checks that each
// engine returns exactly what Node returns.
//
// Run from this directory:
//
//	./run.sh                                         # everything, tables at the end
//	go test -run TestOutputs -v                      # outputs against Node's
//	go test -run '^$' -bench Kernels -benchtime 300x # the kernels only
package engines

// Package bench compares swhost's urlpattern package with
// github.com/dunglas/go-urlpattern, the other Go implementation of the
// WHATWG URL Pattern standard, in the same run. It is a separate module so
// that swhost itself does not depend on the peer.
//
// Run from this directory:
//
//	go test -run TestCompareWPT -v                  # per-entry geometric mean ratios
//	go test -run XXX -bench . -benchtime=200ms      # go test benchmarks
//
// See docs/benchmarks.md ("urlpattern") for figures.
package bench

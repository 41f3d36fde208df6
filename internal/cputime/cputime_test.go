package cputime

import (
	"runtime"
	"testing"
	"time"
)

// TestProcessCountsWork: CPU time grows by about the work done (a busy
// loop of 30 ms), and never by more than wall time times the CPUs.
func TestProcessCountsWork(t *testing.T) {
	c0, ok := Process()
	if !ok {
		t.Skip("no process CPU time on " + runtime.GOOS)
	}
	w0 := time.Now()
	for time.Since(w0) < 30*time.Millisecond {
	}
	c1, _ := Process()
	wall := time.Since(w0)
	used := c1 - c0
	if used < 10*time.Millisecond || used > wall*time.Duration(runtime.NumCPU())+10*time.Millisecond {
		t.Errorf("CPU time %v for a 30 ms busy loop (wall %v)", used, wall)
	}
}

package cputime

import (
	"runtime"
	"testing"
	"time"
)

// TestProcessCountsWork: CPU time grows while the process works (a busy
// loop runs until it has grown by 30 ms, whatever share of a CPU the
// machine gives it), and never by more than wall time times the CPUs.
func TestProcessCountsWork(t *testing.T) {
	c0, ok := Process()
	if !ok {
		t.Skip("no process CPU time on " + runtime.GOOS)
	}
	w0 := time.Now()
	var used time.Duration
	for used < 30*time.Millisecond {
		for i := 0; i < 1e5; i++ {
			sink += i
		}
		c1, _ := Process()
		used = c1 - c0
		if time.Since(w0) > time.Minute {
			t.Fatalf("CPU time grew by %v in a minute of busy looping", used)
		}
	}
	wall := time.Since(w0)
	if used > wall*time.Duration(runtime.NumCPU())+10*time.Millisecond {
		t.Errorf("CPU time %v over a busy loop of %v wall time on %d CPUs", used, wall, runtime.NumCPU())
	}
}

var sink int

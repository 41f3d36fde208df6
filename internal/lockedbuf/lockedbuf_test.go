package lockedbuf

import (
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentWriters: writers and readers at once (meaningful under
// -race); every line arrives whole, and Lines finds them.
func TestConcurrentWriters(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 100 {
				fmt.Fprintf(&b, "writer %d line %d\n", g, i)
				_ = b.String()
			}
		})
	}
	wg.Wait()
	if n := len(b.Lines("writer")); n != 400 {
		t.Errorf("%d lines, want 400", n)
	}
	if got := b.Lines("writer 2 line 99"); len(got) != 1 || got[0] != "writer 2 line 99" {
		t.Errorf("Lines = %q", got)
	}
}

package lockedbuf

import (
	"context"
	"fmt"
	"strings"
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

// TestWaitLine: WaitLine returns a line written before or after the call,
// and gives up when its context ends.
func TestWaitLine(t *testing.T) {
	var b Buffer
	fmt.Fprintln(&b, "early line")
	if got, ok := b.WaitLine(t.Context(), func(l string) bool { return strings.HasPrefix(l, "early") }); !ok || got != "early line\n" {
		t.Errorf("early: %q %v", got, ok)
	}
	done := make(chan string)
	go func() {
		got, _ := b.WaitLine(t.Context(), func(l string) bool { return strings.Contains(l, "late") })
		done <- got
	}()
	fmt.Fprintln(&b, "other line")
	fmt.Fprintln(&b, "late line")
	if got := <-done; got != "late line\n" {
		t.Errorf("late: %q", got)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if got, ok := b.WaitLine(ctx, func(l string) bool { return strings.Contains(l, "never") }); ok || got != "" {
		t.Errorf("cancelled: %q %v", got, ok)
	}
}

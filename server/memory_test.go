package server

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

func TestReturnIdleMemory(t *testing.T) {
	f := newFixture(t)
	var calls atomic.Int32
	old := freeOSMemory
	freeOSMemory = func() { calls.Add(1) }
	defer func() { freeOSMemory = old }()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.srv.ReturnIdleMemory(ctx, 20*time.Millisecond); close(done) }()

	time.Sleep(100 * time.Millisecond)
	if n := calls.Load(); n != 0 {
		t.Errorf("memory freed %d times without any request", n)
	}
	f.events.activity.Add(1) // a burst of requests...
	time.Sleep(150 * time.Millisecond)
	if n := calls.Load(); n != 1 {
		t.Errorf("memory freed %d times after one busy interval then idleness, want 1", n)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("ReturnIdleMemory did not stop with its context")
	}
}

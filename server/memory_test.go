package server

import (
	"context"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// TestReturnIdleMemory runs ReturnIdleMemory on a fake clock: memory is
// returned once after a busy interval followed by an idle one, never
// while idle from the start.
func TestReturnIdleMemory(t *testing.T) {
	var calls atomic.Int32
	old := freeOSMemory
	freeOSMemory = func() { calls.Add(1) }
	defer func() { freeOSMemory = old }()
	synctest.Test(t, func(t *testing.T) {
		events := &Events{}
		s := &Server{opts: Options{Events: events}, done: make(chan struct{})}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { s.ReturnIdleMemory(ctx, 20*time.Millisecond); close(done) }()

		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		if n := calls.Load(); n != 0 {
			t.Errorf("memory freed %d times without any request", n)
		}
		events.activity.Add(1) // a burst of requests...
		time.Sleep(150 * time.Millisecond)
		synctest.Wait()
		if n := calls.Load(); n != 1 {
			t.Errorf("memory freed %d times after one busy interval then idleness, want 1", n)
		}
		cancel()
		<-done
	})
}

// TestAdminRequestsAreActivity: requests to the admin API count as
// activity for ReturnIdleMemory, as edge requests do (10k registrations
// made through the admin API otherwise left their memory unreturned
// until the next edge request).
func TestAdminRequestsAreActivity(t *testing.T) {
	f := newFixture(t)
	h := f.srv.Handler()
	for _, path := range []string{"/healthz", "/v1/registrations", "/no-such-page"} {
		before := f.events.activity.Load()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
		if f.events.activity.Load() == before {
			t.Errorf("GET %s did not count as activity", path)
		}
	}
}

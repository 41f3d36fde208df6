package registry

import (
	"testing"
	"time"
)

// waitChange waits until cond holds, checking it now and after each
// lifecycle change r announces; it fails the test if 10 s pass first.
func waitChange(t *testing.T, r *Registry, what string, cond func() bool) {
	t.Helper()
	changed := make(chan struct{}, 1)
	cancel := r.Subscribe(func(Event) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer cancel()
	timeout := time.After(10 * time.Second)
	for !cond() {
		select {
		case <-changed:
		case <-timeout:
			t.Fatalf("%s: not within 10 s", what)
		}
	}
}

package registry

import (
	"context"
	"sync"
	"testing"

	"github.com/swhost/swhost/sw"
)

// Every subscriber sees every lifecycle change, in order, until it
// cancels; a cancelled subscriber sees nothing more.
func TestSubscribe(t *testing.T) {
	e := newEnv(t)
	e.app.set("/sw.js", `addEventListener('fetch', () => {});`)
	var mu sync.Mutex
	var a, b []string
	record := func(to *[]string) func(Event) {
		return func(ev Event) {
			mu.Lock()
			defer mu.Unlock()
			*to = append(*to, ev.Type+":"+string(ev.State))
		}
	}
	cancelA := e.r.Subscribe(record(&a))
	cancelB := e.r.Subscribe(record(&b))
	defer cancelB()
	e.mustRegister("https://app.test/sw.js", "/")
	e.r.Wait()
	cancelA()
	cancelA() // a second call is harmless
	if err := e.r.Unregister(context.Background(), e.r.Registrations("https://app.test")[0]); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := "state:" + string(sw.StateActivated)
	if !contains(a, want) || !contains(b, want) {
		t.Fatalf("events: a %v, b %v; both want %s", a, b, want)
	}
	if contains(a, "unregister:") || !contains(b, "unregister:") {
		t.Errorf("after a's cancel: a %v, b %v; want the unregister event in b only", a, b)
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("event %d: a %s, b %s", i, a[i], b[i])
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

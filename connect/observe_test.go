package connect

import (
	"sync"
	"testing"
	"time"
)

// TestObserve checks that the operator's observer sees connect attempts,
// accepted or not, and messages both ways, while clients see nothing of
// the difference.
func TestObserve(t *testing.T) {
	var (
		mu       sync.Mutex
		events   []map[string]any
		observed = make(chan struct{}, 1) // a new event since the last check
	)
	observe := func(kind string, data map[string]any) {
		mu.Lock()
		defer mu.Unlock()
		data["kind"] = kind
		events = append(events, data)
		select {
		case observed <- struct{}{}:
		default:
		}
	}
	e := newTestEnv(t, Options{Observe: observe, FailureDelay: -1})
	e.register("/serviceworker.js", "", echoWorker)
	p := e.mustConnect(echoURL, nil)
	roundTrip(t, p, "hello")
	if _, err := e.b.Connect(t.Context(), "https://client.test/", "https://nowhere.test/x", nil); err == nil {
		t.Fatal("connect to nowhere succeeded")
	}
	want := map[string]bool{"connect accepted": false, "connect refused": false, "message to-worker": false, "message to-client": false}
	timeout := time.After(5 * time.Second)
	for {
		mu.Lock()
		for _, ev := range events {
			switch {
			case ev["kind"] == "connect" && ev["accepted"] == true && ev["targetURL"] == echoURL:
				want["connect accepted"] = true
			case ev["kind"] == "connect" && ev["accepted"] == false && ev["reason"] != nil:
				want["connect refused"] = true
			case ev["kind"] == "message" && ev["direction"] == "to-worker":
				want["message to-worker"] = true
			case ev["kind"] == "message" && ev["direction"] == "to-client":
				want["message to-client"] = true
			}
		}
		mu.Unlock()
		all := true
		for _, ok := range want {
			all = all && ok
		}
		if all {
			return
		}
		select { // the observer runs on the broker's goroutines: wait for its next event
		case <-observed:
		case <-timeout:
			mu.Lock()
			defer mu.Unlock()
			t.Fatalf("observed %v from events %v", want, events)
		}
	}
}

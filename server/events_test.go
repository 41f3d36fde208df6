package server

import (
	"strings"
	"testing"
)

// The hub keeps the last max events, oldest first, and gives fetch events
// their data whether they were published before or after a subscriber
// came.
func TestHubRingAndFetchData(t *testing.T) {
	h := newHub(4, 1<<20)
	for i := range 6 {
		if i%2 == 0 {
			h.publishFetch(&fetchData{url: "https://app.test/" + string(rune('a'+i)), layer: "fetch-event", status: 200})
		} else {
			h.publish("console", map[string]any{"i": i})
		}
	}
	ch, recent := h.subscribe()
	defer h.unsubscribe(ch)
	if len(recent) != 4 {
		t.Fatalf("recent has %d events, want 4", len(recent))
	}
	for i, ev := range recent {
		if want := int64(i + 3); ev.Seq != want {
			t.Errorf("recent[%d].Seq = %d, want %d", i, ev.Seq, want)
		}
		if ev.Data == nil || ev.fetch != nil {
			t.Errorf("recent[%d] (%s) has no data map", i, ev.Type)
		}
	}
	if recent[0].Type != "fetch" || recent[0].Data["url"] != "https://app.test/c" || recent[0].Data["status"] != 200 {
		t.Errorf("recent[0] = %+v", recent[0])
	}
	h.publishFetch(&fetchData{url: "https://app.test/live", layer: "network"})
	ev := <-ch
	if ev.Seq != 7 || ev.Data["url"] != "https://app.test/live" || ev.Data["layer"] != "network" {
		t.Errorf("live event = %+v", ev)
	}
	// Wrapping again keeps the order.
	for range 5 {
		h.publish("console", nil)
		<-ch
	}
	_, recent = h.subscribe()
	for i := 1; i < len(recent); i++ {
		if recent[i].Seq != recent[i-1].Seq+1 {
			t.Fatalf("recent out of order: %d then %d", recent[i-1].Seq, recent[i].Seq)
		}
	}
	if recent[len(recent)-1].Seq != 12 {
		t.Errorf("last recent seq = %d, want 12", recent[len(recent)-1].Seq)
	}
}

// The recent events are bounded by bytes as well as by count: console
// messages of a quarter MiB each leave at most EventsOptions.MaxBytes in
// the ring, the newest ones kept; an event bigger than the bound alone is
// streamed but not kept.
func TestRecentEventsBoundedByBytes(t *testing.T) {
	tests := []struct {
		name      string
		opts      EventsOptions
		msgBytes  int
		n         int
		wantKept  int
		wantBytes int64 // at most
	}{
		{"defaults, big messages", EventsOptions{}, 256 << 10, 100, 31, DefaultRecentBytes},
		{"defaults, small messages", EventsOptions{}, 100, 600, DefaultRecentEvents, DefaultRecentBytes},
		{"byte bound set", EventsOptions{MaxBytes: 1 << 20}, 100 << 10, 20, 10, 1 << 20},
		{"count bound set", EventsOptions{MaxEvents: 3}, 100 << 10, 20, 3, DefaultRecentBytes},
		{"message bigger than the bound", EventsOptions{MaxBytes: 1 << 10}, 2 << 10, 5, 0, 1 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := NewEventsWith(tt.opts)
			msg := strings.Repeat("x", tt.msgBytes)
			for range tt.n {
				e.Console("https://app.test/sw.js", "log", msg)
			}
			ch, recent := e.hub.subscribe()
			defer e.hub.unsubscribe(ch)
			if len(recent) != tt.wantKept {
				t.Errorf("%d events kept, want %d", len(recent), tt.wantKept)
			}
			var total int64
			for _, ev := range recent {
				total += ev.size
			}
			if total > tt.wantBytes || total != e.hub.bytes {
				t.Errorf("kept %d bytes (hub counts %d), want at most %d", total, e.hub.bytes, tt.wantBytes)
			}
			if len(recent) > 0 && recent[len(recent)-1].Seq != int64(tt.n) {
				t.Errorf("newest kept event is %d, want %d", recent[len(recent)-1].Seq, tt.n)
			}
			e.Console("https://app.test/sw.js", "log", msg)
			if ev := <-ch; ev.Data["message"] != msg {
				t.Errorf("live event lost its message")
			}
		})
	}
}

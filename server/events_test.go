package server

import "testing"

// The hub keeps the last max events, oldest first, and gives fetch events
// their data whether they were published before or after a subscriber
// came.
func TestHubRingAndFetchData(t *testing.T) {
	h := newHub(4)
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

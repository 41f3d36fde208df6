package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Event is one entry of the live event stream (GET /v1/events): a
// lifecycle change, a fetch with the layer that answered, a connect or
// message event, or worker console output.
type Event struct {
	Seq  int64     `json:"seq"`
	Time time.Time `json:"time"`
	// Type is "lifecycle", "fetch", "connect", "message" or "console".
	Type string         `json:"type"`
	Data map[string]any `json:"data"`

	// fetch holds a fetch event's data until someone reads the event:
	// fetches are the hot path, and most are never read.
	fetch *fetchData
	// size is what the event counts for in the hub's byte bound.
	size int64
}

// fetchData is the data of a "fetch" event.
type fetchData struct {
	client, clientID, method, url, mode, layer, scriptURL, responseType string
	status                                                              int
	latencyMs                                                           float64
}

// withData returns ev with Data filled in.
func (ev Event) withData() Event {
	if f := ev.fetch; f != nil {
		ev.Data = map[string]any{
			"client": f.client, "clientID": f.clientID, "method": f.method, "url": f.url, "mode": f.mode,
			"layer": f.layer, "scriptURL": f.scriptURL, "status": f.status, "responseType": f.responseType,
			"latencyMs": f.latencyMs,
		}
		ev.fetch = nil
	}
	return ev
}

// hub fans events out to subscribers and keeps the most recent ones for
// new subscribers: at most max events of at most maxBytes together (by
// eventSize). A slow subscriber loses events rather than slowing the
// server: its channel is buffered and full sends are dropped.
type hub struct {
	mu       sync.Mutex
	seq      int64
	ring     []Event // the recent events, oldest first
	bytes    int64   // the sum of the recent events' sizes
	max      int
	maxBytes int64
	subs     map[chan Event]struct{}
	dropped  int64
}

func newHub(max int, maxBytes int64) *hub {
	return &hub{max: max, maxBytes: maxBytes, subs: map[chan Event]struct{}{}}
}

// publish records an event and sends it to every subscriber.
func (h *hub) publish(typ string, data map[string]any) {
	h.add(Event{Type: typ, Data: data})
}

// publishFetch records a fetch event; its Data map is built only if a
// subscriber is listening or a new one asks for the recent events.
func (h *hub) publishFetch(f *fetchData) {
	h.add(Event{Type: "fetch", fetch: f})
}

// eventOverhead is what an event counts for beyond its strings: the Event
// itself, its map or fetchData, and the JSON a subscriber is sent.
const eventOverhead = 256

// eventSize estimates the memory an event holds: its strings' bytes plus
// fixed overheads for the event and each value of its data.
func eventSize(ev Event) int64 {
	n := int64(eventOverhead + len(ev.Type))
	if f := ev.fetch; f != nil {
		n += int64(len(f.client) + len(f.clientID) + len(f.method) + len(f.url) + len(f.mode) +
			len(f.layer) + len(f.scriptURL) + len(f.responseType))
	}
	return n + valueSize(ev.Data)
}

// valueSize estimates the memory a value of an event's data holds.
func valueSize(v any) int64 {
	const overhead = 16
	switch v := v.(type) {
	case string:
		return overhead + int64(len(v))
	case []byte:
		return overhead + int64(len(v))
	case map[string]any:
		n := int64(overhead)
		for k, x := range v {
			n += int64(len(k)) + valueSize(x)
		}
		return n
	case []any:
		n := int64(overhead)
		for _, x := range v {
			n += valueSize(x)
		}
		return n
	case []string:
		n := int64(overhead)
		for _, x := range v {
			n += overhead + int64(len(x))
		}
		return n
	}
	return overhead
}

func (h *hub) add(ev Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	ev.Seq, ev.Time = h.seq, time.Now().UTC()
	if len(h.subs) > 0 {
		ev = ev.withData()
	}
	h.keep(ev)
	for ch := range h.subs {
		select {
		case ch <- ev:
		default:
			h.dropped++
		}
	}
}

// subscribe returns a channel of new events and the recent ones, oldest
// first.
func (h *hub) subscribe() (chan Event, []Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := make(chan Event, 256)
	h.subs[ch] = struct{}{}
	recent := slices.Clone(h.ring)
	for i, ev := range recent {
		recent[i] = ev.withData()
	}
	return ch, recent
}

// keep adds ev to the recent events, dropping the oldest ones beyond max
// events or maxBytes. An event bigger than maxBytes alone is not kept (its
// subscribers still get it).
func (h *hub) keep(ev Event) {
	ev.size = eventSize(ev)
	if ev.size > h.maxBytes || h.max <= 0 {
		return
	}
	for len(h.ring) > 0 && (len(h.ring) >= h.max || h.bytes+ev.size > h.maxBytes) {
		h.bytes -= h.ring[0].size
		h.ring[0] = Event{} // let the dropped event's data go
		h.ring = h.ring[1:]
	}
	h.ring = append(h.ring, ev)
	h.bytes += ev.size
}

func (h *hub) unsubscribe(ch chan Event) {
	h.mu.Lock()
	delete(h.subs, ch)
	h.mu.Unlock()
}

// serveSSE streams events as server-sent events until the client goes or
// the server shuts down.
func (s *Server) serveSSE(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, "NotSupportedError", "streaming is not supported by this connection")
		return
	}
	replay, err := queryParam(r, "replay", "0", "1")
	if err != nil {
		s.fail(w, err)
		return
	}
	ch, recent := s.hub.subscribe()
	defer s.hub.unsubscribe(ch)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(ev Event) bool {
		b, err := json.Marshal(ev)
		if err != nil {
			return true
		}
		_, err = fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", ev.Seq, ev.Type, b)
		return err == nil
	}
	if replay != "0" {
		for _, ev := range recent {
			if !send(ev) {
				return
			}
		}
	}
	fl.Flush()
	keepAlive := time.NewTicker(15 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case <-keepAlive.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
			fl.Flush()
		case ev := <-ch:
			if !send(ev) {
				return
			}
			fl.Flush()
		}
	}
}

package server

import (
	"encoding/json"
	"fmt"
	"net/http"
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

// hub fans events out to subscribers and keeps the most recent ones (a
// ring of max) for new subscribers. A slow subscriber loses events rather
// than slowing the server: its channel is buffered and full sends are
// dropped.
type hub struct {
	mu      sync.Mutex
	seq     int64
	ring    []Event // the recent events; oldest at next once full
	next    int
	max     int
	subs    map[chan Event]struct{}
	dropped int64
}

func newHub(max int) *hub { return &hub{max: max, subs: map[chan Event]struct{}{}} }

// publish records an event and sends it to every subscriber.
func (h *hub) publish(typ string, data map[string]any) {
	h.add(Event{Type: typ, Data: data})
}

// publishFetch records a fetch event; its Data map is built only if a
// subscriber is listening or a new one asks for the recent events.
func (h *hub) publishFetch(f *fetchData) {
	h.add(Event{Type: "fetch", fetch: f})
}

func (h *hub) add(ev Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	ev.Seq, ev.Time = h.seq, time.Now().UTC()
	if len(h.subs) > 0 {
		ev = ev.withData()
	}
	if len(h.ring) < h.max {
		h.ring = append(h.ring, ev)
	} else {
		h.ring[h.next] = ev
	}
	h.next = (h.next + 1) % h.max
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
	recent := make([]Event, 0, len(h.ring))
	if len(h.ring) == h.max {
		recent = append(recent, h.ring[h.next:]...)
		recent = append(recent, h.ring[:h.next]...)
	} else {
		recent = append(recent, h.ring...)
	}
	for i, ev := range recent {
		recent[i] = ev.withData()
	}
	return ch, recent
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
	if r.URL.Query().Get("replay") != "0" {
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

// Package broadcast is the one BroadcastChannel bus of a process (HTML,
// "Broadcasting to other browsing contexts"): every BroadcastChannel, a
// worker's (package worker) or an agent client's (package agent),
// subscribes to its origin and name on a [Bus], and a message posted on
// one channel reaches every other open channel of the same origin and
// name, each receiver rebuilding the structured-clone record itself.
//
//	sub := broadcast.Default.Subscribe("https://app.test", "sync", func(m broadcast.Message) { ... })
//	defer sub.Close()
//	sub.Post(message.Message{Data: rec})
//
// The bus is the seam for a fleet: a [Relay] set with [Bus.SetRelay] is
// given every message posted in the process, and hands what other nodes
// posted to [Bus.Deliver].
package broadcast

import (
	"sync"

	"github.com/swhost/swhost/message"
)

// Message is a message on the bus: the origin of the channel it was
// posted on and its data (a *message.Record for what JavaScript posted
// that is not a plain primitive, as message.Message describes). It
// carries no ports: BroadcastChannel messages cannot transfer any.
type Message struct {
	Origin string
	Name   string
	Data   message.Message
}

// Relay carries a bus's messages to the other nodes of a fleet: Publish
// is called, on the poster's goroutine, with every message posted in the
// process, and must not block. Messages from other nodes enter with
// [Bus.Deliver].
type Relay interface {
	Publish(Message)
}

// Bus holds the open channels of a process by origin and name. It is
// safe for concurrent use.
type Bus struct {
	mu    sync.Mutex
	subs  map[string][]*Sub // by key, in subscription order
	relay Relay
}

// New returns an empty bus.
func New() *Bus { return &Bus{subs: map[string][]*Sub{}} }

// Default is the process's bus, which workers and agent clients share.
var Default = New()

// Sub is one open BroadcastChannel on a bus.
type Sub struct {
	bus          *Bus
	origin, name string
	key          string // "" for an opaque origin
	deliver      func(Message)
	closed       bool // guarded by bus.mu
}

func key(origin, name string) string { return origin + "\x00" + name }

// Subscribe opens a channel named name of origin: deliver is called with
// every message posted on the other open channels of that origin and
// name (in the order they were posted by each poster, on the poster's
// goroutine; it must not block). A channel of an opaque origin ("null")
// has no peers: nothing reaches it, and what it posts reaches nobody.
func (b *Bus) Subscribe(origin, name string, deliver func(Message)) *Sub {
	s := &Sub{bus: b, origin: origin, name: name, deliver: deliver}
	if origin == "null" || origin == "" {
		return s // key "": never stored, never matched
	}
	s.key = key(origin, name)
	b.mu.Lock()
	b.subs[s.key] = append(b.subs[s.key], s)
	b.mu.Unlock()
	return s
}

// Post sends data to every other open channel of s's origin and name, in
// the order they subscribed (the oldest first, as the standard sorts
// destinations), and to the relay. A closed channel posts nothing.
func (s *Sub) Post(data message.Message) {
	m := Message{Origin: s.origin, Name: s.name, Data: data}
	b := s.bus
	b.mu.Lock()
	if s.closed || s.key == "" {
		b.mu.Unlock()
		return
	}
	targets := make([]*Sub, 0, len(b.subs[s.key]))
	for _, t := range b.subs[s.key] {
		if t != s {
			targets = append(targets, t)
		}
	}
	relay := b.relay
	b.mu.Unlock()
	for _, t := range targets {
		t.deliver(m)
	}
	if relay != nil {
		relay.Publish(m)
	}
}

// Open reports whether s is still subscribed (not closed).
func (s *Sub) Open() bool {
	s.bus.mu.Lock()
	defer s.bus.mu.Unlock()
	return !s.closed
}

// Close unsubscribes s. A message being posted while Close runs may
// still reach deliver, so a receiver checks its own closed state when it
// handles a message (as the standard's task checks the channel's closed
// flag). Closing twice does nothing.
func (s *Sub) Close() {
	b := s.bus
	b.mu.Lock()
	defer b.mu.Unlock()
	s.closed = true
	if s.key == "" {
		return
	}
	list := b.subs[s.key]
	for i, t := range list {
		if t == s {
			list = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(b.subs, s.key)
	} else {
		b.subs[s.key] = list
	}
}

// SetRelay sets (or, with nil, removes) the bus's relay to other nodes.
func (b *Bus) SetRelay(r Relay) {
	b.mu.Lock()
	b.relay = r
	b.mu.Unlock()
}

// Deliver hands a message another node posted to every open channel of
// its origin and name in this process.
func (b *Bus) Deliver(m Message) {
	b.mu.Lock()
	targets := append([]*Sub(nil), b.subs[key(m.Origin, m.Name)]...)
	b.mu.Unlock()
	for _, t := range targets {
		t.deliver(m)
	}
}

// Channels returns how many channels are open on the bus.
func (b *Bus) Channels() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, l := range b.subs {
		n += len(l)
	}
	return n
}

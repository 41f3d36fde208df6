package worker

import (
	"sync"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/weberr"
)

// Bindings of js/52_broadcast_channel.js: BroadcastChannel between every
// worker of an origin in the process. A channel is a subscription to
// (origin, name) on the process's bus; a message is serialized once and
// rebuilt in each other subscriber's realm, as a task there.

// broadcastBus holds the open BroadcastChannels of the process by origin
// and name. It is the seam for a fleet: a bus that also publishes to other
// nodes would sit here.
var broadcastBus = struct {
	mu   sync.Mutex
	subs map[string]map[*bcSub]bool
}{subs: map[string]map[*bcSub]bool{}}

// bcSub is one open BroadcastChannel object.
type bcSub struct {
	in      *instance
	key     string
	deliver sobek.Callable // deliver(data, origin) or deliver(undefined, origin, true) for messageerror
}

// bcOpen is host.bcOpen(name, deliver): a BroadcastChannel named name of
// the worker's origin, whose messages reach deliver.
func (in *instance) bcOpen(name string, deliver sobek.Callable) *bcSub {
	if deliver == nil {
		panic(in.rt.NewTypeError("bcOpen: no deliver function"))
	}
	s := &bcSub{in: in, key: in.origin() + "\x00" + name, deliver: deliver}
	broadcastBus.mu.Lock()
	m := broadcastBus.subs[s.key]
	if m == nil {
		m = map[*bcSub]bool{}
		broadcastBus.subs[s.key] = m
	}
	m[s] = true
	broadcastBus.mu.Unlock()
	in.channels = append(in.channels, s)
	return s
}

// bcPost is host.bcPost(channel, message): message to every other open
// channel of the same name and origin in the process.
func (in *instance) bcPost(s *bcSub, message sobek.Value) {
	msg, err := in.serializeOut(message, nil)
	if err != nil {
		in.throw(err)
	}
	if len(msg.Ports) > 0 {
		in.throw(weberr.New(weberr.DataCloneError, "a BroadcastChannel message cannot carry MessagePorts"))
	}
	origin := in.origin()
	broadcastBus.mu.Lock()
	targets := make([]*bcSub, 0, len(broadcastBus.subs[s.key]))
	for t := range broadcastBus.subs[s.key] {
		if t != s {
			targets = append(targets, t)
		}
	}
	broadcastBus.mu.Unlock()
	for _, t := range targets {
		t.in.loop.Submit(func() {
			if !t.open() {
				return
			}
			data, _, err := t.in.messageToJS(msg)
			if err != nil {
				t.in.callback(t.deliver, sobek.Undefined(), t.in.rt.ToValue(origin), t.in.rt.ToValue(true))
				return
			}
			t.in.callback(t.deliver, data, t.in.rt.ToValue(origin))
		})
	}
}

// open reports whether s is still subscribed.
func (s *bcSub) open() bool {
	broadcastBus.mu.Lock()
	defer broadcastBus.mu.Unlock()
	return broadcastBus.subs[s.key][s]
}

// bcClose is host.bcClose(channel): the channel takes no more messages.
func (in *instance) bcClose(s *bcSub) { s.close() }

func (s *bcSub) close() {
	broadcastBus.mu.Lock()
	if m := broadcastBus.subs[s.key]; m != nil {
		delete(m, s)
		if len(m) == 0 {
			delete(broadcastBus.subs, s.key)
		}
	}
	broadcastBus.mu.Unlock()
}

// closeChannels closes every BroadcastChannel of the instance (it
// stopped).
func (in *instance) closeChannels() {
	for _, s := range in.channels {
		s.close()
	}
	in.channels = nil
}

// origin returns the serialized origin of the worker's script.
func (in *instance) origin() string {
	if u := in.w.scriptURL(); u != nil {
		return u.Origin()
	}
	return "null"
}

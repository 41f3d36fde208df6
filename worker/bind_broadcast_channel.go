package worker

import (
	"github.com/grafana/sobek"

	"github.com/swhost/swhost/broadcast"
	"github.com/swhost/swhost/weberr"
)

// Bindings of js/52_broadcast_channel.js: BroadcastChannel between every
// worker and agent client of an origin in the process. A channel is a
// subscription to (origin, name) on the process's bus (package
// broadcast, the seam for a fleet); a message is serialized once and
// rebuilt in each other subscriber's realm, as a task there.

// bcSub is one open BroadcastChannel object.
type bcSub struct {
	in      *instance
	sub     *broadcast.Sub
	deliver sobek.Callable // deliver(data, origin) or deliver(undefined, origin, true) for messageerror
}

// bcOpen is host.bcOpen(name, deliver): a BroadcastChannel named name of
// the worker's origin, whose messages reach deliver.
func (in *instance) bcOpen(name string, deliver sobek.Callable) *bcSub {
	if deliver == nil {
		panic(in.rt.NewTypeError("bcOpen: no deliver function"))
	}
	s := &bcSub{in: in, deliver: deliver}
	s.sub = broadcast.Default.Subscribe(in.origin(), name, func(m broadcast.Message) {
		in.loop.Submit(func() { s.dispatch(m) })
	})
	in.channels = append(in.channels, s)
	return s
}

// dispatch fires message (or messageerror, when the data cannot be
// rebuilt in this realm) at the channel, unless it closed meanwhile.
func (s *bcSub) dispatch(m broadcast.Message) {
	in := s.in
	if !s.sub.Open() {
		return
	}
	in.loadMessaging()
	data, _, err := in.messageToJS(m.Data)
	if err != nil {
		in.callback(s.deliver, sobek.Undefined(), in.rt.ToValue(m.Origin), in.rt.ToValue(true))
		return
	}
	in.callback(s.deliver, data, in.rt.ToValue(m.Origin))
}

// bcPost is host.bcPost(channel, message): message to every other open
// channel of the same name and origin.
func (in *instance) bcPost(s *bcSub, message sobek.Value) {
	in.loadMessaging() // Blob and File serialize as host values
	msg, err := in.serializeOut(message, nil)
	if err != nil {
		in.throw(err)
	}
	if len(msg.Ports) > 0 {
		in.throw(weberr.New(weberr.DataCloneError, "a BroadcastChannel message cannot carry MessagePorts"))
	}
	s.sub.Post(msg)
}

// bcClose is host.bcClose(channel): the channel takes no more messages.
func (in *instance) bcClose(s *bcSub) { s.close() }

func (s *bcSub) close() { s.sub.Close() }

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

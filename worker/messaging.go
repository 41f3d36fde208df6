package worker

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/weberr"
)

// messaging is an instance's structured clone and MessagePort state. All
// fields are used on the loop only.
type messaging struct {
	realm     *structuredclone.Realm
	kState    *sobek.Symbol // the bootstrap's private state key
	portProto *sobek.Object // MessagePort.prototype, nil until the API loaded

	// Bootstrap functions, set when the messaging API loads.
	portIn, portMessage, portClosed, portDetach, hostKind, makeBlob sobek.Callable

	links    map[int64]*jsPort // MessagePorts entangled with Go, by link id
	nextLink int64

	local, out structuredclone.Hooks // structuredClone() / messages leaving the runtime

	clients map[string]sourceValues // CrossOriginServiceWorkerClient objects by client id
	args    [5]sobek.Value          // crossoriginmessage's arguments, reused
	// begun is how many crossoriginmessage calls returned normally, which
	// is what the bootstrap's scriptState.messagesBegun says unless a call
	// was interrupted after its first step.
	begun int64
}

// sourceValues are what each crossoriginmessage of one connection passes
// to the bootstrap: its CrossOriginServiceWorkerClient and origin.
type sourceValues struct {
	src, origin sobek.Value
}

// portSlot is the host value of a transferred MessagePort in a record
// that crosses the worker boundary: its index in Message.Ports.
type portSlot int

// blobValue is the host value of a Blob.
type blobValue struct {
	bytes []byte
	typ   string
}

// jsPort receives, for a MessagePort of this runtime, what arrives at the
// Go end of the channel it is entangled with.
type jsPort struct {
	in *instance
	id int64
	h  *PortHandle

	mu        sync.Mutex
	inbox     []Message
	peerGone  bool
	scheduled bool
}

// ReceiveMessage queues msg for the port and schedules a task that
// dispatches what is queued.
func (jp *jsPort) ReceiveMessage(msg Message) {
	jp.mu.Lock()
	jp.inbox = append(jp.inbox, msg)
	jp.scheduleLocked()
}

// PeerClosed schedules the port's close event.
func (jp *jsPort) PeerClosed() {
	jp.mu.Lock()
	jp.peerGone = true
	jp.scheduleLocked()
}

func (jp *jsPort) scheduleLocked() {
	if jp.scheduled {
		jp.mu.Unlock()
		return
	}
	jp.scheduled = true
	jp.mu.Unlock()
	if !jp.in.loop.Submit(jp.drain) {
		jp.h.Close() // the worker stopped: its ports are gone
	}
}

// drain dispatches the messages queued when it started, each as its own
// JavaScript call (so the microtasks one message's listeners queue run
// before the next message is dispatched), then the close event (on the
// loop). It takes one message at a time: a listener that transfers the
// port away leaves the rest in the inbox, where transferOut finds them.
func (jp *jsPort) drain() {
	in := jp.in
	jp.mu.Lock()
	n := len(jp.inbox)
	jp.mu.Unlock()
	for range n {
		if in.msg.links[jp.id] != jp {
			return
		}
		jp.mu.Lock()
		m := jp.inbox[0]
		jp.inbox[0] = Message{}
		jp.inbox = jp.inbox[1:]
		jp.mu.Unlock()
		data, ports, err := in.messageToJS(m)
		if err != nil {
			in.w.log.Warn("MessagePort message could not be deserialized", "err", err)
			continue
		}
		in.callback(in.msg.portMessage, in.rt.ToValue(jp.id), data, ports)
	}
	jp.mu.Lock()
	if len(jp.inbox) > 0 {
		// More arrived meanwhile: they go in the next task.
		jp.mu.Unlock()
		if !in.loop.Submit(jp.drain) {
			jp.h.Close()
		}
		return
	}
	jp.scheduled = false
	gone := jp.peerGone
	jp.mu.Unlock()
	if gone && in.msg.links[jp.id] == jp {
		delete(in.msg.links, jp.id)
		in.callback(in.msg.portClosed, in.rt.ToValue(jp.id))
	}
}

// initMessaging is host.msgInit(kState, MessagePort.prototype, fns), called
// by the bootstrap when the messaging API loads.
func (in *instance) initMessaging(c sobek.FunctionCall) sobek.Value {
	m := &in.msg
	m.kState, _ = c.Argument(0).(*sobek.Symbol)
	m.portProto, _ = c.Argument(1).(*sobek.Object)
	fns, _ := c.Argument(2).(*sobek.Object)
	if fns == nil || m.kState == nil || m.portProto == nil {
		panic(in.rt.NewTypeError("msgInit: bad arguments"))
	}
	get := func(name string) sobek.Callable {
		f, ok := sobek.AssertFunction(fns.Get(name))
		if !ok {
			panic(in.rt.NewTypeError("msgInit: no " + name))
		}
		return f
	}
	m.portIn, m.portMessage, m.portClosed = get("portIn"), get("portMessage"), get("portClosed")
	m.portDetach, m.hostKind, m.makeBlob = get("portDetach"), get("hostKind"), get("makeBlob")
	return sobek.Undefined()
}

// realm returns the runtime's structured clone realm.
func (in *instance) realm() *structuredclone.Realm {
	if in.msg.realm == nil {
		in.msg.realm, _ = structuredclone.NewRealm(in.rt)
		in.msg.local = structuredclone.Hooks{
			SerializeHost:   in.serializeHost,
			DeserializeHost: in.deserializeHost,
			CanTransfer:     in.canTransfer,
			Transfer:        in.transferLocal,
			ReceiveTransfer: func(_ *sobek.Runtime, v structuredclone.HostValue) (sobek.Value, error) {
				if p, ok := v.(sobek.Value); ok {
					return p, nil
				}
				return nil, weberr.New(weberr.DataCloneError, "a transferred object of another realm")
			},
		}
		in.msg.out = structuredclone.Hooks{SerializeHost: in.serializeHost, DeserializeHost: in.deserializeHost, CanTransfer: in.canTransfer}
	}
	return in.msg.realm
}

// loadMessaging makes sure the bootstrap's messaging API is loaded.
func (in *instance) loadMessaging() {
	if in.msg.portIn == nil {
		// Loading may fail after msgInit ran, when it cannot replace the
		// global scope's lazy accessors (a frozen global scope).
		_, err := in.js.loadMessaging(sobek.Undefined())
		if in.msg.portIn == nil {
			panic(in.rt.NewTypeError(fmt.Sprintf("the MessagePort API is not available: %v", err)))
		}
	}
}

// portState returns the bootstrap state of a MessagePort, or nil when obj
// is not one.
func (in *instance) portState(obj *sobek.Object) *sobek.Object {
	m := &in.msg
	if m.portProto == nil || obj.Prototype() != m.portProto {
		return nil
	}
	st, _ := obj.GetSymbol(m.kState).(*sobek.Object)
	return st
}

func (in *instance) serializeHost(obj *sobek.Object) (structuredclone.HostValue, bool, error) {
	m := &in.msg
	if m.kState == nil {
		return nil, false, nil
	}
	if st := obj.GetSymbol(m.kState); st == nil || sobek.IsUndefined(st) {
		return nil, false, nil
	}
	if in.portState(obj) != nil {
		return nil, false, weberr.New(weberr.DataCloneError, "a MessagePort that is not in the transfer list could not be cloned")
	}
	v, err := m.hostKind(sobek.Undefined(), obj)
	if err != nil {
		return nil, false, err
	}
	if o, ok := v.(*sobek.Object); ok { // ['Blob', bytes, type]
		return blobValue{bytes: append([]byte(nil), bytesOf(o.Get("1"))...), typ: o.Get("2").String()}, true, nil
	}
	if sobek.IsUndefined(v) {
		return nil, false, nil
	}
	return nil, false, weberr.Errorf(weberr.DataCloneError, "#<%s> could not be cloned", v.String())
}

func (in *instance) deserializeHost(rt *sobek.Runtime, v structuredclone.HostValue) (sobek.Value, error) {
	if b, ok := v.(blobValue); ok {
		return in.msg.makeBlob(sobek.Undefined(), rt.ToValue(rt.NewArrayBuffer(append([]byte(nil), b.bytes...))), rt.ToValue(b.typ))
	}
	return nil, weberr.Errorf(weberr.DataCloneError, "a host object (%T) this worker cannot rebuild", v)
}

func (in *instance) canTransfer(obj *sobek.Object) error {
	st := in.portState(obj)
	if st == nil {
		return weberr.Errorf(weberr.DataCloneError, "%s in the transfer list is not transferable", describeValue(obj))
	}
	if st.Get("detached").ToBoolean() {
		return weberr.New(weberr.DataCloneError, "a MessagePort that was already transferred could not be cloned")
	}
	return nil
}

func describeValue(obj *sobek.Object) string {
	if c, ok := obj.Get("constructor").(*sobek.Object); ok {
		if n := c.Get("name"); n != nil && n.String() != "" {
			return "#<" + n.String() + ">"
		}
	}
	return "a value"
}

// transferLocal moves a MessagePort's entanglement to a new MessagePort
// of the same runtime (structuredClone, MessagePort.postMessage within
// the worker).
func (in *instance) transferLocal(obj *sobek.Object) (structuredclone.HostValue, error) {
	np, err := in.msg.portDetach(sobek.Undefined(), obj, sobek.Undefined())
	if err != nil {
		return nil, err
	}
	return np, nil
}

// transferOut detaches a MessagePort that leaves the runtime and returns
// the handle of the channel end it held; out collects the handles.
func (in *instance) transferOut(obj *sobek.Object, out *[]*PortHandle) (structuredclone.HostValue, error) {
	m := &in.msg
	st := in.portState(obj)
	var h *PortHandle
	var id int64
	var pending []Message // arrived from Go, not yet dispatched
	if linkID := st.Get("link").ToInteger(); linkID != 0 {
		// Entangled with Go already: hand over the end this port held.
		jp := m.links[linkID]
		if jp == nil {
			return nil, weberr.New(weberr.DataCloneError, "a MessagePort whose channel is gone could not be transferred")
		}
		delete(m.links, linkID)
		jp.h.SetReceiver(nil)
		jp.mu.Lock()
		pending = jp.inbox
		jp.inbox = nil
		jp.mu.Unlock()
		h, id = jp.h, linkID
	} else {
		// Entangled within the runtime (or with nothing): the partner
		// becomes entangled with Go through a new channel.
		m.nextLink++
		id = m.nextLink
		a, b := NewPortPair()
		h = b
		jp := &jsPort{in: in, id: id, h: a}
		m.links[id] = jp
	}
	res, err := m.portDetach(sobek.Undefined(), obj, in.rt.ToValue(id))
	if err != nil {
		return nil, err
	}
	// res is [hasPartner, data0, ports0, data1, ports1, ...]: messages the
	// port had received and not dispatched.
	ro, _ := res.(*sobek.Object)
	n := 0
	if ro != nil {
		n = int(ro.Get("length").ToInteger())
	}
	var queued []Message
	for i := 1; i+1 < n; i += 2 {
		var transfer []sobek.Value
		if pl, ok := ro.Get(fmt.Sprint(i + 1)).(*sobek.Object); ok {
			for j := range int(pl.Get("length").ToInteger()) {
				transfer = append(transfer, pl.Get(fmt.Sprint(j)))
			}
		}
		msg, err := in.serializeOut(ro.Get(fmt.Sprint(i)), transfer)
		if err != nil {
			return nil, err
		}
		queued = append(queued, msg)
	}
	if jp := m.links[id]; jp != nil && jp.h != h {
		// New channel: the partner keeps end a; queued messages travel
		// to b as if posted again.
		if ro == nil || !ro.Get("0").ToBoolean() {
			delete(m.links, id)
			jp.h.Close()
		} else {
			jp.h.SetReceiver(jp)
		}
		for _, q := range queued {
			jp.h.PostMessage(q)
		}
	} else {
		h.unread(append(queued, pending...))
	}
	*out = append(*out, h)
	return portSlot(len(*out) - 1), nil
}

// serializeOut serializes a value leaving the runtime with its transfer
// list: transferred MessagePorts become handles in Message.Ports.
func (in *instance) serializeOut(v sobek.Value, transfer []sobek.Value) (Message, error) {
	r := in.realm()
	if len(transfer) == 0 {
		if d, ok := primitiveData(v); ok {
			return Message{Data: d}, nil
		}
		rec, err := r.Serialize(v, nil, in.msg.out)
		return Message{Record: rec}, err
	}
	var ports []*PortHandle
	hooks := in.msg.out
	hooks.Transfer = func(obj *sobek.Object) (structuredclone.HostValue, error) { return in.transferOut(obj, &ports) }
	rec, err := r.Serialize(v, transfer, hooks)
	if err != nil {
		for _, h := range ports {
			h.Close()
		}
		return Message{}, err
	}
	return Message{Record: rec, Ports: ports}, nil
}

// primitiveData returns the Go value of a primitive that needs no record:
// a string without unpaired surrogates, a number other than -0, NaN and
// the infinities (which JSON cannot write as JavaScript does), a boolean,
// null or undefined.
func primitiveData(v sobek.Value) (any, bool) {
	switch x := v.(type) {
	case *sobek.Object, *sobek.Symbol, nil:
		return nil, false
	case sobek.String:
		s := x.String()
		if strings.ContainsRune(s, utf8.RuneError) {
			return nil, false
		}
		return s, true
	}
	switch {
	case sobek.IsUndefined(v):
		return structuredclone.Undefined{}, true
	case sobek.IsNull(v):
		return nil, true
	case sobek.IsNumber(v):
		f := v.ToFloat()
		if math.IsNaN(f) || math.IsInf(f, 0) || (f == 0 && math.Signbit(f)) {
			return nil, false
		}
		return f, true
	}
	if b, ok := v.Export().(bool); ok {
		return b, true
	}
	return nil, false
}

// portsToJS makes MessagePorts of this runtime for the handles.
func (in *instance) portsToJS(hs []*PortHandle) ([]sobek.Value, error) {
	if len(hs) == 0 {
		return nil, nil
	}
	in.loadMessaging()
	m := &in.msg
	out := make([]sobek.Value, len(hs))
	for i, h := range hs {
		if h == nil {
			return nil, weberr.New(weberr.DataCloneError, "a nil MessagePort handle")
		}
		m.nextLink++
		id := m.nextLink
		jp := &jsPort{in: in, id: id, h: h}
		p, err := m.portIn(sobek.Undefined(), in.rt.ToValue(id))
		if err != nil {
			return nil, err
		}
		m.links[id] = jp
		h.SetReceiver(jp)
		out[i] = p
	}
	return out, nil
}

// messageToJS rebuilds a message from Go in this runtime: the data and
// the array of its MessagePorts (event.ports).
func (in *instance) messageToJS(msg Message) (data, ports sobek.Value, err error) {
	defer func() {
		if x := recover(); x != nil {
			ex, ok := x.(*sobek.Exception)
			if !ok {
				panic(x)
			}
			err = ex
		}
	}()
	jsPorts, err := in.portsToJS(msg.Ports)
	if err != nil {
		return nil, nil, err
	}
	ports = sobek.Undefined()
	if len(jsPorts) > 0 {
		items := make([]any, len(jsPorts))
		for i, p := range jsPorts {
			items[i] = p
		}
		ports = in.rt.NewArray(items...)
	}
	rec := msg.Record
	if rec == nil {
		switch x := msg.Data.(type) {
		case nil:
			return sobek.Null(), ports, nil
		case string:
			return in.rt.ToValue(x), ports, nil
		case float64, bool, int:
			return in.rt.ToValue(x), ports, nil
		}
		if rec, err = structuredclone.FromGo(msg.Data); err != nil {
			return nil, nil, err
		}
	}
	hooks := in.msg.out
	if rec.Transfers() > 0 {
		hooks.ReceiveTransfer = func(_ *sobek.Runtime, v structuredclone.HostValue) (sobek.Value, error) {
			i, ok := v.(portSlot)
			if !ok || int(i) < 0 || int(i) >= len(jsPorts) {
				return nil, weberr.New(weberr.DataCloneError, "a transferred object the message does not carry")
			}
			return jsPorts[i], nil
		}
	}
	data, _, err = in.realm().Deserialize(rec, hooks)
	if err != nil {
		return nil, nil, err
	}
	return data, ports, nil
}

// transferList reads a JavaScript transfer list (an array or undefined).
func transferList(v sobek.Value) []sobek.Value {
	o, ok := v.(*sobek.Object)
	if !ok {
		return nil
	}
	n := listLen(o)
	if n == 0 {
		return nil
	}
	out := make([]sobek.Value, n)
	for i := range n {
		out[i] = o.Get(fmt.Sprint(i))
	}
	return out
}

// messagingHost adds the host functions of structured clone and
// MessagePort to the bootstrap's host object.
func (in *instance) messagingHost(set func(string, func(sobek.FunctionCall) sobek.Value)) {
	set("msgInit", in.initMessaging)
	// requireArgs(fn, message) returns a native function that throws a
	// TypeError with message when called without arguments, and otherwise
	// calls fn with the same this and arguments.
	set("requireArgs", func(c sobek.FunctionCall) sobek.Value {
		fn, ok := sobek.AssertFunction(c.Argument(0))
		if !ok {
			panic(in.rt.NewTypeError("requireArgs: not a function"))
		}
		msg := c.Argument(1).String()
		return in.native("requireArgs", func(c sobek.FunctionCall) sobek.Value {
			if len(c.Arguments) == 0 {
				panic(in.rt.NewTypeError(msg))
			}
			v, err := fn(c.This, c.Arguments...)
			if err != nil {
				panic(err)
			}
			return v
		})
	})
	// clone(value, transfer) is structuredClone().
	set("clone", func(c sobek.FunctionCall) sobek.Value {
		v, err := in.realm().Clone(c.Argument(0), transferList(c.Argument(1)), in.msg.local)
		if err != nil {
			in.throw(err)
		}
		return v
	})
	// portPost(link, value, transfer) posts on a MessagePort entangled
	// with Go.
	set("portPost", func(c sobek.FunctionCall) sobek.Value {
		jp := in.msg.links[c.Argument(0).ToInteger()]
		msg, err := in.serializeOut(c.Argument(1), transferList(c.Argument(2)))
		if err != nil {
			in.throw(err)
		}
		if jp != nil {
			jp.h.PostMessage(msg)
		}
		return sobek.Undefined()
	})
	// portClose(link) closes a MessagePort entangled with Go.
	set("portClose", func(c sobek.FunctionCall) sobek.Value {
		id := c.Argument(0).ToInteger()
		if jp := in.msg.links[id]; jp != nil {
			delete(in.msg.links, id)
			jp.h.SetReceiver(nil)
			jp.h.Close()
		}
		return sobek.Undefined()
	})
}

// closePorts closes the Go ends of every MessagePort entangled with Go
// (the instance stopped; its loop no longer runs).
func (in *instance) closePorts() {
	for id, jp := range in.msg.links {
		delete(in.msg.links, id)
		jp.h.Close()
	}
}

// valueToJS converts a Go value to JavaScript as a message from Go would
// be (structuredclone.FromGo; object keys in sorted order), falling back
// to toJS for values structured clone refuses.
func (in *instance) valueToJS(v any) sobek.Value {
	if v == nil {
		return sobek.Null()
	}
	rec, err := structuredclone.FromGo(v)
	if err != nil {
		return in.toJS(v)
	}
	out, _, err := in.realm().Deserialize(rec, in.msg.out)
	if err != nil {
		return in.toJS(v)
	}
	return out
}

// stateGetters is host.stateGetters(kState, names, indexes): native
// getters, one per name, that return this[kState][index] and throw
// "Illegal invocation" for a receiver without that state. The fields of
// message events are read on every message; a native getter costs sobek
// no JavaScript frame.
func (in *instance) stateGetters(c sobek.FunctionCall) sobek.Value {
	rt := in.rt
	kState, _ := c.Argument(0).(*sobek.Symbol)
	names, _ := c.Argument(1).Export().([]any)
	idx, _ := c.Argument(2).Export().([]any)
	if kState == nil || len(names) != len(idx) {
		panic(rt.NewTypeError("stateGetters: bad arguments"))
	}
	out := rt.NewObject()
	for i, n := range names {
		name, _ := n.(string)
		key := fmt.Sprint(idx[i])
		get := in.native(name, func(c sobek.FunctionCall) sobek.Value {
			this, _ := c.This.(*sobek.Object)
			if this == nil {
				panic(rt.NewTypeError("Illegal invocation"))
			}
			st, _ := this.GetSymbol(kState).(*sobek.Object)
			if st == nil {
				panic(rt.NewTypeError("Illegal invocation"))
			}
			return st.Get(key)
		})
		_ = out.Set(name, get)
	}
	return out
}

// crossOriginPostMethod is host.crossOriginPostMethod(kState,
// CrossOriginServiceWorkerClient.prototype, noPorts, transferArg): it
// returns the native CrossOriginServiceWorkerClient.prototype.postMessage.
func (in *instance) crossOriginPostMethod(c sobek.FunctionCall) sobek.Value {
	rt := in.rt
	kState, _ := c.Argument(0).(*sobek.Symbol)
	proto, _ := c.Argument(1).(*sobek.Object)
	noPorts := c.Argument(2)
	toList, _ := sobek.AssertFunction(c.Argument(3))
	if kState == nil || proto == nil || toList == nil {
		panic(rt.NewTypeError("crossOriginPostMethod: bad arguments"))
	}
	return in.native("CrossOriginServiceWorkerClient.postMessage", func(c sobek.FunctionCall) sobek.Value {
		if len(c.Arguments) == 0 {
			panic(rt.NewTypeError("Failed to execute 'postMessage' on 'CrossOriginServiceWorkerClient': 1 argument required, but only 0 present."))
		}
		this, _ := c.This.(*sobek.Object)
		if this == nil || this.Prototype() != proto {
			panic(rt.NewTypeError("Illegal invocation"))
		}
		st, _ := this.GetSymbol(kState).(*sobek.Object)
		if st == nil {
			panic(rt.NewTypeError("Illegal invocation"))
		}
		var transfer []sobek.Value
		if t := c.Argument(1); !sobek.IsUndefined(t) && t != noPorts {
			list, err := toList(sobek.Undefined(), t)
			if err != nil {
				panic(err)
			}
			transfer = transferList(list)
		}
		hook := in.w.opts.Hooks.CrossOriginPostMessage
		if hook == nil {
			in.throw(weberr.New(weberr.InvalidStateError, "the cross-origin client's connection is not open"))
		}
		msg, err := in.serializeOut(c.Argument(0), transfer)
		if err != nil {
			in.throw(err)
		}
		if err := hook(st.Get("id").String(), msg); err != nil {
			for _, h := range msg.Ports {
				h.Close()
			}
			in.throw(err)
		}
		return sobek.Undefined()
	})
}

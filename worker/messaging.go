package worker

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/message"
	"github.com/swhost/swhost/webcrypto"
	"github.com/swhost/swhost/weberr"
)

// messaging is an instance's structured clone and MessagePort state. All
// fields are used on the loop only.
type messaging struct {
	realm       *structuredclone.Realm
	portProto   *sobek.Object // MessagePort.prototype, nil until the API loaded
	objectProto *sobek.Object // the realm's Object.prototype

	// Bootstrap functions, set when the messaging API loads.
	portIn, portMessage, portClosed, portDetach, portLink, hostKind, makeBlob, makeKey sobek.Callable

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

// blobValue is the host value of a Blob or a File.
type blobValue struct {
	bytes        []byte
	typ          string
	file         bool // a File: name and lastModified are set
	name         string
	lastModified float64
}

// jsPort reads, for a MessagePort of this runtime, the Go port it is
// entangled with: the MessagePort holds one end of a channel, and what
// arrives there is dispatched by tasks on the loop.
type jsPort struct {
	in     *instance
	id     int64
	h      *message.Port
	reader message.Reader

	mu        sync.Mutex
	scheduled bool // a drain task is submitted and has not started
}

func newJSPort(in *instance, id int64, h *message.Port) *jsPort {
	jp := &jsPort{in: in, id: id, h: h}
	jp.reader = message.Reader{Notify: jp.notify, Clone: true}
	return jp
}

// notify is the port's Reader.Notify: it submits a drain task unless one
// is waiting to start.
func (jp *jsPort) notify() {
	jp.mu.Lock()
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
// before the next message is dispatched), then, once the channel is
// closed and nothing is left, the close event (on the loop). Messages
// arriving meanwhile submit the next drain. It takes one message at a
// time: a listener that transfers the port away leaves the rest queued
// in the Go port, which goes with it.
func (jp *jsPort) drain() {
	in := jp.in
	jp.mu.Lock()
	jp.scheduled = false
	jp.mu.Unlock()
	for range jp.h.Len() {
		if in.msg.links[jp.id] != jp {
			return
		}
		m, ok := jp.h.TryRecv()
		if !ok {
			break
		}
		data, ports, err := in.messageToJS(m)
		if err != nil {
			in.w.log.Warn("MessagePort message could not be deserialized", "err", err)
			continue
		}
		in.callback(in.msg.portMessage, in.rt.ToValue(jp.id), data, ports)
	}
	// Closed first: once it is, nothing more arrives, so an empty queue
	// then stays empty.
	if in.msg.links[jp.id] == jp && jp.h.Closed() && jp.h.Len() == 0 {
		delete(in.msg.links, jp.id)
		in.callback(in.msg.portClosed, in.rt.ToValue(jp.id))
	}
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

// isPort reports whether obj is a MessagePort of this runtime.
func (in *instance) isPort(obj *sobek.Object) bool {
	return in.msg.portProto != nil && obj.Prototype() == in.msg.portProto
}

// portLink values besides the id of a Go channel end.
const (
	linkNone     = 0  // entangled within the runtime, or with nothing
	linkDetached = -1 // transferred away
	linkNotPort  = -2 // not a MessagePort (no port state)
)

// linkOf returns what the bootstrap's portLink says of obj: the id of the
// Go channel end the MessagePort is entangled with, or one of the link
// constants.
func (in *instance) linkOf(obj *sobek.Object) (int64, error) {
	if !in.isPort(obj) {
		return linkNotPort, nil
	}
	v, err := in.msg.portLink(sobek.Undefined(), obj)
	if err != nil {
		return 0, err
	}
	if sobek.IsUndefined(v) {
		return linkNotPort, nil
	}
	return v.ToInteger(), nil
}

// serializeHost is structured clone's question "is obj a platform
// object, and which?". An object whose prototype is Object.prototype is
// ordinary; for any other, the bootstrap's hostKind answers.
func (in *instance) serializeHost(obj *sobek.Object) (structuredclone.HostValue, bool, error) {
	m := &in.msg
	if m.hostKind == nil || obj.Prototype() == m.objectProto {
		return nil, false, nil
	}
	if in.isPort(obj) {
		return nil, false, weberr.New(weberr.DataCloneError, "a MessagePort that is not in the transfer list could not be cloned")
	}
	v, err := m.hostKind(sobek.Undefined(), obj)
	if err != nil {
		return nil, false, err
	}
	if o, ok := v.(*sobek.Object); ok { // ['Blob', bytes, type] or ['CryptoKey', handle]
		if o.Get("0").String() == "CryptoKey" {
			if k, ok := o.Get("1").Export().(*webcrypto.Key); ok {
				return k, true, nil // immutable: every realm may share it
			}
			return nil, false, weberr.New(weberr.DataCloneError, "a CryptoKey without its key could not be cloned")
		}
		b := blobValue{bytes: append([]byte(nil), bytesOf(o.Get("1"))...), typ: o.Get("2").String()}
		if o.Get("0").String() == "File" { // ['File', bytes, type, name, lastModified]
			b.file, b.name, b.lastModified = true, o.Get("3").String(), o.Get("4").ToFloat()
		}
		return b, true, nil
	}
	if sobek.IsUndefined(v) {
		return nil, false, nil
	}
	return nil, false, weberr.Errorf(weberr.DataCloneError, "#<%s> could not be cloned", v.String())
}

func (in *instance) deserializeHost(rt *sobek.Runtime, v structuredclone.HostValue) (sobek.Value, error) {
	switch x := v.(type) {
	case blobValue:
		buf := rt.ToValue(rt.NewArrayBuffer(append([]byte(nil), x.bytes...)))
		if x.file {
			return in.msg.makeBlob(sobek.Undefined(), buf, rt.ToValue(x.typ), rt.ToValue(x.name), rt.ToValue(x.lastModified))
		}
		return in.msg.makeBlob(sobek.Undefined(), buf, rt.ToValue(x.typ))
	case *webcrypto.Key:
		in.loadMessaging()
		return in.msg.makeKey(sobek.Undefined(), rt.ToValue(x))
	}
	return nil, weberr.Errorf(weberr.DataCloneError, "a host object (%T) this worker cannot rebuild", v)
}

func (in *instance) canTransfer(obj *sobek.Object) error {
	switch link, err := in.linkOf(obj); {
	case err != nil:
		return err
	case link == linkNotPort:
		return weberr.Errorf(weberr.DataCloneError, "%s in the transfer list is not transferable", describeValue(obj))
	case link == linkDetached:
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
// the Go port of the channel end it held; out collects the ports.
func (in *instance) transferOut(obj *sobek.Object, out *[]*message.Port) (structuredclone.HostValue, error) {
	m := &in.msg
	linkID, err := in.linkOf(obj)
	if err != nil {
		return nil, err
	}
	var h *message.Port
	var id int64
	if linkID > 0 {
		// Entangled with Go already: hand over the end this port held,
		// with what arrived on it and was not dispatched yet.
		jp := m.links[linkID]
		if jp == nil {
			return nil, weberr.New(weberr.DataCloneError, "a MessagePort whose channel is gone could not be transferred")
		}
		delete(m.links, linkID)
		jp.h.SetReader(nil)
		h, id = jp.h, linkID
	} else {
		// Entangled within the runtime (or with nothing): the partner
		// becomes entangled with Go through a new channel.
		m.nextLink++
		id = m.nextLink
		a, b := message.NewChannel()
		h = b
		m.links[id] = newJSPort(in, id, a)
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
			jp.h.SetReader(&jp.reader)
		}
		for _, q := range queued {
			_ = jp.h.PostMessage(q.Data, q.Ports...)
		}
	} else {
		// They had come from Go: back in front of what is queued.
		h.Unread(queued)
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
		if err != nil {
			return Message{}, err
		}
		return Message{Data: rec}, nil
	}
	var ports []*message.Port
	hooks := in.msg.out
	hooks.Transfer = func(obj *sobek.Object) (structuredclone.HostValue, error) { return in.transferOut(obj, &ports) }
	rec, err := r.Serialize(v, transfer, hooks)
	if err != nil {
		for _, h := range ports {
			h.Close()
		}
		return Message{}, err
	}
	return Message{Data: rec, Ports: ports}, nil
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

// portsToJS makes MessagePorts of this runtime for Go ports.
func (in *instance) portsToJS(hs []*message.Port) ([]sobek.Value, error) {
	if len(hs) == 0 {
		return nil, nil
	}
	in.loadMessaging()
	m := &in.msg
	out := make([]sobek.Value, len(hs))
	for i, h := range hs {
		if h == nil {
			return nil, weberr.New(weberr.DataCloneError, "a nil MessagePort in Message.Ports")
		}
		m.nextLink++
		id := m.nextLink
		jp := newJSPort(in, id, h)
		p, err := m.portIn(sobek.Undefined(), in.rt.ToValue(id))
		if err != nil {
			return nil, err
		}
		m.links[id] = jp
		h.SetReader(&jp.reader)
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
	rec, _ := msg.Data.(*structuredclone.Record)
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
	r := in.realm() // sets in.msg.out on first use
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
	data, _, err = r.Deserialize(rec, hooks)
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

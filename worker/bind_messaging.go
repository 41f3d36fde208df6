package worker

import (
	"github.com/grafana/sobek"
)

// Bindings of js/50_messaging.js: structured clone is Go's
// (internal/structuredclone), and so is the crossing of MessagePorts to
// and from Go (messaging.go).

// msgInit is host.msgInit(MessagePort.prototype, fns), called by the
// bootstrap when the messaging API loads. fns are the bootstrap's
// functions Go calls on ports and platform objects: portIn, portMessage,
// portClosed, portDetach, portLink, hostKind, makeBlob and makeKey.
func (in *instance) msgInit(proto, fns *sobek.Object) {
	m := &in.msg
	if fns == nil || proto == nil {
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
	m.portDetach, m.portLink = get("portDetach"), get("portLink")
	m.hostKind, m.makeBlob, m.makeKey = get("hostKind"), get("makeBlob"), get("makeKey")
	m.portProto = proto
	m.objectProto = in.rt.NewObject().Prototype()
}

// clone is host.clone(value, transfer): structuredClone().
func (in *instance) clone(v, transfer sobek.Value) sobek.Value {
	out, err := in.realm().Clone(v, transferList(transfer), in.msg.local)
	if err != nil {
		in.throw(err)
	}
	return out
}

// portPost is host.portPost(link, message, transfer): postMessage on a
// MessagePort entangled with the Go channel end link.
func (in *instance) portPost(link int64, message, transfer sobek.Value) {
	jp := in.msg.links[link]
	msg, err := in.serializeOut(message, transferList(transfer))
	if err != nil {
		in.throw(err)
	}
	if jp == nil {
		// The channel is gone: so are the ports the message carried.
		for _, p := range msg.Ports {
			p.Close()
		}
		return
	}
	if err := jp.h.PostMessage(msg.Data, msg.Ports...); err != nil {
		in.throw(err)
	}
}

// portClose is host.portClose(link): close() on a MessagePort entangled
// with the Go channel end link.
func (in *instance) portClose(link int64) {
	if jp := in.msg.links[link]; jp != nil {
		delete(in.msg.links, link)
		jp.h.SetReader(nil)
		jp.h.Close()
	}
}

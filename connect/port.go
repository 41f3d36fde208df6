package connect

import (
	"context"
	"encoding/json"
	"errors"
	"sync"

	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// ErrClosed is returned by Port.Recv once the port is closed (by its own
// Close, by the other end, or because the client went away) and every
// message that arrived before has been received.
var ErrClosed = errors.New("connect: the port is closed")

// Message is one message on a connection: its data and the message
// ports it transfers.
//
// Data is what the sender posted. A message posted by a JavaScript worker
// (event.source.postMessage, or a MessagePort entangled with Go) carries
// a string, float64, bool, nil (null) or [Undefined] for those primitives,
// and otherwise a *[Record], the structured-clone record of the value
// (see [worker.Message] for the exact split): Date, RegExp, Map,
// Set, ArrayBuffer and typed arrays, errors, shared and cyclic objects
// are all kept, and a worker that receives the record again rebuilds
// them. A message posted by Go code carries the Go value as posted (a Go
// service receives it as is, not copied); one bound for a worker is
// serialized when posted, as [worker.Message] describes (plain Go values;
// [RegExp], [Map], [Set], *[ErrorValue] and [Undefined] for the JavaScript
// types Go has no value for; a *Record as is), and a value that cannot be
// cloned (a func, a channel) fails PostMessage with a DataCloneError.
//
// [Message.Value] gives the data as Go values whichever the sender, and
// json.Marshal(m.Data) writes what JSON.stringify would. A record that
// carries transferred ArrayBuffers or ports can be delivered to a worker
// once (posting it again fails there with a DataCloneError, logged); the
// ports themselves are in Ports, and ports placed inside the data come out
// of Value as opaque host values.
type Message struct {
	Data  any
	Ports []*Port
}

// Value returns the message's data as Go values: a *Record is exported
// ([Record.Export]: objects as map[string]any, arrays as []any, numbers as
// float64, Dates as time.Time, ArrayBuffers and typed arrays as []byte,
// Map, Set, RegExp and errors as [Map], [Set], [RegExp] and *[ErrorValue]);
// a json.RawMessage (what the CLI and the bridge post for JSON) is read as
// JSON.parse would and exported the same way; other data is returned as
// posted.
func (m Message) Value() any {
	switch d := m.Data.(type) {
	case *Record:
		return d.Export()
	case json.RawMessage:
		if rec, err := structuredclone.FromJSON(d); err == nil {
			return rec.Export()
		}
	}
	return m.Data
}

// Types of message data: aliases of the structured-clone package's, so
// Go code can send and receive the JavaScript values Go has no type for.
type (
	// Record is a structured-clone record: a JavaScript value serialized
	// as Go data. It marshals to JSON as JSON.stringify would write the
	// value (MarshalJSON) and exports to Go values (Export).
	Record = structuredclone.Record
	// RegExp is a JavaScript RegExp (source and flags).
	RegExp = structuredclone.RegExp
	// Map is a JavaScript Map: its entries in order.
	Map = structuredclone.Map
	// Set is a JavaScript Set: its values in order.
	Set = structuredclone.Set
	// ErrorValue is a JavaScript error (name and message).
	ErrorValue = structuredclone.ErrorValue
	// Undefined is JavaScript's undefined (nil is null).
	Undefined = structuredclone.Undefined
)

// sink is where a port's outgoing messages go: the inbox of the other
// port of a Go channel, or a connection's delivery queue to a worker.
type sink interface {
	// post queues msg for the other end; it never blocks.
	post(msg Message) error
	// hangUp tells the other end that this end closed.
	hangUp()
}

// Port is one end of a message channel, as a Go program holds it: the
// client end of a connection returned by Connect, the service end handed
// to a native Service, or either end of NewChannel. Messages posted on a
// port arrive at the other end in order. Its methods are safe for
// concurrent use.
type Port struct {
	mu       sync.Mutex
	peer     sink      // nil once closed or detached
	inbox    []Message // received, from index head on
	head     int
	notify   chan struct{} // closed and replaced when inbox grows while waiting is set, or the port closes
	waiting  bool          // a Recv waits on notify
	closed   bool
	detached bool // transferred away: this object is no longer usable
	onClose  []func()
	// fwd, when set, is the Go end of a channel to a JavaScript
	// MessagePort that took this port's place (the port was transferred
	// to a worker): what arrives here goes on to it.
	fwd *worker.PortHandle
}

func newPort() *Port { return &Port{notify: make(chan struct{})} }

// NewChannel returns two entangled ports, as new MessageChannel() does:
// what is posted on one arrives on the other.
func NewChannel() (*Port, *Port) {
	a, b := newPort(), newPort()
	a.peer, b.peer = portSink{b}, portSink{a}
	return a, b
}

// portSink delivers into another Go port's inbox.
type portSink struct{ p *Port }

func (s portSink) post(msg Message) error { s.p.receive(msg); return nil }
func (s portSink) hangUp()                { s.p.peerClosed() }

// PostMessage sends data to the other end, transferring the given ports
// with it (they arrive in Message.Ports and can no longer be used by the
// sender). It fails with InvalidStateError on a transferred port and with
// DataCloneError when the transfer list holds this port, a port twice or
// a transferred port, or when data bound for a worker cannot be cloned
// (see [Message]). Ports can go to a worker (they become MessagePorts in
// its event.ports) as well as to Go services. On a closed port the message
// is dropped, as MessagePort.postMessage does.
func (p *Port) PostMessage(data any, transfer ...*Port) error {
	p.mu.Lock()
	peer, detached := p.peer, p.detached
	p.mu.Unlock()
	if detached {
		return weberr.New(weberr.InvalidStateError, "postMessage on a MessagePort that was transferred")
	}
	if len(transfer) == 0 {
		if peer == nil {
			return nil
		}
		return peer.post(Message{Data: data})
	}
	seen := make(map[*Port]bool, len(transfer))
	for _, t := range transfer {
		switch {
		case t == nil:
			return weberr.New(weberr.DataCloneError, "a nil MessagePort in the transfer list")
		case t == p:
			return weberr.New(weberr.DataCloneError, "a MessagePort cannot transfer itself")
		case seen[t]:
			return weberr.New(weberr.DataCloneError, "a duplicate MessagePort in the transfer list")
		}
		seen[t] = true
		t.mu.Lock()
		gone := t.detached
		t.mu.Unlock()
		if gone {
			return weberr.New(weberr.DataCloneError, "a transferred MessagePort could not be cloned")
		}
	}
	msg := Message{Data: data}
	switch peer.(type) {
	case *conn, handleSink:
		// Bound for a worker: fail before the ports are transferred.
		if err := cloneGo(&msg); err != nil {
			return err
		}
	}
	for _, t := range transfer {
		msg.Ports = append(msg.Ports, t.transfer())
	}
	if peer == nil {
		return nil
	}
	return peer.post(msg)
}

// transfer moves the port's entanglement and queued messages to a new
// Port object and detaches this one.
func (p *Port) transfer() *Port {
	p.mu.Lock()
	defer p.mu.Unlock()
	np := &Port{peer: p.peer, inbox: p.inbox[p.head:], notify: make(chan struct{}), closed: p.closed, onClose: p.onClose}
	if ps, ok := p.peer.(portSink); ok {
		ps.p.mu.Lock()
		if other, ok := ps.p.peer.(portSink); ok && other.p == p {
			ps.p.peer = portSink{np}
		}
		ps.p.mu.Unlock()
	}
	if rb, ok := p.peer.(rebinder); ok {
		rb.rebind(np)
	}
	if hs, ok := p.peer.(handleSink); ok {
		hs.h.SetReceiver(portReceiver{np})
	}
	p.peer, p.inbox, p.head, p.onClose, p.detached = nil, nil, 0, nil, true
	close(p.notify)
	p.notify = make(chan struct{})
	return np
}

// rebinder is a sink that delivers replies to a port and must follow it
// when the port is transferred.
type rebinder interface{ rebind(p *Port) }

// receive appends msg to the inbox (never blocks).
func (p *Port) receive(msg Message) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || p.detached {
		return
	}
	if p.fwd != nil {
		p.fwd.PostMessage(toWorker(msg))
		return
	}
	p.inbox = append(p.inbox, msg)
	if p.waiting {
		p.waiting = false
		close(p.notify)
		p.notify = make(chan struct{})
	}
}

// Recv returns the next message, waiting for one. Once the port is closed
// and its queue is empty it returns ErrClosed; it returns ctx's error
// when ctx ends first.
func (p *Port) Recv(ctx context.Context) (Message, error) {
	for {
		p.mu.Lock()
		if p.head < len(p.inbox) {
			m := p.inbox[p.head]
			p.inbox[p.head] = Message{}
			p.head++
			if p.head == len(p.inbox) {
				// Empty: reuse the slice from its start.
				p.inbox, p.head = p.inbox[:0], 0
			}
			p.mu.Unlock()
			return m, nil
		}
		if p.closed || p.detached {
			p.mu.Unlock()
			return Message{}, ErrClosed
		}
		ch := p.notify
		p.waiting = true
		p.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return Message{}, ctx.Err()
		}
	}
}

// Closed reports whether the port is closed (by either end) or detached.
func (p *Port) Closed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed || p.detached
}

// Done returns a channel that is closed when the port closes.
func (p *Port) Done() <-chan struct{} {
	ch := make(chan struct{})
	p.mu.Lock()
	if p.closed || p.detached {
		p.mu.Unlock()
		close(ch)
		return ch
	}
	p.onClose = append(p.onClose, func() { close(ch) })
	p.mu.Unlock()
	return ch
}

// Close closes the port and tells the other end. For the client end of a
// connection this removes the client from its registration's
// cross-origin clients at once. Messages already received stay readable
// with Recv.
func (p *Port) Close() {
	p.mu.Lock()
	if p.closed || p.detached {
		p.mu.Unlock()
		return
	}
	peer := p.peer
	p.peer = nil
	fns := p.finishLocked()
	p.mu.Unlock()
	if peer != nil {
		peer.hangUp()
	}
	for _, f := range fns {
		f()
	}
}

// peerClosed closes the port because the other end went away.
func (p *Port) peerClosed() {
	p.mu.Lock()
	if p.closed || p.detached {
		p.mu.Unlock()
		return
	}
	if p.fwd != nil {
		p.fwd.Close()
	}
	p.peer = nil
	fns := p.finishLocked()
	p.mu.Unlock()
	for _, f := range fns {
		f()
	}
}

func (p *Port) finishLocked() []func() {
	p.closed = true
	close(p.notify)
	p.notify = make(chan struct{})
	fns := p.onClose
	p.onClose = nil
	return fns
}

// flusher is a sink that can tell when what was posted has been handled.
type flusher interface {
	flush(ctx context.Context) error
}

// Flush waits until every message posted on p so far has been handled by
// the other end (for a connection to a worker: its crossoriginmessage
// event finished), or p closed. For a port of a Go channel it returns at
// once: the messages are already in the other port's queue.
func (p *Port) Flush(ctx context.Context) error {
	p.mu.Lock()
	peer := p.peer
	p.mu.Unlock()
	if f, ok := peer.(flusher); ok {
		return f.flush(ctx)
	}
	return nil
}

// Ports crossing to and from JavaScript workers. A worker's MessagePort
// is entangled with Go through a worker.PortHandle: a port that came out
// of a worker is a *Port whose sink is the handle (handleSink) and which
// receives from it (portReceiver); a *Port transferred into a worker
// stays behind as a forwarder (fwd) between its own peer and the handle
// whose other end the worker holds.

// handleSink posts into the channel end a worker's MessagePort holds.
type handleSink struct{ h *worker.PortHandle }

func (s handleSink) post(msg Message) error {
	if err := cloneGo(&msg); err != nil {
		return err
	}
	s.h.PostMessage(toWorker(msg))
	return nil
}

func (s handleSink) hangUp() { s.h.Close() }

// cloneGo serializes Go data bound for a worker at once, so that a value
// that cannot be cloned fails PostMessage (DataCloneError) and later
// changes to the posted Go value do not reach the worker. Strings,
// numbers, booleans and nil need no record.
func cloneGo(msg *Message) error {
	switch msg.Data.(type) {
	case nil, string, float64, bool, *Record:
		return nil
	}
	rec, err := structuredclone.FromGo(msg.Data)
	if err != nil {
		return err
	}
	msg.Data = rec
	return nil
}

// portReceiver delivers what a worker's MessagePort posts into a Go port.
type portReceiver struct{ p *Port }

func (r portReceiver) ReceiveMessage(msg worker.Message) { r.p.receive(fromWorker(msg)) }
func (r portReceiver) PeerClosed()                       { r.p.peerClosed() }

// forwarder sends what the worker's MessagePort posts on to the peer of
// the port it replaced, and closes that port when the worker's closes.
type forwarder struct{ p *Port }

func (f forwarder) ReceiveMessage(msg worker.Message) {
	f.p.mu.Lock()
	peer := f.p.peer
	f.p.mu.Unlock()
	if peer != nil {
		_ = peer.post(fromWorker(msg))
	}
}

func (f forwarder) PeerClosed() { f.p.Close() }

// fromWorker converts a message a worker posted.
func fromWorker(wm worker.Message) Message {
	m := Message{Data: wm.Data}
	if wm.Record != nil {
		m.Data = wm.Record
	}
	if len(wm.Ports) > 0 {
		m.Ports = make([]*Port, len(wm.Ports))
		for i, h := range wm.Ports {
			p := newPort()
			p.peer = handleSink{h}
			m.Ports[i] = p
			h.SetReceiver(portReceiver{p})
		}
	}
	return m
}

// toWorker converts a message for a worker; each port (already
// transferred by PostMessage) becomes a channel end the worker's
// MessagePort will hold.
func toWorker(m Message) worker.Message {
	var wm worker.Message
	if rec, ok := m.Data.(*Record); ok {
		wm.Record = rec
	} else {
		wm.Data = m.Data
	}
	if len(m.Ports) > 0 {
		wm.Ports = make([]*worker.PortHandle, len(m.Ports))
		for i, p := range m.Ports {
			wm.Ports[i] = p.toHandle()
		}
	}
	return wm
}

// toHandle turns the port into a forwarder to a new channel and returns
// the channel's other end, for a worker.
func (p *Port) toHandle() *worker.PortHandle {
	a, b := worker.NewPortPair()
	p.mu.Lock()
	if p.closed || p.detached || p.peer == nil {
		p.mu.Unlock()
		a.Close()
		return b
	}
	p.fwd = a
	inbox := p.inbox[p.head:]
	p.inbox, p.head = nil, 0
	for _, m := range inbox {
		a.PostMessage(toWorker(m))
	}
	p.mu.Unlock()
	a.SetReceiver(forwarder{p})
	return b
}

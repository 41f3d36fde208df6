package connect

import (
	"context"
	"errors"
	"sync"

	"github.com/swhost/swhost/weberr"
)

// ErrClosed is returned by Port.Recv once the port is closed (by its own
// Close, by the other end, or because the client went away) and every
// message that arrived before has been received.
var ErrClosed = errors.New("connect: the port is closed")

// Message is one message on a connection: structured-clone data exported
// to Go (maps, slices, strings, float64/int64, bool, nil, []byte for
// buffers, time.Time; see worker.Message) and the message ports it
// transfers.
type Message struct {
	Data  any
	Ports []*Port
}

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
	peer     sink // nil once closed or detached
	inbox    []Message
	notify   chan struct{} // closed and replaced when inbox grows or the port closes
	closed   bool
	detached bool // transferred away: this object is no longer usable
	onClose  []func()
	// rejectPorts makes PostMessage refuse transfers (a peer that cannot
	// receive ports: a JavaScript worker).
	rejectPorts bool
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
// a transferred port. On a closed port the message is dropped, as
// MessagePort.postMessage does.
func (p *Port) PostMessage(data any, transfer ...*Port) error {
	p.mu.Lock()
	peer, detached, noPorts := p.peer, p.detached, p.rejectPorts
	p.mu.Unlock()
	if detached {
		return weberr.New(weberr.InvalidStateError, "postMessage on a MessagePort that was transferred")
	}
	if len(transfer) > 0 && noPorts {
		return weberr.New(weberr.DataCloneError, "this connection's service cannot receive MessagePorts: transferring ports to a JavaScript worker is not supported yet")
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
	np := &Port{peer: p.peer, inbox: p.inbox, notify: make(chan struct{}), closed: p.closed, onClose: p.onClose, rejectPorts: p.rejectPorts}
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
	p.peer, p.inbox, p.onClose, p.detached = nil, nil, nil, true
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
	p.inbox = append(p.inbox, msg)
	close(p.notify)
	p.notify = make(chan struct{})
}

// Recv returns the next message, waiting for one. Once the port is closed
// and its queue is empty it returns ErrClosed; it returns ctx's error
// when ctx ends first.
func (p *Port) Recv(ctx context.Context) (Message, error) {
	for {
		p.mu.Lock()
		if len(p.inbox) > 0 {
			m := p.inbox[0]
			p.inbox[0] = Message{}
			p.inbox = p.inbox[1:]
			p.mu.Unlock()
			return m, nil
		}
		if p.closed || p.detached {
			p.mu.Unlock()
			return Message{}, ErrClosed
		}
		ch := p.notify
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

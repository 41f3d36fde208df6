package worker

import "sync"

// PortReceiver receives what arrives at one end of a message channel
// that crosses the worker boundary. Its methods are called in order, one
// at a time, from whichever goroutine posted; they must not block and
// must not call back into the same channel's handles.
type PortReceiver interface {
	// ReceiveMessage is called once per message posted at the other end.
	ReceiveMessage(msg Message)
	// PeerClosed is called once, after the last message, when the other
	// end closed.
	PeerClosed()
}

// PortHandle is one end of a message channel that crosses the worker
// boundary: a MessagePort transferred between Go and a worker travels as
// a PortHandle in [Message.Ports]. Whoever holds a handle owns that end:
// it reads with SetReceiver, writes with PostMessage and hangs up with
// Close. A worker that receives a handle makes it a JavaScript
// MessagePort (event.ports); a worker that transfers a MessagePort out
// hands over a handle whose other end stays with the worker.
//
// Messages are delivered in order and none is lost while both ends are
// open: until a receiver is set they wait in the handle. Closing either
// end closes the other. Its methods are safe for concurrent use.
type PortHandle struct {
	p    *pipe
	side int
}

type pipe struct {
	mu   sync.Mutex
	idle sync.Cond // on mu: signalled when an end stops delivering
	ends [2]pipeEnd
}

type pipeEnd struct {
	recv       PortReceiver
	queue      []Message
	delivering bool // a goroutine is handing queue to recv
	closed     bool // this end closed
	peerGone   bool // the other end closed; PeerClosed is owed or was made
	told       bool // PeerClosed was called
}

// NewPortPair returns the two ends of a new message channel, as
// new MessageChannel() does.
func NewPortPair() (*PortHandle, *PortHandle) {
	p := &pipe{}
	p.idle.L = &p.mu
	return &PortHandle{p: p, side: 0}, &PortHandle{p: p, side: 1}
}

// PostMessage sends msg to the other end. It never blocks; on a closed
// channel the message is dropped.
func (h *PortHandle) PostMessage(msg Message) {
	p := h.p
	p.mu.Lock()
	if p.ends[h.side].closed || p.ends[h.side].peerGone {
		p.mu.Unlock()
		return
	}
	other := &p.ends[1-h.side]
	other.queue = append(other.queue, msg)
	p.deliverLocked(1 - h.side)
}

// SetReceiver makes r receive this end's messages, starting with those
// already waiting; nil makes messages wait again. When it returns, the
// previous receiver is not being called and will not be called again.
func (h *PortHandle) SetReceiver(r PortReceiver) {
	p := h.p
	p.mu.Lock()
	e := &p.ends[h.side]
	e.recv = r
	if r == nil {
		for e.delivering {
			p.idle.Wait()
		}
		p.mu.Unlock()
		return
	}
	p.deliverLocked(h.side)
}

// unread puts msgs back in front of this end's queue (messages a worker
// had received but not dispatched when its MessagePort was transferred).
func (h *PortHandle) unread(msgs []Message) {
	if len(msgs) == 0 {
		return
	}
	p := h.p
	p.mu.Lock()
	e := &p.ends[h.side]
	e.queue = append(msgs[:len(msgs):len(msgs)], e.queue...)
	p.mu.Unlock()
}

// Close closes this end; the other end's receiver gets PeerClosed after
// the messages already posted to it.
func (h *PortHandle) Close() {
	p := h.p
	p.mu.Lock()
	e := &p.ends[h.side]
	if e.closed {
		p.mu.Unlock()
		return
	}
	e.closed, e.queue, e.recv = true, nil, nil
	p.ends[1-h.side].peerGone = true
	p.deliverLocked(1 - h.side)
}

// Closed reports whether either end closed.
func (h *PortHandle) Closed() bool {
	h.p.mu.Lock()
	defer h.p.mu.Unlock()
	e := &h.p.ends[h.side]
	return e.closed || e.peerGone
}

// deliverLocked hands end i's queue to its receiver unless another
// goroutine is doing so; it unlocks p.mu. Receivers are called without the
// lock, one at a time, in order.
func (p *pipe) deliverLocked(i int) {
	e := &p.ends[i]
	if e.delivering || e.recv == nil || e.closed {
		p.mu.Unlock()
		return
	}
	e.delivering = true
	for {
		r := e.recv
		if r == nil || e.closed {
			break
		}
		if len(e.queue) > 0 {
			m := e.queue[0]
			e.queue[0] = Message{}
			e.queue = e.queue[1:]
			p.mu.Unlock()
			r.ReceiveMessage(m)
			p.mu.Lock()
			continue
		}
		if e.peerGone && !e.told {
			e.told = true
			p.mu.Unlock()
			r.PeerClosed()
			p.mu.Lock()
		}
		break
	}
	e.delivering = false
	p.idle.Broadcast()
	p.mu.Unlock()
}

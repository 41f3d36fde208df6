package message

import (
	"context"
	"errors"
	"sync"

	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/weberr"
)

// ErrClosed is returned by [Port.Recv] once the channel is closed (by
// either end's Close, or because a worker holding one end stopped) and
// every message that arrived before has been received, and by Recv on a
// Port object that was transferred away.
var ErrClosed = errors.New("message: the port is closed")

// Port is one end of a channel made by [NewChannel], as a MessagePort is:
// what is posted on it arrives at the other end. Its methods are safe
// for concurrent use.
//
// Delivery is ordered and exactly-once while the channel is open: the
// messages posted on a port arrive at the other end in the order the
// PostMessage calls returned (one goroutine's posts in its order), each
// once, and are queued there until read, however long that takes.
// Closing either end closes the channel: later posts are dropped, and
// what each end had received stays readable.
//
// One reader takes a port's messages: a Go program calling [Port.Recv]
// (or [Port.TryRecv]), or a [Reader] set with [Port.SetReader]. Whoever
// holds a Port may post on it from any goroutine.
//
// A Port posted in a transfer list moves: the posted object is detached
// (its methods then fail or report the port closed) and the receiver
// gets a new Port object for the same end, with the messages queued on
// it. A Port put in a [Message] handed directly to a worker (not through
// PostMessage) belongs to the worker from then on.
type Port struct {
	ch       *channel
	side     int  // this port's end: ch.ends[side]
	detached bool // guarded by ch.mu: transferred; this object is no longer usable
}

// channel is the state two entangled ports share.
type channel struct {
	mu     sync.Mutex
	closed bool
	ends   [2]end
}

// end is what one side of a channel has received and who reads it.
type end struct {
	queue   []Message     // received, from head on
	head    int           // index of the next message to read
	wait    chan struct{} // non-nil while a Recv waits; closed to wake it
	reader  Reader        // zero when read by Recv
	onClose []func()      // called once when the channel closes (Done)
}

// NewChannel returns two entangled ports, as new MessageChannel() does:
// what is posted on one arrives on the other.
func NewChannel() (*Port, *Port) {
	c := &channel{}
	return &Port{ch: c, side: 0}, &Port{ch: c, side: 1}
}

// Reader reads a port by notification instead of blocking in Recv: a
// worker's MessagePort, whose messages are dispatched by tasks on the
// worker's event loop, or a connection that delivers its messages to a
// service worker. It is set with [Port.SetReader].
type Reader struct {
	// Notify is called after a message arrives at the port, after
	// SetReader when messages are already queued or the channel is
	// closed, and once after the other end closes the channel (not when
	// this end does); the reader then takes the messages with TryRecv,
	// and knows the channel closed when Closed reports it with none left
	// (Len is 0). It is called on the goroutine that posted or closed,
	// without locks held, possibly from several goroutines at once and
	// (a call already under way) after SetReader replaced the reader. It
	// must not block, and may call the port's methods.
	Notify func()
	// Clone asks that Go data posted toward the port be serialized with
	// structured clone when posted, because the reader hands it to
	// JavaScript: PostMessage at the other end then fails with a
	// DataCloneError for a value that cannot be cloned, before any port
	// of its transfer list moves, and later changes to the posted Go
	// value do not reach the reader. Data already a *Record, nil, a
	// string, a float64 or a bool is posted as is.
	Clone bool
	// Flush, when set, is what Flush at the other end calls: it returns
	// nil once the reader has handled every message queued at the port
	// when it was called (or the channel closed), or ctx's error.
	Flush func(ctx context.Context) error
}

// SetReader makes r the reader of p's messages, in place of Recv; nil
// removes the reader. The Reader is copied. When messages are already
// queued, or the channel is closed, r.Notify is called before SetReader
// returns. On a transferred Port object it does nothing.
func (p *Port) SetReader(r *Reader) {
	c := p.ch
	c.mu.Lock()
	if p.detached {
		c.mu.Unlock()
		return
	}
	e := &c.ends[p.side]
	if r == nil {
		e.reader = Reader{}
		c.mu.Unlock()
		return
	}
	e.reader = *r
	pending := e.head < len(e.queue) || c.closed
	c.mu.Unlock()
	if pending && r.Notify != nil {
		r.Notify()
	}
}

// PostMessage sends data to the other end, transferring the given ports
// with it: they arrive in [Message.Ports], in order, as new Port objects,
// and the ones given here are detached. It never blocks.
//
// It fails with an InvalidStateError on a transferred Port object, and
// with a DataCloneError when the transfer list holds nil, p itself, a
// port twice or a transferred port, or when the other end's reader
// clones (see [Reader.Clone]) and data cannot be cloned; then no port
// moved. On a closed channel the message is dropped and nil returned, as
// MessagePort.postMessage does; the ports it transferred are closed.
func (p *Port) PostMessage(data any, transfer ...*Port) error {
	msg := Message{Data: data}
	if len(transfer) > 0 || needsRecord(data) {
		clone, err := p.peerClones()
		if err != nil {
			return err
		}
		if err := p.checkTransfer(transfer); err != nil {
			return err
		}
		if clone && needsRecord(data) {
			rec, err := structuredclone.FromGo(data)
			if err != nil {
				return err
			}
			msg.Data = rec
		}
	}
	if len(transfer) > 0 {
		msg.Ports = make([]*Port, 0, len(transfer))
		for _, t := range transfer {
			np := t.transfer()
			if np == nil {
				// Another post transferred t meanwhile.
				closeAll(msg.Ports)
				return weberr.New(weberr.DataCloneError, "a transferred MessagePort could not be cloned")
			}
			msg.Ports = append(msg.Ports, np)
		}
	}
	return p.deliver(msg)
}

// errDetached is the error of PostMessage on a transferred Port object.
func errDetached() error {
	return weberr.New(weberr.InvalidStateError, "postMessage on a MessagePort that was transferred")
}

// peerClones reports whether the other end's reader wants Go data
// serialized when posted.
func (p *Port) peerClones() (bool, error) {
	c := p.ch
	c.mu.Lock()
	defer c.mu.Unlock()
	if p.detached {
		return false, errDetached()
	}
	return c.ends[1-p.side].reader.Clone, nil
}

// checkTransfer checks a transfer list as postMessage does.
func (p *Port) checkTransfer(transfer []*Port) error {
	var seen map[*Port]bool
	if len(transfer) > 8 {
		seen = make(map[*Port]bool, len(transfer))
	}
	for i, t := range transfer {
		switch {
		case t == nil:
			return weberr.New(weberr.DataCloneError, "a nil MessagePort in the transfer list")
		case t == p:
			return weberr.New(weberr.DataCloneError, "a MessagePort cannot transfer itself")
		}
		dup := false
		if seen != nil {
			dup = seen[t]
			seen[t] = true
		} else {
			for _, u := range transfer[:i] {
				dup = dup || u == t
			}
		}
		if dup {
			return weberr.New(weberr.DataCloneError, "a duplicate MessagePort in the transfer list")
		}
		t.ch.mu.Lock()
		gone := t.detached
		t.ch.mu.Unlock()
		if gone {
			return weberr.New(weberr.DataCloneError, "a transferred MessagePort could not be cloned")
		}
	}
	return nil
}

// transfer detaches p and returns a new Port object for its end (its
// queue stays with the end), or nil when p was already detached. A Recv
// waiting on p returns ErrClosed; p's reader is removed.
func (p *Port) transfer() *Port {
	c := p.ch
	c.mu.Lock()
	defer c.mu.Unlock()
	if p.detached {
		return nil
	}
	p.detached = true
	e := &c.ends[p.side]
	e.reader = Reader{}
	e.wake()
	return &Port{ch: c, side: p.side}
}

// deliver appends msg to the other end's queue and tells its reader.
func (p *Port) deliver(msg Message) error {
	c := p.ch
	c.mu.Lock()
	if p.detached || c.closed {
		detached := p.detached
		c.mu.Unlock()
		closeAll(msg.Ports)
		if detached {
			return errDetached()
		}
		return nil
	}
	e := &c.ends[1-p.side]
	e.push(msg)
	e.wake()
	notify := e.reader.Notify
	c.mu.Unlock()
	if notify != nil {
		notify()
	}
	return nil
}

// push appends msg to the queue, first moving the unread messages to the
// front when at least half of a full queue was read.
func (e *end) push(msg Message) {
	if e.head > 0 && len(e.queue) == cap(e.queue) && e.head >= len(e.queue)/2 {
		n := copy(e.queue, e.queue[e.head:])
		clear(e.queue[n:])
		e.queue, e.head = e.queue[:n], 0
	}
	e.queue = append(e.queue, msg)
}

// pop removes and returns the next message, if any.
func (e *end) pop() (Message, bool) {
	if e.head == len(e.queue) {
		return Message{}, false
	}
	m := e.queue[e.head]
	e.queue[e.head] = Message{}
	e.head++
	if e.head == len(e.queue) {
		e.queue, e.head = e.queue[:0], 0
	}
	return m, true
}

// wake wakes the Recv calls waiting on the end.
func (e *end) wake() {
	if e.wait != nil {
		close(e.wait)
		e.wait = nil
	}
}

// Recv returns the next message, waiting for one. Once the channel is
// closed and every message that arrived before has been received, it
// returns ErrClosed; on a transferred Port object it returns ErrClosed;
// when ctx ends first it returns ctx's error.
func (p *Port) Recv(ctx context.Context) (Message, error) {
	c := p.ch
	for {
		c.mu.Lock()
		if p.detached {
			c.mu.Unlock()
			return Message{}, ErrClosed
		}
		e := &c.ends[p.side]
		if m, ok := e.pop(); ok {
			c.mu.Unlock()
			return m, nil
		}
		if c.closed {
			c.mu.Unlock()
			return Message{}, ErrClosed
		}
		if e.wait == nil {
			e.wait = make(chan struct{})
		}
		w := e.wait
		c.mu.Unlock()
		select {
		case <-w:
		case <-ctx.Done():
			return Message{}, ctx.Err()
		}
	}
}

// TryRecv returns the next message without waiting; ok is false when
// none is queued (or p is a transferred Port object).
func (p *Port) TryRecv() (m Message, ok bool) {
	c := p.ch
	c.mu.Lock()
	defer c.mu.Unlock()
	if p.detached {
		return Message{}, false
	}
	return c.ends[p.side].pop()
}

// Len returns the number of messages queued at p, not yet received.
func (p *Port) Len() int {
	c := p.ch
	c.mu.Lock()
	defer c.mu.Unlock()
	if p.detached {
		return 0
	}
	e := &c.ends[p.side]
	return len(e.queue) - e.head
}

// Unread puts msgs back at the front of p's queue, in order: the next
// TryRecv or Recv returns msgs[0]. It is for a reader that took messages
// and hands the port on before handling them (a worker's MessagePort
// transferred away with messages not yet dispatched). It tells p's
// reader, as an arriving message does. On a transferred Port object the
// messages are dropped and their ports closed.
func (p *Port) Unread(msgs []Message) {
	if len(msgs) == 0 {
		return
	}
	c := p.ch
	c.mu.Lock()
	if p.detached {
		c.mu.Unlock()
		for _, m := range msgs {
			closeAll(m.Ports)
		}
		return
	}
	e := &c.ends[p.side]
	rest := e.queue[e.head:]
	q := make([]Message, 0, len(msgs)+len(rest))
	e.queue, e.head = append(append(q, msgs...), rest...), 0
	e.wake()
	notify := e.reader.Notify
	c.mu.Unlock()
	if notify != nil {
		notify()
	}
}

// Close closes the channel: later posts on either end are dropped, Recv
// at either end returns ErrClosed once it has returned what had arrived,
// the other end's reader is notified, and both ends' Done channels are
// closed, all before Close returns. Closing a closed channel, or a
// transferred Port object, does nothing.
func (p *Port) Close() {
	c := p.ch
	c.mu.Lock()
	if p.detached || c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	var fns []func()
	for i := range c.ends {
		e := &c.ends[i]
		e.wake()
		fns = append(fns, e.onClose...)
		e.onClose = nil
	}
	notify := c.ends[1-p.side].reader.Notify
	c.mu.Unlock()
	for _, f := range fns {
		f()
	}
	if notify != nil {
		notify()
	}
}

// Closed reports whether the channel is closed or p is a transferred
// Port object: no message will arrive at p any more (some may still be
// queued: see Len).
func (p *Port) Closed() bool {
	c := p.ch
	c.mu.Lock()
	defer c.mu.Unlock()
	return p.detached || c.closed
}

// Done returns a channel that is closed when the channel closes, or at
// once when it is closed already or p was transferred. A Done channel
// taken before p was transferred follows the end to its new Port
// object.
func (p *Port) Done() <-chan struct{} {
	ch := make(chan struct{})
	c := p.ch
	c.mu.Lock()
	if p.detached || c.closed {
		c.mu.Unlock()
		close(ch)
		return ch
	}
	e := &c.ends[p.side]
	e.onClose = append(e.onClose, func() { close(ch) })
	c.mu.Unlock()
	return ch
}

// Flush waits until every message posted on p so far has been handled by
// the other end, as its reader defines it ([Reader.Flush]: for a
// connection to a service worker, until their crossoriginmessage events
// finished), or the channel closed. When the other end has no such
// reader (a Go program's port, a worker's MessagePort) it returns at
// once: the messages are already in the other end's queue. It returns
// ctx's error when ctx ends first.
func (p *Port) Flush(ctx context.Context) error {
	c := p.ch
	c.mu.Lock()
	if p.detached || c.closed {
		c.mu.Unlock()
		return nil
	}
	f := c.ends[1-p.side].reader.Flush
	c.mu.Unlock()
	if f == nil {
		return nil
	}
	return f(ctx)
}

// closeAll closes ports of a message that will not be delivered, so
// their other ends see it.
func closeAll(ports []*Port) {
	for _, p := range ports {
		p.Close()
	}
}

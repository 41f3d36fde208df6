package connect

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/swhost/swhost/message"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// conn is an accepted connection: a channel whose client end is the
// client's port, and whose other end is read by the broker, which
// delivers each message to the currently active worker of the
// registration the connection is bound to (or, for a native service, is
// the service's port). The worker's replies are posted on the broker's
// end, so they follow the client's port wherever it is transferred.
type conn struct {
	b      *Broker
	client Client
	reg    *registry.Registration // nil for a native service
	seq    uint64

	port *Port // the client's end
	svc  *Port // the broker's end, for a registration

	wake chan struct{} // a message arrived at svc (a close cancels ctx)

	mu       sync.Mutex
	inflight int           // messages taken from svc, not yet delivered
	idle     chan struct{} // closed and replaced when svc's queue and inflight reach 0
	closed   bool
	ctx      context.Context
	cancel   context.CancelFunc
}

func (b *Broker) newConn(reg *registry.Registration, _ *service, client Client) *conn {
	ctx, cancel := context.WithCancel(context.Background())
	c := &conn{b: b, client: client, reg: reg, wake: make(chan struct{}, 1), idle: make(chan struct{}), ctx: ctx, cancel: cancel}
	c.port, c.svc = NewChannel()
	// Clone: messages go to a worker, so Go data is serialized when
	// posted and a value that cannot be cloned fails PostMessage.
	c.svc.SetReader(&message.Reader{Notify: c.notify, Clone: true, Flush: c.flush})
	return c
}

// notify is the broker's end's Reader.Notify: it wakes deliverLoop, and
// when the client closed its port it removes the connection at once.
func (c *conn) notify() {
	if c.svc.Closed() {
		c.hangUp()
		return
	}
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// hangUp ends the connection: the client closed its port, the broker
// closed, or the registration went away. The connection is removed from
// every list at once and pending messages are dropped.
func (c *conn) hangUp() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	close(c.idle) // wakes Flush
	c.idle = make(chan struct{})
	c.mu.Unlock()
	c.svc.Close()
	for {
		m, ok := c.svc.TryRecv()
		if !ok {
			break
		}
		closePorts(m.Ports) // never delivered: their other ends see the close
	}
	c.b.remove(c)
	c.cancel()
}

// close closes the connection from the broker's side, wherever the
// client's port went.
func (c *conn) close() {
	if c.svc != nil {
		c.hangUp()
		return
	}
	c.port.Close()
}

// toClient delivers a worker's event.source.postMessage to the client.
func (c *conn) toClient(msg Message) {
	if c.b.opts.Observe != nil {
		c.b.observe("message", c.client, map[string]any{"direction": "to-client"})
	}
	if err := c.svc.PostMessage(msg.Data, msg.Ports...); err != nil {
		closePorts(msg.Ports)
	}
}

// flush waits until every message posted so far was delivered to a
// worker (its crossoriginmessage event finished) or the connection
// closed: the client port's Flush.
func (c *conn) flush(ctx context.Context) error {
	for {
		c.mu.Lock()
		if c.closed || (c.inflight == 0 && c.svc.Len() == 0) {
			c.mu.Unlock()
			return nil
		}
		ch := c.idle
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// deliverLoop runs the seed's Deliver Message for the messages the client
// posted, in order, in batches of what is queued, until the connection
// closes.
func (c *conn) deliverLoop() {
	var batch []Message
	for {
		c.mu.Lock()
		for {
			if c.closed {
				c.mu.Unlock()
				return
			}
			for {
				m, ok := c.svc.TryRecv()
				if !ok {
					break
				}
				batch = append(batch, m)
			}
			if len(batch) > 0 {
				break
			}
			c.mu.Unlock()
			select {
			case <-c.wake:
			case <-c.ctx.Done():
			}
			c.mu.Lock()
		}
		c.inflight = len(batch)
		c.mu.Unlock()
		c.deliver(batch)
		clear(batch)
		batch = batch[:0]
		c.mu.Lock()
		c.inflight = 0
		if c.svc.Len() == 0 {
			close(c.idle)
			c.idle = make(chan struct{})
		}
		c.mu.Unlock()
	}
}

// deliver fires crossoriginmessage for msgs, in order, at the
// registration's currently active worker, starting it if needed. Messages
// a worker that stops or is replaced did not handle go to the new active
// worker, so nothing is lost while both ends are open.
func (c *conn) deliver(msgs []Message) {
	// Ports of messages given up on (the connection closed, the worker
	// kept failing) are closed, so their other ends see it.
	defer func() {
		for _, m := range msgs {
			closePorts(m.Ports)
		}
	}()
	wc := c.client.worker()
	for attempt := 0; ; attempt++ {
		if c.ctx.Err() != nil {
			return
		}
		v := c.reg.Active()
		if v == nil {
			if c.reg.Uninstalling() {
				c.hangUp() // closes the client's port
				return
			}
			if !c.sleep(10 * time.Millisecond) {
				return
			}
			continue
		}
		w, err := v.Worker(c.ctx)
		if err == nil {
			var n int
			n, err = w.DispatchCrossOriginMessages(c.ctx, wc, msgs)
			if c.b.opts.Observe != nil {
				for range n {
					c.b.observe("message", c.client, map[string]any{"direction": "to-worker", "scriptURL": v.ScriptURL()})
				}
			}
			msgs = msgs[n:]
			if len(msgs) == 0 || err == nil || !retryable(err) {
				if err != nil {
					c.b.log.Warn("crossoriginmessage", "client", c.client.String(), "err", err)
				}
				return
			}
		}
		if attempt >= 50 {
			c.b.log.Warn("crossoriginmessage not delivered", "client", c.client.String(), "err", err)
			return
		}
		if !c.sleep(time.Duration(attempt+1) * time.Millisecond) {
			return
		}
	}
}

// closePorts closes ports of a message that will not be delivered.
func closePorts(ports []*Port) {
	for _, p := range ports {
		p.Close()
	}
}

// retryable reports whether a dispatch failed because the worker stopped
// or was retired (the message was not handled) rather than because a
// listener failed.
func retryable(err error) bool {
	if errors.Is(err, worker.ErrStopped) {
		return true
	}
	switch weberr.NameOf(err) {
	case weberr.InvalidStateError:
		return true
	}
	var js *worker.JSError
	return !errors.As(err, &js)
}

func (c *conn) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-c.ctx.Done():
		return false
	}
}

package connect

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// conn is an accepted connection: the client's port on one side, and on
// the other the registration it is bound to (whose currently active
// worker receives each message) or a native service's port.
type conn struct {
	b      *Broker
	client Client
	reg    *registry.Registration // nil for a native service
	seq    uint64

	port *Port // the client's end

	mu       sync.Mutex
	queue    []Message // to the worker, in order
	wake     chan struct{}
	inflight int           // messages taken from queue, not yet delivered
	idle     chan struct{} // closed and replaced when queue and inflight reach 0
	closed   bool
	ctx      context.Context
	cancel   context.CancelFunc
	replyTo  *Port // where the worker's replies go (follows transfers of port)
}

func (b *Broker) newConn(reg *registry.Registration, _ *service, client Client) *conn {
	ctx, cancel := context.WithCancel(context.Background())
	c := &conn{b: b, client: client, reg: reg, wake: make(chan struct{}, 1), idle: make(chan struct{}), ctx: ctx, cancel: cancel}
	c.port = newPort()
	c.port.peer = c
	c.replyTo = c.port
	return c
}

// post queues a message from the client for the worker (the client
// port's sink).
func (c *conn) post(msg Message) error {
	if err := cloneGo(&msg); err != nil {
		return err
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.queue = append(c.queue, msg)
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
	return nil
}

// hangUp is the client closing its port: the connection is removed from
// every list at once and pending messages are dropped.
func (c *conn) hangUp() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	for _, m := range c.queue {
		closePorts(m.Ports) // never delivered: their other ends see the close
	}
	c.queue = nil
	close(c.idle) // wakes Flush
	c.idle = make(chan struct{})
	c.mu.Unlock()
	c.b.remove(c)
	c.cancel()
}

// rebind makes replies follow the client port when it is transferred.
func (c *conn) rebind(p *Port) {
	c.mu.Lock()
	c.replyTo = p
	c.mu.Unlock()
}

// toClient delivers a worker's event.source.postMessage to the client.
func (c *conn) toClient(msg Message) {
	if c.b.opts.Observe != nil {
		c.b.observe("message", c.client, map[string]any{"direction": "to-client"})
	}
	c.mu.Lock()
	p := c.replyTo
	c.mu.Unlock()
	p.receive(msg)
}

// flush waits until every message posted so far was delivered to a
// worker (its crossoriginmessage event finished) or the connection
// closed.
func (c *conn) flush(ctx context.Context) error {
	for {
		c.mu.Lock()
		if c.closed || (len(c.queue) == 0 && c.inflight == 0) {
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

// deliverLoop runs the seed's Deliver Message for each queued message, in
// order, until the connection closes.
func (c *conn) deliverLoop() {
	var batch []Message
	var wms []worker.Message
	for {
		c.mu.Lock()
		for len(c.queue) == 0 && !c.closed {
			c.mu.Unlock()
			select {
			case <-c.wake:
			case <-c.ctx.Done():
			}
			c.mu.Lock()
		}
		if c.closed {
			c.mu.Unlock()
			return
		}
		batch, c.queue = c.queue, batch[:0]
		c.inflight = len(batch)
		c.mu.Unlock()
		wms = wms[:0]
		for i := range batch {
			wms = append(wms, toWorker(batch[i]))
			batch[i] = Message{}
		}
		c.deliver(wms)
		clear(wms)
		c.mu.Lock()
		c.inflight = 0
		if len(c.queue) == 0 {
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
func (c *conn) deliver(msgs []worker.Message) {
	// Ports of messages given up on (the connection closed, the worker
	// kept failing) are closed, so their other ends see it.
	defer func() { closeHandles(msgs) }()
	wc := c.client.worker()
	for attempt := 0; ; attempt++ {
		if c.ctx.Err() != nil {
			return
		}
		v := c.reg.Active()
		if v == nil {
			if c.reg.Uninstalling() {
				c.port.peerClosed()
				c.hangUp()
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

// closeHandles closes the worker-bound ports of a message that will not
// be delivered.
func closeHandles(msgs []worker.Message) {
	for _, m := range msgs {
		for _, h := range m.Ports {
			h.Close()
		}
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

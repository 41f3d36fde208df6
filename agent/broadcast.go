package agent

import (
	"context"
	"sync"

	"github.com/swhost/swhost/broadcast"
	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/message"
	"github.com/swhost/swhost/weberr"
)

// BroadcastEvent is an event at a client's BroadcastChannel.
type BroadcastEvent struct {
	// Type is "message", or "messageerror" for a message whose data Go
	// cannot rebuild (it holds a Blob, a File or another host object of a
	// worker's realm).
	Type string
	// Data is a message's data as Go values (message.Message.Value); nil
	// for a messageerror.
	Data any
	// Origin is the origin of the channel that posted the message (the
	// client's own).
	Origin string
}

// BroadcastChannel is a BroadcastChannel of a client (new
// BroadcastChannel(name) in a page): it takes the messages posted on
// every other open channel of that name of the client's origin, by
// workers and by other clients, over the process's bus (package
// broadcast), and posts to them. Events are kept in order until taken
// with Recv. It is safe for concurrent use.
type BroadcastChannel struct {
	name string
	sub  *broadcast.Sub

	mu     sync.Mutex
	events []BroadcastEvent
	wake   chan struct{} // closed and replaced when an event arrives or the channel closes
	closed bool
}

// BroadcastChannel opens a channel named name of the client's origin. It
// closes with the client. A client of an opaque origin gets a channel
// that nothing reaches.
func (c *Client) BroadcastChannel(name string) *BroadcastChannel {
	b := &BroadcastChannel{name: name, wake: make(chan struct{})}
	b.sub = broadcast.Default.Subscribe(c.origin, name, b.deliver)
	c.mu.Lock()
	closed := c.closed
	if !closed {
		c.channels = append(c.channels, b)
	}
	c.mu.Unlock()
	if closed {
		b.Close()
	}
	return b
}

// Name returns the channel's name.
func (b *BroadcastChannel) Name() string { return b.name }

// deliver queues a message from the bus as an event.
func (b *BroadcastChannel) deliver(m broadcast.Message) {
	ev := BroadcastEvent{Type: "message", Origin: m.Origin}
	if rec, ok := m.Data.Data.(*structuredclone.Record); ok && rec.HasHostValues() {
		ev.Type = "messageerror"
	} else {
		ev.Data = m.Data.Value()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.events = append(b.events, ev)
	close(b.wake)
	b.wake = make(chan struct{})
}

// PostMessage posts data to every other open channel of the name and
// origin, as BroadcastChannel.postMessage does: data is serialized now
// (structuredclone.FromGo: a DataCloneError for what cannot be cloned)
// and each receiver rebuilds it. InvalidStateError once the channel is
// closed.
func (b *BroadcastChannel) PostMessage(data any) error {
	b.mu.Lock()
	closed := b.closed
	b.mu.Unlock()
	if closed {
		return weberr.New(weberr.InvalidStateError, "Failed to execute 'postMessage' on 'BroadcastChannel': Channel is closed")
	}
	rec, err := structuredclone.FromGo(data)
	if err != nil {
		return err
	}
	b.sub.Post(message.Message{Data: rec})
	return nil
}

// Recv waits for the channel's next event and returns it. It fails with
// ctx's error, or InvalidStateError once the channel is closed (events
// not taken by then are dropped, as a closed channel fires none).
func (b *BroadcastChannel) Recv(ctx context.Context) (BroadcastEvent, error) {
	for {
		b.mu.Lock()
		if b.closed {
			b.mu.Unlock()
			return BroadcastEvent{}, weberr.New(weberr.InvalidStateError, "the BroadcastChannel is closed")
		}
		if len(b.events) > 0 {
			ev := b.events[0]
			b.events = b.events[1:]
			b.mu.Unlock()
			return ev, nil
		}
		wake := b.wake
		b.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return BroadcastEvent{}, ctx.Err()
		}
	}
}

// Close closes the channel, as BroadcastChannel.close does: it takes and
// fires no more messages, and posting fails. Closing twice does nothing.
func (b *BroadcastChannel) Close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	b.events = nil
	close(b.wake)
	b.mu.Unlock()
	b.sub.Close()
}

// Package natsfleet routes cross-origin connect channels between the
// nodes of a fleet over NATS (github.com/nats-io/nats.go): a client
// connected to node A reaches a service whose worker runs on node B.
//
// Placement: every node announces itself on the presence subject once a
// second (and at once to a node it hears for the first time), and forgets
// a node it has not heard for three intervals; a node routes nothing in
// its first second, while it learns the others. The
// connections to one registration are served by one node, the member
// with the highest rendezvous hash of (node id, scope key), so that one
// worker instance sees every client of the registration on every node in
// its crossOriginClients, and its globals are shared by them. A node that
// receives a routed connection serves it whatever its own view of the
// members is; when the placed node does not answer, the client's node
// serves the connection itself.
//
// Channels: each direction of a routed channel is a stream of frames sent
// as NATS requests to the other node, one in flight per direction,
// carrying every message queued since the last one, numbered; the receiver
// posts those it has not seen yet, in order, then acknowledges. A frame
// not acknowledged is sent again, so each message arrives in order and
// exactly once while the channel is open. Closing either end sends a last
// frame that closes the other (after the messages posted before it); a
// node that stops closes every routed channel it has; a node that dies
// is noticed when a frame to it finds no responder, or when its presence
// stops (within three intervals), and its channels close on the other
// side, so the ports see the close and clients can connect again through
// any node.
//
// BroadcastChannel: [Router.Broadcast] relays a [broadcast.Bus] to the
// other nodes (see [Relay]).
//
// Messages cross nodes as structured-clone records (binary encoded):
// every JavaScript value a worker posts arrives the same. Message ports
// cannot cross nodes: a port in a routed message is closed (its other end
// sees the close) and the message is delivered without it.
package natsfleet

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/swhost/swhost/connect"
	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/message"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/weberr"
)

// Defaults of Options.
const (
	DefaultPrefix           = "swhost"
	DefaultPresenceInterval = time.Second
	DefaultAckTimeout       = 2 * time.Second
	DefaultConnectTimeout   = 45 * time.Second
	// maxFrame bounds the messages gathered in one frame; one message
	// larger than the NATS server's max_payload closes its channel.
	maxFrame     = 256 << 10
	maxFrameMsgs = 512
	// sendAttempts bounds the attempts to deliver one frame to a node
	// that is still heard (its presence) but does not acknowledge the
	// frame; then the channel closes. A node no longer heard closes its
	// channels sooner (see presenceLoop).
	sendAttempts = 30
)

// Options configure a Router.
type Options struct {
	// NodeID names this node in the fleet; default: random. Two nodes
	// must not share one.
	NodeID string
	// Prefix starts every subject ("PREFIX.presence",
	// "PREFIX.node.ID.connect", ...); default DefaultPrefix. Fleets
	// sharing a NATS server use different prefixes.
	Prefix string
	// PresenceInterval is how often the node announces itself; a node
	// unheard for three intervals is gone. Default DefaultPresenceInterval.
	PresenceInterval time.Duration
	// AckTimeout bounds the wait for a frame's acknowledgement before it
	// is sent again (at most 30 times, while the other node is heard).
	// Default DefaultAckTimeout.
	AckTimeout time.Duration
	// ConnectTimeout bounds a routed connect attempt (the other node
	// waits up to the broker's ActiveTimeout for an active worker).
	// Default DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// StateTimeout bounds the wait for the other nodes' answers to a
	// state request ([Router.Peers]). Default DefaultStateTimeout.
	StateTimeout time.Duration
	// Logger; default slog.Default().
	Logger *slog.Logger
	// OnMembers, when set, is called with Members each time a node joins
	// or leaves this node's view. It must not block.
	OnMembers func(members []string)
}

// Router is a [connect.Router] over NATS. It is safe for concurrent use.
type Router struct {
	nc   *nats.Conn
	opts Options
	node string
	log  *slog.Logger

	ctx    context.Context // ends at Close
	cancel context.CancelFunc
	wg     sync.WaitGroup
	// settled is closed one presence interval after New: by then every
	// node up has answered this node's first announcement, so placements
	// agree with theirs.
	settled chan struct{}

	mu    sync.Mutex
	b     *connect.Broker
	peers map[string]time.Time // node id → last heard
	// serving holds, per other node, the hashes of the scope keys it
	// last said it has connections for (placement.go).
	serving map[string]map[uint64]bool
	chans   map[string]*channel // routed channels by client id
	subs    []*nats.Subscription
	closed  bool

	// dropAck, set by tests, loses the acknowledgement of a frame when it
	// returns true, as a lost reply would.
	dropAck func() bool
}

// New returns a router for this node on nc and starts announcing the
// node. Call Serve with the node's broker so that other nodes' routed
// connections are served here, and give the router to the broker as
// connect.Options.Router. Close it before closing nc.
func New(nc *nats.Conn, opts Options) (*Router, error) {
	if opts.Prefix == "" {
		opts.Prefix = DefaultPrefix
	}
	if opts.PresenceInterval <= 0 {
		opts.PresenceInterval = DefaultPresenceInterval
	}
	if opts.AckTimeout <= 0 {
		opts.AckTimeout = DefaultAckTimeout
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.StateTimeout <= 0 {
		opts.StateTimeout = DefaultStateTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.NodeID == "" {
		var id [8]byte
		_, _ = rand.Read(id[:])
		opts.NodeID = hex.EncodeToString(id[:])
	}
	if strings.ContainsAny(opts.NodeID, ".*> \t\r\n") {
		return nil, fmt.Errorf("natsfleet: node id %q: it is part of NATS subjects, so it may not contain '.', '*', '>' or spaces", opts.NodeID)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &Router{nc: nc, opts: opts, node: opts.NodeID, log: opts.Logger, ctx: ctx, cancel: cancel,
		peers: map[string]time.Time{}, serving: map[string]map[uint64]bool{}, chans: map[string]*channel{}, settled: make(chan struct{})}
	for _, s := range []struct {
		name string
		fn   nats.MsgHandler
	}{{"presence", r.onPresence}, {"serving", r.onServing}} {
		sub, err := nc.Subscribe(r.subject(s.name), s.fn)
		if err != nil {
			cancel()
			return nil, fmt.Errorf("natsfleet: subscribing to %s: %w", s.name, err)
		}
		r.subs = append(r.subs, sub)
	}
	r.announce("")
	r.wg.Add(1)
	go r.presenceLoop()
	return r, nil
}

// NodeID returns this node's id.
func (r *Router) NodeID() string { return r.node }

func (r *Router) subject(parts ...string) string {
	return r.opts.Prefix + "." + strings.Join(parts, ".")
}

// Serve makes this node serve the connections other nodes route to it,
// through b (the broker whose Options.Router is r).
func (r *Router) Serve(b *connect.Broker) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return errors.New("natsfleet: the router is closed")
	}
	r.b = b
	for _, s := range []struct {
		name string
		fn   nats.MsgHandler
	}{{"connect", r.onConnect}, {"frame", r.onFrame}} {
		sub, err := r.nc.Subscribe(r.subject("node", r.node, s.name), s.fn)
		if err != nil {
			return fmt.Errorf("natsfleet: subscribing to %s: %w", s.name, err)
		}
		r.subs = append(r.subs, sub)
	}
	if err := r.nc.Flush(); err != nil {
		return fmt.Errorf("natsfleet: %w", err)
	}
	return nil
}

// Members returns the ids of the nodes this node knows to be up, itself
// included, sorted.
func (r *Router) Members() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.membersLocked()
}

func (r *Router) membersLocked() []string {
	out := []string{r.node}
	limit := time.Now().Add(-3 * r.opts.PresenceInterval)
	for id, seen := range r.peers {
		if seen.After(limit) {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// Owner returns the node the connections to the registration with scope
// key key are placed on: a member that already has connections for it
// (so that a node joining does not split a registration's clients
// between two workers), else the member rendezvous hashing picks (see
// placement.go).
func (r *Router) Owner(key string) string {
	members := r.Members()
	if serving := r.servingMembers(members, key); len(serving) > 0 {
		return rendezvous(serving, key)
	}
	return rendezvous(members, key)
}

// rendezvous returns the member with the highest hash of (member, key).
func rendezvous(members []string, key string) string {
	var best string
	var bestH uint64
	for _, id := range members {
		h := fnv.New64a()
		h.Write([]byte(id))
		h.Write([]byte{0})
		h.Write([]byte(key))
		if v := h.Sum64(); best == "" || v > bestH {
			best, bestH = id, v
		}
	}
	return best
}

// Channels returns the number of routed channels open on this node.
func (r *Router) Channels() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.chans)
}

// presence messages: "hello ID" (a node is up; a node that did not know
// it answers with its own hello), "bye ID" (a node stops).
func (r *Router) announce(kind string) {
	if kind == "" {
		kind = "hello"
	}
	if err := r.nc.Publish(r.subject("presence"), []byte(kind+" "+r.node)); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		r.log.Warn("natsfleet: announcing the node", "err", err)
	}
}

func (r *Router) onPresence(m *nats.Msg) {
	kind, id, ok := strings.Cut(string(m.Data), " ")
	if !ok || id == r.node {
		return
	}
	r.mu.Lock()
	_, known := r.peers[id]
	if kind == "bye" {
		delete(r.peers, id)
		delete(r.serving, id)
	} else {
		r.peers[id] = time.Now()
	}
	r.mu.Unlock()
	switch {
	case kind == "bye":
		r.peerGone(id)
		r.membersChanged()
	case !known:
		r.announce("") // so that the new node knows this one at once
		r.membersChanged()
	}
}

func (r *Router) membersChanged() {
	if r.opts.OnMembers != nil {
		r.opts.OnMembers(r.Members())
	}
}

// presenceLoop announces the node every interval and closes the channels
// of nodes no longer heard.
func (r *Router) presenceLoop() {
	defer r.wg.Done()
	t := time.NewTicker(r.opts.PresenceInterval)
	defer t.Stop()
	first := true
	for {
		select {
		case <-r.ctx.Done():
			return
		case <-t.C:
		}
		if first {
			close(r.settled)
			first = false
		}
		r.announce("")
		r.announceServing()
		limit := time.Now().Add(-3 * r.opts.PresenceInterval)
		var gone []string
		r.mu.Lock()
		for id, seen := range r.peers {
			if seen.Before(limit) {
				gone = append(gone, id)
				delete(r.peers, id)
				delete(r.serving, id)
			}
		}
		r.mu.Unlock()
		for _, id := range gone {
			r.log.Info("natsfleet: a node is gone", "node", id)
			r.peerGone(id)
		}
		if len(gone) > 0 {
			r.membersChanged()
		}
	}
}

// peerGone closes the channels with node id.
func (r *Router) peerGone(id string) {
	r.mu.Lock()
	var list []*channel
	for _, c := range r.chans {
		if c.peer == id {
			list = append(list, c)
		}
	}
	r.mu.Unlock()
	for _, c := range list {
		c.drop()
	}
}

// Close closes every routed channel on this node (the other side's ports
// see the close), waits for their last frames, and stops announcing the
// node. It does not close the NATS connection.
func (r *Router) Close() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	list := make([]*channel, 0, len(r.chans))
	for _, c := range r.chans {
		if c.started {
			list = append(list, c)
		}
	}
	r.mu.Unlock()
	for _, c := range list {
		// Its sender sends the closing frame. Closing this end does not
		// notify this end's reader (message.Reader), so the sender, which
		// may be waiting for a message, is woken here.
		c.port.Close()
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
	deadline := time.NewTimer(r.opts.AckTimeout)
	defer deadline.Stop()
wait:
	for _, c := range list {
		select {
		case <-c.done:
		case <-deadline.C:
			break wait // the rest are cut short below
		}
	}
	r.announce("bye")
	r.cancel()
	r.wg.Wait()
	r.mu.Lock()
	subs := r.subs
	r.subs = nil
	r.mu.Unlock()
	for _, s := range subs {
		_ = s.Unsubscribe()
	}
	if r.nc.IsConnected() {
		_ = r.nc.FlushTimeout(r.opts.AckTimeout)
	}
}

// --- connecting ---

// connectRequest is a routed connect attempt.
type connectRequest struct {
	From      string          `json:"from"`
	ID        string          `json:"id"`
	Origin    string          `json:"origin"`
	TargetURL string          `json:"targetURL"`
	Options   json.RawMessage `json:"options,omitempty"`
}

// connectReply answers one: accepted, or the failure's exception.
type connectReply struct {
	Accepted bool   `json:"accepted"`
	Name     string `json:"name,omitempty"`
	Message  string `json:"message,omitempty"`
}

// Route implements [connect.Router].
func (r *Router) Route(ctx context.Context, reg *registry.Registration, client connect.Client) (*connect.Port, bool, error) {
	// In its first presence interval the node may not know every other
	// node yet: its placement could differ from theirs.
	select {
	case <-r.settled:
	case <-r.ctx.Done():
		return nil, false, nil
	case <-ctx.Done():
		return nil, true, ctx.Err()
	}
	owner := r.Owner(reg.Scope().Key())
	if owner == r.node || !r.nc.IsConnected() {
		// Placed here, or NATS is unreachable (its client would queue the
		// request until it reconnects): serve it here.
		return nil, false, nil
	}
	req := connectRequest{From: r.node, ID: client.ID, Origin: client.Origin, TargetURL: client.TargetURL}
	if client.Options != nil {
		opts, err := json.Marshal(client.Options)
		if err != nil {
			return nil, true, weberr.Errorf(weberr.DataCloneError, "connect options cannot be sent to another node: %v", err)
		}
		req.Options = opts
	}
	data, _ := json.Marshal(req)
	user, mine := connect.NewChannel()
	c := r.newChannel(client.ID, owner, mine)
	if !r.add(c) {
		return nil, false, nil
	}
	rctx, cancel := context.WithTimeout(ctx, r.opts.ConnectTimeout)
	defer cancel()
	m, err := r.nc.RequestWithContext(rctx, r.subject("node", owner, "connect"), data)
	var rep connectReply
	if err == nil {
		err = json.Unmarshal(m.Data, &rep)
	}
	if err != nil {
		r.remove(c)
		mine.Close()
		if ctx.Err() != nil {
			return nil, true, ctx.Err()
		}
		r.log.Warn("natsfleet: the node a connection is placed on does not answer; connecting here", "node", owner, "target", client.TargetURL, "err", err)
		return nil, false, nil
	}
	if !rep.Accepted {
		r.remove(c)
		mine.Close()
		return nil, true, weberr.New(rep.Name, rep.Message)
	}
	if !c.start() {
		return nil, true, weberr.New(weberr.AbortError, "the node is stopping")
	}
	return user, true, nil
}

// onConnect serves a connect attempt another node routed here.
func (r *Router) onConnect(m *nats.Msg) {
	var req connectRequest
	if err := json.Unmarshal(m.Data, &req); err != nil {
		r.log.Warn("natsfleet: an unreadable connect request", "err", err)
		return
	}
	r.mu.Lock()
	b := r.b
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.wg.Add(1) // under mu, so never after Close's Wait
	r.mu.Unlock()
	go func() {
		defer r.wg.Done()
		client := connect.Client{ID: req.ID, Origin: req.Origin, TargetURL: req.TargetURL}
		if len(req.Options) > 0 {
			var o any
			if json.Unmarshal(req.Options, &o) == nil {
				client.Options = o
			}
		}
		ctx, cancel := context.WithTimeout(r.ctx, r.opts.ConnectTimeout)
		defer cancel()
		port, err := b.ConnectHere(ctx, client)
		var rep connectReply
		if err != nil {
			rep.Name, rep.Message = weberr.NameOf(err), err.Error()
			if rep.Name == "" {
				rep.Name = weberr.AbortError
			}
			if i := strings.Index(rep.Message, ": "); i >= 0 && strings.HasPrefix(rep.Message, rep.Name) {
				rep.Message = rep.Message[i+2:]
			}
		} else {
			c := r.newChannel(req.ID, req.From, port)
			if !r.add(c) || !c.start() {
				port.Close()
				rep = connectReply{Name: weberr.AbortError, Message: "the node is stopping"}
			} else {
				rep.Accepted = true
			}
		}
		data, _ := json.Marshal(rep)
		if err := m.Respond(data); err != nil {
			r.log.Warn("natsfleet: answering a routed connect", "err", err)
		}
	}()
}

// add records c; false when the router is closed.
func (r *Router) add(c *channel) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	r.chans[c.id] = c
	return true
}

func (r *Router) remove(c *channel) {
	r.mu.Lock()
	if r.chans[c.id] == c {
		delete(r.chans, c.id)
	}
	r.mu.Unlock()
}

// --- channels ---

// channel is this node's side of a routed channel: port is the local end
// (the client's proxy on the client's node, the connection's client end
// on the worker's node); what arrives on it is sent to peer, what peer
// sends is posted on it.
type channel struct {
	r    *Router
	id   string
	peer string
	port *message.Port
	wake chan struct{}
	done chan struct{} // closed when the sender ended
	// started is set (under the router's mu) when the sender starts.
	started bool

	mu         sync.Mutex
	recvNext   uint64 // sequence number of the next message from peer
	peerClosed bool
}

func (r *Router) newChannel(id, peer string, port *message.Port) *channel {
	c := &channel{r: r, id: id, peer: peer, port: port, wake: make(chan struct{}, 1), done: make(chan struct{})}
	return c
}

// start starts sending what arrives on the local port; false (and c
// closed) when the router is closed.
func (c *channel) start() bool {
	r := c.r
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		c.port.Close()
		r.remove(c)
		return false
	}
	c.started = true
	r.wg.Add(1) // under mu, so never after Close's Wait
	r.mu.Unlock()
	// Clone: Go data a client posts is serialized when posted, so that a
	// value that cannot travel fails its PostMessage.
	c.port.SetReader(&message.Reader{Clone: true, Notify: func() {
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}})
	go c.send()
	return true
}

// drop closes the channel because its peer is gone: nothing more is sent.
func (c *channel) drop() {
	c.mu.Lock()
	c.peerClosed = true
	c.mu.Unlock()
	c.port.Close()
	c.r.remove(c)
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// send runs the sending direction until the channel closes.
func (c *channel) send() {
	defer c.r.wg.Done()
	defer close(c.done)
	defer c.r.remove(c)
	var seq uint64
	var batch []message.Message
	subject := c.r.subject("node", c.peer, "frame")
	for {
		batch = batch[:0]
		size := 0
		for len(batch) < maxFrameMsgs && size < maxFrame {
			m, ok := c.port.TryRecv()
			if !ok {
				break
			}
			batch = append(batch, m)
			size += approxSize(m)
		}
		c.mu.Lock()
		gone := c.peerClosed
		c.mu.Unlock()
		if gone {
			closeMsgPorts(batch)
			return
		}
		closing := len(batch) == 0 && c.port.Closed()
		if len(batch) == 0 && !closing {
			<-c.wake
			continue
		}
		frame, err := encodeFrame(c.id, seq, batch, closing)
		closeMsgPorts(batch)
		if err != nil {
			c.r.log.Warn("natsfleet: a message cannot be sent to another node; closing its channel", "channel", c.id, "err", err)
			c.port.Close()
			frame, _ = encodeFrame(c.id, seq, nil, true)
			closing = true
		}
		if !c.deliver(subject, frame) {
			c.port.Close()
			return
		}
		if closing {
			return
		}
		seq += uint64(len(batch))
	}
}

// deliver sends one frame until it is acknowledged; false when the peer
// is gone (no responder, no longer heard, the channel unknown there, or
// no answer after sendAttempts) or the router closed.
func (c *channel) deliver(subject string, frame []byte) bool {
	for attempt := 0; attempt < sendAttempts; attempt++ {
		ctx, cancel := context.WithTimeout(c.r.ctx, c.r.opts.AckTimeout)
		m, err := c.r.nc.RequestWithContext(ctx, subject, frame)
		cancel()
		c.mu.Lock()
		gone := c.peerClosed
		c.mu.Unlock()
		switch {
		case c.r.ctx.Err() != nil || (err != nil && gone):
			return false // the router closed, or the peer is gone meanwhile
		case err == nil:
			return len(m.Data) == 1 && m.Data[0] == ackOK
		case errors.Is(err, nats.ErrNoResponders), errors.Is(err, nats.ErrConnectionClosed),
			errors.Is(err, nats.ErrMaxPayload), errors.Is(err, nats.ErrBadSubject):
			c.r.log.Info("natsfleet: closing a channel", "channel", c.id, "node", c.peer, "err", err)
			return false
		}
		c.r.log.Warn("natsfleet: a frame was not acknowledged; sending it again", "channel", c.id, "node", c.peer, "err", err)
	}
	return false
}

// Acknowledgements.
const (
	ackOK      byte = 0
	ackUnknown byte = 1 // no such channel here: it closed
)

// onFrame receives a frame for a channel of this node.
func (r *Router) onFrame(m *nats.Msg) {
	f, err := decodeFrame(m.Data)
	if err != nil {
		r.log.Warn("natsfleet: an unreadable frame", "err", err)
		return
	}
	r.mu.Lock()
	c := r.chans[f.ch]
	r.mu.Unlock()
	if c == nil {
		_ = m.Respond([]byte{ackUnknown})
		return
	}
	c.mu.Lock()
	for i, d := range f.data {
		if f.seq+uint64(i) < c.recvNext {
			continue // sent again: delivered already
		}
		if err := c.port.PostMessage(d); err != nil {
			r.log.Warn("natsfleet: posting a routed message", "channel", c.id, "err", err)
		}
		c.recvNext++
	}
	if f.close {
		c.peerClosed = true
	}
	c.mu.Unlock()
	if f.close {
		c.port.Close()
		r.remove(c)
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
	if r.dropAck != nil && r.dropAck() {
		return
	}
	_ = m.Respond([]byte{ackOK})
}

// --- frames ---

// frame is one frame of a channel direction.
type frame struct {
	ch    string
	seq   uint64 // sequence number of data[0]
	data  []any
	close bool // the sender's end closed after data
}

func encodeFrame(ch string, seq uint64, msgs []message.Message, closing bool) ([]byte, error) {
	b := make([]byte, 0, 64)
	if closing {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(ch)))
	b = append(b, ch...)
	b = binary.AppendUvarint(b, seq)
	b = binary.AppendUvarint(b, uint64(len(msgs)))
	for _, m := range msgs {
		var err error
		b, err = appendData(b, m.Data, func(b []byte, rec *structuredclone.Record) ([]byte, error) {
			rb, err := rec.MarshalBinary()
			if err != nil {
				return nil, err
			}
			b = binary.AppendUvarint(b, uint64(len(rb)))
			return append(b, rb...), nil
		})
		if err != nil {
			return nil, err
		}
	}
	return b, nil
}

var errFrame = errors.New("natsfleet: a corrupt frame")

func decodeFrame(b []byte) (frame, error) {
	var f frame
	if len(b) < 1 {
		return f, errFrame
	}
	f.close = b[0] == 1
	b = b[1:]
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return v, true
	}
	take := func(n uint64) ([]byte, bool) {
		if n > uint64(len(b)) {
			return nil, false
		}
		out := b[:n]
		b = b[n:]
		return out, true
	}
	n, ok := next()
	if !ok {
		return f, errFrame
	}
	ch, ok := take(n)
	if !ok {
		return f, errFrame
	}
	f.ch = string(ch)
	if f.seq, ok = next(); !ok {
		return f, errFrame
	}
	count, ok := next()
	if !ok || count > uint64(len(b)) {
		return f, errFrame
	}
	f.data = make([]any, 0, count)
	for range count {
		d, rest, err := readData(b, func(b []byte) (any, []byte, error) {
			n, k := binary.Uvarint(b)
			if k <= 0 || n > uint64(len(b)-k) {
				return nil, nil, errFrame
			}
			rec := new(message.Record)
			if err := rec.UnmarshalBinary(b[k : k+int(n)]); err != nil {
				return nil, nil, err
			}
			return rec, b[k+int(n):], nil
		})
		if err == errData {
			return f, errFrame
		}
		if err != nil {
			return f, err
		}
		f.data = append(f.data, d)
		b = rest
	}
	if len(b) != 0 {
		return f, errFrame
	}
	return f, nil
}

// approxSize estimates a message's encoded size, for batching.
func approxSize(m message.Message) int {
	switch d := m.Data.(type) {
	case string:
		return len(d) + 8
	case *message.Record:
		return int(d.Size())
	}
	return 16
}

// closeMsgPorts closes the ports of messages that crossed (or failed to
// cross) nodes: ports cannot follow them.
func closeMsgPorts(msgs []message.Message) {
	for _, m := range msgs {
		for _, p := range m.Ports {
			p.Close()
		}
	}
}

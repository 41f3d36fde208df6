package natsfleet

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/nats-io/nats.go"
	"github.com/swhost/swhost/broadcast"
	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/weberr"
)

// HostCodec carries the host values of structured-clone records (Blob
// and File) across nodes: Encode's bytes are what Decode reads back
// (worker.IDBHostCodec's functions). A nil Encode makes a message holding
// host values fail to cross (it still reaches the node's own channels).
type HostCodec struct {
	Encode func(structuredclone.HostValue) ([]byte, error)
	Decode func([]byte) (structuredclone.HostValue, error)
}

// Relay is a [broadcast.Relay] over NATS: what a BroadcastChannel posts
// on this node reaches the open channels of the same origin and name on
// every other node of the fleet.
//
// A message is published once, on the subject
// "PREFIX.bc.HASH", HASH being the first 128 bits of SHA-256 of the
// origin and the channel name (hex): origins and names, which may hold
// any character, never appear in subjects, and a NATS account limited to
// some subjects sees only the channels whose hashes it is allowed (NATS
// permissions are the only boundary: a client allowed "PREFIX.bc.>"
// reads every origin's messages). Every node subscribes to
// "PREFIX.bc.*" and hands what other nodes posted to its bus; a node
// ignores its own messages, which its bus delivered already.
//
// Delivery is NATS core's: the messages of one node arrive at each other
// node in the order they were published, once, while both are connected
// to NATS; a message published while NATS is unreachable is buffered by
// the NATS client until it reconnects (up to its reconnect buffer), and
// a node too slow to read its subscription loses messages (NATS slow
// consumer, logged). A message larger than the server's max_payload does
// not cross (logged).
type Relay struct {
	nc    *nats.Conn
	node  string
	pre   string
	bus   *broadcast.Bus
	codec HostCodec
	log   *slog.Logger

	mu  sync.Mutex
	sub *nats.Subscription
}

// Broadcast starts relaying bus's messages to the fleet: it subscribes
// to the other nodes' messages (delivered with [broadcast.Bus.Deliver])
// and returns the relay to set with [broadcast.Bus.SetRelay]. Close it
// before closing the router's NATS connection.
func (r *Router) Broadcast(bus *broadcast.Bus, codec HostCodec) (*Relay, error) {
	rl := &Relay{nc: r.nc, node: r.node, pre: r.opts.Prefix, bus: bus, codec: codec, log: r.log}
	sub, err := r.nc.Subscribe(rl.pre+".bc.*", rl.onMessage)
	if err != nil {
		return nil, fmt.Errorf("natsfleet: subscribing to BroadcastChannel messages: %w", err)
	}
	if err := r.nc.Flush(); err != nil {
		_ = sub.Unsubscribe()
		return nil, fmt.Errorf("natsfleet: subscribing to BroadcastChannel messages: %w", err)
	}
	rl.sub = sub
	return rl, nil
}

// Subject returns the subject of the channels of origin named name.
func (rl *Relay) Subject(origin, name string) string {
	return rl.pre + ".bc." + channelHash(origin, name)
}

func channelHash(origin, name string) string {
	h := sha256.New()
	h.Write([]byte(origin))
	h.Write([]byte{0})
	h.Write([]byte(name))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Publish implements [broadcast.Relay]: it publishes m to the other
// nodes. A message that cannot be encoded or published is logged and
// does not cross.
func (rl *Relay) Publish(m broadcast.Message) {
	b, err := encodeBroadcast(rl.node, m, rl.codec.Encode)
	if err == nil {
		err = rl.nc.Publish(rl.Subject(m.Origin, m.Name), b)
	}
	if err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		rl.log.Warn("natsfleet: a BroadcastChannel message does not reach the other nodes", "origin", m.Origin, "channel", m.Name, "err", err)
	}
}

func (rl *Relay) onMessage(msg *nats.Msg) {
	node, m, err := decodeBroadcast(msg.Data, rl.codec.Decode)
	if err != nil {
		rl.log.Warn("natsfleet: an unreadable BroadcastChannel message", "subject", msg.Subject, "err", err)
		return
	}
	if node == rl.node {
		return // posted here: the bus delivered it already
	}
	if msg.Subject != rl.Subject(m.Origin, m.Name) {
		rl.log.Warn("natsfleet: a BroadcastChannel message on another channel's subject", "subject", msg.Subject, "node", node)
		return
	}
	rl.bus.Deliver(m)
}

// Close stops receiving the other nodes' messages. Unset the relay from
// the bus first.
func (rl *Relay) Close() {
	rl.mu.Lock()
	sub := rl.sub
	rl.sub = nil
	rl.mu.Unlock()
	if sub != nil {
		_ = sub.Unsubscribe()
	}
}

// broadcastVersion starts every encoded BroadcastChannel message.
const broadcastVersion = 1

// encodeBroadcast encodes a message: version, node, origin, name, then
// its data (kind byte, then the value; a record in its binary form with
// its host values encoded by encodeHost).
func encodeBroadcast(node string, m broadcast.Message, encodeHost func(structuredclone.HostValue) ([]byte, error)) ([]byte, error) {
	b := make([]byte, 0, 64)
	b = append(b, broadcastVersion)
	for _, s := range []string{node, m.Origin, m.Name} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return appendData(b, m.Data.Data, func(b []byte, rec *structuredclone.Record) ([]byte, error) {
		if rec.HasHostValues() && encodeHost == nil {
			return nil, weberr.New(weberr.DataCloneError, "Blob and File values cannot cross nodes here")
		}
		return rec.AppendBinary(b, encodeHost) // the record is the rest of the message
	})
}

var errBroadcast = errors.New("natsfleet: a corrupt BroadcastChannel message")

func decodeBroadcast(b []byte, decodeHost func([]byte) (structuredclone.HostValue, error)) (string, broadcast.Message, error) {
	var m broadcast.Message
	if len(b) < 1 || b[0] != broadcastVersion {
		return "", m, errBroadcast
	}
	b = b[1:]
	var strs [3]string
	for i := range strs {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return "", m, errBroadcast
		}
		strs[i] = string(b[k : k+int(n)])
		b = b[k+int(n):]
	}
	m.Origin, m.Name = strs[1], strs[2]
	d, rest, err := readData(b, func(b []byte) (any, []byte, error) {
		if decodeHost == nil {
			decodeHost = func([]byte) (structuredclone.HostValue, error) {
				return nil, weberr.New(weberr.DataCloneError, "Blob and File values cannot cross nodes here")
			}
		}
		rec, err := structuredclone.UnmarshalBinary(b, decodeHost)
		if err != nil {
			return nil, nil, fmt.Errorf("natsfleet: a BroadcastChannel message's data: %w", err)
		}
		return rec, nil, nil // the record is the rest of the message
	})
	if err == errData || (err == nil && len(rest) != 0) {
		return "", m, errBroadcast
	}
	if err != nil {
		return "", m, err
	}
	m.Data.Data = d
	return strs[0], m, nil
}

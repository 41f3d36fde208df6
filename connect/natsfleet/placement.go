package natsfleet

import (
	"encoding/json"
	"errors"
	"hash/fnv"
	"slices"

	"github.com/nats-io/nats.go"
)

// Placement. The connections to one registration are served by one
// node's worker, so that its crossOriginClients.getAll() lists them all.
// Rendezvous hashing over the members picks that node; but when a node
// joins, the pick may move while connections stay where they were, and
// the registration's clients would be split between two workers. So
// every node says, with each presence announcement, for which scope keys
// it has open connections ("PREFIX.serving": its node id and the keys'
// 64-bit FNV-1a hashes), and Owner prefers a member that has: a
// registration's connections stay on the node that has them until they
// all close. Two nodes that took connections for one key in the same
// presence interval (before hearing each other) both say so; rendezvous
// among them then sends every new connection to one of them.

// servingMessage is a node's list of the keys it serves.
type servingMessage struct {
	Node string   `json:"node"`
	Keys []uint64 `json:"keys"`
}

func keyHash(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}

// announceServing publishes the keys this node has connections for.
func (r *Router) announceServing() {
	r.mu.Lock()
	b := r.b
	r.mu.Unlock()
	msg := servingMessage{Node: r.node, Keys: []uint64{}}
	if b != nil {
		for _, k := range b.ServedKeys() {
			msg.Keys = append(msg.Keys, keyHash(k))
		}
	}
	data, _ := json.Marshal(msg)
	if err := r.nc.Publish(r.subject("serving"), data); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		r.log.Warn("natsfleet: announcing the keys served", "err", err)
	}
}

// onServing records another node's list.
func (r *Router) onServing(m *nats.Msg) {
	var msg servingMessage
	if err := json.Unmarshal(m.Data, &msg); err != nil || msg.Node == "" || msg.Node == r.node {
		return
	}
	set := make(map[uint64]bool, len(msg.Keys))
	for _, k := range msg.Keys {
		set[k] = true
	}
	r.mu.Lock()
	if _, up := r.peers[msg.Node]; up {
		r.serving[msg.Node] = set
	}
	r.mu.Unlock()
}

// servingMembers returns the members that have connections for key: this
// node by its broker, the others by what they last said.
func (r *Router) servingMembers(members []string, key string) []string {
	h := keyHash(key)
	r.mu.Lock()
	b := r.b
	var out []string
	for _, id := range members {
		if id != r.node && r.serving[id][h] {
			out = append(out, id)
		}
	}
	r.mu.Unlock()
	if b != nil && slices.Contains(b.ServedKeys(), key) {
		out = append(out, r.node)
	}
	return out
}

package registry

import (
	"context"
	"sort"
)

// Fleet is what a registry learns of the other nodes of its fleet beyond
// the shared store: where workers run and which clients the nodes have.
// Package natsfleet's Router implements it; give it with
// [Registry.SetFleet].
type Fleet interface {
	// NodeID returns this node's id.
	NodeID() string
	// Peers asks every other node this node hears for its state about
	// the registration with scope key key (every registration for ""),
	// waiting a short deadline, and returns one PeerState per node, in
	// node order. A node that did not answer in time is listed with
	// Answered false.
	Peers(ctx context.Context, key string) []PeerState
}

// PeerState is another node's state as it reported it (see
// [Registry.LocalState]).
type PeerState struct {
	Node     string
	Answered bool
	// Running are the ids of the versions whose worker runs on the node.
	Running []int64
	// Clients is how many clients on the node the registration's active
	// worker controls (0 when every registration was asked).
	Clients int
}

type peersHolder struct{ f Fleet }

// SetFleet makes the registry consult f: activation counts the other
// nodes' clients (see [Registry.TryActivate]) and [Registry.Fleet]
// returns f. Set it once, before the node serves; nil outside a fleet.
func (r *Registry) SetFleet(f Fleet) {
	if f == nil {
		r.peers.Store(nil)
		return
	}
	r.peers.Store(&peersHolder{f: f})
}

// Fleet returns what SetFleet set, or nil.
func (r *Registry) Fleet() Fleet {
	if h := r.peers.Load(); h != nil {
		return h.f
	}
	return nil
}

// LocalState is what this node reports to the others: the ids of the
// versions whose worker runs here (of the registration with scope key
// key, or of every registration for ""), sorted, and how many clients
// here that registration's active worker controls (0 for "").
func (r *Registry) LocalState(key string) (running []int64, clients int) {
	var regs []*Registration
	if key == "" {
		regs = r.Registrations("")
	} else if reg, ok := r.index.Get(key); ok {
		regs = []*Registration{reg}
		reg.mu.Lock()
		if reg.active != nil {
			clients = len(reg.clients)
		}
		reg.mu.Unlock()
	}
	for _, reg := range regs {
		reg.mu.Lock()
		vs := []*Version{reg.active, reg.waiting, reg.installing}
		reg.mu.Unlock()
		for _, v := range vs {
			if v == nil {
				continue
			}
			v.mu.Lock()
			if v.w != nil && v.w.Running() {
				running = append(running, v.id)
			}
			v.mu.Unlock()
		}
	}
	sort.Slice(running, func(i, j int) bool { return running[i] < running[j] })
	return running, clients
}

// RetryActivations tries, in the background, to activate the waiting
// worker of every registration that has one: call it when a node left
// the fleet, since its clients no longer hold the active workers.
func (r *Registry) RetryActivations() {
	for _, reg := range r.Registrations("") {
		if reg.Waiting() == nil {
			continue
		}
		r.background(func(ctx context.Context) { r.tryActivate(ctx, reg) })
	}
}

// othersHoldActive reports whether a client on another node of the fleet
// is controlled by reg's active worker, or another node heard did not
// answer in time (its clients may be): the waiting worker then waits.
// Outside a fleet it is false.
func (r *Registry) othersHoldActive(ctx context.Context, reg *Registration) bool {
	f := r.Fleet()
	if f == nil {
		return false
	}
	for _, p := range f.Peers(ctx, reg.scope.Key()) {
		if !p.Answered || p.Clients > 0 {
			r.log.Debug("the waiting worker waits for another node's clients", "scope", reg.text, "node", p.Node, "answered", p.Answered, "clients", p.Clients)
			return true
		}
	}
	return false
}

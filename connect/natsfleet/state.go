package natsfleet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/swhost/swhost/registry"
)

// DefaultStateTimeout is Options.StateTimeout's default.
const DefaultStateTimeout = 250 * time.Millisecond

// stateReply is a node's answer to a state request ("PREFIX.state", the
// request's data being the asking node's id, a NUL, and a scope key or
// nothing).
type stateReply struct {
	Node    string  `json:"node"`
	Running []int64 `json:"running,omitempty"`
	Clients int     `json:"clients,omitempty"`
}

// ServeState makes this node answer the other nodes' state requests
// ([Router.Peers]) with local, which returns, for a scope key ("" for
// every registration), the versions whose worker runs here and the
// clients here the registration's active worker controls
// (registry.Registry.LocalState).
func (r *Router) ServeState(local func(key string) (running []int64, clients int)) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return errors.New("natsfleet: the router is closed")
	}
	sub, err := r.nc.Subscribe(r.subject("state"), func(m *nats.Msg) {
		from, key, ok := strings.Cut(string(m.Data), "\x00")
		if m.Reply == "" || !ok || from == r.node {
			return // not a request, or this node's own
		}
		running, clients := local(key)
		data, _ := json.Marshal(stateReply{Node: r.node, Running: running, Clients: clients})
		if err := m.Respond(data); err != nil {
			r.log.Warn("natsfleet: answering a state request", "err", err)
		}
	})
	if err != nil {
		return fmt.Errorf("natsfleet: subscribing to state requests: %w", err)
	}
	r.subs = append(r.subs, sub)
	if err := r.nc.Flush(); err != nil {
		return fmt.Errorf("natsfleet: %w", err)
	}
	return nil
}

// Peers implements [registry.Fleet]: it publishes one state request and
// gathers the answers of every other member until each answered or
// Options.StateTimeout passed (a node that serves no state, or is
// stopping, is then listed unanswered). In the node's first presence
// interval it first waits for the members to be known.
func (r *Router) Peers(ctx context.Context, key string) []registry.PeerState {
	select {
	case <-r.settled:
	case <-r.ctx.Done():
	case <-ctx.Done():
	}
	want := map[string]bool{}
	for _, id := range r.Members() {
		if id != r.node {
			want[id] = true
		}
	}
	if len(want) == 0 {
		return nil
	}
	got := map[string]stateReply{}
	inbox := r.nc.NewRespInbox()
	ch := make(chan *nats.Msg, len(want)+8)
	sub, err := r.nc.ChanSubscribe(inbox, ch)
	if err == nil {
		defer func() { _ = sub.Unsubscribe() }()
		err = r.nc.PublishRequest(r.subject("state"), inbox, []byte(r.node+"\x00"+key))
	}
	if err != nil {
		r.log.Warn("natsfleet: asking the other nodes for their state", "err", err)
	} else {
		timer := time.NewTimer(r.opts.StateTimeout)
		defer timer.Stop()
	gather:
		for len(got) < len(want) {
			select {
			case m := <-ch:
				var rep stateReply
				if json.Unmarshal(m.Data, &rep) == nil && rep.Node != "" && rep.Node != r.node {
					got[rep.Node] = rep
				}
			case <-timer.C:
				break gather
			case <-ctx.Done():
				break gather
			}
		}
	}
	// A node that answered without being a member yet (it just joined)
	// counts too.
	for id := range got {
		want[id] = true
	}
	out := make([]registry.PeerState, 0, len(want))
	for id := range want {
		rep, ok := got[id]
		out = append(out, registry.PeerState{Node: id, Answered: ok, Running: rep.Running, Clients: rep.Clients})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Node < out[j].Node })
	return out
}

package main

import (
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/swhost/swhost/broadcast"
	"github.com/swhost/swhost/connect/natsfleet"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// fleetFlags are serve's fleet flags: --nats and --node-id (with --store,
// see docs/fleet.md).
type fleetFlags struct {
	nats   string
	nodeID string
}

func (f *fleetFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&f.nats, "nats", "", "route cross-origin connect channels and BroadcastChannel messages between the nodes of a fleet over the NATS server at this nats:// URL (comma-separated for a cluster); every node of the fleet shares the same --store postgres:// database and --nats")
	fs.StringVar(&f.nodeID, "node-id", "", "this node's name in the fleet (letters, digits, '-' and '_'; default: random at each start)")
}

// check validates the flags.
func (f *fleetFlags) check() error {
	if f.nodeID != "" && strings.Trim(f.nodeID, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
		return weberr.Errorf(weberr.TypeError, "--node-id %q: use letters, digits, '-' and '_'", f.nodeID)
	}
	if f.nats != "" && !strings.HasPrefix(f.nats, "nats://") && !strings.HasPrefix(f.nats, "tls://") {
		return weberr.Errorf(weberr.TypeError, "--nats %q: want a nats:// or tls:// URL", f.nats)
	}
	return nil
}

// router connects to NATS and returns this node's connect router, or nil
// without --nats. The connection reconnects for ever; close the router
// then the connection.
// onMembers, when set, is called each time a node joins or leaves.
func (f *fleetFlags) router(log *slog.Logger, onMembers func([]string)) (*natsfleet.Router, *nats.Conn, error) {
	if f.nats == "" {
		return nil, nil, nil
	}
	name := "swhost"
	if f.nodeID != "" {
		name += " " + f.nodeID
	}
	nc, err := nats.Connect(f.nats, nats.Name(name), nats.MaxReconnects(-1),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) { log.Warn("NATS disconnected", "err", err) }),
		nats.ReconnectHandler(func(c *nats.Conn) { log.Info("NATS reconnected", "server", c.ConnectedUrlRedacted()) }))
	if err != nil {
		return nil, nil, fmt.Errorf("--nats %s: %w", f.nats, err)
	}
	rt, err := natsfleet.New(nc, natsfleet.Options{NodeID: f.nodeID, Logger: log, OnMembers: onMembers})
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	return rt, nc, nil
}

// relayBroadcasts relays the process's BroadcastChannel messages to the
// other nodes over rt's NATS connection (Blob and File values as
// IndexedDB stores them). Stop it with stopRelay before closing rt.
func relayBroadcasts(rt *natsfleet.Router) (*natsfleet.Relay, error) {
	rl, err := rt.Broadcast(broadcast.Default, natsfleet.HostCodec{Encode: worker.IDBHostCodec.Encode, Decode: worker.IDBHostCodec.Decode})
	if err != nil {
		return nil, err
	}
	broadcast.Default.SetRelay(rl)
	return rl, nil
}

// stopRelay stops relaying BroadcastChannel messages.
func stopRelay(rl *natsfleet.Relay) {
	broadcast.Default.SetRelay(nil)
	rl.Close()
}

// joinRegistry makes reg and rt see each other: rt answers the other
// nodes' state requests from reg (where workers run, the clients here),
// and reg asks the other nodes through rt (activation counts their
// clients; the admin API shows where workers run). Undo it with
// leaveRegistry before closing rt.
func joinRegistry(reg *registry.Registry, rt *natsfleet.Router) error {
	if err := rt.ServeState(reg.LocalState); err != nil {
		return err
	}
	reg.SetFleet(rt)
	// Another node may have asked before this one answered.
	reg.RetryActivations()
	return nil
}

// leaveRegistry stops reg asking the other nodes.
func leaveRegistry(reg *registry.Registry) { reg.SetFleet(nil) }

package registry

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/swhost/swhost/scope"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/sw"
)

// Fleet mode. When the store has a coordinator (store.CoordinatorOf: the
// PostgreSQL store, which several nodes share), every node keeps its own
// copy of the registrations in memory, as a single node does, and the
// coordinator keeps the copies right:
//
//   - a job (register, update, soft update, unregister, activate, clear)
//     takes its scope key's fleet-wide lock after this node's own, so jobs
//     for one scope run on one node at a time across the fleet; holding it,
//     the node reloads the scope from the store before the job looks at
//     it, so it never works from a stale copy, and discards what a node
//     that died mid-job left (an installing version);
//   - when a job ends, its node notifies the scope key, and every other
//     node reloads that scope: it adopts new registrations and versions,
//     moves versions between slots, and retires (on this node only) the
//     versions and registrations that are gone from the store;
//   - after its listening connection (re)connects, a node reloads every
//     scope, since notices sent meanwhile were lost.
//
// Without a coordinator (SQLite) none of this runs: jobs take only the
// node's own lock.

// lockJob takes the job queue of a scope key for a job: this node's (a
// mutex per key) and, in a fleet, the fleet-wide lock, after which what
// this node keeps of the scope is reloaded from the store. unlock releases
// both, after notifying the other nodes that the scope may have changed.
// It fails when the fleet lock or the reload fails (the database is
// unreachable): the job must not run then.
func (r *Registry) lockJob(ctx context.Context, key string) (unlock func(), err error) {
	local := r.job(key)
	if r.coord == nil {
		return local, nil
	}
	fleet, err := r.coord.LockScope(ctx, key)
	if err != nil {
		local()
		return nil, fmt.Errorf("registry: taking the fleet's job lock of %s: %w", key, err)
	}
	if err := r.syncScope(ctx, key, true); err != nil {
		fleet()
		local()
		return nil, err
	}
	return func() {
		nctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		if err := r.coord.Notify(nctx, store.Change{ScopeKey: key}); err != nil {
			r.log.Warn("telling the fleet about a change", "scope", key, "err", err)
		}
		cancel()
		fleet()
		local()
	}, nil
}

// startFleet starts listening for the changes other nodes make, until
// Close.
func (r *Registry) startFleet() {
	ctx, cancel := context.WithCancel(context.Background())
	r.fleetCtx, r.fleetStop = ctx, cancel
	r.fleetDone = make(chan struct{})
	go func() {
		defer close(r.fleetDone)
		err := r.coord.Listen(ctx, r.onChange, func(up bool) {
			r.fleetUp.Store(up)
			if up {
				r.emit(Event{Type: "connected"})
			} else {
				r.emit(Event{Type: "disconnected"})
			}
		})
		if err != nil && ctx.Err() == nil && !errors.Is(err, store.ErrClosed) {
			r.log.Error("listening for the fleet's changes stopped", "err", err)
		}
	}()
}

// stopFleet stops listening and waits for the listener to end.
func (r *Registry) stopFleet() {
	if r.fleetStop == nil {
		return
	}
	r.fleetStop()
	<-r.fleetDone
	r.fleetWG.Wait()
}

// InFleet reports whether the registry's store is shared by a fleet of
// nodes (it has a coordinator).
func (r *Registry) InFleet() bool { return r.coord != nil }

// Connected reports whether the registry hears the changes other nodes
// of its fleet make (its store's listening connection is up). A node
// that does not may serve registrations other nodes changed; it catches
// up when it reconnects. Without a fleet it is always true.
func (r *Registry) Connected() bool { return r.coord == nil || r.fleetUp.Load() }

// onChange handles a change notice, off the listening goroutine: a
// reload waits for this node's job of the same scope.
func (r *Registry) onChange(c store.Change) {
	if !c.All && c.Node == r.coord.NodeID() {
		return // this node's own job: nothing to reload
	}
	r.log.Debug("fleet: a change to reload", "scope", c.ScopeKey, "all", c.All, "from", c.Node)
	// Reloads are counted apart from the background work of Wait, which
	// callers expect no new work in; stopFleet waits for them. This runs
	// on the listening goroutine, so no Add follows stopFleet's Wait.
	r.fleetWG.Add(1)
	go func() {
		defer r.fleetWG.Done()
		ctx, cancel := context.WithTimeout(r.fleetCtx, 2*time.Minute)
		defer cancel()
		var err error
		if c.All {
			err = r.syncAll(ctx)
		} else {
			unlock := r.job(c.ScopeKey)
			err = r.syncScope(ctx, c.ScopeKey, false)
			unlock()
		}
		if err != nil {
			r.log.Warn("reloading what another node changed", "scope", c.ScopeKey, "all", c.All, "err", err)
		}
	}()
}

// syncAll reloads every scope: those in the store and those this node
// has. Each is reloaded under its job lock from a fresh read, so that a
// snapshot older than a job this node just ran is never applied.
func (r *Registry) syncAll(ctx context.Context) error {
	loaded, err := r.opts.Store.LoadRegistrations(ctx)
	if err != nil {
		return fmt.Errorf("registry: reloading every registration: %w", err)
	}
	keys := map[string]bool{}
	for _, l := range loaded {
		keys[l.Registration.ScopeKey] = true
	}
	for _, res := range r.index.All() {
		keys[res.Value.scope.Key()] = true
	}
	var errs []error
	for key := range keys {
		unlock := r.job(key)
		errs = append(errs, r.syncScope(ctx, key, false))
		unlock()
	}
	return errors.Join(errs...)
}

// syncScope brings what this node keeps of the scope key up to date with
// the store; the caller holds the key's job lock (this node's, and the
// fleet's when owner is set).
func (r *Registry) syncScope(ctx context.Context, key string, owner bool) error {
	l, err := r.opts.Store.LoadRegistration(ctx, key)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return r.reconcile(ctx, key, nil, owner)
	case err != nil:
		return fmt.Errorf("registry: reloading %s: %w", key, err)
	}
	return r.reconcile(ctx, key, &l, owner)
}

// reconcile makes this node's copy of the scope key what the store has,
// l (nil when the store has no registration for it). With owner set the
// caller holds the fleet's job lock, so no node is installing: an
// installing version in the store was left by a node that died mid-job,
// and is discarded (with its registration when it has no other version),
// as restore does on a single node.
func (r *Registry) reconcile(ctx context.Context, key string, l *store.Loaded, owner bool) error {
	if l != nil && owner {
		var keep []store.Version
		for _, sv := range l.Versions {
			if sv.Slot == store.SlotActive || sv.Slot == store.SlotWaiting {
				keep = append(keep, sv)
			} else if err := r.opts.Store.DeleteVersion(ctx, sv.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("registry: discarding an unfinished version of %s: %w", key, err)
			}
		}
		l.Versions = keep
		if len(keep) == 0 {
			if err := r.opts.Store.DeleteRegistration(ctx, l.Registration.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("registry: discarding an unfinished registration %s: %w", key, err)
			}
			l = nil
		}
	}
	cur, _ := r.index.Get(key)
	if cur != nil && (l == nil || cur.id != l.Registration.ID) {
		r.dropRemoved(cur)
		cur = nil
	}
	if l == nil {
		return nil
	}
	if cur != nil {
		r.refresh(cur, l)
		return nil
	}
	sc, err := scope.Parse(l.Registration.ScopeText, "")
	if err != nil {
		r.log.Warn("skipping stored registration with an invalid scope", "scope", l.Registration.ScopeText, "err", err)
		return nil
	}
	r.log.Debug("fleet: adopting a registration", "scope", l.Registration.ScopeText, "versions", len(l.Versions))
	reg := r.newRegistration(l.Registration, sc)
	if err := r.index.Add(sc, reg); err != nil {
		return fmt.Errorf("registry: adding %s: %w", key, err)
	}
	r.mu.Lock()
	r.byID[reg.id] = reg
	r.perOrigin[sc.Origin()]++
	r.mu.Unlock()
	r.emit(Event{Type: "register", Scope: reg.text})
	r.refresh(reg, l)
	return nil
}

// dropRemoved forgets reg, which another node unregistered (or
// unregistered and registered anew): it stops matching at once, and its
// versions stop when no client of this node is controlled by it any more
// (see Registration.RemoveClient).
func (r *Registry) dropRemoved(reg *Registration) {
	reg.mu.Lock()
	was := reg.uninstalling
	reg.uninstalling = true
	idle := len(reg.clients) == 0
	reg.mu.Unlock()
	if cur, ok := r.index.Get(reg.scope.Key()); ok && cur == reg {
		r.index.Remove(reg.scope)
	}
	if !was {
		r.emit(Event{Type: "unregister", Scope: reg.text})
	}
	if idle {
		r.clearLocal(reg)
	}
}

// refresh gives reg the options and versions of l, its stored state:
// versions keep their identity (and running worker) when they only moved
// between slots or changed state; new ones are adopted (their worker
// starts on its first event, from the stored scripts); versions no
// longer in a slot are retired on this node.
func (r *Registry) refresh(reg *Registration, l *store.Loaded) {
	type change struct {
		v     *Version
		state sw.State
		isNew bool // v's state is set; only its event is due
	}
	var changes []change
	reg.mu.Lock()
	reg.updateViaCache = orDefault(l.Registration.UpdateViaCache, sw.UpdateViaCacheImports)
	reg.typ = orDefault(l.Registration.Type, sw.WorkerClassic)
	reg.lastUpdateCheck = l.Registration.LastUpdateCheck
	old := map[int64]*Version{}
	for _, v := range []*Version{reg.installing, reg.waiting, reg.active} {
		if v != nil {
			old[v.id] = v
		}
	}
	prevActive := reg.active
	var slots [3]*Version // installing, waiting, active
	for _, sv := range l.Versions {
		var i int
		switch sv.Slot {
		case store.SlotInstalling:
			i = 0
		case store.SlotWaiting:
			i = 1
		case store.SlotActive:
			i = 2
		default:
			continue // a version being created, not yet installing
		}
		v := old[sv.ID]
		delete(old, sv.ID)
		state := orDefault(sv.State, sw.StateParsed)
		if v == nil {
			v = reg.newVersion(sv)
			changes = append(changes, change{v, state, true})
		}
		v.mu.Lock()
		v.foreignFetch = sv.ForeignFetch
		if v.state != state {
			changes = append(changes, change{v, state, false})
		}
		v.mu.Unlock()
		slots[i] = v
	}
	reg.installing, reg.waiting, reg.active = slots[0], slots[1], slots[2]
	reg.mu.Unlock()
	for _, c := range changes {
		if c.isNew {
			r.emit(Event{Type: "state", Scope: reg.text, ScriptURL: c.v.scriptURL, VersionID: c.v.id, State: c.state})
		} else {
			c.v.setState(c.state)
		}
	}
	for _, v := range old {
		r.retireLocal(v)
	}
	if a := slots[2]; a != prevActive && a != nil {
		if prevActive != nil {
			r.ffRemove(prevActive)
		}
		r.ffAdd(a)
	}
}

// fleetState is the Registry's fleet mode state (see fleet.go).
type fleetState struct {
	coord     store.Coordinator // nil without a fleet
	fleetCtx  context.Context   // ends at Close
	fleetStop context.CancelFunc
	fleetDone chan struct{}  // closed when the listener returned
	fleetWG   sync.WaitGroup // reloads in progress
	fleetUp   atomic.Bool
	peers     atomic.Pointer[peersHolder] // set by SetFleet (fleetnodes.go)
}

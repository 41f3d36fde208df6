package registry

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/swhost/swhost/internal/pgtest"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/scope"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/sw"
)

// TestMain stops the PostgreSQL server the fleet tests started.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// fleetSeen is how soon a node must serve what another node changed.
const fleetSeen = time.Second

// node is one swhost node of a test fleet: a store on the shared
// PostgreSQL database and a registry over it, in this process.
type node struct {
	st *store.SQLStore
	r  *Registry
	// changed gets a value (without blocking) on every lifecycle event.
	changed chan struct{}
}

// newFleet returns n nodes sharing a new PostgreSQL database, closed when
// t ends. now, when not nil, is every node's clock.
func newFleet(t *testing.T, e *env, n int, now func() time.Time) []*node {
	t.Helper()
	url := pgtest.New(t)
	nodes := make([]*node, n)
	for i := range nodes {
		nodes[i] = newNode(t, url, e.net, now)
	}
	return nodes
}

func newNode(t *testing.T, url string, net *network.Transport, now func() time.Time) *node {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(ctx, Options{Store: st, Network: net, Limits: testLimits, Now: now})
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	nd := &node{st: st, r: r, changed: make(chan struct{}, 1)}
	r.Subscribe(func(Event) {
		select {
		case nd.changed <- struct{}{}:
		default:
		}
	})
	t.Cleanup(func() { r.Close(); st.Close() })
	waitFor(t, nd, 10*time.Second, "listening for the fleet's changes", r.Connected)
	return nd
}

// waitFor waits until cond holds, checking it again on every lifecycle
// event of nd's registry, for at most d.
func waitFor(t *testing.T, nd *node, d time.Duration, what string, cond func() bool) {
	t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	for !cond() {
		select {
		case <-nd.changed:
		case <-timer.C:
			if cond() {
				return
			}
			t.Fatalf("not within %v: %s", d, what)
		}
	}
}

func activeScript(nd *node, url string) string {
	reg := nd.r.MatchString(url)
	if reg == nil {
		return ""
	}
	v := reg.Active()
	if v == nil || v.State() != sw.StateActivated {
		return ""
	}
	return v.ScriptURL()
}

// TestFleetRegisterUpdateUnregister: a registration made on node A is
// served by node B within a second (its worker running from the scripts
// A stored), so is an update installed on A, and an unregistration on A
// stops B's matching.
func TestFleetRegisterUpdateUnregister(t *testing.T) {
	e := newEnv(t)
	nodes := newFleet(t, e, 2, nil)
	a, b := nodes[0], nodes[1]
	ctx := context.Background()
	e.app.set("/sw.js", cachingWorker)
	req := RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "/sw.js"}
	regA, err := a.r.Register(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, b, fleetSeen, "B serves the version registered on A", func() bool {
		return activeScript(b, "https://app.test/x") == "https://app.test/sw.js"
	})
	regB := b.r.MatchString("https://app.test/x")
	if regB.ID() != regA.ID() || regB.Active().ID() != regA.Active().ID() {
		t.Errorf("B has registration %d version %d, A %d version %d", regB.ID(), regB.Active().ID(), regA.ID(), regA.Active().ID())
	}
	e.app.setFile("/sw.js", file{status: 500}) // B runs what A stored
	if got := fetchVia(t, regB, "https://app.test/x"); got != "v1 /x" {
		t.Errorf("B's fetch event answered %q", got)
	}

	// An update installed on A: B serves it (the same Registration, a
	// new Version) and retires the old version.
	e.app.set("/sw.js", `self.addEventListener('fetch', e => e.respondWith(new Response('v2')));`)
	oldB := regB.Active()
	if err := a.r.Update(ctx, regA); err != nil {
		t.Fatal(err)
	}
	waitFor(t, b, fleetSeen, "B serves the version A updated to", func() bool {
		v := regB.Active()
		return v != nil && v != oldB && v.State() == sw.StateActivated
	})
	if got := fetchVia(t, regB, "https://app.test/x"); got != "v2" {
		t.Errorf("B's fetch event after the update answered %q", got)
	}
	if oldB.State() != sw.StateRedundant {
		t.Errorf("B's old version is %s, want redundant", oldB.State())
	}
	if b.r.MatchString("https://app.test/x") != regB {
		t.Error("B replaced its Registration instead of refreshing it")
	}

	// Unregistered on A: B stops matching.
	if err := a.r.Unregister(ctx, regA); err != nil {
		t.Fatal(err)
	}
	waitFor(t, b, fleetSeen, "B forgets the registration A removed and retires its version", func() bool {
		return b.r.MatchString("https://app.test/x") == nil && regB.Uninstalling() && regB.Active() == nil
	})

	// Registered again on B, from scratch: A sees the new one.
	e.app.set("/sw.js", cachingWorker)
	if _, err := b.r.Register(ctx, req); err != nil {
		t.Fatal(err)
	}
	waitFor(t, a, fleetSeen, "A serves the registration made again on B", func() bool {
		return activeScript(a, "https://app.test/x") == "https://app.test/sw.js"
	})
}

// TestFleetConcurrentRegister: the same registration made on both nodes
// at once installs exactly one version: the jobs run one after the
// other, and the second finds the first's.
func TestFleetConcurrentRegister(t *testing.T) {
	e := newEnv(t)
	nodes := newFleet(t, e, 2, nil)
	e.app.set("/sw.js", cachingWorker)
	var wg sync.WaitGroup
	regs := make([]*Registration, len(nodes))
	for i, nd := range nodes {
		wg.Go(func() {
			reg, err := nd.r.Register(context.Background(), RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "/sw.js", Scope: "/app/"})
			if err != nil {
				t.Error(err)
				return
			}
			regs[i] = reg
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if regs[0].ID() != regs[1].ID() || regs[0].Active() == nil || regs[1].Active() == nil || regs[0].Active().ID() != regs[1].Active().ID() {
		t.Fatalf("the nodes disagree: registration %d and %d", regs[0].ID(), regs[1].ID())
	}
	if n := e.app.hits["/sw.js"]; n != 1 {
		t.Errorf("the script was fetched %d times, want 1 (one install)", n)
	}
	vs, err := nodes[0].st.Versions(context.Background(), regs[0].ID())
	if err != nil || len(vs) != 1 {
		t.Errorf("the store has %d versions (%v), want 1", len(vs), err)
	}
}

// TestFleetSoftUpdateOnce: a stale registration soft-updated by every
// node at once is checked once: the nodes after the first find its check
// fresh once they hold the job lock.
func TestFleetSoftUpdateOnce(t *testing.T) {
	e := newEnv(t)
	var skew atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	nodes := newFleet(t, e, 3, now)
	e.app.set("/sw.js", cachingWorker)
	if _, err := nodes[0].r.Register(context.Background(), RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "/sw.js"}); err != nil {
		t.Fatal(err)
	}
	for _, nd := range nodes[1:] {
		waitFor(t, nd, fleetSeen, "the registration reaches every node", func() bool {
			return activeScript(nd, "https://app.test/") != ""
		})
	}
	skew.Store(int64(StaleAfter + time.Hour))
	for _, nd := range nodes {
		nd.r.SoftUpdate(nd.r.MatchString("https://app.test/"))
	}
	for _, nd := range nodes {
		nd.r.Wait()
	}
	e.app.mu.Lock()
	defer e.app.mu.Unlock()
	if n := e.app.hits["/sw.js"]; n != 2 {
		t.Errorf("the script was fetched %d times, want 2 (register, one soft update)", n)
	}
}

// TestFleetDiscardsDeadNodesInstall: an installing version left in the
// store by a node that died mid-install is discarded by the next job of
// its scope, which installs its own.
func TestFleetDiscardsDeadNodesInstall(t *testing.T) {
	e := newEnv(t)
	nodes := newFleet(t, e, 1, nil)
	ctx := context.Background()
	st := nodes[0].st
	// What a node that died after storing its first version leaves.
	sc, err := scope.Parse("https://app.test/", "")
	if err != nil {
		t.Fatal(err)
	}
	sr := store.Registration{ScopeKey: sc.Key(), ScopeText: sc.String(), Origin: sc.Origin()}
	sv := store.Version{ScriptURL: "https://app.test/dead.js", State: sw.StateInstalling, Slot: store.SlotInstalling}
	if err := st.CreateRegistration(ctx, &sr, &sv, []store.Script{{URL: sv.ScriptURL, Body: []byte("")}}); err != nil {
		t.Fatal(err)
	}
	e.app.set("/sw.js", cachingWorker)
	reg, err := nodes[0].r.Register(ctx, RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "/sw.js"})
	if err != nil {
		t.Fatal(err)
	}
	if reg.ID() == sr.ID || activeScript(nodes[0], "https://app.test/") != "https://app.test/sw.js" {
		t.Errorf("registration %d (the dead node's was %d), active %q", reg.ID(), sr.ID, activeScript(nodes[0], "https://app.test/"))
	}
	if _, err := st.Version(ctx, sv.ID); err == nil {
		t.Error("the dead node's installing version is still stored")
	}
}

// TestFleetNodeStartsLater: a node that starts after a registration was
// made elsewhere restores it and serves it from the stored scripts.
func TestFleetNodeStartsLater(t *testing.T) {
	e := newEnv(t)
	url := pgtest.New(t)
	a := newNode(t, url, e.net, nil)
	e.app.set("/sw.js", cachingWorker)
	if _, err := a.r.Register(context.Background(), RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "/sw.js"}); err != nil {
		t.Fatal(err)
	}
	e.app.setFile("/sw.js", file{status: 500})
	b := newNode(t, url, e.net, nil)
	if got := activeScript(b, "https://app.test/x"); got != "https://app.test/sw.js" {
		t.Fatalf("the later node serves %q", got)
	}
	if got := fetchVia(t, b.r.MatchString("https://app.test/x"), "https://app.test/x"); got != "v1 /x" {
		t.Errorf("the later node's fetch event answered %q", got)
	}
}

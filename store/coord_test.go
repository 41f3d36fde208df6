package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/swhost/swhost/internal/pgtest"
	"github.com/swhost/swhost/sw"
)

// TestLoadRegistration: one registration with its live versions, by scope
// key, on both backends; a missing one is ErrNotFound.
func TestLoadRegistration(t *testing.T) { eachBackend(t, testLoadRegistration) }

func testLoadRegistration(t *testing.T, b backend) {
	ctx := context.Background()
	s := b.open(t)
	for _, key := range []string{"https://a.test/", "https://b.test/"} {
		r := Registration{ScopeKey: key, ScopeText: key, Origin: strings.TrimSuffix(key, "/")}
		v := Version{ScriptURL: key + "sw.js", State: sw.StateActivated, Slot: SlotActive}
		if err := s.CreateRegistration(ctx, &r, &v, []Script{{URL: v.ScriptURL, Body: []byte("1")}}); err != nil {
			t.Fatal(err)
		}
		red := Version{RegistrationID: r.ID, ScriptURL: key + "old.js", State: sw.StateRedundant}
		if err := s.AddVersion(ctx, &red, nil); err != nil {
			t.Fatal(err)
		}
	}
	l, err := s.LoadRegistration(ctx, "https://b.test/")
	if err != nil {
		t.Fatal(err)
	}
	if l.Registration.ScopeKey != "https://b.test/" || len(l.Versions) != 1 || l.Versions[0].ScriptURL != "https://b.test/sw.js" || l.Versions[0].Slot != SlotActive {
		t.Errorf("LoadRegistration = %+v", l)
	}
	if _, err := s.LoadRegistration(ctx, "https://c.test/"); !errors.Is(err, ErrNotFound) {
		t.Errorf("LoadRegistration of a missing scope = %v, want ErrNotFound", err)
	}
}

// TestCoordinatorOnlyOnPostgres: the SQLite store coordinates nothing.
func TestCoordinatorOnlyOnPostgres(t *testing.T) {
	if c := CoordinatorOf(sqliteBackend.open(t)); c != nil {
		t.Errorf("CoordinatorOf(SQLite store) = %v, want nil", c)
	}
	if c := CoordinatorOf(postgresBackend.open(t)); c == nil {
		t.Error("CoordinatorOf(PostgreSQL store) = nil")
	}
}

// TestCoordinatorLocks: two nodes on one database: a scope lock held by
// one makes the other wait until it is released, or until the holder's
// session ends (a dead node); a wait ends with its context.
func TestCoordinatorLocks(t *testing.T) {
	ctx := context.Background()
	loc := postgresBackend.location(t)
	a, b := CoordinatorOf(postgresBackend.openAt(t, loc)), CoordinatorOf(postgresBackend.openAt(t, loc))
	raw := postgresBackend.raw(t, loc)

	unlockA, err := a.LockScope(ctx, "https://app.test/")
	if err != nil {
		t.Fatal(err)
	}
	// Another scope is not held.
	unlockOther, err := b.LockScope(ctx, "https://other.test/")
	if err != nil {
		t.Fatal(err)
	}
	unlockOther()

	got := make(chan func(), 1)
	go func() {
		u, err := b.LockScope(ctx, "https://app.test/")
		if err != nil {
			t.Error(err)
			close(got)
			return
		}
		got <- u
	}()
	waitWaiters(t, raw, 1)
	select {
	case <-got:
		t.Fatal("B took the scope lock A holds")
	default:
	}
	unlockA()
	unlockA() // idempotent
	unlockB := <-got
	if unlockB == nil {
		t.FailNow()
	}

	// A waits for B; the wait ends with its context.
	cctx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() {
		_, err := a.LockScope(cctx, "https://app.test/")
		errc <- err
	}()
	waitWaiters(t, raw, 1)
	cancel()
	if err := <-errc; err == nil {
		t.Error("LockScope with a cancelled context took the lock")
	}

	// B's session dies (as when its node is killed): A gets the lock.
	go func() {
		u, err := a.LockScope(ctx, "https://app.test/")
		if err != nil {
			t.Error(err)
			close(got)
			return
		}
		got <- u
	}()
	waitWaiters(t, raw, 1)
	if _, err := raw.Exec(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1::int::oid`, int64(uint32(lockSpaceScope))); err != nil {
		t.Fatal(err)
	}
	u := <-got
	if u == nil {
		t.FailNow()
	}
	u()
	unlockB() // its session is gone: a warning, no error
}

// waitWaiters waits until n sessions wait for a scope lock.
func waitWaiters(t *testing.T, raw *sql.DB, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var got int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions wait for a scope lock, want %d", got, n)
		}
		time.Sleep(5 * time.Millisecond) // polling the server's lock table: there is nothing to wait on
	}
}

// TestCoordinatorNotices: every listening node gets every notice, its
// own included, after Change{All: true} at connection; a notice too long
// for NOTIFY arrives as All; Listen ends with its context.
func TestCoordinatorNotices(t *testing.T) {
	ctx := context.Background()
	loc := postgresBackend.location(t)
	a, b := CoordinatorOf(postgresBackend.openAt(t, loc)), CoordinatorOf(postgresBackend.openAt(t, loc))
	if a.NodeID() == b.NodeID() || a.NodeID() == "" {
		t.Fatalf("node ids %q and %q", a.NodeID(), b.NodeID())
	}
	lctx, cancel := context.WithCancel(ctx)
	changes := make(chan Change, 16)
	up := make(chan bool, 4)
	done := make(chan error, 1)
	go func() { done <- b.Listen(lctx, func(c Change) { changes <- c }, func(c bool) { up <- c }) }()
	if c := <-changes; !c.All {
		t.Fatalf("first change = %+v, want All", c)
	}
	if !<-up {
		t.Fatal("connected(false) before connected(true)")
	}
	if err := a.Notify(ctx, Change{ScopeKey: "https://app.test/"}); err != nil {
		t.Fatal(err)
	}
	if c := <-changes; c.ScopeKey != "https://app.test/" || c.Node != a.NodeID() || c.All {
		t.Errorf("change = %+v, want https://app.test/ from %s", c, a.NodeID())
	}
	if err := b.Notify(ctx, Change{ScopeKey: strings.Repeat("x", 9000)}); err != nil {
		t.Fatal(err)
	}
	if c := <-changes; !c.All || c.Node != b.NodeID() {
		t.Errorf("long change = %+v, want All from %s", c, b.NodeID())
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Listen = %v, want context.Canceled", err)
	}
}

// TestCoordinatorListenReconnects: when the listening session is killed,
// Listen reconnects and says All again (notices sent meanwhile are lost).
func TestCoordinatorListenReconnects(t *testing.T) {
	ctx := context.Background()
	loc := postgresBackend.location(t)
	st := postgresBackend.openAt(t, loc)
	c := CoordinatorOf(st)
	raw := postgresBackend.raw(t, loc)
	changes := make(chan Change, 16)
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.Listen(lctx, func(c Change) { changes <- c }, nil) }()
	<-changes
	if _, err := raw.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %'`); err != nil {
		t.Fatal(err)
	}
	if ch := <-changes; !ch.All {
		t.Errorf("after reconnecting: %+v, want All", ch)
	}
	st.Close()
	if err := <-done; !errors.Is(err, ErrClosed) {
		t.Errorf("Listen after Close = %v, want ErrClosed", err)
	}
}

// TestUnavailable: while the PostgreSQL server is down, writes, reads and
// scope locks fail with ErrUnavailable; once it is back, the same store
// works again, and Listen has reconnected (saying All).
func TestUnavailable(t *testing.T) {
	ctx := context.Background()
	srv := pgtest.NewServer(t)
	s := postgresBackend.openAt(t, srv.NewDatabase(t))
	c := CoordinatorOf(s)
	changes := make(chan Change, 16)
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go c.Listen(lctx, func(ch Change) { changes <- ch }, nil)
	<-changes
	if err := s.Put(ctx, "k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	srv.Crash()
	if err := s.Put(ctx, "k", []byte("w")); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Put with the server down = %v, want ErrUnavailable", err)
	}
	if _, err := s.Get(ctx, "k"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Get with the server down = %v, want ErrUnavailable", err)
	}
	if _, err := c.LockScope(ctx, "x"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("LockScope with the server down = %v, want ErrUnavailable", err)
	}
	if err := srv.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	if ch := <-changes; !ch.All {
		t.Errorf("after the server came back: %+v, want All", ch)
	}
	// The pools drop their broken connections; the first call after may
	// still meet one.
	var err error
	for range 3 {
		if err = s.Put(ctx, "k", []byte("x")); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("Put after the server came back = %v", err)
	}
	if v, err := s.Get(ctx, "k"); err != nil || string(v) != "x" {
		t.Errorf("Get = %q, %v", v, err)
	}
	u, err := c.LockScope(ctx, "x")
	if err != nil {
		t.Fatal(err)
	}
	u()
	if errors.Is(ErrNotFound, ErrUnavailable) {
		t.Error("ErrNotFound is ErrUnavailable")
	}
}

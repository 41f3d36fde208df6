package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/sw"
)

// TestConcurrentReadersWriters runs writers and readers at once (run with
// -race): readers must only ever see whole registrations, and
// read-modify-write transactions must not lose updates.
func TestConcurrentReadersWriters(t *testing.T) { eachBackend(t, testConcurrentReadersWriters) }

func testConcurrentReadersWriters(t *testing.T, b backend) {
	ctx := context.Background()
	s := b.open(t)
	writers, readers, each := 3, 2, 15
	if testing.Short() {
		each = 6
	}
	var wg sync.WaitGroup
	var done atomic.Bool
	errs := make(chan error, 1000)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				key := fmt.Sprintf("https://w%d.test/%d/", w, i)
				r := Registration{ScopeKey: key, ScopeText: key, Origin: fmt.Sprintf("https://w%d.test", w)}
				v := Version{ScriptURL: key + "sw.js", State: sw.StateInstalling, Slot: SlotInstalling}
				if err := s.CreateRegistration(ctx, &r, &v, crashScripts(v.ScriptURL)); err != nil {
					errs <- err
					return
				}
				if err := s.SetVersionStates(ctx, StateChange{v.ID, sw.StateActivated, SlotActive}); err != nil {
					errs <- err
					return
				}
				// A read-modify-write of a shared counter.
				err := s.Update(ctx, func(tx Tx) error {
					n := 0
					b, err := tx.Get(ctx, "counter")
					if err == nil {
						n, _ = strconv.Atoi(string(b))
					} else if !errors.Is(err, ErrNotFound) {
						return err
					}
					return tx.Put(ctx, "counter", []byte(strconv.Itoa(n+1)))
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	var rg sync.WaitGroup
	for range readers {
		rg.Go(func() {
			for !done.Load() {
				all, err := s.LoadRegistrations(ctx)
				if err != nil {
					errs <- err
					return
				}
				for _, l := range all {
					if len(l.Versions) != 1 {
						errs <- fmt.Errorf("reader saw %s with %d versions", l.Registration.ScopeKey, len(l.Versions))
						return
					}
				}
				if len(all) > 0 {
					v := all[len(all)-1].Versions[0]
					scripts, err := s.Scripts(ctx, v.ID)
					if err != nil || !scriptsEqual(scripts, crashScripts(v.ScriptURL)) {
						errs <- fmt.Errorf("reader saw incomplete scripts of version %d: %d, %v", v.ID, len(scripts), err)
						return
					}
				}
				if _, err := s.Registrations(ctx, "https://w0.test"); err != nil {
					errs <- err
					return
				}
				if err := s.Scan(ctx, "", ScanOptions{}, func(KVEntry) error { return nil }); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	done.Store(true)
	rg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	all, err := s.LoadRegistrations(ctx)
	if err != nil || len(all) != writers*each {
		t.Errorf("%d registrations (%v), want %d", len(all), err, writers*each)
	}
	got, err := s.Get(ctx, "counter")
	if err != nil || string(got) != strconv.Itoa(writers*each) {
		t.Errorf("counter = %s (%v), want %d: lost updates", got, err, writers*each)
	}
}

// TestTwoStoresOneDatabase opens the same database twice, as a CLI
// command does next to a running server on SQLite, or as two nodes of a
// fleet do on PostgreSQL, and writes through both at once: the second
// writer waits for the first (SQLite's busy_timeout, PostgreSQL's
// advisory lock) instead of failing, and each sees the other's commits.
func TestTwoStoresOneDatabase(t *testing.T) { eachBackend(t, testTwoStoresOneDatabase) }

func testTwoStoresOneDatabase(t *testing.T, bk backend) {
	ctx := context.Background()
	loc := bk.location(t)
	a, b := bk.openAt(t, loc), bk.openAt(t, loc)
	const each = 20
	// Both stores open the same cache of one origin.
	var caches []*cachestorage.Cache
	for _, s := range []*SQLStore{a, b} {
		cs, err := cachestorage.New(s.CacheStorage(), cachestorage.Limits{}).For("https://shared.test")
		if err != nil {
			t.Fatal(err)
		}
		c, err := cs.Open(ctx, "v1")
		if err != nil {
			t.Fatal(err)
		}
		caches = append(caches, c)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*each)
	for i, s := range []*SQLStore{a, b} {
		wg.Go(func() {
			for j := range each {
				key := fmt.Sprintf("https://s%d.test/%d/", i, j)
				r := Registration{ScopeKey: key, ScopeText: key, Origin: fmt.Sprintf("https://s%d.test", i)}
				v := Version{ScriptURL: key + "sw.js", Slot: SlotActive, State: sw.StateActivated}
				if err := s.CreateRegistration(ctx, &r, &v, crashScripts(v.ScriptURL)); err != nil {
					errs <- err
					return
				}
				// A read-modify-write of a counter both stores share.
				err := s.Update(ctx, func(tx Tx) error {
					n := 0
					if got, err := tx.Get(ctx, "counter"); err == nil {
						n, _ = strconv.Atoi(string(got))
					} else if !errors.Is(err, ErrNotFound) {
						return err
					}
					return tx.Put(ctx, "counter", []byte(strconv.Itoa(n+1)))
				})
				if err != nil {
					errs <- err
					return
				}
				// Cache Storage writes of one origin through both.
				if err := caches[i].Put(ctx, &fetch.Request{Method: "GET", URL: key}, &fetch.Response{Type: fetch.TypeBasic, Status: 200}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for name, s := range map[string]*SQLStore{"a": a, "b": b} {
		all, err := s.LoadRegistrations(ctx)
		if err != nil || len(all) != 2*each {
			t.Errorf("store %s sees %d registrations (%v), want %d", name, len(all), err, 2*each)
		}
		if got, err := s.Get(ctx, "counter"); err != nil || string(got) != strconv.Itoa(2*each) {
			t.Errorf("store %s: counter = %s (%v), want %d: lost updates", name, got, err, 2*each)
		}
	}
	keys, err := caches[0].Keys(ctx, nil, cachestorage.MatchOptions{})
	if err != nil || len(keys) != 2*each {
		t.Errorf("the shared cache has %d entries (%v), want %d", len(keys), err, 2*each)
	}
}

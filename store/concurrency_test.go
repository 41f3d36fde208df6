package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/swhost/swhost/sw"
)

// TestConcurrentReadersWriters runs writers and readers at once (run with
// -race): readers must only ever see whole registrations, and
// read-modify-write transactions must not lose updates.
func TestConcurrentReadersWriters(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
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
	b, err := s.Get(ctx, "counter")
	if err != nil || string(b) != strconv.Itoa(writers*each) {
		t.Errorf("counter = %s (%v), want %d: lost updates", b, err, writers*each)
	}
}

// TestTwoStoresOneDirectory opens the same database twice, as a CLI
// command does next to a running server, and writes through both at once:
// the second writer waits for the first (busy_timeout) instead of failing,
// and each sees the other's commits.
func TestTwoStoresOneDirectory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, err := OpenWith(ctx, dir, Options{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := OpenWith(ctx, dir, Options{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	const each = 20
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
	}
}

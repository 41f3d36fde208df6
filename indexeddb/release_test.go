package indexeddb

import (
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
)

// TestIdleDatabasesAreDropped: a database with no connection, transaction
// or queued request leaves the factory, so that opening new names without
// end does not grow it, and its schema and records come back from the
// backend when it is opened again.
func TestIdleDatabasesAreDropped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFactory()
		for i := range 50 {
			r := open(t, f, fmt.Sprintf("db%d", i), 1, Events{}, func(tr *Transaction) {
				id := tr.NewID()
				if _, err := run(t, tr, func(tx *Tx) (any, error) { return nil, tx.CreateStore(id, "s", KeyPath{}, false) }); err != nil {
					t.Error(err)
				}
			})
			if r.err != nil {
				t.Fatal(r.err)
			}
			tr, err := r.conn.Transaction([]string{"s"}, ReadWrite)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := put(t, tr, storeID(r.conn, "s"), map[string]any{"i": float64(i)}, ptr(Number(1))); err != nil {
				t.Fatal(err)
			}
			commit(t, tr)
			r.conn.Close()
		}
		synctest.Wait()
		f.mu.Lock()
		n := len(f.dbs)
		f.mu.Unlock()
		if n != 0 {
			t.Fatalf("%d idle databases kept", n)
		}
		r := open(t, f, "db7", 0, Events{}, nil)
		if r.err != nil || r.conn.Version() != 1 || r.conn.Schema().Store("s") == nil {
			t.Fatalf("reopened: %+v", r)
		}
		tr, _ := r.conn.Transaction([]string{"s"}, ReadOnly)
		recs, err := run(t, tr, func(tx *Tx) ([]Record, error) {
			return tx.GetAll(Source{Store: storeID(r.conn, "s")}, All, 0, false, true)
		})
		commit(t, tr)
		if err != nil || len(recs) != 1 {
			t.Fatalf("records after reopening: %d, %v", len(recs), err)
		}
		f.mu.Lock()
		n = len(f.dbs)
		f.mu.Unlock()
		if n != 1 {
			t.Errorf("%d databases with one open connection, want 1", n)
		}
		r.conn.Close()
	})
}

// TestDropRacesOpen: upgrades to rising versions from many goroutines,
// each connection closed as soon as it is made (or by the next upgrade's
// versionchange), race the factory dropping the database in between; each
// upgrade must still start from the schema the one before committed, so
// every store is there at the end.
func TestDropRacesOpen(t *testing.T) {
	f := newFactory()
	const n = 40
	var mu sync.Mutex
	next := uint64(1)
	var upgraded []uint64 // the versions whose upgrade committed
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				mu.Lock()
				v := next
				next++
				mu.Unlock()
				if v > n {
					return
				}
				r := open(t, f, "race", v, Events{}, func(tr *Transaction) {
					id := tr.NewID()
					if _, err := run(t, tr, func(tx *Tx) (any, error) {
						return nil, tx.CreateStore(id, fmt.Sprintf("s%d", v), KeyPath{}, false)
					}); err != nil {
						t.Error(err)
					}
				})
				if r.err == nil {
					mu.Lock()
					upgraded = append(upgraded, v)
					mu.Unlock()
					r.conn.Close()
				}
			}
		})
	}
	wg.Wait()
	r := open(t, f, "race", 0, Events{}, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	defer r.conn.Close()
	// Versions opened out of order fail (VersionError) and add nothing;
	// every upgrade that committed kept the stores of those before it.
	s := r.conn.Schema()
	if s.Version != n {
		t.Fatalf("version %d, want %d", s.Version, n)
	}
	if len(upgraded) == 0 || len(s.Stores) != len(upgraded) {
		t.Fatalf("%d stores for %d upgrades", len(s.Stores), len(upgraded))
	}
	for _, v := range upgraded {
		if s.Store(fmt.Sprintf("s%d", v)) == nil {
			t.Errorf("the store of upgrade %d is missing", v)
		}
	}
}

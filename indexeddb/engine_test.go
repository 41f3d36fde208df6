package indexeddb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/weberr"
)

const origin = "https://app.test"

// run queues fn on tr and waits for its result.
func run[T any](t testing.TB, tr *Transaction, fn func(*Tx) (T, error)) (T, error) {
	t.Helper()
	type res struct {
		v   any
		err error
	}
	ch := make(chan res, 1)
	if err := tr.Do(func(tx *Tx) (any, error) { return fn(tx) }, func(v any, err error) { ch <- res{v, err} }); err != nil {
		var zero T
		return zero, err
	}
	r := <-ch
	v, _ := r.v.(T)
	return v, r.err
}

func commit(t testing.TB, tr *Transaction) error {
	t.Helper()
	ch := make(chan error, 1)
	tr.Commit(func(err error) { ch <- err })
	return <-ch
}

// openResult is what an open request ended with.
type openResult struct {
	conn    *Connection
	old     uint64
	err     error
	blocked bool
}

// open opens name at version, running upgrade (if any) in the upgrade
// transaction, which it commits.
func open(t testing.TB, f *Factory, name string, version uint64, ev Events, upgrade func(*Transaction)) openResult {
	t.Helper()
	ch := make(chan openResult, 1)
	var mu sync.Mutex
	blocked := false
	f.Open(origin, name, version, ev, OpenCallbacks{
		Blocked: func(uint64, uint64) { mu.Lock(); blocked = true; mu.Unlock() },
		Upgrade: func(conn *Connection, tx *Transaction, old uint64) bool {
			go func() {
				if upgrade != nil {
					upgrade(tx)
				}
				tx.Commit(func(error) {})
			}()
			return true
		},
		Done: func(conn *Connection, old uint64, err error) {
			mu.Lock()
			defer mu.Unlock()
			ch <- openResult{conn, old, err, blocked}
		},
	})
	return <-ch
}

func newFactory() *Factory { return NewFactory(NewMemoryBackend(), HostCodec{}) }

// setup opens "db" version 1 with store "s" (keyPath id) and its unique
// index "by_name" (name), and store "auto" (autoIncrement).
func setup(t testing.TB, f *Factory) *Connection {
	t.Helper()
	r := open(t, f, "db", 1, Events{}, func(tr *Transaction) {
		sid, iid, aid := tr.NewID(), tr.NewID(), tr.NewID()
		if _, err := run(t, tr, func(tx *Tx) (any, error) {
			if err := tx.CreateStore(sid, "s", StringPath("id"), false); err != nil {
				return nil, err
			}
			if err := tx.CreateIndex(sid, iid, "by_name", StringPath("name"), true, false); err != nil {
				return nil, err
			}
			return nil, tx.CreateStore(aid, "auto", KeyPath{}, true)
		}); err != nil {
			t.Error(err)
		}
	})
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.conn
}

func storeID(c *Connection, name string) int64 { return c.Schema().Store(name).ID }

func put(t testing.TB, tr *Transaction, store int64, v map[string]any, key *Key) (Key, error) {
	return run(t, tr, func(tx *Tx) (Key, error) {
		rec := record(t, v)
		k := key
		if k == nil {
			if st := tx.Schema().StoreByID(store); !st.KeyPath.IsNone() {
				if x, ok := ExtractKey(rec, st.KeyPath); ok {
					k = &x
				}
			}
		}
		return tx.Put(store, rec, k, false)
	})
}

func TestPutGetCursorAndUnique(t *testing.T) {
	f := newFactory()
	c := setup(t, f)
	s := storeID(c, "s")
	ix := c.Schema().Store("s").Index("by_name").ID
	tr, err := c.Transaction([]string{"s"}, ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"c", "a", "b"} {
		if _, err := put(t, tr, s, map[string]any{"id": float64(i), "name": name}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := put(t, tr, s, map[string]any{"id": 9.0, "name": "a"}, nil); weberr.NameOf(err) != weberr.ConstraintError {
		t.Fatalf("duplicate in a unique index: %v", err)
	}
	// Replacing a record keeps the index unique against itself.
	if _, err := put(t, tr, s, map[string]any{"id": 1.0, "name": "a"}, nil); err != nil {
		t.Fatalf("replacing: %v", err)
	}
	recs, err := run(t, tr, func(tx *Tx) ([]Record, error) {
		return tx.GetAll(Source{Store: s, Index: ix}, All, 0, false, false)
	})
	if err != nil || len(recs) != 3 {
		t.Fatalf("index getAll: %v %v", recs, err)
	}
	for i, want := range []struct{ k, pk Key }{{String("a"), Number(1)}, {String("b"), Number(2)}, {String("c"), Number(0)}} {
		if Compare(recs[i].Key, want.k) != 0 || Compare(recs[i].PrimaryKey, want.pk) != 0 {
			t.Errorf("index entry %d = %s→%s, want %s→%s", i, recs[i].Key, recs[i].PrimaryKey, want.k, want.pk)
		}
	}
	if err := commit(t, tr); err != nil {
		t.Fatal(err)
	}

	ro, _ := c.Transaction([]string{"s"}, ReadOnly)
	// A reverse cursor over the store, then one over the index with
	// continue to a key.
	keys, err := run(t, ro, func(tx *Tx) ([]Key, error) {
		var out []Key
		cs := &CursorState{Source: Source{Store: s}, Direction: Prev}
		for {
			r, ok, err := tx.Step(cs, nil, nil, 1)
			if err != nil || !ok {
				return out, err
			}
			out = append(out, r.Key)
		}
	})
	if err != nil || len(keys) != 3 || keys[0].Num != 2 || keys[2].Num != 0 {
		t.Errorf("reverse cursor: %v %v", keys, err)
	}
	r, err := run(t, ro, func(tx *Tx) (Record, error) {
		cs := &CursorState{Source: Source{Store: s, Index: ix}, Direction: Next}
		if _, _, err := tx.Step(cs, nil, nil, 1); err != nil {
			return Record{}, err
		}
		b := String("b2")
		r, _, err := tx.Step(cs, &b, nil, 1)
		return r, err
	})
	if err != nil || r.Key.Str != "c" || r.PrimaryKey.Num != 0 || r.Value == nil {
		t.Errorf("continue(\"b2\") = %+v %v", r, err)
	}
	if v, err := f.Codec().DecodeValue(r.Value); err != nil || v.Export().(map[string]any)["name"] != "c" {
		t.Errorf("value %v %v", v, err)
	}
	if err := commit(t, ro); err != nil {
		t.Fatal(err)
	}
}

func TestKeyGenerator(t *testing.T) {
	f := newFactory()
	c := setup(t, f)
	a := storeID(c, "auto")
	tr, _ := c.Transaction([]string{"auto"}, ReadWrite)
	var got []Key
	for _, k := range []*Key{nil, ptr(Number(3)), nil, ptr(Number(-10)), nil, ptr(Number(6.00001)), nil, ptr(String("foo")), nil} {
		key, err := put(t, tr, a, map[string]any{}, k)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, key)
	}
	want := []float64{1, 3, 4, -10, 5, 6.00001, 7, 0, 8}
	for i, w := range want {
		if i == 7 {
			continue
		}
		if got[i].Num != w {
			t.Errorf("key %d = %s, want %v", i, got[i], w)
		}
	}
	if err := commit(t, tr); err != nil {
		t.Fatal(err)
	}
	// An aborted transaction's keys are generated again.
	tr, _ = c.Transaction([]string{"auto"}, ReadWrite)
	k, _ := put(t, tr, a, map[string]any{}, nil)
	if k.Num != 9 {
		t.Errorf("next key %s", k)
	}
	tr.Abort(nil)
	<-tr.Done()
	tr, _ = c.Transaction([]string{"auto"}, ReadWrite)
	k, _ = put(t, tr, a, map[string]any{}, nil)
	if k.Num != 9 {
		t.Errorf("after an abort: %s, want 9 again", k)
	}
	big := Number(1 << 53)
	put(t, tr, a, map[string]any{}, &big)
	if _, err := put(t, tr, a, map[string]any{}, nil); weberr.NameOf(err) != weberr.ConstraintError {
		t.Errorf("past 2^53: %v", err)
	}
	commit(t, tr)
}

func ptr[T any](v T) *T { return &v }

func TestAbortDropsChanges(t *testing.T) {
	f := newFactory()
	c := setup(t, f)
	s := storeID(c, "s")
	tr, _ := c.Transaction([]string{"s"}, ReadWrite)
	put(t, tr, s, map[string]any{"id": 1.0, "name": "x"}, nil)
	tr.Abort(nil)
	<-tr.Done()
	if !errors.Is(tr.Err(), tr.Err()) || weberr.NameOf(tr.Err()) != weberr.AbortError {
		t.Errorf("Err = %v", tr.Err())
	}
	ro, _ := c.Transaction([]string{"s"}, ReadOnly)
	n, err := run(t, ro, func(tx *Tx) (int64, error) { return tx.Count(Source{Store: s}, All) })
	if err != nil || n != 0 {
		t.Errorf("count after abort = %d, %v", n, err)
	}
	// Operations queued on an aborted transaction get ErrAborted.
	if err := tr.Do(func(*Tx) (any, error) { return nil, nil }, func(any, error) {}); err == nil {
		t.Error("Do on an aborted transaction succeeded")
	}
}

// TestScheduling checks the standard's constraints: read/write
// transactions with overlapping scopes run one after the other in
// creation order, across connections; read-only ones run together.
func TestScheduling(t *testing.T) {
	f := newFactory()
	c1 := setup(t, f)
	c2 := open(t, f, "db", 1, Events{}, nil).conn
	s := storeID(c1, "s")
	var mu sync.Mutex
	var order []string
	note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }

	rw1, _ := c1.Transaction([]string{"s"}, ReadWrite)
	rw2, _ := c2.Transaction([]string{"s", "auto"}, ReadWrite)
	ro1, _ := c2.Transaction([]string{"s"}, ReadOnly)
	other, _ := c2.Transaction([]string{"auto"}, ReadOnly) // overlaps rw2 only
	// rw2 cannot start before rw1 finishes: its first operation waits.
	done2 := make(chan struct{})
	rw2.Do(func(tx *Tx) (any, error) { note("rw2"); return nil, nil }, func(any, error) { close(done2) })
	ro1Done := make(chan struct{})
	ro1.Do(func(tx *Tx) (any, error) { note("ro1"); return nil, nil }, func(any, error) { close(ro1Done) })
	put(t, rw1, s, map[string]any{"id": 1.0, "name": "n"}, nil)
	note("rw1")
	select {
	case <-done2:
		t.Fatal("rw2 ran while rw1 was running")
	case <-ro1Done:
		t.Fatal("ro1 ran while rw1 was running")
	default:
	}
	commit(t, rw1)
	<-done2
	commit(t, rw2)
	<-ro1Done
	if order[0] != "rw1" || order[1] != "rw2" || order[2] != "ro1" {
		t.Errorf("order %v", order)
	}
	// Two read-only transactions run at once: the second runs while
	// the first waits inside an operation.
	ro2, _ := c1.Transaction([]string{"s"}, ReadOnly)
	ro3, _ := c2.Transaction([]string{"s"}, ReadOnly)
	release := make(chan struct{})
	ro2.Do(func(*Tx) (any, error) { <-release; return nil, nil }, func(any, error) {})
	if _, err := run(t, ro3, func(tx *Tx) (int64, error) { return tx.Count(Source{Store: s}, All) }); err != nil {
		t.Fatal(err)
	}
	close(release)
	commit(t, ro1)
	commit(t, ro2)
	commit(t, ro3)
	commit(t, other)
}

// TestVersionChange checks that an upgrade fires versionchange at the
// other connections, reports blocked, and waits for them to close.
func TestVersionChange(t *testing.T) {
	f := newFactory()
	events := make(chan [2]uint64, 1)
	var c1 *Connection
	ev := Events{OnVersionChange: func(old, new uint64, deleting bool, ack func()) bool {
		events <- [2]uint64{old, new}
		ack()
		return true
	}}
	r := open(t, f, "v", 1, ev, nil)
	if r.err != nil || r.old != 0 {
		t.Fatal(r)
	}
	c1 = r.conn
	done := make(chan openResult, 1)
	go func() { done <- open(t, f, "v", 2, Events{}, nil) }()
	if e := <-events; e != [2]uint64{1, 2} {
		t.Errorf("versionchange %v", e)
	}
	select {
	case <-done:
		t.Fatal("the upgrade did not wait for the open connection")
	case <-time.After(20 * time.Millisecond):
	}
	c1.Close()
	r2 := <-done
	if r2.err != nil || r2.old != 1 || !r2.blocked || r2.conn.Version() != 2 {
		t.Errorf("upgrade: %+v", r2)
	}
	// A lower version is a VersionError.
	if r := open(t, f, "v", 1, Events{}, nil); weberr.NameOf(r.err) != weberr.VersionError {
		t.Errorf("lower version: %v", r.err)
	}
	r2.conn.Close()
	// Delete, then the database is gone.
	ch := make(chan uint64, 1)
	f.DeleteDatabase(origin, "v", OpenCallbacks{Done: func(_ *Connection, old uint64, err error) { ch <- old }})
	if old := <-ch; old != 2 {
		t.Errorf("deleted version %d", old)
	}
	if list, _ := f.Databases(context.Background(), origin); len(list) != 0 {
		t.Errorf("databases after delete: %v", list)
	}
}

// TestUpgradeAbort checks that an aborted upgrade leaves no database and
// that createIndex on records that clash aborts.
func TestUpgradeAbort(t *testing.T) {
	f := newFactory()
	c := setup(t, f)
	s := storeID(c, "s")
	tr, _ := c.Transaction([]string{"s"}, ReadWrite)
	put(t, tr, s, map[string]any{"id": 1.0, "name": "a", "tag": "t"}, nil)
	put(t, tr, s, map[string]any{"id": 2.0, "name": "b", "tag": "t"}, nil)
	commit(t, tr)
	c.Close()
	ch := make(chan openResult, 1)
	f.Open(origin, "db", 2, Events{}, OpenCallbacks{
		Upgrade: func(conn *Connection, tx *Transaction, old uint64) bool {
			id := tx.NewID()
			tx.Do(func(x *Tx) (any, error) { return nil, x.CreateIndex(s, id, "tag", StringPath("tag"), true, false) },
				func(_ any, err error) {
					if weberr.NameOf(err) != weberr.ConstraintError {
						t.Errorf("createIndex: %v", err)
					}
					tx.Abort(err)
				})
			return true
		},
		Done: func(conn *Connection, old uint64, err error) { ch <- openResult{conn: conn, old: old, err: err} },
	})
	if r := <-ch; weberr.NameOf(r.err) != weberr.AbortError {
		t.Errorf("open after an aborted upgrade: %+v", r)
	}
	r := open(t, f, "db", 0, Events{}, nil)
	if r.err != nil || r.conn.Version() != 1 || r.conn.Schema().Store("s").Index("tag") != nil {
		t.Errorf("after the aborted upgrade: %+v", r)
	}
	// A new database whose first upgrade aborts does not exist.
	f.Open(origin, "new", 1, Events{}, OpenCallbacks{
		Upgrade: func(conn *Connection, tx *Transaction, old uint64) bool { tx.Abort(nil); return true },
		Done:    func(conn *Connection, old uint64, err error) { ch <- openResult{err: err} },
	})
	<-ch
	list, _ := f.Databases(context.Background(), origin)
	if len(list) != 1 || list[0].Name != "db" {
		t.Errorf("databases: %v", list)
	}
}

func TestRecordBinary(t *testing.T) {
	v := map[string]any{"a": []any{1.0, "x", nil, true}, "b": []byte{1, 2}, "d": time.UnixMilli(5), "m": structuredclone.Map{{"k", 1.0}}}
	rec := record(t, v)
	b, err := rec.AppendBinary(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	back, err := structuredclone.UnmarshalBinary(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := back.Export().(map[string]any)
	if got["a"].([]any)[1] != "x" || got["d"].(time.Time).UnixMilli() != 5 || len(got["m"].(structuredclone.Map)) != 1 {
		t.Errorf("round trip: %#v", got)
	}
	for i := range b {
		structuredclone.UnmarshalBinary(b[:i], nil) // must not panic
	}
}

// putIn puts v into store (keyed by its id) from inside an operation.
func putIn(tx *Tx, store int64, v map[string]any) error {
	rec, err := structuredclone.FromGo(v)
	if err != nil {
		return err
	}
	k, _ := ExtractKey(rec, StringPath("id"))
	_, err = tx.Put(store, rec, &k, false)
	return err
}

// TestCursorReadAhead: plain steps read entries ahead, and a cursor still
// sees what its own transaction writes between steps just ahead of it (a
// record put, one deleted), forward and backward, over a store and an
// index, with and without values.
func TestCursorReadAhead(t *testing.T) {
	f := newFactory()
	c := setup(t, f)
	s := storeID(c, "s")
	ix := c.Schema().Store("s").Index("by_name").ID
	tr, _ := c.Transaction([]string{"s"}, ReadWrite)
	defer commit(t, tr)
	for i := range 100 {
		if _, err := put(t, tr, s, map[string]any{"id": float64(i * 2), "name": fmt.Sprintf("n%03d", i*2)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	name := func(r Record) string {
		v, err := f.Codec().DecodeValue(r.Value)
		if err != nil {
			t.Fatal(err)
		}
		return v.Export().(map[string]any)["name"].(string)
	}
	tests := []struct {
		name     string
		src      Source
		dir      Direction
		keysOnly bool
	}{
		{"store next", Source{Store: s}, Next, false},
		{"store prev", Source{Store: s}, Prev, false},
		{"index next", Source{Store: s, Index: ix}, Next, false},
		{"index prev keys", Source{Store: s, Index: ix}, Prev, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := 1
			if tt.dir == Prev {
				d = -1
			}
			var added, deleted int
			got, err := run(t, tr, func(tx *Tx) ([]int, error) {
				cs := &CursorState{Source: tt.src, Direction: tt.dir, KeysOnly: tt.keysOnly}
				var out []int
				for step := 0; ; step++ {
					r, ok, err := tx.Step(cs, nil, nil, 1)
					if err != nil || !ok {
						return out, err
					}
					pk := int(r.PrimaryKey.Num)
					if !tt.keysOnly && name(r) != fmt.Sprintf("n%03d", pk) {
						return nil, fmt.Errorf("step %d: record %d has the value of %q", step, pk, name(r))
					}
					out = append(out, pk)
					if step == 10 {
						// Just ahead of the cursor, within what it read
						// ahead: a new record, and one gone.
						added, deleted = pk+3*d, pk+4*d
						if err := putIn(tx, s, map[string]any{"id": float64(added), "name": fmt.Sprintf("n%03d", added)}); err != nil {
							return nil, err
						}
						if err := tx.Delete(s, Only(Number(float64(deleted)))); err != nil {
							return nil, err
						}
					}
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(got, added) || slices.Contains(got, deleted) || len(got) != 100 {
				t.Errorf("%d records (want 100, with %d, without %d): %v", len(got), added, deleted, got)
			}
			// Put the records back for the next case.
			if _, err := run(t, tr, func(tx *Tx) (any, error) {
				if err := tx.Delete(s, Only(Number(float64(added)))); err != nil {
					return nil, err
				}
				return nil, putIn(tx, s, map[string]any{"id": float64(deleted), "name": fmt.Sprintf("n%03d", deleted)})
			}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestCursorAdvance checks advance(n), read in one scan, against n steps
// of one entry: over a store and a non-unique index (entries of one key
// ordered by primary key), in every direction, with and without
// values, past records the transaction itself put and deleted (its
// overlay), and off the end of the range.
func TestCursorAdvance(t *testing.T) {
	f := newFactory()
	r := open(t, f, "adv", 1, Events{}, func(tr *Transaction) {
		sid, gid := tr.NewID(), tr.NewID()
		if _, err := run(t, tr, func(tx *Tx) (any, error) {
			if err := tx.CreateStore(sid, "s", StringPath("id"), false); err != nil {
				return nil, err
			}
			return nil, tx.CreateIndex(sid, gid, "g", StringPath("g"), false, false)
		}); err != nil {
			t.Error(err)
		}
	})
	if r.err != nil {
		t.Fatal(r.err)
	}
	c := r.conn
	s := storeID(c, "s")
	g := c.Schema().Store("s").Index("g").ID
	tr, _ := c.Transaction([]string{"s"}, ReadWrite)
	for i := range 60 {
		if _, err := put(t, tr, s, map[string]any{"id": float64(i), "g": float64(i % 7)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	commit(t, tr)
	tr, _ = c.Transaction([]string{"s"}, ReadWrite)
	defer commit(t, tr)
	// Uncommitted: a new record and one gone, in the middle of both orders.
	if _, err := run(t, tr, func(tx *Tx) (any, error) {
		if err := putIn(tx, s, map[string]any{"id": 30.5, "g": 3.0}); err != nil {
			return nil, err
		}
		return nil, tx.Delete(s, Only(Number(17)))
	}); err != nil {
		t.Fatal(err)
	}
	lo, hi := Number(5), Number(50)
	bounded, err := NewRange(&lo, &hi, false, true)
	if err != nil {
		t.Fatal(err)
	}
	walk := func(cs *CursorState, moves []int) ([]string, error) {
		return run(t, tr, func(tx *Tx) ([]string, error) {
			var out []string
			for _, n := range moves {
				rec, ok, err := tx.Step(cs, nil, nil, n)
				if err != nil {
					return nil, err
				}
				if !ok {
					return append(out, "end"), nil
				}
				out = append(out, fmt.Sprintf("%s/%s/%x", rec.Key, rec.PrimaryKey, rec.Value))
			}
			return out, nil
		})
	}
	for _, src := range []Source{{Store: s}, {Store: s, Index: g}} {
		for _, dir := range []Direction{Next, Prev, NextUnique, PrevUnique} {
			for _, keysOnly := range []bool{false, true} {
				for _, rg := range []Range{All, bounded} {
					for _, n := range []int{2, 3, 9, 40} {
						name := fmt.Sprintf("index %v dir %v keys %v range %v advance %d", src.Index != 0, dir, keysOnly, rg != All, n)
						// Open, then advance(n) four times; the same by
						// single steps.
						byAdvance, err := walk(&CursorState{Source: src, Range: rg, Direction: dir, KeysOnly: keysOnly}, []int{1, n, n, n, n})
						if err != nil {
							t.Fatal(err)
						}
						moves := []int{1}
						for range 4 {
							for range n {
								moves = append(moves, 1)
							}
						}
						bySteps, err := walk(&CursorState{Source: src, Range: rg, Direction: dir, KeysOnly: keysOnly}, moves)
						if err != nil {
							t.Fatal(err)
						}
						var want []string
						for i := 0; i < len(bySteps); i++ {
							if i == 0 || i%n == 0 || bySteps[i] == "end" {
								want = append(want, bySteps[i])
							}
							if bySteps[i] == "end" {
								break
							}
						}
						if !slices.Equal(byAdvance, want) {
							t.Errorf("%s:\nadvance %v\nsteps   %v", name, byAdvance, want)
						}
					}
				}
			}
		}
	}
}

package store

import (
	"context"
	"testing"

	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/internal/structuredclone"
)

// idbDo runs fn in tr and waits for it.
func idbDo(t testing.TB, tr *indexeddb.Transaction, fn func(*indexeddb.Tx) (any, error)) any {
	t.Helper()
	type res struct {
		v   any
		err error
	}
	ch := make(chan res, 1)
	if err := tr.Do(fn, func(v any, err error) { ch <- res{v, err} }); err != nil {
		t.Fatal(err)
	}
	r := <-ch
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}

func idbCommit(t testing.TB, tr *indexeddb.Transaction) {
	t.Helper()
	ch := make(chan error, 1)
	tr.Commit(func(err error) { ch <- err })
	if err := <-ch; err != nil {
		t.Fatal(err)
	}
}

// idbOpen opens origin's database name at version, running upgrade in
// the upgrade transaction.
func idbOpen(t testing.TB, f *indexeddb.Factory, origin, name string, version uint64, upgrade func(*indexeddb.Transaction)) *indexeddb.Connection {
	t.Helper()
	type res struct {
		c   *indexeddb.Connection
		err error
	}
	ch := make(chan res, 1)
	f.Open(origin, name, version, indexeddb.Events{}, indexeddb.OpenCallbacks{
		Upgrade: func(c *indexeddb.Connection, tr *indexeddb.Transaction, old uint64) bool {
			go func() {
				if upgrade != nil {
					upgrade(tr)
				}
				tr.Commit(func(error) {})
			}()
			return true
		},
		Done: func(c *indexeddb.Connection, old uint64, err error) { ch <- res{c, err} },
	})
	r := <-ch
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.c
}

func TestIndexedDB(t *testing.T) { eachBackend(t, testIndexedDB) }

// testIndexedDB runs the engine on the store: keys of every type in
// IndexedDB order through SQL, an index, persistence across a reopen,
// deletion.
func testIndexedDB(t *testing.T, b backend) {
	loc := b.location(t)
	s := b.openAt(t, loc)
	f := indexeddb.NewFactory(s.IndexedDB(), indexeddb.HostCodec{})
	const origin = "https://idb.test"
	c := idbOpen(t, f, origin, "db", 3, func(tr *indexeddb.Transaction) {
		sid, iid := tr.NewID(), tr.NewID()
		idbDo(t, tr, func(tx *indexeddb.Tx) (any, error) {
			if err := tx.CreateStore(sid, "s", indexeddb.KeyPath{}, true); err != nil {
				return nil, err
			}
			return nil, tx.CreateIndex(sid, iid, "tag", indexeddb.StringPath("tag"), false, true)
		})
	})
	sid := c.Schema().Store("s").ID
	keys := []indexeddb.Key{
		indexeddb.Array(indexeddb.Number(1)), indexeddb.Binary([]byte{0, 1}), indexeddb.String("b"), indexeddb.String("a\x00"),
		indexeddb.Date(5), indexeddb.Number(-2), indexeddb.Number(10), indexeddb.String("\U0001F600"), indexeddb.String("\uffff"),
	}
	tr, err := c.Transaction([]string{"s"}, indexeddb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		rec, _ := structuredclone.FromGo(map[string]any{"i": i, "tag": []any{"all", float64(i % 2)}})
		idbDo(t, tr, func(tx *indexeddb.Tx) (any, error) { return tx.Put(sid, rec, &k, false) })
	}
	rec, _ := structuredclone.FromGo(map[string]any{"tag": "gen"})
	got := idbDo(t, tr, func(tx *indexeddb.Tx) (any, error) { return tx.Put(sid, rec, nil, false) }).(indexeddb.Key)
	if got.Num != 11 {
		t.Errorf("generated key %s, want 11", got)
	}
	idbCommit(t, tr)
	s.Close()

	s = b.openAt(t, loc)
	f = indexeddb.NewFactory(s.IndexedDB(), indexeddb.HostCodec{})
	list, err := f.Databases(context.Background(), origin)
	if err != nil || len(list) != 1 || list[0].Version != 3 {
		t.Fatalf("databases %v %v", list, err)
	}
	c = idbOpen(t, f, origin, "db", 0, nil)
	st := c.Schema().Store("s")
	if st == nil || !st.AutoIncrement || st.Current != 12 || st.Index("tag") == nil || !st.Index("tag").MultiEntry {
		t.Fatalf("schema after reopen: %+v", st)
	}
	tr, _ = c.Transaction([]string{"s"}, indexeddb.ReadOnly)
	recs := idbDo(t, tr, func(tx *indexeddb.Tx) (any, error) {
		return tx.GetAll(indexeddb.Source{Store: sid}, indexeddb.All, 0, false, true)
	}).([]indexeddb.Record)
	if len(recs) != len(keys)+1 {
		t.Fatalf("%d records", len(recs))
	}
	for i := 1; i < len(recs); i++ {
		if indexeddb.Compare(recs[i-1].Key, recs[i].Key) >= 0 {
			t.Errorf("records out of order: %s then %s", recs[i-1].Key, recs[i].Key)
		}
	}
	one := indexeddb.Number(1)
	n := idbDo(t, tr, func(tx *indexeddb.Tx) (any, error) {
		return tx.Count(indexeddb.Source{Store: sid, Index: st.Index("tag").ID}, indexeddb.Only(one))
	}).(int64)
	if n != 4 {
		t.Errorf("multiEntry index count(1) = %d, want 4", n)
	}
	idbCommit(t, tr)
	if u, err := f.Usage(context.Background(), origin); err != nil || u.IndexedDB <= 0 || u.CacheStorage != 0 {
		t.Errorf("usage %+v %v", u, err)
	}
	c.Close()
	done := make(chan error, 1)
	f.DeleteDatabase(origin, "db", indexeddb.OpenCallbacks{Done: func(_ *indexeddb.Connection, _ uint64, err error) { done <- err }})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var left int
	if err := s.w.QueryRow(`SELECT COUNT(*) FROM idb_records`).Scan(&left); err != nil || left != 0 {
		t.Errorf("records left after deleteDatabase: %d %v", left, err)
	}
	if u, err := f.Usage(context.Background(), origin); err != nil || u.IndexedDB != 0 {
		t.Errorf("usage after deleteDatabase %+v %v", u, err)
	}
}

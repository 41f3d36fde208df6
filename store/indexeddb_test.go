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

func TestIndexedDBGetMany(t *testing.T) { eachBackend(t, testIndexedDBGetMany) }

// testIndexedDBGetMany reads an index's records with their values
// (getMany, in chunks of getManyChunk keys) through committed records and
// a transaction's own writes, and GetMany directly: keys in order,
// repeated, missing.
func testIndexedDBGetMany(t *testing.T, b backend) {
	s := b.openAt(t, b.location(t))
	defer s.Close()
	f := indexeddb.NewFactory(s.IndexedDB(), indexeddb.HostCodec{})
	var sid, iid int64
	c := idbOpen(t, f, "https://idb.test", "many", 1, func(tr *indexeddb.Transaction) {
		sid, iid = tr.NewID(), tr.NewID()
		idbDo(t, tr, func(tx *indexeddb.Tx) (any, error) {
			if err := tx.CreateStore(sid, "s", indexeddb.KeyPath{}, false); err != nil {
				return nil, err
			}
			return nil, tx.CreateIndex(sid, iid, "tag", indexeddb.StringPath("tags"), false, true)
		})
	})
	defer c.Close()
	put := func(tx *indexeddb.Tx, i int) error {
		rec, _ := structuredclone.FromGo(map[string]any{"i": i, "tags": []any{"all", float64(i % 2)}})
		k := indexeddb.Number(float64(i))
		_, err := tx.Put(sid, rec, &k, false)
		return err
	}
	const n = 2*getManyChunk + 6
	tr, _ := c.Transaction([]string{"s"}, indexeddb.ReadWrite)
	idbDo(t, tr, func(tx *indexeddb.Tx) (any, error) {
		for i := range n {
			if err := put(tx, i); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	idbCommit(t, tr)

	// In a transaction that added record n and deleted record 5: the
	// index's records with values are the store's.
	tr, _ = c.Transaction([]string{"s"}, indexeddb.ReadWrite)
	defer idbCommit(t, tr)
	recs := idbDo(t, tr, func(tx *indexeddb.Tx) (any, error) {
		if err := put(tx, n); err != nil {
			return nil, err
		}
		if err := tx.Delete(sid, indexeddb.Only(indexeddb.Number(5))); err != nil {
			return nil, err
		}
		return tx.GetAll(indexeddb.Source{Store: sid, Index: iid}, indexeddb.Only(indexeddb.String("all")), 0, false, true)
	}).([]indexeddb.Record)
	all := idbDo(t, tr, func(tx *indexeddb.Tx) (any, error) {
		return tx.GetAll(indexeddb.Source{Store: sid}, indexeddb.All, 0, false, true)
	}).([]indexeddb.Record)
	if len(recs) != n || len(all) != n {
		t.Fatalf("index getAll: %d records, store: %d; want %d", len(recs), len(all), n)
	}
	byKey := map[string][]byte{}
	for _, r := range all {
		byKey[string(r.PrimaryKey.Encode())] = r.Value
	}
	for _, r := range recs {
		want, ok := byKey[string(r.PrimaryKey.Encode())]
		if !ok || string(r.Value) != string(want) {
			t.Errorf("record %s: index value %x, store value %x (%v)", r.PrimaryKey, r.Value, want, ok)
		}
	}
	// Both tags of one record: the same primary key twice.
	odd := idbDo(t, tr, func(tx *indexeddb.Tx) (any, error) {
		return tx.GetAll(indexeddb.Source{Store: sid, Index: iid}, indexeddb.All, 0, false, true)
	}).([]indexeddb.Record)
	if len(odd) != 2*n {
		t.Errorf("index getAll of every entry: %d records, want %d", len(odd), 2*n)
	}

	mg, ok := s.IndexedDB().(indexeddb.MultiGetter)
	if !ok {
		t.Fatal("the store's IndexedDB backend is not a MultiGetter")
	}
	db := c.Schema().ID
	key := func(i int) []byte { return indexeddb.Number(float64(i)).Encode() }
	keys := [][]byte{key(1), key(1000), key(1), key(n - 1), key(5)}
	for i := range getManyChunk {
		keys = append(keys, key(i))
	}
	got, err := mg.GetMany(context.Background(), db, sid, keys)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(keys) {
		t.Fatalf("GetMany: %d values for %d keys", len(got), len(keys))
	}
	for i, k := range keys {
		v, ok, err := s.IndexedDB().Get(context.Background(), db, sid, k)
		if err != nil {
			t.Fatal(err)
		}
		if (got[i] != nil) != ok || string(got[i]) != string(v) {
			t.Errorf("GetMany key %d (%x): %x, Get: %x %v", i, k, got[i], v, ok)
		}
	}
}

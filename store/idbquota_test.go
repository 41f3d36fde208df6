package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/quota"
	"github.com/swhost/swhost/weberr"
)

// idbQuotaSteps are commits on databases of origin "https://q.test" (and
// one of another origin), covering what changes a database's bytes:
// records small and spilling to overflow pages, overwrites, deletes of
// present and absent keys, index entries, cleared objects written again,
// schema changes, a second database. db names which database a step
// commits to ("" with a Schema: a new one).
var idbQuotaSteps = []struct {
	name, origin, db string
	c                indexeddb.Commit
}{
	{"create", "https://q.test", "", indexeddb.Commit{
		Schema: &indexeddb.Schema{Name: "d", Version: 1, NextID: 3, Stores: []*indexeddb.StoreSchema{
			{ID: 1, Name: "s", KeyPath: indexeddb.StringPath("id"), Current: 1,
				Indexes: []*indexeddb.IndexSchema{{ID: 2, Name: "by_tag", KeyPath: indexeddb.StringPath("tag")}}},
		}},
		Writes: []indexeddb.Write{
			{Object: 1, Key: []byte("k1"), Value: []byte("small")},
			{Object: 1, Key: []byte("k2"), Value: []byte(strings.Repeat("v", 5000))},
			{Object: 1, Key: []byte(strings.Repeat("K", 2000)), Value: []byte(strings.Repeat("w", 20000))},
			{Object: 2, Key: []byte("tag\x00k1"), Value: []byte{}},
		},
	}},
	{"overwrite and delete", "https://q.test", "d", indexeddb.Commit{Writes: []indexeddb.Write{
		{Object: 1, Key: []byte("k1"), Value: []byte(strings.Repeat("b", 9000))},
		{Object: 1, Key: []byte("k2"), Delete: true},
		{Object: 1, Key: []byte("absent"), Delete: true},
	}}},
	{"clear and write again", "https://q.test", "d", indexeddb.Commit{
		Dropped: []int64{2},
		Writes:  []indexeddb.Write{{Object: 2, Key: []byte("other\x00k1"), Value: []byte{}}},
	}},
	{"upgrade", "https://q.test", "d", indexeddb.Commit{Schema: &indexeddb.Schema{Name: "d", Version: 2, NextID: 4, Stores: []*indexeddb.StoreSchema{
		{ID: 1, Name: "s", KeyPath: indexeddb.StringPath("id"), Current: 1},
		{ID: 3, Name: strings.Repeat("n", 5000), Current: 1},
	}}, Dropped: []int64{2}}},
	{"second database", "https://q.test", "", indexeddb.Commit{
		Schema: &indexeddb.Schema{Name: "e", Version: 1, NextID: 2, Stores: []*indexeddb.StoreSchema{{ID: 1, Name: "t", Current: 1}}},
		Writes: []indexeddb.Write{{Object: 1, Key: []byte("x"), Value: []byte("y")}},
	}},
	{"another origin", "https://other.test", "", indexeddb.Commit{
		Schema: &indexeddb.Schema{Name: "d", Version: 1, NextID: 2, Stores: []*indexeddb.StoreSchema{{ID: 1, Name: "s", Current: 1}}},
		Writes: []indexeddb.Write{{Object: 1, Key: []byte("x"), Value: []byte(strings.Repeat("z", 100000))}},
	}},
}

func TestIDBUsage(t *testing.T) { eachBackend(t, testIDBUsage) }

// testIDBUsage: after every commit of idbQuotaSteps, the store's running
// figure equals the memory backend's (the same sizes, counted apart),
// and what migration 6 computes from the rows (the figure a database
// written before the quota starts with); deleting a database takes its
// bytes off.
func testIDBUsage(t *testing.T, b backend) {
	ctx := context.Background()
	s := b.open(t)
	sqlB, memB := s.IndexedDB(), indexeddb.NewMemoryBackend()
	ids := map[string][2]int64{} // origin+db → SQL ID, memory ID
	check := func(step string) {
		t.Helper()
		for _, origin := range []string{"https://q.test", "https://other.test"} {
			got, err := sqlB.Usage(ctx, origin)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := memB.Usage(ctx, origin)
			if got != want {
				t.Errorf("%s: %s: store usage %+v, memory backend %+v", step, origin, got, want)
			}
		}
		// Recompute every database's bytes as migration 6 does, then
		// compare, in a transaction rolled back.
		tx, err := s.w.Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		before, after := databaseBytes(t, tx), ""
		for _, stmt := range s.d.schema(5)[2:] {
			if _, err := tx.Exec(stmt); err != nil {
				t.Fatalf("migration 6: %v", err)
			}
		}
		after = databaseBytes(t, tx)
		if before != after {
			t.Errorf("%s: running bytes %s, recomputed by migration 6 %s", step, before, after)
		}
		tx.Rollback()
	}
	for _, st := range idbQuotaSteps {
		c := st.c
		key := st.origin + "\x00" + st.db
		if st.db == "" {
			key = st.origin + "\x00" + c.Schema.Name
		}
		c.DatabaseID = ids[key][0]
		sid, err := sqlB.Commit(ctx, st.origin, &c)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		c.DatabaseID = ids[key][1]
		mid, err := memB.Commit(ctx, st.origin, &c)
		if err != nil {
			t.Fatalf("%s (memory): %v", st.name, err)
		}
		ids[key] = [2]int64{sid, mid}
		check(st.name)
	}
	for _, bk := range []indexeddb.Backend{sqlB, memB} {
		if err := bk.DeleteDatabase(ctx, "https://q.test", "d"); err != nil {
			t.Fatal(err)
		}
	}
	check("deleteDatabase")
	if u, _ := sqlB.Usage(ctx, "https://q.test"); u.IndexedDB != indexeddb.SchemaSize("https://q.test", idbQuotaSteps[4].c.Schema)+indexeddb.RecordSize(1, 1) {
		t.Errorf("after deleting d, usage %+v, want database e's alone", u)
	}
}

// databaseBytes lists every database's bytes, in ID order.
func databaseBytes(t *testing.T, tx interface {
	Query(string, ...any) (*sql.Rows, error)
}) string {
	t.Helper()
	rows, err := tx.Query(`SELECT id, bytes, schema_bytes FROM idb_databases ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, n, sn int64
		if err := rows.Scan(&id, &n, &sn); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%d:%d/%d", id, n, sn))
	}
	return strings.Join(out, ",")
}

func TestStorageQuotaAcrossAPIs(t *testing.T) { eachBackend(t, testStorageQuotaAcrossAPIs) }

// testStorageQuotaAcrossAPIs: one origin's caches and IndexedDB share its
// quota in the store. Each API's transaction sees the other's bytes; a
// commit over the quota fails with the QuotaExceededError of quota.Check
// and leaves nothing; a commit that does not grow the usage is not
// checked; other origins do not count.
func testStorageQuotaAcrossAPIs(t *testing.T, b backend) {
	ctx := context.Background()
	s := b.open(t)
	const origin = "https://q.test"
	cs, err := cachestorage.New(s.CacheStorage(), cachestorage.Limits{MaxOriginBytes: 200 << 10}).For(origin)
	if err != nil {
		t.Fatal(err)
	}
	c, err := cs.Open(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	body := func(n int) *fetch.Response {
		return &fetch.Response{Type: fetch.TypeBasic, Status: 200, Body: []byte(strings.Repeat("x", n))}
	}
	if err := c.Put(ctx, &fetch.Request{Method: "GET", URL: origin + "/a"}, body(100<<10)); err != nil {
		t.Fatal(err)
	}
	idb := s.IndexedDB()
	u, err := idb.Usage(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	cu, _ := cs.Usage(ctx)
	if u.CacheStorage != cu.Bytes || u.IndexedDB != 0 || cu.IndexedDB != 0 {
		t.Fatalf("usage %+v, caches' %+v", u, cu)
	}
	check := func(max int64) func(quota.Usage) error {
		return func(u quota.Usage) error { return quota.Check("test commit", origin, u, max) }
	}
	create := indexeddb.Commit{
		Schema: &indexeddb.Schema{Name: "d", Version: 1, NextID: 2, Stores: []*indexeddb.StoreSchema{{ID: 1, Name: "s", Current: 1}}},
		Writes: []indexeddb.Write{{Object: 1, Key: []byte("k"), Value: []byte(strings.Repeat("v", 120<<10))}},
		Check:  check(200 << 10),
	}
	_, err = idb.Commit(ctx, origin, &create)
	if weberr.NameOf(err) != weberr.QuotaExceeded || !strings.Contains(err.Error(), "Cache Storage") {
		t.Fatalf("a commit taking caches and databases over the quota: %v, want QuotaExceededError", err)
	}
	if list, _ := idb.Databases(ctx, origin); len(list) != 0 {
		t.Errorf("the refused commit left databases %v", list)
	}
	create.Writes[0].Value = create.Writes[0].Value[:50<<10]
	id, err := idb.Commit(ctx, origin, &create)
	if err != nil {
		t.Fatal(err)
	}
	// The caches' transaction sees the databases' bytes.
	cu, _ = cs.Usage(ctx)
	u, _ = idb.Usage(ctx, origin)
	if cu.IndexedDB != u.IndexedDB || u.IndexedDB <= 50<<10 {
		t.Errorf("cache transaction sees IndexedDB %d, the store counts %d", cu.IndexedDB, u.IndexedDB)
	}
	err = c.Put(ctx, &fetch.Request{Method: "GET", URL: origin + "/b"}, body(60<<10))
	if weberr.NameOf(err) != weberr.QuotaExceeded {
		t.Errorf("cache.put over the shared quota: %v", err)
	}
	// Shrinking commits whatever Check says.
	shrink := indexeddb.Commit{DatabaseID: id, Writes: []indexeddb.Write{{Object: 1, Key: []byte("k"), Value: []byte("v")}}, Check: check(1)}
	if _, err := idb.Commit(ctx, origin, &shrink); err != nil {
		t.Errorf("a commit that shrinks the usage: %v", err)
	}
	// Another origin's bytes do not count.
	other := create
	other.Writes = []indexeddb.Write{{Object: 1, Key: []byte("k"), Value: []byte(strings.Repeat("v", 150<<10))}}
	if _, err := idb.Commit(ctx, "https://other.test", &other); err != nil {
		t.Errorf("another origin: %v", err)
	}
}

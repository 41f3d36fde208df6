package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/quota"
)

// BenchmarkStorageUsage measures an origin's usage as estimate() and the
// quota check read it (two indexed lookups of running figures), next to
// the SUM over every record it replaced, and a one-record IndexedDB
// commit with the quota check and without, in the same run: an origin
// with 10 databases of 1,000 records each, on SQLite with
// synchronous=NORMAL (so that the commit's own work shows, not the
// fsync).
func BenchmarkStorageUsage(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	idb := s.IndexedDB()
	const origin = "https://app.test"
	var id int64
	for d := range 10 {
		c := &indexeddb.Commit{Schema: &indexeddb.Schema{Name: fmt.Sprint("db", d), Version: 1, NextID: 2,
			Stores: []*indexeddb.StoreSchema{{ID: 1, Name: "s", Current: 1}}}}
		for i := range 1000 {
			c.Writes = append(c.Writes, indexeddb.Write{Object: 1, Key: indexeddb.Number(float64(i)).Encode(), Value: make([]byte, 100)})
		}
		var err error
		if id, err = idb.Commit(ctx, origin, c); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("usage", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if u, err := idb.Usage(ctx, origin); err != nil || u.IndexedDB == 0 {
				b.Fatal(u, err)
			}
		}
	})
	b.Run("usage-scan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var n int64
			err := s.reader().queryRow(ctx, `SELECT CAST(SUM(OCTET_LENGTH(r.key) + OCTET_LENGTH(r.value)) AS BIGINT)
				FROM idb_records r JOIN idb_databases d ON d.id = r.database_id WHERE d.origin = ?`, origin).Scan(&n)
			if err != nil || n == 0 {
				b.Fatal(n, err)
			}
		}
	})
	next := 1000 // the next new key, across every run of the puts
	check := func(u quota.Usage) error { return quota.Check("bench", origin, u, quota.DefaultOriginBytes) }
	for _, bc := range []struct {
		name  string
		check func(quota.Usage) error
	}{{"put", check}, {"put-unchecked", nil}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				// A new key each time, so that the usage grows and the
				// check runs.
				next++
				c := &indexeddb.Commit{DatabaseID: id, Check: bc.check, Writes: []indexeddb.Write{
					{Object: 1, Key: indexeddb.Number(float64(next)).Encode(), Value: make([]byte, 100)}}}
				if _, err := idb.Commit(ctx, origin, c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

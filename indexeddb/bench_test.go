package indexeddb

import (
	"context"
	"testing"
)

// BenchmarkTransactionGet is the engine's part of a get in its own
// read-only transaction, as a worker makes it when the transaction is
// idle (Transaction, TryRun, TryCommit, on the caller's goroutine), on
// the memory backend; backend-get is the backend's Get alone, the
// peer: the difference is the engine's overhead (scheduling, the
// transaction's state, the overlay check, the key's encoding).
func BenchmarkTransactionGet(b *testing.B) {
	f := newFactory()
	c := setup(b, f)
	sid := storeID(c, "s")
	tr, err := c.Transaction([]string{"s"}, ReadWrite)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 100 {
		if _, err := put(b, tr, sid, map[string]any{"id": float64(i), "name": "n" + string(rune('a'+i%26)) + string(rune('a'+i/26))}, nil); err != nil {
			b.Fatal(err)
		}
	}
	if err := commit(b, tr); err != nil {
		b.Fatal(err)
	}
	b.Run("engine-get", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			tr, err := c.Transaction([]string{"s"}, ReadOnly)
			if err != nil {
				b.Fatal(err)
			}
			k := Number(float64(i % 100))
			res, err, ok := tr.TryRun(func(tx *Tx) (any, error) {
				return tx.GetAll(Source{Store: sid}, Only(k), 1, false, true)
			})
			if !ok || err != nil || len(res.([]Record)) != 1 {
				b.Fatalf("get %v: %v %v %v", k, res, err, ok)
			}
			if !tr.TryCommit() {
				b.Fatal("a read-only transaction did not commit on the spot")
			}
		}
	})
	b.Run("backend-get", func(b *testing.B) {
		b.ReportAllocs()
		db := c.Schema().ID
		for i := range b.N {
			if _, ok, err := f.backend.Get(context.Background(), db, sid, Number(float64(i%100)).Encode()); !ok || err != nil {
				b.Fatalf("get %d: %v %v", i%100, ok, err)
			}
		}
	})
}

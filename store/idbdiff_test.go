package store

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/weberr"
)

// FuzzIDBBackend runs the same random IndexedDB transactions on the
// engine over the memory backend (the oracle) and over the store, and
// requires every result to be the same: puts and adds through unique
// and multiEntry indexes, deletes and clears of ranges, reads of ranges
// in every direction with counts, cursor walks mixing plain steps (the
// store's read-ahead), advance, continue(key) and continuePrimaryKey,
// commits and aborts.
func FuzzIDBBackend(f *testing.F) {
	f.Add(uint64(1), uint8(40))
	f.Add(uint64(7), uint8(120))
	fuzzDifferential(f, 2, 30, runIDBDifferential)
}

// TestIDBBackendDifferential is FuzzIDBBackend's random programs on every
// backend.
func TestIDBBackendDifferential(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		for seed := range uint64(4) {
			runIDBDifferential(t, b, rand.New(rand.NewPCG(seed, 3)), 60)
		}
	})
}

// idbDiffKeys are the keys the programs use: every type, in a small set
// so that operations meet.
var idbDiffKeys = []indexeddb.Key{
	indexeddb.Number(-1), indexeddb.Number(0), indexeddb.Number(1), indexeddb.Number(2.5), indexeddb.Number(3),
	indexeddb.Date(0), indexeddb.String(""), indexeddb.String("a"), indexeddb.String("ab"), indexeddb.String("b"),
	indexeddb.Binary([]byte{0}), indexeddb.Array(indexeddb.Number(1), indexeddb.String("a")), indexeddb.Array(),
}

func runIDBDifferential(t *testing.T, b backend, rng *rand.Rand, steps int) {
	const origin = "https://diff.test"
	upgrade := func(tr *indexeddb.Transaction) {
		sid, g, u, m := tr.NewID(), tr.NewID(), tr.NewID(), tr.NewID()
		idbDo(t, tr, func(tx *indexeddb.Tx) (any, error) {
			if err := tx.CreateStore(sid, "s", indexeddb.KeyPath{}, false); err != nil {
				return nil, err
			}
			if err := tx.CreateIndex(sid, g, "g", indexeddb.StringPath("g"), false, false); err != nil {
				return nil, err
			}
			if err := tx.CreateIndex(sid, u, "u", indexeddb.StringPath("u"), true, false); err != nil {
				return nil, err
			}
			return nil, tx.CreateIndex(sid, m, "m", indexeddb.StringPath("tags"), false, true)
		})
	}
	conns := []*indexeddb.Connection{
		idbOpen(t, indexeddb.NewFactory(indexeddb.NewMemoryBackend(), indexeddb.HostCodec{}), origin, "d", 1, upgrade),
		idbOpen(t, indexeddb.NewFactory(b.open(t).IndexedDB(), indexeddb.HostCodec{}), origin, "d", 1, upgrade),
	}
	st := conns[0].Schema().Store("s")
	sources := []indexeddb.Source{{Store: st.ID}, {Store: st.ID, Index: st.Index("g").ID}, {Store: st.ID, Index: st.Index("u").ID}, {Store: st.ID, Index: st.Index("m").ID}}
	key := func() indexeddb.Key { return idbDiffKeys[rng.IntN(len(idbDiffKeys))] }
	keyRange := func() indexeddb.Range {
		switch rng.IntN(4) {
		case 0:
			return indexeddb.All
		case 1:
			return indexeddb.Only(key())
		}
		lo, hi := key(), key()
		if indexeddb.Compare(lo, hi) > 0 {
			lo, hi = hi, lo
		}
		var lp, hp *indexeddb.Key
		if rng.IntN(3) > 0 {
			lp = &lo
		}
		if rng.IntN(3) > 0 {
			hp = &hi
		}
		r, err := indexeddb.NewRange(lp, hp, lp != nil && rng.IntN(3) == 0, hp != nil && rng.IntN(3) == 0)
		if err != nil {
			return indexeddb.All
		}
		return r
	}
	for step := range steps {
		// One transaction's operations, chosen once, then run on each
		// connection; a program is a list of closures over the choices.
		var ops []func(tx *indexeddb.Tx) (string, error)
		readwrite := rng.IntN(3) > 0
		for range 1 + rng.IntN(5) {
			switch k := rng.IntN(10); {
			case readwrite && k < 4:
				pk := key()
				val := map[string]any{"g": float64(rng.IntN(3)), "tags": []any{key().String(), float64(rng.IntN(2))}}
				if rng.IntN(2) == 0 {
					val["u"] = float64(rng.IntN(6))
				}
				add := rng.IntN(4) == 0
				ops = append(ops, func(tx *indexeddb.Tx) (string, error) {
					rec, err := structuredclone.FromGo(val)
					if err != nil {
						return "", err
					}
					got, err := tx.Put(st.ID, rec, &pk, add)
					return "put " + got.String(), err
				})
			case readwrite && k == 4:
				r := keyRange()
				ops = append(ops, func(tx *indexeddb.Tx) (string, error) { return "delete", tx.Delete(st.ID, r) })
			case readwrite && k == 5 && rng.IntN(4) == 0:
				ops = append(ops, func(tx *indexeddb.Tx) (string, error) { return "clear", tx.Clear(st.ID) })
			case k < 8:
				src, r, dir, values := sources[rng.IntN(len(sources))], keyRange(), indexeddb.Direction(rng.IntN(4)), rng.IntN(2) == 0
				count, isCount := rng.IntN(3), rng.IntN(4) == 0
				ops = append(ops, func(tx *indexeddb.Tx) (string, error) {
					if isCount {
						n, err := tx.Count(src, r)
						return fmt.Sprint("count ", n), err
					}
					recs, err := tx.GetAllDirection(src, r, count, dir, values)
					return "getAll " + idbDiffRecords(recs), err
				})
			default:
				ops = append(ops, idbDiffCursor(rng, sources[rng.IntN(len(sources))], keyRange(), key))
			}
		}
		abort := rng.IntN(5) == 0
		mode := indexeddb.ReadOnly
		if readwrite {
			mode = indexeddb.ReadWrite
		}
		var logs [2]string
		for i, c := range conns {
			tr, err := c.Transaction([]string{"s"}, mode)
			if err != nil {
				t.Fatal(err)
			}
			var log strings.Builder
			for _, op := range ops {
				ch := make(chan struct{})
				var out string
				if err := tr.Do(func(tx *indexeddb.Tx) (any, error) {
					s, err := op(tx)
					out = s
					return nil, err
				}, func(_ any, err error) {
					fmt.Fprintf(&log, "%s [%s]; ", out, weberr.NameOf(err))
					close(ch)
				}); err != nil {
					t.Fatal(err)
				}
				<-ch
			}
			if abort {
				tr.Abort(nil)
				<-tr.Done()
			} else {
				done := make(chan error, 1)
				tr.Commit(func(err error) { done <- err })
				fmt.Fprintf(&log, "commit [%s]", weberr.NameOf(<-done))
			}
			logs[i] = log.String()
		}
		if logs[0] != logs[1] {
			t.Fatalf("step %d (%s), memory:\n%s\n%s:\n%s", step, mode, logs[0], b.name, logs[1])
		}
	}
}

// idbDiffCursor returns an operation walking a cursor over src: up to 12
// moves, each a plain step, an advance, a continue to a key, or (on an
// index, next or prev) a continuePrimaryKey.
func idbDiffCursor(rng *rand.Rand, src indexeddb.Source, r indexeddb.Range, key func() indexeddb.Key) func(tx *indexeddb.Tx) (string, error) {
	dir := indexeddb.Direction(rng.IntN(4))
	keysOnly := rng.IntN(3) == 0
	type move struct {
		count   int
		key, pk *indexeddb.Key
	}
	moves := make([]move, 1+rng.IntN(12))
	for i := range moves {
		switch rng.IntN(6) {
		case 0:
			moves[i].count = 2 + rng.IntN(3)
		case 1:
			k := key()
			moves[i].key = &k
		case 2:
			if src.Index != 0 && (dir == indexeddb.Next || dir == indexeddb.Prev) {
				k, pk := key(), key()
				moves[i].key, moves[i].pk = &k, &pk
			}
		}
	}
	return func(tx *indexeddb.Tx) (string, error) {
		c := &indexeddb.CursorState{Source: src, Range: r, Direction: dir, KeysOnly: keysOnly}
		var out strings.Builder
		out.WriteString("cursor")
		for i, m := range moves {
			if i == 0 {
				m = move{}
			}
			// continue(key) and continuePrimaryKey must move the cursor
			// forward (the API refuses the others before the engine sees
			// them): keep those, make the rest plain steps.
			if m.key != nil && c.Position != nil {
				cmp := indexeddb.Compare(*m.key, *c.Position)
				if m.pk != nil && cmp == 0 && c.StorePos != nil {
					cmp = indexeddb.Compare(*m.pk, *c.StorePos)
				}
				if dir == indexeddb.Prev || dir == indexeddb.PrevUnique {
					cmp = -cmp
				}
				if cmp <= 0 {
					m = move{}
				}
			}
			rec, ok, err := tx.Step(c, m.key, m.pk, m.count)
			if err != nil {
				return out.String(), err
			}
			if !ok {
				out.WriteString(" end")
				break
			}
			fmt.Fprintf(&out, " %s/%s/%x", rec.Key, rec.PrimaryKey, rec.Value)
		}
		return out.String(), nil
	}
}

func idbDiffRecords(recs []indexeddb.Record) string {
	var b strings.Builder
	for _, r := range recs {
		fmt.Fprintf(&b, "%s/%s/%x ", r.Key, r.PrimaryKey, r.Value)
	}
	return b.String()
}

package indexeddb

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// refSchedule is the standard's rule applied to every unfinished
// transaction in creation order (the oracle of TestSchedulerRandom): a
// transaction not started yet starts when no earlier unfinished one
// overlaps it, unless both are read-only.
func refSchedule(live []*Transaction, started map[*Transaction]bool) {
	for i, t := range live {
		if started[t] {
			continue
		}
		can := true
		for _, o := range live[:i] {
			if overlaps(o, t) && (o.mode != ReadOnly || t.mode != ReadOnly) {
				can = false
				break
			}
		}
		if can {
			started[t] = true
		}
	}
}

// overlaps reports whether the scopes of t and o share a store (an
// upgrade transaction's is every store).
func overlaps(t, o *Transaction) bool {
	if t.scope == nil || o.scope == nil {
		return true
	}
	for _, s := range t.scope {
		if slices.Contains(o.scope, s) {
			return true
		}
	}
	return false
}

// TestSchedulerRandom runs random creations, finishes and aborts (of
// waiting transactions) through the scheduler and the oracle, and checks
// after each step that the same transactions have started.
func TestSchedulerRandom(t *testing.T) {
	stores := []string{"a", "b", "c", "d"}
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 1))
		var s scheduler
		var live []*Transaction
		got, want := map[*Transaction]bool{}, map[*Transaction]bool{}
		start := func(t *Transaction) bool { got[t] = true; return true }
		names := map[*Transaction]string{}
		for step := range 300 {
			switch r := rng.IntN(10); {
			case r < 5 || len(live) == 0:
				tx := &Transaction{mode: ReadOnly}
				if rng.IntN(2) == 0 {
					tx.mode = ReadWrite
				}
				if rng.IntN(40) == 0 {
					tx.mode, tx.scope = VersionChange, nil
				} else {
					for _, name := range stores {
						if rng.IntN(3) == 0 {
							tx.scope = append(tx.scope, name)
						}
					}
					if tx.scope == nil {
						tx.scope = []string{stores[rng.IntN(len(stores))]}
					}
				}
				names[tx] = fmt.Sprintf("#%d %v %v", step, tx.mode, tx.scope)
				live = append(live, tx)
				s.add(tx, start)
			default:
				// Finish a started transaction, or abort a waiting one.
				tx := live[rng.IntN(len(live))]
				live = slices.DeleteFunc(live, func(o *Transaction) bool { return o == tx })
				delete(want, tx)
				delete(got, tx)
				s.remove(tx, start)
			}
			refSchedule(live, want)
			for _, tx := range live {
				if got[tx] != want[tx] {
					t.Fatalf("seed %d step %d: %s started %v, the standard says %v", seed, step, names[tx], got[tx], want[tx])
				}
			}
		}
	}
}

// TestSchedulerAbortFirst checks that a transaction whose start is
// refused (an abort got there first) stays waiting, and that the
// transactions behind it start once it is removed.
func TestSchedulerAbortFirst(t *testing.T) {
	var s scheduler
	refused := &Transaction{mode: ReadWrite, scope: []string{"s"}}
	started := map[*Transaction]bool{}
	start := func(tx *Transaction) bool {
		if tx == refused {
			return false
		}
		started[tx] = true
		return true
	}
	s.add(refused, start)
	behind := &Transaction{mode: ReadOnly, scope: []string{"s"}}
	s.add(behind, start)
	if started[behind] {
		t.Fatal("a reader started behind a waiting writer")
	}
	s.remove(refused, start)
	if !started[behind] {
		t.Fatal("the reader did not start once the aborted writer left")
	}
	if len(s.waiting) != 0 || s.started["s"].readers != 1 {
		t.Fatalf("waiting %d, started %+v", len(s.waiting), s.started)
	}
}

// BenchmarkScheduler measures a transaction's scheduling (add, then
// remove once started) with many unfinished transactions: live-N keeps N
// read-only transactions running; queued-N creates N read/write
// transactions on one store, which wait in line, and finishes them in
// order; aborted-N aborts N queued ones. A transaction's cost should not
// grow with N: compare the 100 and 5,000 figures of the same run.
func BenchmarkScheduler(b *testing.B) {
	start := func(*Transaction) bool { return true }
	for _, n := range []int{100, 5000} {
		b.Run(fmt.Sprintf("live-%d", n), func(b *testing.B) {
			var s scheduler
			ring := make([]*Transaction, n)
			for i := range ring {
				ring[i] = &Transaction{mode: ReadOnly, scope: []string{"s"}}
				s.add(ring[i], start)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				old := ring[i%n]
				s.remove(old, start)
				old.scheduled = false
				s.add(old, start)
			}
		})
		b.Run(fmt.Sprintf("aborted-%d", n), func(b *testing.B) {
			// N read/write transactions queued behind a running one, all
			// aborted (a connection force-closed), then the running one.
			b.ReportAllocs()
			for done := 0; done < b.N; done += n {
				var s scheduler
				head := &Transaction{mode: ReadWrite, scope: []string{"s"}}
				s.add(head, start)
				q := make([]*Transaction, min(n, b.N-done))
				for i := range q {
					q[i] = &Transaction{mode: ReadWrite, scope: []string{"s"}}
					s.add(q[i], start)
				}
				for _, tx := range q {
					s.remove(tx, start)
				}
				s.remove(head, start)
				if s.nwait != 0 || len(s.started) != 0 {
					b.Fatalf("left: %d waiting, %v started", s.nwait, s.started)
				}
			}
		})
		b.Run(fmt.Sprintf("queued-%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for done := 0; done < b.N; done += n {
				var s scheduler
				q := make([]*Transaction, min(n, b.N-done))
				for i := range q {
					q[i] = &Transaction{mode: ReadWrite, scope: []string{"s"}}
					s.add(q[i], start)
				}
				for _, tx := range q {
					if !tx.scheduled {
						b.Fatal("the head of the line had not started")
					}
					s.remove(tx, start)
				}
			}
		})
	}
}

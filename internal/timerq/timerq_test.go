package timerq

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestOrder(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return base.Add(time.Duration(s) * time.Second) }
	tests := []struct {
		name   string
		pushes []int // due seconds, pushed in this order; value: push index
		remove []int // push indexes removed before popping
		want   []int // push indexes in pop order
	}{
		{"empty", nil, nil, nil},
		{"by time", []int{3, 1, 2}, nil, []int{1, 2, 0}},
		{"ties in push order", []int{1, 1, 0, 1}, nil, []int{2, 0, 1, 3}},
		{"removed", []int{1, 2, 3, 4}, []int{1, 3}, []int{0, 2}},
		{"removed all", []int{5, 5}, []int{0, 1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var q Queue[int]
			items := make([]*Item[int], len(tt.pushes))
			for i, s := range tt.pushes {
				items[i] = q.Push(at(s), i)
			}
			for _, i := range tt.remove {
				if !q.Remove(items[i]) {
					t.Errorf("Remove(%d) = false", i)
				}
				if q.Remove(items[i]) {
					t.Errorf("second Remove(%d) = true", i)
				}
			}
			var got []int
			for it := q.Pop(); it != nil; it = q.Pop() {
				got = append(got, it.Value)
				if q.Remove(it) {
					t.Errorf("Remove of popped %d = true", it.Value)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("pop order %v, want %v", got, tt.want)
			}
			if q.Len() != 0 || q.Peek() != nil {
				t.Errorf("after popping all: Len %d, Peek %v", q.Len(), q.Peek())
			}
		})
	}
}

func TestPopDue(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var q Queue[string]
	q.Push(base.Add(2*time.Second), "b")
	q.Push(base.Add(time.Second), "a")
	q.Push(base.Add(3*time.Second), "c")
	if it := q.PopDue(base); it != nil {
		t.Fatalf("PopDue before anything is due: %v", it.Value)
	}
	var got []string
	for it := q.PopDue(base.Add(2 * time.Second)); it != nil; it = q.PopDue(base.Add(2 * time.Second)) {
		got = append(got, it.Value)
	}
	if !slices.Equal(got, []string{"a", "b"}) || q.Len() != 1 || q.Peek().Value != "c" {
		t.Errorf("due at 2 s: %v, left %d", got, q.Len())
	}
}

// TestRandom checks the order against a sort of the same items, with
// random removals.
func TestRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for round := range 50 {
		var q Queue[int]
		type pushed struct {
			when time.Time
			i    int
			it   *Item[int]
		}
		var all []pushed
		for i := range 1 + r.IntN(200) {
			w := base.Add(time.Duration(r.IntN(20)) * time.Millisecond)
			all = append(all, pushed{w, i, q.Push(w, i)})
		}
		var want []int
		for _, p := range all {
			if r.IntN(4) == 0 {
				q.Remove(p.it)
				continue
			}
			want = append(want, p.i)
		}
		slices.SortStableFunc(want, func(a, b int) int { return all[a].when.Compare(all[b].when) })
		var got []int
		for it := q.Pop(); it != nil; it = q.Pop() {
			got = append(got, it.Value)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: pop order %v, want %v", round, got, want)
		}
	}
}

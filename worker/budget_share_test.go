package worker

import (
	"testing"
	"time"
)

// TestHeapShareByRate: a tick's allocation is shared among the tasks
// that ran in it by running time weighted with each one's allocation
// rate measured when it ran alone, so a light worker running as long as
// a hog in a shared tick is charged next to nothing of the hog's
// allocation; without a rate for every runner, by running time alone.
func TestHeapShareByRate(t *testing.T) {
	const ms = time.Millisecond
	type tick struct {
		alloc uint64          // bytes allocated in the tick
		ran   []time.Duration // running time of each instance in it
	}
	tests := []struct {
		name  string
		ticks []tick
		want  []uint64 // allocated charged to each instance after the ticks
	}{{
		name: "no rates: by running time",
		ticks: []tick{
			{alloc: 1000, ran: []time.Duration{ms, ms}},
		},
		want: []uint64{500, 500},
	}, {
		name: "solo ticks set the rates",
		ticks: []tick{
			{alloc: 4_000_000, ran: []time.Duration{ms, 0}}, // hog: 4 MB/ms
			{alloc: 1_000, ran: []time.Duration{0, ms}},     // light: 1 KB/ms
			{alloc: 4_001_000, ran: []time.Duration{ms, ms}},
		},
		want: []uint64{4_000_000 + 4_000_000, 1_000 + 1_000},
	}, {
		name: "one runner without a rate: by running time",
		ticks: []tick{
			{alloc: 4_000_000, ran: []time.Duration{ms, 0, 0}},
			{alloc: 1_000, ran: []time.Duration{0, ms, 0}},
			{alloc: 3_000, ran: []time.Duration{ms, ms, ms}},
		},
		want: []uint64{4_000_000 + 1_000, 1_000 + 1_000, 1_000},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list := make([]*instance, len(tt.want))
			for i := range list {
				list[i] = &instance{w: &Worker{limits: Limits{MaxHeap: 1 << 40, MaxHeapGrowth: 1 << 40}}}
			}
			var a heapAccount
			s := heapStats{allocs: 1, cycles: 1}
			now := time.Unix(0, 0)
			a.tick(now, s, list, make([]taskTick, len(list)), 0, nil)
			for _, tk := range tt.ticks {
				s.allocs += tk.alloc
				now = now.Add(10 * ms)
				ran := make([]taskTick, len(list))
				for i, r := range tk.ran {
					ran[i].ran = r
					if r > 0 {
						ran[i].task = now
					}
				}
				a.tick(now, s, list, ran, 0, nil)
			}
			for i, in := range list {
				if got, want := in.heap.allocated, tt.want[i]; got < want*99/100 || got > want*101/100 {
					t.Errorf("instance %d charged %d bytes, want %d", i, got, want)
				}
			}
		})
	}
}

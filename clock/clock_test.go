package clock

import (
	"slices"
	"testing"
	"time"
)

var epoch = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

func TestManualAdvanceCallsDueFunctionsInOrder(t *testing.T) {
	tests := []struct {
		name    string
		set     []time.Duration // AfterFunc delays, named by index
		advance []time.Duration
		want    []int // indexes called, in order
		now     time.Duration
	}{
		{"nothing due", []time.Duration{time.Minute}, []time.Duration{59 * time.Second}, nil, 59 * time.Second},
		{"exactly due", []time.Duration{time.Minute}, []time.Duration{time.Minute}, []int{0}, time.Minute},
		{"by due time", []time.Duration{3 * time.Second, time.Second, 2 * time.Second}, []time.Duration{time.Hour}, []int{1, 2, 0}, time.Hour},
		{"ties in order set", []time.Duration{time.Second, time.Second, time.Second}, []time.Duration{time.Second}, []int{0, 1, 2}, time.Second},
		{"over several advances", []time.Duration{time.Second, 3 * time.Second}, []time.Duration{2 * time.Second, 2 * time.Second}, []int{0, 1}, 4 * time.Second},
		{"zero delay waits for a move", []time.Duration{0}, []time.Duration{0}, []int{0}, 0},
		{"negative advance", []time.Duration{time.Second}, []time.Duration{-time.Hour}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewManual(epoch)
			var got []int
			var at []time.Duration
			for i, d := range tt.set {
				m.AfterFunc(d, func() {
					got = append(got, i)
					at = append(at, m.Now().Sub(epoch))
				})
			}
			for _, d := range tt.advance {
				m.Advance(d)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("called %v, want %v", got, tt.want)
			}
			for k, i := range got {
				if at[k] != tt.set[i] {
					t.Errorf("function %d saw the clock at +%v, want its due time +%v", i, at[k], tt.set[i])
				}
			}
			if now := m.Now().Sub(epoch); now != tt.now {
				t.Errorf("Now = +%v, want +%v", now, tt.now)
			}
		})
	}
}

func TestManualStop(t *testing.T) {
	m := NewManual(epoch)
	called := 0
	stop := m.AfterFunc(time.Second, func() { called++ })
	if !stop() {
		t.Fatal("first stop reported false")
	}
	if stop() {
		t.Fatal("second stop reported true")
	}
	m.Advance(time.Minute)
	if called != 0 {
		t.Fatalf("stopped function called %d times", called)
	}
	stop = m.AfterFunc(time.Second, func() { called++ })
	m.Advance(time.Second)
	if called != 1 || stop() {
		t.Fatalf("called %d times, stop after the call = true", called)
	}
}

func TestManualChainedFunctionsFallDueInOneAdvance(t *testing.T) {
	m := NewManual(epoch)
	var ticks []time.Duration
	var tick func()
	tick = func() {
		ticks = append(ticks, m.Now().Sub(epoch))
		m.AfterFunc(time.Second, tick)
	}
	m.AfterFunc(time.Second, tick)
	m.Advance(3500 * time.Millisecond)
	want := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}
	if !slices.Equal(ticks, want) {
		t.Fatalf("ticks at %v, want %v", ticks, want)
	}
}

func TestManualSetNeverGoesBack(t *testing.T) {
	m := NewManual(epoch)
	if got := m.Set(epoch.Add(time.Hour)); !got.Equal(epoch.Add(time.Hour)) {
		t.Fatalf("Set forward = %v", got)
	}
	if got := m.Set(epoch); !got.Equal(epoch.Add(time.Hour)) {
		t.Fatalf("Set backward moved the clock to %v", got)
	}
}

func TestOrAndIsReal(t *testing.T) {
	if Or(nil) != Real || !IsReal(nil) || !IsReal(Real) {
		t.Fatal("nil is not the real clock")
	}
	m := NewManual(epoch)
	if Or(m) != Clock(m) || IsReal(m) {
		t.Fatal("a manual clock counts as real")
	}
}

package eventloop

import (
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/swhost/swhost/clock"
)

var epoch = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

// manualLoop returns a running loop on a manual clock.
func manualLoop(t *testing.T) (*Loop, *clock.Manual) {
	t.Helper()
	c := clock.NewManual(epoch)
	l := New()
	l.SetClock(c)
	l = startLoopWith(t, l)
	return l, c
}

func startLoopWith(t *testing.T, l *Loop) *Loop {
	t.Helper()
	go l.Run(t.Context())
	t.Cleanup(func() { l.Stop(); <-l.Done() })
	return l
}

func TestManualClockTimersFireOnlyWhenAdvanced(t *testing.T) {
	tests := []struct {
		name    string
		timers  []time.Duration // SetTimer delays, named by index
		advance []time.Duration
		want    []int
	}{
		{"not yet due", []time.Duration{time.Minute}, []time.Duration{59 * time.Second}, nil},
		{"due exactly", []time.Duration{time.Minute}, []time.Duration{time.Minute}, []int{0}},
		{"in due order", []time.Duration{3 * time.Second, time.Second, 2 * time.Second}, []time.Duration{time.Hour}, []int{1, 2, 0}},
		{"step by step", []time.Duration{time.Second, 2 * time.Second}, []time.Duration{time.Second, 500 * time.Millisecond, 500 * time.Millisecond}, []int{0, 1}},
		{"zero delay needs no advance", []time.Duration{0, time.Second}, nil, []int{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, c := manualLoop(t)
			var got []int
			onLoop(t, l, func() {
				for i, d := range tt.timers {
					l.SetTimer(d, func() { got = append(got, i) })
				}
			})
			for _, d := range tt.advance {
				c.Advance(d)
			}
			// A task submitted after Advance returns runs after the timers
			// that were due.
			var seen []int
			onLoop(t, l, func() { seen = slices.Clone(got) })
			if !slices.Equal(seen, tt.want) {
				t.Fatalf("timers run %v, want %v", seen, tt.want)
			}
		})
	}
}

func TestManualClockIntervalCatchesUp(t *testing.T) {
	l, c := manualLoop(t)
	var at []time.Duration
	var fire func()
	fire = func() {
		at = append(at, l.Now().Sub(epoch))
		l.SetTimer(time.Second, fire)
	}
	onLoop(t, l, func() { l.SetTimer(time.Second, fire) })
	c.Advance(10 * time.Second)
	var n int
	onLoop(t, l, func() { n = len(at) })
	if n != 10 {
		t.Fatalf("a one-second interval ran %d times in ten seconds, want 10", n)
	}
	c.Advance(999 * time.Millisecond)
	onLoop(t, l, func() { n = len(at) })
	if n != 10 {
		t.Fatalf("the interval ran before its due time (%d runs)", n)
	}
	c.Advance(time.Millisecond)
	onLoop(t, l, func() { n = len(at) })
	if n != 11 {
		t.Fatalf("the interval did not run at its due time (%d runs)", n)
	}
}

func TestManualClockClearedTimerNeverRuns(t *testing.T) {
	l, c := manualLoop(t)
	ran := false
	onLoop(t, l, func() {
		id := l.SetTimer(time.Second, func() { ran = true })
		l.ClearTimer(id)
	})
	c.Advance(time.Hour)
	onLoop(t, l, func() {
		if ran {
			t.Error("cleared timer ran")
		}
	})
}

func TestSetClockOnRunningLoop(t *testing.T) {
	l := startLoop(t)
	c := clock.NewManual(epoch)
	ran := make(chan struct{})
	onLoop(t, l, func() {
		l.SetClock(c)
		if !l.Now().Equal(epoch) {
			t.Errorf("Now = %v, want the manual clock's %v", l.Now(), epoch)
		}
		l.SetTimer(time.Minute, func() { close(ran) })
	})
	select {
	case <-ran:
		t.Fatal("timer ran before the clock moved")
	default:
	}
	c.Advance(time.Minute)
	onLoop(t, l, func() {})
	select {
	case <-ran:
	default:
		t.Fatal("timer did not run once the clock passed it")
	}
}

// TestManualClockArmedBySetTimer: a timer set on a manual clock is armed
// before SetTimer returns, so that an Advance made as soon as the task
// that set it has run fires it, even when the loop has not re-armed its
// clock yet (the Advance is made here as the loop is about to wait); a
// task submitted after Advance runs after the timer.
func TestManualClockArmedBySetTimer(t *testing.T) {
	c := clock.NewManual(epoch)
	l := New()
	l.SetClock(c)
	fired := false
	var ran atomic.Bool
	checked := make(chan bool, 1)
	l.beforeWait = func() {
		if !ran.Load() || len(checked) > 0 {
			return
		}
		c.Advance(time.Second)
		l.Submit(func() { checked <- fired })
	}
	l = startLoopWith(t, l)
	onLoop(t, l, func() {
		l.SetTimer(time.Second, func() { fired = true })
		ran.Store(true)
	})
	select {
	case ok := <-checked:
		if !ok {
			t.Fatal("a task submitted after Advance ran before the timer Advance made due")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the check did not run")
	}
}

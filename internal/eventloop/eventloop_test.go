package eventloop

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

func startLoop(t *testing.T) *Loop {
	t.Helper()
	l := New()
	go l.Run(context.Background())
	t.Cleanup(func() { l.Stop(); <-l.Done() })
	return l
}

// onLoop runs fn on the loop and waits for it.
func onLoop(t *testing.T, l *Loop, fn func()) {
	t.Helper()
	done := make(chan struct{})
	if !l.Submit(func() { fn(); close(done) }) {
		t.Fatal("Submit refused on a running loop")
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("task did not run")
	}
}

func TestTasksRunInOrderOnOneGoroutine(t *testing.T) {
	l := startLoop(t)
	var got []int
	var wg sync.WaitGroup
	wg.Add(100)
	for i := range 100 {
		l.Submit(func() { got = append(got, i); wg.Done() })
	}
	wg.Wait()
	for i, v := range got {
		if v != i {
			t.Fatalf("task %d ran at position %d", v, i)
		}
	}
}

func TestAfterTaskRunsAfterEveryTask(t *testing.T) {
	l := New()
	var tasks, after int
	l.SetAfterTask(func() {
		if after != tasks-1 {
			t.Errorf("afterTask saw %d tasks, %d afters", tasks, after)
		}
		after++
	})
	go l.Run(context.Background())
	defer func() { l.Stop(); <-l.Done() }()
	for range 10 {
		l.Submit(func() { tasks++ })
	}
	onLoop(t, l, func() { tasks++ })
	var seen int
	onLoop(t, l, func() { tasks++; seen = after })
	if seen != 11 {
		t.Errorf("afterTask ran %d times before the 12th task, want 11", seen)
	}
}

func TestReserveDeliversExactlyOnce(t *testing.T) {
	l := startLoop(t)
	var runs atomic.Int32
	var deliver func(func()) bool
	onLoop(t, l, func() { deliver = l.Reserve() })
	if p := l.Pending(); p != 1 {
		t.Fatalf("Pending() = %d with one reservation, want 1", p)
	}
	var wg sync.WaitGroup
	var accepted atomic.Int32
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if deliver(func() { runs.Add(1) }) {
				accepted.Add(1)
			}
		}()
	}
	wg.Wait()
	onLoop(t, l, func() {})
	if runs.Load() != 1 || accepted.Load() != 1 {
		t.Errorf("callback ran %d times, %d deliveries accepted; want 1 and 1", runs.Load(), accepted.Load())
	}
	if p := l.Pending(); p != 0 {
		t.Errorf("Pending() = %d after delivery, want 0", p)
	}
}

func TestStoppedLoopRunsNothing(t *testing.T) {
	l := New()
	deliver := l.Reserve()
	ran := false
	l.Submit(func() { ran = true })
	l.Stop()
	l.Run(context.Background()) // returns at once
	if deliver(func() { ran = true }) {
		t.Error("delivery accepted after Stop")
	}
	if l.Submit(func() { ran = true }) {
		t.Error("Submit accepted after Stop")
	}
	if ran {
		t.Error("a task ran on a stopped loop")
	}
}

func TestTimersFireInOrderAndClear(t *testing.T) {
	l := startLoop(t)
	var mu sync.Mutex
	var got []string
	done := make(chan struct{})
	add := func(s string) func() {
		return func() { mu.Lock(); got = append(got, s); mu.Unlock() }
	}
	onLoop(t, l, func() {
		l.SetTimer(30*time.Millisecond, add("c"))
		l.SetTimer(10*time.Millisecond, add("a"))
		id := l.SetTimer(20*time.Millisecond, add("cancelled"))
		l.SetTimer(10*time.Millisecond, add("b")) // same time: set order
		l.SetTimer(0, add("zero"))
		l.ClearTimer(id)
		l.ClearTimer(9999) // unknown: ignored
		l.SetTimer(40*time.Millisecond, func() { close(done) })
	})
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("timers did not fire")
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"zero", "a", "b", "c"}
	if len(got) != len(want) {
		t.Fatalf("timers fired %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("timers fired %q, want %q", got, want)
		}
	}
}

func TestRunReturnsOnContextCancel(t *testing.T) {
	l := New()
	ctx, cancel := context.WithCancel(context.Background())
	go l.Run(ctx)
	cancel()
	select {
	case <-l.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if l.Submit(func() {}) {
		t.Error("Submit accepted after Run returned")
	}
}

func BenchmarkSubmitRoundTrip(b *testing.B) {
	l := New()
	go l.Run(context.Background())
	defer l.Stop()
	done := make(chan struct{})
	fn := func() { done <- struct{}{} }
	b.ReportAllocs()
	for b.Loop() {
		l.Submit(fn)
		<-done
	}
}

// A timer keeps its deadline while tasks keep waking the loop, fires when
// it expired during a long task, and an earlier timer set later (from a
// task) still fires first. The loop runs in a synctest bubble: its timers
// and the test's pauses are on the bubble's fake clock, so every instant
// below is exact and no test step waits for wall time to pass.
func TestTimerDeadlinesSurviveBusyLoops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := startLoop(t)
		fired := make(chan time.Duration, 3)
		var start time.Time
		onLoop(t, l, func() {
			start = time.Now()
			l.SetTimer(400*time.Millisecond, func() { fired <- time.Since(start) })
		})
		// Tasks every millisecond for 30 ms (of the bubble's clock): each
		// wakes the loop while the timer is pending.
		for range 30 {
			l.Submit(func() {})
			time.Sleep(time.Millisecond)
		}
		// An earlier timer set from a task, then a task longer than both.
		var setAt time.Duration
		onLoop(t, l, func() {
			setAt = time.Since(start)
			l.SetTimer(5*time.Millisecond, func() { fired <- -time.Since(start) })
		})
		select {
		case d := <-fired:
			if d != -(setAt + 5*time.Millisecond) {
				t.Fatalf("first timer to fire: %v, want the 5 ms one at -%v", d, setAt+5*time.Millisecond)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the earlier timer did not fire")
		}
		l.Submit(func() { time.Sleep(time.Until(start.Add(450 * time.Millisecond))) })
		select {
		case d := <-fired:
			if d != 450*time.Millisecond {
				t.Fatalf("the 400 ms timer fired after %v, want 450ms (as the task running until 450 ms ended)", d)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the 400 ms timer did not fire")
		}
	})
}

// TestPanicHandler checks that a panic escaping a task or a timer goes to
// the panic handler, with its stack, and that the loop runs the next task
// and the after-task hook as usual.
func TestPanicHandler(t *testing.T) {
	l := startLoop(t)
	var got []any
	var stacks []string
	after := 0
	onLoop(t, l, func() {
		l.SetPanicHandler(func(x any, stack []byte) {
			got = append(got, x)
			stacks = append(stacks, string(stack))
		})
		l.SetAfterTask(func() { after++ })
	})
	l.Submit(func() { panic("task") })
	onLoop(t, l, func() {
		l.SetTimer(0, func() {
			var s []int
			_ = s[len(got)+1] // a runtime error
		})
	})
	done := make(chan struct{})
	onLoop(t, l, func() { l.SetTimer(0, func() { close(done) }) })
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the loop stopped running after a panic")
	}
	onLoop(t, l, func() {
		if len(got) != 2 || got[0] != "task" {
			t.Fatalf("panics handled: %v, want task and an index error", got)
		}
		if _, ok := got[1].(interface{ RuntimeError() }); !ok {
			t.Errorf("second panic %v (%T) is not the runtime error", got[1], got[1])
		}
		for _, s := range stacks {
			if !strings.Contains(s, "TestPanicHandler") {
				t.Errorf("stack does not show the panicking task:\n%s", s)
			}
		}
		if after < 4 {
			t.Errorf("after-task hook ran %d times, want at least 4 (panicking tasks included)", after)
		}
	})
}

// BenchmarkSetClearTimer sets a timer and clears it, on the loop, beside
// 1,000 pending ones (as setTimeout and clearTimeout of a debounce in a
// busy worker); go-timer is the peer, Go's time.AfterFunc and Stop with
// as many pending.
func BenchmarkSetClearTimer(b *testing.B) {
	const pending = 1000
	b.Run("loop", func(b *testing.B) {
		l := New()
		go l.Run(context.Background())
		defer l.Stop()
		done := make(chan struct{})
		l.Submit(func() {
			for i := range pending {
				l.SetTimer(time.Hour+time.Duration(i), func() {})
			}
			close(done)
		})
		<-done
		b.ReportAllocs()
		b.ResetTimer()
		n := b.N
		done = make(chan struct{})
		l.Submit(func() { // on the loop, as SetTimer must be
			for range n {
				l.ClearTimer(l.SetTimer(time.Minute, func() {}))
			}
			close(done)
		})
		<-done
	})
	b.Run("go-timer", func(b *testing.B) {
		for i := range pending {
			defer time.AfterFunc(time.Hour+time.Duration(i), func() {}).Stop()
		}
		b.ReportAllocs()
		for b.Loop() {
			time.AfterFunc(time.Minute, func() {}).Stop()
		}
	})
}

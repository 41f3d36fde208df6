package worker

import (
	"errors"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

// stopWatcher records the first console error of a worker that names a
// limit, and closes stopped when it arrives.
type stopWatcher struct {
	mu      sync.Mutex
	msg     string
	stopped chan struct{}
}

func newStopWatcher() *stopWatcher { return &stopWatcher{stopped: make(chan struct{})} }

func (s *stopWatcher) console(level, msg string) {
	if level != "error" || !strings.HasPrefix(msg, "Uncaught ") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.msg == "" {
		s.msg = msg
		close(s.stopped)
	}
}

// wait waits for the stop (failing after limit) and returns its message.
func (s *stopWatcher) wait(t *testing.T, limit time.Duration) string {
	t.Helper()
	select {
	case <-s.stopped:
	case <-time.After(limit):
		t.Fatalf("the worker was not stopped within %v", limit)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.msg
}

// healthyFetches sends a light worker a fetch event every 5 ms until stop
// is closed, and reports the first failure.
func healthyFetches(t *testing.T, w *Worker, stop <-chan struct{}) <-chan error {
	errc := make(chan error, 1)
	go func() {
		defer close(errc)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			r, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/ok"}, FetchEventInit{})
			if err == nil && (r.Response == nil || string(r.Response.Body) != "ok") {
				err = errors.New("wrong answer")
			}
			if err != nil {
				errc <- err
				return
			}
		}
	}()
	return errc
}

const healthySrc = `addEventListener('fetch', e => e.respondWith(new Response('ok')));`

// TestHeapBudgetAcrossTasks: a worker whose timer keeps 4 MB more on a
// global every few milliseconds never grows the heap by much in one task
// (MaxHeapGrowth never trips), but passes its MaxHeap over many tasks and
// is stopped, while a light worker beside it keeps answering.
func TestHeapBudgetAcrossTasks(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a few hundred MB")
	}
	sw := newStopWatcher()
	hog := newTestWorker(t, `
globalThis.hoard = [];
setInterval(() => { hoard.push(new Uint8Array(4 << 20).fill(1)); }, 2);
addEventListener('fetch', e => e.respondWith(new Response('started')));`,
		Options{Console: sw.console, Limits: Limits{MaxHeap: 96 << 20, IdleTimeout: -1}})
	healthy := newTestWorker(t, healthySrc, Options{Limits: Limits{MaxHeap: 96 << 20}})
	stop := make(chan struct{})
	errc := healthyFetches(t, healthy, stop)
	if _, err := hog.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{}); err != nil {
		t.Fatal(err)
	}
	msg := sw.wait(t, 30*time.Second)
	close(stop)
	if !strings.Contains(msg, ErrHeapBudget.Error()) || !strings.Contains(msg, "QuotaExceededError") {
		t.Errorf("hog stopped with %q, want QuotaExceededError for its heap budget", msg)
	}
	if err := <-errc; err != nil {
		t.Errorf("the light worker failed beside the hog: %v", err)
	}
	if healthy.Stats().Stops != 0 {
		t.Errorf("the light worker was stopped %d times", healthy.Stats().Stops)
	}
}

// TestCPUWindow: a worker whose timer runs 30 ms tasks (far under
// CPUPerTask) passes its CPUPerWindow and is stopped; on its way it
// becomes heavy. A light worker beside it never does.
func TestCPUWindow(t *testing.T) {
	sw := newStopWatcher()
	hog := newTestWorker(t, `
setInterval(() => { const end = Date.now() + 30; while (Date.now() < end) {} }, 1);
addEventListener('fetch', e => e.respondWith(new Response('started')));`,
		Options{Console: sw.console, Limits: Limits{CPUPerWindow: 400 * time.Millisecond, CPUWindow: time.Minute, IdleTimeout: -1}})
	healthy := newTestWorker(t, healthySrc, Options{Limits: Limits{CPUPerWindow: 400 * time.Millisecond, CPUWindow: time.Minute}})
	if _, err := hog.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{}); err != nil {
		t.Fatal(err)
	}
	in, err := hog.running()
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	errc := healthyFetches(t, healthy, stop)
	msg := sw.wait(t, 20*time.Second)
	close(stop)
	if !strings.Contains(msg, ErrCPUWindow.Error()) || !strings.Contains(msg, "TimeoutError") {
		t.Errorf("hog stopped with %q, want TimeoutError for its CPU window", msg)
	}
	in.wdMu.Lock()
	heavy, used := in.heavy, in.cpu.sum()
	in.wdMu.Unlock()
	if !heavy || used < 400*time.Millisecond {
		t.Errorf("hog: heavy %v after %v of CPU, want heavy past 100ms", heavy, used)
	}
	if err := <-errc; err != nil {
		t.Errorf("the light worker failed beside the hog: %v", err)
	}
	lin, err := healthy.running()
	if err != nil {
		t.Fatal(err)
	}
	lin.wdMu.Lock()
	defer lin.wdMu.Unlock()
	if lin.heavy {
		t.Errorf("the light worker became heavy (%v of CPU)", lin.cpu.sum())
	}
}

// TestHeavyLane: a heavy worker's tasks wait for a heavy lane; a light
// worker's do not. The test holds the only lane, so the heavy worker's
// next event waits until it is given back, while the light one answers.
func TestHeavyLane(t *testing.T) {
	SetHeavyLanes(1)
	t.Cleanup(func() { SetHeavyLanes(0) })
	heavy := newTestWorker(t, healthySrc, Options{})
	light := newTestWorker(t, healthySrc, Options{})
	get := func(w *Worker) error {
		_, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/ok"}, FetchEventInit{})
		return err
	}
	if err := get(heavy); err != nil {
		t.Fatal(err)
	}
	in, _ := heavy.running()
	in.wdMu.Lock()
	// As if it had used a third of its window.
	in.cpu.add(in.w.limits.CPUPerWindow / 3)
	in.heavy = true
	in.wdMu.Unlock()

	lanes.mu.Lock()
	ch := lanes.ch
	lanes.mu.Unlock()
	ch <- struct{}{} // the test holds the only lane
	waiting := make(chan struct{}, 1)
	onLaneWait = func() { waiting <- struct{}{} }
	t.Cleanup(func() { onLaneWait = nil })
	done := make(chan error, 1)
	go func() { done <- get(heavy) }()
	<-waiting // the heavy worker's task waits for a lane
	if err := get(light); err != nil {
		t.Fatalf("light worker: %v", err)
	}
	select {
	case err := <-done:
		t.Fatalf("the heavy worker's event ran without a lane (err %v)", err)
	default:
	}
	<-ch
	if err := <-done; err != nil {
		t.Fatalf("heavy worker after the lane was freed: %v", err)
	}
}

// TestMaxRunning: with room for two running workers, starting a third
// stops the least recently active idle one.
func TestMaxRunning(t *testing.T) {
	SetMaxRunning(2)
	t.Cleanup(func() { SetMaxRunning(0) })
	// Other tests' workers may still be running; count from here.
	ws := make([]*Worker, 3)
	for i := range ws {
		ws[i] = newTestWorker(t, healthySrc, Options{})
	}
	get := func(w *Worker) {
		t.Helper()
		if _, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/ok"}, FetchEventInit{}); err != nil {
			t.Fatal(err)
		}
	}
	get(ws[0])
	get(ws[1])
	get(ws[0]) // ws[1] is now the least recently active
	// ws[2]'s start stopped ws[1] before it ran the fetch event.
	get(ws[2])
	if !ws[0].Running() || ws[1].Running() || !ws[2].Running() {
		t.Errorf("running: %v %v %v, want true false true", ws[0].Running(), ws[1].Running(), ws[2].Running())
	}
	get(ws[1]) // starts again, stopping ws[0]
	if ws[0].Running() || !ws[1].Running() || !ws[2].Running() {
		t.Errorf("running: %v %v %v, want false true true", ws[0].Running(), ws[1].Running(), ws[2].Running())
	}
}

// TestStringBombStoppedNearBudget: a handler doubling a string is stopped
// within a few doublings of its budget, though each doubling is one
// engine instruction that holds up the collector while it copies.
func TestStringBombStoppedNearBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a few hundred MB")
	}
	const budget = 64 << 20
	// The heap account is the process's: the next test starts once the
	// bomb's loop has ended, the watchdog has let go of its account and
	// the bomb's strings are collected (a cleanup registered first runs
	// last, after the worker's Close).
	t.Cleanup(func() { waitWatchdogIdle(t); runtime.GC() })
	w := newTestWorker(t, `
addEventListener('fetch', e => { let s = 'x'.repeat(1 << 20); for (;;) s = s + s; });`,
		Options{Limits: Limits{MaxHeap: budget, MaxHeapGrowth: budget, CPUPerTask: time.Minute}})
	runtime.GC()
	base := heapObjectBytes()
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			if b := heapObjectBytes(); b > peak.Load() {
				peak.Store(b)
			}
			runtime.Gosched()
		}
	}()
	_, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	close(done)
	if weberr.NameOf(err) != weberr.QuotaExceeded || !(errors.Is(err, ErrHeapGrowth) || errors.Is(err, ErrHeapBudget)) {
		t.Fatalf("string bomb: %v, want QuotaExceededError for its heap", err)
	}
	grew := int64(peak.Load()) - int64(base)
	t.Logf("stopped after the heap grew by %d MiB (budget %d MiB): %v", grew>>20, budget>>20, err)
	// Unchecked, it grows until the process fails. Each doubling is one
	// engine instruction, which no interrupt splits: the bomb is stopped
	// within a doubling or two of its budget (112-395 MiB here; 858 MiB
	// once, when a collection ended just as a doubling began).
	if grew > 16*budget {
		t.Errorf("the heap grew by %d MiB before the bomb was stopped, want under %d MiB", grew>>20, 16*budget>>20)
	}
}

var heapObjectSample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}

// heapObjectBytes is the memory held by heap objects, live or not yet
// swept, now.
func heapObjectBytes() uint64 {
	metrics.Read(heapObjectSample)
	return heapObjectSample[0].Value.Uint64()
}

// TestCPUWindowSlides: time charged falls out of the window a bucket at a
// time, and a jump past the whole window clears it.
func TestCPUWindowSlides(t *testing.T) {
	const window = 12 * time.Second // buckets of 1 s
	var c cpuWindow
	steps := []struct {
		at   time.Duration // since birth
		add  time.Duration
		want time.Duration // sum after adding
	}{
		{at: 0, add: 100 * time.Millisecond, want: 100 * time.Millisecond},
		{at: 500 * time.Millisecond, add: 100 * time.Millisecond, want: 200 * time.Millisecond},
		{at: 5 * time.Second, add: 300 * time.Millisecond, want: 500 * time.Millisecond},
		{at: 11900 * time.Millisecond, want: 500 * time.Millisecond},
		{at: 12 * time.Second, want: 300 * time.Millisecond}, // bucket 0 slid out
		{at: 17 * time.Second, want: 0},                      // bucket 5 too
		{at: 18 * time.Second, add: time.Second, want: time.Second},
		{at: 60 * time.Second, want: 0},                             // past the window
		{at: 59 * time.Second, add: time.Second, want: time.Second}, // time does not go back
	}
	for i, s := range steps {
		c.advance(s.at, window)
		c.add(s.add)
		if got := c.sum(); got != s.want {
			t.Errorf("step %d (at %v): sum %v, want %v", i, s.at, got, s.want)
		}
	}
}

// TestCheckChargesInterruptedTask: JavaScript interrupted in one long
// instruction runs on until it ends; the watchdog charges that time (and
// so what it allocates) to its own instance, not to those beside it.
func TestCheckChargesInterruptedTask(t *testing.T) {
	start := time.Unix(1000, 0) // an injected instant, never the wall clock
	in := &instance{interrupted: ErrCPUBudget, taskStart: start, charged: start}
	for i, tc := range []struct {
		now  time.Duration
		want time.Duration
	}{
		{3 * time.Millisecond, 3 * time.Millisecond},
		{20 * time.Millisecond, 10 * time.Millisecond}, // at most the step
	} {
		ran, task := in.check(start.Add(tc.now), 10*time.Millisecond)
		if ran != tc.want || !task.Equal(start) {
			t.Errorf("tick %d: check = %v, %v; want %v, %v", i, ran, task, tc.want, start)
		}
	}
	in.taskStart = time.Time{} // the task ended
	if ran, task := in.check(start.Add(time.Second), 10*time.Millisecond); ran != 0 || !task.IsZero() {
		t.Errorf("after the task: check = %v, %v; want 0 and no task", ran, task)
	}
}

// waitWatchdogIdle waits until the watchdog watches no instance, running
// or stopping, and its goroutine is returning: it closes the channels of
// dog.idleWaiters (a test hook) as it stops.
func waitWatchdogIdle(t *testing.T) {
	t.Helper()
	watchdog.mu.Lock()
	if !watchdog.running {
		watchdog.mu.Unlock()
		return
	}
	idle := make(chan struct{})
	watchdog.idleWaiters = append(watchdog.idleWaiters, idle)
	watchdog.mu.Unlock()
	select {
	case <-idle:
	case <-time.After(time.Minute):
		t.Fatal("the watchdog still watches an instance a minute after the last worker closed")
	}
}

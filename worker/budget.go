package worker

import (
	"errors"
	"math"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"github.com/swhost/swhost/weberr"
)

// This file holds the budgets that hold across a worker's tasks (the
// per-task CPU budget and heap ceiling are in instance.go's watchdog):
// the heap charged to each worker, the CPU time it used over a sliding
// window, the heavy lanes that keep busy workers from crowding out the
// others, and the cap on running workers.

// ---------------------------------------------------------------- CPU window

// cpuBuckets is how many buckets a CPU window is split into: the window
// slides by a twelfth of its length.
const cpuBuckets = 12

// cpuWindow is the running time a worker's tasks used over the last
// CPUWindow, in buckets. Guarded by the instance's wdMu.
type cpuWindow struct {
	buckets [cpuBuckets]time.Duration
	cur     int64 // index of the bucket now fills, counted from the instance's birth
}

// advance moves the window to the bucket of now (a duration since the
// instance's birth), clearing the buckets it passes.
func (c *cpuWindow) advance(since, window time.Duration) {
	idx := int64(since / (window / cpuBuckets))
	if idx <= c.cur {
		return
	}
	for i := c.cur + 1; i <= idx && i <= c.cur+cpuBuckets; i++ {
		c.buckets[i%cpuBuckets] = 0
	}
	c.cur = idx
}

// add charges d to the current bucket.
func (c *cpuWindow) add(d time.Duration) { c.buckets[c.cur%cpuBuckets] += d }

// sum is the running time over the window.
func (c *cpuWindow) sum() time.Duration {
	var t time.Duration
	for _, b := range c.buckets {
		t += b
	}
	return t
}

// ---------------------------------------------------------------- heavy lanes

// lanes is the semaphore of the heavy lanes: a worker that has used more
// than a quarter of its CPUPerWindow in the window takes a lane for each
// task, so that busy workers together use at most as many cores as
// there are lanes and workers that use little always find a free one.
var lanes = struct {
	mu sync.Mutex
	ch chan struct{}
}{ch: make(chan struct{}, defaultLanes())}

// onLaneWait, when set (by tests, before any worker starts), is called
// by a task about to wait for a heavy lane.
var onLaneWait func()

func defaultLanes() int { return max(1, min(runtime.NumCPU(), runtime.GOMAXPROCS(0))-1) }

// SetHeavyLanes sets how many tasks of heavy workers (those that used
// more than a quarter of their Limits.CPUPerWindow in the window) may run
// at once; the default is one less than the CPUs the process may use
// (the smaller of NumCPU and GOMAXPROCS), at least 1. n < 1 restores the
// default. Tasks already waiting for a lane keep waiting on the old ones.
func SetHeavyLanes(n int) {
	if n < 1 {
		n = defaultLanes()
	}
	lanes.mu.Lock()
	lanes.ch = make(chan struct{}, n)
	lanes.mu.Unlock()
}

// acquireLane waits for a heavy lane, or for the instance to stop, and
// returns the lane to give back (nil when stopped first).
func (in *instance) acquireLane() chan struct{} {
	lanes.mu.Lock()
	ch := lanes.ch
	lanes.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return ch
	default:
	}
	if onLaneWait != nil {
		onLaneWait()
	}
	select {
	case ch <- struct{}{}:
		return ch
	case <-in.ctx.Done():
		return nil
	}
}

// ---------------------------------------------------------------- heap

// heapStats reads the counters the heap budget is computed from.
type heapStats struct {
	allocs uint64 // cumulative bytes allocated on the heap
	cycles uint64 // completed GC cycles
}

var heapStatSamples = []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}

func readHeapStats() heapStats {
	heapMu.Lock()
	defer heapMu.Unlock()
	metrics.Read(heapStatSamples)
	var s heapStats
	if v := heapStatSamples[0].Value; v.Kind() == metrics.KindUint64 {
		s.allocs = v.Uint64()
	}
	if v := heapStatSamples[1].Value; v.Kind() == metrics.KindUint64 {
		s.cycles = v.Uint64()
	}
	return s
}

// heapAccount is the watchdog's heap bookkeeping, touched only by its
// goroutine.
//
// Go has no per-goroutine heap accounting, so a worker's heap is charged
// from two process-wide figures: the bytes allocated (read every tick)
// and the live heap measured by each collection. Every tick, the bytes
// allocated since the tick before are shared among the tasks that ran
// in it, in proportion to how long each ran weighted by each one's
// allocation rate (measured in the ticks it ran alone), so that a
// worker that allocates little running beside one that allocates much
// is not charged for the latter's garbage. At each collection, the
// growth of the live heap since the collection before is charged to the
// workers in proportion to what they allocated in between; a shrinking
// heap lowers every charge in proportion to the charge. What a stopped
// worker held is dropped with it. A worker that retains what it
// allocates (a global array that grows, a string that doubles) is thus
// charged what it retains; a worker that allocates little is charged
// little, whatever its neighbours do. The figure is an estimate: memory
// retained by a worker that allocates little, beside one that allocates
// much garbage, is partly charged to the latter.
type heapAccount struct {
	last     heapStats
	lastLive uint64
	// What stopped workers held: their charges (live at the last
	// collection, to be freed) and what they allocated since (which the
	// next collection may still find live, before their runtimes are
	// dropped). Neither is charged to the workers that remain.
	departedCharge, departedAlloc int64
	weights                       []float64   // tick's scratch: each runner's weight in the tick's allocation
	forcing                       atomic.Bool // a forced collection is running
	lastForce                     time.Time
}

// minForceInterval spaces the collections the watchdog forces.
const minForceInterval = 20 * time.Millisecond

// taskTick is what the watchdog saw of an instance's running task in
// one tick.
type taskTick struct {
	ran  time.Duration // running time charged in the tick
	task time.Time     // when the running task began; zero when none ran
}

// tick shares the allocation of the last tick (s, the process's
// figures now) among list, whose ran[i]
// is what in's task did in it, charges the growth of the live heap at a
// new collection, forces a collection when a worker may have allocated
// past its budget since the last one, and returns the instances now over
// their budget (across tasks, MaxHeap) or their ceiling (during the
// running task, MaxHeapGrowth), with heap.over saying which.
func (a *heapAccount) tick(now time.Time, s heapStats, list []*instance, ran []taskTick, live uint64, over []*instance) []*instance {
	if a.last.cycles == 0 && a.last.allocs == 0 {
		a.last, a.lastLive = s, live
		return over
	}
	allocated := s.allocs - a.last.allocs
	weights := a.weights[:0]
	var total float64
	runners, rated := 0, 0
	for i, r := range ran {
		if r.ran > 0 {
			runners++
			if list[i].heap.rate > 0 {
				rated++
			}
		}
	}
	for i, r := range ran {
		// A tick's allocation is shared by running time weighted with
		// each runner's own allocation rate, measured in the ticks it ran
		// alone, when every runner has one; by running time alone
		// otherwise.
		w := 0.0
		if r.ran > 0 {
			w = float64(r.ran)
			if rated == runners && runners > 1 {
				w *= list[i].heap.rate
			}
		}
		weights = append(weights, w)
		total += w
	}
	a.weights = weights
	if runners == 1 && allocated > 0 {
		for i, r := range ran {
			if r.ran > 0 {
				sample := float64(allocated) / float64(r.ran)
				if h := &list[i].heap; h.rate == 0 || math.IsInf(h.rate, 0) || math.IsNaN(h.rate) {
					h.rate = sample
				} else {
					h.rate += (sample - h.rate) / 4
				}
			}
		}
	}
	for i, in := range list {
		if t := ran[i].task; !t.Equal(in.heap.task) || t.IsZero() {
			// Another task (or none): the rate rule counts one task.
			in.heap.solo, in.heap.burst = 0, 0
			if !t.IsZero() {
				in.heap.task, in.heap.taskBase = t, in.heap.charge
			}
		}
		frac := weights[i] / total
		if ran[i].ran <= 0 || allocated == 0 || !(frac > 0) {
			continue // NaN included
		}
		share := uint64(min(frac, 1) * float64(allocated))
		in.heap.allocated += share
		if runners == 1 {
			in.heap.solo += allocated
			in.heap.burst = max(in.heap.burst, allocated)
		}
	}
	if s.cycles != a.last.cycles {
		growth := int64(live) - int64(a.lastLive)
		if growth > 0 {
			absorbed := min(growth, a.departedAlloc)
			growth -= absorbed
			a.departedCharge += absorbed // now live: freed later
		} else if growth < 0 {
			absorbed := min(-growth, a.departedCharge)
			growth += absorbed
			a.departedCharge -= absorbed
		}
		a.departedAlloc = 0
		var allocs uint64
		var charged int64
		for _, in := range list {
			allocs += in.heap.allocated
			charged += in.heap.charge
		}
		for _, in := range list {
			switch {
			case growth > 0 && allocs > 0:
				// A worker keeps at most what it allocated: growth beyond
				// the workers' allocation (the host's own, or a stopped
				// worker's not yet freed) is not theirs.
				share := int64(float64(growth) * float64(in.heap.allocated) / float64(allocs))
				in.heap.charge += min(share, int64(in.heap.allocated))
			case growth < 0 && charged > 0:
				in.heap.charge = max(0, in.heap.charge+int64(float64(growth)*float64(in.heap.charge)/float64(charged)))
			}
			in.heap.allocated, in.heap.solo, in.heap.burst = 0, 0, 0
		}
		a.lastLive = live
	}
	a.last = s
	force := false
	for i, in := range list {
		limit := in.w.limits.MaxHeap
		growth := in.heap.charge - in.heap.taskBase
		running := !ran[i].task.IsZero()
		if running {
			limit = min(limit, in.heap.taskBase+in.w.limits.MaxHeapGrowth)
		}
		room := limit - in.heap.charge
		switch {
		case in.heap.charge > in.w.limits.MaxHeap:
			in.heap.over = ErrHeapBudget
			over = append(over, in)
		case running && growth > in.w.limits.MaxHeapGrowth:
			in.heap.over = ErrHeapGrowth
			over = append(over, in)
		case running && int64(in.heap.solo) > 2*room:
			// The task allocated twice what is left of its budget
			// before a collection could measure what it keeps: a
			// collection may be held up by the engine copying one huge
			// string (a doubling string passes any budget within a
			// few such copies, each stalling the whole process), so it
			// is stopped now rather than after the collection. Only
			// what was allocated in ticks when its task ran alone
			// counts: when tasks run together, the share of each is
			// an estimate (by running time), and another task's
			// allocation must not stop this one.
			in.heap.over = errHeapRate
			over = append(over, in)
		case int64(in.heap.allocated) > room && !(running && int64(in.heap.burst) > room/4):
			// It may have passed its budget since the last collection:
			// measure now rather than when the pacer next collects
			// (with GOGC=400, after the heap has grown five-fold). Not
			// while a task that allocated a quarter of its room in one
			// tick runs (a string that doubles): the collection's
			// stop-the-world would wait for its copies, stalling every
			// goroutine, and the rule above stops such a task anyway.
			force = true
		}
	}
	if force && now.Sub(a.lastForce) >= minForceInterval && a.forcing.CompareAndSwap(false, true) {
		a.lastForce = now
		go func() {
			runtime.GC()
			a.forcing.Store(false)
		}()
	}
	return over
}

// depart drops a stopped instance's charge, keeping what it held aside
// until the collections show it freed.
func (a *heapAccount) depart(in *instance) {
	a.departedCharge += in.heap.charge
	a.departedAlloc += int64(in.heap.allocated)
	in.heap = heapCharge{}
}

// errHeapRate marks an instance stopped for allocating twice its
// remaining budget between two collections; it reports ErrHeapGrowth
// or ErrHeapBudget, whichever budget was nearer.
var errHeapRate = errors.New("allocation rate")

// heapCharge is an instance's share of the live heap, kept by the
// watchdog goroutine.
type heapCharge struct {
	allocated uint64    // bytes charged to its tasks since the last collection
	solo      uint64    // allocated by its running task in ticks when no other task ran, since the last collection
	burst     uint64    // the most of solo allocated in one tick
	rate      float64   // bytes allocated per nanosecond of running, averaged over the ticks it ran alone; 0 until one
	charge    int64     // live bytes charged to it
	task      time.Time // when the task last seen running began
	taskBase  int64     // charge when that task began
	over      error     // the budget it passed: ErrHeapBudget or ErrHeapGrowth
}

// overHeap stops in for passing its heap budget: its running task is
// interrupted, or, between tasks, it is shut down.
func (in *instance) overHeap() {
	var cause error
	if in.heap.over == errHeapRate {
		limit := in.w.limits.MaxHeap
		target := ErrHeapBudget
		if g := in.heap.taskBase + in.w.limits.MaxHeapGrowth; g < limit {
			limit, target = g, ErrHeapGrowth
		}
		cause = weberr.Errorf(weberr.QuotaExceeded, "%s allocated %d bytes in one task before the heap could be measured, over twice the %d bytes left of its %d-byte budget: %w",
			in.w.script.url, in.heap.solo, max(0, limit-in.heap.charge), limit, target)
	} else if in.heap.over == ErrHeapGrowth {
		cause = weberr.Errorf(weberr.QuotaExceeded, "the heap charged to %s grew by about %d bytes during one task, over the %d-byte ceiling: %w",
			in.w.script.url, in.heap.charge-in.heap.taskBase, in.w.limits.MaxHeapGrowth, ErrHeapGrowth)
	} else {
		cause = weberr.Errorf(weberr.QuotaExceeded, "%s holds about %d bytes of live heap, over its %d-byte budget: %w",
			in.w.script.url, in.heap.charge, in.w.limits.MaxHeap, ErrHeapBudget)
	}
	in.wdMu.Lock()
	if in.interrupted != nil {
		in.wdMu.Unlock()
		return
	}
	if !in.taskStart.IsZero() {
		in.interrupted = cause
		in.rt.Interrupt(cause)
		in.wdMu.Unlock()
		return
	}
	in.interrupted = cause
	in.wdMu.Unlock()
	in.w.log.Error("worker stopped by a limit", "err", cause)
	in.w.console("error", "Uncaught "+cause.Error())
	in.shutdown(cause)
}

// returnMemory runs a collection after a worker was stopped for its
// heap, at most once a second (a request in the meantime runs one more
// collection after the second): what the worker held is garbage now, and
// the pacer would otherwise let the heap grow to GOGC percent more than
// the live heap it last measured with the worker's memory in it. The
// pages freed are reused by later allocations and returned to the
// operating system by the runtime's scavenger.
func returnMemory() {
	returnPending.Store(true)
	if !returning.CompareAndSwap(false, true) {
		return
	}
	go func() {
		for returnPending.Swap(false) {
			runtime.GC()
			time.Sleep(time.Second) // the rate limit, not a wait for a condition
		}
		returning.Store(false)
		if returnPending.Load() {
			returnMemory()
		}
	}()
}

var returning, returnPending atomic.Bool

// ---------------------------------------------------------------- running workers

// maxRunning caps the running workers of the process; see SetMaxRunning.
var maxRunning atomic.Int64

func init() { maxRunning.Store(DefaultMaxRunning) }

// DefaultMaxRunning is the default of [SetMaxRunning].
const DefaultMaxRunning = 1000

// SetMaxRunning caps how many workers may run at once in the process
// (default [DefaultMaxRunning]; n < 1 restores it). Starting one more
// stops the least recently active running worker, preferring one with no
// event in flight; its events in flight, if any, fail with
// QuotaExceededError wrapping [ErrEvicted], and its next event starts it
// again.
func SetMaxRunning(n int) {
	if n < 1 {
		n = DefaultMaxRunning
	}
	maxRunning.Store(int64(n))
}

// monoStart anchors lastActive readings on the monotonic clock.
var monoStart = time.Now()

// evictFor returns the instance to stop so that started may run, or nil.
// d.mu is held.
func (d *dog) evictFor(started *instance) *instance {
	if int64(len(d.set)) <= maxRunning.Load() {
		return nil
	}
	var victim *instance
	victimIdle := false
	for in := range d.set {
		if in == started {
			continue
		}
		idle := in.inflight.Load() == 0
		switch {
		case victim == nil,
			idle && !victimIdle,
			idle == victimIdle && in.lastActive.Load() < victim.lastActive.Load():
			victim, victimIdle = in, idle
		}
	}
	return victim
}

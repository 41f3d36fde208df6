// Package eventloop runs tasks one at a time on a single goroutine: the
// goroutine that owns a JavaScript runtime.
//
// A JavaScript engine is not safe for concurrent use, so each runtime is
// owned by exactly one [Loop], and everything that touches the runtime runs
// as a task on that loop.
//
// # Threading contract
//
// On the loop goroutine only (inside a task, or inside a callback handed to
// a reservation):
//   - everything that touches the runtime: calling into JavaScript, creating
//     or settling promises, reading or writing JavaScript values;
//   - [Loop.SetTimer] and [Loop.ClearTimer].
//
// Safe from any goroutine:
//   - [Loop.Submit], [Loop.SubmitTask], [Loop.Reserve] and the function Reserve returns,
//     [Loop.Stop], [Loop.Done], [Loop.Pending].
//
// Tasks run in the order they were submitted, one at a time; a task is never
// interrupted by another. After each task the loop calls the function set
// with [Loop.SetAfterTask] (the worker uses it to report unhandled promise
// rejections), and before each task the one set with [Loop.SetBeforeTask].
// A panic that escapes a task goes to the function set with
// [Loop.SetPanicHandler], if any, and the loop goes on.
// Microtasks are the engine's business: sobek drains its
// promise-job queue when the outermost call into JavaScript returns, so they
// always run before the next task. Timers are tasks too: a due timer's
// function is queued behind the tasks already waiting.
//
// # Go-side asynchronous work
//
// A host function that does I/O (network, storage) must not block the loop.
// It calls [Loop.Reserve] on the loop, starts a goroutine for the I/O, and
// hands the result back through the returned function, which queues a
// callback as a task. The returned function must be called exactly once:
// every reservation keeps [Loop.Pending] above zero until it is called, and a
// second call is ignored (it returns false). If the loop has stopped by the
// time the result arrives, the callback is dropped rather than run, so
// callbacks never touch a runtime that has been shut down.
//
// Every task and every reservation callback that is accepted runs exactly
// once, unless the loop is stopped first; a stopped loop runs nothing more.
//
// # Clocks
//
// Timers follow the loop's clock ([Loop.SetClock]; the wall clock by
// default). On a manual clock ([clock.Manual]) a timer runs only once the
// clock has been moved to or past its due time, never on wall time: moving
// the clock queues one task that runs every timer then due, in order of
// due time, each exactly once, so that they run before any task submitted
// after the move returned. A timer set while a timer runs counts its delay
// from that timer's due time, so an interval of one second runs ten times
// when the clock jumps ten seconds.
package eventloop

import (
	"context"
	"runtime/debug"
	"sync"
	"time"

	"github.com/swhost/swhost/clock"
	"github.com/swhost/swhost/internal/timerq"
)

// Task is a unit of work queued with [Loop.SubmitTask]. Submitting a
// pointer that implements Task avoids allocating a closure per task.
type Task interface{ Run() }

type funcTask func()

// Run calls f.
func (f funcTask) Run() { f() }

// Loop is a task queue drained by one goroutine. The zero value is not
// usable; call [New].
type Loop struct {
	mu      sync.Mutex
	queue   []Task
	spare   []Task
	pending int // reservations not yet delivered
	stopped bool
	wake    chan struct{}
	done    chan struct{}

	// Owned by the loop goroutine.
	timers     timerq.Queue[timer]
	timerByID  map[TimerID]*timerq.Item[timer]
	nextID     TimerID
	beforeTask func()
	afterTask  func()
	beforeWait func() // tests: called on the loop when it is about to wait; nil otherwise
	onPanic    func(x any, stack []byte)
	running    bool
	clock      clock.Clock // nil: the wall clock
	timerBase  time.Time   // on a manual clock, the due time of the timer running
	armedWhen  time.Time   // on a manual clock, the due time the clock will wake the loop at
	armedStop  func() bool
	armedGen   uint64
}

// tick is the task a manual clock queues when the loop's earliest timer
// falls due: the loop runs its due timers at the tick's place in the
// queue.
type tick struct{ gen uint64 }

func (tick) Run() {}

// New returns a loop that is ready to accept tasks. Nothing runs until
// [Loop.Run] is called.
func New() *Loop {
	return &Loop{
		wake:      make(chan struct{}, 1),
		done:      make(chan struct{}),
		timerByID: make(map[TimerID]*timerq.Item[timer]),
	}
}

// SetAfterTask sets a function called on the loop after every task. Call it
// before Run, or from a task.
func (l *Loop) SetAfterTask(fn func()) { l.afterTask = fn }

// SetBeforeTask sets a function called on the loop before every task (the
// worker arms its CPU watchdog there). Call it before Run, or from a task.
func (l *Loop) SetBeforeTask(fn func()) { l.beforeTask = fn }

// SetPanicHandler sets a function called on the loop with the value and
// stack of a panic that escaped a task (a timer, a reservation's
// callback); the loop then carries on as if the task had returned.
// Without a handler such a panic ends the program. Call it before Run, or
// from a task (the task calling it is covered too).
func (l *Loop) SetPanicHandler(fn func(x any, stack []byte)) { l.onPanic = fn }

// SetClock makes the loop's timers follow c (nil: the wall clock). Call it
// before Run, or from a task, before setting timers: timers already set
// keep the due times they were given.
func (l *Loop) SetClock(c clock.Clock) {
	if clock.IsReal(c) {
		c = nil
	}
	if l.armedStop != nil {
		l.armedStop()
		l.armedStop, l.armedWhen = nil, time.Time{}
	}
	l.clock = c
}

// Now returns the time on the loop's clock. Call it on the loop.
func (l *Loop) Now() time.Time {
	if l.clock == nil {
		return time.Now()
	}
	return l.clock.Now()
}

// run runs one task, handing a panic to the panic handler if one is set.
func (l *Loop) run(t Task) {
	defer l.recoverTask()
	t.Run()
}

// recoverTask is run's deferred half.
func (l *Loop) recoverTask() {
	if l.onPanic == nil {
		return
	}
	if x := recover(); x != nil {
		l.onPanic(x, debug.Stack())
	}
}

// Submit queues fn to run on the loop. It is safe from any goroutine. It
// returns false, and fn never runs, when the loop has stopped.
func (l *Loop) Submit(fn func()) bool { return l.SubmitTask(funcTask(fn)) }

// SubmitTask queues t to run on the loop, like Submit.
func (l *Loop) SubmitTask(t Task) bool {
	l.mu.Lock()
	if l.stopped {
		l.mu.Unlock()
		return false
	}
	l.queue = append(l.queue, t)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return true
}

// Reserve registers a pending callback and returns the function that
// delivers it. The returned function is safe from any goroutine and must be
// called exactly once with the callback to run on the loop; it returns false
// when the callback will not run (the loop stopped, or this reservation was
// already delivered).
func (l *Loop) Reserve() func(callback func()) bool {
	l.mu.Lock()
	l.pending++
	l.mu.Unlock()
	var once sync.Once
	return func(callback func()) bool {
		ok := false
		once.Do(func() {
			l.mu.Lock()
			l.pending--
			if !l.stopped {
				l.queue = append(l.queue, funcTask(callback))
				ok = true
			}
			l.mu.Unlock()
			if ok {
				select {
				case l.wake <- struct{}{}:
				default:
				}
			}
		})
		return ok
	}
}

// Pending returns the number of reservations not yet delivered plus the
// number of armed timers and queued tasks. The timer count is only exact
// when read on the loop.
func (l *Loop) Pending() int {
	l.mu.Lock()
	n := l.pending + len(l.queue)
	l.mu.Unlock()
	return n + l.timers.Len()
}

// Stop stops the loop: Run returns after the task in progress, queued tasks
// and timers are dropped, and later submissions are refused. It is safe from
// any goroutine and may be called more than once.
func (l *Loop) Stop() {
	l.mu.Lock()
	if !l.stopped {
		l.stopped = true
		l.queue = nil
	}
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Stopped reports whether Stop has been called.
func (l *Loop) Stopped() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stopped
}

// Done returns a channel closed when Run has returned.
func (l *Loop) Done() <-chan struct{} { return l.done }

// Run runs tasks on the calling goroutine, which becomes the loop goroutine,
// until Stop is called or ctx is done. It must be called once.
func (l *Loop) Run(ctx context.Context) {
	defer close(l.done)
	defer l.Stop()
	l.running = true
	// tm is armed for tmWhen (zero: not armed). It stays armed across
	// waits while the earliest timer is the same, so that a long-lived
	// timer (a worker's idle timer) costs nothing per wait; timer channels
	// are synchronous since Go 1.23, so a re-armed timer never delivers a
	// stale tick.
	var tm *time.Timer
	var tmWhen time.Time
	defer l.disarm()
	for {
		l.mu.Lock()
		if l.stopped {
			l.mu.Unlock()
			return
		}
		batch := l.queue
		l.queue = l.spare[:0]
		l.mu.Unlock()
		for i, t := range batch {
			batch[i] = nil
			if l.Stopped() {
				return
			}
			if tk, ok := t.(tick); ok {
				if tk.gen == l.armedGen {
					l.armedStop, l.armedWhen = nil, time.Time{}
				}
				l.runDueTimers()
				continue
			}
			if l.beforeTask != nil {
				l.beforeTask()
			}
			l.run(t)
			if l.afterTask != nil {
				l.afterTask()
			}
		}
		l.spare = batch[:0]
		if l.runDueTimers() {
			continue
		}
		l.mu.Lock()
		more := len(l.queue) > 0 || l.stopped
		l.mu.Unlock()
		if more {
			continue
		}
		var timerC <-chan time.Time
		if l.beforeWait != nil {
			l.beforeWait()
		}
		if next := l.timers.Peek(); next != nil && l.clock != nil {
			if l.arm(next.When) {
				continue // the clock moved past it while arming
			}
		} else if next != nil {
			when := next.When
			switch {
			case tm == nil:
				tm = time.NewTimer(time.Until(when))
			case !when.Equal(tmWhen):
				tm.Reset(time.Until(when))
			}
			tmWhen = when
			timerC = tm.C
		}
		select {
		case <-l.wake:
		case <-timerC:
			tmWhen = time.Time{}
		case <-ctx.Done():
			if tm != nil {
				tm.Stop()
			}
			return
		}
	}
}

// arm has the manual clock wake the loop (with a tick task) at when, the
// due time of the earliest timer, and reports whether the clock is
// already there.
func (l *Loop) arm(when time.Time) bool {
	if l.armedStop == nil || !when.Equal(l.armedWhen) {
		if l.armedStop != nil {
			l.armedStop()
		}
		l.armedGen++
		gen := l.armedGen
		l.armedWhen = when
		l.armedStop = l.clock.AfterFunc(when.Sub(l.clock.Now()), func() { l.SubmitTask(tick{gen}) })
	}
	// A move of the clock between reading it and arming would leave the
	// wake-up late: look again.
	return !when.After(l.clock.Now())
}

// disarm cancels the manual clock's wake-up when Run returns.
func (l *Loop) disarm() {
	if l.armedStop != nil {
		l.armedStop()
		l.armedStop = nil
	}
}

// runDueTimers runs every timer that is due, each as its own task, and
// reports whether it ran any.
func (l *Loop) runDueTimers() bool {
	ran := false
	now := l.Now()
	for t := l.timers.PopDue(now); t != nil; t = l.timers.PopDue(now) {
		delete(l.timerByID, t.Value.id)
		if l.Stopped() {
			return false
		}
		if l.beforeTask != nil {
			l.beforeTask()
		}
		if l.clock != nil {
			l.timerBase = t.When
		}
		l.run(funcTask(t.Value.fn))
		l.timerBase = time.Time{}
		ran = true
		if l.afterTask != nil {
			l.afterTask()
		}
	}
	return ran
}

// TimerID identifies a timer set with SetTimer. IDs are positive and never
// reused by one loop.
type TimerID int64

// SetTimer arranges for fn to run as a task on the loop after d on the
// loop's clock (at once when d <= 0, but still after the tasks already
// queued). It must be called on the loop.
func (l *Loop) SetTimer(d time.Duration, fn func()) TimerID {
	l.nextID++
	base := l.timerBase
	if base.IsZero() {
		base = l.Now()
	}
	id := l.nextID
	t := l.timers.Push(base.Add(d), timer{id: id, fn: fn})
	l.timerByID[id] = t
	if !l.running || l.timers.Peek() != t {
		// The loop's clock is armed for an earlier timer already (SetTimer
		// runs on the loop, so the loop is not waiting now).
		return id
	}
	if l.clock != nil && !l.arm(t.When) {
		// The manual clock wakes the loop at t.When: armed before SetTimer
		// returns, so that an Advance after the task that set the timer
		// has returned fires it inside that Advance (and a task submitted
		// after Advance returns runs after it), whatever the loop is doing.
		return id
	}
	// Wake the loop so it re-arms its clock if this timer is the earliest.
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return id
}

// ClearTimer cancels a timer that has not fired yet; unknown or fired ids
// are ignored. It must be called on the loop.
func (l *Loop) ClearTimer(id TimerID) {
	t, ok := l.timerByID[id]
	if !ok {
		return
	}
	delete(l.timerByID, id)
	l.timers.Remove(t)
}

// timer is a timer's value in the loop's queue (its due time is the
// item's).
type timer struct {
	id TimerID
	fn func()
}

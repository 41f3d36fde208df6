// Package clock is the one source of time of a host: its workers' Date,
// timers, performance.now and event timeouts, the HTTP cache's freshness,
// the registry's update staleness and background sync retries, and the
// agent's Link-header rate window.
//
// [Real] is the wall clock and the default everywhere. A [Manual] clock
// stands still until its owner moves it with [Manual.Advance] or
// [Manual.Set]; tests use it to make a day pass in a microsecond:
//
//	c := clock.NewManual(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
//	reg, _ := registry.New(ctx, registry.Options{Store: st, Network: nw, Clock: c})
//	...
//	c.Advance(24 * time.Hour) // registrations become stale for soft update
//
// What protects the host from a worker stays on real time whatever the
// clock: the CPU watchdog (Limits.CPUPerTask, CPUPerWindow), heap limits,
// the grace given to a stopping worker, and Go contexts' deadlines.
package clock

import (
	"sync"
	"time"

	"github.com/swhost/swhost/internal/timerq"
)

// Clock tells the time and runs functions later.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc calls f once d has passed on the clock: on its own
	// goroutine for the real clock, on the goroutine moving a manual one
	// (see [Manual.AfterFunc]). The returned stop function cancels the
	// call and reports whether it did (false: f has been called or
	// stopped already).
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// Real is the wall clock: time.Now and time.AfterFunc.
var Real Clock = realClock{}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}

// Or returns c, or [Real] when c is nil.
func Or(c Clock) Clock {
	if c == nil {
		return Real
	}
	return c
}

// IsReal reports whether c is the wall clock (nil counts as the wall
// clock).
func IsReal(c Clock) bool {
	_, ok := Or(c).(realClock)
	return ok
}

// Manual is a clock that moves only when told. It is safe for concurrent
// use. Its time never goes backwards.
type Manual struct {
	mu      sync.Mutex
	now     time.Time
	waiters timerq.Queue[func()]
	moving  sync.Mutex // serializes Advance and Set
}

// NewManual returns a manual clock reading start.
func NewManual(start time.Time) *Manual {
	return &Manual{now: start}
}

// Now returns the clock's time.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

// AfterFunc arranges for f to be called once the clock reaches Now()+d.
// f is called on the goroutine moving the clock (inside Advance or Set),
// with the clock reading f's due time, and must not block or move the
// clock itself; it may call AfterFunc again. A due time already reached
// (d <= 0) is called at the next Advance or Set, even one of zero.
func (m *Manual) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	m.mu.Lock()
	w := m.waiters.Push(m.now.Add(d), f)
	m.mu.Unlock()
	return func() bool {
		m.mu.Lock()
		defer m.mu.Unlock()
		return m.waiters.Remove(w)
	}
}

// Advance moves the clock forward by d (a negative d counts as zero) and
// returns the new time. Functions set with AfterFunc that fall due on the
// way are called in order of due time (in the order they were set for
// equal times), each exactly once, with the clock reading its due time;
// when Advance returns, all of them have been called.
func (m *Manual) Advance(d time.Duration) time.Time {
	m.moving.Lock()
	defer m.moving.Unlock()
	m.mu.Lock()
	target := m.now
	if d > 0 {
		target = target.Add(d)
	}
	m.mu.Unlock()
	return m.moveTo(target)
}

// Set moves the clock to t and returns the new time, calling what falls
// due on the way as Advance does. A t before the clock's time leaves the
// clock where it is (time never goes backwards) but still calls what is
// due.
func (m *Manual) Set(t time.Time) time.Time {
	m.moving.Lock()
	defer m.moving.Unlock()
	return m.moveTo(t)
}

func (m *Manual) moveTo(target time.Time) time.Time {
	for {
		m.mu.Lock()
		w := m.waiters.PopDue(target)
		if w == nil {
			if target.After(m.now) {
				m.now = target
			}
			now := m.now
			m.mu.Unlock()
			return now
		}
		if w.When.After(m.now) {
			m.now = w.When
		}
		m.mu.Unlock()
		w.Value()
	}
}

package worker

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/routing"
	"github.com/swhost/swhost/weberr"
)

// Worker is one version of a service-worker script and, while it runs, its
// JavaScript runtime. Its methods are safe for concurrent use.
type Worker struct {
	script *Script
	opts   Options
	limits Limits
	log    *slog.Logger

	mu     sync.Mutex
	inst   *instance // running instance, nil when stopped
	closed bool
	// retired is closed by retire when the worker is closed for good and
	// stopped (Retired).
	retired    chan struct{}
	retireOnce sync.Once
	starts     atomic.Int64
	stopped    atomic.Int64
	unhandled  atomic.Int64

	foreignFetch atomic.Pointer[ForeignFetchRegistration] // set during install
	routes       atomic.Pointer[routing.Rules]            // router rules, added during install
	skipWaiting  atomic.Bool

	cachesOnce sync.Once
	caches     *cachestorage.CacheStorage
	cachesErr  error

	urlOnce   sync.Once
	parsedURL *weburl.URL

	importMu sync.Mutex
	imported map[string]*sobek.Program // importScripts targets, kept across restarts

	// consoleMu is held (read) while Options.Console runs; Close takes it
	// to set consoleOff, so no console output reaches the callback once
	// Close has returned.
	consoleMu  sync.RWMutex
	consoleOff bool

	idle idleWaiters // WaitIdle calls waiting for the instance to go idle
}

// New returns a stopped worker for script. It starts on the first event or
// on [Worker.Start].
func New(script *Script, opts Options) *Worker {
	w := &Worker{script: script, opts: opts, limits: opts.Limits.withDefaults(), retired: make(chan struct{})}
	w.log = opts.Logger
	if w.log == nil {
		w.log = slog.Default()
	}
	w.log = w.log.With("worker", script.url)
	if w.opts.Fetcher == nil {
		w.opts.Fetcher = defaultFetcher
	}
	return w
}

// scriptURL returns the parsed script URL (nil if it does not parse).
func (w *Worker) scriptURL() *weburl.URL {
	w.urlOnce.Do(func() { w.parsedURL, _ = weburl.Parse(w.script.url) })
	return w.parsedURL
}

// Script returns the worker's compiled script.
func (w *Worker) Script() *Script { return w.script }

// Start starts the worker's runtime and evaluates its script, unless it is
// already running. An exception thrown by the script's top level is
// returned as a *JSError with the JavaScript stack.
func (w *Worker) Start(ctx context.Context) error {
	in, err := w.running()
	if err != nil {
		return err
	}
	return in.waitStarted(ctx)
}

// Running reports whether the worker's runtime is running: started (its
// script may still be evaluating) and not stopped, by Stop, Close, the
// idle timeout, a limit or a script that failed to evaluate.
// NotifyServiceWorkerState tells a running worker that the service worker
// id of its registration changed state: its ServiceWorker object for id,
// if it has one, fires statechange (its state reads the new state). A
// worker that is not running has no such objects, and nothing happens.
func (w *Worker) NotifyServiceWorkerState(id int64) {
	w.mu.Lock()
	in := w.inst
	w.mu.Unlock()
	if in == nil {
		return
	}
	in.loop.Submit(func() {
		if _, err := in.js.serviceWorkerStateChanged(sobek.Undefined(), in.rt.ToValue(id)); err != nil {
			in.w.log.Debug("statechange failed", "err", err)
		}
	})
}

// NotifyUpdateFound tells a running worker that its registration has a new
// installing worker: its registration object fires updatefound, during
// which registration.installing is that worker (the specification queues
// the attribute's change before the event).
func (w *Worker) NotifyUpdateFound(installing ServiceWorkerRef) {
	w.mu.Lock()
	in := w.inst
	w.mu.Unlock()
	if in == nil {
		return
	}
	in.loop.Submit(func() {
		if _, err := in.js.updateFound(sobek.Undefined(), in.rt.ToValue(installing.ID), in.rt.ToValue(installing.ScriptURL)); err != nil {
			in.w.log.Debug("updatefound failed", "err", err)
		}
	})
}

func (w *Worker) Running() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.inst != nil && !w.inst.loop.Stopped()
}

// Stats are counters for tests and figures.
type Stats struct {
	Starts int64 // runtimes started
	Stops  int64 // runtimes stopped (idle, Stop, limits)
	// UnhandledRejections counts promises rejected without a handler by
	// the end of a task.
	UnhandledRejections int64
}

// Stats returns the worker's counters.
func (w *Worker) Stats() Stats {
	return Stats{Starts: w.starts.Load(), Stops: w.stopped.Load(), UnhandledRejections: w.unhandled.Load()}
}

// Stop stops the running runtime, if any. Events in flight fail with
// ErrStopped. The worker can be started again by the next event; use
// [Worker.Close] to refuse further events.
func (w *Worker) Stop() {
	w.mu.Lock()
	inst := w.inst
	w.inst = nil
	w.mu.Unlock()
	if inst != nil {
		inst.shutdown(ErrStopped)
	}
}

// CloseWhenIdle closes the worker for new events at once (they fail with
// InvalidStateError) and stops it once the events in flight have been
// answered, or after grace, whichever comes first; it does not wait. A
// service worker that becomes redundant is retired this way: a request it
// is answering still gets its answer, as the Service Workers standard
// lets it.
func (w *Worker) CloseWhenIdle(grace time.Duration) {
	w.mu.Lock()
	w.closed = true
	inst := w.inst
	w.mu.Unlock()
	if inst == nil {
		w.retire()
		return
	}
	if inst.inflight.Load() == 0 {
		w.Stop()
		w.retire()
		return
	}
	go func() {
		defer w.retire()
		deadline := time.NewTimer(grace)
		defer deadline.Stop()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for inst.inflight.Load() > 0 {
			select {
			case <-inst.loop.Done():
				return
			case <-deadline.C:
				w.log.Warn("retired worker still busy after the grace period: stopping it", "script", w.script.url, "grace", grace)
				w.Stop()
				return
			case <-tick.C:
			}
		}
		w.Stop()
	}()
}

// Close stops the worker for good: later events fail with
// InvalidStateError. Once it has returned, Options.Console is not called
// again (Close waits for a call in progress).
func (w *Worker) Close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.Stop()
	w.consoleMu.Lock()
	w.consoleOff = true
	w.consoleMu.Unlock()
	w.retire()
}

// Retired is closed once the worker is closed for good (Close, or
// CloseWhenIdle once its events in flight are answered or its grace has
// passed) and its runtime, if it had one, has been stopped: no event
// starts in it again, and Stats counts the stop.
func (w *Worker) Retired() <-chan struct{} { return w.retired }

// retire closes Retired's channel.
func (w *Worker) retire() { w.retireOnce.Do(func() { close(w.retired) }) }

// running returns the running instance, starting one if needed.
func (w *Worker) running() (*instance, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil, weberr.New(weberr.InvalidStateError, "the worker is closed")
	}
	if w.inst != nil && !w.inst.loop.Stopped() {
		return w.inst, nil
	}
	inst, err := startInstance(w)
	if err != nil {
		return nil, err
	}
	w.starts.Add(1)
	w.inst = inst
	return inst, nil
}

// detach forgets inst if it is still the running instance (called when the
// instance stops itself: idle timeout or a limit).
func (w *Worker) detach(inst *instance) {
	w.mu.Lock()
	if w.inst == inst {
		w.inst = nil
	}
	w.mu.Unlock()
}

// console reports a console message produced in Go (an uncaught
// exception, a warning), cut to Limits.MaxConsoleBytes.
func (w *Worker) console(level, msg string) {
	w.emitConsole(level, capConsole(msg, w.limits.MaxConsoleBytes, 0))
}

// emitConsole hands a console message, already within its limit, to
// Options.Console or the logger.
func (w *Worker) emitConsole(level, msg string) {
	if w.opts.Console != nil {
		w.consoleMu.RLock()
		defer w.consoleMu.RUnlock()
		if !w.consoleOff {
			w.opts.Console(level, msg)
		}
		return
	}
	lvl := slog.LevelDebug
	switch level {
	case "info":
		lvl = slog.LevelInfo
	case "warn":
		lvl = slog.LevelWarn
	case "error":
		lvl = slog.LevelError
	}
	w.log.Log(context.Background(), lvl, msg, "source", "console."+level)
}

// String names the worker by its script URL.
func (w *Worker) String() string { return fmt.Sprintf("worker(%s)", w.script.url) }

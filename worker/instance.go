package worker

import (
	"context"
	"errors"
	"fmt"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/clock"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/internal/eventloop"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
)

// jsInternals are the bootstrap's entry points for Go
// (js/90_entry_points.js).
type jsInternals struct {
	lifecycle, fetch, foreignfetch, message  sobek.Callable
	functional                               sobek.Callable
	crossoriginconnect, crossoriginmessage   sobek.Callable
	hasListeners, exportResponse, fromGoResp sobek.Callable
	unhandledRejection, rejectionHandled     sobek.Callable
	reportException, configure               sobek.Callable
	serviceWorkerObject                      sobek.Callable
	serviceWorkerStateChanged, updateFound   sobek.Callable
	watchLifetime                            sobek.Callable
	newRequest, exportRequest                sobek.Callable
	makeCrossOriginClient, loadMessaging     sobek.Callable
	makeClient                               sobek.Callable
}

// instance is one running runtime of a worker. Fields marked "loop" are
// touched only on the loop goroutine.
type instance struct {
	w      *Worker
	rt     *sobek.Runtime
	loop   *eventloop.Loop
	bound  chan struct{}   // closed when the instance is bound to a worker (see parkGrown)
	ctx    context.Context // cancelled when the instance stops
	cancel context.CancelFunc

	js           jsInternals
	scriptState  *sobek.Object // bootstrap's scriptState: Go marks the evaluation's end in it
	extSlot      string        // index of an event state's lifetime slot (E_EXT of js/02_event.js, as the bootstrap reports it)
	errorFactory sobek.Callable
	slot         *sobek.Symbol   // the key of Go's own slot on objects the bootstrap made for it (setSlot)
	sentinel     *sobek.Object   // loop: returned by host.responseRecord
	exported     *fetch.Response // loop: the record behind sentinel

	events     map[int64]*event // loop: events in flight by token
	nextToken  int64            // loop
	evaluated  bool             // loop: the top-level script has run
	started    chan struct{}    // closed once the script's evaluation ended
	bodyLimit  int              // loop: the body limit the bootstrap was configured with
	installing bool             // loop: install is being dispatched
	// windowAllowed counts the notificationclick events in flight
	// (loop): while one is, clients.openWindow may open a window.
	windowAllowed int
	extend        int // loop: pending lifetime promises
	idleTimer     eventloop.TimerID
	idleWall      bool                        // the idle check is armed on a Go timer (a clock other than the wall clock)
	idleAt        time.Time                   // when the worker may stop, if still idle
	idleCheck     func()                      // checkIdle, allocated once
	timers        map[int64]eventloop.TimerID // loop: JS timer id → loop timer
	nextTimer     int64
	rejections    []*sobek.Promise // loop: rejected without handler, in order
	// notified are the promises whose unhandledrejection was fired, which
	// get a rejectionhandled when a handler is added later (the HTML
	// standard's outstanding rejected promises; the oldest are forgotten
	// past maxNotified).
	notified []*sobek.Promise

	methods map[string]sobek.Value // loop: JS strings for common methods

	cacheHandles map[int64]*cachestorage.Cache // loop: Cache objects' Go caches
	nextCache    int64

	msg messaging // loop: structured clone, MessagePorts, cross-origin clients
	idb idbState  // loop: IndexedDB connections and the transaction cleanup

	sockets  map[*wsConn]bool  // loop: WebSocket connections not closed
	goBodies map[*goBody]bool  // loop: Go bodies JavaScript streams read (bind_body.go)
	jsBodies map[int64]*jsBody // loop: JavaScript streams Go reads, by id
	nextBody int64
	channels []*bcSub // loop: BroadcastChannels opened
	// inflaters are the DecompressionStreams' decoders (made by the loop;
	// nil until the first).
	inflaters *inflaterSet

	hostPanics int // loop: Go panics caught at the JavaScript boundary (guard)

	// Watchdog state, shared with the watchdog goroutine.
	wdMu        sync.Mutex
	taskStart   time.Time     // zero when no task runs
	taskRan     time.Duration // the task's running time as the watchdog saw it
	charged     time.Time     // the running task's time is charged up to here
	sinceTick   time.Duration // time of the tasks that ended since the watchdog's last tick
	budget      time.Duration // CPU budget of the current task
	interrupted error         // set by the watchdog; the instance then stops
	cpu         cpuWindow     // running time over Limits.CPUWindow
	heavy       bool          // over a quarter of CPUPerWindow: tasks take a heavy lane

	heap       heapCharge    // watchdog goroutine: the heap charged to the worker
	lane       chan struct{} // loop: the heavy lane the running task holds
	lastActive atomic.Int64  // when its last task began, since monoStart (eviction order)

	inflight atomic.Int64 // events dispatched and not yet answered
	born     time.Time    // when the runtime was built (wall clock), for the CPU window
	timeZero time.Time    // the time origin of performance.now, on the worker's clock

	stopOnce sync.Once
	stopErr  error
}

// newInstance creates an instance whose runtime already has the
// service-worker global scope built, not yet bound to a worker. Its loop
// goroutine is started and runs the bootstrap as its first task, which
// then waits in parkGrown until startInstance binds the instance: the
// goroutine's stack is as big as a start needs before the start begins.
func newInstance() (*instance, error) {
	now := time.Now()
	in := &instance{
		rt:       sobek.New(),
		loop:     eventloop.New(),
		bound:    make(chan struct{}),
		events:   make(map[int64]*event),
		timers:   make(map[int64]eventloop.TimerID),
		born:     now,
		timeZero: now,
		slot:     sobek.NewSymbol("host"),

		cacheHandles: make(map[int64]*cachestorage.Cache),
		msg:          messaging{links: make(map[int64]*jsPort), clients: make(map[string]sourceValues)},
		idb:          idbState{conns: make(map[*indexeddb.Connection]*idbConn)},
	}
	in.idleCheck = in.checkIdle
	in.ctx, in.cancel = context.WithCancel(context.Background())
	go in.loop.Run(in.ctx)
	errc := make(chan error, 1)
	if !in.loop.Submit(func() {
		err := in.bootstrap()
		errc <- err
		if err == nil {
			parkGrown(in.bound, in.ctx.Done())
		}
	}) {
		in.cancel()
		return nil, ErrStopped
	}
	if err := <-errc; err != nil {
		in.discard()
		return nil, err
	}
	return in, nil
}

// discard stops an instance that was never bound to a worker.
func (in *instance) discard() {
	in.loop.Stop()
	in.cancel()
}

// startInstance takes a bootstrapped runtime (from the warm pool, or a new
// one), binds it to w and queues the task that evaluates the worker's
// script. It does not wait for the evaluation: events queued behind it run
// once it has (the loop runs tasks in order), and a script that fails
// stops the instance with its error, which every waiter then gets
// (in.err). Start waits for it (in.started). Not waiting saves a start
// one round trip between goroutines.
func startInstance(w *Worker) (*instance, error) {
	in := warm.take()
	if in == nil {
		var err error
		if in, err = newInstance(); err != nil {
			return nil, err
		}
	}
	in.w = w
	// Evaluating the script gets a roomier budget than later tasks.
	in.budget = max(w.limits.CPUPerTask, 5*time.Second)
	// One task binds the runtime and evaluates the script: the watchdog's
	// hooks are set first, and beforeTask is called by hand for this task
	// (the loop calls the new afterTask when it ends).
	in.started = make(chan struct{})
	if !in.loop.Submit(func() {
		defer close(in.started)
		in.rt.SetMaxCallStackSize(w.limits.MaxCallStack)
		if c := w.opts.Clock; !clock.IsReal(c) {
			in.loop.SetClock(c)
			in.rt.SetTimeSource(c.Now)
			in.timeZero = c.Now()
		}
		in.loop.SetBeforeTask(in.beforeTask)
		in.loop.SetAfterTask(in.afterTask)
		in.loop.SetPanicHandler(in.loopPanic)
		watchdog.add(in)
		in.beforeTask()
		if w.limits.MaxBodyBytes != in.bodyLimit {
			if _, err := in.js.configure(sobek.Undefined(), in.rt.ToValue(w.limits.MaxBodyBytes)); err != nil {
				in.shutdown(fmt.Errorf("worker bootstrap: %w", jsErrorFrom(err)))
				return
			}
			in.bodyLimit = w.limits.MaxBodyBytes
		}
		err := in.evaluate()
		in.wdMu.Lock()
		in.budget = w.limits.CPUPerTask
		in.wdMu.Unlock()
		if err != nil {
			in.shutdown(err)
		}
	}) {
		in.discard()
		return nil, ErrStopped
	}
	close(in.bound)
	return in, nil
}

// waitStarted waits until the script of a new instance has been
// evaluated, and returns why the instance stopped if it did.
func (in *instance) waitStarted(ctx context.Context) error {
	select {
	case <-in.started:
		if in.loop.Stopped() {
			return in.err() // shutdown sets stopErr before it stops the loop
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("starting %s: %w", in.w.script.url, ctx.Err())
	}
}

// stackReserve is how much goroutine stack a worker start needs (the
// install event's promise jobs run deepest). Left to itself, the loop
// goroutine's stack would double several times deep inside sobek during
// the start, every copy walking and adjusting dozens of interpreter
// frames.
const stackReserve = 64 << 10

// parkGrown waits, on a frame of almost stackReserve bytes, until the
// instance is bound to a worker (bound closed) or stops (done closed).
// The frame grows the goroutine's stack to stackReserve in one copy of
// the few frames below it, and while a pooled runtime waits here the
// collector does not shrink that stack again (it shrinks only stacks
// mostly unused): the start that binds the runtime finds it grown, and
// the growth, with the zeroing of the frame, is paid in the pool.
//
//go:noinline
func parkGrown(bound, done <-chan struct{}) byte {
	var pad [stackReserve - 8<<10]byte
	select {
	case <-bound:
	case <-done:
	}
	return pad[len(bound)%len(pad)]
}

// bootstrap builds the global scope: it runs the files of js/ with the
// host object (see runBootstrap). Host functions read in.w only when called.
func (in *instance) bootstrap() error {
	rt := in.rt
	rt.SetPromiseRejectionTracker(in.trackRejection)
	in.sentinel = rt.NewObject()
	in.methods = make(map[string]sobek.Value)
	for _, m := range []string{"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"} {
		in.methods[m] = rt.ToValue(m)
	}
	internals, err := runBootstrap(rt, in.hostObject())
	if err != nil {
		return fmt.Errorf("worker bootstrap: %w", jsErrorFrom(err))
	}
	io := internals.Get("entryPoints").ToObject(rt)
	get := func(name string) sobek.Callable {
		f, ok := sobek.AssertFunction(io.Get(name))
		if !ok {
			panic("worker: bootstrap lacks " + name)
		}
		return f
	}
	in.js = jsInternals{
		lifecycle: get("lifecycle"), fetch: get("fetch"), foreignfetch: get("foreignfetch"), message: get("message"),
		functional: get("functional"), makeClient: get("makeClient"),
		crossoriginconnect: get("crossoriginconnect"), crossoriginmessage: get("crossoriginmessage"),
		hasListeners: get("hasListeners"), exportResponse: get("exportResponse"), fromGoResp: get("responseFromGo"),
		newRequest: get("newRequest"), exportRequest: get("exportRequest"),
		unhandledRejection: get("unhandledRejection"), rejectionHandled: get("rejectionHandled"),
		reportException: get("reportException"), configure: get("configure"),
		serviceWorkerObject: get("serviceWorkerObject"), serviceWorkerStateChanged: get("serviceWorkerStateChanged"),
		updateFound:           get("updateFound"),
		makeCrossOriginClient: get("makeCrossOriginClient"), loadMessaging: get("loadMessaging"),
		watchLifetime: get("watchLifetime"),
	}
	in.scriptState = io.Get("scriptState").ToObject(rt)
	in.extSlot = io.Get("eventStateExtSlot").String()
	// No host access: the engine has no require, process or file system;
	// make sure nothing of the kind leaks in through the global object.
	g := rt.GlobalObject()
	for _, name := range []string{"require", "process", "module", "exports"} {
		g.Delete(name)
	}
	// Configured here for the default limit, a worker with another limit
	// configures its own when it binds the runtime.
	if _, err := in.js.configure(sobek.Undefined(), rt.ToValue(DefaultLimits.MaxBodyBytes)); err != nil {
		return fmt.Errorf("worker bootstrap: %w", jsErrorFrom(err))
	}
	in.bodyLimit = DefaultLimits.MaxBodyBytes
	prime, err := primeProgram()
	if err != nil {
		return fmt.Errorf("worker bootstrap: %w", err)
	}
	if _, err := rt.RunProgram(prime); err != nil {
		return fmt.Errorf("worker bootstrap: priming: %w", jsErrorFrom(err))
	}
	return nil
}

// primeSource touches the built-ins that worker scripts and lifecycle
// events use at once, so that sobek materialises them while the runtime
// waits in the warm pool rather than during a worker's start. It leaves
// nothing behind: no globals, no pending jobs.
const primeSource = `(() => {
  const p = Promise.resolve(1).then((x) => x, (e) => e);
  Promise.all([p]).then(() => {}); Promise.race([p]); Promise.reject(0).catch(() => {});
  const m = new Map([[1, 2]]); m.set(2, 3); m.get(1); m.has(1); m.delete(1); [...m.keys()]; m.forEach(() => {});
  const s = new Set([1]); s.add(2); s.has(1); [...s];
  const a = [3, 1, 2]; a.map((x) => x).filter(Boolean).forEach(() => {}); a.includes(1); a.indexOf(1); a.slice(); a.some(Boolean); a.find(Boolean); a.join(','); a.sort(); a.push(4); a.concat([5]); Array.from(a); Array.isArray(a);
  const o = { a: 1 }; Object.keys(o); Object.entries(o); Object.assign({}, o); Object.freeze({}); JSON.stringify(JSON.parse('{"a":[1]}'));
  'a-b'.split('-'); 'ab'.startsWith('a'); 'ab'.endsWith('b'); 'ab'.includes('a'); 'Ab'.toLowerCase(); ' a '.trim(); 'a'.replace(/a/g, 'b'); 'a'.padStart(2); String(1); (1.5).toFixed(1); Number('1'); parseInt('1', 10); Math.max(1, 2); Date.now(); new Date(0).toISOString();
  /a(b)?/.exec('ab'); new Error('x').message; Symbol.iterator;
  new URL('https://a.test/x?y=1').pathname; new Headers({ a: 'b' }).get('a');
})();`

var primeProgram = sync.OnceValues(func() (*sobek.Program, error) {
	return sobek.Compile("swhost:prime.js", primeSource, true)
})

// evaluate runs the worker's script (on the loop).
func (in *instance) evaluate() error {
	rt := in.rt
	s := in.w.script
	switch s.typ {
	case sw.WorkerModule:
		p := rt.CyclicModuleRecordEvaluate(s.main, s.resolve)
		switch p.State() {
		case sobek.PromiseStateRejected:
			// The rejection is a JavaScript value, or an engine error
			// (link failures) wrapped as a Go value.
			if e, ok := p.Result().Export().(error); ok {
				return in.scriptError(jsErrorFrom(e))
			}
			return in.scriptError(jsErrorFrom(p.Result()))
		case sobek.PromiseStatePending:
			return weberr.Errorf(weberr.TypeError, "module %s uses top-level await, which service workers do not allow", s.url)
		}
	default:
		if _, err := rt.RunProgram(s.program); err != nil {
			return in.scriptError(err)
		}
	}
	in.evaluated = true
	if err := in.scriptState.Set("evaluated", true); err != nil {
		return fmt.Errorf("worker: marking the script evaluated: %w", err)
	}
	return nil
}

// methodValue returns m as a JavaScript string, without allocating for
// the common methods.
func (in *instance) methodValue(m string) sobek.Value {
	if v, ok := in.methods[m]; ok {
		return v
	}
	return in.rt.ToValue(m)
}

func (in *instance) scriptError(err error) error {
	if in.interruptCause() != nil {
		return in.interruptCause()
	}
	return jsErrorFrom(err)
}

// err returns why the instance stopped.
func (in *instance) err() error {
	if in.stopErr != nil {
		return in.stopErr
	}
	return ErrStopped
}

// stopGrace is how long JavaScript that is running when its worker stops
// (Stop, the idle timeout, a cancelled start) may go on to finish its
// task before it is interrupted. A listener that is running completes, so
// an event whose dispatch began is handled once and whole (its replies
// stand), and no later task starts; a task still running after the grace
// (a loop that has not hit its CPU budget yet) is interrupted, so the loop
// goroutine always ends. A limit interrupts at once.
const stopGrace = 100 * time.Millisecond

// shutdown stops the loop and fails every event in flight with cause. It is
// safe from any goroutine and idempotent.
func (in *instance) shutdown(cause error) {
	in.stopOnce.Do(func() {
		in.stopErr = cause
		in.loop.Stop()
		// JavaScript still running after stopGrace is interrupted: the
		// watchdog no longer watches the instance, and the loop
		// goroutine must end.
		grace := time.AfterFunc(stopGrace, func() { in.rt.Interrupt(cause) })
		in.cancel()
		watchdog.remove(in)
		in.w.stopped.Add(1)
		go func() {
			// Not inline: shutdown may run on the loop while Worker.running
			// holds the worker's lock waiting for this instance to start.
			in.w.detach(in)
			// Fail events still waiting; the loop no longer runs, so their
			// state is ours once Run has returned.
			<-in.loop.Done()
			grace.Stop()
			if errors.Is(cause, ErrHeapBudget) || errors.Is(cause, ErrHeapGrowth) {
				returnMemory()
			}
			for _, ev := range in.events {
				ev.finish(eventResult{err: cause})
			}
			in.events = nil
			in.closePorts()
			in.closeSockets()
			in.closeGoBodies()
			in.closeChannels()
			if in.inflaters != nil {
				in.inflaters.closeAll()
			}
			in.closeIDB()
		}()
	})
}

// beforeTask and afterTask bracket every loop task: they arm the CPU and
// heap watchdog, report unhandled rejections, and stop the instance after
// an interrupt.
func (in *instance) beforeTask() {
	now := time.Now()
	in.wdMu.Lock()
	if in.heavy {
		// The window may have slid past the busy period.
		lim := &in.w.limits
		in.cpu.advance(now.Sub(in.born), lim.CPUWindow)
		in.heavy = in.cpu.sum() > lim.CPUPerWindow/4
	}
	heavy := in.heavy
	in.wdMu.Unlock()
	if heavy {
		in.lane = in.acquireLane()
		now = time.Now()
	}
	in.lastActive.Store(int64(now.Sub(monoStart)))
	in.wdMu.Lock()
	in.taskStart, in.charged = now, now
	in.taskRan = 0
	in.wdMu.Unlock()
}

func (in *instance) afterTask() {
	if in.lane != nil {
		<-in.lane
		in.lane = nil
	}
	now := time.Now()
	in.wdMu.Lock()
	if !in.taskStart.IsZero() {
		in.sinceTick += now.Sub(in.charged)
	}
	in.taskStart = time.Time{}
	cause := in.interrupted
	in.wdMu.Unlock()
	if cause != nil {
		in.rt.ClearInterrupt()
		in.w.log.Error("worker stopped by a limit", "err", cause)
		in.w.console("error", "Uncaught "+cause.Error())
		in.shutdown(cause)
		return
	}
	if in.idb.pending {
		in.idbAfterTask()
	}
	if len(in.rejections) > 0 {
		in.reportRejections()
	}
}

func (in *instance) interruptCause() error {
	in.wdMu.Lock()
	defer in.wdMu.Unlock()
	return in.interrupted
}

// trackRejection implements the host's promise rejection tracker.
func (in *instance) trackRejection(p *sobek.Promise, op sobek.PromiseRejectionOperation) {
	switch op {
	case sobek.PromiseRejectionReject:
		in.rejections = append(in.rejections, p)
	case sobek.PromiseRejectionHandle:
		for i, q := range in.rejections {
			if q == p {
				in.rejections = append(in.rejections[:i], in.rejections[i+1:]...)
				return
			}
		}
		for i, q := range in.notified {
			if q == p {
				in.notified = append(in.notified[:i], in.notified[i+1:]...)
				in.loop.SetTimer(0, func() {
					_, _ = in.js.rejectionHandled(sobek.Undefined(), in.rt.ToValue(p), p.Result())
				})
				return
			}
		}
	}
}

// maxNotified bounds instance.notified.
const maxNotified = 1024

// reportRejections fires unhandledrejection for promises still rejected
// without a handler after a task and its microtasks ran, and reports those
// whose event was not cancelled.
func (in *instance) reportRejections() {
	list := in.rejections
	in.rejections = nil
	for _, p := range list {
		if len(in.notified) >= maxNotified {
			in.notified = in.notified[1:]
		}
		in.notified = append(in.notified, p)
		if v, err := in.js.unhandledRejection(sobek.Undefined(), in.rt.ToValue(p), p.Result()); err == nil && !v.ToBoolean() {
			continue // a listener called preventDefault()
		}
		err := jsErrorFrom(p.Result())
		if je, ok := err.(*JSError); ok {
			in.w.console("error", "Uncaught (in promise) "+je.Error())
		} else {
			in.w.console("error", "Uncaught (in promise) "+err.Error())
		}
		in.w.log.Warn("unhandled promise rejection", "err", err)
		in.w.unhandled.Add(1)
	}
}

// reportException reports an exception thrown by a listener or callback.
func (in *instance) reportException(v sobek.Value) error {
	err := jsErrorFrom(v)
	in.w.console("error", "Uncaught "+err.Error())
	in.w.log.Warn("uncaught exception in worker", "err", err)
	return err
}

// throw panics with a JavaScript exception for err: a TypeError or
// RangeError for those names, a DOMException for other weberr names, and
// a plain Error otherwise. Host functions use it to throw.
func (in *instance) throw(err error) {
	panic(in.exception(err))
}

func (in *instance) exception(err error) sobek.Value {
	var je *JSError
	if errors.As(err, &je) {
		if ex, ok := je.cause.(*sobek.Exception); ok {
			return ex.Value()
		}
	}
	name := weberr.NameOf(err)
	msg := weberr.MessageOf(err)
	if name == "" {
		name = "Error"
		msg = err.Error()
	}
	if in.errorFactory == nil {
		return in.rt.NewTypeError(msg)
	}
	if name == "Error" {
		o, _ := in.rt.New(in.rt.Get("Error"), in.rt.ToValue(msg))
		return o
	}
	v, ferr := in.errorFactory(sobek.Undefined(), in.rt.ToValue(name), in.rt.ToValue(msg))
	if ferr != nil {
		return in.rt.NewTypeError(msg)
	}
	return v
}

// ---------------------------------------------------------------- watchdog

// watchdog is one goroutine shared by every running instance. Every 5 ms
// it charges the elapsed time to each instance's running task and CPU
// window and interrupts one over its CPU budgets, charges the heap to
// the instances (heapAccount) and stops one over its heap budget or
// ceiling; every 100 ms it has each instance with events in flight fail
// those older than Limits.EventTimeout. It runs only while some instance
// is running.
var watchdog = &dog{set: map[*instance]struct{}{}}

type dog struct {
	mu       sync.Mutex
	set      map[*instance]struct{}
	departed []*instance // removed from set since the last tick
	running  bool
	// idleWaiters, a test hook, are closed when the goroutine stops
	// running (set empty, no departed instance left); nil unless a test
	// waits for that (waitWatchdogIdle).
	idleWaiters []chan struct{}
}

func (d *dog) add(in *instance) {
	d.mu.Lock()
	d.set[in] = struct{}{}
	if !d.running {
		d.running = true
		go d.run()
	}
	victim := d.evictFor(in)
	d.mu.Unlock()
	if victim != nil {
		cause := weberr.Errorf(weberr.QuotaExceeded, "%s stopped: more than %d workers running: %w", victim.w.script.url, maxRunning.Load(), ErrEvicted)
		victim.w.log.Info("worker stopped", "err", cause)
		victim.shutdown(cause)
	}
}

func (d *dog) remove(in *instance) {
	d.mu.Lock()
	if _, ok := d.set[in]; ok {
		delete(d.set, in)
		d.departed = append(d.departed, in)
	}
	d.mu.Unlock()
}

func (d *dog) run() {
	t := time.NewTicker(watchdogPeriod)
	defer t.Stop()
	var list, over, leaving []*instance
	var ran []taskTick
	var acct heapAccount
	ticks := 0
	last := time.Now()
	for now := range t.C {
		ticks++
		// A tick counts for at most twice its period, so that a stall of
		// the whole process (GC, an overloaded machine) is not charged to
		// the task that happened to be running.
		step := min(now.Sub(last), 2*watchdogPeriod)
		last = now
		d.mu.Lock()
		leaving = append(leaving, d.departed...)
		d.departed = nil
		if len(d.set) == 0 && len(leaving) == 0 {
			d.running = false
			for _, ch := range d.idleWaiters {
				close(ch)
			}
			d.idleWaiters = nil
			d.mu.Unlock()
			return
		}
		list = list[:0]
		for in := range d.set {
			list = append(list, in)
		}
		d.mu.Unlock()
		// A stopped instance is charged until its loop goroutine ends:
		// JavaScript interrupted in one long instruction still allocates,
		// and that must not be charged to the instances running beside it.
		kept := leaving[:0]
		for _, in := range leaving {
			select {
			case <-in.loop.Done():
				acct.depart(in)
			default:
				kept = append(kept, in)
				list = append(list, in)
			}
		}
		clear(leaving[len(kept):])
		leaving = kept
		heap := liveHeap()
		ran = ran[:0]
		for _, in := range list {
			r, task := in.check(now, step)
			ran = append(ran, taskTick{ran: r, task: task})
			if ticks%20 == 0 && in.inflight.Load() > 0 {
				in.loop.Submit(func() { in.sweep(in.loop.Now()) })
			}
		}
		over = acct.tick(now, readHeapStats(), list, ran, heap, over[:0])
		for _, in := range over {
			in.overHeap()
		}
		clear(list)
		clear(over)
	}
}

const watchdogPeriod = 5 * time.Millisecond

// check charges step to in's running task and its CPU window, and
// interrupts it when it is over a CPU limit. It returns the time charged
// and when the running task began (zero when none runs).
func (in *instance) check(now time.Time, step time.Duration) (time.Duration, time.Time) {
	in.wdMu.Lock()
	defer in.wdMu.Unlock()
	if in.interrupted != nil {
		// Interrupted JavaScript runs on until its current instruction
		// ends (one string doubling may copy hundreds of MB): that time,
		// and so what it allocates, is still its own, not a neighbour's.
		if in.taskStart.IsZero() {
			return 0, time.Time{}
		}
		d := min(step, now.Sub(in.charged))
		in.charged = now
		return d, in.taskStart
	}
	// The tasks that ended since the last tick, and the running one's
	// time since then (at most a step, so that a stall of the whole
	// process is not charged to it).
	ran := in.sinceTick
	in.sinceTick = 0
	if !in.taskStart.IsZero() {
		d := min(step, now.Sub(in.charged))
		in.charged = now
		in.taskRan += d
		ran += d
	}
	if ran == 0 {
		return 0, in.taskStart
	}
	lim := in.w.limits
	in.cpu.advance(now.Sub(in.born), lim.CPUWindow)
	in.cpu.add(ran)
	used := in.cpu.sum()
	in.heavy = used > lim.CPUPerWindow/4
	var cause error
	if used > lim.CPUPerWindow {
		cause = weberr.Errorf(weberr.TimeoutError, "%s ran JavaScript for %v in the last %v, over its budget of %v: %w", in.w.script.url, used.Round(time.Millisecond), lim.CPUWindow, lim.CPUPerWindow, ErrCPUWindow)
	} else if in.taskRan > in.budget {
		cause = weberr.Errorf(weberr.TimeoutError, "a task of %s ran for %v, over its CPU-time budget of %v: %w", in.w.script.url, in.taskRan.Round(time.Millisecond), in.budget, ErrCPUBudget)
	}
	if cause != nil {
		in.interrupted = cause
		in.rt.Interrupt(cause)
	}
	return ran, in.taskStart
}

var heapSample = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
var heapMu sync.Mutex

// liveHeap returns the live heap measured by the last GC.
func liveHeap() uint64 {
	heapMu.Lock()
	defer heapMu.Unlock()
	metrics.Read(heapSample)
	if heapSample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return heapSample[0].Value.Uint64()
}

// warm keeps a few bootstrapped runtimes ready, so that starting a worker
// costs only evaluating its script: building the global scope (most of a
// start's cost) happens ahead of time on a background goroutine.
var warm = &warmPool{size: 2}

type warmPool struct {
	mu      sync.Mutex
	size    int
	ready   []*instance
	filling bool
}

// SetWarmRuntimes sets how many bootstrapped runtimes the package keeps
// ready for worker starts (2 by default; 0 disables the pool). Each costs
// about half a megabyte.
func SetWarmRuntimes(n int) {
	warm.mu.Lock()
	warm.size = max(n, 0)
	for len(warm.ready) > warm.size {
		last := len(warm.ready) - 1
		warm.ready[last].discard()
		warm.ready[last] = nil
		warm.ready = warm.ready[:last]
	}
	warm.mu.Unlock()
}

// take returns a ready runtime, or nil, and starts refilling the pool.
func (p *warmPool) take() *instance {
	p.mu.Lock()
	defer p.mu.Unlock()
	var in *instance
	if n := len(p.ready); n > 0 {
		in = p.ready[n-1]
		p.ready[n-1] = nil
		p.ready = p.ready[:n-1]
	}
	if !p.filling && len(p.ready) < p.size {
		p.filling = true
		go p.fill()
	}
	return in
}

func (p *warmPool) fill() {
	for {
		p.mu.Lock()
		if len(p.ready) >= p.size {
			p.filling = false
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
		in, err := newInstance()
		p.mu.Lock()
		if err != nil {
			p.filling = false
			p.mu.Unlock()
			return
		}
		p.ready = append(p.ready, in)
		p.mu.Unlock()
	}
}

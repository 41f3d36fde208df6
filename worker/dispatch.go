package worker

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/clock"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/routing"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
)

// FetchEventInit carries the fetch event's client ids.
type FetchEventInit struct {
	ClientID          string
	ResultingClientID string
	// Preload, when not nil, gives the navigation preload response
	// (FetchEvent.preloadResponse): the answer to the request the caller
	// started in parallel with the event. It is called at most once, on
	// its own goroutine, when the script first reads preloadResponse; its
	// error rejects the promise with a TypeError.
	Preload func(ctx context.Context) (*fetch.Response, error)
}

// FetchResult is the outcome of a fetch event.
type FetchResult struct {
	// Response is the worker's answer; nil when no listener called
	// respondWith (the request then goes on to the network). When
	// respondWith's promise rejected or resolved to something other than a
	// Response, Response is a network error and RespondWithError says why.
	Response         *fetch.Response
	RespondWithError error
	// Exceptions thrown by listeners (already reported to the console and
	// log). A listener that threw before calling respondWith leaves
	// Response nil: the fetch falls back to the network.
	Exceptions []error
	// BodyUsed reports that the request had a streamed body
	// (fetch.Request.Stream) the script disturbed (read, cancelled or
	// sent on) without answering: the body cannot go on to the network
	// and the Service Workers standard makes the fetch a network error.
	// DispatchFetch then sets req.Stream to nil: the worker owns the
	// body and closes it. A body the script did not disturb is left in
	// req.Stream for the caller, and the script can no longer read it.
	BodyUsed bool
}

// ForeignFetchResult is the outcome of a foreignfetch event: the object the
// worker's respondWith promise resolved to. Response nil means no
// respondWith; a network-error Response means the promise rejected or did
// not hold a Response.
type ForeignFetchResult struct {
	Response   *fetch.Response
	Origin     string   // "" when the worker gave no origin (opaque)
	HasOrigin  bool     // the worker set origin
	Headers    []string // the headers allow-list, nil when not given
	Err        error    // why Response is a network error
	Exceptions []error
	// BodyUsed is as for [FetchResult].
	BodyUsed bool
}

// InstallResult is the outcome of an install event.
type InstallResult struct {
	// ForeignFetch is the registerForeignFetch() data, nil when not called.
	ForeignFetch *ForeignFetchRegistration
	// SkipWaiting reports whether the worker called skipWaiting().
	SkipWaiting bool
	// Routes are the router rules addRoutes() added (Static Routing
	// API), nil when none.
	Routes routing.Rules
}

// ConnectResult is the outcome of a crossoriginconnect event.
type ConnectResult struct {
	Accepted bool  // acceptConnection(true) or a promise of true
	Err      error // the exception or rejection that meant "rejected", if any
}

// event is one event in flight. It is the loop task that starts itself.
type event struct {
	kind      string
	req       *fetch.Request
	reqBody   *requestStream // req's streamed body, shared with the script (bind_request.go)
	fetchInit FetchEventInit
	threw     []error
	start     time.Time
	done      chan eventResult // buffered; receives exactly one result

	batch  []Message          // crossoriginmessage
	client *CrossOriginClient // crossoriginmessage

	in      *instance
	token   int64
	startFn func(in *instance, token int64, ev *event)
}

// Run starts the event on the loop.
func (ev *event) Run() {
	in := ev.in
	in.nextToken++
	ev.token = in.nextToken
	in.events[ev.token] = ev // the idle timer finds it and waits
	ev.startFn(in, ev.token, ev)
}

// fetchEvents recycles fetch events (and their channels) that completed
// normally: nothing refers to them once their result was received.
var fetchEvents = sync.Pool{New: func() any { return &event{kind: "fetch", done: make(chan eventResult, 1)} }}

type eventResult struct {
	resp    *fetch.Response
	err     error // the event failed (worker stopped, timeout, dispatch error)
	failure error // a waitUntil/respondWith rejection
	threw   error
	origin  *string
	headers []string
	accept  bool
	n       int // crossoriginmessage: messages dispatched

	delivered bool // received from ev.done: the event may be recycled
}

func (ev *event) finish(r eventResult) {
	select {
	case ev.done <- r:
	default:
	}
}

// dispatch runs start on the loop with a new event and waits for its
// result, the worker stopping, or ctx. Events still running after
// Limits.EventTimeout are failed by the watchdog's sweep.
func (w *Worker) dispatch(ctx context.Context, ev *event, start func(in *instance, token int64, ev *event)) (eventResult, error) {
	in, err := w.running()
	if err != nil {
		return eventResult{}, err
	}
	if ev.done == nil {
		ev.done = make(chan eventResult, 1)
	}
	ev.start = clock.Or(w.opts.Clock).Now()
	ev.in, ev.startFn, ev.token = in, start, 0
	in.inflight.Add(1)
	defer in.inflight.Add(-1)
	if !in.loop.SubmitTask(ev) {
		return eventResult{}, in.err()
	}
	select {
	case r := <-ev.done:
		r.delivered = true
		return r, r.err
	case <-in.loop.Done():
		// The loop stopped (limit, Stop, a script that failed to
		// evaluate): an event that never started has nothing to wait
		// for; one that did may be being finished by the shutdown
		// goroutine right now.
		if ev.token == 0 {
			return eventResult{}, in.err()
		}
		select {
		case r := <-ev.done:
			return r, r.err
		case <-time.After(50 * time.Millisecond):
		}
		return eventResult{}, in.err()
	case <-ctx.Done():
		in.loop.Submit(func() { in.forget(ev.token) })
		return eventResult{}, weberr.Errorf(weberr.TimeoutError, "%s event on %s did not finish: %w", ev.kind, w.script.url, ctx.Err())
	}
}

// sweep fails events that have run longer than Limits.EventTimeout (on
// the loop).
func (in *instance) sweep(now time.Time) {
	limit := in.w.limits.EventTimeout
	for token, ev := range in.events {
		if now.Sub(ev.start) > limit {
			in.complete(token, eventResult{err: weberr.Errorf(weberr.TimeoutError, "%s event on %s did not finish within %v", ev.kind, in.w.script.url, limit)})
		}
	}
}

// complete finishes the event with token and forgets it (on the loop).
func (in *instance) complete(token int64, r eventResult) {
	ev := in.events[token]
	if ev == nil {
		return
	}
	in.forget(token)
	ev.finish(r)
}

func (in *instance) forget(token int64) {
	if in.events == nil {
		return
	}
	if ev := in.events[token]; ev != nil {
		switch ev.kind {
		case "install":
			in.installing = false // install is over: importScripts and registerForeignFetch end
		case EventNotificationClick:
			in.windowAllowed-- // the click's activation ends with it
		}
	}
	delete(in.events, token)
	if len(in.events) == 0 && in.extend == 0 {
		in.armIdle()
	}
}

// call calls a bootstrap entry point; an exception fails the event.
func (in *instance) call(token int64, fn sobek.Callable, args ...sobek.Value) (sobek.Value, bool) {
	v, err := fn(sobek.Undefined(), args...)
	if err != nil {
		in.complete(token, eventResult{err: in.callError(err)})
		return nil, false
	}
	return v, true
}

// callError turns the error of a call into the bootstrap into the
// event's error. When a limit interrupted the runtime it stops the
// instance at once, so that no later event is queued on it before
// afterTask would stop it.
func (in *instance) callError(err error) error {
	if c := in.interruptCause(); c != nil {
		in.shutdown(c)
		return c
	}
	return jsErrorFrom(err)
}

// eventDone handles host.done(token, ...) from the bootstrap. The
// arguments depend on the event kind.
func (in *instance) eventDone(token int64, args []sobek.Value) {
	ev := in.events[token]
	if ev == nil {
		return
	}
	arg := func(i int) sobek.Value {
		if i < len(args) {
			return args[i]
		}
		return sobek.Undefined()
	}
	errOf := func(v sobek.Value) error {
		if v == nil || sobek.IsUndefined(v) {
			return nil
		}
		return jsErrorFrom(v)
	}
	var r eventResult
	switch ev.kind {
	case "install", "activate", "message", EventPush, EventPushSubscriptionChange, EventSync, EventPeriodicSync,
		EventNotificationClick, EventNotificationClose:
		r = lifetimeResult(ev, arg(0))
	case "fetch":
		if arg(0) == in.sentinel {
			r.resp = in.exported
		} else {
			r.failure = errOf(arg(1))
		}
	case "foreignfetch":
		if arg(0) == in.sentinel {
			r.resp = in.exported
			if o := arg(2); !sobek.IsUndefined(o) {
				s := o.String()
				r.origin = &s
			}
			if h, ok := arg(3).(*sobek.Object); ok {
				r.headers = in.stringList(h)
			}
		} else {
			r.failure = errOf(arg(1))
		}
	case "crossoriginconnect":
		r.accept = arg(0).ToBoolean()
		r.failure = errOf(arg(1))
	}
	in.complete(token, r)
}

// lifetimeResult is the outcome of an event that waited for its lifetime
// promises: failure is the first rejection reason (nil or undefined when
// none), and the first listener exception is kept.
func lifetimeResult(ev *event, failure sobek.Value) eventResult {
	var r eventResult
	if failure != nil && !sobek.IsUndefined(failure) {
		r.failure = jsErrorFrom(failure)
	}
	if len(ev.threw) > 0 {
		r.threw = ev.threw[0]
	}
	return r
}

// settleLifetime finishes an event whose outcome waits for its lifetime
// promises (install, activate, message) once its listeners, and the
// microtasks they queued, have run. st is what the bootstrap's entry
// point returned: undefined when no listener called waitUntil, or the
// event's state, whose lifetime slot (in.extSlot) holds the promises collected
// so far. When they have all settled, which is the common case (a
// listener's chain of resolved promises has run by now), the event
// completes here, with no promise reaction in JavaScript; otherwise the
// bootstrap's watchLifetime waits for them and calls host.done.
func (in *instance) settleLifetime(token int64, st sobek.Value) {
	ev := in.events[token]
	if ev == nil {
		return
	}
	state, ok := st.(*sobek.Object)
	if !ok {
		in.complete(token, lifetimeResult(ev, nil))
		return
	}
	list, _ := state.Get(in.extSlot).(*sobek.Object)
	if list == nil {
		in.complete(token, lifetimeResult(ev, nil))
		return
	}
	var failure sobek.Value
	var rejected []*sobek.Promise
	n := int(list.Get("length").ToInteger())
	for i := range n {
		p, ok := list.Get(strconv.Itoa(i)).Export().(*sobek.Promise)
		if !ok || p.State() == sobek.PromiseStatePending {
			if _, err := in.js.watchLifetime(sobek.Undefined(), state, in.rt.ToValue(token)); err != nil {
				in.complete(token, eventResult{err: in.callError(err)})
			}
			return
		}
		if p.State() == sobek.PromiseStateRejected {
			if failure == nil {
				failure = p.Result()
			}
			rejected = append(rejected, p)
		}
	}
	// waitUntil handles its promises' rejections: none is reported as
	// unhandled.
	for _, p := range rejected {
		in.trackRejection(p, sobek.PromiseRejectionHandle)
	}
	// The event is no longer active: a later waitUntil() throws.
	_ = state.Set(in.extSlot, sobek.Null())
	in.complete(token, lifetimeResult(ev, failure))
}

// DispatchInstall fires the install event and waits for its waitUntil
// promises. A listener exception or a rejected waitUntil promise fails
// the install: the error is returned (a *JSError with the stack).
func (w *Worker) DispatchInstall(ctx context.Context) (InstallResult, error) {
	w.foreignFetch.Store(nil)
	w.routes.Store(nil)
	w.skipWaiting.Store(false)
	_, err := w.lifecycle(ctx, "install")
	res := InstallResult{ForeignFetch: w.foreignFetch.Load(), SkipWaiting: w.skipWaiting.Load()}
	if p := w.routes.Load(); p != nil {
		res.Routes = *p
	}
	if err != nil {
		res.ForeignFetch, res.Routes = nil, nil
	}
	return res, err
}

// DispatchActivate fires the activate event and waits for its waitUntil
// promises; failures are returned as for install.
func (w *Worker) DispatchActivate(ctx context.Context) error {
	_, err := w.lifecycle(ctx, "activate")
	return err
}

func (w *Worker) lifecycle(ctx context.Context, kind string) (eventResult, error) {
	r, err := w.dispatch(ctx, &event{kind: kind}, func(in *instance, token int64, ev *event) {
		in.installing = kind == "install"
		if ext, ok := in.call(token, in.js.lifecycle, in.rt.ToValue(kind), in.rt.ToValue(token)); ok {
			in.settleLifetime(token, ext)
		}
	})
	if err != nil {
		return r, err
	}
	if r.threw != nil {
		return r, fmt.Errorf("%s event listener threw: %w", kind, r.threw)
	}
	if r.failure != nil {
		return r, fmt.Errorf("%s event: a waitUntil() promise rejected: %w", kind, r.failure)
	}
	return r, nil
}

// DispatchFetch fires a fetch event for req. See [FetchResult] for the
// outcomes; the error is non-nil only when the event could not run (the
// worker failed to start, stopped, hit a limit, or ctx ended).
func (w *Worker) DispatchFetch(ctx context.Context, req *fetch.Request, init FetchEventInit) (FetchResult, error) {
	ev := fetchEvents.Get().(*event)
	ev.req, ev.fetchInit = req, init
	body := takeRequestStream(req)
	ev.reqBody = body
	r, err := w.dispatch(ctx, ev, startFetch)
	res := FetchResult{Response: r.resp, Exceptions: ev.threw}
	if !settleRequestStream(req, body) && res.Response == nil {
		res.BodyUsed = true
	}
	if r.delivered {
		*ev = event{kind: "fetch", done: ev.done}
		fetchEvents.Put(ev)
	}
	if err != nil {
		return res, err
	}
	if r.failure != nil {
		res.Response = fetch.NetworkError(r.failure.Error())
		res.RespondWithError = r.failure
	}
	return res, nil
}

func startFetch(in *instance, token int64, ev *event) {
	rt := in.rt
	v, ok := in.call(token, in.js.fetch, rt.ToValue(token), rt.ToValue(ev.req.URL), in.methodValue(ev.req.MethodOrGet()))
	if !ok {
		return
	}
	switch {
	case v == in.sentinel:
		in.complete(token, eventResult{resp: in.exported})
	case sobek.IsUndefined(v):
		in.complete(token, eventResult{})
	}
	// null: respondWith got a promise; host.done completes the event.
}

// DispatchForeignFetch fires a foreignfetch event for req, made by a
// client of the given origin ("null" when hidden). Eligibility and the
// CORS filtering of the result belong to the caller.
func (w *Worker) DispatchForeignFetch(ctx context.Context, req *fetch.Request, origin string) (ForeignFetchResult, error) {
	body := takeRequestStream(req)
	ev := &event{kind: "foreignfetch", req: req, reqBody: body}
	r, err := w.dispatch(ctx, ev, func(in *instance, token int64, ev *event) {
		rt := in.rt
		v, ok := in.call(token, in.js.foreignfetch, rt.ToValue(token), rt.ToValue(req.URL), rt.ToValue(req.MethodOrGet()), rt.ToValue(origin))
		if ok && sobek.IsUndefined(v) {
			in.complete(token, eventResult{})
		}
	})
	res := ForeignFetchResult{Response: r.resp, Headers: r.headers, Exceptions: ev.threw}
	if !settleRequestStream(req, body) && res.Response == nil {
		res.BodyUsed = true
	}
	if r.origin != nil {
		res.Origin, res.HasOrigin = *r.origin, true
	}
	if err != nil {
		return res, err
	}
	if r.failure != nil {
		res.Response = fetch.NetworkError(r.failure.Error())
		res.Err = r.failure
	}
	return res, nil
}

// DispatchMessage fires an ExtendableMessageEvent named "message" with
// msg's value (see [Message]) and its ports (event.ports), and waits for
// its waitUntil promises. A message that cannot be deserialized fails with
// a DataCloneError and fires nothing.
func (w *Worker) DispatchMessage(ctx context.Context, msg Message, origin string) error {
	return w.dispatchMessage(ctx, msg, origin, nil)
}

// DispatchServiceWorkerMessage fires the message event of
// ServiceWorker.postMessage: as DispatchMessage, with event.source the
// ServiceWorker object of from (in this worker's realm) and event.origin
// from's origin.
func (w *Worker) DispatchServiceWorkerMessage(ctx context.Context, msg Message, from ServiceWorkerRef) error {
	origin := ""
	if u, err := url.Parse(from.ScriptURL); err == nil {
		origin = u.Scheme + "://" + u.Host
	}
	return w.dispatchMessage(ctx, msg, origin, &from)
}

// DispatchClientMessage fires the message event of a client's
// ServiceWorker.postMessage (navigator.serviceWorker.controller): as
// DispatchMessage, with event.source a Client object for from and
// event.origin from's origin.
func (w *Worker) DispatchClientMessage(ctx context.Context, msg Message, from Client) error {
	origin := ""
	if u, err := url.Parse(from.URL); err == nil {
		origin = u.Scheme + "://" + u.Host
	}
	return w.dispatchMessageFrom(ctx, msg, origin, func(in *instance, token int64) (sobek.Value, bool) {
		rt := in.rt
		return in.call(token, in.js.makeClient, rt.ToValue(from.ID), rt.ToValue(from.URL), rt.ToValue(orDefault(from.Type, "window")), rt.ToValue(orDefault(from.FrameType, "top-level")))
	})
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (w *Worker) dispatchMessage(ctx context.Context, msg Message, origin string, from *ServiceWorkerRef) error {
	var source func(in *instance, token int64) (sobek.Value, bool)
	if from != nil {
		source = func(in *instance, token int64) (sobek.Value, bool) {
			return in.call(token, in.js.serviceWorkerObject, in.rt.ToValue(from.ID), in.rt.ToValue(from.ScriptURL))
		}
	}
	return w.dispatchMessageFrom(ctx, msg, origin, source)
}

// dispatchMessageFrom fires a message event whose event.source the
// source function makes (undefined when nil).
func (w *Worker) dispatchMessageFrom(ctx context.Context, msg Message, origin string, source func(in *instance, token int64) (sobek.Value, bool)) error {
	r, err := w.dispatch(ctx, &event{kind: "message"}, func(in *instance, token int64, ev *event) {
		rt := in.rt
		data, ports, err := in.messageToJS(msg)
		if err != nil {
			in.complete(token, eventResult{err: fmt.Errorf("message event: %w", err)})
			return
		}
		var src sobek.Value = sobek.Undefined()
		if source != nil {
			var ok bool
			if src, ok = source(in, token); !ok {
				return
			}
		}
		if ext, ok := in.call(token, in.js.message, rt.ToValue(token), data, rt.ToValue(origin), src, ports); ok {
			in.settleLifetime(token, ext)
		}
	})
	if err != nil {
		return err
	}
	if r.threw != nil {
		return fmt.Errorf("message event listener threw: %w", r.threw)
	}
	return r.failure
}

// DispatchConnect fires crossoriginconnect for client and reports whether
// the worker accepted it. Policy (timing, what the client sees) belongs to
// the caller.
func (w *Worker) DispatchConnect(ctx context.Context, client CrossOriginClient) (ConnectResult, error) {
	r, err := w.dispatch(ctx, &event{kind: "crossoriginconnect"}, func(in *instance, token int64, ev *event) {
		rt := in.rt
		id := rt.ToValue(client.ID)
		c, ok := in.call(token, in.js.makeCrossOriginClient, id, rt.ToValue(client.Origin), rt.ToValue(client.TargetURL), in.valueToJS(client.Options))
		if !ok {
			return
		}
		in.setSlot(c, id)
		_, _ = in.call(token, in.js.crossoriginconnect, rt.ToValue(token), c)
	})
	if err != nil {
		return ConnectResult{}, err
	}
	return ConnectResult{Accepted: r.accept, Err: r.failure}, nil
}

// DispatchCrossOriginMessage fires crossoriginmessage with event.source set
// to client, event.data msg's value and event.ports its ports (see
// [Message]). Replies made with event.source.postMessage reach
// Hooks.CrossOriginPostMessage.
func (w *Worker) DispatchCrossOriginMessage(ctx context.Context, client CrossOriginClient, msg Message) error {
	one := [1]Message{msg}
	_, err := w.DispatchCrossOriginMessages(ctx, client, one[:])
	return err
}

// crossOriginEvents recycles crossoriginmessage events.
var crossOriginEvents = sync.Pool{New: func() any { return &event{kind: "crossoriginmessage", done: make(chan eventResult, 1)} }}

// maxMessageBatch and maxBatchTime bound how many messages one loop task
// dispatches: a batch ends after 64 messages or once 1 ms has passed, so
// Limits.CPUPerTask still bounds (about) one message's listeners, and
// other tasks are not held up. maxBatchTime is a variable for the tests,
// which set it to 0 to split a batch at every message.
const maxMessageBatch = 64

var maxBatchTime = time.Millisecond

// DispatchCrossOriginMessages fires crossoriginmessage for each of msgs,
// in order, as DispatchCrossOriginMessage does. Up to 64 messages share
// one loop task (fewer when their listeners take more than a millisecond
// in all), but each is dispatched by its own call into JavaScript,
// after which the engine runs the promise jobs it queued: what one
// message's listeners queue as microtasks runs before the next message's
// listeners, as if each message were its own task. It returns how many
// messages were dispatched (a message that cannot be deserialized counts,
// and is logged) and the first listener exception, or the error that
// stopped dispatching (the worker stopped, ctx ended).
func (w *Worker) DispatchCrossOriginMessages(ctx context.Context, client CrossOriginClient, msgs []Message) (int, error) {
	done := 0
	var threw error
	for done < len(msgs) {
		batch := msgs[done:min(len(msgs), done+maxMessageBatch)]
		ev := crossOriginEvents.Get().(*event)
		ev.batch, ev.client = batch, &client
		r, err := w.dispatch(ctx, ev, startCrossOriginMessages)
		if r.delivered {
			*ev = event{kind: "crossoriginmessage", done: ev.done}
			crossOriginEvents.Put(ev)
		}
		done += r.n
		if threw == nil && r.threw != nil {
			threw = r.threw
		}
		if err != nil {
			return done, err
		}
	}
	if threw != nil {
		return done, fmt.Errorf("crossoriginmessage event listener threw: %w", threw)
	}
	return done, nil
}

func startCrossOriginMessages(in *instance, token int64, ev *event) {
	rt := in.rt
	sv := in.crossOriginSource(token, ev.client)
	if sv.src == nil {
		return // in.call completed the event
	}
	tok := rt.ToValue(token)
	n := 0
	start := time.Now()
	for i, m := range ev.batch {
		// Stopping is looked at first: a stop during the batch's last
		// listener must end the call with its error, whether or not the
		// batch's time is up (a batch split into the next task would go
		// on in the next instance).
		if in.loop.Stopped() {
			// Stopping (Stop, a limit, the idle timeout): this message
			// and the rest are not dispatched and their ports not taken;
			// the caller gives them to the next instance.
			in.complete(token, eventResult{err: in.err(), n: n})
			return
		}
		if i > 0 && time.Since(start) > maxBatchTime {
			break // the rest go in the next task
		}
		data, ports, err := in.messageToJS(m)
		if err != nil {
			in.w.log.Warn("crossoriginmessage: the message could not be deserialized", "client", ev.client.ID, "err", err)
			n++
			continue
		}
		// The argument slice is reused: sobek copies arguments onto its
		// stack and keeps no reference to the slice.
		args := in.msg.args[:]
		args[0], args[1], args[2], args[3], args[4] = tok, sv.src, sv.origin, data, ports
		_, err = in.js.crossoriginmessage(sobek.Undefined(), args...)
		clear(args)
		if err != nil {
			// The runtime was interrupted (Stop after its grace, a limit)
			// or the bootstrap failed. The messages before this one were
			// dispatched; this one was if its dispatch began (its
			// listeners may have replied: given again, a reply would be
			// doubled, and a browser does not fire an event again at the
			// next worker when it terminated one during it). If the
			// interrupt landed before that, it was not, and the caller
			// gives it to the next instance.
			if in.messageBegan() {
				n++
			}
			in.complete(token, eventResult{err: in.callError(err), n: n})
			return
		}
		in.msg.begun++
		n++
	}
	r := eventResult{n: n}
	if len(ev.threw) > 0 {
		r.threw = ev.threw[0]
	}
	in.complete(token, r)
}

// messageBegan reports whether the crossoriginmessage call that was just
// interrupted got past its first step, and counts it if so.
func (in *instance) messageBegan() bool {
	v := in.scriptState.Get("messagesBegun")
	if v == nil || v.ToInteger() <= in.msg.begun {
		return false
	}
	in.msg.begun++
	return true
}

// crossOriginSource returns the CrossOriginServiceWorkerClient object of
// client, made once per connection and kept (up to 4096 connections).
func (in *instance) crossOriginSource(token int64, c *CrossOriginClient) sourceValues {
	if sv, ok := in.msg.clients[c.ID]; ok {
		return sv
	}
	rt := in.rt
	origin := rt.ToValue(c.Origin)
	v, ok := in.call(token, in.js.makeCrossOriginClient, rt.ToValue(c.ID), origin, rt.ToValue(c.TargetURL), sobek.Undefined())
	if !ok {
		return sourceValues{}
	}
	in.setSlot(v, rt.ToValue(c.ID))
	if len(in.msg.clients) >= 4096 {
		clear(in.msg.clients)
	}
	sv := sourceValues{src: v, origin: origin}
	in.msg.clients[c.ID] = sv
	return sv
}

// HasListeners reports whether the worker's global scope has listeners for
// the event type (after evaluating the script). The registry uses it to
// skip fetch events for workers without a fetch handler.
func (w *Worker) HasListeners(ctx context.Context, typ string) (bool, error) {
	in, err := w.running()
	if err != nil {
		return false, err
	}
	res := make(chan bool, 1)
	if !in.loop.Submit(func() {
		v, err := in.js.hasListeners(sobek.Undefined(), in.rt.ToValue(typ))
		res <- err == nil && v.ToBoolean()
	}) {
		return false, in.err()
	}
	select {
	case ok := <-res:
		return ok, nil
	case <-in.loop.Done():
		return false, in.err()
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// checkForeignFetch validates registerForeignFetch's arguments: it runs
// only while install is dispatched, scopes must be URLs within the
// registration's scope, origins '*' or absolute origins. Hooks can add
// policy on top.
func (in *instance) checkForeignFetch(reg *ForeignFetchRegistration) error {
	if !in.installing {
		return weberr.New(weberr.InvalidStateError, "registerForeignFetch() must be called during the install event")
	}
	if len(reg.Scopes) == 0 {
		return weberr.New(weberr.TypeError, "registerForeignFetch: scopes must not be empty")
	}
	hook := in.w.opts.Hooks.RegisterForeignFetch
	scope := in.w.opts.Registration.Scope
	for i, s := range reg.Scopes {
		u := in.parseURL(s, in.w.script.url)
		if u == nil {
			return weberr.Errorf(weberr.TypeError, "registerForeignFetch: invalid scope URL %q", s)
		}
		href := u.HrefWithoutFragment()
		if hook == nil && scope != "" && !strings.HasPrefix(href, scope) {
			return weberr.Errorf(weberr.TypeError, "registerForeignFetch: scope %s is not within the registration's scope %s", href, scope)
		}
		reg.Scopes[i] = href
	}
	if len(reg.Origins) == 0 {
		return weberr.New(weberr.TypeError, "registerForeignFetch: origins must not be empty")
	}
	for _, o := range reg.Origins {
		if o == "*" {
			if len(reg.Origins) != 1 {
				return weberr.New(weberr.TypeError, "registerForeignFetch: '*' must be the only origin")
			}
			continue
		}
		u, err := url.Parse(o)
		if err != nil || !u.IsAbs() || u.Host == "" {
			return weberr.Errorf(weberr.TypeError, "registerForeignFetch: %q is not an absolute origin", o)
		}
	}
	if hook != nil {
		return hook(*reg)
	}
	return nil
}

// importScript loads, compiles and runs a classic script in the global
// scope (importScripts). New URLs are allowed only while the script is
// evaluated for the first time or during install; afterwards only URLs
// imported before, as the Service Workers spec says.
func (in *instance) importScript(u string) {
	w := in.w
	if w.script.typ == sw.WorkerModule {
		in.throw(weberr.New(weberr.TypeError, "importScripts() is not available in module workers; use import"))
	}
	w.importMu.Lock()
	prog, known := w.imported[u]
	w.importMu.Unlock()
	if !known {
		if in.evaluated && !in.installing {
			in.throw(weberr.Errorf(weberr.NetworkError, "importScripts(%s): new scripts can only be imported during the worker's first evaluation or its install event", u))
		}
		if w.opts.Loader == nil {
			in.throw(weberr.Errorf(weberr.NetworkError, "importScripts(%s): the worker has no Loader", u))
		}
		ctx, cancel := context.WithTimeout(in.ctx, 30*time.Second)
		src, err := w.opts.Loader.Load(ctx, u)
		cancel()
		if err != nil {
			in.throw(weberr.Errorf(weberr.NetworkError, "importScripts(%s): %w", u, err))
		}
		if len(src) > w.limits.MaxScriptBytes {
			in.throw(weberr.Errorf(weberr.QuotaExceeded, "importScripts(%s): %d bytes, over the %d-byte limit", u, len(src), w.limits.MaxScriptBytes))
		}
		prog, _, err = compileProgram(in.ctx, u, src)
		if err != nil {
			in.throw(err)
		}
		w.importMu.Lock()
		if w.imported == nil {
			w.imported = map[string]*sobek.Program{}
		}
		w.imported[u] = prog
		w.importMu.Unlock()
	}
	if _, err := in.rt.RunProgram(prog); err != nil {
		panic(err)
	}
}

// armIdle (on the loop) notes that the worker went idle now (no event in
// flight, no lifetime promise pending): it stops after Limits.IdleTimeout
// unless work comes first. One timer serves many idle periods: when it
// fires early (the worker was busy since) it re-arms itself for the rest.
// It wakes the WaitIdle callers. The idle timeout runs on the wall clock
// whatever the worker's clock: stopping idle workers is the host's
// housekeeping, and a manual clock moved by an hour must not stop a
// worker under an event just dispatched to it.
func (in *instance) armIdle() {
	in.w.idle.release()
	d := in.w.limits.IdleTimeout
	if d < 0 {
		return
	}
	in.idleAt = time.Now().Add(d)
	if in.idleTimer == 0 && !in.idleWall {
		in.armIdleTimer(d)
	}
}

// armIdleTimer arms the idle check to run after d of wall time: a loop
// timer on the wall clock, a Go timer queueing the check otherwise.
func (in *instance) armIdleTimer(d time.Duration) {
	if clock.IsReal(in.w.opts.Clock) {
		in.idleTimer = in.loop.SetTimer(d, in.idleCheck)
		return
	}
	in.idleWall = true
	time.AfterFunc(d, func() { in.loop.Submit(in.idleCheck) })
}

func (in *instance) checkIdle() {
	in.idleTimer, in.idleWall = 0, false
	if len(in.events) > 0 || in.extend > 0 {
		return // busy: forget or extend calls armIdle when it ends
	}
	if rest := time.Until(in.idleAt); rest > 0 {
		in.armIdleTimer(rest)
		return
	}
	in.w.log.Debug("worker idle: stopping")
	in.shutdown(ErrStopped)
}

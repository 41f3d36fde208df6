package worker

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/trustworthy"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/weberr"
)

// hostObject builds the object of host functions handed to the bootstrap.
// Worker scripts never see it.
func (in *instance) hostObject() *sobek.Object {
	rt := in.rt
	h := rt.NewObject()
	set := func(name string, fn func(sobek.FunctionCall) sobek.Value) {
		_ = h.Set(name, in.guard(name, fn))
	}
	start := in.born
	set("setErrorFactory", func(c sobek.FunctionCall) sobek.Value {
		in.errorFactory, _ = sobek.AssertFunction(c.Argument(0))
		return sobek.Undefined()
	})
	set("now", func(sobek.FunctionCall) sobek.Value {
		return rt.ToValue(float64(time.Since(start).Microseconds()) / 1000)
	})
	set("log", func(c sobek.FunctionCall) sobek.Value {
		in.w.consoleJS(c.Argument(0).String(), c.Argument(1), c.Argument(2))
		return sobek.Undefined()
	})
	set("consoleLimit", func(sobek.FunctionCall) sobek.Value { return rt.ToValue(in.w.limits.MaxConsoleBytes) })
	set("reportException", func(c sobek.FunctionCall) sobek.Value {
		in.reportException(c.Argument(0))
		return sobek.Undefined()
	})
	set("extend", func(c sobek.FunctionCall) sobek.Value {
		in.extend += int(c.Argument(0).ToInteger())
		if in.extend == 0 {
			in.armIdle()
		}
		return sobek.Undefined()
	})
	set("headerName", func(c sobek.FunctionCall) sobek.Value {
		nameV := c.Argument(0)
		lname, keep, err := checkHeader(nameV.String(), c.Argument(1).String(), c.Argument(2).String())
		if err != nil {
			in.throw(err)
		}
		if !keep {
			return sobek.Null()
		}
		if lname == nameV.String() {
			return nameV
		}
		return rt.ToValue(lname)
	})
	// The Fetch standard's header rules (package fetch), one host
	// function each.
	set("isToken", func(c sobek.FunctionCall) sobek.Value { return rt.ToValue(fetch.IsHeaderName(c.Argument(0).String())) })
	set("trimHTTPSpace", func(c sobek.FunctionCall) sobek.Value {
		v := c.Argument(0)
		s := v.String()
		t := fetch.TrimHTTPWhitespace(s)
		if len(t) == len(s) {
			return v
		}
		return rt.ToValue(t)
	})
	set("isForbiddenRequestHeader", func(c sobek.FunctionCall) sobek.Value {
		return rt.ToValue(fetch.IsForbiddenRequestHeader(c.Argument(0).String(), c.Argument(1).String()))
	})
	set("isForbiddenMethod", func(c sobek.FunctionCall) sobek.Value {
		return rt.ToValue(fetch.IsForbiddenMethod(c.Argument(0).String()))
	})
	set("isForbiddenResponseHeaderName", func(c sobek.FunctionCall) sobek.Value {
		return rt.ToValue(fetch.IsForbiddenResponseHeaderName(c.Argument(0).String()))
	})
	set("isNoCORSSafelistedRequestHeaderName", func(c sobek.FunctionCall) sobek.Value {
		return rt.ToValue(fetch.IsNoCORSSafelistedRequestHeaderName(c.Argument(0).String()))
	})
	set("isCORSSafelistedRequestHeader", func(c sobek.FunctionCall) sobek.Value {
		return rt.ToValue(fetch.IsCORSSafelistedRequestHeader(c.Argument(0).String(), c.Argument(1).String()))
	})
	set("checkSize", func(c sobek.FunctionCall) sobek.Value {
		in.checkSize(int(c.Argument(0).ToInteger()))
		return sobek.Undefined()
	})
	set("encodeUTF8", func(c sobek.FunctionCall) sobek.Value {
		s := c.Argument(0).String()
		in.checkSize(len(s))
		return rt.ToValue(rt.NewArrayBuffer(utf8Bytes(c.Argument(0))))
	})
	set("encodeInto", func(c sobek.FunctionCall) sobek.Value {
		// The destination is a Uint8Array (not a Proxy of one); a detached
		// one has no room, so nothing is read or written.
		d, ok := c.Argument(1).(*sobek.Object)
		if !ok || d.ExportType() != typeBytes {
			in.throw(weberr.New(weberr.TypeError, "Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'."))
		}
		dst := bytesOf(d)
		read, written := 0, 0
		// String gives lone surrogates as U+FFFD, as TextEncoder encodes
		// them: one code unit read, three bytes written.
		for _, r := range c.Argument(0).String() {
			n := utf8.RuneLen(r)
			if written+n > len(dst) {
				break
			}
			utf8.EncodeRune(dst[written:], r)
			written += n
			read++
			if r > 0xFFFF {
				read++ // a surrogate pair
			}
		}
		o := rt.NewObject()
		_ = o.Set("read", read)
		_ = o.Set("written", written)
		return o
	})
	set("decodeUTF8", func(c sobek.FunctionCall) sobek.Value {
		b := bytesOf(c.Argument(0))
		fatal, ignoreBOM := c.Argument(1).ToBoolean(), c.Argument(2).ToBoolean()
		if !ignoreBOM && len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
			b = b[3:]
		}
		if fatal && !utf8.Valid(b) {
			in.throw(weberr.New(weberr.TypeError, "The encoded data was not valid UTF-8."))
		}
		return rt.ToValue(strings.ToValidUTF8(string(b), "\uFFFD"))
	})
	set("parseURL", func(c sobek.FunctionCall) sobek.Value {
		u := in.parseURL(c.Argument(0).String(), c.Argument(1).String())
		if u == nil {
			return sobek.Null()
		}
		return rt.ToValue(u.Href())
	})
	set("urlRecord", func(c sobek.FunctionCall) sobek.Value {
		var base *weburl.URL
		if b := c.Argument(1); !sobek.IsUndefined(b) {
			var err error
			if base, err = weburl.Parse(b.String()); err != nil {
				return sobek.Null()
			}
		}
		u, err := weburl.ParseRef(base, c.Argument(0).String())
		if err != nil {
			return sobek.Null()
		}
		return urlRecord(rt, u)
	})
	set("urlSet", func(c sobek.FunctionCall) sobek.Value {
		u, err := weburl.Parse(c.Argument(0).String())
		if err != nil {
			return sobek.Null()
		}
		v := c.Argument(2).String()
		switch c.Argument(1).String() {
		case "href":
			err = u.SetHref(v)
		case "protocol":
			err = u.SetProtocol(v)
		case "username":
			err = u.SetUsername(v)
		case "password":
			err = u.SetPassword(v)
		case "host":
			err = u.SetHost(v)
		case "hostname":
			err = u.SetHostname(v)
		case "port":
			err = u.SetPort(v)
		case "pathname":
			err = u.SetPathname(v)
		case "search":
			err = u.SetSearch(v)
		case "hash":
			err = u.SetHash(v)
		}
		if err != nil {
			// Setters other than href ignore failures, as the URL
			// standard says; the caller decides.
			if c.Argument(1).String() == "href" {
				return sobek.Null()
			}
		}
		return urlRecord(rt, u)
	})
	set("parseQuery", func(c sobek.FunctionCall) sobek.Value {
		pairs := weburl.ParseQuery(c.Argument(0).String())
		flat := make([]any, 0, 2*len(pairs))
		for _, p := range pairs {
			flat = append(flat, p.Name, p.Value)
		}
		return rt.NewArray(flat...)
	})
	set("serializeQuery", func(c sobek.FunctionCall) sobek.Value {
		var pairs []weburl.Pair
		if o, ok := c.Argument(0).(*sobek.Object); ok {
			n := listLen(o)
			for i := 0; i+1 < n; i += 2 {
				pairs = append(pairs, weburl.Pair{Name: o.Get(strconv.Itoa(i)).String(), Value: o.Get(strconv.Itoa(i + 1)).String()})
			}
		}
		return rt.ToValue(weburl.SerializeQuery(pairs))
	})
	set("toUSV", func(c sobek.FunctionCall) sobek.Value {
		s := c.Argument(0).String()
		if utf8.ValidString(s) {
			return c.Argument(0)
		}
		return rt.ToValue(strings.ToValidUTF8(s, "\uFFFD"))
	})
	set("urlPart", func(c sobek.FunctionCall) sobek.Value {
		return rt.ToValue(urlPart(in.w.scriptURL(), c.Argument(0).String()))
	})
	set("isSecureContext", func(sobek.FunctionCall) sobek.Value {
		return rt.ToValue(trustworthy.URLString(in.w.script.url))
	})
	set("registration", func(c sobek.FunctionCall) sobek.Value {
		r := in.w.opts.Registration
		switch c.Argument(0).String() {
		case "scope":
			return rt.ToValue(r.Scope)
		case "scopePattern":
			if r.ScopePattern == nil {
				return sobek.Null()
			}
			return in.toJS(r.ScopePattern)
		case "updateViaCache":
			return rt.ToValue(r.UpdateViaCache)
		}
		return sobek.Undefined()
	})
	set("registrationUpdate", func(sobek.FunctionCall) sobek.Value {
		hook := in.w.opts.Hooks.Update
		return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
			if hook == nil {
				return nil, weberr.New(weberr.NotSupportedError, "registration.update() is not available in this host")
			}
			return nil, hook(ctx)
		})
	})
	set("registrationUnregister", func(sobek.FunctionCall) sobek.Value {
		hook := in.w.opts.Hooks.Unregister
		return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
			if hook == nil {
				return nil, weberr.New(weberr.NotSupportedError, "registration.unregister() is not available in this host")
			}
			ok, err := hook(ctx)
			return func() sobek.Value { return rt.ToValue(ok) }, err
		})
	})
	set("skipWaiting", func(sobek.FunctionCall) sobek.Value {
		in.w.skipWaiting.Store(true)
		hook := in.w.opts.Hooks.SkipWaiting
		if hook == nil {
			// Nothing to wait for: resolve now, without a round trip
			// through another goroutine.
			p, resolve, _ := rt.NewPromise()
			_ = resolve(sobek.Undefined())
			return rt.ToValue(p)
		}
		return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
			return nil, hook(ctx)
		})
	})
	// globalSelf is the self getter: native, because worker scripts read
	// self for nearly everything they do while they start, and sobek calls
	// a JavaScript getter through a nested interpreter run.
	global := rt.GlobalObject()
	set("globalSelf", func(sobek.FunctionCall) sobek.Value { return global })
	set("warnLateListener", func(c sobek.FunctionCall) sobek.Value {
		in.w.console("warn", fmt.Sprintf("Event handler of '%s' event must be added on the initial evaluation of worker script.", c.Argument(0).String()))
		return sobek.Undefined()
	})
	set("handlerAdded", func(sobek.FunctionCall) sobek.Value { return sobek.Undefined() })

	// Requests that came from Go are read lazily through their event token.
	// A Request made for an event from Go holds a handle on the Go request
	// (requestHandle): its headers, fields and body are read through the
	// handle when first used, during the event or long after it.
	set("requestHandle", func(c sobek.FunctionCall) sobek.Value {
		ev := in.events[c.Argument(0).ToInteger()]
		if ev == nil || ev.req == nil {
			return rt.ToValue(&requestHandle{req: &fetch.Request{}})
		}
		return rt.ToValue(&requestHandle{req: ev.req})
	})
	// handleHeaders and handleHeaderGet read the Go headers behind a
	// requestHandle or a headersHandle.
	set("handleHeaders", func(c sobek.FunctionCall) sobek.Value {
		h := headerOfHandle(c.Argument(0))
		flat := make([]any, 0, 2*len(h))
		for name, vals := range h {
			lname := strings.ToLower(name)
			for _, v := range vals {
				flat = append(flat, lname, v)
			}
		}
		return rt.NewArray(flat...)
	})
	set("handleHeaderGet", func(c sobek.FunctionCall) sobek.Value {
		// The combined value of one header, as Headers.get (name is
		// lower-case and valid). Names are matched without regard to case:
		// Go headers are not always canonical.
		var vals []string
		name := c.Argument(1).String()
		for k, vs := range headerOfHandle(c.Argument(0)) {
			if strings.EqualFold(k, name) {
				vals = append(vals, vs...)
			}
		}
		switch len(vals) {
		case 0:
			return sobek.Null()
		case 1:
			return rt.ToValue(vals[0])
		}
		return rt.ToValue(strings.Join(vals, ", "))
	})
	set("requestFields", func(c sobek.FunctionCall) sobek.Value {
		req := requestOfHandle(c.Argument(0))
		return rt.NewArray(requestField(req, "mode"), requestField(req, "credentials"), requestField(req, "destination"), requestField(req, "referrer"))
	})
	set("requestBody", func(c sobek.FunctionCall) sobek.Value {
		req := requestOfHandle(c.Argument(0))
		if req.Body == nil {
			return sobek.Null()
		}
		return in.uint8Array(req.Body)
	})
	set("eventTime", func(c sobek.FunctionCall) sobek.Value {
		ev := in.events[c.Argument(0).ToInteger()]
		if ev == nil {
			return rt.ToValue(0)
		}
		return rt.ToValue(float64(ev.start.Sub(start).Microseconds()) / 1000)
	})
	set("eventField", func(c sobek.FunctionCall) sobek.Value {
		ev := in.events[c.Argument(0).ToInteger()]
		if ev == nil {
			return rt.ToValue("")
		}
		switch c.Argument(1).String() {
		case "clientId":
			return rt.ToValue(ev.fetchInit.ClientID)
		case "resultingClientId":
			return rt.ToValue(ev.fetchInit.ResultingClientID)
		}
		return rt.ToValue("")
	})
	set("responseRecord", func(c sobek.FunctionCall) sobek.Value {
		in.exported = in.responseRecord(c.Arguments)
		return in.sentinel
	})
	set("done", func(c sobek.FunctionCall) sobek.Value {
		in.eventDone(c.Argument(0).ToInteger(), c.Arguments[1:])
		return sobek.Undefined()
	})
	set("listenerError", func(c sobek.FunctionCall) sobek.Value {
		if ev := in.events[c.Argument(0).ToInteger()]; ev != nil {
			ev.threw = append(ev.threw, jsErrorFrom(c.Argument(1)))
		}
		return sobek.Undefined()
	})
	set("registerForeignFetch", func(c sobek.FunctionCall) sobek.Value {
		reg := ForeignFetchRegistration{Scopes: in.stringList(c.Argument(0)), Origins: in.stringList(c.Argument(1))}
		if err := in.checkForeignFetch(&reg); err != nil {
			in.throw(err)
		}
		in.w.foreignFetch.Store(&reg)
		return sobek.Undefined()
	})

	// fetch() goes through the host's Fetcher on its own goroutine.
	set("fetch", func(c sobek.FunctionCall) sobek.Value {
		req, err := in.requestFromRecord(c.Argument(0))
		if err != nil {
			in.throw(err)
		}
		build, _ := sobek.AssertFunction(c.Argument(1))
		fetcher := in.w.opts.Fetcher
		limit := in.w.limits.MaxBodyBytes
		return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
			resp, err := fetcher.Fetch(ctx, req)
			if err != nil {
				return nil, weberr.Errorf(weberr.TypeError, "Failed to fetch %s: %w", req.URL, err)
			}
			if resp.IsNetworkError() {
				return nil, weberr.Errorf(weberr.TypeError, "Failed to fetch %s: %s", req.URL, resp.Error)
			}
			if len(resp.Body) > limit {
				return nil, weberr.Errorf(weberr.QuotaExceeded, "the response from %s is %d bytes, over the worker's %d-byte body limit", req.URL, len(resp.Body), limit)
			}
			return func() sobek.Value { return in.responseToJS(build, resp) }, nil
		})
	})

	// Timers.
	set("setTimeout", func(c sobek.FunctionCall) sobek.Value { return in.setTimer(c, false) })
	set("setInterval", func(c sobek.FunctionCall) sobek.Value { return in.setTimer(c, true) })
	set("clearTimer", func(c sobek.FunctionCall) sobek.Value {
		id := c.Argument(0).ToInteger()
		if tid, ok := in.timers[id]; ok {
			in.loop.ClearTimer(tid)
			delete(in.timers, id)
		}
		return sobek.Undefined()
	})
	set("queueTask", func(c sobek.FunctionCall) sobek.Value {
		fn, ok := sobek.AssertFunction(c.Argument(0))
		if ok {
			in.loop.SetTimer(0, func() { in.callback(fn) })
		}
		return sobek.Undefined()
	})

	set("atob", func(c sobek.FunctionCall) sobek.Value {
		if len(c.Arguments) == 0 {
			in.throw(weberr.New(weberr.TypeError, "Failed to execute 'atob': 1 argument required, but only 0 present."))
		}
		s, err := atob(c.Argument(0).String())
		if err != nil {
			in.throw(err)
		}
		return rt.ToValue(s)
	})
	set("btoa", func(c sobek.FunctionCall) sobek.Value {
		if len(c.Arguments) == 0 {
			in.throw(weberr.New(weberr.TypeError, "Failed to execute 'btoa': 1 argument required, but only 0 present."))
		}
		s, err := btoa(c.Argument(0).String())
		if err != nil {
			in.throw(err)
		}
		return rt.ToValue(s)
	})
	set("randomFill", func(c sobek.FunctionCall) sobek.Value {
		_, _ = rand.Read(bytesOf(c.Argument(0)))
		return sobek.Undefined()
	})
	set("randomUUID", func(sobek.FunctionCall) sobek.Value { return rt.ToValue(randomUUID()) })
	set("importScript", func(c sobek.FunctionCall) sobek.Value {
		in.importScript(c.Argument(0).String())
		return sobek.Undefined()
	})

	// Clients.
	set("clientsGet", func(c sobek.FunctionCall) sobek.Value {
		id := c.Argument(0).String()
		mk, _ := sobek.AssertFunction(c.Argument(1))
		cl := in.w.opts.Clients
		return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
			if cl == nil {
				return nil, nil
			}
			got, ok, err := cl.Get(ctx, id)
			if err != nil || !ok {
				return nil, err
			}
			return func() sobek.Value { return in.clientToJS(mk, got) }, nil
		})
	})
	set("clientsMatchAll", func(c sobek.FunctionCall) sobek.Value {
		incl, typ := c.Argument(0).ToBoolean(), c.Argument(1).String()
		mk, _ := sobek.AssertFunction(c.Argument(2))
		cl := in.w.opts.Clients
		return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
			var list []Client
			if cl != nil {
				var err error
				if list, err = cl.MatchAll(ctx, incl, typ); err != nil {
					return nil, err
				}
			}
			return func() sobek.Value {
				arr := make([]any, len(list))
				for i, x := range list {
					arr[i] = in.clientToJS(mk, x)
				}
				return rt.NewArray(arr...)
			}, nil
		})
	})
	set("clientsClaim", func(sobek.FunctionCall) sobek.Value {
		cl := in.w.opts.Clients
		return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
			if cl == nil {
				return nil, nil
			}
			return nil, cl.Claim(ctx)
		})
	})
	set("clientPostMessage", func(c sobek.FunctionCall) sobek.Value {
		cl := in.w.opts.Clients
		if cl == nil {
			in.throw(weberr.New(weberr.InvalidStateError, "the client is gone"))
		}
		id := c.Argument(0).String()
		msg, err := in.serializeOut(c.Argument(1), transferList(c.Argument(2)))
		if err != nil {
			in.throw(err)
		}
		if msg.Record != nil {
			msg.Data = msg.Record.Export()
		}
		go func() {
			if err := cl.PostMessage(in.ctx, id, msg); err != nil {
				in.w.log.Warn("client.postMessage failed", "client", id, "err", err)
			}
		}()
		return sobek.Undefined()
	})

	// Cross-origin connect.
	set("crossOriginClients", func(c sobek.FunctionCall) sobek.Value {
		target := c.Argument(0).String()
		mk, _ := sobek.AssertFunction(c.Argument(1))
		hook := in.w.opts.Hooks.CrossOriginClients
		return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
			var list []CrossOriginClient
			if hook != nil {
				var err error
				if list, err = hook(ctx, target); err != nil {
					return nil, err
				}
			}
			return func() sobek.Value {
				arr := make([]any, len(list))
				for i, x := range list {
					v, err := mk(sobek.Undefined(), rt.ToValue(x.ID), rt.ToValue(x.Origin), rt.ToValue(x.TargetURL), in.valueToJS(x.Options))
					if err != nil {
						in.throw(jsErrorFrom(err))
					}
					arr[i] = v
				}
				return rt.NewArray(arr...)
			}, nil
		})
	})
	set("crossOriginPostMethod", in.crossOriginPostMethod)
	set("stateGetters", in.stateGetters)
	in.cacheHost(set)
	in.patternHost(set)
	in.messagingHost(set)
	return h
}

// promise returns a JavaScript promise settled by work, which runs on its
// own goroutine with the instance's context. work returns a function that
// builds the resolution value on the loop (nil means undefined) or an
// error, which rejects the promise with the matching exception.
func (in *instance) promise(work func(ctx context.Context) (func() sobek.Value, error)) sobek.Value {
	p, resolve, reject := in.rt.NewPromise()
	deliver := in.loop.Reserve()
	go func() {
		build, err := work(in.ctx)
		deliver(func() {
			if err != nil {
				_ = reject(in.exception(err))
				return
			}
			var v sobek.Value = sobek.Undefined()
			if build != nil {
				ex := in.rt.Try(func() {
					defer in.recoverHost("promise settlement")
					v = build()
				})
				if ex != nil {
					_ = reject(ex.Value())
					return
				}
			}
			_ = resolve(v)
		})
	}()
	return in.rt.ToValue(p)
}

// callback runs a JavaScript callback as a task, reporting exceptions.
func (in *instance) callback(fn sobek.Callable, args ...sobek.Value) {
	if _, err := fn(sobek.Undefined(), args...); err != nil {
		if ex, ok := err.(*sobek.Exception); ok {
			in.reportException(ex.Value())
			return
		}
		in.w.log.Warn("worker callback failed", "err", err)
	}
}

// setTimer implements setTimeout and setInterval.
func (in *instance) setTimer(c sobek.FunctionCall, repeat bool) sobek.Value {
	fn, ok := sobek.AssertFunction(c.Argument(0))
	if !ok {
		in.throw(weberr.New(weberr.TypeError, "swhost supports only function callbacks in setTimeout/setInterval, not strings"))
	}
	if len(in.timers) >= in.w.limits.MaxTimers {
		in.throw(weberr.Errorf(weberr.QuotaExceeded, "too many timers (the limit is %d)", in.w.limits.MaxTimers))
	}
	ms := c.Argument(1).ToFloat()
	if !(ms > 0) {
		ms = 0
	}
	if ms > 1<<31-1 {
		ms = 1<<31 - 1
	}
	d := time.Duration(ms * float64(time.Millisecond))
	var args []sobek.Value
	if len(c.Arguments) > 2 {
		args = append(args, c.Arguments[2:]...)
	}
	in.nextTimer++
	id := in.nextTimer
	var fire func()
	fire = func() {
		if repeat {
			in.timers[id] = in.loop.SetTimer(d, fire)
		} else {
			delete(in.timers, id)
		}
		in.callback(fn, args...)
	}
	in.timers[id] = in.loop.SetTimer(d, fire)
	return in.rt.ToValue(id)
}

func (in *instance) checkSize(n int) {
	if n > in.w.limits.MaxBodyBytes {
		in.throw(weberr.Errorf(weberr.QuotaExceeded, "a body or buffer of %d bytes is over the worker's %d-byte limit", n, in.w.limits.MaxBodyBytes))
	}
}

// uint8Array returns a new Uint8Array holding a copy of b.
func (in *instance) uint8Array(b []byte) sobek.Value {
	buf := in.rt.NewArrayBuffer(append([]byte(nil), b...))
	ctor := in.rt.Get("Uint8Array")
	o, err := in.rt.New(ctor, in.rt.ToValue(buf))
	if err != nil {
		in.throw(err)
	}
	return o
}

// utf8Bytes encodes a JavaScript string as UTF-8, replacing lone
// surrogates with U+FFFD as TextEncoder does.
func utf8Bytes(v sobek.Value) []byte {
	s := v.String()
	if utf8.ValidString(s) {
		return []byte(s)
	}
	return []byte(strings.ToValidUTF8(s, "\uFFFD"))
}

func (in *instance) stringList(v sobek.Value) []string {
	var out []string
	if o, ok := v.(*sobek.Object); ok {
		in.rt.ForOf(o, func(x sobek.Value) bool {
			out = append(out, x.String())
			return true
		})
	}
	return out
}

func (in *instance) clientToJS(mk sobek.Callable, c Client) sobek.Value {
	v, err := mk(sobek.Undefined(), in.rt.ToValue(c.ID), in.rt.ToValue(c.URL), in.rt.ToValue(c.Type), in.rt.ToValue(c.FrameType))
	if err != nil {
		in.throw(jsErrorFrom(err))
	}
	return v
}

// toJS converts a Go value made of maps, slices and scalars into plain
// JavaScript objects and arrays (not live Go wrappers).
func (in *instance) toJS(v any) sobek.Value {
	rt := in.rt
	switch x := v.(type) {
	case nil:
		return sobek.Null()
	case sobek.Value:
		return x
	case map[string]any:
		o := rt.NewObject()
		for k, e := range x {
			_ = o.Set(k, in.toJS(e))
		}
		return o
	case []any:
		arr := make([]any, len(x))
		for i, e := range x {
			arr[i] = in.toJS(e)
		}
		return rt.NewArray(arr...)
	case []string:
		arr := make([]any, len(x))
		for i, e := range x {
			arr[i] = e
		}
		return rt.NewArray(arr...)
	case []byte:
		return rt.ToValue(rt.NewArrayBuffer(append([]byte(nil), x...)))
	case time.Time:
		d, err := rt.New(rt.Get("Date"), rt.ToValue(float64(x.UnixNano())/1e6))
		if err != nil {
			return rt.ToValue(x)
		}
		return d
	default:
		return rt.ToValue(x)
	}
}

// requestFromRecord reads the array made by the bootstrap's exportRequest:
// [method, url, flatHeaders, body, mode, credentials, redirect,
// destination, referrer, cache].
func (in *instance) requestFromRecord(v sobek.Value) (*fetch.Request, error) {
	o, ok := v.(*sobek.Object)
	if !ok {
		return nil, weberr.New(weberr.TypeError, "invalid request record")
	}
	at := func(i int) sobek.Value {
		if v := o.Get(strconv.Itoa(i)); v != nil {
			return v
		}
		return sobek.Undefined()
	}
	req := &fetch.Request{
		Method:      at(0).String(),
		URL:         at(1).String(),
		Header:      http.Header{},
		Mode:        fetch.Mode(at(4).String()),
		Credentials: fetch.Credentials(at(5).String()),
		Destination: at(7).String(),
		Referrer:    at(8).String(),
	}
	if flat, ok := at(2).(*sobek.Object); ok {
		n := listLen(flat)
		for i := 0; i+1 < n; i += 2 {
			req.Header.Add(flat.Get(strconv.Itoa(i)).String(), flat.Get(strconv.Itoa(i+1)).String())
		}
	}
	body := at(3)
	if !sobek.IsNull(body) && !sobek.IsUndefined(body) {
		if sobek.IsString(body) {
			req.Body = utf8Bytes(body)
		} else {
			req.Body = append([]byte(nil), bytesOf(body)...)
		}
	}
	return req, nil
}

// responseRecord builds a Go response from the bootstrap's
// exportResponse arguments: status, statusText, flatHeaders|null, body,
// type, url, redirected, and the implied Content-Type (or null) when the
// header list was never built.
func (in *instance) responseRecord(args []sobek.Value) *fetch.Response {
	arg := func(i int) sobek.Value {
		if i < len(args) {
			return args[i]
		}
		return sobek.Undefined()
	}
	r := &fetch.Response{
		Status:     int(arg(0).ToInteger()),
		StatusText: arg(1).String(),
		Type:       fetch.ResponseType(arg(4).String()),
		URL:        arg(5).String(),
		Redirected: arg(6).ToBoolean(),
	}
	if r.Type == fetch.TypeDefault {
		r.Type = fetch.TypeBasic
	}
	if hv := arg(8); !sobek.IsUndefined(hv) && !sobek.IsNull(hv) {
		// Headers from Go the script never listed: hand them back.
		if hh, ok := hv.Export().(*headersHandle); ok {
			r.Header = hh.h.Clone()
		}
	} else if flat, ok := arg(2).(*sobek.Object); ok {
		n := listLen(flat)
		r.Header = make(http.Header, n/2)
		for i := 0; i+1 < n; i += 2 {
			key := http.CanonicalHeaderKey(flat.Get(strconv.Itoa(i)).String())
			r.Header[key] = append(r.Header[key], flat.Get(strconv.Itoa(i+1)).String())
		}
	}
	if ct := arg(7); !sobek.IsNull(ct) && !sobek.IsUndefined(ct) {
		if r.Header == nil {
			r.Header = make(http.Header, 1)
		}
		r.Header["Content-Type"] = append(r.Header["Content-Type"], ct.String())
	}
	if r.Header == nil {
		r.Header = http.Header{}
	}
	body := arg(3)
	switch {
	case sobek.IsNull(body) || sobek.IsUndefined(body):
	case sobek.IsString(body):
		r.Body = utf8Bytes(body)
	default:
		r.Body = append([]byte(nil), bytesOf(body)...)
	}
	return r
}

// requestHandle is the opaque JavaScript value by which a Request made for
// an event from Go refers to the Go request: it has no exported fields or
// methods, so scripts that dig it out of a Request see an empty object.
type requestHandle struct{ req *fetch.Request }

// headersHandle is the opaque JavaScript value by which the Headers of a
// Response made from Go (fetch, Cache Storage) refer to the Go headers
// until a script lists them; a Response passed back to Go unread hands
// the headers back without a trip through JavaScript.
type headersHandle struct{ h http.Header }

// headerOfHandle returns the Go headers behind a requestHandle or a
// headersHandle value (nil for anything else).
func headerOfHandle(v sobek.Value) http.Header {
	switch x := v.Export().(type) {
	case *requestHandle:
		if x.req != nil {
			return x.req.Header
		}
	case *headersHandle:
		return x.h
	}
	return nil
}

// requestOfHandle returns the Go request behind a requestHandle value (an
// empty request for anything else).
func requestOfHandle(v sobek.Value) *fetch.Request {
	if h, ok := v.Export().(*requestHandle); ok && h.req != nil {
		return h.req
	}
	return &fetch.Request{}
}

// responseToJS builds a JavaScript Response from a Go response with the
// bootstrap's responseFromGo.
func (in *instance) responseToJS(build sobek.Callable, r *fetch.Response) sobek.Value {
	rt := in.rt
	var body sobek.Value = sobek.Null()
	if r.Body != nil {
		body = in.uint8Array(r.Body)
	}
	typ := string(r.Type)
	if typ == "" {
		typ = "basic"
	}
	v, err := build(sobek.Undefined(), rt.ToValue(r.Status), rt.ToValue(r.StatusText), rt.ToValue(&headersHandle{h: r.Header}), body, rt.ToValue(typ), rt.ToValue(r.URL), rt.ToValue(r.Redirected))
	if err != nil {
		in.throw(jsErrorFrom(err))
	}
	return v
}

func requestField(r *fetch.Request, name string) string {
	switch name {
	case "mode":
		if r.Mode != "" {
			return string(r.Mode)
		}
	case "credentials":
		if r.Credentials != "" {
			return string(r.Credentials)
		}
	case "destination":
		return r.Destination
	case "referrer":
		if r.Referrer != "" {
			return r.Referrer
		}
		return ""
	}
	return defaultRequestField(name)
}

func defaultRequestField(name string) string {
	switch name {
	case "mode":
		return "cors"
	case "credentials":
		return "same-origin"
	}
	return ""
}

// parseURL parses input against base with the WHATWG URL parser; nil when
// either does not parse. The script URL, the usual base, is parsed once.
func (in *instance) parseURL(input, base string) *weburl.URL {
	var b *weburl.URL
	if base == in.w.script.url {
		b = in.w.scriptURL()
	} else if base != "" {
		var err error
		if b, err = weburl.Parse(base); err != nil {
			return nil
		}
	}
	u, err := weburl.ParseRef(b, input)
	if err != nil {
		return nil
	}
	return u
}

// urlRecord returns the JavaScript URL state for u.
func urlRecord(rt *sobek.Runtime, u *weburl.URL) sobek.Value {
	return rt.NewArray(u.Href(), u.Origin(), u.Protocol(), u.Username(), u.Password(), u.Host(), u.Hostname(), u.Port(), u.Pathname(), u.Search(), u.Hash())
}

func urlPart(u *weburl.URL, part string) string {
	if u == nil {
		return ""
	}
	switch part {
	case "href":
		return u.Href()
	case "origin":
		return u.Origin()
	case "protocol":
		return u.Protocol()
	case "host":
		return u.Host()
	case "hostname":
		return u.Hostname()
	case "port":
		return u.Port()
	case "pathname":
		return u.Pathname()
	case "search":
		return u.Search()
	case "hash":
		return u.Hash()
	}
	return ""
}

// atob decodes forgiving-base64 as the HTML standard defines it.
func atob(s string) (string, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r' {
			return -1
		}
		return r
	}, s)
	if len(s)%4 == 0 && strings.HasSuffix(s, "==") {
		s = s[:len(s)-2]
	} else if len(s)%4 == 0 && strings.HasSuffix(s, "=") {
		s = s[:len(s)-1]
	}
	bad := weberr.New("InvalidCharacterError", "Failed to execute 'atob': The string to be decoded is not correctly encoded.")
	if len(s)%4 == 1 {
		return "", bad
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/') {
			return "", bad
		}
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		// Non-zero trailing bits are allowed by forgiving-base64.
		b, err = base64.RawStdEncoding.WithPadding(base64.NoPadding).Strict().DecodeString(s)
		if err != nil {
			b, err = lenientDecode(s)
			if err != nil {
				return "", bad
			}
		}
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r), nil
}

// lenientDecode decodes base64 ignoring non-zero trailing bits.
func lenientDecode(s string) ([]byte, error) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	var out bytes.Buffer
	var acc, bits uint
	for i := 0; i < len(s); i++ {
		v := strings.IndexByte(alphabet, s[i])
		if v < 0 {
			return nil, fmt.Errorf("bad base64 byte %q", s[i])
		}
		acc = acc<<6 | uint(v)
		bits += 6
		if bits >= 8 {
			bits -= 8
			out.WriteByte(byte(acc >> bits))
			acc &= 1<<bits - 1
		}
	}
	return out.Bytes(), nil
}

// btoa encodes a string of Latin-1 code points as base64.
func btoa(s string) (string, error) {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xFF {
			return "", weberr.New("InvalidCharacterError", "Failed to execute 'btoa': The string to be encoded contains characters outside of the Latin1 range.")
		}
		b = append(b, byte(r))
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// checkHeader validates a header for the Headers class and applies the
// guard's forbidden names: it returns the lower-cased name, and keep false
// when the guard silently drops the header. Invalid names and values, and
// any change to immutable headers, are TypeErrors.
func checkHeader(name, value, guard string) (lname string, keep bool, err error) {
	if !fetch.IsHeaderName(name) {
		return "", false, weberr.Errorf(weberr.TypeError, "Headers: invalid header name %q", name)
	}
	if !fetch.IsHeaderValue(value) {
		return "", false, weberr.Errorf(weberr.TypeError, "Headers: invalid value for header %q", name)
	}
	lname = toLowerASCII(name)
	switch guard {
	case "immutable":
		return "", false, weberr.New(weberr.TypeError, "Headers: these headers are immutable")
	case "request":
		if fetch.IsForbiddenRequestHeader(lname, value) {
			return lname, false, nil
		}
	case "response":
		if fetch.IsForbiddenResponseHeaderName(lname) {
			return lname, false, nil
		}
	}
	return lname, true, nil
}

package worker

import (
	"context"
	"errors"
	"fmt"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/routing"
	"github.com/swhost/swhost/weberr"
)

// Bindings of js/03_extendable_event.js.

// extend is host.extend(delta): the number of lifetime promises pending
// across the runtime changed by delta; at zero the idle timer is armed.
func (in *instance) extendBy(delta int) {
	in.extend += delta
	if in.extend == 0 {
		in.armIdle()
	}
}

// eventField is host.eventField(token, name): a string field of the fetch
// event Go dispatched as token ("" when unknown).
func (in *instance) eventField(token int64, name string) string {
	ev := in.events[token]
	if ev == nil {
		return ""
	}
	switch name {
	case "clientId":
		return ev.fetchInit.ClientID
	case "resultingClientId":
		return ev.fetchInit.ResultingClientID
	}
	return ""
}

// preloadResponse is host.preloadResponse(token, responseFromGo):
// FetchEvent.preloadResponse of the fetch event Go dispatched as token, a
// promise of the navigation preload Response, or of undefined when the
// event has none.
func (in *instance) preloadResponse(token int64, build sobek.Callable) sobek.Value {
	ev := in.events[token]
	if ev == nil || ev.fetchInit.Preload == nil {
		p, resolve, _ := in.rt.NewPromise()
		_ = resolve(sobek.Undefined())
		return in.rt.ToValue(p)
	}
	preload := ev.fetchInit.Preload
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		resp, err := preload(ctx)
		if err == nil && resp.IsNetworkError() {
			err = errors.New(resp.Error)
		}
		if err != nil {
			return nil, weberr.Errorf(weberr.TypeError, "the navigation preload request failed: %w", err)
		}
		// The preload's exchange ends with the event, so its body is read
		// whole while the event runs.
		if err := resp.ReadBody(int64(in.w.limits.MaxBodyBytes)); err != nil {
			return nil, err
		}
		return func() sobek.Value { return in.responseToJS(build, resp) }, nil
	})
}

// registerForeignFetch is host.registerForeignFetch(scopes, origins),
// InstallEvent.registerForeignFetch after the bootstrap's checks.
func (in *instance) registerForeignFetch(scopes, origins []string) {
	reg := ForeignFetchRegistration{Scopes: scopes, Origins: origins}
	if err := in.checkForeignFetch(&reg); err != nil {
		in.throw(err)
	}
	in.w.foreignFetch.Store(&reg)
}

// addRoutes is host.addRoutes(rules, hasFetchHandler):
// InstallEvent.addRoutes after the bootstrap's WebIDL conversion. Rules
// that fail Verify Router Condition, or that send requests to a fetch
// handler the worker lacks, are a TypeError; with them the worker's rules
// would exceed the registration limit, it returns false and keeps none of
// them. The rules are the worker's (routes), kept with its version when
// it installs.
func (in *instance) addRoutes(v sobek.Value, hasFetch bool) bool {
	rules, err := routing.Parse(v.Export(), in.w.script.url)
	if err != nil {
		in.throw(err)
	}
	for _, r := range rules {
		if r.Source.NeedsFetchHandler() && !hasFetch {
			in.throw(weberr.Errorf(weberr.TypeError, "Failed to execute 'addRoutes' on 'InstallEvent': the source %q needs a fetch event handler, and the worker has none", r.Source.Kind))
		}
	}
	var all routing.Rules
	if p := in.w.routes.Load(); p != nil {
		all = append(routing.Rules(nil), *p...)
	}
	all = append(all, rules...)
	if !routing.CheckLimit(all) {
		return false
	}
	in.w.routes.Store(&all)
	return true
}

// stateGetters is host.stateGetters(key, names, indexes): native getters,
// one per name, that return this[key][index] and throw "Illegal
// invocation" for a receiver without that state. The key and the layout
// are the caller's: Go knows neither. The fields of message events are
// read on every message; a native getter costs sobek no JavaScript frame.
func (in *instance) stateGetters(keyV sobek.Value, names []string, idx *sobek.Object) sobek.Value {
	rt := in.rt
	key, _ := keyV.(*sobek.Symbol)
	if key == nil || idx == nil || listLen(idx) != len(names) {
		panic(rt.NewTypeError("stateGetters: bad arguments"))
	}
	out := rt.NewObject()
	for i, name := range names {
		slot := idx.Get(fmt.Sprint(i)).String()
		get := in.native(name, func(c sobek.FunctionCall) sobek.Value {
			this, _ := c.This.(*sobek.Object)
			if this == nil {
				panic(rt.NewTypeError("Illegal invocation"))
			}
			st, _ := this.GetSymbol(key).(*sobek.Object)
			if st == nil {
				panic(rt.NewTypeError("Illegal invocation"))
			}
			return st.Get(slot)
		})
		_ = out.Set(name, get)
	}
	return out
}

// crossOriginPostMethod is host.crossOriginPostMethod(proto, noPorts,
// toList): the native CrossOriginServiceWorkerClient.prototype.postMessage
// for the clients Go made (crossOriginClient), which proto is the
// prototype of. noPorts is the frozen empty transfer list; toList turns
// any other transfer argument into an array.
func (in *instance) crossOriginPostMethod(proto, noPorts sobek.Value, toList sobek.Callable) sobek.Value {
	rt := in.rt
	p, _ := proto.(*sobek.Object)
	if p == nil || toList == nil {
		panic(rt.NewTypeError("crossOriginPostMethod: bad arguments"))
	}
	return in.native("CrossOriginServiceWorkerClient.postMessage", func(c sobek.FunctionCall) sobek.Value {
		if len(c.Arguments) == 0 {
			panic(rt.NewTypeError("Failed to execute 'postMessage' on 'CrossOriginServiceWorkerClient': 1 argument required, but only 0 present."))
		}
		this, _ := c.This.(*sobek.Object)
		if this == nil || this.Prototype() != p {
			panic(rt.NewTypeError("Illegal invocation"))
		}
		idV := this.GetSymbol(in.slot)
		if idV == nil || sobek.IsUndefined(idV) {
			panic(rt.NewTypeError("Illegal invocation"))
		}
		id := idV.String()
		var transfer []sobek.Value
		if t := c.Argument(1); !sobek.IsUndefined(t) && t != noPorts {
			list, err := toList(sobek.Undefined(), t)
			if err != nil {
				panic(err)
			}
			transfer = transferList(list)
		}
		hook := in.w.opts.Hooks.CrossOriginPostMessage
		if hook == nil {
			in.throw(weberr.New(weberr.InvalidStateError, "the cross-origin client's connection is not open"))
		}
		msg, err := in.serializeOut(c.Argument(0), transfer)
		if err != nil {
			in.throw(err)
		}
		if err := hook(id, msg); err != nil {
			for _, h := range msg.Ports {
				h.Close()
			}
			in.throw(err)
		}
		return sobek.Undefined()
	})
}

// crossOriginClient makes a CrossOriginServiceWorkerClient with the
// bootstrap's makeCrossOriginClient and records its client id in the
// object's host slot, where postMessage finds it.
func (in *instance) crossOriginClient(mk sobek.Callable, id, origin, targetURL string, options sobek.Value) sobek.Value {
	rt := in.rt
	v, err := mk(sobek.Undefined(), rt.ToValue(id), rt.ToValue(origin), rt.ToValue(targetURL), options)
	if err != nil {
		in.throw(jsErrorFrom(err))
	}
	in.setSlot(v, rt.ToValue(id))
	return v
}

package worker

import (
	"context"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/weberr"
)

// Bindings of js/70_location_clients.js: self.location, self.registration
// and self.clients, over the worker's Options (Registration, Hooks,
// Clients). Each asynchronous method runs its hook on its own goroutine
// (in.promise).

// urlPart is host.urlPart(part): a component of the script URL
// (WorkerLocation).
func (in *instance) urlPart(part string) string { return urlPart(in.w.scriptURL(), part) }

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

// registration is host.registration(field): scope, scopePattern (a plain
// object, or null) or updateViaCache of the worker's registration.
func (in *instance) registration(field string) sobek.Value {
	r := in.w.opts.Registration
	switch field {
	case "scope":
		return in.rt.ToValue(r.Scope)
	case "scopePattern":
		if r.ScopePattern == nil {
			return sobek.Null()
		}
		return in.toJS(r.ScopePattern)
	case "updateViaCache":
		return in.rt.ToValue(r.UpdateViaCache)
	}
	return sobek.Undefined()
}

// registrationUpdate is host.registrationUpdate(): registration.update()
// through Hooks.Update.
func (in *instance) registrationUpdate() sobek.Value {
	hook := in.w.opts.Hooks.Update
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		if hook == nil {
			return nil, weberr.New(weberr.NotSupportedError, "registration.update() is not available in this host")
		}
		return nil, hook(ctx)
	})
}

// registrationUnregister is host.registrationUnregister():
// registration.unregister() through Hooks.Unregister.
func (in *instance) registrationUnregister() sobek.Value {
	hook := in.w.opts.Hooks.Unregister
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		if hook == nil {
			return nil, weberr.New(weberr.NotSupportedError, "registration.unregister() is not available in this host")
		}
		ok, err := hook(ctx)
		return func() sobek.Value { return in.rt.ToValue(ok) }, err
	})
}

// navigationPreloadState is host.navigationPreloadState():
// navigationPreload.getState(), {enabled, headerValue}.
func (in *instance) navigationPreloadState() sobek.Value {
	hook := in.w.opts.Hooks.NavigationPreload
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		if hook == nil {
			return nil, weberr.New(weberr.NotSupportedError, "navigation preload is not available in this host")
		}
		enabled, header, err := hook(ctx)
		if err != nil {
			return nil, err
		}
		return func() sobek.Value {
			o := in.rt.NewObject()
			_ = o.Set("enabled", enabled)
			_ = o.Set("headerValue", header)
			return o
		}, nil
	})
}

// navigationPreloadSet is host.navigationPreloadSet(enabled, header):
// navigationPreload.enable()/disable() (enabled a boolean, header
// undefined) or setHeaderValue() (header a valid header value).
func (in *instance) navigationPreloadSet(enabledV, headerV sobek.Value) sobek.Value {
	var enabled *bool
	var header *string
	if !sobek.IsUndefined(enabledV) {
		e := enabledV.ToBoolean()
		enabled = &e
	}
	if !sobek.IsUndefined(headerV) {
		h := headerV.String()
		header = &h
	}
	hook := in.w.opts.Hooks.SetNavigationPreload
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		if hook == nil {
			return nil, weberr.New(weberr.NotSupportedError, "navigation preload is not available in this host")
		}
		return nil, hook(ctx, enabled, header)
	})
}

// clientsGet is host.clientsGet(id, makeClient): clients.get.
func (in *instance) clientsGet(id string, mk sobek.Callable) sobek.Value {
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
}

// clientsMatchAll is host.clientsMatchAll(includeUncontrolled, type,
// makeClient): clients.matchAll.
func (in *instance) clientsMatchAll(incl bool, typ string, mk sobek.Callable) sobek.Value {
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
			return in.rt.NewArray(arr...)
		}, nil
	})
}

// clientsClaim is host.clientsClaim(): clients.claim.
func (in *instance) clientsClaim() sobek.Value {
	cl := in.w.opts.Clients
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		if cl == nil {
			return nil, nil
		}
		return nil, cl.Claim(ctx)
	})
}

// clientPostMessage is host.clientPostMessage(id, message, transfer):
// Client.postMessage, queued for the client at once (Clients.PostMessage
// does not block).
func (in *instance) clientPostMessage(id string, message, transfer sobek.Value) {
	cl := in.w.opts.Clients
	if cl == nil {
		in.throw(weberr.New(weberr.InvalidStateError, "the client is gone"))
	}
	msg, err := in.serializeOut(message, transferList(transfer))
	if err != nil {
		in.throw(err)
	}
	if rec, ok := msg.Data.(*structuredclone.Record); ok {
		msg.Data = rec.Export()
	}
	if err := cl.PostMessage(in.ctx, id, msg); err != nil {
		in.w.log.Warn("client.postMessage failed", "client", id, "err", err)
	}
}

func (in *instance) clientToJS(mk sobek.Callable, c Client) sobek.Value {
	vis := c.VisibilityState
	if vis == "" {
		vis = "visible"
	}
	v, err := mk(sobek.Undefined(), in.rt.ToValue(c.ID), in.rt.ToValue(c.URL), in.rt.ToValue(c.Type), in.rt.ToValue(c.FrameType),
		in.rt.ToValue(c.Focused), in.rt.ToValue(vis))
	if err != nil {
		in.throw(jsErrorFrom(err))
	}
	return v
}

// crossOriginClients is host.crossOriginClients(targetURL,
// makeCrossOriginClient): the connect seed's crossOriginClients.getAll.
func (in *instance) crossOriginClients(target string, mk sobek.Callable) sobek.Value {
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
				arr[i] = in.crossOriginClient(mk, x.ID, x.Origin, x.TargetURL, in.valueToJS(x.Options))
			}
			return in.rt.NewArray(arr...)
		}, nil
	})
}

// online is host.online(): navigator.onLine.
func (in *instance) online() bool {
	if hook := in.w.opts.Hooks.Online; hook != nil {
		return hook()
	}
	return true
}

// registrationWorker is host.registrationWorker(slot): [id, scriptURL] of
// the service worker in a slot of the registration ("installing",
// "waiting", "active"), or null.
func (in *instance) registrationWorker(slot string) sobek.Value {
	hook := in.w.opts.Hooks.ServiceWorker
	if hook == nil {
		return sobek.Null()
	}
	ref, ok := hook(slot)
	if !ok {
		return sobek.Null()
	}
	return in.rt.NewArray(ref.ID, ref.ScriptURL)
}

// selfWorker is host.selfWorker(): [id, scriptURL] of the worker's own
// service worker (self.serviceWorker), or null.
func (in *instance) selfWorker() sobek.Value {
	ref := in.w.opts.Registration.Self
	if ref.ID == 0 {
		return sobek.Null()
	}
	return in.rt.NewArray(ref.ID, ref.ScriptURL)
}

// serviceWorkerState is host.serviceWorkerState(id): ServiceWorker.state.
func (in *instance) serviceWorkerState(id int64) string {
	if hook := in.w.opts.Hooks.ServiceWorkerState; hook != nil {
		return hook(id)
	}
	return "redundant"
}

// serviceWorkerPost is host.serviceWorkerPost(id, message, transfer):
// ServiceWorker.postMessage; the message event fires in that worker later,
// with this worker's ServiceWorker as its source.
func (in *instance) serviceWorkerPost(id int64, message, transfer sobek.Value) {
	hook := in.w.opts.Hooks.PostToServiceWorker
	if hook == nil {
		in.throw(weberr.New(weberr.InvalidStateError, "the service worker is gone"))
	}
	msg, err := in.serializeOut(message, transferList(transfer))
	if err != nil {
		in.throw(err)
	}
	if err := hook(id, msg, in.w.opts.Registration.Self); err != nil {
		for _, h := range msg.Ports {
			h.Close()
		}
		in.throw(err)
	}
}

// clientsOpenWindow is host.clientsOpenWindow(url, makeClient):
// clients.openWindow, allowed only while a notificationclick event is
// in flight (the user activation a click gives).
func (in *instance) clientsOpenWindow(raw string, mk sobek.Callable) sobek.Value {
	base := in.w.scriptURL()
	u, err := weburl.ParseRef(base, raw)
	var fail error
	switch {
	case err != nil:
		fail = weberr.Errorf(weberr.TypeError, "Failed to execute 'openWindow' on 'Clients': Cannot open the URL '%s'.", raw)
	case u.Href() == "about:blank":
		fail = weberr.New(weberr.TypeError, "Failed to execute 'openWindow' on 'Clients': 'about:blank' is not allowed.")
	case in.windowAllowed == 0:
		fail = weberr.New(weberr.InvalidAccessError, "Failed to execute 'openWindow' on 'Clients': Not allowed to open a window.")
	case in.w.opts.Hooks.OpenWindow == nil:
		fail = weberr.New(weberr.NotSupportedError, "Failed to execute 'openWindow' on 'Clients': this host opens no windows.")
	}
	open := in.w.opts.Hooks.OpenWindow
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		if fail != nil {
			return nil, fail
		}
		c, err := open(ctx, u.Href())
		if err != nil {
			return nil, err
		}
		if c.ID == "" {
			return func() sobek.Value { return sobek.Null() }, nil
		}
		return func() sobek.Value { return in.clientToJS(mk, c) }, nil
	})
}

// clientFocus is host.clientFocus(id, makeClient): WindowClient.focus,
// allowed only while a notificationclick event is in flight.
func (in *instance) clientFocus(id string, mk sobek.Callable) sobek.Value {
	allowed := in.windowAllowed > 0
	cl := in.w.opts.Clients
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		if !allowed {
			return nil, weberr.New(weberr.InvalidAccessError, "Failed to execute 'focus' on 'WindowClient': Not allowed to focus a window.")
		}
		if cl == nil {
			return nil, weberr.New(weberr.InvalidStateError, "Failed to execute 'focus' on 'WindowClient': the client is gone.")
		}
		c, err := cl.Focus(ctx, id)
		if err != nil {
			return nil, err
		}
		return func() sobek.Value { return in.clientToJS(mk, c) }, nil
	})
}

// clientNavigate is host.clientNavigate(id, url, makeClient):
// WindowClient.navigate, url resolved against the worker's URL.
func (in *instance) clientNavigate(id, raw string, mk sobek.Callable) sobek.Value {
	u, err := weburl.ParseRef(in.w.scriptURL(), raw)
	var fail error
	switch {
	case err != nil:
		fail = weberr.Errorf(weberr.TypeError, "Failed to execute 'navigate' on 'WindowClient': Cannot navigate to URL '%s'.", raw)
	case u.Href() == "about:blank":
		fail = weberr.New(weberr.TypeError, "Failed to execute 'navigate' on 'WindowClient': 'about:blank' is not allowed.")
	}
	cl := in.w.opts.Clients
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		if fail != nil {
			return nil, fail
		}
		if cl == nil {
			return nil, weberr.New(weberr.TypeError, "Failed to execute 'navigate' on 'WindowClient': the client is gone.")
		}
		c, err := cl.Navigate(ctx, id, u.Href())
		if err != nil {
			return nil, err
		}
		if c.ID == "" {
			return func() sobek.Value { return sobek.Null() }, nil
		}
		return func() sobek.Value { return in.clientToJS(mk, c) }, nil
	})
}

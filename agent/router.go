package agent

import (
	"context"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/routing"
)

// The Static Routing API in the lookup order: Handle Fetch's step 13. The
// controller's router rules (routing.Rules, added with addRoutes during
// its install) are evaluated before its worker is asked, so a request
// routed to the network or to Cache Storage leaves the worker stopped.

// routed runs the source of the first of v's router rules that matches
// the request. It returns nil, false when no rule matches or the source is
// the fetch event, which the fetch event step then dispatches as without
// rules; next is the lookup order after the fetch event step.
func (a *Agent) routed(ctx context.Context, v *registry.Version, l lookup, next handler) (*Result, bool, error) {
	rules := v.Routes()
	if len(rules) == 0 {
		return nil, false, nil
	}
	i, src, ok := rules.Match(routing.RequestOf(l.req), v.Running())
	if !ok {
		return nil, false, nil
	}
	route := &Route{Rule: i, Source: src.String()}
	switch {
	case src.Kind == routing.SourceNetwork:
		route.Final = "network"
		return a.routeNext(ctx, l, next, route)
	case src.Kind == routing.SourceCache:
		resp, err := a.routerCache(ctx, v, l.req, src)
		if err != nil {
			a.log.Warn("router cache source failed; going to the network", "script", v.ScriptURL(), "url", l.req.URL, "err", err)
		}
		if resp != nil {
			route.Final = "cache"
			a.softUpdateAfter(l)
			return &Result{Response: resp, Layer: LayerRouterCache, Route: route}, true, nil
		}
		route.Final = "network"
		return a.routeNext(ctx, l, next, route)
	case src.Kind == routing.SourceRace && l.req.MethodOrGet() == "GET":
		res, err := a.race(ctx, v, l, next, route)
		return res, true, err
	}
	return nil, false, nil // fetch-event, or a race of a request that is not a GET
}

// routeNext sends a routed request on to the steps after the worker.
func (a *Agent) routeNext(ctx context.Context, l lookup, next handler, route *Route) (*Result, bool, error) {
	a.softUpdateAfter(l)
	if l.followAfterWorker {
		l.req.Redirect = fetch.RedirectFollow
	}
	res, err := next(ctx, l)
	if res != nil {
		res.Route = route
	}
	return res, true, err
}

// softUpdateAfter soft-updates a navigation's registration, as the fetch
// event step does after its event.
func (a *Agent) softUpdateAfter(l lookup) {
	if l.softUpdate != nil {
		a.reg.SoftUpdate(l.softUpdate)
	}
}

// routerCache looks the request up in the Cache Storage of the version's
// origin, in the cache src names or in all of them in order; nil when
// nothing matches (the request then goes to the network).
func (a *Agent) routerCache(ctx context.Context, v *registry.Version, req *fetch.Request, src routing.Source) (*fetch.Response, error) {
	cs, err := a.reg.Caches().For(v.Registration().Scope().Origin())
	if err != nil {
		return nil, err
	}
	return cs.Match(ctx, req, cachestorage.MatchOptions{CacheName: src.CacheName, HasCacheName: src.HasCacheName})
}

// race is the race-network-and-fetch-handler source: the network and the
// fetch event at once. The network wins with an ok response (2xx); the
// fetch handler wins with any response it gives; a handler that does not
// respond leaves the network's answer, whatever its status.
func (a *Agent) race(ctx context.Context, v *registry.Version, l lookup, next handler, route *Route) (*Result, error) {
	type outcome struct {
		res *Result
		err error
	}
	netCtx, cancelNet := context.WithCancel(ctx)
	defer cancelNet()
	netDone := make(chan outcome, 1)
	nl := l
	nl.req = l.req.Clone()
	if nl.followAfterWorker {
		nl.req.Redirect = fetch.RedirectFollow
	}
	go func() {
		res, err := next(netCtx, nl)
		netDone <- outcome{res, err}
	}()
	handlerDone := make(chan outcome, 1)
	go func() {
		res, err := a.dispatchFetch(ctx, v, l.req, l.init)
		handlerDone <- outcome{res, err}
	}()
	a.softUpdateAfter(l)
	var net *outcome
	for {
		select {
		case o := <-netDone:
			if o.err == nil && o.res != nil && ok(o.res.Response) {
				route.Final = "network"
				o.res.Route = route
				return o.res, nil
			}
			net = &o
		case o := <-handlerDone:
			if o.err == nil && o.res != nil {
				cancelNet()
				route.Final = "fetch-event"
				o.res.Route = route
				return o.res, nil
			}
			if o.err != nil && ctx.Err() != nil {
				return nil, o.err
			}
			// No answer from the handler: the network's, when it comes.
			if net == nil {
				n := <-netDone
				net = &n
			}
			if net.res != nil {
				route.Final = "network"
				net.res.Route = route
			}
			return net.res, net.err
		}
	}
}

// ok reports whether resp has an ok status (200 to 299).
func ok(resp *fetch.Response) bool {
	return resp != nil && !resp.IsNetworkError() && resp.Status >= 200 && resp.Status <= 299
}

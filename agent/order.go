package agent

import (
	"context"
	"net/http"
	"strings"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/httpcache"
	"github.com/swhost/swhost/internal/trustworthy"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/worker"
)

// lookup is a request on its way through the lookup order, with what the
// steps know about it.
type lookup struct {
	req *fetch.Request
	// clientOrigin is the serialized origin of the request's client; ""
	// when there is none (a navigation).
	clientOrigin string

	// Step 1, the fetch event: the client's controller (nil: none) and
	// the event's client ids.
	controller *registry.Version
	init       worker.FetchEventInit
	// softUpdate is a navigation's registration, soft-updated once its
	// fetch event is done (nil: none).
	softUpdate *registry.Registration
	// followAfterWorker: a navigation, whose fetch event saw redirect mode
	// "manual"; when no worker answers, the steps after it follow
	// redirects.
	followAfterWorker bool

	// Set by resolveStep for the steps after the worker.
	u           *weburl.URL
	crossOrigin bool
	preflight   bool // a cross-origin CORS request that needs a preflight
}

// handler runs the lookup order, from some step on, for a request.
//
// The lookup travels by value: a step that learns something about the
// request (resolveStep) passes it on in its copy, and no lookup is
// allocated per request.
type handler func(ctx context.Context, l lookup) (*Result, error)

// layer is one step of the lookup order. As in an HTTP middleware chain,
// it is given next, the steps after it, and returns a handler that runs
// its step and calls next when the step does not answer.
type layer func(next handler) handler

// chain returns the handler that runs layers in order, the first
// outermost, then end.
func chain(end handler, layers ...layer) handler {
	h := end
	for i := len(layers) - 1; i >= 0; i-- {
		h = layers[i](h)
	}
	return h
}

// newOrder builds the lookup order of a. Every request enters at its
// top; worker fetch() calls have no controller, so the fetch event step
// passes them on.
func (a *Agent) newOrder() handler {
	return chain(a.networkStep,
		a.fetchEventStep,   // 1: the client's controller
		a.resolveStep,      // the request's URL and origin, for the steps after the worker
		a.foreignFetchStep, // 2: a foreign-fetch worker of the target origin
		a.taintStep,        // the Fetch standard's response tainting of steps 3 and 4
		a.httpCacheStep,    // 3: the HTTP cache
	) // 4: the network
}

// fetchEventStep is lookup step 1: the controller's router rules
// (router.go), then its fetch event. A navigation's registration is
// soft-updated once the event is done.
func (a *Agent) fetchEventStep(next handler) handler {
	return func(ctx context.Context, l lookup) (*Result, error) {
		var res *Result
		if l.controller != nil {
			if res, done, err := a.routed(ctx, l.controller, l, next); done || err != nil {
				return res, err
			}
			init := l.init
			if cancel := a.navigationPreload(ctx, l, next, &init); cancel != nil {
				defer cancel()
			}
			var err error
			if res, err = a.dispatchFetch(ctx, l.controller, l.req, init); err != nil {
				return nil, err
			}
		}
		if l.softUpdate != nil {
			a.reg.SoftUpdate(l.softUpdate)
		}
		if res != nil {
			return res, nil
		}
		if l.followAfterWorker {
			l.req.Redirect = fetch.RedirectFollow
		}
		return next(ctx, l)
	}
}

// resolveStep parses the request's URL for the steps after the worker
// (an invalid one is a network error) and decides whether the request is
// cross-origin and needs a CORS preflight. The fetch event step does not
// need it, so requests a worker answers do not pay for it.
func (a *Agent) resolveStep(next handler) handler {
	return func(ctx context.Context, l lookup) (*Result, error) {
		u, err := weburl.Parse(l.req.URL)
		if err != nil {
			return &Result{Response: fetch.NetworkError("invalid URL " + l.req.URL), Layer: LayerNetwork}, nil
		}
		l.u = u
		l.crossOrigin = l.clientOrigin != "" && l.clientOrigin != u.Origin()
		l.preflight = l.crossOrigin && l.req.Mode == fetch.ModeCORS && l.req.NeedsPreflight()
		return next(ctx, l)
	}
}

// foreignFetchStep is lookup step 2. Origins without a foreign-fetch
// worker pay one map read.
func (a *Agent) foreignFetchStep(next handler) handler {
	return func(ctx context.Context, l lookup) (*Result, error) {
		if a.mayForeignFetch(l.u, l.req, l.clientOrigin) {
			if res, ok, err := a.foreignFetch(ctx, l.u, l.req, l.clientOrigin); err != nil || ok {
				return res, err
			}
		}
		return next(ctx, l)
	}
}

// taintStep filters what the HTTP cache or the network answers for the
// request's client (filterForClient).
func (a *Agent) taintStep(next handler) handler {
	return func(ctx context.Context, l lookup) (*Result, error) {
		res, err := next(ctx, l)
		if err != nil {
			return nil, err
		}
		res.Response = filterForClient(l.req, res.Response, l.clientOrigin, l.crossOrigin)
		return res, nil
	}
}

// httpCacheStep is lookup step 3, when the agent has an HTTP cache;
// navigations bypass it. The cache calls the network (next) with the
// request it decides on (a conditional one to revalidate).
func (a *Agent) httpCacheStep(next handler) handler {
	cache := a.opts.HTTPCache
	if cache == nil {
		return next
	}
	return func(ctx context.Context, l lookup) (*Result, error) {
		if l.req.Mode == fetch.ModeNavigate {
			return next(ctx, l)
		}
		resp, outcome, err := cache.Fetch(ctx, l.req, fetch.FetcherFunc(func(ctx context.Context, req *fetch.Request) (*fetch.Response, error) {
			nl := l
			nl.req = req
			res, err := next(ctx, nl)
			if err != nil {
				return nil, err
			}
			return res.Response, nil
		}))
		if err != nil {
			return nil, err
		}
		layer := LayerNetwork
		if outcome == httpcache.OutcomeHit || outcome == httpcache.OutcomeRevalidated {
			layer = LayerHTTPCache
		}
		return &Result{Response: resp, Layer: layer}, nil
	}
}

// networkStep is lookup step 4: the network, after a CORS preflight when
// the request needs one, registering the service workers its response's
// Link headers name.
func (a *Agent) networkStep(ctx context.Context, l lookup) (*Result, error) {
	if resp := a.offlineError(l); resp != nil {
		return &Result{Response: resp, Layer: LayerNetwork}, nil
	}
	next := fetch.Fetcher(a.net)
	if l.preflight {
		next = preflighted{a: a, origin: l.clientOrigin}
	}
	resp, err := linkWatcher{a: a, next: next}.Fetch(ctx, l.req)
	if err != nil {
		return nil, err
	}
	return &Result{Response: resp, Layer: LayerNetwork}, nil
}

// mayForeignFetch is the gate of lookup step 2: a cross-origin request to
// an origin with a foreign-fetch worker, eligible by foreignFetchEligible.
// The common case (no such worker) costs one map read.
func (a *Agent) mayForeignFetch(u *weburl.URL, req *fetch.Request, clientOrigin string) bool {
	origin := u.Origin()
	return clientOrigin != "" && clientOrigin != origin && a.reg.HasForeignFetch(origin) && foreignFetchEligible(req, clientOrigin)
}

// foreignFetchEligible applies the conditions under which a foreign-fetch
// worker may see a request: a secure client, not a navigation, and a
// request that needs no CORS preflight (GET, HEAD or POST with only
// CORS-safelisted headers).
func foreignFetchEligible(req *fetch.Request, clientOrigin string) bool {
	return !req.IsNavigation() && trustworthy.Origin(clientOrigin) && !req.NeedsPreflight()
}

// foreignFetch is lookup step 2. ok is false when no worker took the
// request (none in scope, origin not allowed, no respondWith), so it goes
// on to the HTTP cache.
func (a *Agent) foreignFetch(ctx context.Context, u *weburl.URL, req *fetch.Request, clientOrigin string) (*Result, bool, error) {
	v, _ := a.reg.ForeignFetchFor(u)
	if v == nil || !v.AllowsOrigin(clientOrigin) {
		return nil, false, nil
	}
	w, err := v.ForeignFetchWorker(ctx, clientOrigin)
	if err != nil {
		a.log.Warn("foreign fetch: starting the worker failed", "script", v.ScriptURL(), "err", err)
		return nil, false, nil
	}
	// The requesting client's credentials are not forwarded.
	ev := req.Clone()
	ev.Credentials = fetch.CredentialsOmit
	ev.Header.Del("Cookie")
	ev.Header.Del("Authorization")
	origin := clientOrigin
	if req.Origin == "null" {
		origin = "null"
	}
	fr, err := w.DispatchForeignFetch(ctx, ev, origin)
	if fr.BodyUsed {
		return &Result{Response: fetch.NetworkError("the foreignfetch event used the request's streamed body and did not answer"), Layer: LayerForeignFetch, ScriptURL: v.ScriptURL()}, true, nil
	}
	if fr.Response == nil {
		// A streamed body the worker left alone goes on with the request.
		req.Stream, ev.Stream = ev.Stream, nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		a.log.Warn("foreignfetch event failed; going on to the network", "script", v.ScriptURL(), "url", req.URL, "err", err)
		return nil, false, nil
	}
	if fr.Response == nil {
		return nil, false, nil
	}
	res := &Result{Layer: LayerForeignFetch, ScriptURL: v.ScriptURL()}
	switch {
	case fr.Response.IsNetworkError():
		reason := fr.Response.Error
		if fr.Err != nil {
			reason = fr.Err.Error()
		}
		res.Response = fetch.NetworkError("foreign fetch: " + reason)
	case !fr.HasOrigin && req.Mode == fetch.ModeCORS:
		fr.Response.CloseBody() // refused: a stream body is cancelled
		res.Response = fetch.NetworkError("foreign fetch: the worker returned an opaque response (no origin) to a cors request")
	case !fr.HasOrigin:
		res.Response = fr.Response.Opaque()
	case fr.Origin != clientOrigin:
		fr.Response.CloseBody()
		res.Response = fetch.NetworkError("foreign fetch: the worker's origin " + fr.Origin + " is not the client's origin " + clientOrigin)
	default:
		resp := fr.Response.FilterCORS(fr.Headers, false)
		resp.URL = req.URL
		res.Response = resp
	}
	return res, true, nil
}

// filterForClient applies the Fetch standard's response tainting for the
// network and HTTP-cache steps: basic for same-origin, cors after a
// successful CORS check, opaque for no-cors, a network error otherwise.
func filterForClient(req *fetch.Request, resp *fetch.Response, clientOrigin string, crossOrigin bool) *fetch.Response {
	if resp.IsNetworkError() || resp.Type == fetch.TypeOpaqueRedirect {
		return resp
	}
	if !crossOrigin || req.Mode == fetch.ModeNavigate {
		return resp.FilterBasic()
	}
	switch req.Mode {
	case fetch.ModeSameOrigin:
		return fetch.NetworkError("request mode is same-origin but " + req.URL + " is cross-origin")
	case fetch.ModeNoCORS:
		return resp.Opaque()
	}
	if reason := corsCheck(req, resp.Header, clientOrigin); reason != "" {
		return fetch.NetworkError("CORS: " + reason)
	}
	credentialed := req.Credentials == fetch.CredentialsInclude
	return resp.FilterCORS(splitList(resp.Header.Get("Access-Control-Expose-Headers")), !credentialed)
}

// corsCheck is the Fetch standard's CORS check; it returns why it failed,
// or "".
func corsCheck(req *fetch.Request, h http.Header, clientOrigin string) string {
	acao := h.Get("Access-Control-Allow-Origin")
	credentialed := req.Credentials == fetch.CredentialsInclude
	switch {
	case acao == "":
		return "no Access-Control-Allow-Origin header on " + req.URL
	case acao == "*" && credentialed:
		return "Access-Control-Allow-Origin is '*' for a credentialed request"
	case acao != "*" && acao != clientOrigin:
		return "Access-Control-Allow-Origin " + acao + " does not match the client origin " + clientOrigin
	case credentialed && h.Get("Access-Control-Allow-Credentials") != "true":
		return "Access-Control-Allow-Credentials is not 'true' for a credentialed request"
	}
	return ""
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// preflighted sends a CORS preflight (OPTIONS) before a request that
// needs one, and fails the request when the server does not allow it.
type preflighted struct {
	a      *Agent
	origin string
}

// Fetch performs the preflight, then req.
func (p preflighted) Fetch(ctx context.Context, req *fetch.Request) (*fetch.Response, error) {
	var names []string
	for k, vs := range req.Header {
		for _, v := range vs {
			if !fetch.IsCORSSafelistedRequestHeader(k, v) {
				names = append(names, strings.ToLower(k))
				break
			}
		}
	}
	pre := &fetch.Request{Method: http.MethodOptions, URL: req.URL, Origin: p.origin, Mode: fetch.ModeCORS, Header: http.Header{
		"Origin":                        {p.origin},
		"Access-Control-Request-Method": {req.MethodOrGet()},
	}}
	if len(names) > 0 {
		pre.Header.Set("Access-Control-Request-Headers", strings.Join(names, ","))
	}
	resp, err := p.a.net.Fetch(ctx, pre)
	if err != nil {
		return nil, err
	}
	resp.CloseBody() // only the preflight's status and header are read
	if resp.IsNetworkError() {
		return resp, nil
	}
	if !resp.OK() {
		return fetch.NetworkError("CORS preflight for " + req.URL + " answered " + resp.StatusLine()), nil
	}
	if reason := corsCheck(req, resp.Header, p.origin); reason != "" {
		return fetch.NetworkError("CORS preflight: " + reason), nil
	}
	methods := splitList(resp.Header.Get("Access-Control-Allow-Methods"))
	if m := req.MethodOrGet(); !fetch.IsCORSSafelistedMethod(m) && !containsFold(methods, m) && !containsFold(methods, "*") {
		return fetch.NetworkError("CORS preflight: method " + m + " is not in Access-Control-Allow-Methods"), nil
	}
	allowed := splitList(resp.Header.Get("Access-Control-Allow-Headers"))
	for _, n := range names {
		if !containsFold(allowed, n) && !containsFold(allowed, "*") {
			return fetch.NetworkError("CORS preflight: header " + n + " is not in Access-Control-Allow-Headers"), nil
		}
	}
	return p.a.net.Fetch(ctx, req)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// linkWatcher fetches from the network and registers the service workers
// named by Link: <...>; rel="serviceworker" response headers. The
// response is returned unchanged and at once; registration runs in the
// background.
type linkWatcher struct {
	a    *Agent
	next fetch.Fetcher
}

// Fetch performs req and starts Link-header registrations.
func (l linkWatcher) Fetch(ctx context.Context, req *fetch.Request) (*fetch.Response, error) {
	resp, err := l.next.Fetch(ctx, req)
	if err == nil && !resp.IsNetworkError() && req.MethodOrGet() != http.MethodOptions {
		if links := resp.Header.Values("Link"); len(links) > 0 {
			l.a.registerLinks(resp.URL, strings.Join(links, ", "))
		}
	}
	return resp, err
}

// Wait waits for background work the agent started (Link-header
// registrations) and then for the registry's.
func (a *Agent) Wait() {
	a.wg.Wait()
	a.reg.Wait()
}

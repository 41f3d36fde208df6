package agent

import (
	"context"
	"net/http"
	"strings"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/httpcache"
	"github.com/swhost/swhost/internal/trustworthy"
	"github.com/swhost/swhost/internal/weburl"
)

// afterWorker runs lookup steps 2 to 4 for req, made by a client of
// clientOrigin ("" when there is none, as for a navigation).
func (a *Agent) afterWorker(ctx context.Context, req *fetch.Request, clientOrigin string) (*Result, error) {
	u, err := weburl.Parse(req.URL)
	if err != nil {
		return &Result{Response: fetch.NetworkError("invalid URL " + req.URL), Layer: LayerNetwork}, nil
	}
	crossOrigin := clientOrigin != "" && clientOrigin != u.Origin()

	// Step 2: a foreign-fetch worker. Origins without one pay one map read.
	if a.mayForeignFetch(u, req, clientOrigin) {
		if res, ok, err := a.foreignFetch(ctx, u, req, clientOrigin); err != nil || ok {
			return res, err
		}
	}

	// Steps 3 and 4: the HTTP cache, then the network.
	next := fetch.Fetcher(a.net)
	if crossOrigin && req.Mode == fetch.ModeCORS && req.NeedsPreflight() {
		next = preflighted{a: a, origin: clientOrigin}
	}
	layer := LayerNetwork
	var resp *fetch.Response
	if a.opts.HTTPCache != nil && req.Mode != fetch.ModeNavigate {
		var outcome httpcache.Outcome
		resp, outcome, err = a.opts.HTTPCache.Fetch(ctx, req, linkWatcher{a: a, next: next})
		if outcome == httpcache.OutcomeHit || outcome == httpcache.OutcomeRevalidated {
			layer = LayerHTTPCache
		}
	} else {
		resp, err = linkWatcher{a: a, next: next}.Fetch(ctx, req)
	}
	if err != nil {
		return nil, err
	}
	return &Result{Response: filterForClient(req, resp, clientOrigin, crossOrigin), Layer: layer}, nil
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
		res.Response = fetch.NetworkError("foreign fetch: the worker returned an opaque response (no origin) to a cors request")
	case !fr.HasOrigin:
		res.Response = fr.Response.Opaque()
	case fr.Origin != clientOrigin:
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

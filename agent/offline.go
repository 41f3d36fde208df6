package agent

import (
	"slices"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/weberr"
)

// The offline switch (Chrome's "Offline" checkbox): while an origin is
// offline, the network step fails every request to it and every request
// its clients and workers make, as a browser offline does; caches (Cache
// Storage, the HTTP cache) still answer, and its workers' navigator.onLine
// is false.

// SetOffline takes origin (serialized, "https://app.test") offline or back
// online. An origin that does not parse is a SyntaxError.
func (a *Agent) SetOffline(origin string, offline bool) error {
	u, err := weburl.Parse(origin)
	if err != nil {
		return weberr.Errorf(weberr.SyntaxError, "offline: %q is not an origin", origin)
	}
	o := u.Origin()
	a.mu.Lock() // serializes writers; readers load the map without it
	next := map[string]bool{}
	if old := a.offline.Load(); old != nil {
		for k := range *old {
			next[k] = true
		}
	}
	was := next[o]
	if offline {
		next[o] = true
	} else {
		delete(next, o)
	}
	a.offline.Store(&next)
	a.mu.Unlock()
	if was && !offline {
		// Back online: the origin's pending background syncs fire.
		a.reg.OriginOnline(o)
	}
	return nil
}

// Offline reports whether origin is offline.
func (a *Agent) Offline(origin string) bool {
	m := a.offline.Load()
	return m != nil && (*m)[origin]
}

// OfflineOrigins returns the origins that are offline, sorted.
func (a *Agent) OfflineOrigins() []string {
	m := a.offline.Load()
	if m == nil {
		return []string{}
	}
	out := make([]string, 0, len(*m))
	for o := range *m {
		out = append(out, o)
	}
	slices.Sort(out)
	return out
}

// offlineError returns the network error of a request the offline switch
// stops: its target or its client's origin is offline (nil otherwise).
func (a *Agent) offlineError(l lookup) *fetch.Response {
	m := a.offline.Load()
	if m == nil || len(*m) == 0 {
		return nil // the common case: one atomic load
	}
	for _, o := range []string{l.clientOrigin, l.u.Origin()} {
		if o != "" && (*m)[o] {
			return fetch.NetworkError("offline: " + o + " is offline")
		}
	}
	return nil
}

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
	a.mu.Lock()
	defer a.mu.Unlock()
	if offline {
		if a.offline == nil {
			a.offline = map[string]bool{}
		}
		a.offline[o] = true
	} else {
		delete(a.offline, o)
	}
	return nil
}

// Offline reports whether origin is offline.
func (a *Agent) Offline(origin string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.offline[origin]
}

// OfflineOrigins returns the origins that are offline, sorted.
func (a *Agent) OfflineOrigins() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]string, 0, len(a.offline))
	for o := range a.offline {
		out = append(out, o)
	}
	slices.Sort(out)
	return out
}

// offlineError returns the network error of a request the offline switch
// stops: its target or its client's origin is offline (nil otherwise).
func (a *Agent) offlineError(l lookup) *fetch.Response {
	a.mu.Lock()
	n := len(a.offline)
	a.mu.Unlock()
	if n == 0 {
		return nil
	}
	for _, o := range []string{l.clientOrigin, l.u.Origin()} {
		if o != "" && a.Offline(o) {
			return fetch.NetworkError("offline: " + o + " is offline")
		}
	}
	return nil
}

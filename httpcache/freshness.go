package httpcache

import (
	"net/http"
	"time"
)

// DefaultMaxHeuristic caps heuristic freshness lifetimes. RFC 7234 asked
// caches to warn when a heuristic lifetime went past 24 hours; swhost
// does not go past it.
const DefaultMaxHeuristic = 24 * time.Hour

// heuristicStatus reports whether a status code is heuristically
// cacheable (RFC 9110 §15.1), leaving out 206: swhost does not store
// partial content.
func heuristicStatus(code int) bool {
	switch code {
	case 200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501:
		return true
	}
	return false
}

// storableStatus reports whether a response with a status code may be
// stored: final statuses except 206 (no range support), 304 (a validation
// answer) and redirects (the transport below the cache follows them; a
// stored redirect would be handed back unfollowed).
func storableStatus(code int) bool {
	switch {
	case code < 200 || code > 599:
		return false
	case code == 206, code == 304, code == 301, code == 302, code == 303, code == 307, code == 308:
		return false
	}
	return true
}

// understoodStatus reports whether the cache knows a status code, for
// must-understand (RFC 9111 §5.2.2.3): a storable one with a registered
// meaning.
func understoodStatus(code int) bool {
	return storableStatus(code) && http.StatusText(code) != ""
}

// freshness is what the cache computes about a stored response at a
// point in time.
type freshness struct {
	lifetime time.Duration // freshness_lifetime; 0 when invalid
	age      time.Duration // current_age
	explicit bool          // lifetime from max-age or Expires
}

func (f freshness) fresh() bool { return f.lifetime > f.age }

// firstHeader returns the first field line of name in h (canonical name).
func firstHeader(h http.Header, name string) (string, bool) {
	vs := h[name]
	if len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// parseHTTPDate parses an HTTP-date; ok is false for a missing or invalid
// one.
func parseHTTPDate(h http.Header, name string) (time.Time, bool) {
	v, ok := firstHeader(h, name)
	if !ok {
		return time.Time{}, false
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// dateValue is the response's Date, or the time it was received when it
// has none or an invalid one (RFC 9110 §6.6.1).
func (e *entry) dateValue() time.Time {
	if t, ok := parseHTTPDate(e.resp.Header, "Date"); ok {
		return t
	}
	return e.responseTime
}

// freshness computes the freshness lifetime (RFC 9111 §4.2.1, for a
// private cache: s-maxage is ignored) and the current age (§4.2.3) of e
// at now. cc is e's parsed Cache-Control.
func (c *Cache) freshness(e *entry, cc *directives, now time.Time) freshness {
	h := e.resp.Header
	date := e.dateValue()
	var f freshness

	// Age.
	ageValue := time.Duration(0)
	ageInvalid := false
	if v, ok := firstHeader(h, "Age"); ok {
		n, valid := parseDelta(trimOWS(v), false)
		if valid {
			ageValue = time.Duration(n) * time.Second
		} else {
			ageInvalid = true
		}
	}
	apparent := max(0, e.responseTime.Sub(date))
	if c.offWall {
		apparent = 0 // Date is on another clock than responseTime (Options.Clock)
	}
	delay := max(0, e.responseTime.Sub(e.requestTime))
	corrected := max(apparent, ageValue+delay)
	resident := max(0, now.Sub(e.responseTime))
	f.age = corrected + resident

	// Lifetime.
	switch {
	case ageInvalid:
		// RFC 9111 §5.1: an invalid Age makes the response stale.
		f.explicit = true
	case cc.has(ccMaxAgeInvalid):
		f.explicit = true
	case cc.maxAge >= 0:
		f.explicit = true
		f.lifetime = time.Duration(cc.maxAge) * time.Second
	case len(h["Expires"]) > 0:
		// An invalid Expires (such as "0") or several of them mean a time
		// in the past.
		f.explicit = true
		if len(h["Expires"]) == 1 {
			if exp, ok := parseHTTPDate(h, "Expires"); ok {
				f.lifetime = max(0, exp.Sub(date))
			}
		}
	case heuristicStatus(e.resp.Status) || cc.has(ccPublic):
		if lm, ok := parseHTTPDate(h, "Last-Modified"); ok && lm.Before(date) {
			f.lifetime = min(date.Sub(lm)/10, c.maxHeuristic)
		}
	}
	return f
}

func trimOWS(s string) string {
	for len(s) > 0 && isOWS(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isOWS(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// storableFreshness reports whether a response may be stored by a
// private cache on freshness grounds (RFC 9111 §3): it has explicit
// freshness, public or private, or a heuristically cacheable status.
func storableFreshness(h http.Header, status int, cc *directives) bool {
	return cc.maxAge >= 0 || cc.has(ccMaxAgeInvalid) || len(h["Expires"]) > 0 ||
		cc.has(ccPublic) || cc.has(ccPrivate) || heuristicStatus(status)
}

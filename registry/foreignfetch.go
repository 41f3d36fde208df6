package registry

import (
	"slices"
	"strings"

	"github.com/swhost/swhost/internal/weburl"
)

// The foreign-fetch index: for each origin, the active versions that
// called registerForeignFetch. The agent asks it on every cross-origin
// request, so the common answer ("this origin has none") is one map read.

// ffAdd records v, an active version, when it registered foreign fetch.
func (r *Registry) ffAdd(v *Version) {
	if v.ForeignFetch() == nil {
		return
	}
	origin := v.reg.scope.Origin()
	r.mu.Lock()
	if r.ff == nil {
		r.ff = map[string][]*Version{}
	}
	if !slices.Contains(r.ff[origin], v) {
		r.ff[origin] = append(r.ff[origin], v)
	}
	r.mu.Unlock()
}

// ffRemove forgets v.
func (r *Registry) ffRemove(v *Version) {
	origin := v.reg.scope.Origin()
	r.mu.Lock()
	if list := slices.DeleteFunc(r.ff[origin], func(o *Version) bool { return o == v }); len(list) > 0 {
		r.ff[origin] = list
	} else {
		delete(r.ff, origin)
	}
	r.mu.Unlock()
}

// HasForeignFetch reports whether any active worker of origin registered
// foreign fetch.
func (r *Registry) HasForeignFetch(origin string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.ff[origin]) > 0
}

// ForeignFetchFor returns the active foreign-fetch worker whose
// foreign-fetch scope contains u (the longest such scope wins), with the
// scope, or nil.
func (r *Registry) ForeignFetchFor(u *weburl.URL) (*Version, string) {
	r.mu.RLock()
	list := r.ff[u.Origin()]
	r.mu.RUnlock()
	if len(list) == 0 {
		return nil, ""
	}
	href := u.HrefWithoutFragment()
	var (
		best      *Version
		bestScope string
	)
	for _, v := range list {
		ff := v.ForeignFetch()
		if ff == nil {
			continue
		}
		for _, s := range ff.Scopes {
			if strings.HasPrefix(href, s) && len(s) > len(bestScope) {
				best, bestScope = v, s
			}
		}
	}
	return best, bestScope
}

// AllowsOrigin reports whether a foreign-fetch worker accepts requests
// from clients of origin.
func (v *Version) AllowsOrigin(origin string) bool {
	ff := v.ForeignFetch()
	if ff == nil {
		return false
	}
	for _, o := range ff.Origins {
		if o == "*" || o == origin {
			return true
		}
	}
	return false
}

package registry

import (
	"maps"
	"slices"
	"strings"

	"github.com/swhost/swhost/internal/weburl"
)

// The foreign-fetch index: for each origin, the active versions that
// called registerForeignFetch. The agent asks it on every cross-origin
// request, so it is an immutable map behind an atomic pointer, replaced
// on every change (activations are rare): the common answer ("this origin
// has none") is one atomic load and one map read, with no lock.

type ffIndex map[string][]*Version

// ffUpdate replaces the index with a copy changed by fn.
func (r *Registry) ffUpdate(fn func(ffIndex)) {
	r.ffMu.Lock()
	defer r.ffMu.Unlock()
	next := ffIndex{}
	if cur := r.ff.Load(); cur != nil {
		next = maps.Clone(*cur)
	}
	fn(next)
	r.ff.Store(&next)
}

// ffAdd records v, an active version, when it registered foreign fetch.
func (r *Registry) ffAdd(v *Version) {
	if v.ForeignFetch() == nil {
		return
	}
	origin := v.reg.scope.Origin()
	r.ffUpdate(func(ix ffIndex) {
		if !slices.Contains(ix[origin], v) {
			ix[origin] = append(slices.Clone(ix[origin]), v)
		}
	})
}

// ffRemove forgets v.
func (r *Registry) ffRemove(v *Version) {
	origin := v.reg.scope.Origin()
	if !slices.Contains(r.ffList(origin), v) {
		return
	}
	r.ffUpdate(func(ix ffIndex) {
		if list := slices.DeleteFunc(slices.Clone(ix[origin]), func(o *Version) bool { return o == v }); len(list) > 0 {
			ix[origin] = list
		} else {
			delete(ix, origin)
		}
	})
}

func (r *Registry) ffList(origin string) []*Version {
	if cur := r.ff.Load(); cur != nil {
		return (*cur)[origin]
	}
	return nil
}

// HasForeignFetch reports whether any active worker of origin registered
// foreign fetch.
func (r *Registry) HasForeignFetch(origin string) bool { return len(r.ffList(origin)) > 0 }

// ForeignFetchFor returns the active foreign-fetch worker whose
// foreign-fetch scope contains u (the longest such scope wins), with the
// scope, or nil.
func (r *Registry) ForeignFetchFor(u *weburl.URL) (*Version, string) {
	list := r.ffList(u.Origin())
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

package agent

import (
	"context"
	"sync"
	"time"

	"github.com/swhost/swhost/internal/linkheader"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/weberr"
)

// Defaults of [LinkLimits].
const (
	// DefaultMaxLinksPerHeader is LinkLimits.MaxPerHeader's default: a
	// site names one worker in its Link header, rarely two.
	DefaultMaxLinksPerHeader = 4
	// DefaultLinkRegistrationsPerMinute is
	// LinkLimits.RegistrationsPerMinute's default.
	DefaultLinkRegistrationsPerMinute = 10
)

// linkRateWindow is the window of LinkLimits.RegistrationsPerMinute.
const linkRateWindow = time.Minute

// LinkLimits bound the registrations that Link: <...>;
// rel="serviceworker" response headers start, so that one response (or
// a stream of them) cannot register thousands of workers. Zero fields
// take the defaults; a negative one means no limit. Each refusal is
// logged once per response, with the numbers.
type LinkLimits struct {
	// MaxPerHeader caps the serviceworker links taken from one
	// response's Link header fields (DefaultMaxLinksPerHeader); the
	// links after them are refused.
	MaxPerHeader int
	// RegistrationsPerMinute caps the Link-header registrations of one
	// origin over any minute, a sliding window
	// (DefaultLinkRegistrationsPerMinute). A link naming a registration
	// that exists unchanged (a site sends its Link header on every
	// response) starts nothing and does not count.
	RegistrationsPerMinute int
}

// withDefaults fills in the zero fields.
func (l LinkLimits) withDefaults() LinkLimits {
	if l.MaxPerHeader == 0 {
		l.MaxPerHeader = DefaultMaxLinksPerHeader
	}
	if l.RegistrationsPerMinute == 0 {
		l.RegistrationsPerMinute = DefaultLinkRegistrationsPerMinute
	}
	return l
}

// registerLinks registers the rel="serviceworker" links of a response
// from responseURL, resolving the script and scope against it, within
// the agent's LinkLimits. Invalid links are skipped. The registrations
// run in the background, one after another.
func (a *Agent) registerLinks(responseURL, field string) {
	base, err := weburl.Parse(responseURL)
	if err != nil {
		return
	}
	limits := a.opts.Links
	var (
		reqs         []registry.RegisterRequest
		links        int   // serviceworker links in the header
		invalid      int   // malformed values and serviceworker links with a bad URL
		firstInvalid error // the first of them, for the log
	)
	for l, err := range linkheader.All(field) {
		if err == nil && !l.HasRel("serviceworker") {
			continue
		}
		if err == nil {
			links++
			if limits.MaxPerHeader >= 0 && links > limits.MaxPerHeader {
				continue
			}
			var req registry.RegisterRequest
			if req, err = linkRequest(base, l); err == nil {
				reqs = append(reqs, req)
				continue
			}
		}
		if invalid++; firstInvalid == nil {
			firstInvalid = err
		}
	}
	if invalid > 0 {
		a.log.Warn("skipping invalid Link header values", "url", responseURL, "invalid", invalid, "first", firstInvalid.Error())
	}
	if limits.MaxPerHeader >= 0 && links > limits.MaxPerHeader {
		a.log.Warn("Link header: too many serviceworker links; taking the first ones", "url", responseURL,
			"links", links, "taken", limits.MaxPerHeader, "refused", links-limits.MaxPerHeader, "limit", limits.MaxPerHeader)
	}

	// A link to a registration that exists unchanged starts nothing.
	fresh := reqs[:0]
	for _, req := range reqs {
		if !a.reg.Registered(req) {
			fresh = append(fresh, req)
		}
	}
	if len(fresh) == 0 {
		return
	}
	origin := base.Origin()
	granted := a.linkRate.take(origin, a.now(), len(fresh), limits.RegistrationsPerMinute)
	if granted < len(fresh) {
		a.log.Warn("Link header registrations over the origin's rate; refusing", "url", responseURL, "origin", origin,
			"refused", len(fresh)-granted, "limit", limits.RegistrationsPerMinute, "window", linkRateWindow.String())
	}
	if granted == 0 {
		return
	}
	fresh = fresh[:granted]
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		overQuota := 0
		for _, req := range fresh {
			_, err := a.reg.Register(ctx, req)
			switch {
			case err == nil:
				a.log.Info("registered a service worker from a Link header", "script", req.ScriptURL, "from", responseURL)
			case weberr.NameOf(err) == weberr.QuotaExceeded:
				overQuota++
			default:
				a.log.Warn("Link header registration failed", "script", req.ScriptURL, "err", err)
			}
		}
		if overQuota > 0 {
			a.log.Warn("Link header registrations refused: the origin has the most registrations it may have", "url", responseURL,
				"origin", origin, "refused", overQuota, "limit", a.reg.MaxRegistrationsPerOrigin())
		}
	}()
}

// linkRequest is the registration a serviceworker link asks for.
func linkRequest(base *weburl.URL, l linkheader.Link) (registry.RegisterRequest, error) {
	script, err := weburl.ParseRef(base, l.Target)
	if err != nil {
		return registry.RegisterRequest{}, weberr.Errorf(weberr.TypeError, "serviceworker link: invalid URL %q", l.Target)
	}
	req := registry.RegisterRequest{ClientURL: base.HrefWithoutFragment(), ScriptURL: script.HrefWithoutFragment()}
	if sc, ok := l.Param("scope"); ok {
		s, err := weburl.ParseRef(base, sc)
		if err != nil {
			return registry.RegisterRequest{}, weberr.Errorf(weberr.TypeError, "serviceworker link: invalid scope %q", sc)
		}
		req.Scope = s.HrefWithoutFragment()
	}
	return req, nil
}

// now returns Options.Now(), or the registry's clock.
func (a *Agent) now() time.Time {
	if a.opts.Now != nil {
		return a.opts.Now()
	}
	return a.reg.Clock().Now()
}

// linkRate counts each origin's Link-header registrations over the last
// linkRateWindow.
type linkRate struct {
	mu    sync.Mutex
	times map[string][]time.Time // per origin, oldest first, within the window
}

// linkRateSweep is how many origins linkRate holds before it drops those
// with nothing left in the window.
const linkRateSweep = 1024

// take grants up to n registrations to origin at now, of at most limit
// per window (a negative limit grants all), and returns how many.
func (lr *linkRate) take(origin string, now time.Time, n, limit int) int {
	if limit < 0 {
		return n
	}
	lr.mu.Lock()
	defer lr.mu.Unlock()
	if lr.times == nil {
		lr.times = map[string][]time.Time{}
	}
	cut := now.Add(-linkRateWindow)
	ts := lr.times[origin]
	i := 0
	for i < len(ts) && !ts[i].After(cut) {
		i++
	}
	ts = ts[i:]
	granted := max(0, min(n, limit-len(ts)))
	for range granted {
		ts = append(ts, now)
	}
	if len(ts) == 0 {
		delete(lr.times, origin)
	} else {
		lr.times[origin] = ts
	}
	if len(lr.times) > linkRateSweep {
		for o, ts := range lr.times {
			if !ts[len(ts)-1].After(cut) {
				delete(lr.times, o)
			}
		}
	}
	return granted
}

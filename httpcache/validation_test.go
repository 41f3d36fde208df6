package httpcache

import (
	"net/http"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
)

// sentHeader checks a header of the last request the upstream received.
func sentHeader(name, want string) func(*testing.T, *fetch.Response, *upstream) {
	return func(t *testing.T, _ *fetch.Response, u *upstream) {
		t.Helper()
		if got := u.last().Header.Get(name); got != want {
			t.Errorf("upstream got %s %q, want %q", name, got, want)
		}
	}
}

func respHeader(name, want string) func(*testing.T, *fetch.Response, *upstream) {
	return func(t *testing.T, resp *fetch.Response, _ *upstream) {
		t.Helper()
		if got := resp.Header.Get(name); got != want {
			t.Errorf("response %s = %q, want %q", name, got, want)
		}
	}
}

func all(checks ...func(*testing.T, *fetch.Response, *upstream)) func(*testing.T, *fetch.Response, *upstream) {
	return func(t *testing.T, r *fetch.Response, u *upstream) {
		t.Helper()
		for _, c := range checks {
			c(t, r, u)
		}
	}
}

func body(want string) func(*testing.T, *fetch.Response, *upstream) {
	return func(t *testing.T, resp *fetch.Response, _ *upstream) {
		t.Helper()
		if string(resp.Body) != want {
			t.Errorf("body %q, want %q", resp.Body, want)
		}
	}
}

func TestValidation(t *testing.T) {
	etagged := H("Cache-Control", "max-age=60", "ETag", `"v1"`, "Content-Length", "4", "X-Old", "1")
	scenarios := []scenario{
		{name: "304 with ETag updates headers and keeps the body", steps: []exchange{
			{resp: etagged, body: "font", want: OutcomeMiss, wantUpstream: true},
			{advance: 61 * time.Second, status: 304,
				resp: H("Cache-Control", "max-age=120", "ETag", `"v1"`, "Content-Length", "0", "X-Old", "2", "X-New", "3"),
				want: OutcomeRevalidated, wantUpstream: true,
				check: all(sentHeader("If-None-Match", `"v1"`), sentHeader("If-Modified-Since", ""),
					body("font"), respHeader("X-Old", "2"), respHeader("X-New", "3"),
					respHeader("Content-Length", "4"), respHeader("Cache-Control", "max-age=120"))},
			// The new max-age counts from the validation.
			{advance: 119 * time.Second, want: OutcomeHit, check: all(body("font"), respHeader("X-New", "3"), respHeader("Age", "119"))},
			{advance: time.Second, status: 304, resp: H("ETag", `"v1"`), want: OutcomeRevalidated, wantUpstream: true},
		}},
		{name: "304 with Last-Modified", steps: []exchange{
			{resp: H("Cache-Control", "max-age=0", "Last-Modified", "Sat, 21 Nov 2026 10:00:00 GMT"), body: "a", want: OutcomeMiss, wantUpstream: true},
			{status: 304, resp: H("Last-Modified", "Sat, 21 Nov 2026 10:00:00 GMT"), want: OutcomeRevalidated, wantUpstream: true,
				check: all(sentHeader("If-Modified-Since", "Sat, 21 Nov 2026 10:00:00 GMT"), sentHeader("If-None-Match", ""), body("a"))},
		}},
		{name: "both validators are sent", steps: []exchange{
			{resp: H("Cache-Control", "no-cache", "ETag", `W/"w"`, "Last-Modified", "@-1h"), body: "a", want: OutcomeMiss, wantUpstream: true},
			{status: 304, resp: H("ETag", `"w"`), want: OutcomeRevalidated, wantUpstream: true,
				check: all(sentHeader("If-None-Match", `W/"w"`), func(t *testing.T, _ *fetch.Response, u *upstream) {
					if u.last().Header.Get("If-Modified-Since") == "" {
						t.Error("no If-Modified-Since")
					}
				})},
		}},
		{name: "304 for another ETag refetches", steps: []exchange{
			{resp: etagged, body: "old", want: OutcomeMiss, wantUpstream: true},
			{advance: time.Minute, status: 304, resp: H("ETag", `"v2"`), want: OutcomeUncacheable, wantUpstream: true,
				check: func(t *testing.T, resp *fetch.Response, u *upstream) {
					if u.calls() != 3 || u.last().Header.Get("If-None-Match") != "" {
						t.Errorf("calls %d, last If-None-Match %q; want a third, unconditional request", u.calls(), u.last().Header.Get("If-None-Match"))
					}
				}},
		}},
		{name: "200 during revalidation replaces the entry", steps: []exchange{
			{resp: etagged, body: "old", want: OutcomeMiss, wantUpstream: true},
			{advance: time.Minute, resp: H("Cache-Control", "max-age=60", "ETag", `"v2"`), body: "new", want: OutcomeMiss, wantUpstream: true, check: body("new")},
			{want: OutcomeHit, check: all(body("new"), respHeader("Etag", `"v2"`))},
		}},
		{name: "5xx during revalidation is passed on", steps: []exchange{
			{resp: etagged, body: "old", want: OutcomeMiss, wantUpstream: true},
			{advance: time.Minute, status: 503, want: OutcomeUncacheable, wantUpstream: true},
		}},
		{name: "no-cache response is revalidated every time", steps: []exchange{
			{resp: H("Cache-Control", "no-cache, max-age=3600", "ETag", `"a"`), body: "x", want: OutcomeMiss, wantUpstream: true},
			{status: 304, resp: H("ETag", `"a"`), want: OutcomeRevalidated, wantUpstream: true, check: body("x")},
			{status: 304, resp: H("ETag", `"a"`), want: OutcomeRevalidated, wantUpstream: true},
		}},
		{name: "stale without validators is a plain miss", steps: []exchange{
			{resp: H("Cache-Control", "max-age=1"), body: "x", want: OutcomeMiss, wantUpstream: true},
			{advance: time.Second, resp: H("Cache-Control", "max-age=1"), body: "y", want: OutcomeMiss, wantUpstream: true,
				check: all(sentHeader("If-None-Match", ""), sentHeader("If-Modified-Since", ""), body("y"))},
		}},
		{name: "304 without Date gets the receive time", steps: []exchange{
			{resp: H("Cache-Control", "max-age=10", "ETag", `"a"`, "Date", "@-1h"), want: OutcomeMiss, wantUpstream: true},
			{status: 304, resp: H("ETag", `"a"`, "Date", "-"), want: OutcomeRevalidated, wantUpstream: true},
			{advance: 9 * time.Second, want: OutcomeHit},
		}},
		{name: "HEAD revalidates a stored GET", steps: []exchange{
			{resp: etagged, body: "font", want: OutcomeMiss, wantUpstream: true},
			{advance: time.Minute, method: "HEAD", status: 304, resp: H("ETag", `"v1"`, "Cache-Control", "max-age=60"), want: OutcomeRevalidated, wantUpstream: true,
				check: func(t *testing.T, resp *fetch.Response, u *upstream) {
					if resp.Body != nil || u.last().Method != "HEAD" {
						t.Errorf("body %q, method sent %q", resp.Body, u.last().Method)
					}
				}},
			{want: OutcomeHit, check: body("font")},
		}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { runScenario(t, sc) })
	}
}

// TestRequestDirectives covers the request's Cache-Control and Pragma.
func TestRequestDirectives(t *testing.T) {
	fresh := H("Cache-Control", "max-age=60", "ETag", `"e"`)
	mustReval := H("Cache-Control", "max-age=60, must-revalidate")
	cc := func(v string) http.Header { return http.Header{"Cache-Control": {v}} }
	scenarios := []scenario{
		{name: "no-cache revalidates a fresh response", steps: []exchange{
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{header: cc("no-cache"), status: 304, resp: H("ETag", `"e"`), want: OutcomeRevalidated, wantUpstream: true},
		}},
		{name: "Pragma no-cache without Cache-Control", steps: []exchange{
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{header: http.Header{"Pragma": {"no-cache"}}, status: 304, resp: H("ETag", `"e"`), want: OutcomeRevalidated, wantUpstream: true},
			{header: http.Header{"Pragma": {"no-cache"}, "Cache-Control": {"max-stale"}}, want: OutcomeHit},
		}},
		{name: "no-store request is served but does not store", steps: []exchange{
			{header: cc("no-store"), resp: fresh, want: OutcomeUncacheable, wantUpstream: true},
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{header: cc("no-store"), want: OutcomeHit},
		}},
		{name: "max-age", steps: []exchange{
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{advance: 10 * time.Second, header: cc("max-age=10"), want: OutcomeHit},
			{advance: time.Second, header: cc("max-age=10"), status: 304, resp: H("ETag", `"e"`), want: OutcomeRevalidated, wantUpstream: true},
		}},
		{name: "min-fresh", steps: []exchange{
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{advance: 30 * time.Second, header: cc("min-fresh=30"), want: OutcomeHit},
			{advance: time.Second, header: cc("min-fresh=30"), status: 304, resp: H("ETag", `"e"`), want: OutcomeRevalidated, wantUpstream: true},
		}},
		{name: "max-stale serves stale", steps: []exchange{
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{advance: 90 * time.Second, header: cc("max-stale=30"), want: OutcomeHit, check: respHeader("Age", "90")},
			{advance: time.Second, header: cc("max-stale=30"), status: 304, resp: H("ETag", `"e"`), want: OutcomeRevalidated, wantUpstream: true},
		}},
		{name: "max-stale without value", steps: []exchange{
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{advance: 1000 * time.Hour, header: cc("max-stale"), want: OutcomeHit},
		}},
		{name: "must-revalidate refuses max-stale", steps: []exchange{
			{resp: mustReval, want: OutcomeMiss, wantUpstream: true},
			{advance: 59 * time.Second, header: cc("max-stale"), want: OutcomeHit},
			{advance: time.Second, header: cc("max-stale"), resp: mustReval, want: OutcomeMiss, wantUpstream: true},
		}},
		{name: "no-cache response refuses max-stale", steps: []exchange{
			{resp: H("Cache-Control", "no-cache"), want: OutcomeMiss, wantUpstream: true},
			{header: cc("max-stale"), resp: H("Cache-Control", "no-cache"), want: OutcomeMiss, wantUpstream: true},
		}},
		{name: "only-if-cached directive", steps: []exchange{
			{header: cc("only-if-cached"), want: OutcomeMiss, check: func(t *testing.T, resp *fetch.Response, _ *upstream) {
				if resp.Status != 504 {
					t.Errorf("status %d, want 504", resp.Status)
				}
			}},
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{header: cc("only-if-cached"), want: OutcomeHit},
			{advance: time.Minute, header: cc("only-if-cached"), want: OutcomeMiss, check: respStatus(504)},
		}},
		{name: "conditional request from the client goes around", steps: []exchange{
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{header: http.Header{"If-None-Match": {`"e"`}}, status: 304, resp: H("ETag", `"e"`), want: OutcomeBypass, wantUpstream: true, check: respStatus(304)},
			{header: http.Header{"If-None-Match": {`"e"`}}, mode: fetch.CacheForceCache, want: OutcomeHit, check: respStatus(200)},
		}},
		{name: "range request goes around", steps: []exchange{
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{header: http.Header{"Range": {"bytes=0-1"}}, status: 206, want: OutcomeBypass, wantUpstream: true},
		}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { runScenario(t, sc) })
	}
}

func respStatus(want int) func(*testing.T, *fetch.Response, *upstream) {
	return func(t *testing.T, resp *fetch.Response, _ *upstream) {
		t.Helper()
		if resp.Status != want {
			t.Errorf("status %d, want %d", resp.Status, want)
		}
	}
}

package httpcache

import (
	"net/http"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
)

// TestFreshness stores one response, moves the clock, and checks whether
// the next request is a hit (fresh) or goes upstream (stale; the
// responses carry no validators, so that is a miss).
func TestFreshness(t *testing.T) {
	tests := []struct {
		name   string
		status int
		resp   func(time.Time) http.Header
		delay  time.Duration // upstream delay of the first exchange
		at     time.Duration // when the second request comes
		hit    bool
	}{
		{"max-age just fresh", 200, H("Cache-Control", "max-age=60"), 0, 59*time.Second + 999*time.Millisecond, true},
		{"max-age boundary is stale", 200, H("Cache-Control", "max-age=60"), 0, 60 * time.Second, false},
		{"max-age=0", 200, H("Cache-Control", "max-age=0"), 0, 0, false},
		{"max-age case-insensitive", 200, H("Cache-Control", "MAX-AGE=60"), 0, 59 * time.Second, true},
		{"max-age quoted", 200, H("Cache-Control", `max-age="60"`), 0, 59 * time.Second, true},
		{"max-age among others", 200, H("Cache-Control", "public, max-age=60, x-ext=\"a,b\""), 0, 59 * time.Second, true},
		{"max-age in second line", 200, H("Cache-Control", "public", "Cache-Control", "max-age=60"), 0, 59 * time.Second, true},
		{"max-age invalid is stale despite Expires", 200, H("Cache-Control", "max-age=6O", "Expires", "@+1h"), 0, 0, false},
		{"max-age negative is stale", 200, H("Cache-Control", "max-age=-1"), 0, 0, false},
		{"max-age twice is stale", 200, H("Cache-Control", "max-age=60, max-age=60"), 0, 0, false},
		{"max-age with space before = is ignored", 200, H("Cache-Control", "max-age =60"), 0, 0, false},
		{"max-age after semicolon is ignored", 200, H("Cache-Control", "public; max-age=60"), 0, 0, false},
		{"max-age overflow is 2^31", 200, H("Cache-Control", "max-age=99999999999999999999"), 0, 10 * 365 * 24 * time.Hour, true},
		{"s-maxage ignored by a private cache", 200, H("Cache-Control", "s-maxage=60"), 0, 0, false},
		{"max-age wins over s-maxage", 200, H("Cache-Control", "s-maxage=0, max-age=60"), 0, 59 * time.Second, true},
		{"max-age wins over Expires", 200, H("Cache-Control", "max-age=10", "Expires", "@+1h"), 0, 10 * time.Second, false},

		{"Age counts", 200, H("Cache-Control", "max-age=60", "Age", "30"), 0, 29 * time.Second, true},
		{"Age boundary", 200, H("Cache-Control", "max-age=60", "Age", "30"), 0, 30 * time.Second, false},
		{"Age first line wins", 200, H("Cache-Control", "max-age=60", "Age", "30", "Age", "0"), 0, 30 * time.Second, false},
		{"Age invalid is stale", 200, H("Cache-Control", "max-age=60", "Age", "1.5"), 0, 0, false},
		{"Age plus response delay", 200, H("Cache-Control", "max-age=60", "Age", "10", "Date", "@+0s"), 5 * time.Second, 44 * time.Second, true},
		{"Age plus response delay boundary", 200, H("Cache-Control", "max-age=60", "Age", "10", "Date", "@+0s"), 5 * time.Second, 45 * time.Second, false},
		{"Date in the past is apparent age", 200, H("Cache-Control", "max-age=60", "Date", "@-20s"), 0, 39 * time.Second, true},
		{"Date in the past boundary", 200, H("Cache-Control", "max-age=60", "Date", "@-20s"), 0, 40 * time.Second, false},
		{"Date in the future is no negative age", 200, H("Cache-Control", "max-age=60", "Date", "@+1h"), 0, 60 * time.Second, false},

		{"Expires minus Date", 200, H("Expires", "@+100s"), 0, 99 * time.Second, true},
		{"Expires boundary", 200, H("Expires", "@+100s"), 0, 100 * time.Second, false},
		{"Expires relative to a skewed Date", 200, H("Expires", "@1h1m40s", "Date", "@+1h"), 0, 99 * time.Second, true},
		{"Expires relative to a skewed Date boundary", 200, H("Expires", "@1h1m40s", "Date", "@+1h"), 0, 100 * time.Second, false},
		{"Expires without Date uses the receive time", 200, H("Expires", "@+100s", "Date", "-"), 0, 99 * time.Second, true},
		{"Expires in the past", 200, H("Expires", "@-1h"), 0, 0, false},
		{"Expires invalid 0", 200, H("Expires", "0"), 0, 0, false},
		{"Expires twice", 200, H("Expires", "@+1h", "Expires", "@+1h"), 0, 0, false},
		{"Expires RFC 850 form", 200, H("Expires", "Sunday, 22-Nov-26 11:00:00 GMT"), 0, 59 * time.Minute, true},

		{"heuristic 10% of Last-Modified", 200, H("Last-Modified", "@-100m"), 0, 9*time.Minute + 59*time.Second, true},
		{"heuristic boundary", 200, H("Last-Modified", "@-100m"), 0, 10 * time.Minute, false},
		{"heuristic capped at 24h", 200, H("Last-Modified", "@-8760h"), 0, 24 * time.Hour, false},
		{"heuristic under the cap", 200, H("Last-Modified", "@-8760h"), 0, 23 * time.Hour, true},
		{"heuristic for 404", 404, H("Last-Modified", "@-100m"), 0, 9 * time.Minute, true},
		{"heuristic for public 500", 500, H("Cache-Control", "public", "Last-Modified", "@-100m"), 0, 9 * time.Minute, true},
		{"no heuristic when Last-Modified is after Date", 200, H("Last-Modified", "@+1h"), 0, 0, false},
		{"no heuristic with Expires", 200, H("Expires", "@+10s", "Last-Modified", "@-100m"), 0, 10 * time.Second, false},
		{"no heuristic without Last-Modified", 200, H(), 0, 0, false},
		{"explicit freshness for 500", 500, H("Cache-Control", "max-age=60"), 0, 59 * time.Second, true},
		{"private is stored by a private cache", 200, H("Cache-Control", "private, max-age=60"), 0, 59 * time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			second := exchange{advance: tt.at, status: tt.status, resp: tt.resp, want: OutcomeHit}
			if !tt.hit {
				second.want, second.wantUpstream = OutcomeMiss, true
			}
			runScenario(t, scenario{steps: []exchange{
				{status: tt.status, resp: tt.resp, delay: tt.delay, body: "font", want: OutcomeMiss, wantUpstream: true},
				second,
			}})
		})
	}
}

// TestHeuristicCapOption checks Options.MaxHeuristic.
func TestHeuristicCapOption(t *testing.T) {
	resp := H("Last-Modified", "@-8760h")
	runScenario(t, scenario{opts: Options{MaxHeuristic: time.Hour}, steps: []exchange{
		{resp: resp, want: OutcomeMiss, wantUpstream: true},
		{advance: 59 * time.Minute, want: OutcomeHit},
		{advance: time.Minute, resp: resp, want: OutcomeMiss, wantUpstream: true},
	}})
}

// TestNotStored lists responses that must not be stored.
func TestNotStored(t *testing.T) {
	tests := []struct {
		name   string
		status int
		resp   func(time.Time) http.Header
	}{
		{"no-store", 200, H("Cache-Control", "no-store, max-age=60")},
		{"no-store among directives", 200, H("Cache-Control", "max-age=60", "Cache-Control", "NO-STORE")},
		{"no-store after a malformed member", 200, H("Cache-Control", "max-age=abc, no-store")},
		{"Vary star", 200, H("Cache-Control", "max-age=60", "Vary", "*")},
		{"Vary star among names", 200, H("Cache-Control", "max-age=60", "Vary", "Accept, *")},
		{"500 without explicit freshness", 500, H("Last-Modified", "@-100m")},
		{"206 partial content", 206, H("Cache-Control", "max-age=60")},
		{"302 redirect", 302, H("Cache-Control", "max-age=60")},
		{"must-understand with an unknown status", 299, H("Cache-Control", "must-understand, no-store, max-age=60")},
		{"must-understand with 206", 206, H("Cache-Control", "must-understand, no-store, max-age=60")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := exchange{status: tt.status, resp: tt.resp, want: OutcomeUncacheable, wantUpstream: true}
			runScenario(t, scenario{steps: []exchange{ex, ex}})
		})
	}
	t.Run("must-understand overrides no-store for a known status", func(t *testing.T) {
		resp := H("Cache-Control", "must-understand, no-store, max-age=60")
		runScenario(t, scenario{steps: []exchange{
			{resp: resp, want: OutcomeMiss, wantUpstream: true},
			{want: OutcomeHit},
		}})
	})
	t.Run("redirected response", func(t *testing.T) {
		clk := newClock()
		c := New(&MemoryStorage{}, Options{Now: clk.Now})
		u := &upstream{answer: func(req *fetch.Request) *fetch.Response {
			return &fetch.Response{Status: 200, Redirected: true, URL: "https://fonts.test/b", Header: H("Cache-Control", "max-age=60")(clk.Now())}
		}}
		for range 2 {
			_, out, err := c.Fetch(t.Context(), &fetch.Request{URL: testURL}, u)
			if err != nil || out != OutcomeUncacheable {
				t.Fatalf("outcome %q, err %v; want uncacheable", out, err)
			}
		}
	})
	t.Run("network error", func(t *testing.T) {
		c := New(&MemoryStorage{}, Options{Now: newClock().Now})
		u := &upstream{answer: func(*fetch.Request) *fetch.Response { return fetch.NetworkError("refused") }}
		resp, out, err := c.Fetch(t.Context(), &fetch.Request{URL: testURL}, u)
		if err != nil || out != OutcomeUncacheable || !resp.IsNetworkError() {
			t.Fatalf("resp %+v outcome %q err %v", resp, out, err)
		}
	})
}

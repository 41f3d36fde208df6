package httpcache

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
)

const testURL = "https://fonts.test/a.woff2"

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// clock is a fake clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// upstream is a fake next step that answers with a function of the
// request and records what it was sent.
type upstream struct {
	mu     sync.Mutex
	answer func(req *fetch.Request) *fetch.Response
	sent   []*fetch.Request
}

func (u *upstream) Fetch(ctx context.Context, req *fetch.Request) (*fetch.Response, error) {
	u.mu.Lock()
	u.sent = append(u.sent, req.Clone())
	answer := u.answer
	u.mu.Unlock()
	return answer(req), nil
}

func (u *upstream) calls() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.sent)
}

func (u *upstream) last() *fetch.Request {
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.sent) == 0 {
		return nil
	}
	return u.sent[len(u.sent)-1]
}

// H builds a response header function: values "@+60s" / "@-10m" are HTTP
// dates relative to the time of the response; Date is set to that time
// unless given ("Date", "-" omits it).
func H(pairs ...string) func(now time.Time) http.Header {
	return func(now time.Time) http.Header {
		h := http.Header{}
		hasDate := false
		for i := 0; i+1 < len(pairs); i += 2 {
			k, v := http.CanonicalHeaderKey(pairs[i]), pairs[i+1]
			if k == "Date" {
				hasDate = true
				if v == "-" {
					continue
				}
			}
			if strings.HasPrefix(v, "@") {
				d, err := time.ParseDuration(v[1:])
				if err != nil {
					panic(err)
				}
				v = now.Add(d).UTC().Format(http.TimeFormat)
			}
			h.Add(k, v)
		}
		if !hasDate {
			h.Set("Date", now.UTC().Format(http.TimeFormat))
		}
		return h
	}
}

// exchange is one request through the cache in a scenario.
type exchange struct {
	advance time.Duration // the clock moves before the request
	method  string
	url     string // default testURL
	header  http.Header
	mode    fetch.CacheMode

	// What the upstream answers if the cache calls it.
	status int // default 200
	resp   func(now time.Time) http.Header
	body   string
	delay  time.Duration // the clock moves during the upstream call

	want         Outcome
	wantUpstream bool
	check        func(t *testing.T, resp *fetch.Response, u *upstream)
}

type scenario struct {
	name  string
	opts  Options
	steps []exchange
}

func runScenario(t *testing.T, sc scenario) {
	t.Helper()
	clk := newClock()
	opts := sc.opts
	opts.Now = clk.Now
	c := New(&MemoryStorage{}, opts)
	u := &upstream{}
	for i, ex := range sc.steps {
		clk.Advance(ex.advance)
		u.answer = func(req *fetch.Request) *fetch.Response {
			clk.Advance(ex.delay)
			status := ex.status
			if status == 0 {
				status = 200
			}
			h := http.Header{}
			if ex.resp != nil {
				h = ex.resp(clk.Now())
			}
			return &fetch.Response{Type: fetch.TypeBasic, URL: req.URL, URLList: []string{req.URL}, Status: status, Header: h, Body: []byte(ex.body)}
		}
		url := ex.url
		if url == "" {
			url = testURL
		}
		req := &fetch.Request{Method: ex.method, URL: url, Header: ex.header, Cache: ex.mode}
		if req.Header == nil {
			req.Header = http.Header{}
		}
		before := u.calls()
		resp, outcome, err := c.Fetch(context.Background(), req, u)
		if err != nil {
			t.Fatalf("step %d: Fetch: %v", i, err)
		}
		if outcome != ex.want {
			t.Errorf("step %d: outcome %q, want %q", i, outcome, ex.want)
		}
		if called := u.calls() > before; called != ex.wantUpstream {
			t.Errorf("step %d: upstream called = %v, want %v", i, called, ex.wantUpstream)
		}
		if ex.check != nil {
			ex.check(t, resp, u)
		}
	}
}

package agent

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/lockedbuf"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/store"
)

// fakeClock is a clock that tests move.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// linkWorld is a world whose agent has opts, a fake clock and a log
// buffer, and whose app.test serves /links?from=F&n=N: a response whose
// Link header names N workers, /sw.js?k=F... with scopes /sF/...
type linkWorld struct {
	*world
	clock *fakeClock
	log   *lockedbuf.Buffer
}

func newLinkWorld(t *testing.T, ropts registry.Options, opts Options) *linkWorld {
	lw := &linkWorld{world: &world{app: newSite(t), fonts: newSite(t), api: newSite(t)},
		clock: &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, log: &lockedbuf.Buffer{}}
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	net := &network.Transport{Resolve: map[string]string{"https://app.test": lw.app.srv.URL}}
	logger := slog.New(slog.NewTextHandler(lw.log, nil))
	ropts.Store, ropts.Network, ropts.Limits, ropts.Logger = st, net, testLimits, logger
	ropts.Environment = envOf(&lw.a)
	r, err := registry.New(ctx, ropts)
	if err != nil {
		t.Fatal(err)
	}
	opts.Logger, opts.Now = logger, lw.clock.Now
	lw.r, lw.a = r, New(r, net, opts)
	t.Cleanup(func() { lw.a.Close(); r.Close(); st.Close() })
	lw.app.js("/sw.js", `self.addEventListener('fetch', () => {});`)
	lw.app.handle("/links", func(w http.ResponseWriter, r *http.Request) {
		from, _ := strconv.Atoi(r.URL.Query().Get("from"))
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		links := make([]string, n)
		for i := range links {
			links[i] = fmt.Sprintf(`</sw.js?k=%d>; rel="serviceworker"; scope="/s%d/"`, from+i, from+i)
		}
		w.Header().Set("Link", strings.Join(links, ", "))
		w.Write([]byte("page"))
	})
	return lw
}

// TestLinkHeaderCaps: the attacks of issue 17's "Amplification" (one
// response with 3,000 Link entries made 3,000 registrations), each
// bounded by its cap and each refusal logged once per response with the
// numbers.
func TestLinkHeaderCaps(t *testing.T) {
	type step struct {
		advance time.Duration
		from, n int
	}
	tests := []struct {
		name      string
		ropts     registry.Options
		limits    LinkLimits
		steps     []step
		wantRegs  int
		wantLog   string // the refusal's message
		wantLines int    // how many times it is logged
		wantAttrs []string
	}{
		{
			name:     "3,000 links in one header",
			limits:   LinkLimits{RegistrationsPerMinute: -1},
			steps:    []step{{0, 0, 3000}},
			wantRegs: DefaultMaxLinksPerHeader, wantLog: "too many serviceworker links", wantLines: 1,
			wantAttrs: []string{"links=3000", "taken=4", "refused=2996", "limit=4"},
		},
		{
			name:     "per origin per minute",
			limits:   LinkLimits{RegistrationsPerMinute: 5},
			steps:    []step{{0, 0, 4}, {10 * time.Second, 4, 4}, {10 * time.Second, 8, 4}, {41 * time.Second, 12, 4}},
			wantRegs: 9, wantLog: "over the origin's rate", wantLines: 2,
			wantAttrs: []string{"refused=3", "limit=5", "window=1m0s"},
		},
		{
			name:     "a repeated header does not count",
			limits:   LinkLimits{RegistrationsPerMinute: 2},
			steps:    []step{{0, 0, 1}, {0, 0, 1}, {0, 0, 1}, {0, 0, 1}, {0, 0, 1}, {0, 1, 1}},
			wantRegs: 2, wantLog: "over the origin's rate", wantLines: 0,
		},
		{
			name:     "registrations per origin",
			ropts:    registry.Options{MaxRegistrationsPerOrigin: 3},
			limits:   LinkLimits{RegistrationsPerMinute: -1},
			steps:    []step{{0, 0, 4}},
			wantRegs: 3, wantLog: "the most registrations it may have", wantLines: 1,
			wantAttrs: []string{"refused=1", "limit=3"},
		},
		{
			name:     "no caps",
			ropts:    registry.Options{MaxRegistrationsPerOrigin: -1},
			limits:   LinkLimits{MaxPerHeader: -1, RegistrationsPerMinute: -1},
			steps:    []step{{0, 0, 6}},
			wantRegs: 6, wantLog: "refus", wantLines: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newLinkWorld(t, tt.ropts, Options{Links: tt.limits})
			page := w.client(t, "https://app.test/")
			for _, s := range tt.steps {
				w.clock.advance(s.advance)
				res := w.get(t, page, &fetch.Request{URL: fmt.Sprintf("https://app.test/links?from=%d&n=%d", s.from, s.n)})
				if string(res.Response.Body) != "page" {
					t.Fatalf("the response was not delivered: %+v", res.Response)
				}
				w.a.Wait() // each response's registrations, before the clock moves
			}
			if got := len(w.r.Registrations("https://app.test")); got != tt.wantRegs {
				t.Errorf("%d registrations, want %d", got, tt.wantRegs)
			}
			lines := w.log.Lines(tt.wantLog)
			if len(lines) != tt.wantLines {
				t.Fatalf("%d log lines with %q, want %d:\n%s", len(lines), tt.wantLog, tt.wantLines, strings.Join(lines, "\n"))
			}
			for _, attr := range tt.wantAttrs {
				if !strings.Contains(lines[0], attr) {
					t.Errorf("log line %q lacks %s", lines[0], attr)
				}
			}
		})
	}
}

// TestLinkRateWindow: the rate's window slides: a registration counts for
// exactly one minute after it was granted.
func TestLinkRateWindow(t *testing.T) {
	var lr linkRate
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		at             time.Duration
		origin         string
		n, limit, want int
	}{
		{0, "https://a.test", 2, 3, 2},
		{30 * time.Second, "https://a.test", 2, 3, 1},
		{30 * time.Second, "https://b.test", 5, 3, 3},
		{59 * time.Second, "https://a.test", 1, 3, 0},
		{60 * time.Second, "https://a.test", 5, 3, 2}, // the two of t0 left the window
		{90 * time.Second, "https://a.test", 5, 3, 1}, // and the one of 30 s
		{90 * time.Second, "https://a.test", 5, -1, 5},
	} {
		if got := lr.take(tt.origin, t0.Add(tt.at), tt.n, tt.limit); got != tt.want {
			t.Errorf("at %v, %s asks %d of %d: granted %d, want %d", tt.at, tt.origin, tt.n, tt.limit, got, tt.want)
		}
	}
}

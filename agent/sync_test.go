package agent

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/registry"
)

// fakeTimers is registry.Options' Now and AfterFunc under the test's
// control: timers fire when the test runs them.
type fakeTimers struct {
	mu     sync.Mutex
	now    time.Time
	timers []fakeTimer
	armed  chan struct{} // receives when a timer is armed
}

type fakeTimer struct {
	d       time.Duration
	f       func()
	stopped *bool
}

func newFakeTimers() *fakeTimers {
	return &fakeTimers{now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), armed: make(chan struct{}, 16)}
}

func (ft *fakeTimers) options(o *registry.Options) {
	o.Now = func() time.Time { ft.mu.Lock(); defer ft.mu.Unlock(); return ft.now }
	o.AfterFunc = func(d time.Duration, f func()) func() bool {
		ft.mu.Lock()
		stopped := false
		ft.timers = append(ft.timers, fakeTimer{d: d, f: f, stopped: &stopped})
		ft.mu.Unlock()
		ft.armed <- struct{}{}
		return func() bool { ft.mu.Lock(); defer ft.mu.Unlock(); s := !stopped; stopped = true; return s }
	}
}

// next waits for the next timer armed, moves the clock past it and runs
// it; it returns the timer's delay.
func (ft *fakeTimers) next(t *testing.T, ctx context.Context) time.Duration {
	t.Helper()
	select {
	case <-ft.armed:
	case <-ctx.Done():
		t.Fatal("no retry timer was armed")
	}
	ft.mu.Lock()
	tm := ft.timers[0]
	ft.timers = ft.timers[1:]
	ft.now = ft.now.Add(tm.d)
	ft.mu.Unlock()
	go tm.f()
	return tm.d
}

const syncWorker = `
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('sync', (e) => {
  e.waitUntil((async () => {
    for (const c of await clients.matchAll({ includeUncontrolled: true })) c.postMessage(e.tag + (e.lastChance ? ' last' : ''));
    if (e.tag === 'flaky') throw new Error('still failing');
  })());
});
self.addEventListener('fetch', (e) => {
  const u = new URL(e.request.url);
  if (u.pathname === '/register') e.respondWith(self.registration.sync.register(u.search.slice(1)).then(() => self.registration.sync.getTags()).then((t) => new Response(t.join(','))));
});
`

// syncMessages returns the next n messages the page gets.
func syncMessages(t *testing.T, ctx context.Context, c *Client, n int) []any {
	t.Helper()
	var out []any
	for len(out) < n {
		ev, err := c.NextEvent(ctx)
		if err != nil {
			t.Fatalf("after %v: %v", out, err)
		}
		if ev.Type == "message" {
			out = append(out, ev.Message.Value())
		}
	}
	return out
}

func TestBackgroundSyncWaitsForTheNetworkAndRetries(t *testing.T) {
	ft := newFakeTimers()
	f := newFixture(t, ft.options)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	outcomes := syncOutcomes(t, f.r)
	reg := f.register(t, "/sw.js", syncWorker, "/")
	page, _ := f.a.ClientForURL("https://app.test/")
	if _, err := page.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	page, _, err := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/page"})
	if err != nil {
		t.Fatal(err)
	}

	// Offline: the tag waits; back online, it fires and is done.
	if err := f.a.SetOffline("https://app.test", true); err != nil {
		t.Fatal(err)
	}
	res, err := page.Fetch(ctx, &fetch.Request{URL: "/register?outbox"})
	if err != nil || string(res.Response.Body) != "outbox" {
		t.Fatalf("register: %v %q", err, res.Response.Body)
	}
	if tags, _ := reg.Sync().Tags(ctx, false); len(tags) != 1 {
		t.Fatalf("tags while offline = %v", tags)
	}
	if err := f.a.SetOffline("https://app.test", false); err != nil {
		t.Fatal(err)
	}
	if got := syncMessages(t, ctx, page, 1); got[0] != "outbox" {
		t.Fatalf("sync after going online: %v", got)
	}
	waitOutcome(t, ctx, outcomes, "outbox: fulfilled", reg, 0)

	// A failing sync is retried after 5 minutes, then 15, the last
	// attempt with lastChance; then the tag is dropped.
	if _, err := page.Fetch(ctx, &fetch.Request{URL: "/register?flaky"}); err != nil {
		t.Fatal(err)
	}
	if got := syncMessages(t, ctx, page, 1); got[0] != "flaky" {
		t.Fatalf("first attempt: %v", got)
	}
	waitOutcome(t, ctx, outcomes, "flaky: Error: still failing", reg, 1)
	if d := ft.next(t, ctx); d != 5*time.Minute {
		t.Errorf("first retry after %v, want 5m", d)
	}
	if got := syncMessages(t, ctx, page, 1); got[0] != "flaky" {
		t.Fatalf("second attempt: %v", got)
	}
	waitOutcome(t, ctx, outcomes, "flaky: Error: still failing", reg, 1)
	if d := ft.next(t, ctx); d != 15*time.Minute {
		t.Errorf("second retry after %v, want 15m", d)
	}
	if got := syncMessages(t, ctx, page, 1); got[0] != "flaky last" {
		t.Fatalf("third attempt: %v, want lastChance", got)
	}
	waitOutcome(t, ctx, outcomes, "flaky: Error: still failing", reg, 0)
}

// syncOutcomes returns a channel of the registry's "sync" events'
// details: each sent once the attempt's outcome is stored.
func syncOutcomes(t *testing.T, r *registry.Registry) <-chan string {
	ch := make(chan string, 16)
	cancel := r.Subscribe(func(e registry.Event) {
		if e.Type == "sync" {
			ch <- e.Detail
		}
	})
	t.Cleanup(cancel)
	return ch
}

// waitOutcome waits for the next sync outcome and checks reg's tags then.
func waitOutcome(t *testing.T, ctx context.Context, outcomes <-chan string, want string, reg *registry.Registration, tags int) {
	t.Helper()
	select {
	case got := <-outcomes:
		if !strings.HasPrefix(got, want) {
			t.Errorf("sync outcome %q, want %q...", got, want)
		}
	case <-ctx.Done():
		t.Fatalf("no sync outcome %q", want)
	}
	if got, err := reg.Sync().Tags(ctx, false); err != nil || len(got) != tags {
		t.Errorf("tags = %v (%v), want %d", got, err, tags)
	}
}

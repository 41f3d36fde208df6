package worker

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/swhost/swhost/clock"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

// clockScript reports, on every fetch, what the worker sees of time: the
// timers that have run, Date, performance.now, and Workbox-style
// expiration of entries stamped with Date.now() (?stamp=KEY stamps KEY;
// every answer lists the keys older than an hour).
const clockScript = `
const fired = [];
setTimeout(() => fired.push('minute'), 60_000);
setTimeout(() => fired.push('second'), 1_000);
let ticks = 0;
setInterval(() => ticks++, 10_000);
const stamps = new Map();
const maxAgeSeconds = 3600;
addEventListener('fetch', e => {
  const key = new URL(e.request.url).searchParams.get('stamp');
  if (key) stamps.set(key, Date.now());
  const expired = [...stamps].filter(([, t]) => Date.now() - t > maxAgeSeconds * 1000).map(([k]) => k);
  e.respondWith(Response.json({
    fired, ticks, expired,
    now: Date.now(), date: new Date().getTime(), perf: performance.now(),
  }));
});
`

type clockView struct {
	Fired   []string `json:"fired"`
	Ticks   int      `json:"ticks"`
	Expired []string `json:"expired"`
	Now     int64    `json:"now"`
	Date    int64    `json:"date"`
	Perf    float64  `json:"perf"`
}

func TestManualClockDrivesTheWorker(t *testing.T) {
	start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	c := clock.NewManual(start)
	w := newTestWorker(t, clockScript, Options{Clock: c})
	look := func(query string) clockView {
		t.Helper()
		res, err := w.DispatchFetch(ctxT(t), &fetch.Request{Method: "GET", URL: "https://app.test/t" + query}, FetchEventInit{})
		if err != nil || res.Response == nil {
			t.Fatalf("fetch: %v, %+v", err, res)
		}
		var v clockView
		if err := json.Unmarshal(res.Response.Body, &v); err != nil {
			t.Fatalf("body %q: %v", res.Response.Body, err)
		}
		return v
	}
	steps := []struct {
		advance   time.Duration
		query     string
		wantFired string // joined
		wantTicks int
		wantExp   string // joined
	}{
		{0, "?stamp=a", "", 0, ""},
		{999 * time.Millisecond, "", "", 0, ""},
		{time.Millisecond, "", "second", 0, ""},
		{58 * time.Second, "?stamp=b", "second", 5, ""},
		{time.Second, "", "second,minute", 6, ""},
		{time.Hour - 60*time.Second, "", "second,minute", 360, ""},
		{time.Millisecond, "", "second,minute", 360, "a"},
		{time.Minute, "", "second,minute", 366, "a,b"},
	}
	var elapsed time.Duration
	for i, s := range steps {
		c.Advance(s.advance)
		elapsed += s.advance
		v := look(s.query)
		wantMS := start.Add(elapsed).UnixMilli()
		if v.Now != wantMS || v.Date != wantMS {
			t.Errorf("step %d: Date.now() = %d, new Date() = %d, want the clock's %d", i, v.Now, v.Date, wantMS)
		}
		if got := strings.Join(v.Fired, ","); got != s.wantFired {
			t.Errorf("step %d (+%v): timers fired %q, want %q", i, elapsed, got, s.wantFired)
		}
		if v.Ticks != s.wantTicks {
			t.Errorf("step %d (+%v): interval ran %d times, want %d", i, elapsed, v.Ticks, s.wantTicks)
		}
		if got := strings.Join(v.Expired, ","); got != s.wantExp {
			t.Errorf("step %d (+%v): expired %q, want %q", i, elapsed, got, s.wantExp)
		}
		if want := float64(elapsed.Milliseconds()); v.Perf != want {
			t.Errorf("step %d: performance.now() = %v, want %v", i, v.Perf, want)
		}
	}
}

func TestManualClockEventTimeout(t *testing.T) {
	c := clock.NewManual(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	started := make(chan struct{})
	w := newTestWorker(t, `addEventListener('fetch', e => { console.log('started'); e.respondWith(new Promise(() => {})) })`,
		Options{Clock: c, Limits: Limits{EventTimeout: time.Minute}, Console: func(level, msg string) {
			if msg == "started" {
				close(started)
			}
		}})
	done := make(chan error, 1)
	go func() {
		_, err := w.DispatchFetch(ctxT(t), &fetch.Request{Method: "GET", URL: "https://app.test/never"}, FetchEventInit{})
		done <- err
	}()
	// The event's start is read on the clock before it is queued; wait
	// until its handler runs, then let a minute and a second pass.
	select {
	case <-started:
	case err := <-done:
		t.Fatalf("event ended before the clock moved: %v", err)
	}
	c.Advance(time.Minute + time.Second)
	err := <-done
	if weberr.NameOf(err) != weberr.TimeoutError || !strings.Contains(err.Error(), "within 1m0s") {
		t.Fatalf("err = %v, want a TimeoutError after the one-minute EventTimeout", err)
	}
}

package worker

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

func TestWaitIdle(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		cancel  bool   // WaitIdle gets a context that has ended
		wantErr string // exception name, "" for nil
		wantLog []string
	}{{
		name: "waitUntil after respondWith",
		src: `self.addEventListener('fetch', e => {
  e.respondWith(new Response('answered'));
  e.waitUntil(new Promise(r => setTimeout(r, 20)).then(() => new Promise(r => setTimeout(r, 20))).then(() => console.log('late work done')));
});`,
		wantLog: []string{"late work done"},
	}, {
		name: "several events' promises",
		src: `let n = 0;
self.addEventListener('fetch', e => {
  e.respondWith(new Response('answered'));
  e.waitUntil(new Promise(r => setTimeout(r, 30)).then(() => console.log('late work ' + (++n))));
});`,
		wantLog: []string{"late work 1", "late work 2"},
	}, {
		name:    "a promise that never settles, bounded by the context",
		src:     `self.addEventListener('fetch', e => { e.respondWith(new Response('answered')); e.waitUntil(new Promise(() => {})); });`,
		cancel:  true,
		wantErr: weberr.TimeoutError,
	}, {
		name: "nothing pending",
		src:  `self.addEventListener('fetch', e => e.respondWith(new Response('answered')));`,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var logs []string
			w := newTestWorker(t, tc.src, Options{Console: func(level, msg string) {
				mu.Lock()
				logs = append(logs, msg)
				mu.Unlock()
			}})
			if err := w.WaitIdle(ctxT(t)); err != nil {
				t.Fatalf("before any event (not running): %v", err)
			}
			for range max(len(tc.wantLog), 1) {
				res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/x"}, FetchEventInit{})
				if err != nil || res.Response == nil || string(res.Response.Body) != "answered" {
					t.Fatalf("fetch: %+v %v", res, err)
				}
			}
			ctx := ctxT(t)
			if tc.cancel {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				cancel()
			}
			err := w.WaitIdle(ctx)
			if weberr.NameOf(err) != tc.wantErr || (tc.wantErr != "" && !errors.Is(err, context.Canceled)) {
				t.Fatalf("WaitIdle: %v, want %q", err, tc.wantErr)
			}
			mu.Lock()
			got := slices.Clone(logs)
			mu.Unlock()
			if !slices.Equal(got, tc.wantLog) && !(len(got) == 0 && len(tc.wantLog) == 0) {
				t.Errorf("console once WaitIdle returned: %q, want %q", got, tc.wantLog)
			}
			if tc.wantErr == "" && !w.Running() {
				t.Errorf("the worker stopped")
			}
		})
	}
}

package worker

import (
	"context"
	"sync"

	"github.com/swhost/swhost/weberr"
)

// idleWaiters holds the channels of [Worker.WaitIdle] calls waiting for
// the running instance to go idle.
type idleWaiters struct {
	mu  sync.Mutex
	chs []chan struct{}
}

func (iw *idleWaiters) add(ch chan struct{}) {
	iw.mu.Lock()
	iw.chs = append(iw.chs, ch)
	iw.mu.Unlock()
}

// release wakes every waiter (the instance went idle).
func (iw *idleWaiters) release() {
	iw.mu.Lock()
	chs := iw.chs
	iw.chs = nil
	iw.mu.Unlock()
	for _, ch := range chs {
		close(ch)
	}
}

// WaitIdle waits until the worker has no event in flight and no lifetime
// promise pending (a waitUntil promise of an event that has answered
// already, such as the cache write of a fetch handler that responded
// first), so that stopping it then cuts no work short. It returns nil at
// once when the worker is not running, and nil when it stops meanwhile.
// When ctx ends first it returns a TimeoutError wrapping ctx's error and
// leaves the worker running.
func (w *Worker) WaitIdle(ctx context.Context) error {
	w.mu.Lock()
	in := w.inst
	w.mu.Unlock()
	if in == nil {
		return nil
	}
	ch := make(chan struct{})
	if !in.loop.Submit(func() {
		if len(in.events) == 0 && in.extend == 0 {
			close(ch)
			return
		}
		w.idle.add(ch) // armIdle releases it
	}) {
		return nil
	}
	select {
	case <-ch:
		return nil
	case <-in.loop.Done():
		return nil
	case <-ctx.Done():
		e := weberr.Errorf(weberr.TimeoutError, "%s still had work pending (events or waitUntil promises): %v", w.script.url, ctx.Err())
		e.Err = ctx.Err()
		return e
	}
}

package registry

import "context"

// WaitIdle waits until the workers of every registration's versions have
// no event in flight and no lifetime promise pending (see
// [worker.Worker.WaitIdle]), after the background work started so far
// (see [Registry.Wait]). A command that dispatched events calls it before
// Close, so that work a worker does after answering (a cache write in
// waitUntil) is not cut short. When ctx ends first it returns the
// TimeoutError of the first worker still busy.
func (r *Registry) WaitIdle(ctx context.Context) error {
	r.Wait()
	r.mu.Lock()
	regs := make([]*Registration, 0, len(r.byID))
	for _, reg := range r.byID {
		regs = append(regs, reg)
	}
	r.mu.Unlock()
	for _, reg := range regs {
		for _, v := range reg.versions() {
			for _, w := range v.workers() {
				if err := w.WaitIdle(ctx); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

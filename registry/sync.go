package registry

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// Background sync, scheduled as Chromium schedules it: a registered tag
// fires its sync event as soon as the origin is online (at once, or when
// it comes back: [Registry.OriginOnline]); an attempt whose event fails
// (a rejected waitUntil promise, a listener exception, a timeout) is
// retried after SyncRetryDelay, then three times that, and the last of
// SyncMaxAttempts attempts has lastChance set. A tag registered again
// while its event runs fires once more after it. Tags survive a restart:
// New schedules the stored ones.

// Background sync's schedule (Chromium's defaults).
const (
	SyncMaxAttempts = 3
	SyncRetryDelay  = 5 * time.Minute
	syncRetryFactor = 3
)

// Sync is a registration's background sync tags (registration.sync and
// registration.periodicSync). It implements [worker.SyncService].
type Sync struct{ reg *Registration }

// Sync returns the registration's background sync service.
func (reg *Registration) Sync() *Sync { return &Sync{reg} }

// syncRecord is a stored one-off sync registration.
type syncRecord struct {
	Tag      string `json:"tag"`
	Attempts int    `json:"attempts"` // failed attempts so far
	// NotBefore is when the next attempt may run (Unix nanoseconds; 0:
	// at once), after a failed one.
	NotBefore int64 `json:"notBefore,omitempty"`
}

// periodicRecord is a stored periodic sync registration.
type periodicRecord struct {
	Tag         string `json:"tag"`
	MinInterval int64  `json:"minInterval"` // milliseconds
}

// Register implements [worker.SyncService].
func (s *Sync) Register(ctx context.Context, tag string) error {
	reg := s.reg
	if err := reg.requireActive(weberr.InvalidStateError); err != nil {
		return err
	}
	reg.feMu.Lock()
	key := feKey(reg.id, "sync", tag)
	var rec syncRecord
	ok, err := reg.r.getJSON(ctx, key, &rec)
	if err == nil && !ok {
		err = reg.r.checkCount(ctx, feKeyPrefix(reg.id, "sync"))
		if err == nil {
			err = reg.r.putJSON(ctx, key, syncRecord{Tag: tag})
		}
	}
	reg.feMu.Unlock()
	if err != nil {
		return err
	}
	reg.r.syncs.registered(reg, tag)
	return nil
}

// checkCount fails with QuotaExceededError when prefix holds the most
// entries a registration may keep.
func (r *Registry) checkCount(ctx context.Context, prefix string) error {
	n := 0
	_ = r.opts.Store.Scan(ctx, prefix, store.ScanOptions{KeysOnly: true}, func(store.KVEntry) error { n++; return nil })
	if n >= r.maxBackground() {
		return weberr.Errorf(weberr.QuotaExceeded, "the registration has %d sync registrations, the most it may have (swhost --max-background-entries)", n)
	}
	return nil
}

// RegisterPeriodic implements [worker.SyncService].
func (s *Sync) RegisterPeriodic(ctx context.Context, tag string, minInterval int64) error {
	reg := s.reg
	if err := reg.requireActive(weberr.InvalidStateError); err != nil {
		return err
	}
	reg.feMu.Lock()
	defer reg.feMu.Unlock()
	key := feKey(reg.id, "periodic", tag)
	var rec periodicRecord
	ok, err := reg.r.getJSON(ctx, key, &rec)
	if err != nil {
		return err
	}
	if !ok {
		if err := reg.r.checkCount(ctx, feKeyPrefix(reg.id, "periodic")); err != nil {
			return err
		}
	}
	return reg.r.putJSON(ctx, key, periodicRecord{Tag: tag, MinInterval: minInterval})
}

// UnregisterPeriodic implements [worker.SyncService].
func (s *Sync) UnregisterPeriodic(ctx context.Context, tag string) error {
	if err := s.reg.r.opts.Store.Delete(ctx, feKey(s.reg.id, "periodic", tag)); err != nil {
		return fmt.Errorf("registry: %w", err)
	}
	return nil
}

// Tags implements [worker.SyncService]: the tags in the order of their
// keys (by tag).
func (s *Sync) Tags(ctx context.Context, periodic bool) ([]string, error) {
	kind := "sync"
	if periodic {
		kind = "periodic"
	}
	prefix := feKeyPrefix(s.reg.id, kind)
	tags := []string{}
	err := s.reg.r.scanKeys(ctx, prefix, func(e store.KVEntry) error {
		tags = append(tags, strings.TrimPrefix(e.Key, prefix))
		return nil
	})
	return tags, err
}

// syncScheduler runs the registrations' sync events: at most one attempt
// per tag at a time, retries on timers.
type syncScheduler struct {
	mu      sync.Mutex
	running map[string]*syncRun // by feKey of the tag
}

type syncRun struct {
	again bool        // registered again while running: fire once more
	stop  func() bool // stops the retry waiting; nil while running
}

func (s *syncScheduler) forget(regID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prefix := feKeyPrefix(regID, "sync")
	for k, run := range s.running {
		if strings.HasPrefix(k, prefix) {
			if run.stop != nil {
				run.stop()
			}
			delete(s.running, k)
		}
	}
}

func (s *syncScheduler) stopAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, run := range s.running {
		if run.stop != nil {
			run.stop()
			delete(s.running, k)
		}
	}
}

// registered is called after tag was stored: fire it unless an attempt
// is running (then once more after it) or waiting for its retry.
func (s *syncScheduler) registered(reg *Registration, tag string) {
	key := feKey(reg.id, "sync", tag)
	s.mu.Lock()
	if run := s.running[key]; run != nil {
		if run.stop == nil {
			run.again = true
		}
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	reg.r.fireSyncWhenOnline(reg, tag)
}

// fireSyncWhenOnline starts an attempt at tag when the registration's
// origin is online; an offline origin's tags wait for OriginOnline.
func (r *Registry) fireSyncWhenOnline(reg *Registration, tag string) {
	if !r.online(reg) {
		return
	}
	key := feKey(reg.id, "sync", tag)
	r.syncs.mu.Lock()
	if r.syncs.running == nil {
		r.syncs.running = map[string]*syncRun{}
	}
	if r.syncs.running[key] != nil {
		r.syncs.mu.Unlock()
		return
	}
	run := &syncRun{}
	r.syncs.running[key] = run
	r.syncs.mu.Unlock()
	r.background(func(ctx context.Context) { r.syncAttempt(ctx, reg, tag, run) })
}

func (r *Registry) online(reg *Registration) bool {
	env := r.environment()
	return env.Online == nil || env.Online(reg)
}

// syncAttempt fires one sync event for tag and books its outcome.
func (r *Registry) syncAttempt(ctx context.Context, reg *Registration, tag string, run *syncRun) {
	key := feKey(reg.id, "sync", tag)
	done := func() {
		r.syncs.mu.Lock()
		if r.syncs.running[key] == run {
			delete(r.syncs.running, key)
		}
		r.syncs.mu.Unlock()
	}
	var rec syncRecord
	ok, err := r.getJSON(ctx, key, &rec)
	if err != nil || !ok {
		done()
		return
	}
	if wait := time.Duration(rec.NotBefore - r.opts.Now().UnixNano()); rec.NotBefore != 0 && wait > 0 {
		r.syncRetryAfter(reg, tag, run, wait)
		return
	}
	last := rec.Attempts+1 >= SyncMaxAttempts
	err = r.Fire(ctx, reg, worker.FunctionalEvent{Type: worker.EventSync, Tag: tag, LastChance: last})
	outcome := "fulfilled"
	if err != nil {
		outcome = err.Error()
	}
	// The attempt is announced once its outcome is stored.
	defer r.emit(Event{Type: "sync", Scope: reg.text, Detail: tag + ": " + outcome})

	reg.feMu.Lock()
	r.syncs.mu.Lock()
	again := run.again
	run.again = false
	r.syncs.mu.Unlock()
	switch {
	case again:
		rec = syncRecord{Tag: tag}
		err = r.putJSON(ctx, key, rec)
	case err == nil || last:
		err = r.opts.Store.Delete(ctx, key)
	default:
		rec.Attempts++
		delay := SyncRetryDelay
		for i := 1; i < rec.Attempts; i++ {
			delay *= syncRetryFactor
		}
		rec.NotBefore = r.opts.Now().Add(delay).UnixNano()
		if err = r.putJSON(ctx, key, rec); err == nil {
			reg.feMu.Unlock()
			r.syncRetryAfter(reg, tag, run, delay)
			return
		}
	}
	reg.feMu.Unlock()
	if err != nil {
		r.log.Warn("background sync state not stored", "scope", reg.text, "tag", tag, "err", err)
	}
	done()
	if again {
		r.fireSyncWhenOnline(reg, tag)
	}
}

// syncRetryAfter arms run's retry timer.
func (r *Registry) syncRetryAfter(reg *Registration, tag string, run *syncRun, d time.Duration) {
	key := feKey(reg.id, "sync", tag)
	r.syncs.mu.Lock()
	defer r.syncs.mu.Unlock()
	if r.syncs.running[key] != run {
		return
	}
	run.stop = r.opts.AfterFunc(d, func() {
		r.syncs.mu.Lock()
		if r.syncs.running[key] == run {
			delete(r.syncs.running, key)
		}
		r.syncs.mu.Unlock()
		r.fireSyncWhenOnline(reg, tag)
	})
}

// OriginOnline fires the pending sync events of origin's registrations
// (the agent calls it when the origin comes back online).
func (r *Registry) OriginOnline(origin string) {
	for _, reg := range r.registrationsOf(origin) {
		r.resumeSyncs(context.Background(), reg)
	}
}

// resumeSyncs starts the stored sync tags of reg that wait for nothing
// but the network.
func (r *Registry) resumeSyncs(ctx context.Context, reg *Registration) {
	tags, err := reg.Sync().Tags(ctx, false)
	if err != nil {
		r.log.Warn("background sync tags not read", "scope", reg.text, "err", err)
		return
	}
	for _, tag := range tags {
		r.fireSyncWhenOnline(reg, tag)
	}
}

// registrationsOf returns origin's registrations, by id.
func (r *Registry) registrationsOf(origin string) []*Registration {
	r.mu.RLock()
	var out []*Registration
	for _, reg := range r.byID {
		if reg.scope.Origin() == origin {
			out = append(out, reg)
		}
	}
	r.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// Fire fires a functional event at reg's active worker (started if
// stopped) and waits for it: nil when its promises fulfilled. Without an
// active worker it fails with InvalidStateError.
func (r *Registry) Fire(ctx context.Context, reg *Registration, fe worker.FunctionalEvent) error {
	v := reg.Active()
	if v == nil {
		return weberr.Errorf(weberr.InvalidStateError, "%s has no active worker", reg.text)
	}
	w, err := v.Worker(ctx)
	if err != nil {
		return err
	}
	return w.DispatchFunctional(ctx, fe)
}

// SyncAttempts returns how many attempts of tag failed so far (for
// observers and tests), and whether tag is registered.
func (s *Sync) SyncAttempts(ctx context.Context, tag string) (int, bool, error) {
	var rec syncRecord
	ok, err := s.reg.r.getJSON(ctx, feKey(s.reg.id, "sync", tag), &rec)
	return rec.Attempts, ok, err
}

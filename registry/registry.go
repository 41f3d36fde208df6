package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/clock"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/scope"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// StaleAfter is the spec's update staleness: a registration whose last
// update check is older than this bypasses the HTTP cache for its scripts,
// and a navigation to its scope triggers a soft update.
const StaleAfter = 24 * time.Hour

// Options configure a Registry.
type Options struct {
	// Store keeps registrations, versions, scripts and Cache Storage.
	// Required.
	Store store.Store
	// Network fetches worker scripts (and serves fetch() inside workers
	// when Environment.Fetcher is nil). Required.
	Network fetch.Fetcher
	// WebSockets opens workers' WebSocket connections (network.Transport
	// is one); nil leaves workers without WebSocket connections.
	WebSockets worker.WebSocketDialer
	// Environment is what the layers above give each worker: its fetch(),
	// its clients and more hooks. Its functions are called when a
	// version's worker starts, never during New, so they may use layers
	// built on the registry after New returns (the agent, the connect
	// broker); see Environment.
	Environment Environment
	// Limits bound each worker; zero fields take worker.DefaultLimits.
	Limits worker.Limits
	// CacheLimits bound each origin's Cache Storage; zero fields take
	// cachestorage's defaults. Its MaxOriginBytes is the origin's storage
	// quota, which its IndexedDB databases share (package quota).
	CacheLimits cachestorage.Limits
	// MaxScopesPerPrefix caps registrations sharing one non-variable
	// prefix (scope.IndexOptions.MaxPerPrefix).
	MaxScopesPerPrefix int
	// MaxRegistrationsPerOrigin caps the registrations one origin may
	// have; Register of a new scope beyond it fails with
	// QuotaExceededError. 0 means DefaultMaxRegistrationsPerOrigin, a
	// negative value no cap. Registrations restored from the store are
	// kept even beyond it.
	MaxRegistrationsPerOrigin int
	// Logger receives lifecycle logs; nil means slog.Default().
	Logger *slog.Logger
	// Clock is the time of the registry and its workers: the workers'
	// Date, timers and event timeouts (worker.Options.Clock), update
	// staleness (StaleAfter), background sync retry delays. nil means the
	// wall clock. Now and AfterFunc, when set, take precedence over it
	// for the registry's own use.
	Clock clock.Clock
	// Now returns the current time; nil means Clock.Now.
	Now func() time.Time
	// AfterFunc runs f once d has passed, as time.AfterFunc does, and
	// returns a function that stops it (reporting whether it did); nil
	// means Clock.AfterFunc. Background sync retries wait with it.
	AfterFunc func(d time.Duration, f func()) (stop func() bool)
	// Console, when set, receives every worker's console output (and
	// uncaught errors, at level "error") with the worker's script URL.
	Console func(scriptURL, level, msg string)
	// PartitionForeignFetch runs foreign-fetch workers once per top-level
	// site of their clients, each with its own Cache Storage, instead of
	// one authoritative cache per worker origin (the default).
	PartitionForeignFetch bool
	// RetireGrace bounds how long a redundant version's worker may go on
	// answering the events it had in flight when it was replaced
	// (DefaultRetireGrace when zero); it takes no new events.
	RetireGrace time.Duration
	// PushEndpoint is the base URL of push subscription endpoints (the
	// subscription's id is appended); empty means DefaultPushEndpoint.
	PushEndpoint string
	// MaxBackgroundEntries caps the notifications, sync tags and
	// periodic sync tags each registration keeps (each kind apart):
	// showNotification beyond it closes the oldest notification, a new
	// tag fails with QuotaExceededError. 0 means
	// DefaultMaxBackgroundEntries.
	MaxBackgroundEntries int
}

// DefaultMaxRegistrationsPerOrigin is Options.MaxRegistrationsPerOrigin's
// default: well above what a site uses (a handful) and the 200 scopes of
// the registration benchmarks, and a quarter of the default cap on
// running workers (worker.DefaultMaxRunning), so that one origin's
// registrations, each installed by running its worker, cannot crowd out
// every other origin's.
const DefaultMaxRegistrationsPerOrigin = 256

// DefaultRetireGrace is Options.RetireGrace's default.
const DefaultRetireGrace = 30 * time.Second

// Event is a lifecycle change, for observers such as the admin API (see
// [Registry.Subscribe]).
type Event struct {
	// Type is "register", "state", "unregister", "update",
	// "install-error", or in a fleet "connected" and "disconnected" (the
	// node hears the changes other nodes make, or stopped hearing them;
	// see [Registry.Connected]).
	Type      string
	Scope     string // the registration's scope as users wrote it
	ScriptURL string
	VersionID int64
	State     sw.State
	Err       string
	// Detail says more about functional events: the title of a
	// "notification" shown, the tag and outcome of a "sync" attempt.
	Detail string
}

// Environment is what the layers above provide to workers: their fetch(),
// their view of clients, and hooks. The registry and those layers refer to
// each other (the agent looks registrations up; the registry's workers
// fetch through the agent), so whoever builds them gives the registry
// functions that reach the layers made right after it:
//
//	var ag *agent.Agent
//	var br *connect.Broker
//	reg, err := registry.New(ctx, registry.Options{Store: st, Network: nw,
//		Environment: registry.Environment{
//			Fetcher: func(r *registry.Registration) fetch.Fetcher { return ag.WorkerFetcher(r) },
//			Clients: func(r *registry.Registration) worker.Clients { return ag.WorkerClients(r) },
//			Hooks:   func(v *registry.Version) worker.Hooks { return br.WorkerHooks(v) },
//		}})
//	ag = agent.New(reg, nw, agent.Options{})
//	br = connect.New(reg, connect.Options{})
//
// The functions run when a worker starts, after both assignments. The
// environment is fixed at New: every worker of the registry sees the same.
type Environment struct {
	// Fetcher returns the fetch() of a registration's workers; nil keeps
	// Options.Network.
	Fetcher func(reg *Registration) fetch.Fetcher
	// Clients returns self.clients for a registration's workers; nil
	// leaves workers without clients.
	Clients func(reg *Registration) worker.Clients
	// Online, when set, says whether a registration's workers are online
	// (navigator.onLine; the agent's offline switch).
	Online func(reg *Registration) bool
	// Hooks, when set, adds hooks for a version's worker (cross-origin
	// connect, ...); fields it leaves nil keep the registry's own.
	Hooks func(v *Version) worker.Hooks
	// OpenWindow, when set, opens a window client at url for
	// clients.openWindow (called while a notificationclick event runs);
	// nil leaves workers unable to open windows.
	OpenWindow func(ctx context.Context, reg *Registration, url string) (worker.Client, error)
}

// Registry holds every registration. It is safe for concurrent use.
type Registry struct {
	opts   Options
	log    *slog.Logger
	caches *cachestorage.Store
	idb    *indexeddb.Factory // every origin's IndexedDB, shared by all workers

	mu    sync.RWMutex
	index *scope.Index[*Registration]
	byID  map[int64]*Registration
	// perOrigin counts each origin's registrations (those in byID and
	// those being created), for Options.MaxRegistrationsPerOrigin.
	perOrigin map[string]int
	ffMu      sync.Mutex              // serializes ff updates
	ff        atomic.Pointer[ffIndex] // origin → active foreign-fetch versions; see foreignfetch.go
	jobsMu    sync.Mutex
	jobs      map[string]*sync.Mutex // per scope key: the spec's job queue
	wg        sync.WaitGroup         // background work (soft updates, activation)
	closed    bool

	syncs syncScheduler // background sync attempts and retries (sync.go)

	subMu sync.Mutex                      // serializes changes to subs
	subs  atomic.Pointer[[]*subscription] // read by emit without a lock

	fleetState
}

// Clock returns the registry's clock (Options.Clock, or the wall clock).
func (r *Registry) Clock() clock.Clock { return r.opts.Clock }

// subscription is one observer of [Registry.Subscribe].
type subscription struct{ fn func(Event) }

// New returns a registry over opts.Store and restores every stored
// registration with its waiting and active versions. Workers start lazily,
// on their first event.
func New(ctx context.Context, opts Options) (*Registry, error) {
	if opts.Store == nil || opts.Network == nil {
		return nil, errors.New("registry: Options.Store and Options.Network are required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.RetireGrace <= 0 {
		opts.RetireGrace = DefaultRetireGrace
	}
	opts.Clock = clock.Or(opts.Clock)
	if opts.AfterFunc == nil {
		opts.AfterFunc = opts.Clock.AfterFunc
	}
	if opts.Now == nil {
		opts.Now = opts.Clock.Now
	}
	if opts.MaxRegistrationsPerOrigin == 0 {
		opts.MaxRegistrationsPerOrigin = DefaultMaxRegistrationsPerOrigin
	}
	r := &Registry{
		opts:      opts,
		log:       opts.Logger,
		caches:    cachestorage.New(opts.Store.CacheStorage(), opts.CacheLimits),
		idb:       indexeddb.NewFactory(opts.Store.IndexedDB(), worker.IDBHostCodec),
		index:     scope.NewIndex[*Registration](scope.IndexOptions{MaxPerPrefix: opts.MaxScopesPerPrefix}),
		byID:      map[int64]*Registration{},
		perOrigin: map[string]int{},
		jobs:      map[string]*sync.Mutex{},
	}
	r.idb.SetQuota(opts.CacheLimits.MaxOriginBytes)
	r.coord = store.CoordinatorOf(opts.Store)
	if err := r.restore(ctx); err != nil {
		return nil, fmt.Errorf("registry: restoring registrations: %w", err)
	}
	if r.coord != nil {
		r.startFleet()
	}
	return r, nil
}

func (r *Registry) environment() Environment { return r.opts.Environment }

// Caches returns the Cache Storage of every origin.
func (r *Registry) Caches() *cachestorage.Store { return r.caches }

// IndexedDB returns the IndexedDB engine every worker of the registry
// shares.
func (r *Registry) IndexedDB() *indexeddb.Factory { return r.idb }

// Store returns the registry's store.
func (r *Registry) Store() store.Store { return r.opts.Store }

// restore loads every stored registration. Versions that were installing
// when the process stopped are discarded, as a browser discards them. In
// a fleet they are kept, since another node may be installing them: the
// next job of their scope, holding the fleet's lock, discards what a dead
// node left (see reconcile).
func (r *Registry) restore(ctx context.Context) error {
	loaded, err := r.opts.Store.LoadRegistrations(ctx)
	if err != nil {
		return err
	}
	if r.coord != nil {
		for i := range loaded {
			if err := r.reconcile(ctx, loaded[i].Registration.ScopeKey, &loaded[i], false); err != nil {
				return err
			}
		}
		return nil
	}
	for _, l := range loaded {
		sc, err := scope.Parse(l.Registration.ScopeText, "")
		if err != nil {
			r.log.Warn("skipping stored registration with an invalid scope", "scope", l.Registration.ScopeText, "err", err)
			continue
		}
		reg := r.newRegistration(l.Registration, sc)
		var stale []int64
		for _, sv := range l.Versions {
			v := reg.newVersion(sv)
			switch {
			case sv.Slot == store.SlotActive:
				v.state = sw.StateActivated
				reg.active = v
			case sv.Slot == store.SlotWaiting:
				reg.waiting = v
			default:
				stale = append(stale, sv.ID)
			}
		}
		for _, id := range stale {
			if err := r.opts.Store.DeleteVersion(ctx, id); err != nil {
				return err
			}
		}
		if reg.active == nil && reg.waiting == nil {
			if err := r.opts.Store.DeleteRegistration(ctx, reg.id); err != nil {
				return err
			}
			continue
		}
		if err := r.index.Add(sc, reg); err != nil {
			return err
		}
		r.byID[reg.id] = reg
		r.perOrigin[sc.Origin()]++
		if reg.active != nil {
			r.ffAdd(reg.active)
		}
	}
	return nil
}

// ResumeSyncs schedules the background sync tags stored by an earlier
// run: each fires once its origin is online. A long-running host calls
// it once its layers are built (it asks Environment.Online).
func (r *Registry) ResumeSyncs(ctx context.Context) {
	r.mu.RLock()
	regs := make([]*Registration, 0, len(r.byID))
	for _, reg := range r.byID {
		regs = append(regs, reg)
	}
	r.mu.RUnlock()
	for _, reg := range regs {
		if reg.Active() != nil {
			r.resumeSyncs(ctx, reg)
		}
	}
}

// Close stops every worker and waits for background work. It does not
// close the store.
func (r *Registry) Close() {
	r.syncs.stopAll()
	r.mu.Lock()
	r.closed = true
	regs := make([]*Registration, 0, len(r.byID))
	for _, reg := range r.byID {
		regs = append(regs, reg)
	}
	r.mu.Unlock()
	r.stopFleet()
	r.wg.Wait()
	// Registrations a reload adopted while the background work ended.
	r.mu.Lock()
	for _, reg := range r.byID {
		regs = append(regs, reg)
	}
	r.mu.Unlock()
	for _, reg := range regs {
		for _, v := range reg.versions() {
			v.close()
		}
	}
}

// Wait waits for background work started so far (soft updates,
// activations after skipWaiting) to finish.
func (r *Registry) Wait() { r.wg.Wait() }

// Match returns the registration whose scope controls u (the spec's Match
// Service Worker Registration), or nil.
func (r *Registry) Match(u *weburl.URL) *Registration {
	res, ok := r.index.Lookup(u)
	if !ok {
		return nil
	}
	return res.Value
}

// MatchString is Match for a URL string.
func (r *Registry) MatchString(rawURL string) *Registration {
	u, err := weburl.Parse(rawURL)
	if err != nil {
		return nil
	}
	return r.Match(u)
}

// Candidates returns every registration whose scope matches u, most
// specific first, with the ordering figures that decided.
func (r *Registry) Candidates(u *weburl.URL) []scope.Result[*Registration] {
	return r.index.Candidates(u)
}

// Get returns the registration whose scope has the given text (a legacy
// scope, absolute or relative to base, or a JSON pattern), or nil.
func (r *Registry) Get(scopeText, base string) (*Registration, error) {
	sc, err := scope.Parse(scopeText, base)
	if err != nil {
		return nil, err
	}
	reg, _ := r.index.Get(sc.Key())
	return reg, nil
}

// Registrations returns the registrations of origin ("" for all), ordered
// by scope key.
func (r *Registry) Registrations(origin string) []*Registration {
	var out []*Registration
	for _, res := range r.index.All() {
		if origin == "" || res.Value.scope.Origin() == origin {
			out = append(out, res.Value)
		}
	}
	return out
}

// HasOrigin reports whether origin (serialized) has a registration: an
// origin swhost hosts. Its cost does not depend on the number of
// registrations.
func (r *Registry) HasOrigin(origin string) bool { return r.index.HasOrigin(origin) }

// Registration returns the registration with the given id, or nil.
func (r *Registry) Registration(id int64) *Registration {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.byID[id]
}

// MaxRegistrationsPerOrigin returns the cap on one origin's
// registrations (Options.MaxRegistrationsPerOrigin), or -1 when there is
// none.
func (r *Registry) MaxRegistrationsPerOrigin() int {
	if r.opts.MaxRegistrationsPerOrigin < 0 {
		return -1
	}
	return r.opts.MaxRegistrationsPerOrigin
}

// reserve counts one more registration for origin, or fails with
// QuotaExceededError when origin has MaxRegistrationsPerOrigin already.
// A reservation whose registration is not created is given back with
// release; clear gives back a created one's.
func (r *Registry) reserve(origin string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if max := r.opts.MaxRegistrationsPerOrigin; max >= 0 && r.perOrigin[origin] >= max {
		return weberr.Errorf(weberr.QuotaExceeded, "origin %s has %d registrations, the most it may have (MaxRegistrationsPerOrigin, swhost --max-registrations-per-origin)", origin, r.perOrigin[origin])
	}
	r.perOrigin[origin]++
	return nil
}

// release gives back a reservation of origin whose registration was not
// created.
func (r *Registry) release(origin string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.perOrigin[origin]--; r.perOrigin[origin] <= 0 {
		delete(r.perOrigin, origin)
	}
}

// job locks the job queue of a scope key.
func (r *Registry) job(key string) func() {
	r.jobsMu.Lock()
	m := r.jobs[key]
	if m == nil {
		m = new(sync.Mutex)
		r.jobs[key] = m
	}
	r.jobsMu.Unlock()
	m.Lock()
	return m.Unlock
}

// Subscribe calls fn for every lifecycle change from now on, until the
// returned function is called (it may be called more than once). Any
// number of observers may subscribe; each change reaches them in the
// order they subscribed. fn runs on the goroutine that made the change,
// after the change is visible through the registry (a registration's
// Active, Uninstalling, ...), and before the registry goes on: it must
// return quickly and must not start lifecycle jobs itself.
func (r *Registry) Subscribe(fn func(Event)) (cancel func()) {
	s := &subscription{fn: fn}
	r.subMu.Lock()
	var next []*subscription
	if cur := r.subs.Load(); cur != nil {
		next = append(next, *cur...)
	}
	next = append(next, s)
	r.subs.Store(&next)
	r.subMu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			r.subMu.Lock()
			defer r.subMu.Unlock()
			cur := *r.subs.Load()
			next := make([]*subscription, 0, len(cur))
			for _, x := range cur {
				if x != s {
					next = append(next, x)
				}
			}
			r.subs.Store(&next)
		})
	}
}

// emit sends e to every subscriber.
func (r *Registry) emit(e Event) {
	subs := r.subs.Load()
	if subs == nil {
		return
	}
	for _, s := range *subs {
		s.fn(e)
	}
}

// background runs fn on its own goroutine, tracked by Wait and Close.
func (r *Registry) background(fn func(ctx context.Context)) {
	if !r.addBackground() {
		return
	}
	go func() {
		defer r.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		fn(ctx)
	}()
}

// addBackground counts one more piece of background work, unless the
// registry is closed. The count is taken under the lock that Close takes
// to set closed, so Close's Wait never races with an Add.
func (r *Registry) addBackground() bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return false
	}
	r.wg.Add(1)
	return true
}

// jsonValue converts v to plain JSON values (maps, slices, strings) for
// the worker's self.registration.scopePattern.
func jsonValue(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return out
}

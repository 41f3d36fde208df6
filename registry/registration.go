package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/swhost/swhost/routing"
	"github.com/swhost/swhost/scope"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// Registration is a service worker registration: a scope and up to three
// versions (installing, waiting, active).
type Registration struct {
	r     *Registry
	id    int64
	scope *scope.Scope
	text  string // scope as users wrote it (legacy URL or JSON pattern)

	mu              sync.Mutex
	updateViaCache  sw.UpdateViaCache
	typ             sw.WorkerType
	lastUpdateCheck time.Time
	navPreload      store.NavigationPreload
	navPreloadMu    sync.Mutex // serializes SetNavigationPreload
	installing      *Version
	waiting         *Version
	active          *Version
	uninstalling    bool
	clients         map[string]bool // ids of clients this registration controls
	feMu            sync.Mutex      // serializes read-modify-writes of the functional-event state (functional.go)
}

func (r *Registry) newRegistration(sr store.Registration, sc *scope.Scope) *Registration {
	return &Registration{
		r: r, id: sr.ID, scope: sc, text: sr.ScopeText,
		updateViaCache:  orDefault(sr.UpdateViaCache, sw.UpdateViaCacheImports),
		typ:             orDefault(sr.Type, sw.WorkerClassic),
		lastUpdateCheck: sr.LastUpdateCheck,
		navPreload:      sr.NavigationPreload,
		clients:         map[string]bool{},
	}
}

// versionByID returns the registration's installing, waiting or active
// version with the id, or nil.
func (reg *Registration) versionByID(id int64) *Version {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	for _, v := range []*Version{reg.installing, reg.waiting, reg.active} {
		if v != nil && v.id == id {
			return v
		}
	}
	return nil
}

// DefaultNavigationPreloadHeader is the value of the
// Service-Worker-Navigation-Preload header until setHeaderValue changes
// it.
const DefaultNavigationPreloadHeader = "true"

// NavigationPreload returns the registration's navigation preload state.
func (reg *Registration) NavigationPreload() store.NavigationPreload {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	return reg.navPreload
}

// SetNavigationPreload changes the navigation preload state (enabled when
// enabled is not nil, the header value when header is not nil) and
// persists it. It fails with InvalidStateError when the registration has
// no active worker, as NavigationPreloadManager's methods do.
func (reg *Registration) SetNavigationPreload(ctx context.Context, enabled *bool, header *string) error {
	reg.navPreloadMu.Lock()
	defer reg.navPreloadMu.Unlock()
	reg.mu.Lock()
	if reg.active == nil {
		reg.mu.Unlock()
		return weberr.New(weberr.InvalidStateError, "the registration has no active worker")
	}
	np := reg.navPreload
	if enabled != nil {
		np.Enabled = *enabled
	}
	if header != nil {
		np.HeaderValue = *header
	}
	reg.mu.Unlock()
	if err := reg.r.opts.Store.SetNavigationPreload(ctx, reg.id, np); err != nil {
		return fmt.Errorf("registry: %w", err)
	}
	reg.mu.Lock()
	reg.navPreload = np
	reg.mu.Unlock()
	return nil
}

func orDefault[T ~string](v, def T) T {
	if v == "" {
		return def
	}
	return v
}

// ID returns the registration's store id.
func (reg *Registration) ID() int64 { return reg.id }

// Scope returns the registration's compiled scope.
func (reg *Registration) Scope() *scope.Scope { return reg.scope }

// ScopeText returns the scope as written: a legacy scope URL or the
// canonical JSON pattern.
func (reg *Registration) ScopeText() string { return reg.text }

// UpdateViaCache returns the registration's update via cache mode.
func (reg *Registration) UpdateViaCache() sw.UpdateViaCache {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	return reg.updateViaCache
}

// Type returns the registration's worker type.
func (reg *Registration) Type() sw.WorkerType {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	return reg.typ
}

// LastUpdateCheck returns when the scripts were last checked for updates.
func (reg *Registration) LastUpdateCheck() time.Time {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	return reg.lastUpdateCheck
}

// Installing returns the installing version, or nil.
func (reg *Registration) Installing() *Version {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	return reg.installing
}

// Waiting returns the waiting version, or nil.
func (reg *Registration) Waiting() *Version {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	return reg.waiting
}

// Active returns the active version, or nil.
func (reg *Registration) Active() *Version {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	return reg.active
}

// Uninstalling reports whether the registration was unregistered and
// waits for its last client to go.
func (reg *Registration) Uninstalling() bool {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	return reg.uninstalling
}

// newest returns the installing, else waiting, else active version.
func (reg *Registration) newest() *Version {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	switch {
	case reg.installing != nil:
		return reg.installing
	case reg.waiting != nil:
		return reg.waiting
	}
	return reg.active
}

// versions returns the registration's non-nil versions.
func (reg *Registration) versions() []*Version {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	var out []*Version
	for _, v := range []*Version{reg.installing, reg.waiting, reg.active} {
		if v != nil {
			out = append(out, v)
		}
	}
	return out
}

// Clients returns the ids of the clients the registration controls.
func (reg *Registration) Clients() []string {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	out := make([]string, 0, len(reg.clients))
	for id := range reg.clients {
		out = append(out, id)
	}
	return out
}

// AddClient records that the client id is controlled by the registration's
// active worker.
func (reg *Registration) AddClient(id string) {
	reg.mu.Lock()
	reg.clients[id] = true
	reg.mu.Unlock()
}

// RemoveClient records that the client id is gone or no longer controlled.
// When it was the last one, a waiting worker may activate, and an
// unregistered registration is cleared.
func (reg *Registration) RemoveClient(id string) {
	reg.mu.Lock()
	delete(reg.clients, id)
	last := len(reg.clients) == 0
	uninstalling := reg.uninstalling
	waiting := reg.waiting != nil
	reg.mu.Unlock()
	if !last || (!uninstalling && !waiting) {
		return // nothing waits for the last client to go
	}
	reg.r.background(func(ctx context.Context) {
		if uninstalling {
			reg.r.tryClear(ctx, reg)
			return
		}
		reg.r.tryActivate(ctx, reg)
	})
}

// Version is one service worker version (the spec's "service worker") of
// a registration.
type Version struct {
	reg       *Registration
	id        int64
	scriptURL string

	initMu sync.Mutex // held while the worker is built (compiling may call the loader, which takes mu)

	mu           sync.Mutex
	state        sw.State
	foreignFetch *store.ForeignFetch
	routes       routing.Rules // router rules added during install (Static Routing API)
	skipWaiting  bool
	scripts      map[string]store.Script // script resource map; nil until loaded
	script       *worker.Script
	w            *worker.Worker
	partitions   map[string]*worker.Worker // per top-level site, with Options.PartitionForeignFetch
	hasFetch     *bool
}

func (reg *Registration) newVersion(sv store.Version) *Version {
	v := &Version{reg: reg, id: sv.ID, scriptURL: sv.ScriptURL, state: orDefault(sv.State, sw.StateParsed), foreignFetch: sv.ForeignFetch}
	if sv.RouterRules != nil {
		if err := json.Unmarshal(sv.RouterRules, &v.routes); err != nil {
			// Rules this version cannot read are dropped: the worker's
			// fetch handler answers instead, as without rules.
			reg.r.log.Warn("ignoring stored router rules", "script", sv.ScriptURL, "version", sv.ID, "err", err)
			v.routes = nil
		}
	}
	return v
}

// ID returns the version's store id.
func (v *Version) ID() int64 { return v.id }

// ScriptURL returns the URL of the version's main script.
func (v *Version) ScriptURL() string { return v.scriptURL }

// Registration returns the version's registration.
func (v *Version) Registration() *Registration { return v.reg }

// State returns the version's state.
func (v *Version) State() sw.State {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.state
}

// ForeignFetch returns what the version registered with
// registerForeignFetch, or nil.
func (v *Version) ForeignFetch() *store.ForeignFetch {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.foreignFetch
}

// Routes returns the router rules the version added with addRoutes during
// its install (nil: none). They do not change once the version installed.
func (v *Version) Routes() routing.Rules {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.routes
}

// Running reports whether the version's worker is running (a router
// rule's runningStatus condition).
func (v *Version) Running() bool {
	v.mu.Lock()
	w := v.w
	v.mu.Unlock()
	return w != nil && w.Running()
}

// String returns "SCRIPT_URL (state)".
func (v *Version) String() string { return fmt.Sprintf("%s (%s)", v.scriptURL, v.State()) }

// eachRunningWorker calls f with the worker of each of the registration's
// installing, waiting and active versions that has one.
func (reg *Registration) eachRunningWorker(f func(*worker.Worker)) {
	reg.mu.Lock()
	versions := []*Version{reg.installing, reg.waiting, reg.active}
	reg.mu.Unlock()
	seen := map[*Version]bool{}
	for _, o := range versions {
		if o == nil || seen[o] {
			continue
		}
		seen[o] = true
		o.mu.Lock()
		w := o.w
		o.mu.Unlock()
		if w != nil {
			f(w)
		}
	}
}

func (v *Version) setState(s sw.State) {
	v.mu.Lock()
	v.state = s
	v.mu.Unlock()
	v.reg.r.emit(Event{Type: "state", Scope: v.reg.text, ScriptURL: v.scriptURL, VersionID: v.id, State: s})
	// Update Worker State: every running worker of the registration that
	// has a ServiceWorker object for v fires statechange there (v's own
	// too, when it just left the registration's slots).
	notified := false
	v.reg.eachRunningWorker(func(w *worker.Worker) {
		notified = notified || w == v.runningWorker()
		w.NotifyServiceWorkerState(v.id)
	})
	if w := v.runningWorker(); w != nil && !notified {
		w.NotifyServiceWorkerState(v.id)
	}
}

// runningWorker returns v's worker, nil when it has none.
func (v *Version) runningWorker() *worker.Worker {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.w
}

// Worker returns the version's worker, compiling its script from the
// stored script resources the first time. The worker itself starts on its
// first event.
func (v *Version) Worker(ctx context.Context) (*worker.Worker, error) {
	v.initMu.Lock()
	defer v.initMu.Unlock()
	v.mu.Lock()
	state, w, script := v.state, v.w, v.script
	err := v.loadScriptsLocked(ctx)
	main, ok := v.scripts[v.scriptURL]
	v.mu.Unlock()
	switch {
	case state == sw.StateRedundant:
		return nil, weberr.New(weberr.InvalidStateError, "the service worker is redundant")
	case w != nil:
		return w, nil
	case err != nil:
		return nil, err
	}
	if script == nil {
		if !ok {
			return nil, fmt.Errorf("registry: version %d has no stored main script %s", v.id, v.scriptURL)
		}
		s, err := worker.CompileScript(ctx, v.scriptURL, v.reg.Type(), main.Body, v.loader(), v.reg.r.opts.Limits.MaxScriptBytes)
		if err != nil {
			return nil, err
		}
		script = s
	}
	w = worker.New(script, v.reg.r.workerOptions(v))
	v.mu.Lock()
	v.script, v.w = script, w
	v.mu.Unlock()
	return w, nil
}

// HasFetchHandler reports whether the version's worker listens for fetch
// events, starting the worker to find out the first time.
func (v *Version) HasFetchHandler(ctx context.Context) (bool, error) {
	v.mu.Lock()
	known := v.hasFetch
	v.mu.Unlock()
	if known != nil {
		return *known, nil
	}
	w, err := v.Worker(ctx)
	if err != nil {
		return false, err
	}
	has, err := w.HasListeners(ctx, "fetch")
	if err != nil {
		return false, err
	}
	v.mu.Lock()
	v.hasFetch = &has
	v.mu.Unlock()
	return has, nil
}

// loadScriptsLocked reads the version's script resources from the store
// when they are not in memory yet.
func (v *Version) loadScriptsLocked(ctx context.Context) error {
	if v.scripts != nil {
		return nil
	}
	list, err := v.reg.r.opts.Store.Scripts(ctx, v.id)
	if err != nil {
		return fmt.Errorf("registry: loading scripts of %s: %w", v.scriptURL, err)
	}
	v.scripts = make(map[string]store.Script, len(list))
	for _, s := range list {
		v.scripts[s.URL] = s
	}
	return nil
}

// close stops the version's worker for good.
func (v *Version) close() {
	for _, w := range v.workers() {
		w.Close()
	}
}

// closeWhenIdle closes the version's workers for new events and stops
// each once its events in flight are answered, or after grace.
func (v *Version) closeWhenIdle(grace time.Duration) {
	for _, w := range v.workers() {
		w.CloseWhenIdle(grace)
	}
}

// workers returns the version's workers that exist (main and partitions).
func (v *Version) workers() []*worker.Worker {
	v.mu.Lock()
	defer v.mu.Unlock()
	var ws []*worker.Worker
	if v.w != nil {
		ws = append(ws, v.w)
	}
	for _, w := range v.partitions {
		if w != nil {
			ws = append(ws, w)
		}
	}
	return ws
}

// StopWorker stops the version's running worker (and partitioned
// instances); the next event starts it again, with fresh globals.
func (v *Version) StopWorker() {
	for _, w := range v.workers() {
		w.Stop()
	}
}

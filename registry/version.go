package registry

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/swhost/swhost/scope"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// versionLoader serves a version's scripts: from its script resource map,
// or, while the version is parsed or installing, from the network (and
// then records them, as the spec's importScripts does during install).
type versionLoader struct{ v *Version }

func (v *Version) loader() worker.Loader { return versionLoader{v} }

// Load returns the bytes of the script at url.
func (l versionLoader) Load(ctx context.Context, url string) ([]byte, error) {
	v := l.v
	v.mu.Lock()
	if err := v.loadScriptsLocked(ctx); err != nil {
		v.mu.Unlock()
		return nil, err
	}
	s, ok := v.scripts[url]
	state := v.state
	v.mu.Unlock()
	if ok {
		return s.Body, nil
	}
	if state != sw.StateParsed && state != sw.StateInstalling {
		return nil, weberr.Errorf(weberr.NetworkError, "%s was not imported during install, so it is not stored with the service worker", url)
	}
	s, _, err := v.reg.r.fetchScript(ctx, v.reg, url, false, false)
	if err != nil {
		return nil, err
	}
	v.mu.Lock()
	v.scripts[url] = s
	id := v.id
	v.mu.Unlock()
	if id != 0 {
		if err := v.reg.r.opts.Store.PutScripts(ctx, id, s); err != nil {
			return nil, fmt.Errorf("registry: storing imported script %s: %w", url, err)
		}
	}
	return s.Body, nil
}

// scriptList returns the version's scripts, main script first.
func (v *Version) scriptList() []store.Script {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := []store.Script{v.scripts[v.scriptURL]}
	for u, s := range v.scripts {
		if u != v.scriptURL {
			out = append(out, s)
		}
	}
	return out
}

// workerOptions builds the options of v's worker.
func (r *Registry) workerOptions(v *Version) worker.Options {
	env := r.environment()
	reg := v.reg
	wr := worker.Registration{UpdateViaCache: string(reg.UpdateViaCache()), Self: worker.ServiceWorkerRef{ID: v.id, ScriptURL: v.scriptURL}}
	if reg.scope.IsLegacy() {
		wr.Scope = reg.scope.String()
	} else {
		wr.Scope = reg.scope.Prefix()
		wr.ScopePattern = jsonValue(reg.scope.Pattern())
	}
	// The worker's caches are its origin's persistent Cache Storage.
	caches, err := r.caches.For(reg.scope.Origin())
	if err != nil {
		r.log.Error("no Cache Storage for the worker's origin; it gets a private in-memory one", "script", v.scriptURL, "err", err)
	}
	opts := worker.Options{
		Caches:       caches,
		IndexedDB:    r.idb,
		Loader:       v.loader(),
		Fetcher:      r.opts.Network,
		WebSockets:   r.opts.WebSockets,
		Registration: wr,
		Limits:       r.opts.Limits,
		Logger:       r.log,
		Clock:        r.opts.Clock,
		Hooks: worker.Hooks{
			RegisterForeignFetch: func(ff worker.ForeignFetchRegistration) error { return checkForeignFetch(reg.scope, ff) },
			SkipWaiting: func(context.Context) error {
				v.mu.Lock()
				v.skipWaiting = true
				v.mu.Unlock()
				if reg.Waiting() == v {
					r.background(func(ctx context.Context) { r.tryActivate(ctx, reg) })
				}
				return nil
			},
			// Jobs a worker starts (update(), unregister()) belong to the
			// registration: they run to the end even when they stop the
			// worker that asked (a new version that skips waiting retires
			// it), so they do not inherit its cancellation.
			ServiceWorker: func(slot string) (worker.ServiceWorkerRef, bool) {
				var sv *Version
				switch slot {
				case "installing":
					sv = reg.Installing()
				case "waiting":
					sv = reg.Waiting()
				case "active":
					sv = reg.Active()
				}
				if sv == nil {
					return worker.ServiceWorkerRef{}, false
				}
				return worker.ServiceWorkerRef{ID: sv.id, ScriptURL: sv.scriptURL}, true
			},
			ServiceWorkerState: func(id int64) string {
				if sv := reg.versionByID(id); sv != nil {
					return string(sv.State())
				}
				return string(sw.StateRedundant)
			},
			PostToServiceWorker: func(id int64, msg worker.Message, from worker.ServiceWorkerRef) error {
				sv := reg.versionByID(id)
				if sv == nil {
					return weberr.New(weberr.InvalidStateError, "the service worker is redundant")
				}
				r.background(func(ctx context.Context) {
					w, err := sv.Worker(ctx)
					if err == nil {
						err = w.DispatchServiceWorkerMessage(ctx, msg, from)
					}
					if err != nil {
						r.log.Warn("ServiceWorker.postMessage was not delivered", "script", sv.scriptURL, "err", err)
					}
				})
				return nil
			},
			NavigationPreload: func(context.Context) (bool, string, error) {
				np := reg.NavigationPreload()
				return np.Enabled, np.HeaderValue, nil
			},
			SetNavigationPreload: reg.SetNavigationPreload,
			Push:                 reg.Push(),
			Sync:                 reg.Sync(),
			Notifications:        reg.Notifications(),
			Update: func(ctx context.Context) error {
				ctx, done, err := r.detachJob(ctx)
				if err != nil {
					return err
				}
				defer done()
				return r.Update(ctx, reg)
			},
			Unregister: func(ctx context.Context) (bool, error) {
				if reg.Uninstalling() {
					return false, nil
				}
				ctx, done, err := r.detachJob(ctx)
				if err != nil {
					return false, err
				}
				defer done()
				return true, r.Unregister(ctx, reg)
			},
		},
	}
	if r.opts.Console != nil {
		script := v.scriptURL
		opts.Console = func(level, msg string) { r.opts.Console(script, level, msg) }
	}
	if env.Fetcher != nil {
		opts.Fetcher = env.Fetcher(reg)
	}
	if env.Clients != nil {
		opts.Clients = env.Clients(reg)
	}
	if env.Online != nil {
		opts.Hooks.Online = func() bool { return env.Online(reg) }
	}
	if env.OpenWindow != nil {
		opts.Hooks.OpenWindow = func(ctx context.Context, url string) (worker.Client, error) { return env.OpenWindow(ctx, reg, url) }
	}
	if env.Hooks != nil {
		h := env.Hooks(v)
		if h.CrossOriginClients != nil {
			opts.Hooks.CrossOriginClients = h.CrossOriginClients
		}
		if h.CrossOriginPostMessage != nil {
			opts.Hooks.CrossOriginPostMessage = h.CrossOriginPostMessage
		}
		if h.RegisterForeignFetch != nil {
			opts.Hooks.RegisterForeignFetch = h.RegisterForeignFetch
		}
	}
	return opts
}

// jobTimeout bounds a job a worker started once it is detached from the
// worker's context.
const jobTimeout = 2 * time.Minute

// detachJob returns a context for a job started from a worker: it keeps
// ctx's values but not its cancellation, and ends after jobTimeout. The
// job counts as background work, so Close waits for it; done must be
// called when it ends. After Close it fails with InvalidStateError.
func (r *Registry) detachJob(ctx context.Context) (context.Context, func(), error) {
	if !r.addBackground() {
		return nil, nil, weberr.New(weberr.InvalidStateError, "the registry is closed")
	}
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), jobTimeout)
	return c, func() { cancel(); r.wg.Done() }, nil
}

// checkForeignFetch validates registerForeignFetch({scopes, origins}):
// every scope lies within the registration's scope, and origins is ["*"]
// or a list of absolute origins.
func checkForeignFetch(reg *scope.Scope, ff worker.ForeignFetchRegistration) error {
	if len(ff.Scopes) == 0 {
		return weberr.New(weberr.TypeError, "registerForeignFetch: scopes must not be empty")
	}
	for _, s := range ff.Scopes {
		if _, ok := reg.MatchString(s); !ok {
			return weberr.Errorf(weberr.TypeError, "registerForeignFetch: scope %s is not within the registration's scope %s", s, reg)
		}
	}
	if len(ff.Origins) == 0 {
		return weberr.New(weberr.TypeError, "registerForeignFetch: origins must not be empty (use [\"*\"] for any origin)")
	}
	for _, o := range ff.Origins {
		if o == "*" {
			if len(ff.Origins) != 1 {
				return weberr.New(weberr.TypeError, "registerForeignFetch: \"*\" must be the only origin")
			}
			continue
		}
		if !isSerializedOrigin(o) {
			return weberr.Errorf(weberr.TypeError, "registerForeignFetch: %q is not an absolute origin (scheme://host[:port])", o)
		}
	}
	return nil
}

func isSerializedOrigin(o string) bool {
	scheme, rest, ok := strings.Cut(o, "://")
	return ok && (scheme == "https" || scheme == "http") && rest != "" && !strings.ContainsAny(rest, "/?#@")
}

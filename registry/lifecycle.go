package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/trustworthy"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/scope"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// RegisterRequest is a call to navigator.serviceWorker.register().
type RegisterRequest struct {
	// ClientURL is the URL of the registering client (page); its origin
	// must be the script's and the scope's.
	ClientURL string
	// ScriptURL is the worker script, absolute or relative to ClientURL.
	ScriptURL string
	// Scope is a legacy scope (absolute or relative to ClientURL), a JSON
	// scope pattern, or a JSON URLPatternInit; "" means "./" relative to
	// the script.
	Scope string
	// Type is the worker type; "" means classic.
	Type sw.WorkerType
	// UpdateViaCache is the update via cache mode; "" means imports.
	UpdateViaCache sw.UpdateViaCache
}

// resolved is a RegisterRequest checked and resolved against its client
// URL.
type resolved struct {
	scope     *scope.Scope
	scriptURL string
	typ       sw.WorkerType
	uvc       sw.UpdateViaCache
}

// resolve runs the checks of Start Register on req: URLs, schemes,
// secure context, same origin, enumerations.
func (r *Registry) resolve(req RegisterRequest) (*resolved, error) {
	client, err := weburl.Parse(req.ClientURL)
	if err != nil {
		return nil, weberr.Errorf(weberr.TypeError, "invalid client URL %q", req.ClientURL)
	}
	script, err := weburl.ParseRef(client, req.ScriptURL)
	if err != nil {
		return nil, weberr.Errorf(weberr.TypeError, "invalid script URL %q", req.ScriptURL)
	}
	if sc := script.Scheme(); sc != "http" && sc != "https" {
		return nil, weberr.Errorf(weberr.TypeError, "script URL %s: the scheme must be http or https", script.Href())
	}
	if hasEncodedSlash(script.Pathname()) {
		return nil, weberr.Errorf(weberr.TypeError, "script URL %s contains an encoded slash or backslash (%%2f or %%5c)", script.Href())
	}
	var sc *scope.Scope
	if req.Scope == "" {
		sc, err = scope.ParseLegacy("./", script.Href())
	} else {
		sc, err = scope.Parse(req.Scope, client.Href())
	}
	if err != nil {
		return nil, err
	}
	origin := client.Origin()
	if !trustworthy.Origin(origin) {
		return nil, weberr.Errorf(weberr.SecurityError, "the client origin %s is not a secure context (https, or http on 127.0.0.0/8, [::1] or a localhost name)", origin)
	}
	if script.Origin() != origin {
		return nil, weberr.Errorf(weberr.SecurityError, "the script URL %s is not same-origin with the client %s", script.Href(), origin)
	}
	if sc.Origin() != origin {
		return nil, weberr.Errorf(weberr.SecurityError, "the scope %s is not same-origin with the client %s", sc, origin)
	}
	typ := orDefault(req.Type, sw.WorkerClassic)
	if typ != sw.WorkerClassic && typ != sw.WorkerModule {
		return nil, weberr.Errorf(weberr.TypeError, "invalid worker type %q (classic or module)", req.Type)
	}
	uvc := orDefault(req.UpdateViaCache, sw.UpdateViaCacheImports)
	if uvc != sw.UpdateViaCacheImports && uvc != sw.UpdateViaCacheAll && uvc != sw.UpdateViaCacheNone {
		return nil, weberr.Errorf(weberr.TypeError, "invalid updateViaCache %q (imports, all or none)", req.UpdateViaCache)
	}
	return &resolved{scope: sc, scriptURL: stripFragment(script.Href()), typ: typ, uvc: uvc}, nil
}

// Registered reports whether Register(req) would change nothing: req is
// valid and its scope already has a registration whose newest version
// runs req's script with req's type and updateViaCache mode. Callers
// that register on every response (Link headers) use it to skip the
// repeats.
func (r *Registry) Registered(req RegisterRequest) bool {
	rr, err := r.resolve(req)
	if err != nil {
		return false
	}
	reg, _ := r.index.Get(rr.scope.Key())
	if reg == nil {
		return false
	}
	newest := reg.newest()
	return newest != nil && newest.scriptURL == rr.scriptURL && reg.UpdateViaCache() == rr.uvc && reg.Type() == rr.typ
}

// InstallError reports that a new version's install event failed. The
// previous versions of the registration, if any, stay in place.
type InstallError struct {
	ScriptURL string
	Err       error // the JavaScript exception (a *worker.JSError) or the cause
}

// Error describes the failure.
func (e *InstallError) Error() string {
	return fmt.Sprintf("install of %s failed: %v", e.ScriptURL, e.Err)
}

// Unwrap returns the cause.
func (e *InstallError) Unwrap() error { return e.Err }

// ScriptNetworkError reports that a worker script could not be fetched
// (a network error, not a bad response). It is a TypeError on the web
// platform; the CLI exits 1 for it, as for any network error.
type ScriptNetworkError struct {
	URL    string
	Reason string
}

// Error describes the failure.
func (e *ScriptNetworkError) Error() string {
	return "TypeError: failed to fetch the script " + e.URL + ": " + e.Reason
}

// ExceptionName returns "TypeError".
func (e *ScriptNetworkError) ExceptionName() string { return weberr.TypeError }

// Register runs the spec's Start Register and Register algorithms, then
// Update, Install and (when nothing holds it back) Activate, and returns
// the registration. Invalid input fails with TypeError or SecurityError;
// a failed install returns the registration (nil if it had no other
// version) and an *InstallError.
func (r *Registry) Register(ctx context.Context, req RegisterRequest) (*Registration, error) {
	rr, err := r.resolve(req)
	if err != nil {
		return nil, err
	}
	sc, scriptURL, typ, uvc := rr.scope, rr.scriptURL, rr.typ, rr.uvc

	unlock, err := r.lockJob(ctx, sc.Key())
	if err != nil {
		return nil, err
	}
	defer unlock()
	reg, _ := r.index.Get(sc.Key())
	if reg != nil {
		if newest := reg.newest(); newest != nil && newest.scriptURL == scriptURL && reg.UpdateViaCache() == uvc && reg.Type() == typ {
			return reg, nil
		}
		reg.mu.Lock()
		reg.updateViaCache, reg.typ = uvc, typ
		reg.mu.Unlock()
		if err := r.saveRegistration(ctx, reg); err != nil {
			return nil, err
		}
	} else {
		if err := r.reserve(sc.Origin()); err != nil {
			return nil, err
		}
		sr := &store.Registration{ScopeKey: sc.Key(), ScopeText: sc.String(), Origin: sc.Origin(), UpdateViaCache: uvc, Type: typ,
			NavigationPreload: store.NavigationPreload{HeaderValue: DefaultNavigationPreloadHeader}}
		if err := r.opts.Store.CreateRegistration(ctx, sr, nil, nil); err != nil {
			r.release(sc.Origin())
			return nil, fmt.Errorf("registry: storing registration %s: %w", sc, err)
		}
		reg = r.newRegistration(*sr, sc)
		if err := r.index.Add(sc, reg); err != nil {
			r.release(sc.Origin())
			_ = r.opts.Store.DeleteRegistration(ctx, sr.ID)
			return nil, err
		}
		r.mu.Lock()
		r.byID[reg.id] = reg
		r.mu.Unlock()
		r.emit(Event{Type: "register", Scope: reg.text, ScriptURL: scriptURL})
	}
	if err := r.update(ctx, reg, scriptURL, false); err != nil {
		if reg.newest() == nil {
			// A registration that never got a version is cleared.
			r.clear(ctx, reg)
			return nil, err
		}
		return reg, err
	}
	return reg, nil
}

// Update runs the spec's Update for reg (registration.update()): it
// fetches the newest version's script, and installs a new version when the
// script or any of its imported scripts changed byte for byte.
func (r *Registry) Update(ctx context.Context, reg *Registration) error {
	return r.updateJob(ctx, reg, false)
}

// updateJob runs Update as a job; forceBypass is the spec's force bypass
// cache flag, which soft updates set.
func (r *Registry) updateJob(ctx context.Context, reg *Registration, forceBypass bool) error {
	unlock, err := r.lockJob(ctx, reg.scope.Key())
	if err != nil {
		return err
	}
	defer unlock()
	if reg.Uninstalling() {
		return weberr.New(weberr.InvalidStateError, "the registration was unregistered")
	}
	if forceBypass && r.coord != nil {
		// A soft update that another node of the fleet ran meanwhile is
		// not repeated: the job lock brought its last update check here.
		if last := reg.LastUpdateCheck(); !last.IsZero() && r.opts.Now().Sub(last) <= StaleAfter {
			return nil
		}
	}
	newest := reg.newest()
	if newest == nil {
		return weberr.New(weberr.InvalidStateError, "the registration has no service worker to update")
	}
	return r.update(ctx, reg, newest.scriptURL, forceBypass)
}

// SoftUpdate starts a background update of reg when its last update check
// is older than StaleAfter, as a navigation to its scope does.
func (r *Registry) SoftUpdate(reg *Registration) {
	if last := reg.LastUpdateCheck(); !last.IsZero() && r.opts.Now().Sub(last) <= StaleAfter {
		return
	}
	r.background(func(ctx context.Context) {
		if err := r.updateJob(ctx, reg, true); err != nil {
			r.log.Info("soft update failed", "scope", reg.text, "err", err)
		}
	})
}

// update is the spec's Update algorithm; the caller holds reg's job lock.
func (r *Registry) update(ctx context.Context, reg *Registration, scriptURL string, forceBypass bool) error {
	newest := reg.newest()
	stale := newest != nil && r.opts.Now().Sub(reg.LastUpdateCheck()) > StaleAfter
	bypass := forceBypass || stale
	main, maxScope, err := r.fetchScript(ctx, reg, scriptURL, true, bypass)
	if err != nil {
		return err
	}
	if err := checkScriptPath(reg.scope, maxScope); err != nil {
		return err
	}
	reg.mu.Lock()
	reg.lastUpdateCheck = r.opts.Now()
	reg.mu.Unlock()
	if err := r.saveRegistration(ctx, reg); err != nil {
		return err
	}

	if newest != nil && newest.scriptURL == scriptURL {
		same, err := r.sameScripts(ctx, reg, newest, main, bypass)
		if err != nil {
			return err
		}
		if same {
			r.emit(Event{Type: "update", Scope: reg.text, ScriptURL: scriptURL, VersionID: newest.id, Err: "no change"})
			return nil
		}
	}

	v := &Version{reg: reg, scriptURL: scriptURL, state: sw.StateParsed, scripts: map[string]store.Script{scriptURL: main}}
	s, err := worker.CompileScript(ctx, scriptURL, reg.Type(), main.Body, v.loader(), r.opts.Limits.MaxScriptBytes)
	if err != nil {
		return weberr.Errorf(weberr.TypeError, "evaluating %s: %v", scriptURL, err)
	}
	v.script = s
	sv := &store.Version{RegistrationID: reg.id, ScriptURL: scriptURL, State: sw.StateParsed}
	if err := r.opts.Store.AddVersion(ctx, sv, v.scriptList()); err != nil {
		return fmt.Errorf("registry: storing version of %s: %w", scriptURL, err)
	}
	v.mu.Lock()
	v.id = sv.ID
	v.mu.Unlock()
	return r.install(ctx, reg, v)
}

// sameScripts reports whether main and the newest version's imported
// scripts, fetched again, are byte for byte what newest has.
func (r *Registry) sameScripts(ctx context.Context, reg *Registration, newest *Version, main store.Script, bypass bool) (bool, error) {
	newest.mu.Lock()
	err := newest.loadScriptsLocked(ctx)
	stored := make(map[string]store.Script, len(newest.scripts))
	for k, s := range newest.scripts {
		stored[k] = s
	}
	newest.mu.Unlock()
	if err != nil {
		return false, err
	}
	if old, ok := stored[newest.scriptURL]; !ok || !bytes.Equal(old.Body, main.Body) {
		return false, nil
	}
	for u, old := range stored {
		if u == newest.scriptURL {
			continue
		}
		cur, _, err := r.fetchScript(ctx, reg, u, false, bypass)
		if err != nil || !bytes.Equal(cur.Body, old.Body) {
			return false, nil
		}
	}
	return true, nil
}

// install is the spec's Install; the caller holds the job lock.
func (r *Registry) install(ctx context.Context, reg *Registration, v *Version) error {
	reg.mu.Lock()
	prev := reg.installing
	reg.installing = v
	reg.mu.Unlock()
	changes := []store.StateChange{{VersionID: v.id, State: sw.StateInstalling, Slot: store.SlotInstalling}}
	if prev != nil {
		changes = append(changes, store.StateChange{VersionID: prev.id, State: sw.StateRedundant, Slot: store.SlotNone})
	}
	if err := r.opts.Store.SetVersionStates(ctx, changes...); err != nil {
		return fmt.Errorf("registry: %w", err)
	}
	if prev != nil {
		r.retire(ctx, prev)
	}
	v.setState(sw.StateInstalling)
	// Install step: updatefound at the registration objects of the
	// registration's running workers.
	ref := worker.ServiceWorkerRef{ID: v.id, ScriptURL: v.scriptURL}
	reg.eachRunningWorker(func(w *worker.Worker) { w.NotifyUpdateFound(ref) })

	res, err := r.dispatchInstall(ctx, v)
	if err != nil {
		reg.mu.Lock()
		reg.installing = nil
		reg.mu.Unlock()
		r.retire(ctx, v)
		r.log.Warn("install failed", "script", v.scriptURL, "err", err)
		r.emit(Event{Type: "install-error", Scope: reg.text, ScriptURL: v.scriptURL, VersionID: v.id, Err: err.Error()})
		return &InstallError{ScriptURL: v.scriptURL, Err: err}
	}
	if res.ForeignFetch != nil {
		ff := &store.ForeignFetch{Scopes: res.ForeignFetch.Scopes, Origins: res.ForeignFetch.Origins}
		if err := r.opts.Store.SetForeignFetch(ctx, v.id, ff); err != nil {
			return fmt.Errorf("registry: %w", err)
		}
		v.mu.Lock()
		v.foreignFetch = ff
		v.mu.Unlock()
	}
	if len(res.Routes) > 0 {
		b, err := json.Marshal(res.Routes)
		if err != nil {
			return fmt.Errorf("registry: router rules: %w", err)
		}
		if err := r.opts.Store.SetRouterRules(ctx, v.id, b); err != nil {
			return fmt.Errorf("registry: %w", err)
		}
		v.mu.Lock()
		v.routes = res.Routes
		v.mu.Unlock()
	}
	v.mu.Lock()
	v.skipWaiting = v.skipWaiting || res.SkipWaiting
	v.mu.Unlock()

	reg.mu.Lock()
	oldWaiting := reg.waiting
	reg.waiting, reg.installing = v, nil
	reg.mu.Unlock()
	changes = []store.StateChange{{VersionID: v.id, State: sw.StateInstalled, Slot: store.SlotWaiting}}
	if oldWaiting != nil {
		changes = append(changes, store.StateChange{VersionID: oldWaiting.id, State: sw.StateRedundant, Slot: store.SlotNone})
	}
	if err := r.opts.Store.SetVersionStates(ctx, changes...); err != nil {
		return fmt.Errorf("registry: %w", err)
	}
	if oldWaiting != nil {
		r.retire(ctx, oldWaiting)
	}
	v.setState(sw.StateInstalled)
	r.tryActivateLocked(ctx, reg)
	return nil
}

func (r *Registry) dispatchInstall(ctx context.Context, v *Version) (worker.InstallResult, error) {
	w, err := v.Worker(ctx)
	if err != nil {
		return worker.InstallResult{}, err
	}
	return w.DispatchInstall(ctx)
}

// tryActivate is Try Activate for callers outside a job.
func (r *Registry) tryActivate(ctx context.Context, reg *Registration) {
	unlock, err := r.lockJob(ctx, reg.scope.Key())
	if err != nil {
		r.log.Warn("activating a waiting worker", "scope", reg.text, "err", err)
		return
	}
	defer unlock()
	r.tryActivateLocked(ctx, reg)
}

// tryActivateLocked activates the waiting worker when there is no active
// worker, the active worker controls no client (on any node of a fleet:
// see othersHoldActive), or the waiting worker called skipWaiting().
func (r *Registry) tryActivateLocked(ctx context.Context, reg *Registration) {
	reg.mu.Lock()
	w, a := reg.waiting, reg.active
	idle := a == nil || len(reg.clients) == 0
	reg.mu.Unlock()
	if w == nil {
		return
	}
	w.mu.Lock()
	skip := w.skipWaiting
	w.mu.Unlock()
	if skip || (idle && (a == nil || !r.othersHoldActive(ctx, reg))) {
		r.activate(ctx, reg)
	}
}

// activate is the spec's Activate; the caller holds the job lock.
func (r *Registry) activate(ctx context.Context, reg *Registration) {
	reg.mu.Lock()
	v, old := reg.waiting, reg.active
	if v == nil {
		reg.mu.Unlock()
		return
	}
	reg.active, reg.waiting = v, nil
	reg.mu.Unlock()
	changes := []store.StateChange{{VersionID: v.id, State: sw.StateActivating, Slot: store.SlotActive}}
	if old != nil {
		changes = append(changes, store.StateChange{VersionID: old.id, State: sw.StateRedundant, Slot: store.SlotNone})
	}
	if err := r.opts.Store.SetVersionStates(ctx, changes...); err != nil {
		r.log.Error("storing activation", "script", v.scriptURL, "err", err)
	}
	if old != nil {
		r.retire(ctx, old)
	}
	r.ffAdd(v)
	v.setState(sw.StateActivating)
	if w, err := v.Worker(ctx); err != nil {
		r.log.Warn("activate: starting worker", "script", v.scriptURL, "err", err)
	} else if err := w.DispatchActivate(ctx); err != nil {
		// A failed activate event does not stop activation (the spec's
		// Activate ignores it), but it is worth a log line.
		r.log.Warn("activate event failed", "script", v.scriptURL, "err", err)
	}
	if err := r.opts.Store.SetVersionStates(ctx, store.StateChange{VersionID: v.id, State: sw.StateActivated, Slot: store.SlotActive}); err != nil {
		r.log.Error("storing activation", "script", v.scriptURL, "err", err)
	}
	v.setState(sw.StateActivated)
}

// retire makes v redundant: its worker takes no new events and stops once
// the ones in flight are answered (within Options.RetireGrace), and the
// store forgets it.
func (r *Registry) retire(ctx context.Context, v *Version) {
	r.retireLocal(v)
	if v.id != 0 {
		if err := r.opts.Store.DeleteVersion(ctx, v.id); err != nil && !errors.Is(err, store.ErrNotFound) {
			r.log.Warn("deleting redundant version", "script", v.scriptURL, "err", err)
		}
	}
}

// retireLocal makes v redundant on this node only: its worker takes no
// new events and stops once the ones in flight are answered; the store is
// left alone (another node of the fleet retired v there).
func (r *Registry) retireLocal(v *Version) {
	r.ffRemove(v)
	v.setState(sw.StateRedundant)
	v.closeWhenIdle(r.opts.RetireGrace)
}

// SkipWaiting makes reg's waiting worker skip waiting, as the worker's
// skipWaiting() does, and activates it.
func (r *Registry) SkipWaiting(ctx context.Context, reg *Registration) error {
	v := reg.Waiting()
	if v == nil {
		return weberr.New(weberr.InvalidStateError, "the registration has no waiting worker")
	}
	v.mu.Lock()
	v.skipWaiting = true
	v.mu.Unlock()
	r.tryActivate(ctx, reg)
	return nil
}

// Unregister runs the spec's Unregister: the registration stops matching
// URLs at once and is forgotten by the store; its versions stop when no
// client is controlled by it any more.
func (r *Registry) Unregister(ctx context.Context, reg *Registration) error {
	unlock, err := r.lockJob(ctx, reg.scope.Key())
	if err != nil {
		return err
	}
	defer unlock()
	reg.mu.Lock()
	if reg.uninstalling {
		reg.mu.Unlock()
		return nil
	}
	reg.uninstalling = true
	idle := len(reg.clients) == 0
	reg.mu.Unlock()
	if cur, ok := r.index.Get(reg.scope.Key()); ok && cur == reg {
		r.index.Remove(reg.scope)
	}
	if err := r.opts.Store.DeleteRegistration(ctx, reg.id); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("registry: %w", err)
	}
	// The registration's push subscription ends with it, and its sync
	// tags and notifications go.
	r.dropFunctional(ctx, reg.id)
	r.emit(Event{Type: "unregister", Scope: reg.text})
	if idle {
		r.clear(ctx, reg)
	}
	return nil
}

// tryClear clears an unregistered registration whose last client is gone.
func (r *Registry) tryClear(ctx context.Context, reg *Registration) {
	unlock, err := r.lockJob(ctx, reg.scope.Key())
	if err != nil {
		r.log.Warn("clearing an unregistered registration", "scope", reg.text, "err", err)
		return
	}
	defer unlock()
	reg.mu.Lock()
	ok := reg.uninstalling && len(reg.clients) == 0
	reg.mu.Unlock()
	if ok {
		r.clear(ctx, reg)
	}
}

// clear is the spec's Clear Registration: every version becomes
// redundant and the registration is forgotten.
func (r *Registry) clear(ctx context.Context, reg *Registration) {
	for _, v := range r.clearLocal(reg) {
		if v.id == 0 {
			continue
		}
		if err := r.opts.Store.DeleteVersion(ctx, v.id); err != nil && !errors.Is(err, store.ErrNotFound) {
			r.log.Warn("deleting redundant version", "script", v.scriptURL, "err", err)
		}
	}
	if err := r.opts.Store.DeleteRegistration(ctx, reg.id); err != nil && !errors.Is(err, store.ErrNotFound) {
		r.log.Warn("deleting registration", "scope", reg.text, "err", err)
	}
	r.dropFunctional(ctx, reg.id)
}

// clearLocal is Clear Registration on this node only (another node of
// the fleet cleared reg in the store): every version becomes redundant
// here and reg is forgotten. It returns the versions it retired.
func (r *Registry) clearLocal(reg *Registration) []*Version {
	reg.mu.Lock()
	var vs []*Version
	for _, v := range []*Version{reg.installing, reg.waiting, reg.active} {
		if v != nil {
			vs = append(vs, v)
		}
	}
	reg.installing, reg.waiting, reg.active = nil, nil, nil
	reg.uninstalling = true
	reg.mu.Unlock()
	for _, v := range vs {
		r.retireLocal(v)
	}
	if cur, ok := r.index.Get(reg.scope.Key()); ok && cur == reg {
		r.index.Remove(reg.scope)
	}
	r.mu.Lock()
	if _, ok := r.byID[reg.id]; ok {
		delete(r.byID, reg.id)
		r.perOrigin[reg.scope.Origin()]--
		if r.perOrigin[reg.scope.Origin()] <= 0 {
			delete(r.perOrigin, reg.scope.Origin())
		}
	}
	r.mu.Unlock()
	return vs
}

func (r *Registry) saveRegistration(ctx context.Context, reg *Registration) error {
	reg.mu.Lock()
	sr := store.Registration{ID: reg.id, UpdateViaCache: reg.updateViaCache, Type: reg.typ, LastUpdateCheck: reg.lastUpdateCheck}
	reg.mu.Unlock()
	if err := r.opts.Store.UpdateRegistration(ctx, sr); err != nil {
		return fmt.Errorf("registry: storing registration %s: %w", reg.text, err)
	}
	return nil
}

// fetchScript fetches a worker script (main or imported) and applies the
// spec's checks. For the main script it also returns the maximum scope
// path the script may control (from its URL or Service-Worker-Allowed).
func (r *Registry) fetchScript(ctx context.Context, reg *Registration, rawURL string, main, bypass bool) (store.Script, string, error) {
	req := &fetch.Request{
		URL:         rawURL,
		Header:      http.Header{"Service-Worker": {"script"}, "Accept": {"*/*"}},
		Destination: "serviceworker",
		Mode:        fetch.ModeSameOrigin,
		Credentials: fetch.CredentialsSameOrigin,
		// The spec fetches with redirect mode "error"; "manual" fails the
		// same way but tells a redirect (bad input) apart from a network
		// error (an unreachable server).
		Redirect: fetch.RedirectManual,
		Cache:    fetch.CacheDefault,
	}
	uvc := reg.UpdateViaCache()
	if bypass || uvc == sw.UpdateViaCacheNone || (main && uvc != sw.UpdateViaCacheAll) {
		req.Cache = fetch.CacheNoCache
	}
	if !main {
		req.Header.Del("Service-Worker")
		req.Destination = "script"
	}
	resp, err := r.opts.Network.Fetch(ctx, req)
	if err != nil {
		return store.Script{}, "", err
	}
	defer resp.CloseBody()
	if resp.IsNetworkError() {
		return store.Script{}, "", &ScriptNetworkError{URL: rawURL, Reason: resp.Error}
	}
	if resp.Type == fetch.TypeOpaqueRedirect {
		return store.Script{}, "", weberr.Errorf(weberr.TypeError, "the script %s responded with a redirect: service worker scripts must not be redirected", rawURL)
	}
	if !resp.OK() {
		return store.Script{}, "", weberr.Errorf(weberr.TypeError, "the script %s responded with HTTP %s", rawURL, resp.StatusLine())
	}
	ct := resp.Header.Get("Content-Type")
	if !isJavaScriptMIME(ct) && !(worker.IsTypeScript(rawURL) && isTypeScriptMIME(ct)) {
		return store.Script{}, "", weberr.Errorf(weberr.SecurityError, "the script %s has an unsupported MIME type (%q): a JavaScript MIME type is required (or, for a .ts, .mts or .cts URL, a TypeScript one)", rawURL, ct)
	}
	// A script of unknown length arrives as a stream; it is stored whole.
	if err := resp.ReadBody(scriptReadLimit(int64(r.opts.Limits.MaxScriptBytes))); err != nil {
		return store.Script{}, "", weberr.Errorf(weberr.TypeError, "the script %s could not be read: %w", rawURL, err)
	}
	s := store.Script{URL: rawURL, ContentType: ct, Body: resp.Body}
	if !main {
		return s, "", nil
	}
	u, _ := weburl.Parse(rawURL)
	maxScope := u.Pathname()
	maxScope = maxScope[:strings.LastIndexByte(maxScope, '/')+1]
	if allowed := resp.Header.Get("Service-Worker-Allowed"); allowed != "" {
		a, err := weburl.ParseRef(u, allowed)
		if err != nil {
			return store.Script{}, "", weberr.Errorf(weberr.SecurityError, "invalid Service-Worker-Allowed header %q", allowed)
		}
		if a.Origin() != u.Origin() {
			return store.Script{}, "", weberr.Errorf(weberr.SecurityError, "the Service-Worker-Allowed header %q is not same-origin with the script", allowed)
		}
		maxScope = a.Pathname()
	}
	return s, maxScope, nil
}

// checkScriptPath applies the rule that a script lives at or above its
// scope, using the scope's non-variable prefix.
func checkScriptPath(sc *scope.Scope, maxScope string) error {
	path, segmentBreak := sc.PathPrefix()
	if segmentBreak {
		path += "/"
	}
	if !strings.HasPrefix(path, maxScope) {
		return weberr.Errorf(weberr.SecurityError,
			"the path of the scope (%q) is not under the max scope allowed (%q): adjust the scope, move the script, or use the Service-Worker-Allowed HTTP header", path, maxScope)
	}
	return nil
}

// isJavaScriptMIME reports whether a Content-Type is a JavaScript MIME type
// (MIME Sniffing's list).
func isJavaScriptMIME(ct string) bool {
	t, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch t {
	case "application/ecmascript", "application/javascript", "application/x-ecmascript", "application/x-javascript",
		"text/ecmascript", "text/javascript", "text/javascript1.0", "text/javascript1.1", "text/javascript1.2",
		"text/javascript1.3", "text/javascript1.4", "text/javascript1.5", "text/jscript", "text/livescript",
		"text/x-ecmascript", "text/x-javascript":
		return true
	}
	return false
}

// isTypeScriptMIME reports whether a Content-Type is one servers send
// TypeScript with: the application/ and text/ typescript types, and
// video/mp2t, which most servers' tables give the .ts extension (MPEG
// transport streams). Package worker compiles a script as TypeScript by
// its URL (worker.IsTypeScript), so these are accepted only there.
func isTypeScriptMIME(ct string) bool {
	t, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch t {
	case "application/typescript", "application/x-typescript", "text/typescript", "text/x-typescript", "video/mp2t":
		return true
	}
	return false
}

func hasEncodedSlash(path string) bool {
	l := strings.ToLower(path)
	return strings.Contains(l, "%2f") || strings.Contains(l, "%5c")
}

func stripFragment(u string) string {
	if i := strings.IndexByte(u, '#'); i >= 0 {
		return u[:i]
	}
	return u
}

// TryActivate activates reg's waiting worker when nothing holds it back
// (no active worker, or an active worker that controls no client), as a
// navigation does before it picks the controller.
func (r *Registry) TryActivate(ctx context.Context, reg *Registration) {
	if reg.Waiting() != nil {
		r.tryActivate(ctx, reg)
	}
}

// scriptReadLimit is the most bytes of a streamed script body read: the
// store's limit for one script (max, 0 for its default).
func scriptReadLimit(max int64) int64 {
	if max <= 0 {
		return store.DefaultMaxScriptBytes
	}
	return max
}

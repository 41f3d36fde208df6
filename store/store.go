package store

import (
	"context"
	"errors"
	"time"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/sw"
)

// Errors returned by the store, wrapped with context; test with errors.Is.
var (
	// ErrNotFound: the registration, version, script or key does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrExists: a registration with the same scope key exists already.
	ErrExists = errors.New("store: already exists")
	// ErrSlotTaken: another version of the registration is in that slot.
	ErrSlotTaken = errors.New("store: slot taken")
	// ErrClosed: the store has been closed.
	ErrClosed = errors.New("store: closed")
)

// Slot says which of a registration's workers a version is: its
// installing, waiting or active worker, or none of them (SlotNone: a
// parsed version not yet installing, or a redundant one). A registration
// has at most one version in each slot.
type Slot string

// Slots.
const (
	SlotNone       Slot = ""
	SlotInstalling Slot = "installing"
	SlotWaiting    Slot = "waiting"
	SlotActive     Slot = "active"
)

// Registration is a service worker registration as stored. The scope is
// kept as text and key; the registry parses ScopeText again with package
// scope when it loads the registration.
type Registration struct {
	// ID is assigned by the store when the registration is created and
	// never reused.
	ID int64
	// ScopeKey is the scope's canonical identity (scope.Scope.Key). It is
	// unique: two registrations never share a scope key.
	ScopeKey string
	// ScopeText is the scope as given: a legacy scope URL or a JSON scope
	// pattern, enough to compile the scope again.
	ScopeText string
	// Origin is the scope's serialized origin ("https://app.test"), for
	// listing the registrations of one origin.
	Origin string
	// UpdateViaCache is the update via cache mode; "" is stored as
	// sw.UpdateViaCacheImports.
	UpdateViaCache sw.UpdateViaCache
	// Type is the worker type; "" is stored as sw.WorkerClassic.
	Type sw.WorkerType
	// LastUpdateCheck is the last time the registration's scripts were
	// fetched from the network for an update check; zero when never.
	LastUpdateCheck time.Time
	// Created is when the registration was created; set by the store when
	// zero.
	Created time.Time
	// NavigationPreload is the registration's navigation preload state,
	// as read; a new registration starts disabled with the header value
	// "true" whatever this holds, and SetNavigationPreload changes it.
	NavigationPreload NavigationPreload
}

// NavigationPreload is a registration's navigation preload state (the
// Service Workers specification's navigation preload enabled flag and
// header value).
type NavigationPreload struct {
	Enabled     bool
	HeaderValue string
}

// ForeignFetch is what a version registered with
// InstallEvent.registerForeignFetch: the scopes it intercepts and the
// client origins it accepts (["*"] for any). The store keeps it as JSON.
type ForeignFetch struct {
	Scopes  []string `json:"scopes"`
	Origins []string `json:"origins"`
}

// Version is one service worker version (the spec's "service worker") of
// a registration.
type Version struct {
	// ID is assigned by the store when the version is added and never
	// reused.
	ID int64
	// RegistrationID is the registration the version belongs to.
	RegistrationID int64
	// ScriptURL is the URL of the version's main script.
	ScriptURL string
	// State is the version's state; "" is stored as sw.StateParsed.
	State sw.State
	// Slot is the registration slot the version is in.
	Slot Slot
	// ForeignFetch is nil when the version registered no foreign fetch.
	ForeignFetch *ForeignFetch
	// RouterRules are the router rules the version added during install
	// (the Static Routing API), as the JSON package routing writes; nil
	// when it added none. The store keeps them without reading them.
	RouterRules []byte
	// Created is when the version was added; set by the store when zero.
	Created time.Time
}

// Script is one script resource of a version (the spec's "script resource
// map" entry): the main script or an imported script, byte for byte as
// fetched, for the update check's byte-for-byte comparison and for
// starting the worker without the network.
type Script struct {
	URL         string
	ContentType string // the response's Content-Type
	Body        []byte
}

// StateChange sets the state and slot of one version. See
// [Versions.SetVersionStates].
type StateChange struct {
	VersionID int64
	State     sw.State
	Slot      Slot
}

// Loaded is a registration with its versions that are not redundant, as
// [Registrations.LoadRegistrations] returns them at start-up.
type Loaded struct {
	Registration Registration
	// Versions are the registration's versions whose state is not
	// redundant, in the order they were added.
	Versions []Version
}

// Registrations stores registrations.
type Registrations interface {
	// CreateRegistration stores a new registration together with its first
	// version and that version's scripts, in one transaction: either all of
	// it is stored or none. v and scripts may be nil (a registration whose
	// first script is still being fetched). It sets r.ID and r.Created, and
	// v.ID, v.RegistrationID and v.Created. It fails with ErrExists when a
	// registration has r.ScopeKey already.
	CreateRegistration(ctx context.Context, r *Registration, v *Version, scripts []Script) error
	// UpdateRegistration stores r's options (UpdateViaCache, Type,
	// LastUpdateCheck) for the registration r.ID. ScopeKey, ScopeText,
	// Origin and Created never change.
	UpdateRegistration(ctx context.Context, r Registration) error
	// DeleteRegistration removes a registration with all its versions and
	// scripts, in one transaction.
	DeleteRegistration(ctx context.Context, id int64) error
	// Registration returns the registration id.
	Registration(ctx context.Context, id int64) (Registration, error)
	// RegistrationByScope returns the registration with the scope key.
	RegistrationByScope(ctx context.Context, scopeKey string) (Registration, error)
	// Registrations returns the registrations of origin ("" for every
	// origin), oldest first.
	Registrations(ctx context.Context, origin string) ([]Registration, error)
	// LoadRegistrations returns every registration with its versions that
	// are not redundant, oldest first, from one consistent snapshot: what
	// the registry restores at start-up. Scripts are not loaded: read them
	// with [Scripts.Scripts] when a worker starts.
	LoadRegistrations(ctx context.Context) ([]Loaded, error)
	// SetNavigationPreload stores the navigation preload state of
	// registration id; ErrNotFound when it does not exist.
	SetNavigationPreload(ctx context.Context, id int64, np NavigationPreload) error
	// LoadRegistration is LoadRegistrations for the one registration
	// whose scope key is scopeKey, or ErrNotFound: what a node of a fleet
	// reloads when another node changed it.
	LoadRegistration(ctx context.Context, scopeKey string) (Loaded, error)
}

// Versions stores the versions of registrations.
type Versions interface {
	// AddVersion stores a new version of registration v.RegistrationID
	// with its scripts, in one transaction. It sets v.ID and v.Created.
	// It fails with ErrNotFound when the registration does not exist and
	// with ErrSlotTaken when another version is in v.Slot.
	AddVersion(ctx context.Context, v *Version, scripts []Script) error
	// Version returns the version id.
	Version(ctx context.Context, id int64) (Version, error)
	// Versions returns every version of a registration, redundant ones
	// included, in the order they were added.
	Versions(ctx context.Context, registrationID int64) ([]Version, error)
	// SetVersionStates applies every change in one transaction: moving
	// the waiting version to active and the old active one to redundant
	// is one call. The slots are checked after all changes are applied,
	// so the changes may be given in any order. It fails with ErrNotFound
	// (and changes nothing) when a version does not exist, and with
	// ErrSlotTaken when two versions of a registration would share a slot.
	SetVersionStates(ctx context.Context, changes ...StateChange) error
	// SetForeignFetch stores the foreign-fetch registration of version id
	// (nil to clear it).
	SetForeignFetch(ctx context.Context, id int64, ff *ForeignFetch) error
	// SetRouterRules stores the router rules of version id (nil to clear
	// them).
	SetRouterRules(ctx context.Context, id int64, rules []byte) error
	// DeleteVersion removes a version and its scripts.
	DeleteVersion(ctx context.Context, id int64) error
}

// Scripts stores the script resources of versions.
type Scripts interface {
	// PutScripts stores scripts for version id, replacing those with the
	// same URL (an imported script fetched during install), in one
	// transaction. It fails with ErrNotFound when the version does not
	// exist, and with a QuotaExceededError beyond [Limits].
	PutScripts(ctx context.Context, versionID int64, scripts ...Script) error
	// Scripts returns the scripts of a version in the order they were
	// first stored (the main script first when it was stored first).
	Scripts(ctx context.Context, versionID int64) ([]Script, error)
	// Script returns one script of a version. Bodies read back are never
	// nil (an empty script has an empty, non-nil Body).
	Script(ctx context.Context, versionID int64, url string) (Script, error)
}

// KVEntry is one entry of the key-value table.
type KVEntry struct {
	Key      string
	Value    []byte // nil when scanned with KeysOnly
	Size     int64  // len(Value) as stored, kept even when scanning KeysOnly
	Modified time.Time
}

// ScanOptions tune [KV.Scan].
type ScanOptions struct {
	// KeysOnly leaves Value nil (Size is still set), for eviction scans
	// that do not need the bytes.
	KeysOnly bool
	// ByModified visits entries oldest first (then by key) instead of in
	// key order.
	ByModified bool
	// Limit stops after this many entries; 0 means no limit.
	Limit int
}

// KVUsage is what a key prefix holds in the key-value table.
type KVUsage struct {
	Entries int
	Bytes   int64 // sum of the values' sizes
}

// KV is a small generic key-value table for upper layers (the HTTP
// cache, ...). Keys are compared byte-wise; callers namespace them with a
// prefix ("httpcache/..."). Each call is atomic.
type KV interface {
	// Get returns the value of key, or ErrNotFound.
	Get(ctx context.Context, key string) ([]byte, error)
	// Put sets the value of key and its modification time to now.
	Put(ctx context.Context, key string, value []byte) error
	// Delete removes the keys; missing keys are not an error.
	Delete(ctx context.Context, keys ...string) error
	// Scan calls fn for each entry whose key starts with prefix, in key
	// order (or by modification time, see ScanOptions), until fn returns an
	// error, which Scan returns. The entries come from one snapshot. fn
	// may call the Store (deleting what it scans, for eviction), but when
	// Scan is called on a Tx, fn must not write through that Tx.
	Scan(ctx context.Context, prefix string, opts ScanOptions, fn func(KVEntry) error) error
	// Usage returns the number and total size of the entries whose key
	// starts with prefix.
	Usage(ctx context.Context, prefix string) (KVUsage, error)
}

// Tx is one read-write transaction over registrations, versions, scripts
// and the key-value table: see [Store.Update]. Its methods behave as the
// Store's, but nothing is visible to others or durable until the
// transaction commits. A Tx must not be used after its function returns
// or from several goroutines. A method that fails inside a Tx may have
// made part of its changes: return its error from the function, so that
// the whole transaction is rolled back.
type Tx interface {
	Registrations
	Versions
	Scripts
	KV
}

// Store is swhost's persistent state. Every method is safe for concurrent
// use. Every method call is atomic on its own; [Store.Update] groups
// several into one transaction.
type Store interface {
	Registrations
	Versions
	Scripts
	KV
	// Update runs fn in one read-write transaction and commits it when fn
	// returns nil; when fn returns an error or panics nothing of it is
	// stored. Write transactions run one at a time.
	Update(ctx context.Context, fn func(Tx) error) error
	// CacheStorage returns the backend keeping every origin's Cache
	// Storage, for cachestorage.New.
	CacheStorage() cachestorage.Backend
	// IndexedDB returns the backend keeping every origin's IndexedDB
	// databases, for indexeddb.NewFactory.
	IndexedDB() indexeddb.Backend
	// Close waits for running calls, checkpoints and closes the store.
	// Calls after Close fail with ErrClosed.
	Close() error
}

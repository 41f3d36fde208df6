package worker

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/coder/websocket"
	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/clock"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/message"
)

// Loader supplies script and module bytes by absolute URL. The registry
// backs it with its store; tests use a map ([MapLoader]) or a loopback
// server. Load is called from the goroutine that compiles the script (for
// the main script and its static imports) and from the worker's loop for
// importScripts, so it must be safe for concurrent use.
type Loader interface {
	Load(ctx context.Context, url string) ([]byte, error)
}

// MapLoader is a Loader backed by a map from URL to source text.
type MapLoader map[string]string

// Load returns the source stored for url, or a NetworkError.
func (m MapLoader) Load(_ context.Context, url string) ([]byte, error) {
	src, ok := m[url]
	if !ok {
		return nil, errNotFound(url)
	}
	return []byte(src), nil
}

// Client describes a client (window or worker) as the Clients API shows it.
type Client struct {
	ID        string
	URL       string
	Type      string // "window", "worker" or "sharedworker"
	FrameType string // "top-level", "nested", "auxiliary" or "none"
	// Focused and VisibilityState are a window client's
	// (WindowClient.focused, .visibilityState: "visible" or "hidden").
	Focused         bool
	VisibilityState string
}

// Clients backs self.clients. Every method but PostMessage is called from
// its own goroutine, never from the worker's loop; ok false from Get
// resolves to undefined. PostMessage is called on the loop, in the order
// the script posted, and must not block: it queues the message for the
// client (so a message posted during an event is delivered when the
// event ends).
type Clients interface {
	Get(ctx context.Context, id string) (c Client, ok bool, err error)
	MatchAll(ctx context.Context, includeUncontrolled bool, clientType string) ([]Client, error)
	Claim(ctx context.Context) error
	PostMessage(ctx context.Context, id string, msg Message) error
	// Focus focuses the window client id (WindowClient.focus) and
	// returns it.
	Focus(ctx context.Context, id string) (Client, error)
	// Navigate navigates the window client id to url, an absolute URL
	// (WindowClient.navigate), and returns the client of the new
	// document; its ID is "" when that document is not of the worker's
	// origin. A client the worker does not control is a TypeError.
	Navigate(ctx context.Context, id, url string) (Client, error)
}

// Registration is what self.registration shows.
type Registration struct {
	Scope          string // the scope URL (or the pattern's base URL)
	ScopePattern   any    // the seed's scope pattern as a JSON-able value, nil for a legacy scope
	UpdateViaCache string // "imports" (default), "all" or "none"
	// Self is the worker's own service worker (self.serviceWorker); zero
	// ID: the worker has none (a worker run outside a registry).
	Self ServiceWorkerRef
}

// ServiceWorkerRef names one service worker (a version) of the worker's
// registration, as its ServiceWorker objects show it.
type ServiceWorkerRef struct {
	ID        int64
	ScriptURL string
}

// CrossOriginClient is a connected cross-origin client (the connect seed's
// CrossOriginServiceWorkerClient) as Go sees it.
type CrossOriginClient struct {
	ID        string // opaque id chosen by the connect layer
	Origin    string
	TargetURL string
	Options   any // connect options ({name, data}), a JSON-able value
}

// Message is a message crossing between Go and a worker: the one message
// type of swhost ([message.Message]), shared with connect.
//
// Going into a worker (DispatchMessage, DispatchCrossOriginMessage), Data
// is a *[message.Record], which arrives intact (Date, RegExp, Map, Set,
// ArrayBuffer and typed arrays, errors, shared and cyclic objects), or a
// Go value, converted as [message.Message] describes when the event is
// dispatched (a value that cannot be cloned fails the event with a
// DataCloneError). Ports become event.ports, in order, as MessagePorts
// entangled with the ports' other ends; the worker owns them from then
// on.
//
// Coming out of a worker (Hooks.CrossOriginPostMessage, a MessagePort
// entangled with Go), Data holds a primitive that needs no record as a Go
// value and anything else as a *Record, as [message.Message] describes,
// and Ports the transferred MessagePorts as new [message.Port]s whose
// other ends stay where the MessagePorts were. Client.postMessage
// messages (Clients.PostMessage) are the exception: their Data is the
// record exported to Go values ([message.Message.Value]).
type Message = message.Message

// ForeignFetchRegistration is what InstallEvent.registerForeignFetch
// received, after type checks. Scopes are absolute URLs (resolved against
// the script URL); Origins are strings as given ("*" or origins).
type ForeignFetchRegistration struct {
	Scopes  []string
	Origins []string
}

// Hooks connect worker-side APIs to the layers above. Every field is
// optional; a nil hook makes the JavaScript API reject or throw
// NotSupportedError. Hooks are called on their own goroutine unless noted.
type Hooks struct {
	// RegisterForeignFetch validates a registerForeignFetch() call made
	// during install. It is called on the loop and must not block; an
	// error is thrown in JavaScript (a weberr name picks the exception).
	// Without it, the worker checks only that scopes lie within the
	// registration's scope. The accepted value is also returned in
	// InstallResult.
	RegisterForeignFetch func(ForeignFetchRegistration) error
	// CrossOriginClients lists the registration's accepted, open
	// cross-origin clients, filtered by targetURL when not empty.
	CrossOriginClients func(ctx context.Context, targetURL string) ([]CrossOriginClient, error)
	// CrossOriginPostMessage delivers event.source.postMessage(...) to the
	// client with the given id. It is called on the loop and must not
	// block; an error (InvalidStateError for a client whose connection was
	// not accepted) is thrown in JavaScript.
	CrossOriginPostMessage func(clientID string, msg Message) error
	// SkipWaiting is called when the worker calls skipWaiting().
	SkipWaiting func(ctx context.Context) error
	// Update and Unregister back registration.update() / unregister().
	Update     func(ctx context.Context) error
	Unregister func(ctx context.Context) (bool, error)
	// Online reports whether the worker's origin is online
	// (navigator.onLine); nil means always. It is called on the loop and
	// must not block.
	Online func() bool
	// NavigationPreload and SetNavigationPreload back
	// registration.navigationPreload: the state (enabled, header value),
	// and its change (enabled or header when not nil), which fails with
	// InvalidStateError when the registration has no active worker.
	// ServiceWorker returns the service worker in a slot of the
	// registration ("installing", "waiting", "active"), false when the
	// slot is empty (registration.installing/waiting/active). It is
	// called on the loop and must not block.
	ServiceWorker func(slot string) (ServiceWorkerRef, bool)
	// ServiceWorkerState returns the state of one of the registration's
	// service workers ("redundant" once it is gone). It is called on the
	// loop and must not block.
	ServiceWorkerState func(id int64) string
	// PostToServiceWorker delivers ServiceWorker.postMessage to the
	// service worker id: a message event there whose source is from. It is
	// called on the loop and must not block (delivery happens later).
	PostToServiceWorker  func(id int64, msg Message, from ServiceWorkerRef) error
	NavigationPreload    func(ctx context.Context) (enabled bool, header string, err error)
	SetNavigationPreload func(ctx context.Context, enabled *bool, header *string) error
	// Push, Sync and Notifications back registration.pushManager,
	// registration.sync and periodicSync, and showNotification /
	// getNotifications (see functional.go).
	Push          PushService
	Sync          SyncService
	Notifications NotificationService
	// OpenWindow opens a window client at url (an absolute URL) and
	// returns it, for clients.openWindow, which a worker may call only
	// while a notificationclick event is active. The Client's ID is ""
	// when the window is not of the worker's origin (null in JavaScript).
	OpenWindow func(ctx context.Context, url string) (Client, error)
}

// WebSocketDialer opens WebSocket connections for a worker's WebSocket API,
// under the host's network policy. network.Transport is one. url is ws: or
// wss:; header carries the handshake's Origin.
type WebSocketDialer interface {
	DialWebSocket(ctx context.Context, url string, protocols []string, header http.Header) (*websocket.Conn, error)
}

// Limits bound what one worker may use. Zero fields take the defaults
// listed in [DefaultLimits].
type Limits struct {
	// CPUPerTask bounds how long one task (an event handler call, a timer
	// callback, a promise settlement with the microtasks it triggers) may
	// run JavaScript without returning to the loop. A task that exceeds it
	// is interrupted, reported, and the worker is stopped.
	CPUPerTask time.Duration
	// EventTimeout bounds an event's whole lifetime (respondWith and
	// waitUntil promises included) when the caller's context has no
	// earlier deadline.
	EventTimeout time.Duration
	// MaxHeapGrowth interrupts a task during which the process's live heap
	// (as measured after each GC) grew by more than this many bytes.
	MaxHeapGrowth int64
	// MaxHeap bounds the live heap charged to one running worker across
	// all its tasks: each collection's growth of the live heap is charged
	// to the workers that allocated since the collection before, in
	// proportion to what they allocated (see the package documentation).
	// A worker over it is stopped with QuotaExceededError.
	MaxHeap int64
	// CPUPerWindow bounds the JavaScript running time of one running
	// worker over any CPUWindow, however it is split into tasks; a worker
	// over it is stopped with TimeoutError. Before that, a worker that has
	// used a quarter of it in the window runs its tasks on the shared
	// heavy lane (see [SetHeavyLanes]), so that it cannot crowd out
	// workers that use little.
	CPUPerWindow time.Duration
	// CPUWindow is the sliding window CPUPerWindow applies to.
	CPUWindow time.Duration
	// MaxBodyBytes caps any single body, buffer or encoded string the host
	// APIs create (Request/Response bodies, TextEncoder output, atob,
	// fetch responses read into the worker, Blob parts).
	MaxBodyBytes int
	// MaxScriptBytes caps the size of every script and module; compiling
	// costs time and memory in proportion (docs/benchmarks.md, "Compiling
	// a script").
	MaxScriptBytes int
	// MaxCallStack caps JavaScript call-stack depth.
	MaxCallStack int
	// IdleTimeout stops a running worker that has handled no event and has
	// no pending lifetime promise for this long. Negative disables it.
	IdleTimeout time.Duration
	// MaxTimers caps armed setTimeout/setInterval timers.
	MaxTimers int
	// MaxWebSockets caps a worker's WebSocket connections that are not
	// closed.
	MaxWebSockets int
	// MaxConsoleBytes caps one console message (console.* output, an
	// uncaught exception): a longer one is cut to this many bytes and ends
	// with "… [truncated N characters]". Formatting a message stops once
	// it has this many characters, so logging a huge value costs no more.
	MaxConsoleBytes int
}

// DefaultLimits are the limits used for zero fields of [Limits].
var DefaultLimits = Limits{
	CPUPerTask:      2 * time.Second,
	EventTimeout:    5 * time.Minute,
	MaxHeapGrowth:   256 << 20,
	MaxHeap:         256 << 20,
	CPUPerWindow:    30 * time.Second,
	CPUWindow:       time.Minute,
	MaxBodyBytes:    64 << 20,
	MaxScriptBytes:  4 << 20,
	MaxCallStack:    2000,
	IdleTimeout:     30 * time.Second,
	MaxTimers:       10000,
	MaxWebSockets:   64,
	MaxConsoleBytes: 64 << 10,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.CPUPerTask > 0 {
		d.CPUPerTask = l.CPUPerTask
	}
	if l.EventTimeout > 0 {
		d.EventTimeout = l.EventTimeout
	}
	if l.MaxHeapGrowth > 0 {
		d.MaxHeapGrowth = l.MaxHeapGrowth
	}
	if l.MaxHeap > 0 {
		d.MaxHeap = l.MaxHeap
	}
	if l.CPUPerWindow > 0 {
		d.CPUPerWindow = l.CPUPerWindow
	}
	if l.CPUWindow > 0 {
		d.CPUWindow = l.CPUWindow
	}
	if l.MaxBodyBytes > 0 {
		d.MaxBodyBytes = l.MaxBodyBytes
	}
	if l.MaxScriptBytes > 0 {
		d.MaxScriptBytes = l.MaxScriptBytes
	}
	if l.MaxCallStack > 0 {
		d.MaxCallStack = l.MaxCallStack
	}
	if l.IdleTimeout != 0 {
		d.IdleTimeout = l.IdleTimeout
	}
	if l.MaxTimers > 0 {
		d.MaxTimers = l.MaxTimers
	}
	if l.MaxConsoleBytes > 0 {
		d.MaxConsoleBytes = l.MaxConsoleBytes
	}
	if l.MaxWebSockets > 0 {
		d.MaxWebSockets = l.MaxWebSockets
	}
	return d
}

// Options configure a [Worker]. Only Loader is required when the script
// uses importScripts or modules; everything else has a default.
type Options struct {
	Loader Loader
	// Fetcher performs the worker's fetch() and cache.add()/addAll().
	// nil means the network: a [github.com/swhost/swhost/network.Transport] shared by all such
	// workers, under the default egress policy (no loopback, private or
	// other non-public address, on every redirect hop), following
	// redirects by the request's redirect mode, with failures as network
	// errors that fetch() rejects with a TypeError. The agent plugs in its
	// lookup order (foreign fetch, HTTP cache, network).
	Fetcher fetch.Fetcher
	Clients Clients // nil: clients.matchAll() resolves to [], get() to undefined
	// Caches is the Cache Storage of the worker's origin (the registry
	// passes Store.For(origin)); nil gives the worker a private in-memory
	// one.
	Caches *cachestorage.CacheStorage
	// WebSockets opens the worker's WebSocket connections; nil makes
	// new WebSocket() fail its connection (an error and a close event).
	WebSockets WebSocketDialer
	// IndexedDB is the IndexedDB engine every worker of the process
	// shares (the registry makes one over its store with
	// indexeddb.NewFactory(store.IndexedDB(), worker.IDBHostCodec)); nil
	// gives the worker a process-wide in-memory one.
	IndexedDB    *indexeddb.Factory
	Registration Registration
	Limits       Limits
	Logger       *slog.Logger // nil: slog.Default()
	Hooks        Hooks
	// Console receives console.* output; nil sends it to Logger at debug
	// level for log/debug and the matching level otherwise. It is not
	// called once the worker's Close has returned, and must not call the
	// worker's Close itself (Close waits for a Console call in progress).
	Console func(level, msg string)
	// Clock is the worker's time: Date, setTimeout and setInterval,
	// performance.now and Event.timeStamp, the idle timeout and
	// Limits.EventTimeout follow it. nil means the wall clock. The CPU
	// and heap limits always run on the wall clock: they protect the
	// host.
	Clock clock.Clock
}

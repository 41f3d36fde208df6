// Package worker runs service-worker JavaScript in an embedded engine
// (github.com/grafana/sobek: pure Go, ES2020+ with async/await, classes and
// ES modules). Syntax the engine lacks (async generators, for await,
// using, decorators) and TypeScript are lowered when a script is compiled,
// by esbuild (see Compiling).
//
// # Using it
//
// A [Script] is one compiled version of a worker script: [CompileScript]
// parses it once (for a module worker, with its whole static import graph,
// loaded through a [Loader]) and caches the result by URL and content, so
// every runtime of that version shares the compiled program. A [Worker] runs
// a Script: it starts a runtime on the first event (or [Worker.Start]),
// evaluating the script, and stops it after [Limits.IdleTimeout] without
// events; the next event starts a fresh runtime, so globals do not survive
// a stop, as in browsers. Building the global scope is most of a start's
// cost, so the package keeps a few runtimes with the global scope already
// built ([SetWarmRuntimes], 2 by default), refilled in the background: a
// start then costs only evaluating the script.
//
//	s, err := worker.CompileScript(ctx, "https://app.test/sw.js", sw.WorkerClassic, src, loader, 0)
//	w := worker.New(s, worker.Options{Loader: loader, Registration: worker.Registration{Scope: "https://app.test/"}})
//	defer w.Close()
//	inst, err := w.DispatchInstall(ctx)   // inst.ForeignFetch, inst.SkipWaiting
//	err = w.DispatchActivate(ctx)
//	res, err := w.DispatchFetch(ctx, req, worker.FetchEventInit{ClientID: id})
//	if res.Response == nil { /* no respondWith: go to the network */ }
//
// Later layers dispatch the other functional events with
// [Worker.DispatchForeignFetch] (the result carries the response, origin
// and headers allow-list the worker returned), [Worker.DispatchConnect]
// (crossoriginconnect: accepted or not), [Worker.DispatchCrossOriginMessage]
// and [Worker.DispatchMessage]; [Hooks] connect skipWaiting(),
// registerForeignFetch(), crossOriginClients.getAll(), client replies and
// registration.update()/unregister() to them. The policies (eligibility,
// CORS filtering, client lists) belong to those layers.
//
// # Compiling
//
// [CompileScript] gives a script (and each module of a module worker, and
// each importScripts target) to sobek's parser first: a script it takes
// is compiled as it is. One it refuses, or one holding an async
// generator, is lowered by esbuild (github.com/evanw/esbuild/pkg/api)
// with exactly the syntax sobek lacks rewritten, then compiled; a script
// or module whose URL path ends in .ts, .mts or .cts ([IsTypeScript]) is
// TypeScript and always lowered (types stripped, not checked). The
// lowered program carries esbuild's source map, so stack traces,
// Error.stack, console.trace and syntax errors name the original file and
// line (frames in esbuild's helpers name swhost:esbuild). A syntax error
// is a [*JSError] named SyntaxError at its original position. Lowered
// sources are cached by URL and content like compiled programs: a script
// version is lowered once. js/05_ecmascript.js adds the built-ins lowered
// code relies on (Symbol.asyncIterator, Symbol.dispose, SuppressedError)
// and a few more (Array.fromAsync, Promise.withResolvers, Promise.try,
// Object.groupBy, Map.groupBy, String.prototype.isWellFormed and
// toWellFormed). docs/ecmascript.md has the table of ECMAScript features
// (test262's) that run natively, lowered, polyfilled or not at all.
//
// # Messages
//
// Messages cross between Go and a worker as structured-clone records
// (package internal/structuredclone), so every type structured clone
// knows arrives intact both ways; see [Message] for how Go values are
// converted. [Message] and the ports in Message.Ports are swhost's one
// message type and port (package message), shared with connect: a
// [message.Port] sent to a worker becomes a MessagePort in event.ports,
// which reads that end of the channel (its messages dispatched by tasks
// on the loop, in order); and a MessagePort a worker transfers out
// (event.source.postMessage(msg, [port]), client.postMessage, a port
// entangled with Go) comes out as the Port of the channel end it held,
// whose other end stays where it was (with the MessagePort's partner, or
// the Go program it was entangled with). Go reads a port with Recv, writes with
// PostMessage and hangs up with Close. A worker that stops closes its
// ports' channels. structuredClone() and MessagePort messages inside a
// worker use the same code (one Realm per runtime).
// [Worker.DispatchCrossOriginMessages] dispatches queued messages several
// per loop task, each in its own call into JavaScript, so the microtasks
// of one message's listeners run before the next message's.
//
// Errors: a dispatch error means the event could not run (the worker could
// not start, stopped, hit a limit, or the context ended). JavaScript
// exceptions are [*JSError] values carrying the name (a [weberr.Named]), the
// message and the JavaScript stack with file and line. Exceptions in
// listeners are reported to the console and the log, and returned in the
// result (FetchResult.Exceptions) rather than as the error.
//
// # Threading
//
// Each running worker is one runtime owned by one goroutine, the loop of
// package internal/eventloop (its contract is documented there). Dispatch
// methods are safe for concurrent use: they queue a task on the loop and
// wait for the result. The event that starts a runtime is queued right
// behind the evaluation of the script (a script that throws fails it with
// its exception); [Worker.Start] waits for the evaluation. [Worker.Stop]
// interrupts JavaScript that is running. Host functions that do I/O (fetch, Cache Storage,
// clients) run it on their own goroutine and settle the JavaScript promise
// back on the loop, exactly once. Promise jobs run after each task; timers
// are tasks. For promises rejected without a handler by the end of a task,
// an unhandledrejection event (PromiseRejectionEvent) is fired at the
// global scope; unless a listener cancels it, the rejection is reported
// (console and log) and counted in [Stats]. Install, activate and message
// events complete once their lifetime promises (waitUntil) have settled:
// those already settled when the listeners and their microtasks have run
// are read from Go, the others are awaited in JavaScript; rejections of
// lifetime promises are handled (never reported as unhandled).
//
// # The global scope
//
// ServiceWorkerGlobalScope: self, addEventListener/removeEventListener/
// dispatchEvent and the on* attributes (install, activate, fetch,
// foreignfetch, message, crossoriginconnect, crossoriginmessage, ...),
// registration (scope, scopePattern, update, unregister,
// navigationPreload, installing/waiting/active as ServiceWorker objects),
// serviceWorker, clients (get,
// matchAll, claim), skipWaiting(), importScripts() (classic workers; new
// URLs only during the first evaluation and install), caches, fetch,
// console, location, origin, isSecureContext, crossOriginClients.getAll().
//
// Web APIs: Event (initEvent), EventTarget, CustomEvent, ExtendableEvent,
// InstallEvent (registerForeignFetch), FetchEvent, ForeignFetchEvent,
// ExtendableMessageEvent, MessageEvent, CrossOriginConnectEvent
// (acceptConnection), PromiseRejectionEvent, DOMException, Headers
// (guards, forbidden and CORS-safelisted headers, WebIDL iterators),
// Request, Response (json, error, redirect), the body mixin (text, json,
// arrayBuffer, bytes, blob, formData, body as a ReadableStream), Blob,
// File, FormData (multipart bodies both ways), Streams (ReadableStream
// with default and BYOB readers, byte streams, tee, from and async
// iteration, WritableStream,
// TransformStream, pipeTo/pipeThrough, the queuing strategies,
// TextEncoderStream and TextDecoderStream), CompressionStream and
// DecompressionStream (gzip, deflate, deflate-raw on Go's compress
// packages), URL and URLSearchParams
// (internal/weburl), URLPattern (package urlpattern), TextEncoder and
// TextDecoder (every encoding of the Encoding Standard, streaming;
// internal/webencoding), AbortController/AbortSignal (abort, timeout,
// any), atob/btoa, structuredClone, crypto (getRandomValues, randomUUID,
// subtle: package webcrypto; CryptoKeys structured-clone),
// MessageChannel/MessagePort, BroadcastChannel (between the workers of an
// origin in the process), WebSocket and CloseEvent (through
// Options.WebSockets), setTimeout/setInterval/clearTimeout/
// clearInterval/queueMicrotask, reportError, ErrorEvent (every uncaught
// exception fires error at the global scope; unhandledrejection and
// rejectionhandled), QuotaExceededError, performance (now, timeOrigin,
// mark, measure, getEntries*), console (the Console standard's methods,
// groups indented), Intl (Collator, DateTimeFormat, ListFormat,
// NumberFormat, PluralRules, RelativeTimeFormat, Segmenter over package
// intl, with Number/BigInt/Date/Array toLocaleString, Date
// toLocaleDateString/toLocaleTimeString and String localeCompare routed
// to it; docs/intl.md says what is honoured). Cache Storage (caches, Cache) is backed by package
// cachestorage. IndexedDB (indexedDB and the IDB* interfaces) is backed by
// package indexeddb: Options.IndexedDB is the engine every worker of the
// process shares (the registry's, over the store); a worker without one
// uses a process-wide in-memory engine. A stopped worker's connections are
// closed and their transactions aborted.
//
// Detached ArrayBuffers read as no bytes wherever bytes are taken
// (encodeInto writes nothing, TextDecoder.decode gives "", bodies and
// Blob parts are empty); structured clone refuses them (DataCloneError).
// sobek has no resizable ArrayBuffers (maxByteLength is ignored).
//
// A ReadableStream body (new Response(stream), a request body stream) is
// read to its end in the worker before it goes to Go: Go gets it as one
// buffer, within MaxBodyBytes (QuotaExceededError beyond); it is not yet
// sent as it is produced.
//
// Not provided: Client.navigate, clients.openWindow, and no host access at
// all (no require, process or file system; a script's own
// sourceMappingURL comment is not read).
//
// # Failures
//
// No script can panic the process: a Go panic inside a host function is a
// TypeError in JavaScript, logged with its stack (the first 10 of a
// runtime); one outside any host function (the engine failing) stops that
// runtime only, its events failing with an OperationError wrapping
// [ErrEngineFailure].
//
// # Limits
//
// [Limits] bounds each worker; zero fields take [DefaultLimits]:
//   - CPUPerTask (2 s): a task (a listener call, a timer callback, a promise
//     settlement with its microtasks) running longer is interrupted with
//     Runtime.Interrupt; the event fails with a TimeoutError wrapping
//     [ErrCPUBudget] and the runtime is stopped (the next event starts a
//     fresh one). Script evaluation gets max(CPUPerTask, 5 s). Time is
//     charged by a watchdog ticking every 5 ms, at most 10 ms a tick, so a
//     stall of the whole process is not charged to the running task.
//   - MaxHeap (256 MiB): the live heap charged to one running worker
//     across all its tasks. sobek has no heap accounting and Go none per
//     goroutine, so the watchdog charges it from process-wide figures:
//     every tick, the bytes allocated are shared among the tasks that ran
//     in proportion to their running time; at each collection, the growth
//     of the live heap (/gc/heap/live:bytes) is charged to the workers in
//     proportion to what they allocated since the collection before (a
//     shrinking heap lowers every charge in proportion; what a stopped
//     worker held is set aside until it is freed). A worker that may have
//     allocated past its budget since the last collection makes the
//     watchdog collect at once; one that allocated twice what is left of
//     its budget in one task before a collection could finish (a string
//     that doubles: each doubling is one engine instruction that holds up
//     the collector while it copies) is stopped without waiting for it.
//     Over budget: QuotaExceededError wrapping [ErrHeapBudget]; the
//     running task is interrupted, or the idle worker stopped. The figure
//     is an estimate: memory kept by a worker that allocates little,
//     beside one that allocates much garbage, is partly charged to the
//     latter.
//   - MaxHeapGrowth (256 MiB): the same charge, grown during one task:
//     QuotaExceededError wrapping [ErrHeapGrowth].
//   - CPUPerWindow (30 s) over CPUWindow (1 min): a worker's JavaScript
//     running time over the sliding window, however it is split into
//     tasks; over it, TimeoutError wrapping [ErrCPUWindow]. Past a quarter
//     of it the worker is heavy: each of its tasks first takes one of the
//     heavy lanes ([SetHeavyLanes], by default one less than the CPUs),
//     so that heavy workers together use at most that many CPUs.
//   - [SetMaxRunning] (1000): running workers in the process; starting
//     one more stops the least recently active one (idle ones first).
//   - MaxBodyBytes (64 MiB): any one body, buffer or string the host APIs
//     create or accept (Request/Response bodies, Blob parts, TextEncoder
//     output, fetch responses read into the worker): QuotaExceededError.
//   - MaxScriptBytes (4 MiB): every script, module and importScripts target;
//     besides, a script nested deeper than MaxScriptDepth or too complex to
//     compile quickly (long chains of operators) is refused with a RangeError,
//     and so is one too complex to lower (its shape is scanned before any
//     parser reads it: neither sobek's parser nor esbuild can be
//     interrupted). At most half the CPUs lower scripts at once.
//   - MaxCallStack (2000 frames): RangeError beyond it.
//   - MaxTimers (10000 armed timers): QuotaExceededError.
//   - EventTimeout (5 min): an event whose respondWith/waitUntil promises
//     have not settled by then fails with TimeoutError (the caller's context
//     deadline applies too).
//   - IdleTimeout (30 s; negative disables): a worker with no event in
//     flight and no pending lifetime promise stops.
package worker

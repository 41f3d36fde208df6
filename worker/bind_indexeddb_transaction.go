package worker

import (
	"math/bits"
	"reflect"
	"slices"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/weberr"
)

// IndexedDB's transactions and requests (js/33_indexeddb_transaction.js):
// their state and their life are kept here, on the loop — the standard's
// transaction states, the pending requests in order, success and error
// events fired with the transaction active, auto-commit at the end of a
// task, commit and abort — and the JavaScript objects are shells whose
// kState slot holds the Go state. In sobek every JavaScript object and
// call costs about a microsecond; kept in JavaScript, this bookkeeping
// made a get in its own transaction 3-4 times slower than it is here
// (docs/decisions.md, "IndexedDB").

// idbMode is a transaction's mode.
type idbMode uint8

const (
	idbReadOnly idbMode = iota
	idbReadWrite
	idbVersionChange
)

var idbModeNames = [...]string{"readonly", "readwrite", "versionchange"}

// idbTxState is the standard's transaction state.
type idbTxState uint8

const (
	txActive idbTxState = iota
	txInactive
	txCommitting
	txFinished
)

// idbEventTypes are the event types Go fires at requests, transactions
// and connections; a target's listeners are known by a bit per type
// (1<<index): an event none of whose path has a listener is not made.
var idbEventTypes = [...]string{"success", "error", "complete", "abort"}

// listenBit returns the bit of event type t, 0 for another type.
func listenBit(t string) uint8 {
	for i, n := range idbEventTypes {
		if n == t {
			return 1 << i
		}
	}
	return 0
}

// bitIndex is the index in idbEventTypes of a listen bit.
func bitIndex(bit uint8) int { return bits.TrailingZeros8(bit) }

// idbTarget is what Go knows of the listeners of a request or a
// transaction. Its event handler attributes (onsuccess, oncomplete, ...)
// are kept here while nothing else listens to their type (handlers), so
// that setting one and firing its event make no JavaScript listener
// record: Go calls such handlers itself (idbDispatch). Once
// addEventListener adds a listener of a type, the handler of that type
// moves to the JavaScript listener list, where it keeps its place before
// the new listener (the DOM standard's order), and that type is
// dispatched by the bootstrap from then on (inJS).
type idbTarget struct {
	opaque
	listens  uint8 // types with a listener or a handler (never cleared)
	inJS     uint8 // types whose listeners and handler are the JavaScript list's
	handlers [len(idbEventTypes)]sobek.Value
}

// idbConn is a connection's state: the listeners of its IDBDatabase and
// its live (unfinished) transactions, aborted when it is force-closed.
// It is kept (in idbState.conns) until the connection is closed and its
// last transaction has finished.
type idbConn struct {
	c       *indexeddb.Connection
	listens uint8
	live    map[*idbTx]struct{}
	closed  bool // IDBDatabase.close() was called
}

// idbTx is an IDBTransaction's state.
type idbTx struct {
	t          *indexeddb.Transaction
	obj, db    *sobek.Object // the IDBTransaction and its IDBDatabase
	conn       *idbConn
	names      []string // the scope, sorted (none for an upgrade: every store)
	mode       idbMode
	durability string
	state      idbTxState
	// queue[head:] are the pending requests, in the order their results
	// arrive.
	queue        []*idbReq
	head         int
	err          sobek.Value // the error attribute; nil is null
	commitQueued bool
	idbTarget
	openReq *idbReq // an upgrade transaction's open request
	// The object store handles objectStore made: one (handle, of the
	// store named handleName) until a second, then handles by name.
	handle     *sobek.Object
	handleName string
	handles    map[string]*sobek.Object
	seq        int64 // creation order
}

// idbReq is an IDBRequest's (or IDBOpenDBRequest's) state.
type idbReq struct {
	obj    *sobek.Object
	source sobek.Value // nil is null
	tx     *idbTx
	// txv is the transaction attribute of an open request (whose tx is
	// nil): its upgrade transaction while it runs; nil is null.
	txv    sobek.Value
	result sobek.Value // nil is undefined
	err    sobek.Value // nil is null
	done   bool
	cursor *sobek.Object  // a cursor request's cursor
	wrap   sobek.Callable // what makes the result the request gives (getAllRecords)
	idbTarget
}

// idbHooks are the bootstrap's functions and objects Go uses.
type idbHooks struct {
	kState   *sobek.Symbol
	txProto  *sobek.Object
	reqProto *sobek.Object
	evProto  *sobek.Object // Event.prototype
	// getHandler(target, type) and setHandler(target, type, fn) are the
	// EventTarget's, for handlers in the JavaScript listener list.
	getHandler, setHandler sobek.Callable
	// fire(type, bubbles, cancelable, target, parent, grandparent) fires
	// a trusted event along the path (parents may be undefined) and
	// returns 1 when it was not canceled, plus 2 when a listener threw.
	fire sobek.Callable
	// cursorStep(cursor, [key, primaryKey, value, keyHandle,
	// primaryKeyHandle]) moves a cursor to its request's record.
	cursorStep sobek.Callable
	// upgradeAborted(tx) puts the connection's schema mirror and its
	// handles back as they were before the upgrade; upgradeEnded(tx)
	// clears the connection's upgrade transaction.
	upgradeAborted, upgradeEnded sobek.Callable
	// From js/34_indexeddb_store.js (idbInitStores): the prototypes of
	// an object store handle and of its state ({tx, meta, indexes,
	// kpArray}, the last two defaults), and upgradeHandle(tx, handle),
	// which notes a handle an upgrade made.
	storeProto, storeStateProto *sobek.Object
	upgradeHandle               sobek.Callable
}

// opaque makes a request's or transaction's state the value of its
// object's kState slot as a sobek dynamic object without properties,
// whose Export is the state: lighter to make than a reflected Go value
// (rt.ToValue), and showing a script that finds the slot nothing.
type opaque struct{}

func (opaque) Get(string) sobek.Value       { return nil }
func (opaque) Set(string, sobek.Value) bool { return false }
func (opaque) Has(string) bool              { return false }
func (opaque) Delete(string) bool           { return true }
func (opaque) Keys() []string               { return nil }

// idbInit is host.idbInit(hooks): see idbHooks.
func (in *instance) idbInit(hooks *sobek.Object) {
	h := &in.idb.hooks
	h.kState, _ = hooks.Get("kState").(*sobek.Symbol)
	h.txProto, _ = hooks.Get("txProto").(*sobek.Object)
	h.reqProto, _ = hooks.Get("reqProto").(*sobek.Object)
	h.evProto, _ = hooks.Get("evProto").(*sobek.Object)
	for _, f := range []struct {
		name string
		fn   *sobek.Callable
	}{{"fire", &h.fire}, {"cursorStep", &h.cursorStep}, {"upgradeAborted", &h.upgradeAborted}, {"upgradeEnded", &h.upgradeEnded},
		{"getHandler", &h.getHandler}, {"setHandler", &h.setHandler}} {
		fn, ok := sobek.AssertFunction(hooks.Get(f.name))
		if !ok {
			panic(in.rt.NewTypeError("idbInit: no " + f.name))
		}
		*f.fn = fn
	}
	if h.kState == nil || h.txProto == nil || h.reqProto == nil || h.evProto == nil {
		panic(in.rt.NewTypeError("idbInit: bad hooks"))
	}
}

// stateOf returns the Go state in v's kState slot, or nil.
func (in *instance) idbStateOf(v sobek.Value) any {
	o, ok := v.(*sobek.Object)
	if !ok || in.idb.hooks.kState == nil {
		return nil
	}
	s := o.GetSymbol(in.idb.hooks.kState)
	if s == nil {
		return nil
	}
	// A script can put anything in the slot of an object of its own.
	switch s.ExportType() {
	case idbTxType, idbReqType:
		return s.Export()
	}
	return nil
}

var (
	idbTxType  = reflect.TypeFor[*idbTx]()
	idbReqType = reflect.TypeFor[*idbReq]()
)

// txOf returns the state of the IDBTransaction v; a TypeError otherwise.
func (in *instance) txOf(v sobek.Value) *idbTx {
	t, ok := in.idbStateOf(v).(*idbTx)
	if !ok {
		panic(in.rt.NewTypeError("Illegal invocation"))
	}
	return t
}

// reqOf returns the state of the IDBRequest v; a TypeError otherwise.
func (in *instance) reqOf(v sobek.Value) *idbReq {
	r, ok := in.idbStateOf(v).(*idbReq)
	if !ok {
		panic(in.rt.NewTypeError("Illegal invocation"))
	}
	return r
}

// idbTargetOf returns the listeners Go knows of the IDBTransaction or
// IDBRequest v, or nil.
func (in *instance) idbTargetOf(v sobek.Value) *idbTarget {
	switch s := in.idbStateOf(v).(type) {
	case *idbTx:
		return &s.idbTarget
	case *idbReq:
		return &s.idbTarget
	}
	return nil
}

// idbConnOf returns a connection's state, made on first use.
func (in *instance) idbConnOf(c *indexeddb.Connection) *idbConn {
	cs := in.idb.conns[c]
	if cs == nil {
		cs = &idbConn{c: c, live: make(map[*idbTx]struct{})}
		if in.idb.conns != nil { // nil once the worker stopped
			in.idb.conns[c] = cs
		}
	}
	return cs
}

// idbFinished takes t off its connection's live transactions, and the
// connection off the instance's once it is closed and has none left.
func (in *instance) idbFinished(t *idbTx) {
	cs := t.conn
	delete(cs.live, t)
	if cs.closed && len(cs.live) == 0 && in.idb.conns[cs.c] == cs {
		delete(in.idb.conns, cs.c)
	}
}

// idbNewTx makes the IDBTransaction of t.
func (in *instance) idbNewTx(t *idbTx) *sobek.Object {
	in.idb.seq++
	t.seq = in.idb.seq
	t.obj = in.rt.CreateObject(in.idb.hooks.txProto)
	_ = t.obj.SetSymbol(in.idb.hooks.kState, in.rt.NewDynamicObject(t))
	t.conn.live[t] = struct{}{}
	return t.obj
}

// idbTransaction is host.idbTransaction(conn, scope, readwrite,
// durability, db): a new transaction of db on scope (a store name, or a
// sorted array of them), after IDBDatabase.transaction's checks. It is
// made inactive, and committed if it has no request, at the end of the
// task.
func (in *instance) idbTransaction(a *args) sobek.Value {
	c, ok := exportAs[*indexeddb.Connection](a.value())
	if !ok {
		panic(in.rt.NewTypeError("Illegal invocation"))
	}
	scope := a.value()
	readwrite := a.bool()
	durability := a.string()
	db, _ := a.value().(*sobek.Object)
	// Names as the schema keeps them (cacheName: a lone surrogate is
	// its own name).
	var names []string
	if sobek.IsString(scope) {
		names = []string{cacheName(scope)}
	} else if o, ok := scope.(*sobek.Object); ok {
		in.rt.ForOf(o, func(v sobek.Value) bool {
			names = append(names, cacheName(v))
			return true
		})
	}
	mode, m := indexeddb.ReadOnly, idbReadOnly
	if readwrite {
		mode, m = indexeddb.ReadWrite, idbReadWrite
	}
	tx, err := c.Transaction(names, mode)
	if err != nil {
		in.throw(err)
	}
	t := &idbTx{t: tx, db: db, conn: in.idbConnOf(c), names: names, mode: m, durability: durability}
	in.idb.created = append(in.idb.created, t)
	in.idb.pending = true
	return in.idbNewTx(t)
}

// idbUpgradeTx is host.idbUpgradeTx(conn, tx, db, request): the
// IDBTransaction of an upgrade, whose open request is request.
func (in *instance) idbUpgradeTx(c *indexeddb.Connection, tx *indexeddb.Transaction, db, req *sobek.Object) sobek.Value {
	t := &idbTx{t: tx, db: db, conn: in.idbConnOf(c), mode: idbVersionChange, durability: "default"}
	t.openReq = in.reqOf(req)
	return in.idbNewTx(t)
}

// idbAfterTask is the standard's "cleanup Indexed Database transactions"
// at the end of a task in which transactions were created: they become
// inactive, and those without a request commit.
func (in *instance) idbAfterTask() {
	in.idb.pending = false
	for _, t := range in.idb.created {
		if t.state == txActive {
			t.state = txInactive
		}
		in.idbMaybeCommit(t) // runs no script: nothing is created meanwhile
	}
	clear(in.idb.created)
	in.idb.created = in.idb.created[:0]
	if cap(in.idb.created) > 64 {
		in.idb.created = nil // a burst's list is not kept
	}
}

// idbTxCheck is host.idbTxCheck(tx, write): a TransactionInactiveError
// unless tx takes requests, then a ReadOnlyError for a write in a
// read-only transaction.
func (in *instance) idbTxCheck(tv sobek.Value, write bool) {
	t := in.txOf(tv)
	if t.state != txActive {
		in.throw(weberr.New(weberr.TransactionInactiveError, "The transaction is not active."))
	}
	if write && t.mode == idbReadOnly {
		in.throw(weberr.New(weberr.ReadOnlyError, "The transaction is read-only."))
	}
}

// idbTxMode is host.idbTxMode(tx): its mode's name.
func (in *instance) idbTxMode(tv sobek.Value) string { return idbModeNames[in.txOf(tv).mode] }

// idbTxDb is host.idbTxDb(tx): its IDBDatabase.
func (in *instance) idbTxDb(tv sobek.Value) sobek.Value { return in.txOf(tv).db }

// idbTxFinished is host.idbTxFinished(tx).
func (in *instance) idbTxFinished(tv sobek.Value) bool { return in.txOf(tv).state == txFinished }

// idbInitStores is host.idbInitStores({storeProto, storeStateProto,
// upgradeHandle}): see idbHooks.
func (in *instance) idbInitStores(hooks *sobek.Object) {
	h := &in.idb.hooks
	h.storeProto, _ = hooks.Get("storeProto").(*sobek.Object)
	h.storeStateProto, _ = hooks.Get("storeStateProto").(*sobek.Object)
	h.upgradeHandle, _ = sobek.AssertFunction(hooks.Get("upgradeHandle"))
	if h.storeProto == nil || h.storeStateProto == nil || h.upgradeHandle == nil {
		panic(in.rt.NewTypeError("idbInitStores: bad hooks"))
	}
}

// idbObjectStore is host.idbObjectStore(tx, name):
// IDBTransaction.objectStore, name already a string. The handle is made
// once per transaction and store; meta, the store's entry in the
// connection's schema mirror, is looked up in it.
func (in *instance) idbObjectStore(tv, nameV sobek.Value) sobek.Value {
	t := in.txOf(tv)
	if t.state == txFinished {
		in.throw(weberr.New(weberr.InvalidStateError, "The transaction has finished."))
	}
	name := cacheName(nameV)
	if h := t.handleOf(name); h != nil {
		return h
	}
	var meta sobek.Value
	if t.mode == idbVersionChange || slices.Contains(t.names, name) {
		meta = in.idbStoreMeta(t.db, nameV)
	}
	if meta == nil || sobek.IsUndefined(meta) {
		in.throw(weberr.New(weberr.NotFoundError, "The specified object store was not found."))
	}
	return in.idbNewStoreHandle(t, meta)
}

// idbStoreMeta returns db[kState].stores.get(name): the store's entry in
// the connection's schema mirror, or undefined.
func (in *instance) idbStoreMeta(db *sobek.Object, name sobek.Value) sobek.Value {
	st, _ := db.GetSymbol(in.idb.hooks.kState).(*sobek.Object)
	if st == nil {
		return nil
	}
	stores, _ := st.Get("stores").(*sobek.Object)
	if stores == nil {
		return nil
	}
	get, ok := sobek.AssertFunction(stores.Get("get"))
	if !ok {
		return nil
	}
	v, err := get(stores, name)
	if err != nil {
		panic(err)
	}
	return v
}

// idbStoreHandle is host.idbStoreHandle(tx, meta): a new object store
// handle of tx (createObjectStore's).
func (in *instance) idbStoreHandle(tv sobek.Value, meta *sobek.Object) sobek.Value {
	t := in.txOf(tv)
	if meta == nil {
		panic(in.rt.NewTypeError("idbStoreHandle: no store"))
	}
	return in.idbNewStoreHandle(t, meta)
}

// idbNewStoreHandle makes an object store handle of t for meta, kept as
// t's handle of meta's name.
func (in *instance) idbNewStoreHandle(t *idbTx, meta sobek.Value) *sobek.Object {
	h := in.rt.CreateObject(in.idb.hooks.storeProto)
	st := in.rt.CreateObject(in.idb.hooks.storeStateProto)
	_ = st.Set("tx", t.obj)
	_ = st.Set("meta", meta)
	_ = h.SetSymbol(in.idb.hooks.kState, st)
	t.keepHandle(cacheName(meta.(*sobek.Object).Get("name")), h)
	if t.mode == idbVersionChange {
		if _, err := in.idb.hooks.upgradeHandle(sobek.Undefined(), t.obj, h); err != nil {
			panic(err)
		}
	}
	return h
}

// idbKeepHandle is host.idbKeepHandle(tx, name, handle): tx's handle of
// the store named name is handle (undefined: none), after a rename or a
// delete in an upgrade.
func (in *instance) idbKeepHandle(tv, name, h sobek.Value) {
	o, _ := h.(*sobek.Object)
	in.txOf(tv).keepHandle(cacheName(name), o)
}

func (t *idbTx) handleOf(name string) *sobek.Object {
	if t.handles != nil {
		return t.handles[name]
	}
	if t.handle != nil && t.handleName == name {
		return t.handle
	}
	return nil
}

func (t *idbTx) keepHandle(name string, h *sobek.Object) {
	if t.handles == nil && (t.handle == nil || t.handleName == name) {
		t.handle, t.handleName = h, name
		return
	}
	if t.handles == nil {
		t.handles = map[string]*sobek.Object{t.handleName: t.handle}
		t.handle = nil
	}
	if h == nil {
		delete(t.handles, name)
	} else {
		t.handles[name] = h
	}
}

// idbTxScope is host.idbTxScope(tx): the store names of its scope.
func (in *instance) idbTxScope(tv sobek.Value) sobek.Value {
	names := in.txOf(tv).names
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = cacheNameValue(in.rt, n)
	}
	return in.rt.NewArray(out...)
}

// idbTxCommit is host.idbTxCommit(tx): IDBTransaction.commit().
func (in *instance) idbTxCommit(tv sobek.Value) {
	t := in.txOf(tv)
	if t.state != txActive {
		in.throw(weberr.New(weberr.InvalidStateError, "The transaction is not active."))
	}
	t.state = txCommitting
	in.idbMaybeCommit(t)
}

// idbTxAbort is host.idbTxAbort(tx): IDBTransaction.abort().
func (in *instance) idbTxAbort(tv sobek.Value) {
	t := in.txOf(tv)
	if t.state == txCommitting || t.state == txFinished {
		in.throw(weberr.New(weberr.InvalidStateError, "The transaction has finished or is committing."))
	}
	in.idbAbortTx(t, nil)
}

// idbTxAbortWith is host.idbTxAbortWith(tx, error): abort with error (a
// schema operation failed).
func (in *instance) idbTxAbortWith(tv, err sobek.Value) { in.idbAbortTx(in.txOf(tv), err) }

// idbUpgradeBegin is host.idbUpgradeBegin(tx): the upgrade transaction
// becomes active for upgradeneeded's dispatch.
func (in *instance) idbUpgradeBegin(tv sobek.Value) { in.txOf(tv).state = txActive }

// idbUpgradeEnd is host.idbUpgradeEnd(tx, threw): the end of
// upgradeneeded's task: inactive, then abort when a listener threw, or
// commit when nothing is pending.
func (in *instance) idbUpgradeEnd(tv sobek.Value, threw bool) {
	in.idbEndEventTask(in.txOf(tv), threw, "An upgradeneeded listener threw an exception.", nil)
}

// idbEndEventTask is the end of the task that fired a request's (or an
// upgrade's) event with t active, its microtasks run: t goes inactive,
// then aborts with an AbortError (message) when a listener threw, with
// abortErr when it is set (an error event nobody canceled), or commits
// when nothing is pending.
func (in *instance) idbEndEventTask(t *idbTx, threw bool, message string, abortErr sobek.Value) {
	if t.state == txActive {
		t.state = txInactive
	}
	switch {
	case threw:
		in.idbAbortTx(t, in.exception(weberr.New(weberr.AbortError, message)))
	case abortErr != nil:
		in.idbAbortTx(t, abortErr)
	default:
		in.idbMaybeCommit(t)
	}
}

// idbAbortLive is host.idbAbortLive(conn): the connection was closed by
// force; its unfinished transactions abort.
func (in *instance) idbAbortLive(c *indexeddb.Connection) {
	cs := in.idb.conns[c]
	if cs == nil {
		return
	}
	for _, t := range idbSortedLive(cs) {
		in.idbAbortTx(t, in.exception(weberr.New(weberr.AbortError, "The connection was closed.")))
	}
}

// idbSortedLive returns a connection's live transactions in creation
// order (their abort events are queued in that order).
func idbSortedLive(cs *idbConn) []*idbTx {
	out := make([]*idbTx, 0, len(cs.live))
	for t := range cs.live {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b *idbTx) int { return int(a.seq - b.seq) })
	return out
}

// idbNewRequest is host.idbNewRequest(request): the state of an
// IDBOpenDBRequest made by its constructor.
func (in *instance) idbNewRequest(o *sobek.Object) {
	if o == nil {
		panic(in.rt.NewTypeError("Illegal invocation"))
	}
	_ = o.SetSymbol(in.idb.hooks.kState, in.rt.NewDynamicObject(&idbReq{obj: o}))
}

// idbSetRequest is host.idbSetRequest(request, done, result, error, tx):
// an open or delete request's progress.
func (in *instance) idbSetRequest(a *args) sobek.Value {
	r := in.reqOf(a.value())
	r.done = a.bool()
	r.result = a.value()
	r.err, r.txv = nilIfNull(a.value()), nilIfNull(a.value())
	return sobek.Undefined()
}

func nilIfNull(v sobek.Value) sobek.Value {
	if v == nil || sobek.IsNull(v) || sobek.IsUndefined(v) {
		return nil
	}
	return v
}

// idbPlace places a new request (from source) on t, or req again (a
// cursor's, iterated once more).
func (in *instance) idbPlace(t *idbTx, source sobek.Value, req *idbReq) *idbReq {
	if req == nil {
		req = &idbReq{source: nilIfNull(source), tx: t}
		req.obj = in.rt.CreateObject(in.idb.hooks.reqProto)
		_ = req.obj.SetSymbol(in.idb.hooks.kState, in.rt.NewDynamicObject(req))
	} else {
		req.done = false
	}
	t.queue = append(t.queue, req)
	return req
}

// unplace takes back the last request placed (its operation could not
// be queued).
func (t *idbTx) unplace() { t.queue = t.queue[:len(t.queue)-1] }

// unqueue takes req off t's pending requests; false when it is not there
// (t aborted: req's error event is on its way).
func (t *idbTx) unqueue(req *idbReq) bool {
	q := t.queue
	i := t.head
	if i >= len(q) {
		return false
	}
	if q[i] != req {
		for j := i + 1; j < len(q); j++ {
			if q[j] == req {
				t.queue = append(q[:j], q[j+1:]...)
				return true
			}
		}
		return false
	}
	q[i] = nil
	i++
	t.head = i
	if i == len(q) {
		t.queue, t.head = q[:0], 0
	} else if i > 64 && i*2 > len(q) {
		n := copy(q, q[i:])
		clear(q[n:])
		t.queue, t.head = q[:n], 0
	}
	return true
}

func (t *idbTx) pending() bool { return t.head < len(t.queue) }

// idbFire fires a trusted event of type at the request req (when not
// nil), then t and t's connection, unless none of them listens to type;
// it returns whether the event was not canceled and whether a listener
// threw. When the path's only listeners of type are handlers Go keeps,
// Go dispatches (idbDispatch); otherwise the bootstrap does, after those
// handlers moved to its listener lists.
func (in *instance) idbFire(typ string, bubbles, cancelable bool, req *idbReq, t *idbTx) (notCanceled, threw bool) {
	bit := listenBit(typ)
	var path [3]*sobek.Object
	var targets [2]*idbTarget // of path[0] and path[1]; a connection has none
	n, l, js := 0, uint8(0), uint8(0)
	if req != nil {
		path[0], targets[0] = req.obj, &req.idbTarget
		n = 1
		l, js = req.listens, req.inJS
	}
	if t != nil {
		path[n], targets[n] = t.obj, &t.idbTarget
		path[n+1] = t.db
		n += 2
		l |= t.listens | t.conn.listens
		js |= t.inJS | t.conn.listens // a connection's listeners are all the bootstrap's
	}
	if l&bit == 0 {
		return true, false
	}
	if js&bit == 0 {
		return in.idbDispatch(typ, bit, bubbles, cancelable, path[:n], targets[:])
	}
	for k, tg := range targets {
		if tg != nil {
			in.idbHandlerToJS(tg, path[k], bit)
		}
	}
	args := [6]sobek.Value{in.rt.ToValue(typ), in.rt.ToValue(bubbles), in.rt.ToValue(cancelable), sobek.Undefined(), sobek.Undefined(), sobek.Undefined()}
	for i := range n {
		args[3+i] = path[i]
	}
	r, err := in.idb.hooks.fire(sobek.Undefined(), args[:]...)
	if err != nil {
		in.reportCallbackError(err)
		return true, false
	}
	f := r.ToInteger()
	return f&1 != 0, f&2 != 0
}

// idbHandlerToJS moves tg's handler of the type bit (when Go keeps one)
// to the JavaScript listener list of obj, tg's object; the type's
// listeners are the bootstrap's from then on.
func (in *instance) idbHandlerToJS(tg *idbTarget, obj *sobek.Object, bit uint8) {
	if tg.inJS&bit != 0 {
		return
	}
	tg.inJS |= bit
	i := bitIndex(bit)
	if h := tg.handlers[i]; h != nil {
		tg.handlers[i] = nil
		if _, err := in.idb.hooks.setHandler(sobek.Undefined(), obj, in.rt.ToValue(idbEventTypes[i]), h); err != nil {
			panic(err)
		}
	}
}

// The event flags and state slots of js/02_event.js that idbDispatch
// uses.
const (
	evDispatch   = 1
	evTrusted    = 2
	evStop       = 8
	evCanceled   = 32
	evBubbles    = 256
	evCancelable = 512
)

// idbDispatch is the DOM standard's dispatch of a trusted event along
// path (a request's or transaction's, then their parents) when its only
// listeners are event handlers Go keeps (targets[k] has path[k]'s): the
// target's handler, then, when the event bubbles, its parents', in
// order, until one stops propagation. A handler returning false cancels
// a cancelable event; an exception is reported and the others still run.
// Handlers are never capturing, so there is no capturing phase to run.
func (in *instance) idbDispatch(typ string, bit uint8, bubbles, cancelable bool, path []*sobek.Object, targets []*idbTarget) (notCanceled, threw bool) {
	rt := in.rt
	i := bitIndex(bit)
	flags := int64(evDispatch | evTrusted)
	if bubbles {
		flags |= evBubbles
	}
	if cancelable {
		flags |= evCancelable
	}
	ev := rt.CreateObject(in.idb.hooks.evProto)
	st := rt.NewArray(typ, flags, path[0], in.now(), nil, 0, sobek.Undefined(), sobek.Undefined())
	_ = ev.SetSymbol(in.idb.hooks.kState, st)
	flagsOf := func() int64 { return st.Get("1").ToInteger() }
	invoke := func(k int) {
		fn, ok := sobek.AssertFunction(targets[k].handlers[i])
		if !ok {
			return
		}
		r, err := fn(path[k], ev)
		if err != nil {
			threw = true
			if ex, ok := err.(*sobek.Exception); ok {
				if _, err := in.js.reportException(sobek.Undefined(), ex.Value()); err != nil {
					_ = in.reportException(ex.Value())
				}
			} else {
				in.reportCallbackError(err)
			}
			return
		}
		if r != nil && r.StrictEquals(rt.ToValue(false)) {
			if f := flagsOf(); f&evCancelable != 0 {
				_ = st.Set("1", f|evCanceled)
			}
		}
	}
	invoke(0)
	phased := false
	if bubbles {
		for k := 1; k < len(path) && flagsOf()&evStop == 0; k++ {
			if k >= len(targets) || targets[k] == nil || targets[k].handlers[i] == nil {
				continue
			}
			_ = st.Set("cur", path[k])
			_ = st.Set("phase", 3)
			phased = true
			invoke(k)
		}
	}
	if phased {
		_ = st.Set("cur", sobek.Undefined())
		_ = st.Set("phase", 0)
	}
	f := flagsOf() &^ evDispatch
	_ = st.Set("1", f)
	return f&evCanceled == 0, threw
}

// idbDeliver is a request's result (or error, errv non-nil) arriving, as
// a task: its success (or error) event fires with the transaction active;
// then the transaction goes inactive and aborts (a listener threw, or the
// error event was not canceled) or commits when nothing is pending.
func (in *instance) idbDeliver(req *idbReq, result, errv sobek.Value) {
	t := req.tx
	if t.state == txFinished || !t.unqueue(req) {
		return
	}
	req.done = true
	if req.cursor != nil {
		if errv == nil && result != nil && !sobek.IsNull(result) {
			v, err := in.idb.hooks.cursorStep(sobek.Undefined(), req.cursor, result)
			if err != nil {
				in.reportCallbackError(err)
			}
			result = v
		} else {
			result = sobek.Null()
		}
	}
	if errv != nil {
		req.result, req.err = nil, errv
		if t.state != txCommitting {
			t.state = txActive
		}
		notCanceled, threw := in.idbFire("error", true, true, req, t)
		if !notCanceled {
			errv = nil
		}
		in.idbEndEventTask(t, threw, "An error listener threw an exception.", errv)
		return
	}
	if req.wrap != nil {
		v, err := req.wrap(sobek.Undefined(), result)
		if err != nil {
			in.reportCallbackError(err)
		}
		result = v
	}
	req.result, req.err = result, nil
	if t.state != txCommitting {
		t.state = txActive
	}
	_, threw := in.idbFire("success", false, false, req, t)
	in.idbEndEventTask(t, threw, "A success listener threw an exception.", nil)
}

// idbMaybeCommit commits t when it is inactive (or committing) and has
// no pending request: complete (or abort) follows as a task.
func (in *instance) idbMaybeCommit(t *idbTx) {
	if t.pending() || t.commitQueued || (t.state != txInactive && t.state != txCommitting) {
		return
	}
	t.state = txCommitting
	t.commitQueued = true
	if t.t.TryCommit() {
		// Nothing to write: finished here, complete as a task.
		in.loop.Submit(func() { in.idbCommitted(t, nil) })
		return
	}
	deliver := in.loop.Reserve()
	t.t.Commit(func(err error) { deliver(func() { in.idbCommitted(t, err) }) })
}

// idbCommitted is the end of t's commit: complete, or abort with err.
func (in *instance) idbCommitted(t *idbTx, err error) {
	if t.state == txFinished {
		return
	}
	if err != nil {
		in.idbAbortTx(t, in.exception(err))
		return
	}
	t.state = txFinished
	in.idbFinished(t)
	if t.mode == idbVersionChange {
		in.idbHook(in.idb.hooks.upgradeEnded, t.obj)
	}
	in.idbFire("complete", false, false, nil, t)
}

// idbAbortTx is the standard's "abort a transaction" with errv (nil for
// abort()): the engine's transaction aborts, the pending requests get an
// AbortError and their error events, then abort fires, each as a task.
func (in *instance) idbAbortTx(t *idbTx, errv sobek.Value) {
	if t.state == txFinished {
		return
	}
	t.t.Abort(nil)
	t.state = txFinished
	if errv != nil {
		t.err = errv
	}
	in.idbFinished(t)
	if t.mode == idbVersionChange {
		in.idbHook(in.idb.hooks.upgradeAborted, t.obj)
	}
	reqs := t.queue[t.head:]
	t.queue, t.head = nil, 0
	for _, r := range reqs {
		r.done, r.result = true, nil
		r.err = in.exception(weberr.New(weberr.AbortError, "The transaction was aborted."))
		in.loop.Submit(func() { in.idbFire("error", true, true, r, t) })
	}
	in.loop.Submit(func() {
		if t.mode == idbVersionChange {
			in.idbHook(in.idb.hooks.upgradeEnded, t.obj)
		}
		in.idbFire("abort", true, false, nil, t)
		if t.openReq != nil {
			t.openReq.txv = nil
		}
	})
}

// idbHook calls a hook of the bootstrap with tx.
func (in *instance) idbHook(fn sobek.Callable, tx *sobek.Object) {
	if _, err := fn(sobek.Undefined(), tx); err != nil {
		in.reportCallbackError(err)
	}
}

// idbListen is the kOnListen method of IndexedDB's event targets,
// this[kOnListen](type, inJS): a listener or handler of type was added
// to this (the EventTarget's setHandler), or, with inJS, the JavaScript
// listener list of type is about to be used (addEventListener adds to
// it, dispatchEvent dispatches from it): a handler of type Go keeps
// moves there first.
func (in *instance) idbListen(a *args) sobek.Value {
	bit := listenBit(a.string())
	inJS := a.bool()
	if bit == 0 {
		return sobek.Undefined()
	}
	tg := in.idbTargetOf(a.call.This)
	if tg == nil {
		// An IDBDatabase: its state is the bootstrap's, holding conn.
		if st, ok := a.call.This.(*sobek.Object); ok && in.idb.hooks.kState != nil {
			if o, ok := st.GetSymbol(in.idb.hooks.kState).(*sobek.Object); ok {
				if c, ok := exportAs[*indexeddb.Connection](o.Get("conn")); ok {
					// A connection without state is closed and has no
					// transaction left: Go fires nothing at it.
					if cs := in.idb.conns[c]; cs != nil {
						cs.listens |= bit
					}
				}
			}
		}
		return sobek.Undefined()
	}
	tg.listens |= bit
	if inJS {
		in.idbHandlerToJS(tg, a.call.This.(*sobek.Object), bit)
	}
	return sobek.Undefined()
}

// idbHandlers is host.idbHandlers(): the native event handler attributes
// of IDBRequest (onsuccess, onerror) and IDBTransaction (oncomplete,
// onabort, onerror), {request: {success: [get, set], ...}, transaction:
// {...}}. A handler is Go's (idbTarget) until its type's listeners are
// the bootstrap's; it is then the EventTarget's, read and set through
// getHandler and setHandler.
func (in *instance) idbHandlers() sobek.Value {
	rt := in.rt
	targetOf := func(this sobek.Value) *idbTarget {
		if tg := in.idbTargetOf(this); tg != nil {
			return tg
		}
		panic(rt.NewTypeError("Illegal invocation"))
	}
	accessors := func(types ...string) *sobek.Object {
		out := rt.NewObject()
		for _, typ := range types {
			bit := listenBit(typ)
			i := bitIndex(bit)
			name := rt.ToValue(typ)
			get := in.native("on"+typ, func(c sobek.FunctionCall) sobek.Value {
				tg := targetOf(c.This)
				if tg.inJS&bit != 0 {
					v, err := in.idb.hooks.getHandler(sobek.Undefined(), c.This, name)
					if err != nil {
						panic(err)
					}
					return v
				}
				if h := tg.handlers[i]; h != nil {
					return h
				}
				return sobek.Null()
			})
			set := in.native("on"+typ, func(c sobek.FunctionCall) sobek.Value {
				tg := targetOf(c.This)
				v := c.Argument(0)
				if tg.inJS&bit != 0 {
					if _, err := in.idb.hooks.setHandler(sobek.Undefined(), c.This, name, v); err != nil {
						panic(err)
					}
					return sobek.Undefined()
				}
				// WebIDL's EventHandler: a non-object is null.
				if _, ok := v.(*sobek.Object); !ok {
					tg.handlers[i] = nil
					return sobek.Undefined()
				}
				tg.handlers[i] = v
				tg.listens |= bit
				return sobek.Undefined()
			})
			_ = out.Set(typ, rt.NewArray(get, set))
		}
		return out
	}
	out := rt.NewObject()
	_ = out.Set("request", accessors("success", "error"))
	_ = out.Set("transaction", accessors("abort", "complete", "error"))
	return out
}

// idbGetters is host.idbGetters(): the native getters of IDBRequest
// (result, error, source, transaction, readyState) and IDBTransaction
// (mode, durability, db, error), by interface then name.
func (in *instance) idbGetters() sobek.Value {
	rt := in.rt
	pending := func(r *idbReq) {
		if !r.done {
			in.throw(weberr.New(weberr.InvalidStateError, "The request has not finished."))
		}
	}
	orUndefined := func(v sobek.Value) sobek.Value {
		if v == nil {
			return sobek.Undefined()
		}
		return v
	}
	orNull := func(v sobek.Value) sobek.Value {
		if v == nil {
			return sobek.Null()
		}
		return v
	}
	reqGetters := map[string]func(*idbReq) sobek.Value{
		"result": func(r *idbReq) sobek.Value { pending(r); return orUndefined(r.result) },
		"error":  func(r *idbReq) sobek.Value { pending(r); return orNull(r.err) },
		"source": func(r *idbReq) sobek.Value { return orNull(r.source) },
		"transaction": func(r *idbReq) sobek.Value {
			if r.tx != nil {
				return r.tx.obj
			}
			return orNull(r.txv)
		},
		"readyState": func(r *idbReq) sobek.Value {
			if r.done {
				return rt.ToValue("done")
			}
			return rt.ToValue("pending")
		},
	}
	txGetters := map[string]func(*idbTx) sobek.Value{
		"mode":       func(t *idbTx) sobek.Value { return rt.ToValue(idbModeNames[t.mode]) },
		"durability": func(t *idbTx) sobek.Value { return rt.ToValue(t.durability) },
		"db":         func(t *idbTx) sobek.Value { return t.db },
		"error":      func(t *idbTx) sobek.Value { return orNull(t.err) },
	}
	req, tx := rt.NewObject(), rt.NewObject()
	for name, g := range reqGetters {
		_ = req.Set(name, in.native(name, func(c sobek.FunctionCall) sobek.Value { return g(in.reqOf(c.This)) }))
	}
	for name, g := range txGetters {
		_ = tx.Set(name, in.native(name, func(c sobek.FunctionCall) sobek.Value { return g(in.txOf(c.This)) }))
	}
	out := rt.NewObject()
	_ = out.Set("request", req)
	_ = out.Set("transaction", tx)
	return out
}

package indexeddb

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/swhost/swhost/quota"
	"github.com/swhost/swhost/weberr"
)

// Factory is the IndexedDB engine of a process: every database of every
// origin on one Backend. Workers of an origin share its databases through
// it, so one Factory serves every worker of the process (the standard's
// connection queues, version changes and transaction scheduling span
// them all). It is safe for concurrent use.
type Factory struct {
	backend Backend
	codec   HostCodec
	ctx     context.Context
	quota   quotaLimit

	mu  sync.Mutex
	dbs map[string]*database
}

// NewFactory returns the engine over backend; codec stores the host
// values (Blob, File) of records.
func NewFactory(backend Backend, codec HostCodec) *Factory {
	return &Factory{backend: backend, codec: codec, ctx: context.Background(), dbs: make(map[string]*database)}
}

// Backend returns the factory's backend.
func (f *Factory) Backend() Backend { return f.backend }

// InlineReader is implemented by a [Backend] that can say its reads are
// quick and never wait on a commit (in memory; SQLite in WAL mode, whose
// readers do not wait on its writer), so that an operation may run on
// the goroutine that places it ([Transaction.TryRun]).
type InlineReader interface {
	// InlineReads reports whether reads may run on the caller's
	// goroutine.
	InlineReads() bool
}

// InlineReads reports whether the backend's reads may run on the
// goroutine that places an operation: an [InlineReader] backend that
// says so.
func (f *Factory) InlineReads() bool {
	ir, ok := f.backend.(InlineReader)
	return ok && ir.InlineReads()
}

// Codec returns the factory's host-value codec.
func (f *Factory) Codec() HostCodec { return f.codec }

// enqueue queues fn on the connection queue of origin's database name,
// made when the factory has none: a database with no connection,
// transaction or queued request is dropped from the factory (release),
// so that a process serving many databases over time (or a script opening
// new names without end) keeps only those in use; its schema is read from
// the backend again when it is next opened.
func (f *Factory) enqueue(origin, name string, fn func(*database)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := dbKey(origin, name)
	d := f.dbs[k]
	if d == nil {
		d = &database{f: f, origin: origin, name: name, key: k}
		f.dbs[k] = d
	}
	d.enqueue(func() { fn(d) }) // queued under f.mu: release sees it busy
}

// inUse returns origin's database name when the factory has it (it is in
// use), or nil.
func (f *Factory) inUse(origin, name string) *database {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dbs[dbKey(origin, name)]
}

func dbKey(origin, name string) string { return origin + "\x00" + name }

// release drops d from the factory when nothing uses it any more; called
// without d.mu held, whenever d may have become idle.
func (f *Factory) release(d *database) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.busy || len(d.requests) > 0 || len(d.conns) > 0 || d.txs.first != nil || d.changed != nil {
		return
	}
	if f.dbs[d.key] == d {
		delete(f.dbs, d.key)
	}
}

// Databases lists origin's databases (IDBFactory.databases()).
func (f *Factory) Databases(ctx context.Context, origin string) ([]DatabaseInfo, error) {
	list, err := f.backend.Databases(ctx, origin)
	if err != nil {
		return nil, fmt.Errorf("indexeddb: databases of %s: %w", origin, err)
	}
	return list, nil
}

// Usage returns what origin's storage takes as the backend counts it
// ([Backend.Usage]).
func (f *Factory) Usage(ctx context.Context, origin string) (quota.Usage, error) {
	u, err := f.backend.Usage(ctx, origin)
	if err != nil {
		return u, fmt.Errorf("indexeddb: usage of %s: %w", origin, err)
	}
	return u, nil
}

// Events are how the engine reaches a connection's script: OnVersionChange
// fires versionchange at the connection (newVersion 0 with deleting for a
// deletion) and calls ack once it is dispatched; it returns false when it
// cannot (the connection's worker stopped), and the connection is then
// closed. It is called on the engine's goroutines and must not block.
type Events struct {
	OnVersionChange func(oldVersion, newVersion uint64, deleting bool, ack func()) bool
	// OnForceClose, when set, is called once after the connection was
	// closed by ForceClose or [Factory.CloseConnections] and its
	// transactions, aborted, have all finished (the standard's "close a
	// database connection" with the forced flag, which then fires close
	// at the connection). It is called from an engine goroutine or
	// ForceClose's caller, and must not block.
	OnForceClose func()
}

// OpenCallbacks receive the progress of an open or delete request, in
// order, from the engine's goroutines; none may block.
type OpenCallbacks struct {
	// Blocked: other connections stay open after their versionchange.
	Blocked func(oldVersion, newVersion uint64)
	// Upgrade fires upgradeneeded with the upgrade transaction (open
	// only); false when it cannot, which aborts the transaction.
	Upgrade func(conn *Connection, tx *Transaction, oldVersion uint64) bool
	// Done ends the request: the connection (nil for a delete) and the
	// version before the request, or an error.
	Done func(conn *Connection, oldVersion uint64, err error)
}

// database is the engine's state of one database: its committed schema,
// connections, unfinished transactions and connection queue.
type database struct {
	f            *Factory
	origin, name string
	key          string // in f.dbs

	mu       sync.Mutex
	loaded   bool
	schema   *Schema // committed; nil when the database does not exist. Replaced, never changed in place: read-only transactions share it
	conns    []*Connection
	txs      txList // unfinished, in creation order
	sched    scheduler
	requests []func()      // the connection queue
	busy     bool          // a goroutine runs the queue
	changed  chan struct{} // made by a waiter; closed (and dropped) on the next change
}

// notify wakes the waiters; d.mu is held.
func (d *database) notify() {
	if d.changed != nil {
		close(d.changed)
		d.changed = nil
	}
}

// waitFor waits until cond (called with d.mu held) is true.
func (d *database) waitFor(cond func() bool) {
	d.mu.Lock()
	for !cond() {
		if d.changed == nil {
			d.changed = make(chan struct{})
		}
		ch := d.changed
		d.mu.Unlock()
		<-ch
		d.mu.Lock()
	}
	d.mu.Unlock()
}

// enqueue adds a request to the connection queue, run one at a time in
// order on a goroutine.
func (d *database) enqueue(fn func()) {
	d.mu.Lock()
	d.requests = append(d.requests, fn)
	if d.busy {
		d.mu.Unlock()
		return
	}
	d.busy = true
	d.mu.Unlock()
	go func() {
		for {
			d.mu.Lock()
			if len(d.requests) == 0 {
				d.busy = false
				d.mu.Unlock()
				d.f.release(d)
				return
			}
			fn := d.requests[0]
			d.requests = d.requests[1:]
			d.mu.Unlock()
			fn()
		}
	}()
}

// load reads the schema from the backend the first time.
func (d *database) load() error {
	d.mu.Lock()
	loaded := d.loaded
	d.mu.Unlock()
	if loaded {
		return nil
	}
	s, err := d.f.backend.Load(d.f.ctx, d.origin, d.name)
	if err != nil {
		return weberr.Errorf(weberr.UnknownError, "indexeddb: loading %q: %w", d.name, err)
	}
	d.mu.Lock()
	d.schema, d.loaded = s, true
	d.mu.Unlock()
	return nil
}

// Open runs the standard's "open a database connection" for origin's
// database name: version 0 means none given (the current version, or 1
// for a new database). ev reaches the new connection's script later.
func (f *Factory) Open(origin, name string, version uint64, ev Events, cb OpenCallbacks) {
	f.enqueue(origin, name, func(d *database) { d.open(version, ev, cb) })
}

func (d *database) open(version uint64, ev Events, cb OpenCallbacks) {
	if err := d.load(); err != nil {
		cb.Done(nil, 0, err)
		return
	}
	d.mu.Lock()
	var cur uint64
	if d.schema != nil {
		cur = d.schema.Version
	}
	if version == 0 {
		version = max(cur, 1)
	}
	if version < cur {
		d.mu.Unlock()
		cb.Done(nil, 0, weberr.Errorf(weberr.VersionError, "the requested version (%d) is less than the existing version (%d)", version, cur))
		return
	}
	conn := &Connection{db: d, version: cur, ev: ev}
	d.conns = append(d.conns, conn)
	d.mu.Unlock()
	if version > cur {
		d.versionChange(conn, cur, version, false, cb.Blocked)
		d.mu.Lock()
		var schema *Schema
		if d.schema != nil {
			schema = d.schema.Clone()
		} else {
			schema = &Schema{Name: d.name, NextID: 1}
		}
		schema.Version = version
		tx := d.newTransaction(conn, VersionChange, nil, schema)
		conn.version = version
		d.mu.Unlock()
		if !cb.Upgrade(conn, tx, cur) {
			tx.Abort(nil)
		}
		<-tx.Done()
		d.mu.Lock()
		closed := conn.closePending
		d.mu.Unlock()
		if tx.Err() != nil || closed {
			conn.close(true)
			if tx.Err() == nil {
				cb.Done(nil, cur, weberr.New(weberr.AbortError, "the connection was closed during the upgrade"))
			} else {
				cb.Done(nil, cur, weberr.New(weberr.AbortError, "the upgrade transaction was aborted"))
			}
			return
		}
	}
	cb.Done(conn, cur, nil)
}

// versionChange fires versionchange at the connections other than
// except, waits for their dispatch, fires blocked when some stay open,
// and waits until they are all closed.
func (d *database) versionChange(except *Connection, oldVersion, newVersion uint64, deleting bool, blocked func(uint64, uint64)) {
	d.mu.Lock()
	var others []*Connection
	for _, c := range d.conns {
		if c != except && !c.closePending {
			others = append(others, c)
		}
	}
	d.mu.Unlock()
	for _, c := range others {
		acked := false
		ack := func() {
			d.mu.Lock()
			acked = true
			d.notify()
			d.mu.Unlock()
		}
		if c.ev.OnVersionChange == nil || !c.ev.OnVersionChange(oldVersion, newVersion, deleting, ack) {
			c.ForceClose()
			continue
		}
		d.waitFor(func() bool { return acked || c.closePending })
	}
	open := func() bool {
		for _, c := range others {
			if !c.closed {
				return true
			}
		}
		return false
	}
	d.mu.Lock()
	stillOpen := false
	for _, c := range others {
		if !c.closePending {
			stillOpen = true
		}
	}
	d.mu.Unlock()
	if stillOpen && blocked != nil {
		blocked(oldVersion, newVersion)
	}
	d.waitFor(func() bool { return !open() })
}

// DeleteDatabase runs the standard's "delete a database" for origin's
// database name; Done gets the version it had (0 when there was none).
func (f *Factory) DeleteDatabase(origin, name string, cb OpenCallbacks) {
	f.enqueue(origin, name, func(d *database) { d.delete(cb) })
}

func (d *database) delete(cb OpenCallbacks) {
	if err := d.load(); err != nil {
		cb.Done(nil, 0, err)
		return
	}
	d.mu.Lock()
	exists := d.schema != nil
	var old uint64
	if exists {
		old = d.schema.Version
	}
	d.mu.Unlock()
	if !exists {
		cb.Done(nil, 0, nil)
		return
	}
	d.versionChange(nil, old, 0, true, cb.Blocked)
	if err := d.f.backend.DeleteDatabase(d.f.ctx, d.origin, d.name); err != nil {
		cb.Done(nil, 0, weberr.Errorf(weberr.UnknownError, "indexeddb: deleting %q: %w", d.name, err))
		return
	}
	d.mu.Lock()
	d.schema = nil
	d.mu.Unlock()
	cb.Done(nil, old, nil)
}

// newTransaction creates a transaction and schedules it; d.mu is held.
func (d *database) newTransaction(conn *Connection, mode Mode, scope []string, schema *Schema) *Transaction {
	t := &Transaction{db: d, conn: conn, mode: mode, scope: scope, schema: schema,
		done: make(chan struct{})}
	if schema != nil {
		t.nextID = schema.NextID
	}
	d.txs.push(t)
	conn.txs++
	d.sched.add(t, d.start)
	return t
}

// start starts t, which the scheduler lets start, unless an abort got
// there first; d.mu is held.
func (d *database) start(t *Transaction) bool {
	// A read-only transaction shares the database's schema, which is
	// replaced, never changed, once published (finish); the others
	// change their copy.
	schema := t.schema
	switch {
	case schema != nil:
	case t.mode == ReadOnly:
		schema = d.schema
	default:
		schema = d.schema.Clone()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.aborted {
		return false
	}
	t.started = true
	t.tx = newTx(d.f.ctx, d.f.backend, d.f.codec, t.mode, schema)
	t.kick()
	return true
}

// finish records that t committed (err nil) or aborted, calls then (the
// callbacks still due) and closes t.Done.
func (d *database) finish(t *Transaction, err error, then func()) {
	d.mu.Lock()
	t.mu.Lock()
	t.finished, t.err = true, err
	tx := t.tx
	t.mu.Unlock()
	if err == nil && tx != nil {
		switch t.mode {
		case VersionChange:
			d.schema = tx.schema
		case ReadWrite:
			if len(tx.gens) > 0 {
				s := d.schema.Clone() // read-only transactions may share d.schema
				for id := range tx.gens {
					if st, cur := tx.schema.StoreByID(id), s.StoreByID(id); st != nil && cur != nil {
						cur.Current = st.Current
					}
				}
				d.schema = s
			}
		}
	}
	d.txs.remove(t)
	t.conn.txs--
	var forced func()
	connClosed := false
	if t.conn.closePending && t.conn.txs == 0 {
		t.conn.closed, connClosed = true, true
		d.conns = slices.DeleteFunc(d.conns, func(o *Connection) bool { return o == t.conn })
		forced = t.conn.forcedDone()
	}
	d.sched.remove(t, d.start)
	d.notify()
	d.mu.Unlock()
	then()
	close(t.done)
	if forced != nil {
		forced()
	}
	if connClosed {
		d.f.release(d)
	}
}

// Connection is a connection to a database.
type Connection struct {
	db           *database
	version      uint64
	ev           Events
	txs          int  // unfinished transactions
	closePending bool // close() was called
	closed       bool // and its transactions have finished
	forced       bool // closed by ForceClose: OnForceClose is due
}

// forcedDone returns the OnForceClose call due now that a forced close
// has finished, once; d.mu is held.
func (c *Connection) forcedDone() func() {
	if !c.forced || c.ev.OnForceClose == nil {
		return nil
	}
	c.forced = false
	return c.ev.OnForceClose
}

// Version returns the connection's version.
func (c *Connection) Version() uint64 {
	c.db.mu.Lock()
	defer c.db.mu.Unlock()
	return c.version
}

// Schema returns a copy of the database's committed schema.
func (c *Connection) Schema() *Schema {
	c.db.mu.Lock()
	defer c.db.mu.Unlock()
	if c.db.schema == nil {
		return &Schema{Name: c.db.name}
	}
	return c.db.schema.Clone()
}

// Name returns the database's name.
func (c *Connection) Name() string { return c.db.name }

// Transaction creates a transaction over the object stores named scope
// (which the caller checked exist) in mode ReadOnly or ReadWrite.
func (c *Connection) Transaction(scope []string, mode Mode) (*Transaction, error) {
	d := c.db
	d.mu.Lock()
	defer d.mu.Unlock()
	if c.closePending {
		return nil, weberr.New(weberr.InvalidStateError, "the connection is closing")
	}
	if mode == VersionChange {
		return nil, weberr.New(weberr.TypeError, "a versionchange transaction cannot be created")
	}
	if d.schema == nil {
		return nil, weberr.New(weberr.InvalidStateError, "the database does not exist")
	}
	return d.newTransaction(c, mode, slices.Clone(scope), nil), nil
}

// Close is the standard's "close a database connection": no new
// transactions, and the connection is closed once its transactions have
// finished.
func (c *Connection) Close() { c.close(false) }

// ForceClose closes the connection and aborts its transactions (its
// worker stopped, its database is deleted by the host); once they have
// finished, Events.OnForceClose is called. Force-closing a connection
// that is already closing only aborts its transactions.
func (c *Connection) ForceClose() { c.close(true) }

func (c *Connection) close(force bool) {
	d := c.db
	d.mu.Lock()
	var abort []*Transaction
	if force {
		if !c.closePending {
			c.forced = true
		}
		for t := d.txs.first; t != nil; t = t.next {
			if t.conn == c {
				abort = append(abort, t)
			}
		}
	}
	c.closePending = true
	var forced func()
	if c.txs == 0 {
		c.closed = true
		forced = c.forcedDone()
	}
	d.conns = slices.DeleteFunc(d.conns, func(o *Connection) bool { return o == c && c.closed })
	closed := c.closed
	d.notify()
	d.mu.Unlock()
	for _, t := range abort {
		t.Abort(weberr.New(weberr.AbortError, "the connection was closed"))
	}
	if forced != nil {
		forced()
	}
	if closed {
		d.f.release(d)
	}
}

// CloseConnections force-closes every open connection to origin's
// database name ([Connection.ForceClose]): the user agent closing them,
// as it does before deleting the database for the host. It returns how
// many it closed.
func (f *Factory) CloseConnections(origin, name string) int {
	d := f.inUse(origin, name)
	if d == nil {
		return 0 // no connection: the database is not in use
	}
	d.mu.Lock()
	var open []*Connection
	for _, c := range d.conns {
		if !c.closePending {
			open = append(open, c)
		}
	}
	d.mu.Unlock()
	for _, c := range open {
		c.ForceClose()
	}
	return len(open)
}

package indexeddb

import (
	"fmt"
	"sync"

	"github.com/swhost/swhost/quota"
	"github.com/swhost/swhost/weberr"
)

// Transaction is a transaction of a connection. Its operations are queued
// with Do in the order the script placed its requests and run one at a
// time, in that order, on the transaction's own goroutine once the
// scheduler starts it: read/write transactions whose scopes overlap run
// one after the other in creation order, across every connection to the
// database in the process; read-only ones run alongside each other.
//
// Every callback given to Do and Commit is called exactly once, from the
// transaction's goroutine (or from Abort's caller for a transaction that
// had not started), and must not block.
type Transaction struct {
	db    *database
	conn  *Connection
	mode  Mode
	scope []string // store names; nil for an upgrade transaction (every store)

	// Scheduling state, guarded by the database's lock.
	scheduled  bool         // the scheduler started it
	dropped    bool         // it finished without starting (see scheduler.remove)
	prev, next *Transaction // the database's unfinished transactions

	mu       sync.Mutex
	queue    []op
	started  bool
	running  bool // a goroutine drains the queue, or TryRun runs an operation
	closing  bool // Commit was called: no more operations
	aborted  bool
	abortErr error
	finished bool
	nextID   int64 // upgrade transactions: the next store or index ID
	tx       *Tx
	schema   *Schema // the schema the transaction starts with
	done     chan struct{}
	err      error // why it aborted, once finished; nil when committed
}

type op struct {
	run    func(*Tx) (any, error)
	done   func(any, error)
	commit func(error)
}

// Mode returns the transaction's mode.
func (t *Transaction) Mode() Mode { return t.mode }

// Done is closed when the transaction has finished (committed or
// aborted); Err then says which.
func (t *Transaction) Done() <-chan struct{} { return t.done }

// Err returns nil for a committed transaction, or why it aborted. It is
// valid once Done is closed.
func (t *Transaction) Err() error { return t.err }

// NewID reserves the ID of an object store or index an upgrade
// transaction will create ([Tx.CreateStore], [Tx.CreateIndex]). It is
// safe to call while operations run.
func (t *Transaction) NewID() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	id := t.nextID
	t.nextID++
	return id
}

// errFinished refuses operations on a transaction that is committing or
// finished.
var errFinished = weberr.New(weberr.TransactionInactiveError, "the transaction has finished")

// Do queues an operation. run is called with the transaction's state on
// its goroutine, after every operation queued before it; done gets its
// result, or ErrAborted when the transaction aborts before run is called.
// Do fails when the transaction is committing or finished.
func (t *Transaction) Do(run func(*Tx) (any, error), done func(any, error)) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closing || t.aborted || t.finished {
		return errFinished
	}
	t.queue = append(t.queue, op{run: run, done: done})
	t.kick()
	return nil
}

// TryRun runs an operation at once on the caller's goroutine, when
// nothing keeps it from running there now: the transaction has started,
// nothing is queued or running, it is neither committing nor finished,
// and it is not an upgrade transaction. ok is false, and run is not
// called, otherwise; the caller then queues it with Do. It is meant for
// backends whose reads are quick and never wait on a commit
// ([Factory.InlineReads]): it saves the two goroutine hand-offs of Do.
func (t *Transaction) TryRun(run func(*Tx) (any, error)) (res any, err error, ok bool) {
	t.mu.Lock()
	if !t.started || t.running || len(t.queue) > 0 || t.closing || t.aborted || t.finished || t.mode == VersionChange {
		t.mu.Unlock()
		return nil, nil, false
	}
	t.running = true
	t.mu.Unlock()
	res, err = t.safeRun(run)
	t.mu.Lock()
	t.running = false
	t.kick() // an Abort that came meanwhile
	t.mu.Unlock()
	return res, err, true
}

// TryCommit commits the transaction at once on the caller's goroutine
// when that needs no write (a read-only transaction, or one that changed
// nothing) and nothing is queued or running; ok is false otherwise and
// the caller commits with Commit. A transaction committed here is
// finished when TryCommit returns.
func (t *Transaction) TryCommit() (ok bool) {
	t.mu.Lock()
	if !t.started || t.running || len(t.queue) > 0 || t.closing || t.aborted || t.finished || t.mode == VersionChange {
		t.mu.Unlock()
		return false
	}
	if t.mode != ReadOnly {
		c := t.tx.changes()
		if len(c.Writes) != 0 || len(c.Dropped) != 0 || len(c.Generators) != 0 {
			t.mu.Unlock()
			return false
		}
	}
	t.closing = true
	t.mu.Unlock()
	t.db.finish(t, nil, func() {})
	return true
}

// Commit queues the commit: once the operations queued before it have
// run, what the transaction changed is written to the backend in one
// atomic commit, and done gets nil, or the error that aborted the
// transaction instead (the backend's, or the abort's when Abort came
// first).
func (t *Transaction) Commit(done func(error)) {
	t.mu.Lock()
	if t.closing || t.finished {
		t.mu.Unlock()
		done(errFinished)
		return
	}
	if t.aborted {
		// Abort already finishes the transaction; the commit loses.
		t.mu.Unlock()
		done(t.abortErr)
		return
	}
	t.closing = true
	t.queue = append(t.queue, op{commit: done})
	t.kick()
	t.mu.Unlock()
}

// Abort aborts the transaction with err (an AbortError when nil): what
// it changed is dropped, and the operations not run yet get ErrAborted.
// Aborting a finished transaction does nothing.
func (t *Transaction) Abort(err error) {
	if err == nil {
		err = weberr.New(weberr.AbortError, "the transaction was aborted")
	}
	t.mu.Lock()
	if t.finished || t.aborted {
		t.mu.Unlock()
		return
	}
	t.aborted, t.abortErr = true, err
	if t.started {
		t.kick()
		t.mu.Unlock()
		return
	}
	queue := t.queue
	t.queue = nil
	t.mu.Unlock()
	t.db.finish(t, err, func() {
		for _, o := range queue {
			o.fail(ErrAborted, err)
		}
	})
}

func (o op) fail(opErr, commitErr error) {
	if o.commit != nil {
		o.commit(commitErr)
	} else {
		o.done(nil, opErr)
	}
}

// kick starts a goroutine draining the queue when the transaction has
// started, has work (operations, or an abort to finish) and none runs;
// t.mu is held. A goroutine lives only while there is work: a
// transaction whose operations ran with TryRun never has one.
func (t *Transaction) kick() {
	if t.started && !t.running && !t.finished && (len(t.queue) > 0 || t.aborted) {
		t.running = true
		go t.run()
	}
}

// run drains the queue: it runs the queued operations in order, then
// returns, until the commit or an abort finishes the transaction.
func (t *Transaction) run() {
	for {
		t.mu.Lock()
		if len(t.queue) == 0 && !t.aborted {
			t.running = false
			t.mu.Unlock()
			return
		}
		if t.aborted {
			queue, err := t.queue, t.abortErr
			t.queue = nil
			t.mu.Unlock()
			t.db.finish(t, err, func() {
				for _, o := range queue {
					o.fail(ErrAborted, err)
				}
			})
			return
		}
		o := t.queue[0]
		t.queue = t.queue[1:]
		t.mu.Unlock()
		if o.commit != nil {
			err := t.commit()
			if err != nil {
				t.mu.Lock()
				t.aborted, t.abortErr = true, err
				t.mu.Unlock()
			}
			// The commit's callback runs before Done closes: what waits for
			// the transaction (an open request after its upgrade) reports
			// after the transaction's own complete or abort.
			t.db.finish(t, err, func() { o.commit(err) })
			return
		}
		res, err := t.safeRun(o.run)
		o.done(res, err)
	}
}

// safeRun runs an operation, turning a panic into an UnknownError.
func (t *Transaction) safeRun(run func(*Tx) (any, error)) (res any, err error) {
	defer func() {
		if x := recover(); x != nil {
			res, err = nil, weberr.Errorf(weberr.UnknownError, "indexeddb: operation panicked: %v", x)
		}
	}()
	return run(t.tx)
}

// commit writes the transaction's changes.
func (t *Transaction) commit() error {
	if t.mode == ReadOnly {
		return nil
	}
	c := t.tx.changes()
	if t.mode != VersionChange && len(c.Writes) == 0 && len(c.Dropped) == 0 && len(c.Generators) == 0 {
		return nil
	}
	f, origin := t.db.f, t.db.origin
	if max := f.Quota(); max > 0 {
		c.Check = func(u quota.Usage) error {
			if !quota.Over(u, max) {
				return nil
			}
			return quota.Check(fmt.Sprintf("IndexedDB %s", t), origin, u, max)
		}
	}
	id, err := t.db.f.backend.Commit(t.db.f.ctx, t.db.origin, c)
	if err != nil {
		if weberr.NameOf(err) == "" {
			err = weberr.Errorf(weberr.UnknownError, "indexeddb: commit: %w", err)
		}
		return err
	}
	t.tx.schema.ID = id
	return nil
}

func (t *Transaction) String() string {
	return fmt.Sprintf("%s transaction on %q %v", t.mode, t.db.name, t.scope)
}

// Schema returns a copy of the schema the transaction started with. For
// an upgrade transaction it must be called before operations are queued
// (its operations change that schema).
func (t *Transaction) Schema() *Schema {
	if t.schema == nil {
		return t.conn.Schema()
	}
	return t.schema.Clone()
}

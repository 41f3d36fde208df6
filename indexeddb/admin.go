package indexeddb

import (
	"context"
	"fmt"
	"sync"

	"github.com/swhost/swhost/weberr"
)

// Run runs fn in a transaction of mode (ReadOnly or ReadWrite) over the
// object stores named scope (nil: every store) of origin's existing
// database name, for the
// host's own tools (the admin API): it opens a connection as a script's
// open() without a version does, but never creates the database (a
// missing one is a NotFoundError), waits for the transaction to start,
// runs fn on the transaction's goroutine, commits what fn changed when
// it returns nil (aborts when it returns an error, which Run returns),
// and closes the connection.
//
// The connection gives way to scripts: a versionchange aimed at it (an
// upgrade or a deletion by a worker) closes it at once and aborts the
// transaction, and Run then fails with an AbortError. A store of scope
// missing from the database is a NotFoundError. When ctx ends first Run
// returns ctx's error and the transaction aborts.
func (f *Factory) Run(ctx context.Context, origin, name string, scope []string, mode Mode, fn func(*Tx) error) error {
	if mode != ReadOnly && mode != ReadWrite {
		return weberr.New(weberr.TypeError, "indexeddb: Run takes a readonly or readwrite transaction")
	}
	conn, err := f.openExisting(ctx, origin, name)
	if err != nil {
		return err
	}
	defer conn.Close()
	schema := conn.Schema()
	for _, s := range scope {
		if schema.Store(s) == nil {
			return weberr.Errorf(weberr.NotFoundError, "indexeddb: database %q has no object store %q", name, s)
		}
	}
	t, err := conn.Transaction(scope, mode)
	if err != nil {
		return err
	}
	var fnErr error
	if err := t.Do(func(tx *Tx) (any, error) {
		fnErr = fn(tx)
		if fnErr != nil {
			t.Abort(fnErr)
		}
		return nil, fnErr
	}, func(any, error) {}); err != nil {
		t.Abort(err)
		return err
	}
	committed := make(chan error, 1)
	t.Commit(func(err error) { committed <- err })
	select {
	case err := <-committed:
		if fnErr != nil {
			return fnErr
		}
		if err != nil {
			return fmt.Errorf("indexeddb: %s of %q: %w", mode, name, err)
		}
		return nil
	case <-ctx.Done():
		t.Abort(weberr.New(weberr.AbortError, "indexeddb: the request was canceled"))
		return ctx.Err()
	}
}

// openExisting opens a connection to origin's database name at its
// current version, failing with NotFoundError when there is none.
func (f *Factory) openExisting(ctx context.Context, origin, name string) (*Connection, error) {
	type result struct {
		conn *Connection
		err  error
	}
	done := make(chan result, 1)
	var (
		mu      sync.Mutex
		missing bool
	)
	f.Open(origin, name, 0, Events{
		// A script's version change wins: the host's connection closes.
		OnVersionChange: func(uint64, uint64, bool, func()) bool { return false },
	}, OpenCallbacks{
		Upgrade: func(_ *Connection, _ *Transaction, oldVersion uint64) bool {
			mu.Lock()
			missing = oldVersion == 0
			mu.Unlock()
			return false // never create or upgrade
		},
		Done: func(conn *Connection, _ uint64, err error) {
			mu.Lock()
			if missing {
				err = weberr.Errorf(weberr.NotFoundError, "indexeddb: origin %s has no database %q", origin, name)
			}
			mu.Unlock()
			done <- result{conn, err}
		},
	})
	select {
	case r := <-done:
		return r.conn, r.err
	case <-ctx.Done():
		go func() {
			if r := <-done; r.conn != nil {
				r.conn.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Coordinator is what the nodes of a fleet sharing one store need beyond
// the store itself: fleet-wide locks for the registry's jobs and change
// notices, so that two nodes never run jobs for one scope at once and
// every node learns what another changed. The PostgreSQL store has one
// (PostgreSQL advisory locks, LISTEN/NOTIFY); the SQLite store, which one
// process uses, has none: see [CoordinatorOf].
//
// Its methods are safe for concurrent use. They fail with ErrClosed once
// the store is closed.
type Coordinator interface {
	// NodeID returns the id of this node in the fleet: random, one per
	// opened store. Changes this node notifies carry it.
	NodeID() string
	// LockScope takes the fleet-wide lock of a scope key, waiting while
	// another node (or another caller on this node) holds it, as long as
	// ctx allows; unlock releases it and may be called more than once.
	// The lock is held by a database session: when this node dies or
	// loses the database, the server releases it, so a dead node never
	// blocks the others. Locks are not reentrant. A lock whose hash
	// collides with another scope's only makes the two wait for each
	// other.
	LockScope(ctx context.Context, scopeKey string) (unlock func(), err error)
	// Notify tells every node listening (this one included) that what the
	// store keeps of c.ScopeKey changed (c.All: anything may have). It
	// reaches them once the database delivers it, within milliseconds;
	// a notice is not queued for a node that is not listening then.
	Notify(ctx context.Context, c Change) error
	// Listen calls fn, on one goroutine and in order, with every change
	// notified by any node (this node's own included: compare Change.Node
	// with NodeID), until ctx ends or the store closes; it then returns
	// ctx's error or ErrClosed. It reconnects when its connection to the
	// database breaks, and after every (re)connection, the first one
	// included, it calls fn with Change{All: true}, since changes made
	// while it was not listening were not delivered: a listener reloads
	// everything then. connected, when not nil, is told whether the
	// listening connection is up each time that changes (true after a
	// connection, false when it broke).
	Listen(ctx context.Context, fn func(Change), connected func(bool)) error
}

// Change is a change notice between the nodes of a fleet.
type Change struct {
	// Node is the id of the node that made the change (Coordinator.NodeID).
	Node string `json:"node"`
	// ScopeKey is the scope key of the registration that changed: it was
	// created, updated, got a new version, a version changed state, or it
	// was removed. Empty when All is set.
	ScopeKey string `json:"scope,omitempty"`
	// All: anything may have changed (a notice was too long, or some may
	// have been missed); reload everything.
	All bool `json:"all,omitempty"`
}

// CoordinatorOf returns s's Coordinator when s is shared by a fleet (the
// PostgreSQL store), or nil (the SQLite store, or a Store that has none):
// callers then coordinate nothing, as a single node needs nothing.
func CoordinatorOf(s Store) Coordinator {
	if c, ok := s.(interface{ Coordinator() Coordinator }); ok {
		if co := c.Coordinator(); co != nil {
			return co
		}
	}
	return nil
}

// Coordinator returns the store's Coordinator on PostgreSQL, nil on
// SQLite.
func (s *SQLStore) Coordinator() Coordinator {
	if s.coord == nil {
		return nil // a nil *pgCoordinator would not be a nil interface
	}
	return s.coord
}

// Notice channel and limits.
const (
	// changeChannel is the LISTEN/NOTIFY channel of change notices.
	changeChannel = "swhost_changes"
	// maxNotice is the longest payload sent (PostgreSQL's limit is 8000
	// bytes); a longer notice is sent as Change{All: true}.
	maxNotice = 7900
	// lockConns bounds the connections holding or waiting for scope
	// locks on one node; more jobs wait for a connection.
	lockConns = 16
	// listenRetryMax bounds the wait between two attempts to reconnect
	// the listener.
	listenRetryMax = 2 * time.Second
	// lockSpaceScope (key: the scope key's hash) is the lock space of
	// the registry's jobs (LockScope); see lockSpaceStore.
	lockSpaceScope int32 = 0x73770003
)

// pgCoordinator is the Coordinator of a PostgreSQL store: session
// advisory locks on a pool of its own, and LISTEN/NOTIFY.
type pgCoordinator struct {
	node  string
	cfg   *pgx.ConnConfig
	pool  *pgxpool.Pool
	log   *slog.Logger
	where string // the URL without its password, for messages

	done      chan struct{} // closed by close
	closeOnce sync.Once
}

// newPGCoordinator returns the coordinator of the database of cfg. It
// connects lazily.
func newPGCoordinator(cfg *pgx.ConnConfig, where string, log *slog.Logger) (*pgCoordinator, error) {
	pcfg, err := pgxpool.ParseConfig("")
	if err != nil {
		return nil, err
	}
	pcfg.ConnConfig = cfg.Copy()
	pcfg.MaxConns = lockConns
	pool, err := pgxpool.NewWithConfig(context.Background(), pcfg)
	if err != nil {
		return nil, fmt.Errorf("store: coordinator: %w", err)
	}
	var id [8]byte
	_, _ = rand.Read(id[:])
	return &pgCoordinator{node: hex.EncodeToString(id[:]), cfg: cfg.Copy(), pool: pool, log: log, where: where, done: make(chan struct{})}, nil
}

func (c *pgCoordinator) close() {
	c.closeOnce.Do(func() {
		close(c.done)
		c.pool.Close()
	})
}

func (c *pgCoordinator) closed() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// NodeID implements [Coordinator].
func (c *pgCoordinator) NodeID() string { return c.node }

// LockScope implements [Coordinator].
func (c *pgCoordinator) LockScope(ctx context.Context, scopeKey string) (func(), error) {
	if c.closed() {
		return nil, fmt.Errorf("store: lock scope: %w", ErrClosed)
	}
	k := hashKey(lockSpaceScope, scopeKey)
	conn, err := c.pool.Acquire(ctx)
	if err != nil {
		return nil, c.err("lock scope", err)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1, $2)", k.space, k.key); err != nil {
		// The session may hold the lock or be in any state: end it.
		conn.Conn().Close(context.Background())
		conn.Release()
		return nil, c.err("lock scope", err)
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var ok bool
			if err := conn.QueryRow(ctx, "SELECT pg_advisory_unlock($1, $2)", k.space, k.key).Scan(&ok); err != nil || !ok {
				// Ending the session releases every lock it holds.
				c.log.Warn("store: unlocking a scope; closing its connection", "err", err, "held", ok)
				conn.Conn().Close(ctx)
			}
			conn.Release()
		})
	}, nil
}

// Notify implements [Coordinator].
func (c *pgCoordinator) Notify(ctx context.Context, ch Change) error {
	if c.closed() {
		return fmt.Errorf("store: notify: %w", ErrClosed)
	}
	ch.Node = c.node
	payload, err := json.Marshal(ch)
	if err != nil {
		return fmt.Errorf("store: notify: %w", err)
	}
	if len(payload) > maxNotice {
		payload, _ = json.Marshal(Change{Node: c.node, All: true})
	}
	if _, err := c.pool.Exec(ctx, "SELECT pg_notify($1, $2)", changeChannel, string(payload)); err != nil {
		return c.err("notify", err)
	}
	return nil
}

// Listen implements [Coordinator].
func (c *pgCoordinator) Listen(ctx context.Context, fn func(Change), connected func(bool)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-c.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	if connected == nil {
		connected = func(bool) {}
	}
	retry := 50 * time.Millisecond
	for {
		err := c.listenOnce(ctx, fn, connected, func() { retry = 50 * time.Millisecond })
		if ctx.Err() != nil {
			if c.closed() {
				return fmt.Errorf("store: listen: %w", ErrClosed)
			}
			return ctx.Err()
		}
		c.log.Warn("store: listening for changes failed; reconnecting", "database", c.where, "err", err, "in", retry)
		t := time.NewTimer(retry)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
		retry = min(2*retry, listenRetryMax)
	}
}

// listenOnce connects, listens and delivers notices until the connection
// breaks or ctx ends. up is called once listening.
func (c *pgCoordinator) listenOnce(ctx context.Context, fn func(Change), connected func(bool), up func()) error {
	conn, err := pgx.ConnectConfig(ctx, c.cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+changeChannel); err != nil {
		return err
	}
	up()
	connected(true)
	defer connected(false)
	fn(Change{All: true})
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var ch Change
		if err := json.Unmarshal([]byte(n.Payload), &ch); err != nil {
			c.log.Warn("store: an unreadable change notice; reloading everything", "payload", n.Payload, "err", err)
			ch = Change{All: true}
		}
		fn(ch)
	}
}

// err wraps a database error of the coordinator; after close it is
// ErrClosed.
func (c *pgCoordinator) err(what string, err error) error {
	if c.closed() {
		return fmt.Errorf("store: %s: %w", what, ErrClosed)
	}
	if unavailable(err) {
		return fmt.Errorf("store: %s: %w: %w", what, ErrUnavailable, err)
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

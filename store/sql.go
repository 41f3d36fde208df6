package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/clock"
	"github.com/swhost/swhost/weberr"
	_ "modernc.org/sqlite" // the pure-Go "sqlite" database/sql driver
)

// FileName is the name of the database file in the data directory.
const FileName = "swhost.db"

// Default limits, used for the zero fields of [Limits].
const (
	DefaultMaxScriptBytes       = 8 << 20 // 8 MiB per script
	DefaultMaxScriptsPerVersion = 1024
	DefaultMaxValueBytes        = 64 << 20 // 64 MiB per key-value value
)

// Limits caps what the store accepts. A zero field takes its default; a
// negative field means no limit. Writes beyond a limit fail with a
// QuotaExceededError and store nothing.
type Limits struct {
	MaxScriptBytes       int64 // bytes of one script body
	MaxScriptsPerVersion int   // scripts of one version, main script included
	MaxValueBytes        int64 // bytes of one key-value value
}

func (l Limits) withDefaults() Limits {
	if l.MaxScriptBytes == 0 {
		l.MaxScriptBytes = DefaultMaxScriptBytes
	}
	if l.MaxScriptsPerVersion == 0 {
		l.MaxScriptsPerVersion = DefaultMaxScriptsPerVersion
	}
	if l.MaxValueBytes == 0 {
		l.MaxValueBytes = DefaultMaxValueBytes
	}
	return l
}

// Options configure [OpenWith].
type Options struct {
	// Limits caps scripts and values (defaults when zero).
	Limits Limits
	// Synchronous is SQLite's synchronous setting, "FULL" (the default:
	// every commit is on disk before it returns, surviving power loss) or
	// "NORMAL" (with WAL, commits survive a crash of the process but the
	// last ones may be lost on power loss or an OS crash). On PostgreSQL
	// it must be empty: the server's synchronous_commit decides.
	Synchronous string
	// ReadConns is the number of read connections (default: GOMAXPROCS,
	// at least 4).
	ReadConns int
	// Logger receives the store's log lines (default slog.Default()).
	Logger *slog.Logger
	// Clock gives the times the store records (a key's modification
	// time, a registration's or version's creation when the caller gave
	// none); nil is the wall clock.
	Clock clock.Clock
}

// SQLStore is the [Store] on SQLite (modernc.org/sqlite) or PostgreSQL
// (github.com/jackc/pgx/v5). On SQLite writes go through one connection
// and run one at a time; on PostgreSQL they take advisory locks (see the
// package documentation). Reads use a pool of read-only connections. It is
// safe for concurrent use.
type SQLStore struct {
	path string  // the SQLite file, or the PostgreSQL URL without its password
	w    *sql.DB // SQLite: one connection, BEGIN IMMEDIATE; PostgreSQL: pgWriteConns
	r    *sql.DB // read-only connections
	// wStmts and rStmts are the pools' prepared statements (SQLite only;
	// nil on PostgreSQL: stmtcache.go).
	wStmts, rStmts *stmtCache
	d              *dialect
	limits         Limits
	log            *slog.Logger
	clock          clock.Clock
	cache          *cacheBackend
	coord          *pgCoordinator // PostgreSQL only
	// queryLog, when set (by tests), sees every query before it runs.
	queryLog func(query string)

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

var _ Store = (*SQLStore)(nil)

// DefaultDir returns the default data directory: swhost under the user's
// configuration directory (os.UserConfigDir: $XDG_CONFIG_HOME or
// ~/.config on Linux), where browsers keep their profiles and so their
// service workers and Cache Storage; see docs/decisions.md.
func DefaultDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("store: default data directory: %w", err)
	}
	return filepath.Join(dir, "swhost"), nil
}

// Open opens the store at location and migrates its schema to the
// current version. location is either a data directory, for SQLite (dir
// and dir/swhost.db are created when missing), or a PostgreSQL URL
// ("postgres://user:password@host:port/database?sslmode=..." or
// "postgresql://...", see [IsPostgresURL]) of an existing database, in
// which the store creates its tables.
func Open(ctx context.Context, location string) (*SQLStore, error) {
	return OpenWith(ctx, location, Options{})
}

// IsPostgresURL reports whether location is a PostgreSQL URL rather than
// a data directory: whether it starts with postgres:// or postgresql://.
func IsPostgresURL(location string) bool {
	return strings.HasPrefix(location, "postgres://") || strings.HasPrefix(location, "postgresql://")
}

// OpenWith is [Open] with options.
func OpenWith(ctx context.Context, location string, opts Options) (*SQLStore, error) {
	if IsPostgresURL(location) {
		return openPostgres(ctx, location, opts)
	}
	dir := location
	if dir == "" {
		return nil, errors.New("store: open: empty data directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	path, err := filepath.Abs(filepath.Join(dir, FileName))
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	syncMode := strings.ToUpper(opts.Synchronous)
	switch syncMode {
	case "":
		syncMode = "FULL"
	case "FULL", "NORMAL":
	default:
		return nil, fmt.Errorf("store: open: synchronous %q: want FULL or NORMAL", opts.Synchronous)
	}
	readConns := opts.ReadConns
	if readConns <= 0 {
		readConns = max(4, runtime.GOMAXPROCS(0))
	}
	s := &SQLStore{path: path, d: sqliteDialect, limits: opts.Limits.withDefaults(), log: opts.Logger, clock: clock.Or(opts.Clock)}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.cache = &cacheBackend{s: s}

	base := (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String() +
		"?_busy_timeout=10000&_foreign_keys=1&_synchronous=" + syncMode
	// The writer sets WAL mode (persistent in the file) before anything
	// else and takes the write lock at BEGIN, so that a transaction never
	// fails half-way on a lock held by another process.
	s.w, err = sql.Open("sqlite", base+"&_journal_mode=WAL&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxLifetime(0)
	s.w.SetConnMaxIdleTime(0)
	if err := s.migrate(ctx); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s.r, err = sql.Open("sqlite", base+"&_query_only=1")
	if err != nil {
		s.w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s.r.SetMaxOpenConns(readConns)
	s.r.SetMaxIdleConns(readConns)
	if err := s.r.PingContext(ctx); err != nil {
		s.w.Close()
		s.r.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s.wStmts, s.rStmts = newStmtCache(s.w), newStmtCache(s.r)
	return s, nil
}

// pgWriteConns is the number of write connections to PostgreSQL: writes
// of different Cache Storage origins run in parallel, others one at a
// time (a writer waiting for a lock holds a connection).
const pgWriteConns = 4

// openPostgres opens the store on the PostgreSQL database at rawURL.
func openPostgres(ctx context.Context, rawURL string, opts Options) (*SQLStore, error) {
	where := redactURL(rawURL)
	if opts.Synchronous != "" {
		return nil, fmt.Errorf("store: open %s: synchronous %q is a SQLite setting (PostgreSQL's synchronous_commit decides)", where, opts.Synchronous)
	}
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", where, err)
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "swhost"
	}
	rcfg := cfg.Copy()
	rcfg.RuntimeParams["default_transaction_read_only"] = "on"
	readConns := opts.ReadConns
	if readConns <= 0 {
		readConns = max(4, runtime.GOMAXPROCS(0))
	}
	s := &SQLStore{path: where, d: postgresDialect, limits: opts.Limits.withDefaults(), log: opts.Logger, clock: clock.Or(opts.Clock)}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.cache = &cacheBackend{s: s}
	s.w = stdlib.OpenDB(*cfg)
	s.w.SetMaxOpenConns(pgWriteConns)
	s.w.SetMaxIdleConns(pgWriteConns)
	if err := s.migrate(ctx); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("store: open %s: %w", where, err)
	}
	if s.coord, err = newPGCoordinator(cfg, where, s.log); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("store: open %s: %w", where, err)
	}
	s.r = stdlib.OpenDB(*rcfg)
	s.r.SetMaxOpenConns(readConns)
	s.r.SetMaxIdleConns(readConns)
	if err := s.r.PingContext(ctx); err != nil {
		s.w.Close()
		s.r.Close()
		s.coord.close()
		return nil, fmt.Errorf("store: open %s: %w", where, err)
	}
	return s, nil
}

// redactURL returns a PostgreSQL URL without its password, for messages.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(a PostgreSQL URL that does not parse)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// Path returns the database file's path, or for PostgreSQL the database's
// URL without its password.
func (s *SQLStore) Path() string { return s.path }

// Dialect returns the database the store is on: "sqlite" or "postgres".
func (s *SQLStore) Dialect() string { return s.d.name }

// Limits returns the store's limits, defaults filled in.
func (s *SQLStore) Limits() Limits { return s.limits }

// Close checkpoints SQLite's write-ahead log into the database file and
// closes the store (on PostgreSQL, its connections). Calls after Close
// fail with ErrClosed. Close is idempotent.
func (s *SQLStore) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		if s.d == sqliteDialect {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, err := s.w.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
				s.log.Warn("store: checkpoint at close", "path", s.path, "err", err)
			}
		}
		if s.coord != nil {
			s.coord.close()
		}
		s.rStmts.close()
		s.wStmts.close()
		s.closeErr = errors.Join(s.r.Close(), s.w.Close())
		if s.closeErr != nil {
			s.closeErr = fmt.Errorf("store: close %s: %w", s.path, s.closeErr)
		}
	})
	return s.closeErr
}

// CacheStorage implements [Store].
func (s *SQLStore) CacheStorage() cachestorage.Backend { return s.cache }

// Update implements [Store].
func (s *SQLStore) Update(ctx context.Context, fn func(Tx) error) error {
	return s.write(ctx, func(o *ops) error { return fn(o) })
}

// write runs fn in a write transaction and commits it when fn returns nil.
// A panic in fn rolls the transaction back and goes on. On PostgreSQL the
// transaction holds storeLock.
func (s *SQLStore) write(ctx context.Context, fn func(*ops) error) error {
	return s.writeLocked(ctx, storeLock, fn)
}

// writeLocked is write holding the advisory lock k on PostgreSQL (from its
// first statement to its end), so that it runs alone among the writers
// taking k on every node sharing the database; SQLite has one writer at a
// time anyway.
func (s *SQLStore) writeLocked(ctx context.Context, k lockKey, fn func(*ops) error) (err error) {
	if err := s.usable(ctx); err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.dbErr("begin", err)
	}
	done := false
	defer func() {
		if !done {
			tx.Rollback()
		}
	}()
	if s.d.locks {
		if _, err := tx.ExecContext(ctx, s.d.rebind(lockQuery), k.space, k.key); err != nil {
			return s.dbErr("lock", err)
		}
	}
	if err := fn(&ops{q: tx, tx: tx, stmts: s.wStmts, s: s, writable: true}); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	done = true
	if err := tx.Commit(); err != nil {
		return s.dbErr("commit", err)
	}
	return nil
}

// read runs fn in a read-only transaction: every query of fn sees the same
// snapshot.
func (s *SQLStore) read(ctx context.Context, fn func(*ops) error) error {
	if err := s.usable(ctx); err != nil {
		return err
	}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: s.d.readIsolation})
	if err != nil {
		return s.dbErr("begin", err)
	}
	defer tx.Rollback()
	return fn(&ops{q: tx, tx: tx, stmts: s.rStmts, s: s})
}

// usable reports why a call cannot start: a closed store or a done
// context.
func (s *SQLStore) usable(ctx context.Context) error {
	if s.closed.Load() {
		return fmt.Errorf("store %s: %w", s.path, ErrClosed)
	}
	return ctx.Err()
}

// reader returns ops running single statements on the read pool.
func (s *SQLStore) reader() *ops { return &ops{q: s.r, stmts: s.rStmts, s: s} }

// dbErr wraps a database error; a closed database reports ErrClosed.
func (s *SQLStore) dbErr(what string, err error) error {
	if err == nil {
		return nil
	}
	if strings.Contains(err.Error(), "sql: database is closed") {
		return fmt.Errorf("store: %s: %w", what, ErrClosed)
	}
	if s.d == postgresDialect && unavailable(err) {
		return fmt.Errorf("store: %s: %w: %w", what, ErrUnavailable, err)
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// errQuota returns a QuotaExceededError.
func errQuota(format string, args ...any) error {
	return weberr.Errorf(weberr.QuotaExceeded, "store: "+format, args...)
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ops runs the store's operations on a transaction or a connection pool.
// It implements [Tx].
type ops struct {
	q        querier
	tx       *sql.Tx    // the transaction q is, if it is one
	stmts    *stmtCache // the pool's prepared statements; nil: none
	s        *SQLStore
	writable bool
}

// stmt returns the prepared statement for query (in the store's
// dialect) on o's pool, bound to o's transaction; nil when the pool has
// no cache or does not hold the query. Inside a transaction it only uses
// statements already cached, and has a missing one prepared on another
// goroutine: preparing takes a connection of its own from the pool,
// which a transaction holding the pool's last connection (the SQLite
// writer has one) would wait for forever.
func (o *ops) stmt(ctx context.Context, query string) *sql.Stmt {
	if o.tx == nil {
		return o.stmts.get(ctx, query)
	}
	st := o.stmts.cached(query)
	if st == nil {
		o.stmts.prepareLater(query)
		return nil
	}
	return o.tx.StmtContext(ctx, st)
}

func (o *ops) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q := o.prepare(query)
	if st := o.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, o.s.d.bind(args)...)
	}
	return o.q.ExecContext(ctx, q, o.s.d.bind(args)...)
}

func (o *ops) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := o.prepare(query)
	if st := o.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, o.s.d.bind(args)...)
	}
	return o.q.QueryContext(ctx, q, o.s.d.bind(args)...)
}

// collect reads every row of a query's result with scan; what names the
// query in errors. err is the query's own error, so that callers can pass
// o.query's results straight on.
func collect[T any](o *ops, rows *sql.Rows, err error, what string, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, o.s.dbErr(what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, o.s.dbErr(what, err)
		}
		out = append(out, v)
	}
	return out, o.s.dbErr(what, rows.Err())
}

func (o *ops) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	q := o.prepare(query)
	if st := o.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, o.s.d.bind(args)...)
	}
	return o.q.QueryRowContext(ctx, q, o.s.d.bind(args)...)
}

// prepare returns query in the store's dialect.
func (o *ops) prepare(query string) string {
	if o.s.queryLog != nil {
		o.s.queryLog(query)
	}
	return o.s.d.rebind(query)
}

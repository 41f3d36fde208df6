// Package store is swhost's persistence layer: service worker
// registrations, their versions and script resources, every origin's Cache
// Storage and IndexedDB databases, and a small key-value table for upper
// layers (the HTTP cache).
//
// [Store] is the interface the registry and the other layers use; [SQLStore]
// implements it on database/sql, either with the pure-Go SQLite driver
// (modernc.org/sqlite, no cgo), the embedded default, or on PostgreSQL
// through github.com/jackc/pgx/v5 (also pure Go), so that a fleet of nodes
// can share one database:
//
//	st, err := store.Open(ctx, store.DefaultDir())  // creates DIR/swhost.db
//	st, err := store.Open(ctx, "postgres://swhost@db.internal/swhost")
//	defer st.Close()
//	err = st.CreateRegistration(ctx, &reg, &version, []store.Script{main})
//	all, err := st.LoadRegistrations(ctx)            // at start-up
//	caches := cachestorage.New(st.CacheStorage(), cachestorage.Limits{})
//
// The schema is plain SQL run on both: what differs between the two
// (auto-increment keys, byte and web-string column types, placeholders,
// locking) is isolated in one dialect value. Strings that come from the
// web (URLs, scope keys, cache names, header values) are kept byte for
// byte and compare byte-wise in both: SQLite's TEXT keeps any bytes, and
// on PostgreSQL, whose text type refuses NUL and invalid UTF-8 (the WTF-8
// of a lone surrogate) and compares by collation, they are BYTEA. Nothing
// the store returns depends on the database's collation. The schema is
// versioned in the schema_version table; Open applies the missing
// migrations in one transaction (on PostgreSQL, nodes starting at once
// migrate one after the other, under the write lock below). On
// PostgreSQL the database must exist; the store creates its tables in the
// connection's current schema (the URL's search_path can choose one).
//
// # Atomicity and durability
//
// Every method call is one transaction. In particular these multi-row
// writes are all-or-nothing:
//
//   - CreateRegistration: the registration, its first version and that
//     version's scripts;
//   - AddVersion: a version and its scripts;
//   - SetVersionStates: the states and slots of several versions (for
//     example waiting→active and active→redundant);
//   - DeleteRegistration: a registration with all its versions and scripts;
//   - PutScripts: several scripts of a version;
//   - every cachestorage.Backend Update (an origin's cache batch);
//   - every indexeddb.Backend Commit (one IndexedDB transaction, its
//     records, index entries, key generators and, for an upgrade, schema);
//   - Store.Update: any group of the calls above.
//
// A committed transaction survives a crash of the process (kill -9) at any
// later point, and a crash before the commit leaves nothing of it: SQLite
// runs in WAL mode with synchronous=FULL, so a commit returns only after
// the write-ahead log is synced to disk, which also makes committed
// transactions survive a power loss. On PostgreSQL a commit is as durable
// as the server makes it (with its defaults, fsync and
// synchronous_commit on, it survives a crash of the server or a power
// loss); a node killed mid-transaction leaves nothing of it, since the
// server rolls back what its connection had not committed. Foreign keys
// are enforced, so a version or script never outlives its registration.
//
// On SQLite, write transactions run one at a time on a single connection
// (BEGIN IMMEDIATE); reads run in parallel on a pool of read-only
// connections and see the last committed state (WAL snapshot isolation).
//
// On PostgreSQL, where several processes write at once, every write
// transaction runs at READ COMMITTED and takes a transaction-scoped
// advisory lock (pg_advisory_xact_lock) as its first statement, held
// until it commits or rolls back: Cache Storage writes and IndexedDB
// commits take their origin's lock (they share the origin's quota),
// every other write (registrations, versions, scripts, the
// key-value table, Store.Update, migrations) one lock shared by all. So
// the writers that could touch the same rows run one at a time across
// every node, each statement sees what the writers before it committed,
// and the promise above holds fleet-wide: Store.Update's write
// transactions run one at a time, and a read-modify-write (a quota check,
// a counter, a slot check) is never interleaved with another writer's.
// Cache Storage writes and IndexedDB commits of different origins run in
// parallel. SERIALIZABLE
// would let more writers run at once but fail some commits with
// serialization errors, to be retried by running fn again: that would
// break the promise that fn runs once, which Store.Update and
// cachestorage.Backend.Update callers rely on. A lock is released when its
// connection's transaction ends, including when the node dies (the
// server notices the closed connection and rolls back). Reads are
// REPEATABLE READ, READ ONLY transactions on read-only connections: each
// sees one snapshot of what was committed when it began.
//
// # A fleet of nodes
//
// The PostgreSQL store also coordinates the nodes that share it, through
// its [Coordinator] ([CoordinatorOf] returns nil for SQLite, where one
// process needs none and pays nothing for it):
//
//   - scope locks: [Coordinator.LockScope] takes a session-level advisory
//     lock (pg_advisory_lock, in a lock space of its own) on a connection
//     of a small pool apart from the store's, held for a whole registry
//     job (fetching scripts, running install and activate events) across
//     many store transactions, which take their own locks as above; the
//     server releases it when the node dies;
//   - change notices: [Coordinator.Notify] sends NOTIFY swhost_changes with
//     the scope key a job changed, after the job's last commit;
//     [Coordinator.Listen] LISTENs on a connection of its own, reconnects
//     when it breaks, and after every (re)connection reports "anything may
//     have changed", since notices sent while it was not listening are
//     lost. A notice is a hint to reload, never the data itself.
//
// [Registrations.LoadRegistration] reloads one scope from one snapshot.
//
// # An unreachable database
//
// On PostgreSQL, a call that fails because the server cannot be reached
// (refused or broken connections, the server shutting down or starting)
// returns an error that matches [ErrUnavailable]; nothing of it was
// committed, and the same store works again once the server is back (the
// pools open new connections).
//
// # Limits
//
// A script is at most [Limits].MaxScriptBytes (default 8 MiB) and a
// version has at most MaxScriptsPerVersion scripts (default 1024); beyond
// them a write fails with a QuotaExceededError and stores nothing. Cache
// Storage limits (caches per origin, entries per cache) are enforced by
// package cachestorage through the Backend's Usage and EntryCount. An
// origin's storage quota (package quota) counts its caches and its
// IndexedDB databases together: the store keeps both figures as running
// totals, updated in the transactions that change them
// (cache_origins.bytes, and idb_databases.bytes per database, whose
// records' sizes are found from their stored lengths), so an origin's
// usage is two indexed lookups. A Cache Storage write and an IndexedDB
// commit of one origin take the same advisory lock on PostgreSQL, and
// each sees the other's figure in its transaction: cachestorage checks
// it through the Backend's Usage (Usage.IndexedDB), and
// indexeddb.Backend.Commit calls the commit's Check with the origin's
// usage before it commits. A key-value value is at most MaxValueBytes
// (default 64 MiB).
package store

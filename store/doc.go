// Package store is swhost's persistence layer: service worker
// registrations, their versions and script resources, every origin's Cache
// Storage, and a small key-value table for upper layers (the HTTP cache).
//
// [Store] is the interface the registry and the other layers use; [SQLStore]
// implements it on database/sql with the pure-Go SQLite driver
// (modernc.org/sqlite, no cgo):
//
//	st, err := store.Open(ctx, store.DefaultDir())  // creates DIR/swhost.db
//	defer st.Close()
//	err = st.CreateRegistration(ctx, &reg, &version, []store.Script{main})
//	all, err := st.LoadRegistrations(ctx)            // at start-up
//	caches := cachestorage.New(st.CacheStorage(), cachestorage.Limits{})
//
// The schema is plain SQL that also runs on PostgreSQL: what differs
// between the two (auto-increment keys, blob type, byte-wise collation,
// placeholders) is isolated in one dialect value, so that a fleet of nodes
// can later share one PostgreSQL database. The schema is versioned in the
// schema_version table; Open applies the missing migrations in one
// transaction.
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
//   - Store.Update: any group of the calls above.
//
// A committed transaction survives a crash of the process (kill -9) at any
// later point, and a crash before the commit leaves nothing of it: SQLite
// runs in WAL mode with synchronous=FULL, so a commit returns only after
// the write-ahead log is synced to disk, which also makes committed
// transactions survive a power loss. Foreign keys are enforced, so a
// version or script never outlives its registration.
//
// Write transactions run one at a time on a single connection (BEGIN
// IMMEDIATE); reads run in parallel on a pool of read-only connections
// and see the last committed state (WAL snapshot isolation).
//
// # Limits
//
// A script is at most [Limits].MaxScriptBytes (default 8 MiB) and a
// version has at most MaxScriptsPerVersion scripts (default 1024); beyond
// them a write fails with a QuotaExceededError and stores nothing. Cache
// Storage quotas (caches per origin, entries per cache, bytes per origin)
// are enforced by package cachestorage through the Backend's Usage and
// EntryCount; the backend stores whatever it is given. A key-value value
// is at most MaxValueBytes (default 64 MiB).
package store

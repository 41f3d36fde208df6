package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/swhost/swhost/indexeddb"
)

// dialect is everything the schema and queries need that differs between
// SQLite and PostgreSQL. Queries are written once with "?" placeholders and
// the types below; upserts use "INSERT ... ON CONFLICT (...) DO UPDATE",
// and inserts return keys with "RETURNING", which both databases accept.
type dialect struct {
	name string
	// autoID is the column type of an auto-increment primary key whose
	// values are never reused.
	autoID string
	// blob is the type of a byte column; keys of this type compare
	// byte-wise in both databases.
	blob string
	// str is the type of a string that comes from the web (a URL, a cache
	// name, a header value) and is kept byte for byte: it may hold NUL
	// and invalid UTF-8 (WTF-8 lone surrogates), and compares byte-wise.
	// SQLite's TEXT does all that; PostgreSQL's TEXT refuses both and
	// compares by collation, so there it is a byte column.
	str string
	// strAsBytes: string arguments are sent as []byte (the driver sends
	// a Go string to a bytea parameter as text, which it is not).
	strAsBytes bool
	// dollar placeholders: "$1, $2" instead of "?".
	dollar bool
	// locks: writers take advisory locks (see lockQuery) because several
	// processes write at once; SQLite has one writer at a time anyway.
	locks bool
	// readIsolation is the isolation level of a read transaction, which
	// must see one snapshot.
	readIsolation sql.IsolationLevel
}

var sqliteDialect = &dialect{
	name:   "sqlite",
	autoID: "INTEGER PRIMARY KEY AUTOINCREMENT",
	blob:   "BLOB",
	str:    "TEXT",
	// A read transaction in WAL mode sees one snapshot; the driver
	// accepts only the default level.
	readIsolation: sql.LevelDefault,
}

// postgresDialect is the same schema for PostgreSQL.
var postgresDialect = &dialect{
	name:          "postgres",
	autoID:        "BIGSERIAL PRIMARY KEY",
	blob:          "BYTEA",
	str:           "BYTEA",
	strAsBytes:    true,
	dollar:        true,
	locks:         true,
	readIsolation: sql.LevelRepeatableRead,
}

// rebind turns "?" placeholders into the dialect's. Queries contain no "?"
// in literals.
func (d *dialect) rebind(q string) string {
	if !d.dollar {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// bind returns the arguments of a query in the dialect's types.
func (d *dialect) bind(args []any) []any {
	if !d.strAsBytes {
		return args
	}
	var out []any
	for i, a := range args {
		if s, ok := a.(string); ok {
			if out == nil {
				out = slices.Clone(args)
			}
			out[i] = []byte(s)
		}
	}
	if out == nil {
		return args
	}
	return out
}

// expand fills the type names {ID}, {BLOB} and {STRING} of a schema
// statement.
func (d *dialect) expand(stmt string) string {
	return strings.NewReplacer("{ID}", d.autoID, "{BLOB}", d.blob, "{STRING}", d.str).Replace(stmt)
}

// Advisory lock keys on PostgreSQL: pg_advisory_xact_lock(space, key)
// with two int4 keys, the first naming what is locked. Every swhost node
// sharing a database takes the same ones. A hash collision only makes
// two writers wait for each other.
const (
	// lockSpaceStore (key 0) serializes every write transaction except
	// Cache Storage and IndexedDB ones: registrations, versions, scripts, the key-value
	// table, migrations, Store.Update.
	lockSpaceStore int32 = 0x73770001
	// lockSpaceOrigin (key: the origin's hash) serializes the Cache
	// Storage writes and the IndexedDB commits of one origin, which
	// share its quota: each checks the usage of both.
	lockSpaceOrigin int32 = 0x73770002
)

// lockKey is one advisory lock: a space and a key in it.
type lockKey struct {
	space, key int32
}

// storeLock is the lock of every write transaction but Cache Storage's
// and IndexedDB's.
var storeLock = lockKey{lockSpaceStore, 0}

// hashKey returns the key of s in a lock space: FNV-1a of its bytes.
func hashKey(space int32, s string) lockKey {
	h := fnv.New32a()
	h.Write([]byte(s))
	return lockKey{space, int32(h.Sum32())}
}

// lockQuery is the statement that takes k until the transaction ends.
const lockQuery = `SELECT pg_advisory_xact_lock(?, ?)`

// migrations[i] moves the schema from version i to version i+1. Released
// migrations never change; new ones are appended. Times are Unix
// nanoseconds (BIGINT), 0 for none.
var migrations = [][]string{
	// 1: registrations, versions, scripts, key-value table, Cache Storage.
	{
		`CREATE TABLE registrations (
			id {ID},
			scope_key {STRING} NOT NULL UNIQUE,
			scope_text {STRING} NOT NULL,
			origin {STRING} NOT NULL,
			update_via_cache TEXT NOT NULL,
			worker_type TEXT NOT NULL,
			last_update_check BIGINT NOT NULL,
			created BIGINT NOT NULL
		)`,
		`CREATE INDEX registrations_origin ON registrations (origin, id)`,
		`CREATE TABLE versions (
			id {ID},
			registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
			script_url {STRING} NOT NULL,
			state TEXT NOT NULL,
			slot TEXT NOT NULL,
			foreign_fetch TEXT,
			created BIGINT NOT NULL
		)`,
		`CREATE INDEX versions_registration ON versions (registration_id, id)`,
		`CREATE UNIQUE INDEX versions_slot ON versions (registration_id, slot) WHERE slot <> ''`,
		`CREATE TABLE scripts (
			version_id BIGINT NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
			url {STRING} NOT NULL,
			seq BIGINT NOT NULL,
			content_type {STRING} NOT NULL,
			body {BLOB} NOT NULL,
			PRIMARY KEY (version_id, url)
		)`,
		`CREATE TABLE kv (
			key {BLOB} NOT NULL PRIMARY KEY,
			value {BLOB} NOT NULL,
			size BIGINT NOT NULL,
			modified BIGINT NOT NULL
		)`,
		`CREATE INDEX kv_modified ON kv (modified, key)`,
		`CREATE TABLE cache_origins (
			origin {STRING} NOT NULL PRIMARY KEY,
			next_cache_id BIGINT NOT NULL,
			entries BIGINT NOT NULL,
			bytes BIGINT NOT NULL
		)`,
		`CREATE TABLE caches (
			origin {STRING} NOT NULL REFERENCES cache_origins (origin) ON DELETE CASCADE,
			id BIGINT NOT NULL,
			name {STRING} NOT NULL,
			next_entry_id BIGINT NOT NULL,
			entries BIGINT NOT NULL,
			PRIMARY KEY (origin, id),
			UNIQUE (origin, name)
		)`,
		`CREATE TABLE cache_entries (
			origin {STRING} NOT NULL,
			cache_id BIGINT NOT NULL,
			id BIGINT NOT NULL,
			url_key {STRING} NOT NULL,
			searchless_key {STRING} NOT NULL,
			request TEXT NOT NULL,
			request_body {BLOB} NOT NULL,
			response TEXT NOT NULL,
			response_body {BLOB} NOT NULL,
			size BIGINT NOT NULL,
			PRIMARY KEY (origin, cache_id, id),
			FOREIGN KEY (origin, cache_id) REFERENCES caches (origin, id) ON DELETE CASCADE
		)`,
		`CREATE INDEX cache_entries_url ON cache_entries (origin, cache_id, url_key, id)`,
		`CREATE INDEX cache_entries_searchless ON cache_entries (origin, cache_id, searchless_key, id)`,
	},
	// 2: an origin's bytes count its caches too (caches.size, from
	// cachestorage.CacheSize; for the caches that exist, an estimate on
	// the safe side).
	{
		`ALTER TABLE caches ADD COLUMN size BIGINT NOT NULL DEFAULT 0`,
		`UPDATE caches SET size = CASE WHEN OCTET_LENGTH(name) < 900
			THEN 4*OCTET_LENGTH(name) + 6*OCTET_LENGTH(origin) + 512
			ELSE 2*OCTET_LENGTH(name) + 3*OCTET_LENGTH(origin) + 20480 END`,
		`UPDATE cache_origins SET bytes = bytes + (SELECT COALESCE(SUM(c.size), 0) FROM caches c WHERE c.origin = cache_origins.origin)`,
	},
	// 3: a version's router rules (the Static Routing API), as JSON.
	{
		`ALTER TABLE versions ADD COLUMN router_rules TEXT`,
	},
	// 4: a registration's navigation preload state.
	{
		`ALTER TABLE registrations ADD COLUMN nav_preload_enabled BIGINT NOT NULL DEFAULT 0`,
		`ALTER TABLE registrations ADD COLUMN nav_preload_header {STRING} NOT NULL DEFAULT 'true'`,
	},
	// 5: IndexedDB (package indexeddb): databases, their object stores
	// and indexes, and their records and index entries in one table of
	// ordered key spaces (object_id is a store's or an index's id). Keys
	// are the engine's encoded keys, whose byte-wise order is the
	// IndexedDB key order; key paths are JSON.
	{
		`CREATE TABLE idb_databases (
			id {ID},
			origin {STRING} NOT NULL,
			name {STRING} NOT NULL,
			version BIGINT NOT NULL,
			next_id BIGINT NOT NULL,
			UNIQUE (origin, name)
		)`,
		`CREATE TABLE idb_stores (
			database_id BIGINT NOT NULL REFERENCES idb_databases (id) ON DELETE CASCADE,
			id BIGINT NOT NULL,
			name {STRING} NOT NULL,
			key_path TEXT NOT NULL,
			auto_increment BIGINT NOT NULL,
			current_number BIGINT NOT NULL,
			PRIMARY KEY (database_id, id)
		)`,
		`CREATE TABLE idb_indexes (
			database_id BIGINT NOT NULL REFERENCES idb_databases (id) ON DELETE CASCADE,
			id BIGINT NOT NULL,
			store_id BIGINT NOT NULL,
			name {STRING} NOT NULL,
			key_path TEXT NOT NULL,
			is_unique BIGINT NOT NULL,
			multi_entry BIGINT NOT NULL,
			PRIMARY KEY (database_id, id)
		)`,
		`CREATE TABLE idb_records (
			database_id BIGINT NOT NULL REFERENCES idb_databases (id) ON DELETE CASCADE,
			object_id BIGINT NOT NULL,
			key {BLOB} NOT NULL,
			value {BLOB} NOT NULL,
			PRIMARY KEY (database_id, object_id, key)
		)`,
	},
	// 6: the storage quota (package quota) counts IndexedDB: each
	// database keeps the bytes it counts for, records and schema
	// (indexeddb.RecordSize, indexeddb.SchemaSize), and apart the
	// schema's share, to replace when the schema changes. An origin's
	// usage is the sum over its few databases.
	{
		`ALTER TABLE idb_databases ADD COLUMN bytes BIGINT NOT NULL DEFAULT 0`,
		`ALTER TABLE idb_databases ADD COLUMN schema_bytes BIGINT NOT NULL DEFAULT 0`,
		`UPDATE idb_databases SET schema_bytes = ` + indexeddb.DatabaseRowSizeSQL("OCTET_LENGTH(origin)", "OCTET_LENGTH(name)") + `
			+ COALESCE((SELECT SUM(` + indexeddb.SchemaRowSizeSQL("OCTET_LENGTH(s.name)", "OCTET_LENGTH(s.key_path)") + `)
				FROM idb_stores s WHERE s.database_id = idb_databases.id), 0)
			+ COALESCE((SELECT SUM(` + indexeddb.SchemaRowSizeSQL("OCTET_LENGTH(x.name)", "OCTET_LENGTH(x.key_path)") + `)
				FROM idb_indexes x WHERE x.database_id = idb_databases.id), 0)`,
		`UPDATE idb_databases SET bytes = schema_bytes
			+ COALESCE((SELECT SUM(` + indexeddb.RecordSizeSQL("OCTET_LENGTH(r.key)", "OCTET_LENGTH(r.value)") + `)
				FROM idb_records r WHERE r.database_id = idb_databases.id), 0)`,
	},
}

// SchemaVersion is the schema version this package writes.
var SchemaVersion = len(migrations)

// schema returns the statements of migration i (0-based) in dialect d.
func (d *dialect) schema(i int) []string {
	out := make([]string, len(migrations[i]))
	for j, stmt := range migrations[i] {
		out[j] = d.expand(stmt)
	}
	return out
}

// migrate creates the schema_version table when missing and applies the
// migrations the database lacks, all in one transaction. A database
// written by a newer swhost (a higher version) is refused.
func (s *SQLStore) migrate(ctx context.Context) error {
	return s.write(ctx, func(o *ops) error {
		if _, err := o.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)`); err != nil {
			return fmt.Errorf("schema_version: %w", err)
		}
		var v int
		err := o.queryRow(ctx, `SELECT version FROM schema_version`).Scan(&v)
		switch {
		case err == sql.ErrNoRows:
			if _, err := o.exec(ctx, `INSERT INTO schema_version (version) VALUES (0)`); err != nil {
				return fmt.Errorf("schema_version: %w", err)
			}
		case err != nil:
			return fmt.Errorf("schema_version: %w", err)
		}
		if v > len(migrations) {
			return fmt.Errorf("database schema version %d is newer than this swhost's (%d)", v, len(migrations))
		}
		for ; v < len(migrations); v++ {
			for _, stmt := range s.d.schema(v) {
				if _, err := o.exec(ctx, stmt); err != nil {
					return fmt.Errorf("migration %d: %w", v+1, err)
				}
			}
			if _, err := o.exec(ctx, `UPDATE schema_version SET version = ?`, v+1); err != nil {
				return fmt.Errorf("migration %d: %w", v+1, err)
			}
			s.log.Debug("store: migrated", "path", s.path, "version", v+1)
		}
		return nil
	})
}

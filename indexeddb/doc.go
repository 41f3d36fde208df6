// Package indexeddb is the engine of IndexedDB 3.0 (https://w3c.github.io/IndexedDB/)
// for swhost's workers: keys and their order, key ranges, key paths on
// structured-clone records, key generators, object stores and indexes
// (unique, multiEntry), cursors, transactions with the standard's
// scheduling, and the open and delete algorithms with their version
// changes. The JavaScript API (worker/js/47_indexeddb*.js) is a thin layer
// over it; this package knows nothing of JavaScript runtimes.
//
// # Keys
//
// A [Key] is a number, date, string, binary or array key; [Compare] is the
// standard's order. Every key has an encoded form ([Key.Encode]) whose
// byte-wise order is the key order, so a backend stores and ranges over
// keys as plain bytes (SQLite BLOB, PostgreSQL BYTEA). An index entry is
// the encoded index key followed by the encoded primary key: encodings are
// prefix-free, so entries sort by index key, then primary key.
//
// # Transactions
//
// [Factory] holds the state of every database of the process: connections,
// unfinished transactions in creation order, and each database's
// connection queue (open and delete requests, one at a time). A
// [Transaction] starts when the standard's constraints allow it — a
// read/write transaction once no earlier unfinished transaction overlaps
// its scope, a read-only one once no earlier read/write one does — across
// every connection, so across every worker of the origin in the process.
// It then runs the operations queued with [Transaction.Do] in order, on its
// own goroutine, against a [Tx]: a copy of the schema and an in-memory
// overlay of what it changed, read through to the [Backend]. Nothing
// reaches the backend before [Transaction.Commit], which writes the whole
// transaction as one [Commit] (one database transaction in the store); an
// abort drops the overlay. Because conflicting transactions never run at
// once in the process, reads through the overlay see exactly what the
// standard says; several processes sharing one PostgreSQL database are
// not serialized with each other (see docs/decisions.md).
//
// Upgrades: [Factory.Open] with a higher version fires versionchange at
// the other connections ([Events]), reports blocked when some stay open,
// waits until they close, then runs the upgrade transaction, whose
// [Tx.CreateStore], [Tx.CreateIndex] (filling the index from the store's
// records) and the other schema operations change its schema copy; the
// schema becomes the database's when it commits.
package indexeddb

// Package quota is swhost's storage quota: the one rule deciding whether
// a write to an origin's storage may commit, shared by Cache Storage
// (package cachestorage) and IndexedDB (package indexeddb), and the sizes
// both count against it.
//
// An origin's usage is what its caches and its IndexedDB databases take
// together ([Usage]); a write that would leave it above the quota fails
// with a QuotaExceededError and stores nothing ([Check]). A write that
// does not make the usage grow always commits, so an origin over its
// quota (after the quota was lowered) can still delete.
//
// Sizes bound the file space the SQLite store takes ([RowCost],
// [IndexCost]): whatever an origin stores, the database file grows by no
// more than its quota.
package quota

import (
	"strconv"

	"github.com/swhost/swhost/weberr"
)

// DefaultOriginBytes is the quota of an origin when none is configured:
// what its Cache Storage and IndexedDB databases may take together.
const DefaultOriginBytes int64 = 256 << 20 // 256 MiB

// Usage is what one origin's storage takes, in bytes as counted against
// its quota.
type Usage struct {
	// CacheStorage is the bytes of the origin's caches and their
	// entries (cachestorage.EntrySize, cachestorage.CacheSize).
	CacheStorage int64
	// IndexedDB is the bytes of the origin's IndexedDB databases: their
	// records and index entries (indexeddb.RecordSize) and schemas
	// (indexeddb.SchemaSize).
	IndexedDB int64
}

// Total returns the origin's usage over every storage API.
func (u Usage) Total() int64 { return u.CacheStorage + u.IndexedDB }

// Over reports whether u is over max bytes (max <= 0: no quota), the
// condition of Check, for a caller that names the operation only when it
// fails.
func Over(u Usage, max int64) bool { return max > 0 && u.Total() > max }

// Check is the quota rule: it returns nil when u, an origin's usage with
// a write applied, is within max bytes (max <= 0: no quota), and
// otherwise a QuotaExceededError naming where (the operation, such as
// "cache.put()") and origin. Callers run it inside the write's
// transaction, with the usage that transaction sees, and roll the write
// back on error.
func Check(where, origin string, u Usage, max int64) error {
	if !Over(u, max) {
		return nil
	}
	return weberr.Errorf(weberr.QuotaExceeded,
		"%s: origin %s would store %d bytes (Cache Storage %d, IndexedDB %d), more than its quota of %d",
		where, origin, u.Total(), u.CacheStorage, u.IndexedDB, max)
}

// The page geometry of the SQLite store, whose file the costs below
// bound: 4 KiB pages, and the most payload a table row or an index entry
// keeps in its b-tree page before the rest spills to overflow pages.
const (
	pageSize      = 4096
	maxLocalTable = pageSize - 35
	maxLocalIndex = (pageSize-12)*64/255 - 23
	cellOverhead  = 64 // a cell's header, pointer and key integers
)

// RowCost bounds the file space a table row of n payload bytes may take
// in the SQLite store.
func RowCost(n int64) int64 { return cellCost(n, maxLocalTable) }

// IndexCost bounds the file space an index entry of n payload bytes may
// take in the SQLite store.
func IndexCost(n int64) int64 { return cellCost(n, maxLocalIndex) }

// cellCost bounds the file space one b-tree cell of n payload bytes may
// take. A b-tree page may be as little as half full (a cell of just over
// half a page fits once), so a cell kept in its page counts twice its size;
// a cell that spills counts its part in the page twice and whole overflow
// pages for the rest, the last one maybe nearly empty.
func cellCost(n, maxLocal int64) int64 {
	if n <= maxLocal {
		return 2*n + cellOverhead
	}
	const usable = pageSize - 4 // an overflow page's payload
	return 2*maxLocal + (n+usable-1)/usable*pageSize + cellOverhead
}

// RowCostSQL and IndexCostSQL are RowCost and IndexCost as SQL
// expressions of an integer expression n, equal to them for every n >= 0,
// in both SQLite and PostgreSQL (integer division truncates in both).
func RowCostSQL(n string) string { return cellCostSQL(n, maxLocalTable) }

// IndexCostSQL is IndexCost as an SQL expression; see [RowCostSQL].
func IndexCostSQL(n string) string { return cellCostSQL(n, maxLocalIndex) }

func cellCostSQL(n string, maxLocal int64) string {
	const usable = pageSize - 4
	n = "CAST(" + n + " AS BIGINT)"
	return "(CASE WHEN (" + n + ") <= " + itoa(maxLocal) + " THEN 2*(" + n + ") + " + itoa(cellOverhead) +
		" ELSE " + itoa(2*maxLocal+cellOverhead) + " + ((" + n + ") + " + itoa(usable-1) + ") / " + itoa(usable) + " * " + itoa(pageSize) + " END)"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

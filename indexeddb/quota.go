package indexeddb

import (
	"encoding/json"
	"sync/atomic"

	"github.com/swhost/swhost/quota"
)

// Sizes counted against an origin's quota (package quota). They bound the
// file space the SQLite store takes: a record or index entry is a row of
// idb_records (the database and object IDs, key and value) with its
// primary-key index entry; a database is its idb_databases row, with the
// (origin, name) index entry, and the rows of its object stores and
// indexes with their primary-key index entries.
const (
	recordOverhead = 24 // the two IDs and the row's header
	schemaOverhead = 48 // a schema row's integers and header
	idOverhead     = 24 // a primary-key index entry of integers
)

// RecordSize returns the bytes a record or index entry whose encoded key
// is keyLen bytes and value valueLen bytes counts for against its
// origin's quota. It depends only on the two lengths, so a backend can
// take a stored entry's size off from its lengths alone.
func RecordSize(keyLen, valueLen int) int64 {
	return quota.RowCost(int64(keyLen)+int64(valueLen)+recordOverhead) + quota.IndexCost(int64(keyLen)+idOverhead)
}

// RecordSizeSQL is RecordSize as an SQL expression of the integer
// expressions keyLen and valueLen (for SQLite and PostgreSQL alike).
func RecordSizeSQL(keyLen, valueLen string) string {
	return "(" + quota.RowCostSQL(keyLen+" + "+valueLen+" + 24") + " + " + quota.IndexCostSQL(keyLen+" + 24") + ")"
}

// SchemaSize returns the bytes a database of origin whose schema is s
// counts for against the origin's quota, without its records: its row
// and the rows of its object stores and indexes (names and key paths as
// JSON).
func SchemaSize(origin string, s *Schema) int64 {
	if s == nil {
		return 0
	}
	n := DatabaseRowSize(len(origin), len(s.Name))
	for _, st := range s.Stores {
		n += SchemaRowSize(len(st.Name), keyPathLen(st.KeyPath))
		for _, ix := range st.Indexes {
			n += SchemaRowSize(len(ix.Name), keyPathLen(ix.KeyPath))
		}
	}
	return n
}

// DatabaseRowSize is SchemaSize's share of a database's own row, for
// origin and name lengths.
func DatabaseRowSize(originLen, nameLen int) int64 {
	return quota.RowCost(int64(originLen+nameLen)+schemaOverhead) + quota.IndexCost(int64(originLen+nameLen)+idOverhead)
}

// SchemaRowSize is SchemaSize's share of an object store or index: its
// name's length and its key path's JSON length.
func SchemaRowSize(nameLen, keyPathLen int) int64 {
	return quota.RowCost(int64(nameLen+keyPathLen)+schemaOverhead) + quota.IndexCost(idOverhead)
}

// DatabaseRowSizeSQL and SchemaRowSizeSQL are DatabaseRowSize and
// SchemaRowSize as SQL expressions of integer expressions.
func DatabaseRowSizeSQL(originLen, nameLen string) string {
	return "(" + quota.RowCostSQL(originLen+" + "+nameLen+" + 48") + " + " + quota.IndexCostSQL(originLen+" + "+nameLen+" + 24") + ")"
}

// SchemaRowSizeSQL is SchemaRowSize as an SQL expression.
func SchemaRowSizeSQL(nameLen, keyPathLen string) string {
	return "(" + quota.RowCostSQL(nameLen+" + "+keyPathLen+" + 48") + " + " + quota.IndexCostSQL("24") + ")"
}

// keyPathLen is the length of p's JSON, as the store keeps it.
func keyPathLen(p KeyPath) int {
	b, err := json.Marshal(p)
	if err != nil {
		return 0
	}
	return len(b)
}

// quotaLimit is a Factory's quota: 0 for quota.DefaultOriginBytes,
// negative for none.
type quotaLimit struct{ max atomic.Int64 }

// SetQuota sets the quota every origin's storage is held to when one of
// its transactions commits: the bytes its IndexedDB databases and, when
// the backend keeps them too, its caches may take together (0:
// quota.DefaultOriginBytes; negative: no quota). Give it the figure Cache
// Storage has (cachestorage.Limits.MaxOriginBytes). It is safe to call at
// any time; commits after it use the new figure.
func (f *Factory) SetQuota(max int64) { f.quota.max.Store(max) }

// Quota returns the quota SetQuota set, the default filled in; 0 means
// none.
func (f *Factory) Quota() int64 {
	switch n := f.quota.max.Load(); {
	case n == 0:
		return quota.DefaultOriginBytes
	case n < 0:
		return 0
	default:
		return n
	}
}

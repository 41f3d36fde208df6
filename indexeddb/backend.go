package indexeddb

import (
	"context"
	"slices"

	"github.com/swhost/swhost/quota"
)

// Schema is what a database holds besides its records: its name,
// version and object stores with their indexes. The engine keeps one
// committed Schema per database and gives each transaction a copy.
type Schema struct {
	// ID is the backend's identifier of the database, 0 until the
	// database is first committed.
	ID      int64
	Name    string
	Version uint64
	// NextID is the identifier the next object store or index created
	// in the database gets: identifiers are never reused.
	NextID int64
	Stores []*StoreSchema
}

// StoreSchema is an object store.
type StoreSchema struct {
	ID            int64
	Name          string
	KeyPath       KeyPath
	AutoIncrement bool
	// Current is the key generator's current number (1 when new, at most
	// 2^53+1).
	Current int64
	Indexes []*IndexSchema
}

// IndexSchema is an index of an object store.
type IndexSchema struct {
	ID         int64
	Name       string
	KeyPath    KeyPath
	Unique     bool
	MultiEntry bool
}

// Clone returns a deep copy of s.
func (s *Schema) Clone() *Schema {
	c := *s
	c.Stores = make([]*StoreSchema, len(s.Stores))
	for i, st := range s.Stores {
		sc := *st
		sc.Indexes = make([]*IndexSchema, len(st.Indexes))
		for j, ix := range st.Indexes {
			ic := *ix
			sc.Indexes[j] = &ic
		}
		c.Stores[i] = &sc
	}
	return &c
}

// Store returns the object store called name, or nil.
func (s *Schema) Store(name string) *StoreSchema {
	for _, st := range s.Stores {
		if st.Name == name {
			return st
		}
	}
	return nil
}

// StoreByID returns the object store id, or nil.
func (s *Schema) StoreByID(id int64) *StoreSchema {
	for _, st := range s.Stores {
		if st.ID == id {
			return st
		}
	}
	return nil
}

// StoreNames returns the names of the object stores, sorted by UTF-16
// code units (the standard's sorted name list).
func (s *Schema) StoreNames() []string {
	names := make([]string, len(s.Stores))
	for i, st := range s.Stores {
		names[i] = st.Name
	}
	return SortNames(names)
}

// Index returns the index called name, or nil.
func (st *StoreSchema) Index(name string) *IndexSchema {
	for _, ix := range st.Indexes {
		if ix.Name == name {
			return ix
		}
	}
	return nil
}

// IndexByID returns the index id, or nil.
func (st *StoreSchema) IndexByID(id int64) *IndexSchema {
	for _, ix := range st.Indexes {
		if ix.ID == id {
			return ix
		}
	}
	return nil
}

// IndexNames returns the names of the indexes, sorted by UTF-16 code
// units.
func (st *StoreSchema) IndexNames() []string {
	names := make([]string, len(st.Indexes))
	for i, ix := range st.Indexes {
		names[i] = ix.Name
	}
	return SortNames(names)
}

// SortNames sorts WTF-8 names by their UTF-16 code units, in place, and
// returns them.
func SortNames(names []string) []string {
	slices.SortFunc(names, compareUTF16)
	return names
}

// DatabaseInfo names a database and its version, as
// IDBFactory.databases() lists them.
type DatabaseInfo struct {
	Name    string
	Version uint64
}

// Backend keeps the databases of every origin. A persistent backend (the
// store package's, on SQLite or PostgreSQL) maps each Commit onto one
// database transaction; [NewMemoryBackend] keeps them in memory.
//
// Records live in ordered key spaces, one per object store and one per
// index, named by the database's ID and the store's or index's ID (an
// object): a record's key is its encoded key ([Key.Encode]) and its value
// the encoded value; an index entry's key is the encoded index key
// followed by the encoded primary key, its value empty. Keys compare
// byte-wise. The engine serializes conflicting transactions itself, so a
// Backend sees at most one Commit per database at a time, and no Commit
// touching what a running read reads.
type Backend interface {
	// Databases returns the databases of origin.
	Databases(ctx context.Context, origin string) ([]DatabaseInfo, error)
	// Load returns the schema of the database called name, or nil when
	// there is none.
	Load(ctx context.Context, origin, name string) (*Schema, error)
	// Scan calls fn with the entries of object in database db whose keys
	// are at least lo and less than hi (nil: unbounded), in key order or
	// reversed, up to limit entries (0: all), until fn returns false.
	// Without values, fn gets nil values.
	Scan(ctx context.Context, db, object int64, lo, hi []byte, reverse bool, limit int, values bool, fn func(key, value []byte) bool) error
	// Get returns the value of key in object, with ok false when there is
	// none.
	Get(ctx context.Context, db, object int64, key []byte) (value []byte, ok bool, err error)
	// Count returns the number of entries of object with keys in [lo, hi).
	Count(ctx context.Context, db, object int64, lo, hi []byte) (int64, error)
	// Commit applies c atomically and durably: all of it or, on error,
	// none. It returns the database's ID (new when c.DatabaseID is 0).
	// When c makes the origin's usage grow and c.Check is set, Commit
	// calls c.Check with the origin's usage as it would be with c
	// applied, seen in the same transaction as c's writes, and fails
	// with its error, storing nothing. A backend that keeps the origin's
	// caches too runs Commit one at a time with the origin's Cache
	// Storage writes, which share the quota.
	Commit(ctx context.Context, origin string, c *Commit) (int64, error)
	// DeleteDatabase removes a database with its records; a missing one
	// is not an error.
	DeleteDatabase(ctx context.Context, origin, name string) error
	// Usage returns what origin's storage takes: IndexedDB, its
	// databases' records and index entries ([RecordSize]) and schemas
	// ([SchemaSize]); CacheStorage, its caches when the backend keeps
	// them too (else 0). It is a running figure, not a scan.
	Usage(ctx context.Context, origin string) (quota.Usage, error)
}

// MultiGetter is implemented by backends that read several records of
// an object in one round trip; the engine uses it for the values of an
// index's records (getAll on an index), and Get one at a time without it.
type MultiGetter interface {
	// GetMany returns the values of keys in object, in keys' order: nil
	// for a key without a record (an empty value is not nil).
	GetMany(ctx context.Context, db, object int64, keys [][]byte) ([][]byte, error)
}

// Commit is what one transaction changes.
type Commit struct {
	// DatabaseID is the database's ID; 0 creates the database Schema
	// describes.
	DatabaseID int64
	// Schema, when set (an upgrade transaction), replaces the database's
	// version, NextID, object stores and indexes.
	Schema *Schema
	// Generators are the key generators' new current numbers, by store
	// ID, for stores that Schema does not replace.
	Generators map[int64]int64
	// Dropped are objects (stores or indexes) whose every entry is
	// removed before Writes apply: cleared stores, deleted stores and
	// indexes.
	Dropped []int64
	// Writes are the entries set or deleted, in no particular order (no
	// two touch the same entry).
	Writes []Write
	// Check, when set, is the quota rule Commit applies (see
	// [Backend.Commit]); the engine sets it to quota.Check with the
	// Factory's quota.
	Check func(quota.Usage) error
}

// Write sets or deletes one entry.
type Write struct {
	Object int64
	Key    []byte
	Value  []byte // nil with Delete; empty (not nil) for an index entry
	Delete bool
}

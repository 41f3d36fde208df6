package indexeddb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/weberr"
)

// Mode is a transaction's mode.
type Mode uint8

// Transaction modes.
const (
	ReadOnly Mode = iota
	ReadWrite
	VersionChange
)

func (m Mode) String() string {
	switch m {
	case ReadWrite:
		return "readwrite"
	case VersionChange:
		return "versionchange"
	}
	return "readonly"
}

// Errors of the engine, wrapped with context; test with errors.Is or read
// the exception name with weberr.NameOf.
var (
	// ErrAborted: the transaction was aborted before the operation ran.
	ErrAborted    = weberr.New(weberr.AbortError, "the transaction was aborted")
	errNoDatabase = errors.New("indexeddb: no such database")
)

// maxGenerated is the largest key a key generator makes (2^53).
const maxGenerated = 1 << 53

// Tx is the state of a running transaction: its copy of the schema and
// what it changed, over the backend. Its methods run the standard's
// operations; they are called one at a time by the transaction's
// executor ([Transaction.Do]), never concurrently.
type Tx struct {
	ctx     context.Context
	backend Backend
	codec   HostCodec
	mode    Mode
	schema  *Schema
	ov      map[int64]*overlay
	gens    map[int64]bool // stores whose key generator changed
	created map[int64]bool // stores and indexes this transaction created
	dropped []int64        // stores and indexes this transaction deleted
	// writes counts the transaction's changes (records and schema): a
	// cursor's read-ahead is valid while it stays the same.
	writes uint64
}

func newTx(ctx context.Context, b Backend, codec HostCodec, mode Mode, schema *Schema) *Tx {
	return &Tx{ctx: ctx, backend: b, codec: codec, mode: mode, schema: schema} // maps made on first write
}

// Schema returns the transaction's schema; an upgrade transaction
// changes it. Callers must not modify it.
func (t *Tx) Schema() *Schema { return t.schema }

func (t *Tx) store(id int64) (*StoreSchema, error) {
	st := t.schema.StoreByID(id)
	if st == nil {
		return nil, weberr.New(weberr.InvalidStateError, "the object store has been deleted")
	}
	return st, nil
}

func (t *Tx) writable() error {
	if t.mode == ReadOnly {
		return weberr.New(weberr.ReadOnlyError, "the transaction is read-only")
	}
	return nil
}

// HostCodec stores host values (Blob, File) inside values: Encode's bytes
// are what Decode reads back. A nil Encode refuses values holding host
// objects with a DataCloneError.
type HostCodec struct {
	Encode func(structuredclone.HostValue) ([]byte, error)
	Decode func([]byte) (structuredclone.HostValue, error)
}

// EncodeValue returns the stored form of a value.
func (c HostCodec) EncodeValue(rec *structuredclone.Record) ([]byte, error) {
	return rec.AppendBinary(nil, c.Encode)
}

// DecodeValue reads back a stored value.
func (c HostCodec) DecodeValue(b []byte) (*structuredclone.Record, error) {
	rec, err := structuredclone.UnmarshalBinary(b, c.Decode)
	if err != nil {
		return nil, fmt.Errorf("indexeddb: stored value: %w", err)
	}
	return rec, nil
}

// indexEntries returns the encoded entries (index key then primary key)
// of a record in an index.
func indexEntries(ix *IndexSchema, rec *structuredclone.Record, pk []byte) [][]byte {
	k, ok := indexKey(rec, ix.KeyPath, ix.MultiEntry)
	if !ok {
		return nil
	}
	if ix.MultiEntry && k.Type == KeyArray && ix.KeyPath.Kind == PathString {
		out := make([][]byte, 0, len(k.Arr))
		for _, sub := range k.Arr {
			out = append(out, append(sub.Encode(), pk...))
		}
		return out
	}
	return [][]byte{append(k.Encode(), pk...)}
}

// entryPrefixLen returns the length of the index key at the start of an
// index entry.
func entryPrefixLen(e []byte) (int, error) {
	_, rest, err := DecodeKey(e)
	if err != nil {
		return 0, err
	}
	return len(e) - len(rest), nil
}

// Put is the standard's "store a record into an object store": it stores
// value under key in store, or under a generated key when key is nil (the
// store must then have a key generator; with a key path the key is
// injected into value, which the caller checked could take it). With
// noOverwrite (add) an existing record is a ConstraintError. It returns
// the key.
func (t *Tx) Put(storeID int64, value *structuredclone.Record, key *Key, noOverwrite bool) (Key, error) {
	if err := t.writable(); err != nil {
		return Key{}, err
	}
	st, err := t.store(storeID)
	if err != nil {
		return Key{}, err
	}
	oldCurrent := st.Current
	revert := func() { st.Current = oldCurrent }
	var k Key
	if key == nil {
		if !st.AutoIncrement {
			return Key{}, weberr.New(weberr.DataError, "no key and the object store has no key generator")
		}
		if st.Current > maxGenerated {
			return Key{}, weberr.New(weberr.ConstraintError, "the key generator has run out of keys")
		}
		k = Number(float64(st.Current))
		st.Current++
		if !st.KeyPath.IsNone() && !InjectKey(value, st.KeyPath, k.Num) {
			revert()
			return Key{}, weberr.New(weberr.DataError, "the generated key cannot be injected into the value")
		}
	} else {
		k = *key
		if st.AutoIncrement && k.Type == KeyNumber {
			n := math.Floor(math.Min(k.Num, maxGenerated))
			if n >= float64(st.Current) {
				st.Current = int64(n) + 1
			}
		}
	}
	pk := k.Encode()
	// The record it replaces matters to add (which must not replace one)
	// and to indexes (whose entries for it go): a put into a store
	// without indexes reads nothing.
	var old []byte
	exists := false
	if noOverwrite || len(st.Indexes) > 0 {
		old, exists, err = t.get(storeID, pk)
		if err != nil {
			revert()
			return Key{}, err
		}
	}
	if exists && noOverwrite {
		revert()
		return Key{}, weberr.Errorf(weberr.ConstraintError, "a record with the key %s exists already", k)
	}
	enc, err := t.codec.EncodeValue(value)
	if err != nil {
		revert()
		return Key{}, err
	}
	// The new index entries, checked against unique indexes before
	// anything is written.
	newEntries := make([][][]byte, len(st.Indexes))
	for i, ix := range st.Indexes {
		newEntries[i] = indexEntries(ix, value, pk)
		if !ix.Unique {
			continue
		}
		for _, e := range newEntries[i] {
			n, _ := entryPrefixLen(e)
			clash := false
			err := t.scan(ix.ID, e[:n], prefixEnd(e[:n]), false, false, 2, func(o entry) bool {
				if !bytes.Equal(o.key[n:], pk) {
					clash = true
					return false
				}
				return true
			})
			if err != nil {
				revert()
				return Key{}, err
			}
			if clash {
				revert()
				return Key{}, weberr.Errorf(weberr.ConstraintError, "the index %q already has a record with that key", ix.Name)
			}
		}
	}
	if exists {
		if err := t.dropIndexEntries(st, pk, old); err != nil {
			revert()
			return Key{}, err
		}
	}
	t.set(storeID, pk, enc, false)
	for i, ix := range st.Indexes {
		for _, e := range newEntries[i] {
			t.set(ix.ID, e, []byte{}, false)
		}
	}
	if st.Current != oldCurrent {
		if t.gens == nil {
			t.gens = make(map[int64]bool)
		}
		t.gens[storeID] = true
	}
	return k, nil
}

// dropIndexEntries deletes the index entries of the record pk whose
// stored value is old.
func (t *Tx) dropIndexEntries(st *StoreSchema, pk, old []byte) error {
	if len(st.Indexes) == 0 {
		return nil
	}
	rec, err := t.codec.DecodeValue(old)
	if err != nil {
		return err
	}
	for _, ix := range st.Indexes {
		for _, e := range indexEntries(ix, rec, pk) {
			t.set(ix.ID, e, nil, true)
		}
	}
	return nil
}

// Delete deletes the records of store whose keys are in r.
func (t *Tx) Delete(storeID int64, r Range) error {
	if err := t.writable(); err != nil {
		return err
	}
	st, err := t.store(storeID)
	if err != nil {
		return err
	}
	sp := r.span()
	var doomed []entry
	if err := t.scan(storeID, sp.lo, sp.hi, false, len(st.Indexes) > 0, 0, func(e entry) bool {
		doomed = append(doomed, e)
		return true
	}); err != nil {
		return err
	}
	for _, e := range doomed {
		if err := t.dropIndexEntries(st, e.key, e.value); err != nil {
			return err
		}
		t.set(storeID, e.key, nil, true)
	}
	return nil
}

// Clear deletes every record of store.
func (t *Tx) Clear(storeID int64) error {
	if err := t.writable(); err != nil {
		return err
	}
	st, err := t.store(storeID)
	if err != nil {
		return err
	}
	t.clearObject(storeID)
	for _, ix := range st.Indexes {
		t.clearObject(ix.ID)
	}
	return nil
}

// Record is a record as reads return it: its key, its primary key (the
// same as Key in an object store; the record's key in an index) and its
// stored value (nil for key-only reads), to decode with
// HostCodec.DecodeValue.
type Record struct {
	Key, PrimaryKey Key
	Value           []byte
}

// Source names what a read goes through: an object store, or one of its
// indexes when Index is not 0.
type Source struct {
	Store, Index int64
}

func (t *Tx) source(s Source) (object int64, err error) {
	st, err := t.store(s.Store)
	if err != nil {
		return 0, err
	}
	if s.Index == 0 {
		return s.Store, nil
	}
	if st.IndexByID(s.Index) == nil {
		return 0, weberr.New(weberr.InvalidStateError, "the index has been deleted")
	}
	return s.Index, nil
}

// record turns a scanned entry of a source into a Record, reading the
// value from the store for an index entry when values is true.
func (t *Tx) record(s Source, e entry, values bool) (Record, error) {
	if s.Index == 0 {
		k, _, err := DecodeKey(e.key)
		if err != nil {
			return Record{}, err
		}
		return Record{Key: k, PrimaryKey: k, Value: e.value}, nil
	}
	k, rest, err := DecodeKey(e.key)
	if err != nil {
		return Record{}, err
	}
	pk, _, err := DecodeKey(rest)
	if err != nil {
		return Record{}, err
	}
	r := Record{Key: k, PrimaryKey: pk}
	if values {
		v, ok, err := t.get(s.Store, rest)
		if err != nil {
			return Record{}, err
		}
		if !ok {
			return Record{}, fmt.Errorf("indexeddb: index entry %s without its record %s", k, pk)
		}
		r.Value = v
	}
	return r, nil
}

// stepAhead is a plain step from [lo, hi): it reads the next entries
// (with their records' values unless c is a key cursor), moves c to the
// first and keeps the others for the next plain steps.
func (t *Tx) stepAhead(c *CursorState, obj int64, lo, hi []byte) (Record, bool, error) {
	index := c.Source.Index != 0
	want := max(1, c.aheadWant)
	c.aheadWant = min(cursorAhead, want*2)
	var got []aheadEntry
	err := t.scan(obj, lo, hi, c.Direction.reverse(), !index && !c.KeysOnly, want, func(e entry) bool {
		got = append(got, aheadEntry{e: e, value: e.value})
		return len(got) < want
	})
	if err != nil {
		return Record{}, false, err
	}
	if len(got) == 0 {
		return c.end()
	}
	if index && !c.KeysOnly {
		pks := make([][]byte, len(got))
		for i, a := range got {
			n, err := entryPrefixLen(a.e.key)
			if err != nil {
				return Record{}, false, err
			}
			pks[i] = a.e.key[n:]
		}
		vals, err := t.recordValues(c.Source.Store, pks)
		if err != nil {
			return Record{}, false, err
		}
		for i, v := range vals {
			got[i].value = v
		}
	}
	c.ahead, c.aheadTx, c.aheadWrites = got[1:], t, t.writes
	return t.stepTo(c, got[0].e, got[0].value)
}

// stepTo moves c to the record of entry e, whose value (nil for a key
// cursor) was read with it.
func (t *Tx) stepTo(c *CursorState, e entry, value []byte) (Record, bool, error) {
	rec, err := t.moveTo(c, e)
	if err != nil {
		return Record{}, false, err
	}
	if !c.KeysOnly {
		rec.Value = value
	}
	return rec, true, nil
}

// moveTo moves c to the record of entry e (of c's source) and returns
// it, without its value.
func (t *Tx) moveTo(c *CursorState, e entry) (Record, error) {
	rec, err := t.record(c.Source, e, false)
	if err != nil {
		return Record{}, err
	}
	k, pk := rec.Key, rec.PrimaryKey
	c.Position, c.StorePos = &k, &pk
	if c.Source.Index == 0 {
		c.StorePos = nil
	}
	return rec, nil
}

// GetAll returns up to count records (0: all) of source whose keys are in
// r, in key order (reversed with reverse), with their values when values
// is true. It serves get, getKey, getAll and getAllKeys of stores and
// indexes.
func (t *Tx) GetAll(s Source, r Range, count int, reverse, values bool) ([]Record, error) {
	obj, err := t.source(s)
	if err != nil {
		return nil, err
	}
	if s.Index == 0 && r.single() {
		// One key of a store (get, getKey): a point read.
		k := r.Lower.Encode()
		v, ok, err := t.get(obj, k)
		if err != nil || !ok {
			return nil, err
		}
		return []Record{{Key: *r.Lower, PrimaryKey: *r.Lower, Value: v}}, nil
	}
	sp := r.span()
	var out []Record
	var pks [][]byte // an index's records' primary keys, encoded
	// An index's entries come first; their records' values are read
	// after, together (getMany).
	later := values && s.Index != 0
	var ferr error
	err = t.scan(obj, sp.lo, sp.hi, reverse, values && s.Index == 0, count, func(e entry) bool {
		rec, err := t.record(s, e, values && !later)
		if err != nil {
			ferr = err
			return false
		}
		out = append(out, rec)
		if later {
			n, _ := entryPrefixLen(e.key) // record decoded it
			pks = append(pks, e.key[n:])
		}
		return count == 0 || len(out) < count
	})
	if err == nil {
		err = ferr
	}
	if err != nil || !later {
		return out, err
	}
	vals, err := t.recordValues(s.Store, pks)
	if err != nil {
		return nil, err
	}
	for i, v := range vals {
		out[i].Value = v
	}
	return out, nil
}

// recordValues returns the values of store's records under pks (the
// primary keys of index entries, encoded), read together: an entry
// without its record is an error.
func (t *Tx) recordValues(store int64, pks [][]byte) ([][]byte, error) {
	vals, err := t.getMany(store, pks)
	if err != nil {
		return nil, err
	}
	for i, v := range vals {
		if v == nil {
			return nil, fmt.Errorf("indexeddb: index entry without its record %x", pks[i])
		}
	}
	return vals, nil
}

// GetAllDirection is GetAll in a cursor direction (IndexedDB 3.0's
// getAll, getAllKeys and getAllRecords with an IDBGetAllOptions): the
// records a cursor over source and r in direction d would visit, at
// most count of them (0: all). The unique directions of an index yield,
// for each index key, its record with the lowest primary key.
func (t *Tx) GetAllDirection(s Source, r Range, count int, d Direction, values bool) ([]Record, error) {
	if s.Index == 0 || (d != NextUnique && d != PrevUnique) {
		return t.GetAll(s, r, count, d.reverse(), values)
	}
	c := &CursorState{Source: s, Range: r, Direction: d, KeysOnly: !values}
	var out []Record
	for count == 0 || len(out) < count {
		rec, ok, err := t.Step(c, nil, nil, 1)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		out = append(out, rec)
	}
	return out, nil
}

// Count returns the number of records of source whose keys are in r.
func (t *Tx) Count(s Source, r Range) (int64, error) {
	obj, err := t.source(s)
	if err != nil {
		return 0, err
	}
	sp := r.span()
	return t.count(obj, sp.lo, sp.hi)
}

// Direction is a cursor's direction.
type Direction uint8

// Cursor directions.
const (
	Next Direction = iota
	NextUnique
	Prev
	PrevUnique
)

func (d Direction) reverse() bool { return d == Prev || d == PrevUnique }

// CursorState is a cursor between steps: its source, range, direction,
// and position (the key and, for an index, the primary key of the record
// it is at; none before its first step).
type CursorState struct {
	Source    Source
	Range     Range
	Direction Direction
	KeysOnly  bool
	Position  *Key
	StorePos  *Key

	// The read-ahead of plain steps (continue() of a next or prev
	// cursor): the entries after the position, with their records'
	// values, read from aheadTx when it had made aheadWrites changes
	// (valid while that holds); the next read asks for aheadWant entries
	// (doubling up to cursorAhead).
	ahead       []aheadEntry
	aheadTx     *Tx
	aheadWrites uint64
	aheadWant   int
}

// aheadEntry is an entry of a cursor's read-ahead and its record's value
// (nil for a key cursor).
type aheadEntry struct {
	e     entry
	value []byte
}

// cursorAhead is the most entries a cursor reads ahead.
const cursorAhead = 32

// end moves c past the end of its range: Step's answer there.
func (c *CursorState) end() (Record, bool, error) {
	c.Position, c.StorePos = nil, nil
	return Record{}, false, nil
}

// bounds returns the encoded range of c's next entry: sp, narrowed to
// what lies past c's position in its direction, and to key (and
// primaryKey) when given (continue(key), continuePrimaryKey).
func (c *CursorState) bounds(sp span, key, primaryKey *Key, index bool) (lo, hi []byte) {
	lo, hi = sp.lo, sp.hi
	raise := func(b []byte) {
		if lo == nil || bytes.Compare(b, lo) > 0 {
			lo = b
		}
	}
	lower := func(b []byte) {
		if hi == nil || bytes.Compare(b, hi) < 0 {
			hi = b
		}
	}
	switch c.Direction {
	case Next, NextUnique:
		if key != nil {
			if primaryKey != nil {
				raise(append(key.Encode(), primaryKey.Encode()...))
			} else {
				raise(key.Encode())
			}
		}
		if c.Position != nil {
			switch {
			case c.Direction == NextUnique && index:
				raise(prefixEnd(c.Position.Encode()))
			case index:
				raise(append(append(c.Position.Encode(), c.StorePos.Encode()...), 0))
			default:
				raise(append(c.Position.Encode(), 0))
			}
		}
	default:
		if key != nil {
			if primaryKey != nil {
				lower(append(append(key.Encode(), primaryKey.Encode()...), 0))
			} else if e := prefixEnd(key.Encode()); e != nil {
				lower(e)
			}
		}
		if c.Position != nil {
			switch {
			case c.Direction == PrevUnique || !index:
				lower(c.Position.Encode())
			default:
				lower(append(c.Position.Encode(), c.StorePos.Encode()...))
			}
		}
	}
	return lo, hi
}

// Step is the standard's "iterate a cursor": it moves c count times (at
// least 1) to the next record, going to the first record at or past key
// (and primaryKey, for continuePrimaryKey) when given. It returns the
// record, or ok false at the end of the range (c is then past it).
//
// A plain step (continue() of a next or prev cursor) reads the entries
// after it ahead, more as the cursor keeps stepping, and the next plain
// steps take them while the transaction changes nothing.
func (t *Tx) Step(c *CursorState, key, primaryKey *Key, count int) (Record, bool, error) {
	obj, err := t.source(c.Source)
	if err != nil {
		return Record{}, false, err
	}
	index := c.Source.Index != 0
	plain := key == nil && primaryKey == nil && count <= 1 && (c.Direction == Next || c.Direction == Prev)
	if plain && len(c.ahead) > 0 && c.aheadTx == t && c.aheadWrites == t.writes {
		a := c.ahead[0]
		c.ahead = c.ahead[1:]
		return t.stepTo(c, a.e, a.value)
	}
	c.ahead = nil
	if !plain {
		c.aheadWant = 0
	}
	sp := c.Range.span()
	if count < 1 {
		count = 1
	}
	var rec Record
	if count > 1 && key == nil && primaryKey == nil && (c.Direction == Next || c.Direction == Prev || !index) {
		// advance(count) where every entry counts (a direction that is
		// not unique, or a store, whose keys are): the count-th entry
		// past the position, in one read.
		lo, hi := c.bounds(sp, nil, nil, index)
		if lo != nil && hi != nil && bytes.Compare(lo, hi) >= 0 {
			return c.end()
		}
		var last entry
		n := 0
		err := t.scan(obj, lo, hi, c.Direction.reverse(), false, count, func(e entry) bool {
			last, n = e, n+1
			return n < count
		})
		if err != nil {
			return Record{}, false, err
		}
		if n < count {
			return c.end()
		}
		if rec, err = t.moveTo(c, last); err != nil {
			return Record{}, false, err
		}
		count = 0
	}
	for ; count > 0; count-- {
		lo, hi := c.bounds(sp, key, primaryKey, index)
		if lo != nil && hi != nil && bytes.Compare(lo, hi) >= 0 {
			return c.end()
		}
		if plain {
			return t.stepAhead(c, obj, lo, hi)
		}
		e, ok, err := t.first(obj, lo, hi, c.Direction.reverse(), !index && !c.KeysOnly)
		if err != nil {
			return Record{}, false, err
		}
		if ok && c.Direction == PrevUnique && index {
			// The first entry of that index key: its lowest primary key.
			n, err := entryPrefixLen(e.key)
			if err != nil {
				return Record{}, false, err
			}
			if e, ok, err = t.first(obj, e.key[:n], prefixEnd(e.key[:n]), false, false); err != nil {
				return Record{}, false, err
			}
		}
		if !ok {
			return c.end()
		}
		if rec, err = t.moveTo(c, e); err != nil {
			return Record{}, false, err
		}
		key, primaryKey = nil, nil
	}
	if !c.KeysOnly {
		if index {
			v, ok, err := t.get(c.Source.Store, rec.PrimaryKey.Encode())
			if err != nil {
				return Record{}, false, err
			}
			if !ok {
				return Record{}, false, fmt.Errorf("indexeddb: index entry without its record %s", rec.PrimaryKey)
			}
			rec.Value = v
		} else if rec.Value == nil {
			v, _, err := t.get(c.Source.Store, rec.Key.Encode())
			if err != nil {
				return Record{}, false, err
			}
			rec.Value = v
		}
	}
	return rec, true, nil
}

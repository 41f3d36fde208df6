package indexeddb

import (
	"bytes"
	"slices"

	"github.com/swhost/swhost/weberr"
)

// The operations of an upgrade transaction on the schema. The API layer
// checks names and options first (and throws synchronously, as the
// standard wants); these check again and apply the change in the
// transaction's order.

func (t *Tx) upgrading() error {
	if t.mode != VersionChange {
		return weberr.New(weberr.InvalidStateError, "not an upgrade transaction")
	}
	return nil
}

// useID records that the store or index id exists.
func (t *Tx) useID(id int64) {
	t.schema.NextID = max(t.schema.NextID, id+1)
}

// CreateStore creates an object store with the identifier id (from
// [Transaction.NewID]).
func (t *Tx) CreateStore(id int64, name string, keyPath KeyPath, autoIncrement bool) error {
	t.writes++
	if err := t.upgrading(); err != nil {
		return err
	}
	if t.schema.Store(name) != nil {
		return weberr.Errorf(weberr.ConstraintError, "an object store named %q exists already", name)
	}
	t.useID(id)
	t.schema.Stores = append(t.schema.Stores, &StoreSchema{ID: id, Name: name, KeyPath: keyPath, AutoIncrement: autoIncrement, Current: 1})
	t.markCreated(id)
	return nil
}

// DeleteStore deletes an object store with its records and indexes.
func (t *Tx) DeleteStore(id int64) error {
	t.writes++
	if err := t.upgrading(); err != nil {
		return err
	}
	st, err := t.store(id)
	if err != nil {
		return err
	}
	t.schema.Stores = slices.DeleteFunc(t.schema.Stores, func(s *StoreSchema) bool { return s == st })
	for _, o := range append([]int64{id}, indexIDs(st)...) {
		delete(t.ov, o)
		if !t.created[o] {
			t.dropped = append(t.dropped, o)
		}
	}
	return nil
}

func indexIDs(st *StoreSchema) []int64 {
	ids := make([]int64, len(st.Indexes))
	for i, ix := range st.Indexes {
		ids[i] = ix.ID
	}
	return ids
}

// RenameStore renames an object store.
func (t *Tx) RenameStore(id int64, name string) error {
	t.writes++
	if err := t.upgrading(); err != nil {
		return err
	}
	st, err := t.store(id)
	if err != nil {
		return err
	}
	if st.Name == name {
		return nil
	}
	if t.schema.Store(name) != nil {
		return weberr.Errorf(weberr.ConstraintError, "an object store named %q exists already", name)
	}
	st.Name = name
	return nil
}

// CreateIndex creates an index with the identifier id on a store and
// fills it from the store's records. A unique index that two records
// would share a key in fails with a ConstraintError (the caller aborts
// the transaction with it, as the standard says).
func (t *Tx) CreateIndex(storeID, id int64, name string, keyPath KeyPath, unique, multiEntry bool) error {
	t.writes++
	if err := t.upgrading(); err != nil {
		return err
	}
	st, err := t.store(storeID)
	if err != nil {
		return err
	}
	if st.Index(name) != nil {
		return weberr.Errorf(weberr.ConstraintError, "an index named %q exists already", name)
	}
	t.useID(id)
	ix := &IndexSchema{ID: id, Name: name, KeyPath: keyPath, Unique: unique, MultiEntry: multiEntry}
	st.Indexes = append(st.Indexes, ix)
	t.markCreated(id)
	var ferr error
	err = t.scan(storeID, nil, nil, false, true, 0, func(e entry) bool {
		rec, err := t.codec.DecodeValue(e.value)
		if err != nil {
			ferr = err
			return false
		}
		for _, ie := range indexEntries(ix, rec, e.key) {
			t.set(id, ie, []byte{}, false)
		}
		return true
	})
	if err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	if unique {
		// Adjacent entries with the same index key clash.
		var prev []byte
		clash := false
		err := t.scan(id, nil, nil, false, false, 0, func(e entry) bool {
			n, err := entryPrefixLen(e.key)
			if err != nil {
				ferr = err
				return false
			}
			if prev != nil && bytes.Equal(prev, e.key[:n]) {
				clash = true
				return false
			}
			prev = append(prev[:0], e.key[:n]...)
			return true
		})
		if err == nil {
			err = ferr
		}
		if err != nil {
			return err
		}
		if clash {
			return weberr.Errorf(weberr.ConstraintError, "records share a key of the unique index %q", name)
		}
	}
	return nil
}

// DeleteIndex deletes an index.
func (t *Tx) DeleteIndex(storeID, id int64) error {
	t.writes++
	if err := t.upgrading(); err != nil {
		return err
	}
	st, err := t.store(storeID)
	if err != nil {
		return err
	}
	st.Indexes = slices.DeleteFunc(st.Indexes, func(ix *IndexSchema) bool { return ix.ID == id })
	delete(t.ov, id)
	if !t.created[id] {
		t.dropped = append(t.dropped, id)
	}
	return nil
}

// RenameIndex renames an index.
func (t *Tx) RenameIndex(storeID, id int64, name string) error {
	t.writes++
	if err := t.upgrading(); err != nil {
		return err
	}
	st, err := t.store(storeID)
	if err != nil {
		return err
	}
	ix := st.IndexByID(id)
	if ix == nil {
		return weberr.New(weberr.InvalidStateError, "the index has been deleted")
	}
	if ix.Name == name {
		return nil
	}
	if st.Index(name) != nil {
		return weberr.Errorf(weberr.ConstraintError, "an index named %q exists already", name)
	}
	ix.Name = name
	return nil
}

// markCreated notes that the transaction created object store or index
// id.
func (t *Tx) markCreated(id int64) {
	if t.created == nil {
		t.created = make(map[int64]bool)
	}
	t.created[id] = true
}

package swhosttest

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/swhost/swhost/indexeddb"
)

// Database is one IndexedDB database of an origin, dumped whole.
type Database struct {
	Name    string
	Version uint64
	Stores  []Store
}

// Store is an object store with its records in key order.
type Store struct {
	Name    string
	Records []Record
}

// Record is one record: its key as indexeddb.Key's String form (a
// number "1", a string "\"a\"", a date, an array) and its value as
// JSON, with the types JSON cannot carry (Date, Map, ArrayBuffer...)
// tagged by "$type", as the admin API's records view shows it.
type Record struct {
	Key   string
	Value json.RawMessage
}

// maxRecordJSON caps one value's JSON in a dump; the rest is
// {"$type":"truncated"}.
const maxRecordJSON = 1 << 20

// IndexedDB dumps origin's IndexedDB databases: every store's records,
// each database read in one read-only transaction (which waits for the
// workers' transactions on it to end). It is meant for the small
// databases of tests.
func (h *Host) IndexedDB(ctx context.Context, origin string) ([]Database, error) {
	f := h.reg.IndexedDB()
	infos, err := f.Databases(ctx, origin)
	if err != nil {
		return nil, fmt.Errorf("swhosttest: IndexedDB of %s: %w", origin, err)
	}
	out := make([]Database, 0, len(infos))
	for _, info := range infos {
		var db Database
		err := f.Run(ctx, origin, info.Name, nil, indexeddb.ReadOnly, func(tx *indexeddb.Tx) error {
			schema := tx.Schema()
			db = Database{Name: schema.Name, Version: schema.Version}
			for _, name := range schema.StoreNames() {
				st := schema.Store(name)
				recs, err := tx.GetAll(indexeddb.Source{Store: st.ID}, indexeddb.All, 0, false, true)
				if err != nil {
					return err
				}
				s := Store{Name: name, Records: make([]Record, 0, len(recs))}
				for _, rec := range recs {
					r := Record{Key: rec.Key.String(), Value: json.RawMessage(`{"$type":"unreadable"}`)}
					if v, err := f.Codec().DecodeValue(rec.Value); err == nil {
						r.Value, _ = v.InspectJSON(maxRecordJSON)
					}
					s.Records = append(s.Records, r)
				}
				db.Stores = append(db.Stores, s)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("swhosttest: IndexedDB %s of %s: %w", info.Name, origin, err)
		}
		out = append(out, db)
	}
	return out, nil
}

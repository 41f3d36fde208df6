package server

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/weberr"
)

// IndexedDB views. Records are worker data: keys and values are shown
// as structuredclone's InspectJSON (the types JSON cannot carry tagged
// by "$type"), inside the JSON answer, never as its own fields; positions
// (the next page, a record to delete) are opaque tokens, the base64url
// of the engine's encoded keys, so no key syntax is parsed here.

// Limits of the records view.
const (
	defaultRecordsPage = 50
	maxRecordsPage     = 500
	// maxInspectJSON caps one key's or value's JSON; the rest is
	// {"$type":"truncated"}.
	maxInspectJSON = 16 << 10
)

// idbOrigin is one origin's databases.
type idbOrigin struct {
	Origin    string        `json:"origin"`
	Databases []idbDatabase `json:"databases"`
}

type idbDatabase struct {
	Name    string     `json:"name"`
	Version uint64     `json:"version"`
	Stores  []idbStore `json:"stores"`
}

type idbStore struct {
	Name          string            `json:"name"`
	KeyPath       indexeddb.KeyPath `json:"keyPath"`
	AutoIncrement bool              `json:"autoIncrement"`
	Records       int64             `json:"records"`
	Indexes       []idbIndex        `json:"indexes"`
}

type idbIndex struct {
	Name       string            `json:"name"`
	KeyPath    indexeddb.KeyPath `json:"keyPath"`
	Unique     bool              `json:"unique"`
	MultiEntry bool              `json:"multiEntry"`
}

// idbRecord is one record of the records view.
type idbRecord struct {
	Key json.RawMessage `json:"key"`
	// PrimaryKey is shown for an index's records (Key is then the
	// index key).
	PrimaryKey json.RawMessage `json:"primaryKey,omitempty"`
	// Ref names the record for DELETE /v1/indexeddb/records.
	Ref   string          `json:"ref"`
	Value json.RawMessage `json:"value"`
	// Truncated says that Value was cut (maxInspectJSON).
	Truncated bool `json:"truncated,omitempty"`
}

// idbPage is a page of records.
type idbPage struct {
	Origin  string      `json:"origin"`
	DB      string      `json:"db"`
	Store   string      `json:"store"`
	Index   string      `json:"index,omitempty"`
	Total   int64       `json:"total"`
	Records []idbRecord `json:"records"`
	// Next, when there are more records, is the after= of the next page.
	Next string `json:"next,omitempty"`
}

// idbOriginParam returns the origin query parameter as a serialized
// origin: required, a tuple origin (scheme://host[:port]), nothing else.
func idbOriginParam(r *http.Request) (string, error) {
	o, err := queryParam(r, "origin")
	if err != nil {
		return "", err
	}
	if o == "" {
		return "", weberr.New(weberr.TypeError, "query parameter origin: required")
	}
	return parseOrigin(o)
}

// parseOrigin checks that o is a serialized tuple origin and returns it
// normalized.
func parseOrigin(o string) (string, error) {
	u, err := weburl.Parse(o)
	if err != nil || u.Origin() == "null" || u.Href() != u.Origin()+"/" {
		return "", weberr.Errorf(weberr.TypeError, "query parameter origin: %q is not a serialized origin (scheme://host[:port])", o)
	}
	return u.Origin(), nil
}

// requiredParam returns the query parameter name, which must be given.
func requiredParam(r *http.Request, name string) (string, error) {
	v, err := queryParam(r, name)
	if err == nil && v == "" {
		err = weberr.Errorf(weberr.TypeError, "query parameter %s: required", name)
	}
	return v, err
}

// listIndexedDB is GET /v1/indexeddb[?origin=O]: the databases of one
// origin, or of every origin that has a registration, with their object
// stores (and record counts) and indexes.
func (s *Server) listIndexedDB(w http.ResponseWriter, r *http.Request) {
	if err := noBody(r); err != nil {
		s.fail(w, err)
		return
	}
	o, err := queryParam(r, "origin")
	if err != nil {
		s.fail(w, err)
		return
	}
	var origins []string
	if o != "" {
		o, err = parseOrigin(o)
		if err != nil {
			s.fail(w, err)
			return
		}
		origins = append(origins, o)
	} else {
		seen := map[string]bool{}
		for _, reg := range s.reg.Registrations("") {
			if o := reg.Scope().Origin(); !seen[o] {
				seen[o] = true
				origins = append(origins, o)
			}
		}
		sort.Strings(origins)
	}
	f := s.reg.IndexedDB()
	out := []idbOrigin{}
	for _, o := range origins {
		list, err := f.Databases(r.Context(), o)
		if err != nil {
			s.fail(w, err)
			return
		}
		sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
		entry := idbOrigin{Origin: o, Databases: []idbDatabase{}}
		for _, info := range list {
			db, err := s.describeDatabase(r, o, info.Name)
			if weberr.NameOf(err) == weberr.NotFoundError {
				continue // deleted meanwhile
			}
			if err != nil {
				s.fail(w, err)
				return
			}
			entry.Databases = append(entry.Databases, db)
		}
		out = append(out, entry)
	}
	writeJSON(w, http.StatusOK, out)
}

// describeDatabase reads a database's schema and record counts in one
// read-only transaction.
func (s *Server) describeDatabase(r *http.Request, origin, name string) (idbDatabase, error) {
	var db idbDatabase
	err := s.reg.IndexedDB().Run(r.Context(), origin, name, nil, indexeddb.ReadOnly, func(tx *indexeddb.Tx) error {
		schema := tx.Schema()
		db = idbDatabase{Name: schema.Name, Version: schema.Version, Stores: []idbStore{}}
		for _, sn := range schema.StoreNames() {
			st := schema.Store(sn)
			n, err := tx.Count(indexeddb.Source{Store: st.ID}, indexeddb.All)
			if err != nil {
				return err
			}
			out := idbStore{Name: st.Name, KeyPath: st.KeyPath, AutoIncrement: st.AutoIncrement, Records: n, Indexes: []idbIndex{}}
			for _, in := range st.IndexNames() {
				ix := st.Index(in)
				out.Indexes = append(out.Indexes, idbIndex{Name: ix.Name, KeyPath: ix.KeyPath, Unique: ix.Unique, MultiEntry: ix.MultiEntry})
			}
			db.Stores = append(db.Stores, out)
		}
		return nil
	})
	return db, err
}

// storeParams are the origin, db and store query parameters.
type storeParams struct {
	origin, db, store string
}

func parseStoreParams(r *http.Request) (storeParams, error) {
	var p storeParams
	var err error
	if p.origin, err = idbOriginParam(r); err != nil {
		return p, err
	}
	if p.db, err = requiredParam(r, "db"); err != nil {
		return p, err
	}
	p.store, err = requiredParam(r, "store")
	return p, err
}

// pageLimit parses limit=N: a decimal integer from 1 to maxRecordsPage.
func pageLimit(r *http.Request) (int, error) {
	v, err := queryParam(r, "limit")
	if err != nil || v == "" {
		return defaultRecordsPage, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxRecordsPage || strconv.Itoa(n) != v {
		return 0, weberr.Errorf(weberr.TypeError, "query parameter limit: %q is not an integer from 1 to %d", v, maxRecordsPage)
	}
	return n, nil
}

// decodeToken decodes a position token: keys encoded one after the
// other (want of them), base64url without padding.
func decodeToken(name, tok string, want int) ([]indexeddb.Key, error) {
	bad := func() error {
		return weberr.Errorf(weberr.TypeError, "query parameter %s: %q is not a position this API gave", name, tok)
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return nil, bad()
	}
	keys := make([]indexeddb.Key, 0, want)
	for range want {
		k, rest, err := indexeddb.DecodeKey(b)
		if err != nil || !k.Valid() {
			return nil, bad()
		}
		keys = append(keys, k)
		b = rest
	}
	if len(b) > 0 {
		return nil, bad()
	}
	return keys, nil
}

// encodeToken is the token of keys.
func encodeToken(keys ...indexeddb.Key) string {
	var b []byte
	for _, k := range keys {
		b = k.AppendEncoded(b)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// keyJSON shows a key as InspectJSON shows the value it comes from.
func keyJSON(k indexeddb.Key) json.RawMessage {
	rec, err := structuredclone.FromGo(keyValue(k))
	if err != nil {
		return json.RawMessage(`{"$type":"unreadable"}`)
	}
	out, _ := rec.InspectJSON(maxInspectJSON)
	return out
}

// keyValue is the Go value of a key, for structuredclone.FromGo: a
// number, a Date, a string, an ArrayBuffer or an Array of them.
func keyValue(k indexeddb.Key) any {
	switch k.Type {
	case indexeddb.KeyNumber:
		return k.Num
	case indexeddb.KeyDate:
		return dateValue(k.Num)
	case indexeddb.KeyString:
		return k.Str
	case indexeddb.KeyBinary:
		return k.Bin
	case indexeddb.KeyArray:
		out := make([]any, len(k.Arr))
		for i, sub := range k.Arr {
			out[i] = keyValue(sub)
		}
		return out
	}
	return structuredclone.Undefined{}
}

// idbRecords is GET /v1/indexeddb/records?origin=O&db=D&store=S
// [&index=I][&after=TOKEN][&limit=N]: a page of records in key order
// (index key, then primary key, through an index).
func (s *Server) idbRecords(w http.ResponseWriter, r *http.Request) {
	if err := noBody(r); err != nil {
		s.fail(w, err)
		return
	}
	p, err := parseStoreParams(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	index, err := queryParam(r, "index")
	if err != nil {
		s.fail(w, err)
		return
	}
	limit, err := pageLimit(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	after, err := queryParam(r, "after")
	if err != nil {
		s.fail(w, err)
		return
	}
	var pos []indexeddb.Key
	if after != "" {
		want := 1
		if index != "" {
			want = 2
		}
		if pos, err = decodeToken("after", after, want); err != nil {
			s.fail(w, err)
			return
		}
	}
	f := s.reg.IndexedDB()
	page := idbPage{Origin: p.origin, DB: p.db, Store: p.store, Index: index, Records: []idbRecord{}}
	err = f.Run(r.Context(), p.origin, p.db, []string{p.store}, indexeddb.ReadOnly, func(tx *indexeddb.Tx) error {
		st := tx.Schema().Store(p.store)
		src := indexeddb.Source{Store: st.ID}
		if index != "" {
			ix := st.Index(index)
			if ix == nil {
				return weberr.Errorf(weberr.NotFoundError, "object store %q has no index %q", p.store, index)
			}
			src.Index = ix.ID
		}
		var err error
		if page.Total, err = tx.Count(src, indexeddb.All); err != nil {
			return err
		}
		c := &indexeddb.CursorState{Source: src, Range: indexeddb.All, Direction: indexeddb.Next}
		if len(pos) > 0 {
			c.Position = &pos[0]
			if index != "" {
				c.StorePos = &pos[1]
			}
		}
		var last string // the position of the last record taken
		for n := 0; ; n++ {
			rec, ok, err := tx.Step(c, nil, nil, 1)
			if err != nil || !ok {
				return err
			}
			if n == limit {
				page.Next = last
				return nil
			}
			page.Records = append(page.Records, recordJSON(f.Codec(), rec, index != ""))
			if index != "" {
				last = encodeToken(rec.Key, rec.PrimaryKey)
			} else {
				last = encodeToken(rec.Key)
			}
		}
	})
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// dateValue is a Date key's time value as a time.Time.
func dateValue(ms float64) time.Time { return time.UnixMilli(int64(ms)).UTC() }

// recordJSON shows a record: its value decoded with codec (a value that
// does not decode is {"$type":"unreadable"}), its keys, its ref.
func recordJSON(codec indexeddb.HostCodec, rec indexeddb.Record, viaIndex bool) idbRecord {
	out := idbRecord{Key: keyJSON(rec.Key), Ref: encodeToken(rec.PrimaryKey)}
	if viaIndex {
		out.PrimaryKey = keyJSON(rec.PrimaryKey)
	}
	v, err := codec.DecodeValue(rec.Value)
	if err != nil {
		out.Value = json.RawMessage(`{"$type":"unreadable"}`)
		return out
	}
	out.Value, out.Truncated = v.InspectJSON(maxInspectJSON)
	return out
}

// deleteIndexedDB is DELETE /v1/indexeddb?origin=O&db=D: the standard's
// "delete a database", as a script's indexedDB.deleteDatabase: open
// connections get versionchange first. It answers 200
// {"deleted": true, "oldVersion"} once the database is gone (oldVersion 0
// when there was none), or 202 {"blocked": true, "oldVersion",
// "newVersion": null} when connections stay open after their
// versionchange: the deletion then stays queued and completes once they
// close, as the script's request would. With force=1 the open
// connections are closed first, as a user agent clearing storage does
// (their transactions abort, close fires at them).
func (s *Server) deleteIndexedDB(w http.ResponseWriter, r *http.Request) {
	if err := noBody(r); err != nil {
		s.fail(w, err)
		return
	}
	origin, err := idbOriginParam(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	name, err := requiredParam(r, "db")
	if err != nil {
		s.fail(w, err)
		return
	}
	type result struct {
		old uint64
		err error
	}
	if r.URL.Query().Get("force") == "1" {
		// The user agent closes the connections (close events, their
		// transactions aborted): nothing is left to block the deletion.
		s.reg.IndexedDB().CloseConnections(origin, name)
	}
	done := make(chan result, 1)
	blocked := make(chan uint64, 1)
	s.reg.IndexedDB().DeleteDatabase(origin, name, indexeddb.OpenCallbacks{
		Blocked: func(old, _ uint64) { blocked <- old },
		Done:    func(_ *indexeddb.Connection, old uint64, err error) { done <- result{old, err} },
	})
	select {
	case res := <-done:
		if res.err != nil {
			s.fail(w, res.err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"deleted": true, "oldVersion": res.old})
	case old := <-blocked:
		writeJSON(w, http.StatusAccepted, map[string]any{"blocked": true, "oldVersion": old, "newVersion": nil})
	case <-r.Context().Done():
		s.fail(w, weberr.New(weberr.AbortError, "the request ended before the deletion; it stays queued"))
	}
}

// deleteIDBRecords is DELETE /v1/indexeddb/records?origin=O&db=D&store=S
// with ref=REF (a record's ref from the records view) to delete that
// record, or all=1 to clear the store; one of them is required. It
// answers 200 {"deleted": N}, the number of records removed.
func (s *Server) deleteIDBRecords(w http.ResponseWriter, r *http.Request) {
	if err := noBody(r); err != nil {
		s.fail(w, err)
		return
	}
	p, err := parseStoreParams(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	ref, err := queryParam(r, "ref")
	if err != nil {
		s.fail(w, err)
		return
	}
	all, err := queryParam(r, "all", "1")
	if err != nil {
		s.fail(w, err)
		return
	}
	if (ref == "") == (all == "") {
		s.fail(w, weberr.New(weberr.TypeError, "give one of the query parameters ref (a record) and all=1 (clear the store)"))
		return
	}
	rng := indexeddb.All
	if ref != "" {
		keys, err := decodeToken("ref", ref, 1)
		if err != nil {
			s.fail(w, err)
			return
		}
		rng = indexeddb.Only(keys[0])
	}
	var deleted int64
	err = s.reg.IndexedDB().Run(r.Context(), p.origin, p.db, []string{p.store}, indexeddb.ReadWrite, func(tx *indexeddb.Tx) error {
		st := tx.Schema().Store(p.store)
		var err error
		if deleted, err = tx.Count(indexeddb.Source{Store: st.ID}, rng); err != nil {
			return err
		}
		if ref == "" {
			return tx.Clear(st.ID)
		}
		return tx.Delete(st.ID, rng)
	})
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int64{"deleted": deleted})
}

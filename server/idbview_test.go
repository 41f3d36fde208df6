package server

import (
	"encoding/json"
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/internal/structuredclone"
)

const testIDBOrigin = "https://app.test"

// seedIDB creates testIDBOrigin's database "notes" version 3: store "items"
// (keyPath id, index by_tag on tag) with records 1 to 7, and an empty
// store "blobs" (autoIncrement). ev is the connection's events; the
// connection is returned open.
func seedIDB(t *testing.T, f *indexeddb.Factory, ev indexeddb.Events) *indexeddb.Connection {
	t.Helper()
	done := make(chan *indexeddb.Connection, 1)
	f.Open(testIDBOrigin, "notes", 3, ev, indexeddb.OpenCallbacks{
		Upgrade: func(_ *indexeddb.Connection, tx *indexeddb.Transaction, _ uint64) bool {
			items, byTag, blobs := tx.NewID(), tx.NewID(), tx.NewID()
			tx.Do(func(x *indexeddb.Tx) (any, error) {
				if err := x.CreateStore(items, "items", indexeddb.StringPath("id"), false); err != nil {
					return nil, err
				}
				if err := x.CreateIndex(items, byTag, "by_tag", indexeddb.StringPath("tag"), false, false); err != nil {
					return nil, err
				}
				return nil, x.CreateStore(blobs, "blobs", indexeddb.KeyPath{}, true)
			}, func(_ any, err error) {
				if err != nil {
					t.Error(err)
				}
			})
			tx.Commit(func(error) {})
			return true
		},
		Done: func(conn *indexeddb.Connection, _ uint64, err error) {
			if err != nil {
				t.Error(err)
			}
			done <- conn
		},
	})
	conn := <-done
	if conn == nil {
		t.FailNow()
	}
	tr, err := conn.Transaction([]string{"items"}, indexeddb.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	id := conn.Schema().Store("items").ID
	for i := 1; i <= 7; i++ {
		tag := "b"
		if i%2 == 1 {
			tag = "a"
		}
		rec, err := structuredclone.FromGo(map[string]any{"id": i, "tag": tag, "nan": math.NaN(),
			"when": time.UnixMilli(int64(i) * 1000), "html": `<img src=x onerror=alert(1)>`})
		if err != nil {
			t.Fatal(err)
		}
		tr.Do(func(x *indexeddb.Tx) (any, error) {
			k := indexeddb.Number(float64(i))
			return x.Put(id, rec, &k, false)
		}, func(_ any, err error) {
			if err != nil {
				t.Error(err)
			}
		})
	}
	committed := make(chan error, 1)
	tr.Commit(func(err error) { committed <- err })
	if err := <-committed; err != nil {
		t.Fatal(err)
	}
	return conn
}

// recordsPath is the records view of notes/items.
func recordsPath(extra string) string {
	return "/v1/indexeddb/records?origin=" + url.QueryEscape(testIDBOrigin) + "&db=notes&store=items" + extra
}

// allRecords follows the records view's pages of limit records.
func allRecords(t *testing.T, f *fixture, extra string, limit int) (recs []idbRecord, pages int) {
	t.Helper()
	after := ""
	for {
		var page idbPage
		path := recordsPath(extra) + "&limit=" + itoa(limit)
		if after != "" {
			path += "&after=" + after
		}
		if st := f.call(t, "GET", path, "", &page); st != 200 {
			t.Fatalf("GET %s: %d", path, st)
		}
		if len(page.Records) > limit {
			t.Fatalf("page of %d records, limit %d", len(page.Records), limit)
		}
		recs = append(recs, page.Records...)
		pages++
		if page.Next == "" {
			return recs, pages
		}
		after = page.Next
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestIndexedDBView(t *testing.T) {
	f := newFixture(t)
	idb := f.reg.IndexedDB()
	conn := seedIDB(t, idb, indexeddb.Events{})
	conn.Close()

	var list []idbOrigin
	if st := f.call(t, "GET", "/v1/indexeddb?origin="+url.QueryEscape(testIDBOrigin), "", &list); st != 200 {
		t.Fatalf("list: %d", st)
	}
	want := `[{"origin":"https://app.test","databases":[{"name":"notes","version":3,"stores":[` +
		`{"name":"blobs","keyPath":null,"autoIncrement":true,"records":0,"indexes":[]},` +
		`{"name":"items","keyPath":"id","autoIncrement":false,"records":7,"indexes":[{"name":"by_tag","keyPath":"tag","unique":false,"multiEntry":false}]}]}]}]`
	if got, _ := json.Marshal(list); string(got) != want {
		t.Errorf("list:\n got %s\nwant %s", got, want)
	}

	// Paging through the store: key order, every record once.
	recs, pages := allRecords(t, f, "", 3)
	if len(recs) != 7 || pages != 3 {
		t.Fatalf("store pages: %d records in %d pages", len(recs), pages)
	}
	for i, r := range recs {
		if string(r.Key) != itoa(i+1) || r.PrimaryKey != nil {
			t.Errorf("record %d: key %s primaryKey %s", i, r.Key, r.PrimaryKey)
		}
	}
	var v struct {
		HTML string            `json:"html"`
		NaN  map[string]string `json:"nan"`
		When map[string]string `json:"when"`
	}
	if err := json.Unmarshal(recs[0].Value, &v); err != nil {
		t.Fatal(err)
	}
	if v.HTML != `<img src=x onerror=alert(1)>` || v.NaN["$type"] != "number" || v.NaN["value"] != "NaN" ||
		v.When["$type"] != "Date" || v.When["value"] != "1970-01-01T00:00:01.000Z" {
		t.Errorf("value: %s", recs[0].Value)
	}

	// Through the index: by tag, then primary key, across page edges
	// that fall between equal index keys.
	recs, _ = allRecords(t, f, "&index=by_tag", 2)
	var order []string
	for _, r := range recs {
		order = append(order, string(r.Key)+":"+string(r.PrimaryKey))
	}
	if got := strings.Join(order, " "); got != `"a":1 "a":3 "a":5 "a":7 "b":2 "b":4 "b":6` {
		t.Errorf("index order: %s", got)
	}

	// The responses are inert.
	resp := f.get(t.Context(), t, recordsPath(""))
	resp.Body.Close()
	if resp.Header.Get("Content-Security-Policy") != "sandbox" || resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers: %v", resp.Header)
	}

	one := recsRef(t, f, 4)
	for _, tt := range []struct {
		method, path string
		status       int
		name         string
	}{
		{"GET", "/v1/indexeddb/records?db=notes&store=items", 400, "TypeError"},
		{"GET", "/v1/indexeddb?origin=https://app.test/path", 400, "TypeError"},
		{"GET", "/v1/indexeddb?origin=null", 400, "TypeError"},
		{"GET", "/v1/indexeddb?origin=a&origin=b", 400, "TypeError"},
		{"GET", recordsPath("&limit=0"), 400, "TypeError"},
		{"GET", recordsPath("&limit=501"), 400, "TypeError"},
		{"GET", recordsPath("&limit=07"), 400, "TypeError"},
		{"GET", recordsPath("&after=!!"), 400, "TypeError"},
		{"GET", recordsPath("&after=" + one + one), 400, "TypeError"},
		{"GET", recordsPath("&index=by_tag&after=" + one), 400, "TypeError"},
		{"GET", recordsPath("&index=nope"), 404, "NotFoundError"},
		{"GET", "/v1/indexeddb/records?origin=https://app.test&db=ghost&store=items", 404, "NotFoundError"},
		{"GET", "/v1/indexeddb/records?origin=https://app.test&db=notes&store=ghost", 404, "NotFoundError"},
		{"DELETE", recordsPath(""), 400, "TypeError"},
		{"DELETE", recordsPath("&all=1&ref=" + one), 400, "TypeError"},
		{"DELETE", recordsPath("&all=yes"), 400, "TypeError"},
		{"DELETE", "/v1/indexeddb?origin=https://app.test", 400, "TypeError"},
	} {
		var e apiError
		if st := f.call(t, tt.method, tt.path, "", &e); st != tt.status || e.Error != tt.name {
			t.Errorf("%s %s: %d %+v, want %d %s", tt.method, tt.path, st, e, tt.status, tt.name)
		}
	}
	// Reading a missing database did not create it.
	if list, err := idb.Databases(t.Context(), testIDBOrigin); err != nil || len(list) != 1 {
		t.Errorf("databases after the reads: %v %v", list, err)
	}

	// Deleting a record by its ref, then clearing the store.
	var del map[string]int64
	if st := f.call(t, "DELETE", recordsPath("&ref="+one), "", &del); st != 200 || del["deleted"] != 1 {
		t.Errorf("delete record: %d %v", st, del)
	}
	if recs, _ := allRecords(t, f, "", 10); len(recs) != 6 || string(recs[3].Key) != "5" {
		t.Errorf("after deleting 4: %d records", len(recs))
	}
	if st := f.call(t, "DELETE", recordsPath("&all=1"), "", &del); st != 200 || del["deleted"] != 6 {
		t.Errorf("clear: %d %v", st, del)
	}
	if recs, _ := allRecords(t, f, "", 10); len(recs) != 0 {
		t.Errorf("after clearing: %d records", len(recs))
	}

	var gone map[string]any
	if st := f.call(t, "DELETE", "/v1/indexeddb?origin=https://app.test&db=notes", "", &gone); st != 200 || gone["deleted"] != true || gone["oldVersion"] != 3.0 {
		t.Errorf("delete database: %d %v", st, gone)
	}
	if st := f.call(t, "GET", "/v1/indexeddb?origin=https://app.test", "", &list); st != 200 || len(list) != 1 || len(list[0].Databases) != 0 {
		t.Errorf("after deleting: %d %+v", st, list)
	}
}

// recsRef returns the ref of record key n of notes/items.
func recsRef(t *testing.T, f *fixture, n int) string {
	t.Helper()
	recs, _ := allRecords(t, f, "", 10)
	for _, r := range recs {
		if string(r.Key) == itoa(n) {
			return r.Ref
		}
	}
	t.Fatalf("no record %d", n)
	return ""
}

// TestIndexedDBDeleteBlocked: deleting a database a connection keeps
// open fires versionchange at it and answers blocked; the deletion
// completes once the connection closes.
func TestIndexedDBDeleteBlocked(t *testing.T) {
	f := newFixture(t)
	idb := f.reg.IndexedDB()
	versionChange := make(chan uint64, 1)
	conn := seedIDB(t, idb, indexeddb.Events{OnVersionChange: func(old, _ uint64, deleting bool, ack func()) bool {
		if deleting {
			versionChange <- old
		}
		ack() // dispatched, and the connection stays open
		return true
	}})
	var blocked map[string]any
	if st := f.call(t, "DELETE", "/v1/indexeddb?origin=https://app.test&db=notes", "", &blocked); st != 202 || blocked["blocked"] != true || blocked["oldVersion"] != 3.0 {
		t.Fatalf("blocked delete: %d %v", st, blocked)
	}
	if old := <-versionChange; old != 3 {
		t.Errorf("versionchange oldVersion %d", old)
	}
	conn.Close()
	// A second deletion queues behind the first, which the close let
	// through: the database is gone by then.
	var gone map[string]any
	if st := f.call(t, "DELETE", "/v1/indexeddb?origin=https://app.test&db=notes", "", &gone); st != 200 || gone["oldVersion"] != 0.0 {
		t.Errorf("second delete: %d %v", st, gone)
	}
	if list, err := idb.Databases(t.Context(), testIDBOrigin); err != nil || len(list) != 0 {
		t.Errorf("databases: %v %v", list, err)
	}
}

// TestIndexedDBDeleteForced: with force=1, a connection kept open is
// closed by the user agent (OnForceClose, no versionchange) and the
// deletion completes at once.
func TestIndexedDBDeleteForced(t *testing.T) {
	f := newFixture(t)
	idb := f.reg.IndexedDB()
	closed := make(chan struct{})
	seedIDB(t, idb, indexeddb.Events{
		OnVersionChange: func(uint64, uint64, bool, func()) bool {
			t.Error("versionchange at a force-closed connection")
			return true
		},
		OnForceClose: func() { close(closed) },
	})
	var res map[string]any
	if st := f.call(t, "DELETE", "/v1/indexeddb?origin=https://app.test&db=notes&force=1", "", &res); st != 200 || res["deleted"] != true || res["oldVersion"] != 3.0 {
		t.Fatalf("forced delete: %d %v", st, res)
	}
	<-closed
	if list, err := idb.Databases(t.Context(), testIDBOrigin); err != nil || len(list) != 0 {
		t.Errorf("databases: %v %v", list, err)
	}
}

// FuzzPositionToken: any after= or ref= value is a TypeError or keys
// that encode back to the same token.
func FuzzPositionToken(f *testing.F) {
	for _, seed := range []string{"", "!!", encodeToken(indexeddb.Number(1)), encodeToken(indexeddb.String("a"), indexeddb.Array(indexeddb.Date(0)))} {
		f.Add(seed, 1)
		f.Add(seed, 2)
	}
	f.Fuzz(func(t *testing.T, tok string, want int) {
		want = 1 + want&1
		keys, err := decodeToken("after", tok, want)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "TypeError") && !strings.Contains(err.Error(), "query parameter after") {
				t.Fatalf("error %v", err)
			}
			return
		}
		if len(keys) != want || encodeToken(keys...) != tok {
			t.Fatalf("%q decoded to %v, which encodes to %q", tok, keys, encodeToken(keys...))
		}
	})
}

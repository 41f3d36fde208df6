package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
)

// cacheBackend is the [cachestorage.Backend] of a SQLStore: each View is a
// read transaction, each Update a write transaction. Cache IDs count per
// origin in cache_origins.next_cache_id and entry IDs per cache in
// caches.next_entry_id, so neither is reused, as in the memory backend.
// The origin's usage (entries, bytes) and each cache's entry count are
// kept in counter columns updated in the same transaction as the entries;
// each cache keeps the CacheSize it added to the origin's bytes, to take
// off when it goes.
type cacheBackend struct {
	s *SQLStore
}

var _ cachestorage.Backend = (*cacheBackend)(nil)

// errCacheReadOnly is returned by the write methods of a View transaction.
var errCacheReadOnly = errors.New("store: cache storage: write in a read-only transaction")

// View implements [cachestorage.Backend].
func (b *cacheBackend) View(ctx context.Context, origin string, fn func(cachestorage.Tx) error) error {
	return b.s.read(ctx, func(o *ops) error {
		return fn(&cacheTx{ctx: ctx, o: o, origin: origin})
	})
}

// Update implements [cachestorage.Backend]. On PostgreSQL it holds the
// origin's advisory lock, so that the Updates and IndexedDB commits of one
// origin (which share its quota) run one at a time on every node and
// those of different origins in parallel; SQLite has a single writer
// anyway.
func (b *cacheBackend) Update(ctx context.Context, origin string, fn func(cachestorage.Tx) error) error {
	return b.s.writeLocked(ctx, hashKey(lockSpaceOrigin, origin), func(o *ops) error {
		return fn(&cacheTx{ctx: ctx, o: o, origin: origin, writable: true})
	})
}

// cacheTx is one transaction on one origin's caches.
type cacheTx struct {
	ctx      context.Context
	o        *ops
	origin   string
	writable bool
}

func (t *cacheTx) err(what string, err error) error {
	if err == nil {
		return nil
	}
	return t.o.s.dbErr(fmt.Sprintf("cache storage %s: %s", t.origin, what), err)
}

func (t *cacheTx) Caches() ([]cachestorage.CacheInfo, error) {
	rows, err := t.o.query(t.ctx, `SELECT id, name FROM caches WHERE origin = ? ORDER BY id`, t.origin)
	if err != nil {
		return nil, t.err("caches", err)
	}
	defer rows.Close()
	out := []cachestorage.CacheInfo{}
	for rows.Next() {
		var c cachestorage.CacheInfo
		if err := rows.Scan(&c.ID, &c.Name); err != nil {
			return nil, t.err("caches", err)
		}
		out = append(out, c)
	}
	return out, t.err("caches", rows.Err())
}

func (t *cacheTx) Cache(name string) (cachestorage.CacheInfo, bool, error) {
	c := cachestorage.CacheInfo{Name: name}
	err := t.o.queryRow(t.ctx, `SELECT id FROM caches WHERE origin = ? AND name = ?`, t.origin, name).Scan(&c.ID)
	if err == sql.ErrNoRows {
		return cachestorage.CacheInfo{}, false, nil
	}
	if err != nil {
		return cachestorage.CacheInfo{}, false, t.err(fmt.Sprintf("cache %q", name), err)
	}
	return c, true, nil
}

func (t *cacheTx) CreateCache(name string) (cachestorage.CacheInfo, error) {
	if !t.writable {
		return cachestorage.CacheInfo{}, errCacheReadOnly
	}
	what := fmt.Sprintf("create cache %q", name)
	if _, ok, err := t.Cache(name); err != nil {
		return cachestorage.CacheInfo{}, err
	} else if ok {
		return cachestorage.CacheInfo{}, fmt.Errorf("store: cache storage %s: cache %q already exists", t.origin, name)
	}
	_, err := t.o.exec(t.ctx, `INSERT INTO cache_origins (origin, next_cache_id, entries, bytes) VALUES (?, 1, 0, 0)
		ON CONFLICT (origin) DO NOTHING`, t.origin)
	if err != nil {
		return cachestorage.CacheInfo{}, t.err(what, err)
	}
	var id int64
	err = t.o.queryRow(t.ctx, `UPDATE cache_origins SET next_cache_id = next_cache_id + 1 WHERE origin = ? RETURNING next_cache_id - 1`, t.origin).Scan(&id)
	if err != nil {
		return cachestorage.CacheInfo{}, t.err(what, err)
	}
	size := cachestorage.CacheSize(t.origin, name)
	_, err = t.o.exec(t.ctx, `INSERT INTO caches (origin, id, name, next_entry_id, entries, size) VALUES (?, ?, ?, 1, 0, ?)`, t.origin, id, name, size)
	if err != nil {
		return cachestorage.CacheInfo{}, t.err(what, err)
	}
	_, err = t.o.exec(t.ctx, `UPDATE cache_origins SET bytes = bytes + ? WHERE origin = ?`, size, t.origin)
	if err != nil {
		return cachestorage.CacheInfo{}, t.err(what, err)
	}
	return cachestorage.CacheInfo{ID: id, Name: name}, nil
}

func (t *cacheTx) DeleteCache(id int64) (bool, error) {
	if !t.writable {
		return false, errCacheReadOnly
	}
	what := fmt.Sprintf("delete cache %d", id)
	var entries, size int64
	err := t.o.queryRow(t.ctx, `SELECT entries, size FROM caches WHERE origin = ? AND id = ?`, t.origin, id).Scan(&entries, &size)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, t.err(what, err)
	}
	var bytes sql.NullInt64
	err = t.o.queryRow(t.ctx, `SELECT CAST(SUM(size) AS BIGINT) FROM cache_entries WHERE origin = ? AND cache_id = ?`, t.origin, id).Scan(&bytes)
	if err != nil {
		return false, t.err(what, err)
	}
	// The entries go with the cache (ON DELETE CASCADE).
	if _, err := t.o.exec(t.ctx, `DELETE FROM caches WHERE origin = ? AND id = ?`, t.origin, id); err != nil {
		return false, t.err(what, err)
	}
	_, err = t.o.exec(t.ctx, `UPDATE cache_origins SET entries = entries - ?, bytes = bytes - ? WHERE origin = ?`,
		entries, bytes.Int64+size, t.origin)
	if err != nil {
		return false, t.err(what, err)
	}
	return true, nil
}

func (t *cacheTx) Entries(id int64, sel cachestorage.Selector) ([]cachestorage.Entry, error) {
	q := `SELECT id, request, request_body, response, response_body, size FROM cache_entries WHERE origin = ? AND cache_id = ?`
	args := []any{t.origin, id}
	switch {
	case sel.All():
	case sel.IgnoreSearch:
		q += ` AND searchless_key = ?`
		args = append(args, sel.Key)
	default:
		q += ` AND url_key = ?`
		args = append(args, sel.Key)
	}
	rows, err := t.o.query(t.ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, t.err(fmt.Sprintf("entries of cache %d", id), err)
	}
	defer rows.Close()
	var out []cachestorage.Entry
	for rows.Next() {
		var e cachestorage.Entry
		var reqJSON, respJSON string
		var reqBody, respBody []byte
		if err := rows.Scan(&e.ID, &reqJSON, &reqBody, &respJSON, &respBody, &e.Size); err != nil {
			return nil, t.err(fmt.Sprintf("entries of cache %d", id), err)
		}
		if e.Request, err = decodeRequest(reqJSON, reqBody); err != nil {
			return nil, t.err(fmt.Sprintf("entry %d of cache %d", e.ID, id), err)
		}
		if e.Response, err = decodeResponse(respJSON, respBody); err != nil {
			return nil, t.err(fmt.Sprintf("entry %d of cache %d", e.ID, id), err)
		}
		out = append(out, e)
	}
	return out, t.err(fmt.Sprintf("entries of cache %d", id), rows.Err())
}

func (t *cacheTx) DeleteEntry(id, entryID int64) error {
	if !t.writable {
		return errCacheReadOnly
	}
	what := fmt.Sprintf("delete entry %d of cache %d", entryID, id)
	var size int64
	err := t.o.queryRow(t.ctx, `DELETE FROM cache_entries WHERE origin = ? AND cache_id = ? AND id = ? RETURNING size`, t.origin, id, entryID).Scan(&size)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return t.err(what, err)
	}
	if _, err := t.o.exec(t.ctx, `UPDATE caches SET entries = entries - 1 WHERE origin = ? AND id = ?`, t.origin, id); err != nil {
		return t.err(what, err)
	}
	_, err = t.o.exec(t.ctx, `UPDATE cache_origins SET entries = entries - 1, bytes = bytes - ? WHERE origin = ?`, size, t.origin)
	return t.err(what, err)
}

func (t *cacheTx) AppendEntry(id int64, e cachestorage.Entry) (int64, error) {
	if !t.writable {
		return 0, errCacheReadOnly
	}
	what := fmt.Sprintf("append to cache %d", id)
	if e.Request == nil || e.Response == nil {
		return 0, fmt.Errorf("store: cache storage %s: %s: entry without request or response", t.origin, what)
	}
	var entryID int64
	err := t.o.queryRow(t.ctx, `UPDATE caches SET next_entry_id = next_entry_id + 1, entries = entries + 1
		WHERE origin = ? AND id = ? RETURNING next_entry_id - 1`, t.origin, id).Scan(&entryID)
	if err == sql.ErrNoRows {
		return 0, fmt.Errorf("store: cache storage %s: %s: no such cache", t.origin, what)
	}
	if err != nil {
		return 0, t.err(what, err)
	}
	reqJSON, reqBody, err := encodeRequest(e.Request)
	if err != nil {
		return 0, t.err(what, err)
	}
	respJSON, respBody, err := encodeResponse(e.Response)
	if err != nil {
		return 0, t.err(what, err)
	}
	_, err = t.o.exec(t.ctx, `INSERT INTO cache_entries (origin, cache_id, id, url_key, searchless_key, request, request_body, response, response_body, size)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.origin, id, entryID, cachestorage.URLKey(e.Request.URL, false), cachestorage.URLKey(e.Request.URL, true),
		reqJSON, reqBody, respJSON, respBody, e.Size)
	if err != nil {
		return 0, t.err(what, err)
	}
	_, err = t.o.exec(t.ctx, `UPDATE cache_origins SET entries = entries + 1, bytes = bytes + ? WHERE origin = ?`, e.Size, t.origin)
	if err != nil {
		return 0, t.err(what, err)
	}
	return entryID, nil
}

func (t *cacheTx) Usage() (cachestorage.Usage, error) {
	var u cachestorage.Usage
	err := t.o.queryRow(t.ctx, `SELECT COALESCE((SELECT entries FROM cache_origins WHERE origin = ?), 0),
		COALESCE((SELECT bytes FROM cache_origins WHERE origin = ?), 0), (SELECT COUNT(*) FROM caches WHERE origin = ?), `+idbBytesExpr,
		t.origin, t.origin, t.origin, t.origin).Scan(&u.Entries, &u.Bytes, &u.Caches, &u.IndexedDB)
	return u, t.err("usage", err)
}

func (t *cacheTx) EntryCount(id int64) (int, error) {
	var n int
	err := t.o.queryRow(t.ctx, `SELECT entries FROM caches WHERE origin = ? AND id = ?`, t.origin, id).Scan(&n)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return n, t.err(fmt.Sprintf("entry count of cache %d", id), err)
}

// storedRequest is a request as stored: every field of fetch.Request in
// JSON (so fields added to fetch later are kept too) except the body, which
// has its own column; BodyNil tells a nil body from an empty one.
type storedRequest struct {
	fetch.Request
	BodyNil bool `json:"bodyNil,omitempty"`
}

// storedResponse is a response as stored, like storedRequest.
type storedResponse struct {
	fetch.Response
	BodyNil bool `json:"bodyNil,omitempty"`
}

func encodeRequest(r *fetch.Request) (string, []byte, error) {
	s := storedRequest{Request: *r, BodyNil: r.Body == nil}
	s.Body = nil
	j, err := json.Marshal(s)
	if err != nil {
		return "", nil, fmt.Errorf("encode request %s: %w", r.URL, err)
	}
	return string(j), nonNil(r.Body), nil
}

func decodeRequest(j string, body []byte) (*fetch.Request, error) {
	s, ok := requestMemo.get(j)
	if !ok {
		s = new(storedRequest)
		if err := json.Unmarshal([]byte(j), s); err != nil {
			return nil, fmt.Errorf("decode request: %w", err)
		}
		requestMemo.add(j, s)
	}
	r := copyRequest(s)
	r.Body = bodyOrNil(body, s.BodyNil)
	return &r, nil
}

func encodeResponse(r *fetch.Response) (string, []byte, error) {
	s := storedResponse{Response: *r, BodyNil: r.Body == nil}
	s.Body = nil
	j, err := json.Marshal(s)
	if err != nil {
		return "", nil, fmt.Errorf("encode response %s: %w", r.URL, err)
	}
	return string(j), nonNil(r.Body), nil
}

func decodeResponse(j string, body []byte) (*fetch.Response, error) {
	s, ok := responseMemo.get(j)
	if !ok {
		s = new(storedResponse)
		if err := json.Unmarshal([]byte(j), s); err != nil {
			return nil, fmt.Errorf("decode response: %w", err)
		}
		responseMemo.add(j, s)
	}
	r := copyResponse(s)
	r.Body = bodyOrNil(body, s.BodyNil)
	return &r, nil
}

// nonNil returns b, or an empty slice for nil: bodies are stored as blobs
// (never NULL) and their nil-ness in the JSON metadata.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// bodyOrNil returns a stored body: nil when it was nil, else non-nil.
func bodyOrNil(b []byte, wasNil bool) []byte {
	switch {
	case wasNil:
		return nil
	case b == nil:
		return []byte{}
	}
	return b
}

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/quota"
)

// idbBackend is the [indexeddb.Backend] of a SQLStore. Reads are single
// statements on the read pool (the engine runs no commit concurrently
// with reads of the same object, so each read sees what it must); each
// Commit is one write transaction, holding the origin's advisory lock on
// PostgreSQL.
type idbBackend struct {
	s *SQLStore
}

var (
	_ indexeddb.Backend     = (*idbBackend)(nil)
	_ indexeddb.MultiGetter = (*idbBackend)(nil)
)

// IndexedDB implements [Store].
func (s *SQLStore) IndexedDB() indexeddb.Backend { return &idbBackend{s: s} }

// InlineReads implements [indexeddb.InlineReader]: SQLite's reads (WAL,
// a pool of read connections) never wait on its writer, and take
// microseconds; PostgreSQL's are network round trips.
func (b *idbBackend) InlineReads() bool { return b.s.d != postgresDialect }

func (b *idbBackend) err(what string, err error) error {
	return b.s.dbErr("indexeddb "+what, err)
}

// Databases implements [indexeddb.Backend].
func (b *idbBackend) Databases(ctx context.Context, origin string) ([]indexeddb.DatabaseInfo, error) {
	if err := b.s.usable(ctx); err != nil {
		return nil, err
	}
	o := b.s.reader()
	rows, err := o.query(ctx, `SELECT name, version FROM idb_databases WHERE origin = ?`, origin)
	list, err := collect(o, rows, err, "indexeddb databases", func(r *sql.Rows) (indexeddb.DatabaseInfo, error) {
		var d indexeddb.DatabaseInfo
		var name []byte
		var v int64
		err := r.Scan(&name, &v)
		d.Name, d.Version = string(name), uint64(v)
		return d, err
	})
	if err != nil {
		return nil, err
	}
	names := make([]string, len(list))
	byName := make(map[string]uint64, len(list))
	for i, d := range list {
		names[i] = d.Name
		byName[d.Name] = d.Version
	}
	indexeddb.SortNames(names)
	for i, n := range names {
		list[i] = indexeddb.DatabaseInfo{Name: n, Version: byName[n]}
	}
	return list, nil
}

// Load implements [indexeddb.Backend].
func (b *idbBackend) Load(ctx context.Context, origin, name string) (*indexeddb.Schema, error) {
	var out *indexeddb.Schema
	err := b.s.read(ctx, func(o *ops) error {
		s := &indexeddb.Schema{Name: name}
		var version int64
		err := o.queryRow(ctx, `SELECT id, version, next_id FROM idb_databases WHERE origin = ? AND name = ?`, origin, name).
			Scan(&s.ID, &version, &s.NextID)
		if err == sql.ErrNoRows {
			return nil
		}
		if err != nil {
			return b.err("load", err)
		}
		s.Version = uint64(version)
		rows, err := o.query(ctx, `SELECT id, name, key_path, auto_increment, current_number FROM idb_stores WHERE database_id = ? ORDER BY id`, s.ID)
		stores, err := collect(o, rows, err, "indexeddb stores", func(r *sql.Rows) (*indexeddb.StoreSchema, error) {
			st := &indexeddb.StoreSchema{}
			var name []byte
			var kp string
			var auto int64
			if err := r.Scan(&st.ID, &name, &kp, &auto, &st.Current); err != nil {
				return nil, err
			}
			st.Name, st.AutoIncrement = string(name), auto != 0
			return st, json.Unmarshal([]byte(kp), &st.KeyPath)
		})
		if err != nil {
			return err
		}
		s.Stores = stores
		type ix struct {
			store int64
			*indexeddb.IndexSchema
		}
		rows, err = o.query(ctx, `SELECT id, store_id, name, key_path, is_unique, multi_entry FROM idb_indexes WHERE database_id = ? ORDER BY id`, s.ID)
		indexes, err := collect(o, rows, err, "indexeddb indexes", func(r *sql.Rows) (ix, error) {
			x := ix{IndexSchema: &indexeddb.IndexSchema{}}
			var name []byte
			var kp string
			var unique, multi int64
			if err := r.Scan(&x.ID, &x.store, &name, &kp, &unique, &multi); err != nil {
				return x, err
			}
			x.Name, x.Unique, x.MultiEntry = string(name), unique != 0, multi != 0
			return x, json.Unmarshal([]byte(kp), &x.KeyPath)
		})
		if err != nil {
			return err
		}
		for _, x := range indexes {
			if st := s.StoreByID(x.store); st != nil {
				st.Indexes = append(st.Indexes, x.IndexSchema)
			}
		}
		out = s
		return nil
	})
	return out, err
}

// bounds returns the WHERE clause of keys in [lo, hi) and its arguments.
func bounds(lo, hi []byte) (string, []any) {
	q, args := "", []any{}
	if lo != nil {
		q += ` AND key >= ?`
		args = append(args, lo)
	}
	if hi != nil {
		q += ` AND key < ?`
		args = append(args, hi)
	}
	return q, args
}

// Scan implements [indexeddb.Backend].
func (b *idbBackend) Scan(ctx context.Context, db, object int64, lo, hi []byte, reverse bool, limit int, values bool, fn func(key, value []byte) bool) error {
	if err := b.s.usable(ctx); err != nil {
		return err
	}
	cols := "key, value"
	if !values {
		cols = "key, NULL"
	}
	where, args := bounds(lo, hi)
	q := `SELECT ` + cols + ` FROM idb_records WHERE database_id = ? AND object_id = ?` + where + ` ORDER BY key`
	if reverse {
		q += ` DESC`
	}
	if limit > 0 {
		// A literal, not a parameter: SQLite recompiles a statement whose
		// LIMIT is a bound parameter on every run (a parse per scan).
		q += ` LIMIT ` + strconv.Itoa(limit)
	}
	rows, err := b.s.reader().query(ctx, q, append([]any{db, object}, args...)...)
	if err != nil {
		return b.err("scan", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return b.err("scan", err)
		}
		if values && v == nil {
			v = []byte{}
		}
		if !fn(k, v) {
			return nil
		}
	}
	return b.err("scan", rows.Err())
}

// Get implements [indexeddb.Backend].
func (b *idbBackend) Get(ctx context.Context, db, object int64, key []byte) ([]byte, bool, error) {
	if err := b.s.usable(ctx); err != nil {
		return nil, false, err
	}
	var v []byte
	err := b.s.reader().queryRow(ctx, `SELECT value FROM idb_records WHERE database_id = ? AND object_id = ? AND key = ?`, db, object, key).Scan(&v)
	if err == sql.ErrNoRows {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, b.err("get", err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, true, nil
}

// getManyChunk is how many keys one GetMany query asks for: the
// statement's text depends on the count, and the store caches a
// statement per text.
const getManyChunk = 32

// GetMany implements [indexeddb.MultiGetter]: one query per
// getManyChunk keys.
func (b *idbBackend) GetMany(ctx context.Context, db, object int64, keys [][]byte) ([][]byte, error) {
	if err := b.s.usable(ctx); err != nil {
		return nil, err
	}
	out := make([][]byte, len(keys))
	got := make(map[string][]byte, min(len(keys), getManyChunk))
	for start := 0; start < len(keys); start += getManyChunk {
		chunk := keys[start:min(len(keys), start+getManyChunk)]
		clear(got)
		args := make([]any, 2, 2+len(chunk))
		args[0], args[1] = db, object
		for _, k := range chunk {
			args = append(args, k)
		}
		q := `SELECT key, value FROM idb_records WHERE database_id = ? AND object_id = ? AND key IN (?` + strings.Repeat(`, ?`, len(chunk)-1) + `)`
		rows, err := b.s.reader().query(ctx, q, args...)
		if err != nil {
			return nil, b.err("get", err)
		}
		for rows.Next() {
			var k, v []byte
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return nil, b.err("get", err)
			}
			if v == nil {
				v = []byte{}
			}
			got[string(k)] = v
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, b.err("get", err)
		}
		for i, k := range chunk { // a key may come twice (a multiEntry index)
			out[start+i] = got[string(k)]
		}
	}
	return out, nil
}

// Count implements [indexeddb.Backend].
func (b *idbBackend) Count(ctx context.Context, db, object int64, lo, hi []byte) (int64, error) {
	if err := b.s.usable(ctx); err != nil {
		return 0, err
	}
	where, args := bounds(lo, hi)
	var n int64
	err := b.s.reader().queryRow(ctx, `SELECT COUNT(*) FROM idb_records WHERE database_id = ? AND object_id = ?`+where, append([]any{db, object}, args...)...).Scan(&n)
	return n, b.err("count", err)
}

// Commit implements [indexeddb.Backend]: one write transaction, holding
// the origin's advisory lock on PostgreSQL (the one its Cache Storage
// writes take: they share the quota). It keeps the database's bytes
// (idb_databases.bytes) up to date: a write adds its entry's RecordSize
// and takes off the one it replaces or deletes, found from the stored
// lengths.
func (b *idbBackend) Commit(ctx context.Context, origin string, c *indexeddb.Commit) (int64, error) {
	id := c.DatabaseID
	err := b.s.writeLocked(ctx, hashKey(lockSpaceOrigin, origin), func(o *ops) error {
		if id == 0 {
			if c.Schema == nil {
				return fmt.Errorf("store: indexeddb commit: a new database without a schema")
			}
			err := o.queryRow(ctx, `INSERT INTO idb_databases (origin, name, version, next_id, bytes, schema_bytes) VALUES (?, ?, ?, ?, 0, 0) RETURNING id`,
				origin, c.Schema.Name, int64(c.Schema.Version), c.Schema.NextID).Scan(&id)
			if err != nil {
				return b.err("create database", err)
			}
		}
		delta := int64(0)
		if c.Schema != nil {
			var old int64
			if err := o.queryRow(ctx, `SELECT schema_bytes FROM idb_databases WHERE id = ?`, id).Scan(&old); err != nil {
				return b.err("schema", err)
			}
			size := indexeddb.SchemaSize(origin, c.Schema)
			delta += size - old
			if _, err := o.exec(ctx, `UPDATE idb_databases SET schema_bytes = ? WHERE id = ?`, size, id); err != nil {
				return b.err("schema", err)
			}
			if err := b.writeSchema(ctx, o, id, c.Schema); err != nil {
				return err
			}
		}
		for sid, n := range c.Generators {
			if _, err := o.exec(ctx, `UPDATE idb_stores SET current_number = ? WHERE database_id = ? AND id = ?`, n, id, sid); err != nil {
				return b.err("key generator", err)
			}
		}
		for _, obj := range c.Dropped {
			rows, err := o.query(ctx, `DELETE FROM idb_records WHERE database_id = ? AND object_id = ? RETURNING OCTET_LENGTH(key), OCTET_LENGTH(value)`, id, obj)
			freed, err := collect(o, rows, err, "indexeddb clear", func(r *sql.Rows) (int64, error) {
				var k, v int
				err := r.Scan(&k, &v)
				return indexeddb.RecordSize(k, v), err
			})
			if err != nil {
				return err
			}
			for _, n := range freed {
				delta -= n
			}
		}
		for _, w := range c.Writes {
			var old int
			var err error
			if w.Delete {
				err = o.queryRow(ctx, `DELETE FROM idb_records WHERE database_id = ? AND object_id = ? AND key = ? RETURNING OCTET_LENGTH(value)`, id, w.Object, w.Key).Scan(&old)
			} else {
				err = o.queryRow(ctx, `SELECT OCTET_LENGTH(value) FROM idb_records WHERE database_id = ? AND object_id = ? AND key = ?`, id, w.Object, w.Key).Scan(&old)
			}
			switch {
			case err == nil:
				delta -= indexeddb.RecordSize(len(w.Key), old)
			case err != sql.ErrNoRows:
				return b.err("write", err)
			}
			if w.Delete {
				continue
			}
			_, err = o.exec(ctx, `INSERT INTO idb_records (database_id, object_id, key, value) VALUES (?, ?, ?, ?)
				ON CONFLICT (database_id, object_id, key) DO UPDATE SET value = excluded.value`, id, w.Object, w.Key, w.Value)
			if err != nil {
				return b.err("write", err)
			}
			delta += indexeddb.RecordSize(len(w.Key), len(w.Value))
		}
		if delta != 0 {
			if _, err := o.exec(ctx, `UPDATE idb_databases SET bytes = bytes + ? WHERE id = ?`, delta, id); err != nil {
				return b.err("usage", err)
			}
		}
		if delta > 0 && c.Check != nil {
			u, err := originUsage(ctx, o, origin)
			if err != nil {
				return b.err("usage", err)
			}
			return c.Check(u)
		}
		return nil
	})
	return id, err
}

// writeSchema replaces the version, stores and indexes of database id.
func (b *idbBackend) writeSchema(ctx context.Context, o *ops, id int64, s *indexeddb.Schema) error {
	if _, err := o.exec(ctx, `UPDATE idb_databases SET version = ?, next_id = ? WHERE id = ?`, int64(s.Version), s.NextID, id); err != nil {
		return b.err("schema", err)
	}
	for _, q := range []string{`DELETE FROM idb_stores WHERE database_id = ?`, `DELETE FROM idb_indexes WHERE database_id = ?`} {
		if _, err := o.exec(ctx, q, id); err != nil {
			return b.err("schema", err)
		}
	}
	bit := func(v bool) int64 {
		if v {
			return 1
		}
		return 0
	}
	for _, st := range s.Stores {
		kp, _ := json.Marshal(st.KeyPath)
		if _, err := o.exec(ctx, `INSERT INTO idb_stores (database_id, id, name, key_path, auto_increment, current_number) VALUES (?, ?, ?, ?, ?, ?)`,
			id, st.ID, st.Name, string(kp), bit(st.AutoIncrement), st.Current); err != nil {
			return b.err("schema", err)
		}
		for _, ix := range st.Indexes {
			kp, _ := json.Marshal(ix.KeyPath)
			if _, err := o.exec(ctx, `INSERT INTO idb_indexes (database_id, id, store_id, name, key_path, is_unique, multi_entry) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				id, ix.ID, st.ID, ix.Name, string(kp), bit(ix.Unique), bit(ix.MultiEntry)); err != nil {
				return b.err("schema", err)
			}
		}
	}
	return nil
}

// DeleteDatabase implements [indexeddb.Backend]; the records go with the
// database (ON DELETE CASCADE).
func (b *idbBackend) DeleteDatabase(ctx context.Context, origin, name string) error {
	return b.s.writeLocked(ctx, hashKey(lockSpaceOrigin, origin), func(o *ops) error {
		_, err := o.exec(ctx, `DELETE FROM idb_databases WHERE origin = ? AND name = ?`, origin, name)
		return b.err("delete database", err)
	})
}

// Usage implements [indexeddb.Backend]: the origin's running figures,
// from one snapshot, in one statement of two indexed lookups.
func (b *idbBackend) Usage(ctx context.Context, origin string) (quota.Usage, error) {
	var u quota.Usage
	err := b.s.read(ctx, func(o *ops) error {
		var err error
		u, err = originUsage(ctx, o, origin)
		return b.err("usage", err)
	})
	return u, err
}

// originUsage returns origin's usage as o sees it: its caches' bytes
// (cache_origins.bytes) and its IndexedDB databases' (idb_databases.bytes),
// in one statement.
func originUsage(ctx context.Context, o *ops, origin string) (quota.Usage, error) {
	var u quota.Usage
	err := o.queryRow(ctx, `SELECT COALESCE((SELECT bytes FROM cache_origins WHERE origin = ?), 0), `+idbBytesExpr, origin, origin).Scan(&u.CacheStorage, &u.IndexedDB)
	return u, err
}

// idbBytesExpr is the bytes of the IndexedDB databases of the origin its
// parameter names, as an SQL expression.
const idbBytesExpr = `CAST(COALESCE((SELECT SUM(bytes) FROM idb_databases WHERE origin = ?), 0) AS BIGINT)`

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/swhost/swhost/indexeddb"
)

// idbBackend is the [indexeddb.Backend] of a SQLStore. Reads are single
// statements on the read pool (the engine runs no commit concurrently
// with reads of the same object, so each read sees what it must); each
// Commit is one write transaction, holding the origin's advisory lock on
// PostgreSQL.
type idbBackend struct {
	s *SQLStore
}

var _ indexeddb.Backend = (*idbBackend)(nil)

// IndexedDB implements [Store].
func (s *SQLStore) IndexedDB() indexeddb.Backend { return &idbBackend{s: s} }

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
		q += ` LIMIT ?`
		args = append(args, limit)
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

// Commit implements [indexeddb.Backend]: one write transaction.
func (b *idbBackend) Commit(ctx context.Context, origin string, c *indexeddb.Commit) (int64, error) {
	id := c.DatabaseID
	err := b.s.writeLocked(ctx, hashKey(lockSpaceIDBOrigin, origin), func(o *ops) error {
		if id == 0 {
			if c.Schema == nil {
				return fmt.Errorf("store: indexeddb commit: a new database without a schema")
			}
			err := o.queryRow(ctx, `INSERT INTO idb_databases (origin, name, version, next_id) VALUES (?, ?, ?, ?) RETURNING id`,
				origin, c.Schema.Name, int64(c.Schema.Version), c.Schema.NextID).Scan(&id)
			if err != nil {
				return b.err("create database", err)
			}
		}
		if c.Schema != nil {
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
			if _, err := o.exec(ctx, `DELETE FROM idb_records WHERE database_id = ? AND object_id = ?`, id, obj); err != nil {
				return b.err("clear", err)
			}
		}
		for _, w := range c.Writes {
			var err error
			if w.Delete {
				_, err = o.exec(ctx, `DELETE FROM idb_records WHERE database_id = ? AND object_id = ? AND key = ?`, id, w.Object, w.Key)
			} else {
				_, err = o.exec(ctx, `INSERT INTO idb_records (database_id, object_id, key, value) VALUES (?, ?, ?, ?)
					ON CONFLICT (database_id, object_id, key) DO UPDATE SET value = excluded.value`, id, w.Object, w.Key, w.Value)
			}
			if err != nil {
				return b.err("write", err)
			}
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
	return b.s.writeLocked(ctx, hashKey(lockSpaceIDBOrigin, origin), func(o *ops) error {
		_, err := o.exec(ctx, `DELETE FROM idb_databases WHERE origin = ? AND name = ?`, origin, name)
		return b.err("delete database", err)
	})
}

// Usage implements [indexeddb.Backend].
func (b *idbBackend) Usage(ctx context.Context, origin string) (int64, error) {
	if err := b.s.usable(ctx); err != nil {
		return 0, err
	}
	var n sql.NullInt64
	err := b.s.reader().queryRow(ctx, `SELECT CAST(SUM(OCTET_LENGTH(r.key) + OCTET_LENGTH(r.value)) AS BIGINT)
		FROM idb_records r JOIN idb_databases d ON d.id = r.database_id WHERE d.origin = ?`, origin).Scan(&n)
	return n.Int64, b.err("usage", err)
}

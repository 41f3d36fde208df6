package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Get implements [KV].
func (s *SQLStore) Get(ctx context.Context, key string) ([]byte, error) {
	return s.reader().Get(ctx, key)
}

// Put implements [KV].
func (s *SQLStore) Put(ctx context.Context, key string, value []byte) error {
	return s.write(ctx, func(o *ops) error { return o.Put(ctx, key, value) })
}

// Delete implements [KV].
func (s *SQLStore) Delete(ctx context.Context, keys ...string) error {
	return s.write(ctx, func(o *ops) error { return o.Delete(ctx, keys...) })
}

// Scan implements [KV]. The entries come from one read snapshot.
func (s *SQLStore) Scan(ctx context.Context, prefix string, opts ScanOptions, fn func(KVEntry) error) error {
	return s.read(ctx, func(o *ops) error { return o.Scan(ctx, prefix, opts, fn) })
}

// Usage implements [KV].
func (s *SQLStore) Usage(ctx context.Context, prefix string) (KVUsage, error) {
	return s.reader().Usage(ctx, prefix)
}

func (o *ops) Get(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := o.queryRow(ctx, `SELECT value FROM kv WHERE key = ?`, []byte(key)).Scan(&v)
	if err != nil {
		return nil, o.rowErr(err, fmt.Sprintf("get %q", key))
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

func (o *ops) Put(ctx context.Context, key string, value []byte) error {
	if !o.writable {
		return errReadOnly
	}
	if key == "" {
		return errors.New("store: put: empty key")
	}
	if max := o.s.limits.MaxValueBytes; max > 0 && int64(len(value)) > max {
		return errQuota("put %q: value is %d bytes, over the limit of %d", key, len(value), max)
	}
	if value == nil {
		value = []byte{}
	}
	_, err := o.exec(ctx, `INSERT INTO kv (key, value, size, modified) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, size = excluded.size, modified = excluded.modified`,
		[]byte(key), value, int64(len(value)), o.s.clock.Now().UnixNano())
	return o.s.dbErr(fmt.Sprintf("put %q", key), err)
}

func (o *ops) Delete(ctx context.Context, keys ...string) error {
	if !o.writable {
		return errReadOnly
	}
	for _, k := range keys {
		if _, err := o.exec(ctx, `DELETE FROM kv WHERE key = ?`, []byte(k)); err != nil {
			return o.s.dbErr(fmt.Sprintf("delete %q", k), err)
		}
	}
	return nil
}

// prefixRange returns the WHERE clause and arguments selecting the keys
// that start with prefix: key >= prefix AND key < the next prefix, which
// uses the primary key's index in both databases.
func prefixRange(prefix string) (string, []any) {
	if prefix == "" {
		return "1 = 1", nil
	}
	lo := []byte(prefix)
	// The smallest byte string greater than every string with this prefix:
	// drop trailing 0xff bytes and increment the last one.
	hi := append([]byte(nil), lo...)
	for len(hi) > 0 && hi[len(hi)-1] == 0xff {
		hi = hi[:len(hi)-1]
	}
	if len(hi) == 0 {
		return "key >= ?", []any{lo}
	}
	hi[len(hi)-1]++
	return "key >= ? AND key < ?", []any{lo, hi}
}

func (o *ops) Scan(ctx context.Context, prefix string, opts ScanOptions, fn func(KVEntry) error) error {
	where, args := prefixRange(prefix)
	cols := "key, value, size, modified"
	if opts.KeysOnly {
		cols = "key, NULL, size, modified"
	}
	q := `SELECT ` + cols + ` FROM kv WHERE ` + where
	if opts.ByModified {
		q += ` ORDER BY modified, key`
	} else {
		q += ` ORDER BY key`
	}
	if opts.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, opts.Limit)
	}
	rows, err := o.query(ctx, q, args...)
	if err != nil {
		return o.s.dbErr(fmt.Sprintf("scan %q", prefix), err)
	}
	defer rows.Close()
	for rows.Next() {
		var e KVEntry
		var key []byte
		var modified int64
		if err := rows.Scan(&key, &e.Value, &e.Size, &modified); err != nil {
			return o.s.dbErr(fmt.Sprintf("scan %q", prefix), err)
		}
		if !opts.KeysOnly && e.Value == nil {
			e.Value = []byte{}
		}
		e.Key, e.Modified = string(key), time.Unix(0, modified)
		if err := fn(e); err != nil {
			return err
		}
	}
	return o.s.dbErr(fmt.Sprintf("scan %q", prefix), rows.Err())
}

func (o *ops) Usage(ctx context.Context, prefix string) (KVUsage, error) {
	where, args := prefixRange(prefix)
	var u KVUsage
	var bytes sql.NullInt64
	err := o.queryRow(ctx, `SELECT COUNT(*), CAST(SUM(size) AS BIGINT) FROM kv WHERE `+where, args...).Scan(&u.Entries, &bytes)
	u.Bytes = bytes.Int64
	return u, o.s.dbErr(fmt.Sprintf("usage %q", prefix), err)
}

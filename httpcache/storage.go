package httpcache

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/swhost/swhost/store"
)

// Storage keeps the cache's entries. [store.KV] implements it, so a cache
// over the SQL store survives restarts; [MemoryStorage] is an in-memory
// implementation. The cache uses only keys under [KeyPrefix] and assumes
// it is their only writer.
type Storage interface {
	// Get returns the value of key, or an error wrapping store.ErrNotFound.
	// The caller owns the returned slice.
	Get(ctx context.Context, key string) ([]byte, error)
	// Put sets the value of key and its modification time to now.
	Put(ctx context.Context, key string, value []byte) error
	// Delete removes the keys; missing keys are not an error.
	Delete(ctx context.Context, keys ...string) error
	// Scan calls fn for each entry whose key starts with prefix; see
	// [store.KV.Scan]. The cache scans KeysOnly and ByModified.
	Scan(ctx context.Context, prefix string, opts store.ScanOptions, fn func(store.KVEntry) error) error
}

// KeyPrefix prefixes every key the cache stores.
const KeyPrefix = "httpcache/"

var _ Storage = store.KV(nil)

// MemoryStorage is a [Storage] in memory, safe for concurrent use. The
// zero value is ready to use.
type MemoryStorage struct {
	mu  sync.Mutex
	m   map[string]memValue
	seq int64
}

type memValue struct {
	value    []byte
	modified time.Time
	seq      int64 // order of writes, for entries with the same time
}

// Get implements [Storage]; it returns a copy of the value.
func (s *MemoryStorage) Get(ctx context.Context, key string) ([]byte, error) {
	s.mu.Lock()
	v, ok := s.m[key]
	s.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("httpcache: memory get %q: %w", key, store.ErrNotFound)
	}
	return append([]byte(nil), v.value...), nil
}

// Put implements [Storage]; it keeps a copy of value.
func (s *MemoryStorage) Put(ctx context.Context, key string, value []byte) error {
	if key == "" {
		return fmt.Errorf("httpcache: memory put: empty key")
	}
	v := memValue{value: append([]byte{}, value...), modified: time.Now()}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]memValue{}
	}
	s.seq++
	v.seq = s.seq
	s.m[key] = v
	return nil
}

// Delete implements [Storage].
func (s *MemoryStorage) Delete(ctx context.Context, keys ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		delete(s.m, k)
	}
	return nil
}

// Scan implements [Storage] over a snapshot of the entries.
func (s *MemoryStorage) Scan(ctx context.Context, prefix string, opts store.ScanOptions, fn func(store.KVEntry) error) error {
	type item struct {
		key string
		memValue
	}
	s.mu.Lock()
	var items []item
	for k, v := range s.m {
		if strings.HasPrefix(k, prefix) {
			items = append(items, item{k, v})
		}
	}
	s.mu.Unlock()
	sort.Slice(items, func(i, j int) bool {
		if opts.ByModified && items[i].seq != items[j].seq {
			return items[i].seq < items[j].seq
		}
		return items[i].key < items[j].key
	})
	for i, it := range items {
		if opts.Limit > 0 && i == opts.Limit {
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		e := store.KVEntry{Key: it.key, Size: int64(len(it.value)), Modified: it.modified}
		if !opts.KeysOnly {
			e.Value = append([]byte{}, it.value...)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// Usage implements [store.KV.Usage] for tests and tools.
func (s *MemoryStorage) Usage(ctx context.Context, prefix string) (store.KVUsage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var u store.KVUsage
	for k, v := range s.m {
		if strings.HasPrefix(k, prefix) {
			u.Entries++
			u.Bytes += int64(len(v.value))
		}
	}
	return u, nil
}

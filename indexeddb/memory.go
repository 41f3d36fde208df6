package indexeddb

import (
	"context"
	"slices"
	"sort"
	"sync"

	"github.com/swhost/swhost/quota"
)

// NewMemoryBackend returns a Backend that keeps everything in memory, for
// workers without a store and for tests.
func NewMemoryBackend() Backend {
	return &memoryBackend{dbs: make(map[string]*memDB)}
}

type memoryBackend struct {
	mu     sync.RWMutex
	nextID int64
	dbs    map[string]*memDB // origin "\x00" name
}

// InlineReads implements [InlineReader]: reads in memory are quick and
// never wait on a commit.
func (m *memoryBackend) InlineReads() bool { return true }

type memDB struct {
	origin  string
	schema  *Schema
	objects map[int64]*sortedMap
	bytes   int64 // RecordSize of every entry, plus SchemaSize
}

// sortedMap is an ordered map of byte keys: a map and its keys in order,
// sorted again on demand after insertions.
type sortedMap struct {
	m      map[string][]byte
	keys   []string
	sorted bool
}

func newSortedMap() *sortedMap { return &sortedMap{m: make(map[string][]byte), sorted: true} }

func (s *sortedMap) set(k string, v []byte) {
	if _, ok := s.m[k]; !ok {
		s.keys = append(s.keys, k)
		if n := len(s.keys); n > 1 && s.keys[n-2] > k {
			s.sorted = false
		}
	}
	s.m[k] = v
}

func (s *sortedMap) del(k string) {
	if _, ok := s.m[k]; !ok {
		return
	}
	delete(s.m, k)
	s.order()
	i := sort.SearchStrings(s.keys, k)
	s.keys = slices.Delete(s.keys, i, i+1)
}

func (s *sortedMap) order() {
	if !s.sorted {
		slices.Sort(s.keys)
		s.sorted = true
	}
}

// between returns the keys in [lo, hi), in order.
func (s *sortedMap) between(lo, hi []byte) []string {
	s.order()
	i := 0
	if lo != nil {
		i = sort.SearchStrings(s.keys, string(lo))
	}
	j := len(s.keys)
	if hi != nil {
		j = sort.SearchStrings(s.keys, string(hi))
	}
	if i >= j {
		return nil
	}
	return s.keys[i:j]
}

func memKey(origin, name string) string { return origin + "\x00" + name }

func (b *memoryBackend) Databases(_ context.Context, origin string) ([]DatabaseInfo, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var out []DatabaseInfo
	for _, d := range b.dbs {
		if d.origin == origin {
			out = append(out, DatabaseInfo{Name: d.schema.Name, Version: d.schema.Version})
		}
	}
	slices.SortFunc(out, func(a, b DatabaseInfo) int { return compareUTF16(a.Name, b.Name) })
	return out, nil
}

func (b *memoryBackend) Load(_ context.Context, origin, name string) (*Schema, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	d := b.dbs[memKey(origin, name)]
	if d == nil {
		return nil, nil
	}
	return d.schema.Clone(), nil
}

func (b *memoryBackend) byID(id int64) *memDB {
	for _, d := range b.dbs {
		if d.schema.ID == id {
			return d
		}
	}
	return nil
}

func (b *memoryBackend) Scan(_ context.Context, db, object int64, lo, hi []byte, reverse bool, limit int, values bool, fn func(key, value []byte) bool) error {
	b.mu.RLock()
	var keys []string
	var vals [][]byte
	if d := b.byID(db); d != nil {
		if m := d.objects[object]; m != nil {
			ks := m.between(lo, hi)
			n := len(ks)
			if limit > 0 && limit < n {
				n = limit
			}
			keys = make([]string, n)
			vals = make([][]byte, n)
			for i := range n {
				k := ks[i]
				if reverse {
					k = ks[len(ks)-1-i]
				}
				keys[i] = k
				if values {
					vals[i] = m.m[k]
				}
			}
		}
	}
	b.mu.RUnlock()
	for i, k := range keys {
		if !fn([]byte(k), vals[i]) {
			break
		}
	}
	return nil
}

func (b *memoryBackend) Get(_ context.Context, db, object int64, key []byte) ([]byte, bool, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if d := b.byID(db); d != nil {
		if m := d.objects[object]; m != nil {
			v, ok := m.m[string(key)]
			return v, ok, nil
		}
	}
	return nil, false, nil
}

func (b *memoryBackend) Count(_ context.Context, db, object int64, lo, hi []byte) (int64, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if d := b.byID(db); d != nil {
		if m := d.objects[object]; m != nil {
			return int64(len(m.between(lo, hi))), nil
		}
	}
	return 0, nil
}

func (b *memoryBackend) Commit(_ context.Context, origin string, c *Commit) (int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var d *memDB
	if c.DatabaseID != 0 {
		if d = b.byID(c.DatabaseID); d == nil {
			return 0, errNoDatabase
		}
	}
	// The size change, worked out before anything changes so that a
	// commit over the quota leaves nothing.
	delta := int64(0)
	if c.Schema != nil {
		delta += SchemaSize(origin, c.Schema)
		if d != nil {
			delta -= SchemaSize(origin, d.schema)
		}
	}
	if d != nil {
		for _, o := range c.Dropped {
			if m := d.objects[o]; m != nil {
				for k, v := range m.m {
					delta -= RecordSize(len(k), len(v))
				}
			}
		}
	}
	for _, w := range c.Writes {
		if d != nil && !slices.Contains(c.Dropped, w.Object) {
			if m := d.objects[w.Object]; m != nil {
				if v, ok := m.m[string(w.Key)]; ok {
					delta -= RecordSize(len(w.Key), len(v))
				}
			}
		}
		if !w.Delete {
			delta += RecordSize(len(w.Key), len(w.Value))
		}
	}
	if delta > 0 && c.Check != nil {
		u := b.usage(origin)
		u.IndexedDB += delta
		if err := c.Check(u); err != nil {
			return 0, err
		}
	}
	if d == nil {
		b.nextID++
		s := c.Schema.Clone()
		s.ID = b.nextID
		d = &memDB{origin: origin, schema: s, objects: make(map[int64]*sortedMap)}
		b.dbs[memKey(origin, s.Name)] = d
	} else if c.Schema != nil {
		s := c.Schema.Clone()
		s.ID = d.schema.ID
		d.schema = s
	}
	d.bytes += delta
	for id, n := range c.Generators {
		if st := d.schema.StoreByID(id); st != nil {
			st.Current = n
		}
	}
	for _, o := range c.Dropped {
		delete(d.objects, o)
	}
	for _, w := range c.Writes {
		m := d.objects[w.Object]
		if w.Delete {
			if m != nil {
				m.del(string(w.Key))
			}
			continue
		}
		if m == nil {
			m = newSortedMap()
			d.objects[w.Object] = m
		}
		m.set(string(w.Key), w.Value)
	}
	return d.schema.ID, nil
}

func (b *memoryBackend) DeleteDatabase(_ context.Context, origin, name string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.dbs, memKey(origin, name))
	return nil
}

func (b *memoryBackend) Usage(_ context.Context, origin string) (quota.Usage, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.usage(origin), nil
}

// usage is Usage with b.mu held: the memory backend keeps no caches.
func (b *memoryBackend) usage(origin string) quota.Usage {
	var u quota.Usage
	for _, d := range b.dbs {
		if d.origin == origin {
			u.IndexedDB += d.bytes
		}
	}
	return u
}

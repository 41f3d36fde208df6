package cachestorage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// errReadOnly is returned by the write methods of a View transaction.
var errReadOnly = errors.New("cachestorage: write in a read-only transaction")

// MemoryBackend is a [Backend] that keeps everything in memory. Each origin
// has its own lock: View calls on one origin run in parallel, Update calls
// on one origin run one at a time, and different origins never wait for
// each other. It is safe for concurrent use.
type MemoryBackend struct {
	mu      sync.Mutex
	origins map[string]*memOrigin
}

var _ Backend = (*MemoryBackend)(nil)

// NewMemoryBackend returns an empty in-memory backend.
func NewMemoryBackend() *MemoryBackend {
	return &MemoryBackend{origins: make(map[string]*memOrigin)}
}

type memOrigin struct {
	name    string // the origin
	mu      sync.RWMutex
	caches  []*memCache // creation order (increasing id)
	nextID  int64
	entries int
	bytes   int64
}

type memCache struct {
	id, nextEntry int64
	size          int64 // CacheSize, counted in the origin's bytes
	name          string
	entries       []*memEntry            // insertion order (increasing id)
	byURL         map[string][]*memEntry // URLKey(url, false) → entries in order
	bySearchless  map[string][]*memEntry // URLKey(url, true) → entries in order
}

type memEntry struct {
	Entry
	key, searchless string
}

// origin returns the state of origin, creating it when create is true.
func (b *MemoryBackend) origin(origin string, create bool) *memOrigin {
	b.mu.Lock()
	defer b.mu.Unlock()
	o := b.origins[origin]
	if o == nil && create {
		o = &memOrigin{name: origin, nextID: 1}
		b.origins[origin] = o
	}
	return o
}

// View implements [Backend].
func (b *MemoryBackend) View(ctx context.Context, origin string, fn func(Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o := b.origin(origin, false)
	if o == nil {
		o = &memOrigin{name: origin, nextID: 1} // an origin that never stored anything
	} else {
		o.mu.RLock()
		defer o.mu.RUnlock()
	}
	return fn(&memTx{o: o})
}

// Update implements [Backend]. Changes are applied in place under the
// origin's write lock and undone in reverse order if fn fails or panics.
func (b *MemoryBackend) Update(ctx context.Context, origin string, fn func(Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	o := b.origin(origin, true)
	o.mu.Lock()
	defer o.mu.Unlock()
	tx := &memTx{o: o, writable: true}
	committed := false
	defer func() {
		tx.writable = false
		if !committed {
			tx.rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	// A transaction cancelled while running is not committed, as a
	// database would do.
	if err := ctx.Err(); err != nil {
		return err
	}
	committed = true
	return nil
}

// memTx is a transaction on one origin. The undo log holds closures that
// revert each applied change.
type memTx struct {
	o        *memOrigin
	writable bool
	undo     []func()
}

func (t *memTx) rollback() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i]()
	}
	t.undo = nil
}

func (t *memTx) cache(id int64) *memCache {
	i, ok := slices.BinarySearchFunc(t.o.caches, id, cmpCache)
	if !ok {
		return nil
	}
	return t.o.caches[i]
}

func (t *memTx) Caches() ([]CacheInfo, error) {
	out := make([]CacheInfo, len(t.o.caches))
	for i, c := range t.o.caches {
		out[i] = CacheInfo{ID: c.id, Name: c.name}
	}
	return out, nil
}

func (t *memTx) Cache(name string) (CacheInfo, bool, error) {
	for _, c := range t.o.caches {
		if c.name == name {
			return CacheInfo{ID: c.id, Name: c.name}, true, nil
		}
	}
	return CacheInfo{}, false, nil
}

func (t *memTx) CreateCache(name string) (CacheInfo, error) {
	if !t.writable {
		return CacheInfo{}, errReadOnly
	}
	if _, ok, _ := t.Cache(name); ok {
		return CacheInfo{}, fmt.Errorf("cachestorage: cache %q already exists", name)
	}
	o := t.o
	c := &memCache{id: o.nextID, nextEntry: 1, name: name,
		byURL: make(map[string][]*memEntry), bySearchless: make(map[string][]*memEntry)}
	size := CacheSize(o.name, name)
	c.size = size
	o.nextID++
	o.caches = append(o.caches, c)
	o.bytes += size
	t.undo = append(t.undo, func() {
		o.caches = o.caches[:len(o.caches)-1]
		o.nextID--
		o.bytes -= size
	})
	return CacheInfo{ID: c.id, Name: name}, nil
}

func (t *memTx) DeleteCache(id int64) (bool, error) {
	if !t.writable {
		return false, errReadOnly
	}
	o := t.o
	i, ok := slices.BinarySearchFunc(o.caches, id, cmpCache)
	if !ok {
		return false, nil
	}
	c := o.caches[i]
	bytes := c.size
	for _, e := range c.entries {
		bytes += e.Size
	}
	o.caches = slices.Delete(o.caches, i, i+1)
	o.entries -= len(c.entries)
	o.bytes -= bytes
	t.undo = append(t.undo, func() {
		o.caches = slices.Insert(o.caches, i, c)
		o.entries += len(c.entries)
		o.bytes += bytes
	})
	return true, nil
}

func (t *memTx) Entries(id int64, sel Selector) ([]Entry, error) {
	c := t.cache(id)
	if c == nil {
		return nil, nil
	}
	list := c.entries
	if !sel.All() {
		if sel.IgnoreSearch {
			list = c.bySearchless[sel.Key]
		} else {
			list = c.byURL[sel.Key]
		}
	}
	if len(list) == 0 {
		return nil, nil
	}
	out := make([]Entry, len(list))
	for i, e := range list {
		out[i] = e.Entry
	}
	return out, nil
}

func (t *memTx) DeleteEntry(id, entryID int64) error {
	if !t.writable {
		return errReadOnly
	}
	c := t.cache(id)
	if c == nil {
		return nil
	}
	i, ok := slices.BinarySearchFunc(c.entries, entryID, cmpEntry)
	if !ok {
		return nil
	}
	e := c.entries[i]
	c.remove(e)
	t.o.entries--
	t.o.bytes -= e.Size
	o := t.o
	t.undo = append(t.undo, func() {
		c.insert(e)
		o.entries++
		o.bytes += e.Size
	})
	return nil
}

func (t *memTx) AppendEntry(id int64, e Entry) (int64, error) {
	if !t.writable {
		return 0, errReadOnly
	}
	c := t.cache(id)
	if c == nil {
		return 0, fmt.Errorf("cachestorage: append to cache %d: no such cache", id)
	}
	if e.Request == nil || e.Response == nil {
		return 0, errors.New("cachestorage: append: entry without request or response")
	}
	e.ID = c.nextEntry
	c.nextEntry++
	me := &memEntry{Entry: e, key: URLKey(e.Request.URL, false), searchless: URLKey(e.Request.URL, true)}
	c.insert(me)
	t.o.entries++
	t.o.bytes += e.Size
	o := t.o
	t.undo = append(t.undo, func() {
		c.remove(me)
		c.nextEntry--
		o.entries--
		o.bytes -= e.Size
	})
	return e.ID, nil
}

func (t *memTx) Usage() (Usage, error) {
	return Usage{Caches: len(t.o.caches), Entries: t.o.entries, Bytes: t.o.bytes}, nil
}

func (t *memTx) EntryCount(id int64) (int, error) {
	c := t.cache(id)
	if c == nil {
		return 0, nil
	}
	return len(c.entries), nil
}

// insert puts e into the cache's lists at the place its ID orders it.
func (c *memCache) insert(e *memEntry) {
	c.entries = insertSorted(c.entries, e)
	c.byURL[e.key] = insertSorted(c.byURL[e.key], e)
	c.bySearchless[e.searchless] = insertSorted(c.bySearchless[e.searchless], e)
}

// remove takes e out of the cache's lists.
func (c *memCache) remove(e *memEntry) {
	c.entries = removeSorted(c.entries, e)
	removeFromIndex(c.byURL, e.key, e)
	removeFromIndex(c.bySearchless, e.searchless, e)
}

func removeFromIndex(m map[string][]*memEntry, key string, e *memEntry) {
	list := removeSorted(m[key], e)
	if len(list) == 0 {
		delete(m, key)
		return
	}
	m[key] = list
}

func insertSorted(list []*memEntry, e *memEntry) []*memEntry {
	if n := len(list); n == 0 || list[n-1].ID < e.ID {
		return append(list, e)
	}
	i, _ := slices.BinarySearchFunc(list, e.ID, cmpEntry)
	return slices.Insert(list, i, e)
}

func removeSorted(list []*memEntry, e *memEntry) []*memEntry {
	i, ok := slices.BinarySearchFunc(list, e.ID, cmpEntry)
	if !ok {
		return list
	}
	return slices.Delete(list, i, i+1)
}

func cmpEntry(e *memEntry, id int64) int { return cmp.Compare(e.ID, id) }

func cmpCache(c *memCache, id int64) int { return cmp.Compare(c.id, id) }

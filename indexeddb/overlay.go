package indexeddb

import (
	"slices"
	"sort"
)

// overlay is what a transaction changed in one object (store or index)
// and has not committed: entries set or deleted, and whether everything
// committed before was cleared. Reads merge it over the backend.
type overlay struct {
	cleared bool
	m       map[string]ovEntry
	keys    []string // the keys of m, sorted when sorted is true
	sorted  bool
}

type ovEntry struct {
	value   []byte
	deleted bool
}

func newOverlay() *overlay { return &overlay{m: make(map[string]ovEntry), sorted: true} }

func (o *overlay) put(k []byte, v []byte, deleted bool) {
	ks := string(k)
	if _, ok := o.m[ks]; !ok {
		o.keys = append(o.keys, ks)
		if n := len(o.keys); n > 1 && o.keys[n-2] > ks {
			o.sorted = false
		}
	}
	o.m[ks] = ovEntry{value: v, deleted: deleted}
}

func (o *overlay) clear() {
	o.cleared = true
	o.m = make(map[string]ovEntry)
	o.keys = nil
	o.sorted = true
}

// between returns the overlay's keys in [lo, hi), in order.
func (o *overlay) between(lo, hi []byte) []string {
	if !o.sorted {
		slices.Sort(o.keys)
		o.sorted = true
	}
	i := 0
	if lo != nil {
		i = sort.SearchStrings(o.keys, string(lo))
	}
	j := len(o.keys)
	if hi != nil {
		j = sort.SearchStrings(o.keys, string(hi))
	}
	if i >= j {
		return nil
	}
	return o.keys[i:j]
}

// scanBatch is how many entries a merged scan reads from the backend at
// a time.
const scanBatch = 64

// entry is one entry of a merged scan.
type entry struct {
	key, value []byte
}

// scan calls fn with the entries of object in [lo, hi) as the
// transaction sees them (its overlay over the backend), in order or
// reversed, until fn returns false. want is how many entries fn is
// expected to take (0: unknown): the first read from the backend asks
// for no more (a cursor step takes one), the next ones for scanBatch.
func (t *Tx) scan(object int64, lo, hi []byte, reverse, values bool, want int, fn func(entry) bool) error {
	ov := t.ov[object]
	var ovKeys []string
	if ov != nil {
		ovKeys = ov.between(lo, hi)
	}
	useBackend := t.schema.ID != 0 && (ov == nil || !ov.cleared) && !t.created[object]
	oi := 0 // next overlay key (from the end when reverse)
	nextOv := func() (string, bool) {
		if oi >= len(ovKeys) {
			return "", false
		}
		if reverse {
			return ovKeys[len(ovKeys)-1-oi], true
		}
		return ovKeys[oi], true
	}
	var batch []entry
	bi := 0
	bLo, bHi := lo, hi
	bDone := !useBackend
	limit := scanBatch
	if want > 0 && want < scanBatch {
		limit = want
	}
	fill := func() error {
		batch, bi = batch[:0], 0
		err := t.backend.Scan(t.ctx, t.schema.ID, object, bLo, bHi, reverse, limit, values, func(k, v []byte) bool {
			batch = append(batch, entry{k, v})
			return true
		})
		if err != nil {
			return err
		}
		if len(batch) < limit {
			bDone = true
		}
		limit = scanBatch
		if n := len(batch); n > 0 {
			last := batch[n-1].key
			if reverse {
				bHi = last
			} else {
				bLo = append(append([]byte(nil), last...), 0)
			}
		}
		return nil
	}
	for {
		if bi >= len(batch) && !bDone {
			if err := fill(); err != nil {
				return err
			}
		}
		var be *entry
		if bi < len(batch) {
			be = &batch[bi]
		}
		ok, hasOv := nextOv()
		var e entry
		switch {
		case be == nil && !hasOv:
			return nil
		case be != nil && (!hasOv || (!reverse && string(be.key) < ok) || (reverse && string(be.key) > ok)):
			bi++
			if ov != nil {
				if _, shadowed := ov.m[string(be.key)]; shadowed {
					continue // the overlay's entry comes in its turn
				}
			}
			e = *be
		default:
			oi++
			if be != nil && string(be.key) == ok {
				bi++
			}
			oe := ov.m[ok]
			if oe.deleted {
				continue
			}
			e = entry{key: []byte(ok), value: oe.value}
		}
		if !fn(e) {
			return nil
		}
	}
}

// get returns the value of key in object as the transaction sees it.
func (t *Tx) get(object int64, key []byte) ([]byte, bool, error) {
	if ov := t.ov[object]; ov != nil {
		if e, ok := ov.m[string(key)]; ok {
			return e.value, !e.deleted, nil
		}
		if ov.cleared {
			return nil, false, nil
		}
	}
	if t.schema.ID == 0 || t.created[object] {
		return nil, false, nil
	}
	return t.backend.Get(t.ctx, t.schema.ID, object, key)
}

// getMany returns the values of keys in object as the transaction sees
// them, in keys' order: nil for a key without a record. The keys the
// overlay does not answer are read from the backend in one call when it
// is a [MultiGetter].
func (t *Tx) getMany(object int64, keys [][]byte) ([][]byte, error) {
	out := make([][]byte, len(keys))
	ov := t.ov[object]
	fromBackend := t.schema.ID != 0 && !t.created[object] && (ov == nil || !ov.cleared)
	var rest [][]byte
	var at []int // rest[i]'s index in keys
	for i, k := range keys {
		if ov != nil {
			if e, ok := ov.m[string(k)]; ok {
				if !e.deleted {
					out[i] = e.value
				}
				continue
			}
		}
		if fromBackend {
			rest = append(rest, k)
			at = append(at, i)
		}
	}
	if len(rest) == 0 {
		return out, nil
	}
	if mg, ok := t.backend.(MultiGetter); ok {
		vals, err := mg.GetMany(t.ctx, t.schema.ID, object, rest)
		if err != nil {
			return nil, err
		}
		for j, v := range vals {
			out[at[j]] = v
		}
		return out, nil
	}
	for j, k := range rest {
		v, ok, err := t.backend.Get(t.ctx, t.schema.ID, object, k)
		if err != nil {
			return nil, err
		}
		if ok {
			out[at[j]] = v
		}
	}
	return out, nil
}

// first returns the first (or last) entry of object in [lo, hi).
func (t *Tx) first(object int64, lo, hi []byte, reverse, values bool) (entry, bool, error) {
	var out entry
	found := false
	err := t.scan(object, lo, hi, reverse, values, 1, func(e entry) bool {
		out, found = e, true
		return false
	})
	return out, found, err
}

// count returns the number of entries of object in [lo, hi).
func (t *Tx) count(object int64, lo, hi []byte) (int64, error) {
	ov := t.ov[object]
	if (ov == nil || len(ov.m) == 0) && !(ov != nil && ov.cleared) && t.schema.ID != 0 && !t.created[object] {
		return t.backend.Count(t.ctx, t.schema.ID, object, lo, hi)
	}
	var n int64
	err := t.scan(object, lo, hi, false, false, 0, func(entry) bool { n++; return true })
	return n, err
}

// set writes an entry of object in the overlay (value nil: delete it).
func (t *Tx) set(object int64, key, value []byte, deleted bool) {
	t.writes++
	t.overlayOf(object).put(key, value, deleted)
}

// clearObject drops every entry of object in the transaction.
func (t *Tx) clearObject(object int64) {
	t.writes++
	t.overlayOf(object).clear()
}

// commit returns what the transaction changed.
func (t *Tx) changes() *Commit {
	c := &Commit{DatabaseID: t.schema.ID}
	if t.mode == VersionChange {
		c.Schema = t.schema
	} else if len(t.gens) > 0 {
		c.Generators = make(map[int64]int64, len(t.gens))
		for id := range t.gens {
			if st := t.schema.StoreByID(id); st != nil {
				c.Generators[id] = st.Current
			}
		}
	}
	c.Dropped = append(c.Dropped, t.dropped...)
	objs := make([]int64, 0, len(t.ov))
	for id := range t.ov {
		objs = append(objs, id)
	}
	slices.Sort(objs)
	for _, id := range objs {
		ov := t.ov[id]
		if ov.cleared && !slices.Contains(c.Dropped, id) {
			c.Dropped = append(c.Dropped, id)
		}
		for _, k := range ov.between(nil, nil) {
			e := ov.m[k]
			if e.deleted && (ov.cleared || t.created[id]) {
				continue // nothing committed to delete
			}
			v := e.value
			if !e.deleted && v == nil {
				v = []byte{}
			}
			c.Writes = append(c.Writes, Write{Object: id, Key: []byte(k), Value: v, Delete: e.deleted})
		}
	}
	return c
}

// overlayOf returns object's overlay, made on the transaction's first
// write to it.
func (t *Tx) overlayOf(object int64) *overlay {
	ov := t.ov[object]
	if ov == nil {
		ov = newOverlay()
		if t.ov == nil {
			t.ov = make(map[int64]*overlay)
		}
		t.ov[object] = ov
	}
	return ov
}

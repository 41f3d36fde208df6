package scope

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/swhost/swhost/internal/weburl"
)

// DefaultMaxPerPrefix is the default cap on scopes that share one
// non-variable prefix. It bounds the work of one lookup: the scope
// restrictions leave search parameters as the only way to put many scopes on
// one prefix, and each of them must be tried against the URL.
const DefaultMaxPerPrefix = 64

// LimitError is returned by [Index.Add] when a scope would exceed the cap on
// scopes sharing one non-variable prefix. It is a QuotaExceededError on the
// web platform.
type LimitError struct {
	Prefix string
	Max    int
}

// Error describes the limit.
func (e *LimitError) Error() string {
	return fmt.Sprintf("QuotaExceededError: too many scopes share the non-variable prefix %q (at most %d)", e.Prefix, e.Max)
}

// ExceptionName returns "QuotaExceededError".
func (e *LimitError) ExceptionName() string { return "QuotaExceededError" }

// IndexOptions configure an [Index].
type IndexOptions struct {
	// MaxPerPrefix caps the scopes sharing one non-variable prefix;
	// 0 means DefaultMaxPerPrefix, a negative value means no cap.
	MaxPerPrefix int
}

// Result is a scope that matched a URL, with its ordering figures and the
// value stored with it.
type Result[V any] struct {
	Match
	Value V
}

// Index maps URLs to the most specific of many scopes, each stored with a
// value (a registration, say). Lookups first select the URL's origin, then
// walk a radix tree of non-variable prefixes along the URL, so their cost
// depends on the URL's length and on the scopes sharing the URL's prefixes,
// not on the number of scopes in the index.
//
// An Index is safe for concurrent use.
type Index[V any] struct {
	mu      sync.RWMutex
	max     int
	origins map[string]*node[V] // origin → radix tree over the rest of the prefix
	counts  map[string]int      // origin → scopes stored
	byKey   map[string]*entry[V]
}

type entry[V any] struct {
	scope *Scope
	value V
	node  *node[V]
}

// node is a radix tree node. The path from the origin's root to a node
// spells a prefix; entries holds the scopes whose non-variable prefix is
// exactly that.
type node[V any] struct {
	label    string
	first    []byte     // first[i] == children[i].label[0], sorted; searched without touching children
	children []*node[V] // labels of siblings differ in their first byte
	entries  []*entry[V]
}

// NewIndex returns an empty index.
func NewIndex[V any](opts IndexOptions) *Index[V] {
	max := opts.MaxPerPrefix
	if max == 0 {
		max = DefaultMaxPerPrefix
	}
	return &Index[V]{max: max, origins: map[string]*node[V]{}, counts: map[string]int{}, byKey: map[string]*entry[V]{}}
}

// Len returns the number of scopes in the index.
func (x *Index[V]) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.byKey)
}

// Add stores v under scope s. A scope with the same key replaces the stored
// scope and value. Add fails with a *LimitError when s would exceed the cap
// on scopes sharing its non-variable prefix.
func (x *Index[V]) Add(s *Scope, v V) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if e, ok := x.byKey[s.key_]; ok {
		e.scope, e.value = s, v
		return nil
	}
	root := x.origins[s.origin]
	if root == nil {
		root = &node[V]{}
		x.origins[s.origin] = root
	}
	n := root.insert(s.prefix[len(s.origin):])
	if x.max > 0 && len(n.entries) >= x.max {
		return &LimitError{Prefix: s.prefix, Max: x.max}
	}
	e := &entry[V]{scope: s, value: v, node: n}
	n.entries = append(n.entries, e)
	x.byKey[s.key_] = e
	x.counts[s.origin]++
	return nil
}

// Remove deletes the scope with s's key and reports whether it was present.
func (x *Index[V]) Remove(s *Scope) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	e, ok := x.byKey[s.key_]
	if !ok {
		return false
	}
	delete(x.byKey, s.key_)
	e.node.entries = slices.DeleteFunc(e.node.entries, func(o *entry[V]) bool { return o == e })
	if x.counts[e.scope.origin]--; x.counts[e.scope.origin] <= 0 {
		delete(x.counts, e.scope.origin)
	}
	return true
}

// HasOrigin reports whether any scope of origin (serialized) is stored.
// Its cost does not depend on the number of scopes.
func (x *Index[V]) HasOrigin(origin string) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.counts[origin] > 0
}

// Get returns the value stored under the scope with the given key.
func (x *Index[V]) Get(key string) (V, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if e, ok := x.byKey[key]; ok {
		return e.value, true
	}
	var zero V
	return zero, false
}

// LookupString is Lookup for a URL string. An unparsable URL matches no
// scope.
func (x *Index[V]) LookupString(rawURL string) (Result[V], bool) {
	u, err := weburl.Parse(rawURL)
	if err != nil {
		return Result[V]{}, false
	}
	return x.Lookup(u)
}

// Lookup returns the most specific scope that matches u, by [Compare].
func (x *Index[V]) Lookup(u *weburl.URL) (Result[V], bool) {
	path, search := u.Pathname(), searchString(u)
	x.mu.RLock()
	defer x.mu.RUnlock()
	root := x.origins[u.Origin()]
	if root == nil {
		return Result[V]{}, false
	}
	var (
		buf [32]*node[V]
		q   query
	)
	stack := root.walk(path, search, buf[:0])
	// A longer non-variable prefix always wins (step 1), so the deepest node
	// with a matching scope holds the answer.
	for i := len(stack) - 1; i >= 0; i-- {
		var (
			best  *entry[V]
			bestM Match
		)
		for _, e := range stack[i].entries {
			m, ok := e.scope.matchRest(path, search, &q)
			if ok && (best == nil || Compare(m, bestM) < 0) {
				best, bestM = e, m
			}
		}
		if best != nil {
			return Result[V]{Match: bestM, Value: best.value}, true
		}
	}
	return Result[V]{}, false
}

// Candidates returns every scope that matches u, most specific first.
func (x *Index[V]) Candidates(u *weburl.URL) []Result[V] {
	path, search := u.Pathname(), searchString(u)
	x.mu.RLock()
	defer x.mu.RUnlock()
	root := x.origins[u.Origin()]
	if root == nil {
		return nil
	}
	var (
		out []Result[V]
		q   query
	)
	for _, n := range root.walk(path, search, nil) {
		for _, e := range n.entries {
			if m, ok := e.scope.matchRest(path, search, &q); ok {
				out = append(out, Result[V]{Match: m, Value: e.value})
			}
		}
	}
	slices.SortFunc(out, func(a, b Result[V]) int { return Compare(a.Match, b.Match) })
	return out
}

// All returns every scope and value in the index, ordered by key.
func (x *Index[V]) All() []Result[V] {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := make([]Result[V], 0, len(x.byKey))
	for _, e := range x.byKey {
		out = append(out, Result[V]{Match: Match{Scope: e.scope, PrefixLen: len(e.scope.prefix), Specificity: e.scope.Specificity()}, Value: e.value})
	}
	slices.SortFunc(out, func(a, b Result[V]) int { return strings.Compare(a.Scope.key_, b.Scope.key_) })
	return out
}

// insert returns the node for key below n, splitting edges as needed.
func (n *node[V]) insert(key string) *node[V] {
	for key != "" {
		i, ok := n.child(key[0])
		if !ok {
			c := &node[V]{label: key}
			n.children = slices.Insert(n.children, i, c)
			n.first = slices.Insert(n.first, i, key[0])
			return c
		}
		c := n.children[i]
		common := commonPrefix(c.label, key)
		if common < len(c.label) {
			// Split c's edge at common.
			mid := &node[V]{label: c.label[:common], children: []*node[V]{c}}
			c.label = c.label[common:]
			mid.first = []byte{c.label[0]}
			n.children[i] = mid
			c = mid
		}
		n, key = c, key[common:]
	}
	return n
}

// child returns the index of the child whose label starts with b, or the
// index where such a child would be inserted.
func (n *node[V]) child(b byte) (int, bool) {
	return slices.BinarySearch(n.first, b)
}

// walk appends to stack every node, from n down, whose prefix is a prefix of
// path+search.
func (n *node[V]) walk(path, search string, stack []*node[V]) []*node[V] {
	pos := 0 // position in path+search, which is never concatenated
	at := func(i int) byte {
		if i < len(path) {
			return path[i]
		}
		return search[i-len(path)]
	}
	total := len(path) + len(search)
	for {
		if len(n.entries) > 0 {
			stack = append(stack, n)
		}
		if pos == total {
			return stack
		}
		i, ok := n.child(at(pos))
		if !ok {
			return stack
		}
		c := n.children[i]
		if pos+len(c.label) > total || !hasAt(path, search, pos, c.label) {
			return stack
		}
		n, pos = c, pos+len(c.label)
	}
}

// hasAt reports whether path+search has label at position pos; the caller
// has checked that it fits.
func hasAt(path, search string, pos int, label string) bool {
	if pos >= len(path) {
		return search[pos-len(path):pos-len(path)+len(label)] == label
	}
	if end := pos + len(label); end <= len(path) {
		return path[pos:end] == label
	}
	k := len(path) - pos
	return path[pos:] == label[:k] && search[:len(label)-k] == label[k:]
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

package jsregexp

import (
	"slices"
	"sort"
	"sync"
	"unicode"
)

// maxRune is the largest Unicode code point.
const maxRune = unicode.MaxRune

// rng is an inclusive range of code points.
type rng struct{ lo, hi rune }

// runeSet is a set of code points: sorted, non-overlapping, non-adjacent
// ranges. The zero value is the empty set.
type runeSet []rng

// normalize sorts and merges the ranges of s in place and returns the result.
func (s runeSet) normalize() runeSet {
	if len(s) < 2 {
		return s
	}
	sorted := true
	for i := 1; i < len(s); i++ {
		if s[i].lo <= s[i-1].hi+1 {
			sorted = false
			break
		}
	}
	if sorted {
		return s
	}
	slices.SortFunc(s, func(a, b rng) int { return int(a.lo - b.lo) })
	out := s[:1]
	for _, r := range s[1:] {
		last := &out[len(out)-1]
		if r.lo <= last.hi+1 {
			if r.hi > last.hi {
				last.hi = r.hi
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// contains reports whether r is in s.
func (s runeSet) contains(r rune) bool {
	i := sort.Search(len(s), func(i int) bool { return s[i].hi >= r })
	return i < len(s) && s[i].lo <= r
}

// equal reports whether s and t hold the same code points.
func (s runeSet) equal(t runeSet) bool { return slices.Equal(s, t) }

// union returns a ∪ b as a new set.
func union(a, b runeSet) runeSet {
	out := make(runeSet, 0, len(a)+len(b))
	out = append(out, a...)
	out = append(out, b...)
	return out.normalize()
}

// intersect returns a ∩ b as a new set.
func intersect(a, b runeSet) runeSet {
	var out runeSet
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		lo := max(a[i].lo, b[j].lo)
		hi := min(a[i].hi, b[j].hi)
		if lo <= hi {
			out = append(out, rng{lo, hi})
		}
		if a[i].hi < b[j].hi {
			i++
		} else {
			j++
		}
	}
	return out
}

// complement returns the code points not in s, over U+0000..U+10FFFF.
func complement(s runeSet) runeSet {
	out := make(runeSet, 0, len(s)+1)
	next := rune(0)
	for _, r := range s {
		if r.lo > next {
			out = append(out, rng{next, r.lo - 1})
		}
		next = r.hi + 1
	}
	if next <= maxRune {
		out = append(out, rng{next, maxRune})
	}
	return out
}

// subtract returns a \ b as a new set.
func subtract(a, b runeSet) runeSet {
	if len(b) == 0 {
		return slices.Clone(a)
	}
	return intersect(a, complement(b))
}

// fromTable converts a unicode.RangeTable to a runeSet.
func fromTable(t *unicode.RangeTable) runeSet {
	var out runeSet
	add := func(lo, hi, stride rune) {
		if stride == 1 {
			out = append(out, rng{lo, hi})
			return
		}
		for r := lo; r <= hi; r += stride {
			out = append(out, rng{r, r})
		}
	}
	for _, r := range t.R16 {
		add(rune(r.Lo), rune(r.Hi), rune(r.Stride))
	}
	for _, r := range t.R32 {
		add(rune(r.Lo), rune(r.Hi), rune(r.Stride))
	}
	return out.normalize()
}

// Case folding. ECMAScript's Canonicalize with the u or v flag maps each code
// point through simple case folding (CaseFolding.txt, status C and S); two
// code points match case-insensitively when they fold to the same code point.
// Go's unicode.SimpleFold iterates exactly those equivalence classes
// ("orbits"), so the package works on fold-closed sets: a set is closed when
// it holds every member of the orbit of each of its code points.

var (
	foldOnce  sync.Once
	foldables []rune // sorted code points whose orbit has more than one member
)

func initFoldables() {
	foldOnce.Do(func() {
		// Every orbit with more than one member holds a code point with a
		// case mapping (CaseRanges); the others (such as ß, whose orbit
		// partner ẞ lowercases to it) are reached through the orbits.
		// TestFoldables checks this against a scan of all code points.
		var buf [8]rune
		for _, cr := range unicode.CaseRanges {
			for r := rune(cr.Lo); r <= rune(cr.Hi); r++ {
				if unicode.SimpleFold(r) != r {
					foldables = append(foldables, orbit(r, buf[:0])...)
				}
			}
		}
		slices.Sort(foldables)
		foldables = slices.Compact(foldables)
	})
}

// orbit appends to buf the case-folding orbit of r (including r itself).
func orbit(r rune, buf []rune) []rune {
	buf = append(buf, r)
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		buf = append(buf, f)
	}
	return buf
}

// canon returns the canonical member of r's orbit (its smallest code point).
// Two code points match case-insensitively exactly when canon agrees.
func canon(r rune) rune {
	c := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		c = min(c, f)
	}
	return c
}

// hasFold reports whether r has case variants.
func hasFold(r rune) bool { return unicode.SimpleFold(r) != r }

// foldablesIn returns the index range of foldables inside [lo, hi].
func foldablesIn(lo, hi rune) (int, int) {
	i := sort.Search(len(foldables), func(i int) bool { return foldables[i] >= lo })
	j := sort.Search(len(foldables), func(i int) bool { return foldables[i] > hi })
	return i, j
}

// closeFold returns the smallest fold-closed superset of s. It walks
// whichever of s and its complement holds fewer foldable code points: a code
// point c outside s joins the closure exactly when some member of its orbit
// is in s.
func closeFold(s runeSet) runeSet {
	initFoldables()
	inside := 0
	for _, r := range s {
		i, j := foldablesIn(r.lo, r.hi)
		inside += j - i
	}
	if inside == 0 {
		return s
	}
	var add runeSet
	var buf [8]rune
	walk := s
	fromOutside := inside > len(foldables)/2
	if fromOutside {
		walk = complement(s)
	}
	for _, r := range walk {
		i, j := foldablesIn(r.lo, r.hi)
		for _, c := range foldables[i:j] {
			orb := orbit(c, buf[:0])
			if fromOutside {
				// c is outside s: add it when a member of its orbit is inside.
				for _, o := range orb[1:] {
					if s.contains(o) {
						add = append(add, rng{c, c})
						break
					}
				}
				continue
			}
			for _, o := range orb[1:] {
				if !s.contains(o) {
					add = append(add, rng{o, o})
				}
			}
		}
	}
	if len(add) == 0 {
		return s
	}
	return union(s, add.normalize())
}

// foldString maps every code point of s to its canonical member.
func foldString(s string) string {
	b := make([]rune, 0, len(s))
	for _, r := range s {
		b = append(b, canon(r))
	}
	return string(b)
}

// classSet is the value of a v-mode class: single code points plus strings
// (sequences of zero or two or more code points, from \q{...}).
type classSet struct {
	runes runeSet
	strs  []string // sorted, unique; never of exactly one code point
}

func (c classSet) union(d classSet) classSet {
	out := classSet{runes: union(c.runes, d.runes)}
	if len(c.strs)+len(d.strs) > 0 {
		out.strs = append(slices.Clone(c.strs), d.strs...)
		slices.Sort(out.strs)
		out.strs = slices.Compact(out.strs)
	}
	return out
}

func (c classSet) intersect(d classSet) classSet {
	out := classSet{runes: intersect(c.runes, d.runes)}
	for _, s := range c.strs {
		if _, ok := slices.BinarySearch(d.strs, s); ok {
			out.strs = append(out.strs, s)
		}
	}
	return out
}

func (c classSet) subtract(d classSet) classSet {
	out := classSet{runes: subtract(c.runes, d.runes)}
	for _, s := range c.strs {
		if _, ok := slices.BinarySearch(d.strs, s); !ok {
			out.strs = append(out.strs, s)
		}
	}
	return out
}

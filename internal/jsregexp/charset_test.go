package jsregexp

import (
	"math/rand/v2"
	"slices"
	"testing"
	"unicode"
)

// naive is a brute-force set over a small universe, the oracle for runeSet.
type naive [512]bool

func (n *naive) toSet() runeSet {
	var s runeSet
	for r, in := range n {
		if in {
			s = append(s, rng{rune(r), rune(r)})
		}
	}
	return s.normalize()
}

func randomNaive(rnd *rand.Rand) *naive {
	var n naive
	for i := 0; i < rnd.IntN(6); i++ {
		lo := rnd.IntN(len(n))
		hi := min(len(n)-1, lo+rnd.IntN(40))
		for r := lo; r <= hi; r++ {
			n[r] = true
		}
	}
	return &n
}

// within clips a set to the naive universe.
func within(s runeSet) runeSet { return intersect(s, runeSet{{0, 511}}) }

func TestSetOperations(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		a, b := randomNaive(rnd), randomNaive(rnd)
		var u, x, d, c naive
		for r := range a {
			u[r] = a[r] || b[r]
			x[r] = a[r] && b[r]
			d[r] = a[r] && !b[r]
			c[r] = !a[r]
		}
		sa, sb := a.toSet(), b.toSet()
		if got := union(sa, sb); !got.equal(u.toSet()) {
			t.Fatalf("union(%v, %v) = %v", sa, sb, got)
		}
		if got := intersect(sa, sb); !got.equal(x.toSet()) {
			t.Fatalf("intersect(%v, %v) = %v", sa, sb, got)
		}
		if got := subtract(sa, sb); !got.equal(d.toSet()) {
			t.Fatalf("subtract(%v, %v) = %v", sa, sb, got)
		}
		if got := within(complement(sa)); !got.equal(c.toSet()) {
			t.Fatalf("complement(%v) = %v", sa, got)
		}
		for r := range a {
			if sa.contains(rune(r)) != a[r] {
				t.Fatalf("%v contains %d: %v", sa, r, !a[r])
			}
		}
		if got := complement(complement(sa)); !got.equal(sa) {
			t.Fatalf("double complement of %v = %v", sa, got)
		}
	}
}

func TestFoldables(t *testing.T) {
	initFoldables()
	var want []rune
	for r := rune(0); r <= maxRune; r++ {
		if unicode.SimpleFold(r) != r {
			want = append(want, r)
		}
	}
	if !slices.Equal(foldables, want) {
		t.Fatalf("foldables from CaseRanges: %d code points, full scan: %d", len(foldables), len(want))
	}
}

// TestCloseFold compares closeFold with the definition: c is in the closure
// when some member of its orbit is in the set.
func TestCloseFold(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	sets := []runeSet{
		{{'a', 'z'}},
		{{'k', 'k'}},
		{{0x212A, 0x212A}},
		{{0, 0x2E}, {0x30, maxRune}},
		fromTable(unicode.Lu),
		complement(fromTable(unicode.Lu)),
		fromTable(unicode.Greek),
	}
	for i := 0; i < 50; i++ {
		var s runeSet
		for j := 0; j < 1+rnd.IntN(8); j++ {
			lo := rune(rnd.IntN(0x2200))
			s = append(s, rng{lo, lo + rune(rnd.IntN(300))})
		}
		sets = append(sets, s.normalize())
	}
	for _, s := range sets {
		got := closeFold(s)
		for _, r := range []rng{{0, 0x2200}, {0xA640, 0xA7FF}, {0xFF00, 0xFFFF}, {0x10400, 0x1E943}} {
			for c := r.lo; c <= r.hi; c++ {
				want := false
				for _, o := range orbit(c, nil) {
					if s.contains(o) {
						want = true
						break
					}
				}
				if got.contains(c) != want {
					t.Fatalf("closeFold(%v) contains %U = %v, want %v", s, c, !want, want)
				}
			}
		}
	}
}

// TestCaseFoldingEdgeCases pins the orbits ECMAScript's simple case folding
// defines for the characters that usually go wrong.
func TestCaseFoldingEdgeCases(t *testing.T) {
	cases := []struct {
		r    rune
		want []rune
	}{
		{'k', []rune{'K', 'k', 0x212A}},
		{'s', []rune{'S', 's', 0x17F}},
		{0xDF, []rune{0xDF, 0x1E9E}},         // ß ẞ (scf(ẞ) = ß, status S)
		{0x130, []rune{0x130}},               // İ folds only with status T
		{0x131, []rune{0x131}},               // ı has no folding
		{0x3C3, []rune{0x3A3, 0x3C2, 0x3C3}}, // Σ ς σ
		{0x3B8, []rune{0x398, 0x3B8, 0x3D1, 0x3F4}},
		{0xB5, []rune{0xB5, 0x39C, 0x3BC}}, // µ Μ μ
		{0x13F8, []rune{0x13F0, 0x13F8}},   // Cherokee
		{'1', []rune{'1'}},
	}
	for _, c := range cases {
		got := orbit(c.r, nil)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("orbit(%U) = %U, want %U", c.r, got, c.want)
		}
		if canon(c.r) != c.want[0] {
			t.Errorf("canon(%U) = %U, want %U", c.r, canon(c.r), c.want[0])
		}
	}
}

func TestFromTable(t *testing.T) {
	for name, tab := range unicode.Categories {
		s := fromTable(tab)
		for r := rune(0); r <= 0x3000; r++ {
			if s.contains(r) != unicode.Is(tab, r) {
				t.Fatalf("%s: %U", name, r)
			}
		}
	}
}

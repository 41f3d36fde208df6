package jsregexp

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// emptyClass matches nothing in RE2.
const emptyClass = `[^\x00-\x{10FFFF}]`

// appendLiteral appends r as an RE2 literal outside a class.
func appendLiteral(out []byte, r rune) []byte {
	switch {
	case r >= 0xD800 && r <= 0xDFFF:
		// A lone surrogate cannot occur in a Go string.
		return append(out, emptyClass...)
	case r > 0x20 && r < 0x7F:
		if strings.IndexByte(`\.+*?()|[]{}^$`, byte(r)) >= 0 {
			out = append(out, '\\')
		}
		return append(out, byte(r))
	case r == ' ':
		return append(out, ' ')
	}
	return appendHex(out, r)
}

func appendHex(out []byte, r rune) []byte {
	switch r {
	case '\t':
		return append(out, `\t`...)
	case '\n':
		return append(out, `\n`...)
	case '\v':
		return append(out, `\v`...)
	case '\f':
		return append(out, `\f`...)
	case '\r':
		return append(out, `\r`...)
	}
	out = append(out, `\x{`...)
	out = strconv.AppendUint(out, uint64(r), 16)
	return append(out, '}')
}

// appendClassRune appends r for use inside an RE2 class.
func appendClassRune(out []byte, r rune) []byte {
	switch {
	case r > 0x20 && r < 0x7F:
		if !isAlnum(byte(r)) && r != '_' {
			out = append(out, '\\')
		}
		return append(out, byte(r))
	case r == ' ':
		return append(out, ' ')
	}
	return appendHex(out, r)
}

func appendRanges(out []byte, s runeSet) []byte {
	for _, r := range s {
		out = appendClassRune(out, r.lo)
		if r.hi > r.lo {
			if r.hi > r.lo+1 {
				out = append(out, '-')
			}
			out = appendClassRune(out, r.hi)
		}
	}
	return out
}

// emitRunes writes s as one RE2 atom. Surrogates are "don't care" (no Go
// string holds them), which lets the shorter of the positive and negated
// forms be chosen.
func (t *translator) emitRunes(s runeSet) {
	var scratch [16]rng
	buf := scratch[:0]
	// pos: s without surrogates.
	for _, r := range s {
		if r.hi < 0xD800 || r.lo > 0xDFFF {
			buf = append(buf, r)
			continue
		}
		if r.lo < 0xD800 {
			buf = append(buf, rng{r.lo, 0xD7FF})
		}
		if r.hi > 0xDFFF {
			buf = append(buf, rng{0xE000, r.hi})
		}
	}
	npos := len(buf)
	// neg: the complement of pos plus the surrogates.
	gap := func(lo, hi rune) {
		if lo <= hi {
			buf = append(buf, rng{lo, hi})
		}
	}
	next, surrDone := rune(0), false
	for _, r := range buf[:npos] {
		if !surrDone && r.lo > 0xDFFF {
			gap(next, 0xD7FF)
			next, surrDone = max(next, 0xE000), true
		}
		gap(next, r.lo-1)
		next = r.hi + 1
	}
	if !surrDone {
		gap(next, 0xD7FF)
		next = max(next, 0xE000)
	}
	gap(next, maxRune)
	pos, neg := runeSet(buf[:npos:npos]), runeSet(buf[npos:])
	switch {
	case len(pos) == 0:
		t.out = append(t.out, emptyClass...)
	case len(neg) == 0:
		t.out = append(t.out, `(?s:.)`...)
	case len(pos) == 1 && pos[0].lo == pos[0].hi:
		t.out = appendLiteral(t.out, pos[0].lo)
	case pos.equal(digitSet):
		t.out = append(t.out, `\d`...)
	case neg.equal(digitSet):
		t.out = append(t.out, `\D`...)
	case pos.equal(wordSet):
		t.out = append(t.out, `\w`...)
	case neg.equal(wordSet):
		t.out = append(t.out, `\W`...)
	case len(neg) < len(pos):
		t.out = append(t.out, "[^"...)
		t.out = appendRanges(t.out, neg)
		t.out = append(t.out, ']')
	default:
		t.out = append(t.out, '[')
		t.out = appendRanges(t.out, pos)
		t.out = append(t.out, ']')
	}
}

// emitClassSet writes a class value as one RE2 atom: an alternation of its
// strings, longest first, then its single code points, then the empty
// string, as ECMAScript's CompileAtom orders them.
func (t *translator) emitClassSet(cs classSet) info {
	if len(cs.strs) == 0 {
		t.emitRunes(cs.runes)
		return info{size: 1}
	}
	strs := make([]string, 0, len(cs.strs))
	hasEmpty := false
	for _, s := range cs.strs {
		switch {
		case s == "":
			hasEmpty = true
		default:
			strs = append(strs, s)
		}
	}
	slices.SortStableFunc(strs, func(a, b string) int {
		return utf8.RuneCountInString(b) - utf8.RuneCountInString(a)
	})
	singles := len(subtract(cs.runes, surrogateSet)) > 0
	n := len(strs)
	if singles {
		n++
	}
	if hasEmpty {
		n++
	}
	if n == 0 {
		t.out = append(t.out, emptyClass...)
		return info{size: 1}
	}
	var size int64
	t.out = append(t.out, "(?:"...)
	for i, s := range strs {
		if i > 0 {
			t.out = append(t.out, '|')
		}
		if t.ignoreCase {
			t.out = append(t.out, "(?i:"...)
		}
		for _, r := range s {
			t.out = appendLiteral(t.out, r)
			size++
		}
		if t.ignoreCase {
			t.out = append(t.out, ')')
		}
	}
	if singles {
		if len(strs) > 0 {
			t.out = append(t.out, '|')
		}
		t.emitRunes(cs.runes)
		size++
	}
	if hasEmpty {
		t.out = append(t.out, '|')
		size++
	}
	t.out = append(t.out, ')')
	return info{size: size + int64(n-1)}
}

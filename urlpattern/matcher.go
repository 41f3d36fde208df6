package urlpattern

import (
	"strings"
	"unicode/utf8"
)

// matchKind classifies a component for matching.
type matchKind uint8

const (
	mkRegexp  matchKind = iota // regexp groups, or too large: use the regexp
	mkEmpty                    // "": only the empty string
	mkLiteral                  // fixed text
	mkAffix                    // fixed prefix, one wildcard, fixed suffix ("/books/:id", "*")
	mkChain                    // literals and delimited segments ("/users/:id/posts/:pid/*")
	mkNFA                      // anything else without regexp groups
)

// matcher matches one component without the regexp engine. Its methods
// report done=false when the input needs the regexp fallback: only for
// case-insensitive patterns given non-ASCII input, where Unicode case
// folding applies.
//
// Every kind gives the same answers and the same captures as the
// ECMAScript regexp the standard generates, including its backtracking
// priorities (lazy segment wildcards, greedy full wildcards and modifiers)
// and its rule that an optional or repeated group may not match the empty
// string.
type matcher struct {
	kind   matchKind
	fold   bool   // ASCII case-insensitive (ignoreCase with ASCII patterns)
	lit    string // mkLiteral: the text; mkAffix: the prefix
	suffix string // mkAffix
	full   bool   // mkAffix: full wildcard; otherwise a segment wildcard
	delim  rune   // segment delimiter, or -1
	chain  []chainStep
	nfa    *nfaMatcher
}

// chainStep is one step of an mkChain matcher: a literal, or a group that
// is a segment (up to the next delimiter) or, last, a full wildcard.
type chainStep struct {
	lit  string
	kind uint8 // stepLit, stepSeg or stepFull
}

const (
	stepLit uint8 = iota
	stepSeg
	stepFull
)

// newMatcher classifies a part list.
func newMatcher(parts []part, o options) matcher {
	for i := range parts {
		pt := &parts[i]
		if pt.typ == partRegexp {
			return matcher{}
		}
		if o.ignoreCase && !(isASCII(pt.value) && isASCII(pt.prefix) && isASCII(pt.suffix)) {
			return matcher{}
		}
	}
	m := matcher{fold: o.ignoreCase, delim: -1}
	if o.delimiter != "" {
		m.delim = rune(o.delimiter[0])
	}
	switch {
	case len(parts) == 0:
		m.kind = mkEmpty
		return m
	case len(parts) == 1 && parts[0].typ == partFixedText && parts[0].modifier == modNone:
		m.kind, m.lit = mkLiteral, parts[0].value
		return m
	}
	if m.affix(parts) {
		m.kind = mkAffix
		return m
	}
	if m.chain = chainSteps(parts, m.delim); m.chain != nil {
		m.kind = mkChain
		return m
	}
	if m.nfa = newNFAMatcher(parts, m.delim, m.fold); m.nfa != nil {
		m.kind = mkNFA
	}
	return m
}

// affix sets up m for "prefix, one wildcard without modifier, suffix" and
// reports whether parts has that shape. With a single group the split is
// unique, so no search is needed.
func (m *matcher) affix(parts []part) bool {
	i := 0
	prefix := ""
	if parts[0].typ == partFixedText {
		if parts[0].modifier != modNone {
			return false
		}
		prefix = parts[0].value
		i++
	}
	if i >= len(parts) || parts[i].typ == partFixedText || parts[i].modifier != modNone {
		return false
	}
	w := &parts[i]
	suffix := w.suffix
	i++
	if i < len(parts) {
		if parts[i].typ != partFixedText || parts[i].modifier != modNone {
			return false
		}
		suffix += parts[i].value
		i++
	}
	if i != len(parts) {
		return false
	}
	m.lit, m.suffix, m.full = prefix+w.prefix, suffix, w.typ == partFullWildcard
	return true
}

// chainSteps flattens parts into literal and group steps when they form a
// chain: no modifiers; every segment wildcard directly followed by a
// literal that starts with the delimiter, or last; a full wildcard only
// last. A segment then always ends at the next delimiter, so the match is
// found in one pass without search. It returns nil for other shapes.
func chainSteps(parts []part, delim rune) []chainStep {
	if delim < 0 || delim >= utf8.RuneSelf {
		return nil
	}
	steps := make([]chainStep, 0, 2*len(parts)+1)
	lit := func(s string) {
		if s == "" {
			return
		}
		if n := len(steps); n > 0 && steps[n-1].kind == stepLit {
			steps[n-1].lit += s
			return
		}
		steps = append(steps, chainStep{lit: s})
	}
	for i := range parts {
		pt := &parts[i]
		if pt.modifier != modNone {
			return nil
		}
		switch pt.typ {
		case partFixedText:
			lit(pt.value)
		case partSegmentWildcard, partFullWildcard:
			lit(pt.prefix)
			k := stepSeg
			if pt.typ == partFullWildcard {
				k = stepFull
			}
			steps = append(steps, chainStep{kind: k})
			lit(pt.suffix)
		default:
			return nil
		}
	}
	for i, st := range steps {
		last := i == len(steps)-1
		switch {
		case st.kind == stepFull && !last:
			return nil
		case st.kind == stepSeg && !last && (steps[i+1].kind != stepLit || steps[i+1].lit[0] != byte(delim)):
			return nil
		}
	}
	return steps
}

// matchChain matches a chain, appending the groups to dst when names is
// not nil.
func (m *matcher) matchChain(s string, names []string, dst []Group) ([]Group, bool, bool) {
	if m.fold && !isASCII(s) {
		return dst, false, false
	}
	pos, g := 0, 0
	for _, st := range m.chain {
		switch st.kind {
		case stepLit:
			if !hasPrefixFold(s[pos:], st.lit, m.fold) {
				return dst, false, true
			}
			pos += len(st.lit)
		case stepSeg:
			end := strings.IndexByte(s[pos:], byte(m.delim))
			if end < 0 {
				end = len(s)
			} else {
				end += pos
			}
			if end == pos {
				return dst, false, true
			}
			if names != nil {
				dst = append(dst, Group{Name: names[g], Value: s[pos:end], Matched: true})
			}
			g++
			pos = end
		case stepFull:
			if hasLineTerminator(s[pos:]) {
				return dst, false, true
			}
			if names != nil {
				dst = append(dst, Group{Name: names[g], Value: s[pos:], Matched: true})
			}
			g++
			pos = len(s)
		}
	}
	return dst, pos == len(s), true
}

// test reports whether s matches.
func (m *matcher) test(s string) (ok, done bool) {
	switch m.kind {
	case mkEmpty:
		return s == "", true
	case mkLiteral:
		if !m.fold {
			return s == m.lit, true
		}
		if !isASCII(s) {
			return false, false
		}
		return equalFoldASCII(s, m.lit), true
	case mkAffix:
		_, _, ok, done = m.matchAffix(s)
		return ok, done
	case mkChain:
		_, ok, done = m.matchChain(s, nil, nil)
		return ok, done
	case mkNFA:
		return m.nfa.test(s)
	}
	return false, false
}

// exec matches s and appends the groups, named by names, to dst.
func (m *matcher) exec(s string, names []string, dst []Group) (g []Group, ok, done bool) {
	switch m.kind {
	case mkEmpty, mkLiteral:
		ok, done = m.test(s)
		return dst, ok, done
	case mkAffix:
		lo, hi, ok, done := m.matchAffix(s)
		if !ok || !done {
			return dst, ok, done
		}
		return append(dst, Group{Name: names[0], Value: s[lo:hi], Matched: true}), true, true
	case mkChain:
		start := len(dst)
		g, ok, done := m.matchChain(s, names, dst)
		if !ok {
			g = g[:start]
		}
		return g, ok, done
	case mkNFA:
		return m.nfa.exec(s, names, dst)
	}
	return dst, false, false
}

// matchAffix returns the bounds of the group of an affix pattern.
func (m *matcher) matchAffix(s string) (lo, hi int, ok, done bool) {
	if m.fold && !isASCII(s) {
		return 0, 0, false, false
	}
	if len(s) < len(m.lit)+len(m.suffix) || !hasPrefixFold(s, m.lit, m.fold) || !hasSuffixFold(s, m.suffix, m.fold) {
		return 0, 0, false, true
	}
	lo, hi = len(m.lit), len(s)-len(m.suffix)
	g := s[lo:hi]
	if m.full {
		return lo, hi, !hasLineTerminator(g), true
	}
	if g == "" {
		return 0, 0, false, true
	}
	if m.delim >= 0 && strings.IndexByte(g, byte(m.delim)) >= 0 {
		return 0, 0, false, true
	}
	return lo, hi, true, true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// equalFoldASCII compares s and t ignoring ASCII case.
func equalFoldASCII(s, t string) bool {
	if len(s) != len(t) {
		return false
	}
	for i := 0; i < len(s); i++ {
		a, b := s[i], t[i]
		if a == b {
			continue
		}
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string, fold bool) bool {
	if len(s) < len(prefix) {
		return false
	}
	if !fold {
		return s[:len(prefix)] == prefix
	}
	return equalFoldASCII(s[:len(prefix)], prefix)
}

func hasSuffixFold(s, suffix string, fold bool) bool {
	if len(s) < len(suffix) {
		return false
	}
	if !fold {
		return s[len(s)-len(suffix):] == suffix
	}
	return equalFoldASCII(s[len(s)-len(suffix):], suffix)
}

// isLineTerminator reports the code points ECMAScript's '.' does not match.
func isLineTerminator(r rune) bool {
	return r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029
}

// hasLineTerminator reports whether s contains a line terminator.
func hasLineTerminator(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\n', '\r':
			return true
		case 0xE2: // U+2028 and U+2029 are E2 80 A8 and E2 80 A9
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9) {
				return true
			}
		}
	}
	return false
}

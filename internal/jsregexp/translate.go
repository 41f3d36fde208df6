package jsregexp

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// translator parses an ECMAScript v-mode pattern by recursive descent and
// writes the RE2 translation as it goes. There is no separate syntax tree:
// each parse function returns an info summary that the RE2 limit checks need.
type translator struct {
	src string
	pos int
	out []byte

	// Current flags; modifier groups (?i:...) change them for their body.
	ignoreCase, dotAll, multiline bool

	depth    int  // nesting of groups and classes
	foldOpen bool // an "(?i:" run of case-insensitive literals is open in out

	// Named groups, for the duplicate-name rule: each group records the
	// alternatives it sits in.
	names     []namedGroup
	path      []altRef
	trackPath bool // the pattern may have named groups
	nextDisj  int
	reparse   int // > 0 while a part is translated a second time
	groups    map[groupKey]groupResult
}

// groupKey identifies the translation of the group starting at pos.
type groupKey struct {
	pos     int
	ne      bool
	i, s, m bool
}

type groupResult struct {
	out string
	end int
	inf info
}

type altRef struct{ disj, alt int }

type namedGroup struct {
	name string
	path []altRef
}

// info summarises a translated subexpression. size estimates the compiled
// program as regexp/syntax's calcSize does; rep is the smallest n for which
// regexp/syntax's repeatIsValid(re, n) holds. The other fields serve the
// ECMAScript repetition rules (see term).
type info struct {
	size int64
	rep  int64

	nullable    bool // can match the empty string
	alwaysEmpty bool // can match only the empty string
	hasCapture  bool // contains a capturing group
	optCapture  bool // contains a capturing group that may not take part in a match
}

const saturate = int64(1) << 40

func satAdd(a, b int64) int64 { return min(a+b, saturate) }

func satMul(a, b int64) int64 {
	if a != 0 && b > saturate/a {
		return saturate
	}
	return min(a*b, saturate)
}

func (t *translator) errSyntax(off int, format string, args ...any) error {
	return newError(ErrSyntax, off, format, args...)
}

func (t *translator) errUnsupported(off int, format string, args ...any) error {
	return newError(ErrUnsupported, off, format, args...)
}

func (t *translator) run() error {
	if !utf8.ValidString(t.src) {
		for i, r := range t.src {
			if r == utf8.RuneError {
				if _, n := utf8.DecodeRuneInString(t.src[i:]); n == 1 {
					return t.errSyntax(i, "invalid UTF-8")
				}
			}
		}
	}
	t.trackPath = strings.Contains(t.src, "(?<")
	inf, err := t.disjunction(false)
	if err != nil {
		return err
	}
	if t.pos < len(t.src) {
		return t.errSyntax(t.pos, "unmatched ')'")
	}
	t.closeFold()
	if inf.size > maxProgSize {
		return t.errUnsupported(0, "pattern too large for RE2 (about %d instructions, limit %d)", inf.size, maxProgSize)
	}
	return nil
}

func (t *translator) peek(off int) byte {
	if t.pos+off < len(t.src) {
		return t.src[t.pos+off]
	}
	return 0
}

func (t *translator) openFold() {
	if !t.foldOpen {
		t.out = append(t.out, "(?i:"...)
		t.foldOpen = true
	}
}

func (t *translator) closeFold() {
	if t.foldOpen {
		t.out = append(t.out, ')')
		t.foldOpen = false
	}
}

// disjunction parses Alternative ('|' Alternative)*, up to ')' or the end.
// With ne, only its non-empty matches are kept (see term).
func (t *translator) disjunction(ne bool) (info, error) {
	if t.trackPath {
		t.path = append(t.path, altRef{disj: t.nextDisj})
		t.nextDisj++
	}
	total := info{alwaysEmpty: true}
	n := 0
	for {
		inf, err := t.alternative(ne)
		if err != nil {
			return info{}, err
		}
		total.size = satAdd(total.size, inf.size)
		total.rep = max(total.rep, inf.rep)
		total.nullable = total.nullable || inf.nullable
		total.alwaysEmpty = total.alwaysEmpty && inf.alwaysEmpty
		total.hasCapture = total.hasCapture || inf.hasCapture
		total.optCapture = total.optCapture || inf.optCapture
		n++
		if t.pos < len(t.src) && t.src[t.pos] == '|' {
			t.closeFold()
			t.out = append(t.out, '|')
			t.pos++
			if t.trackPath {
				t.path[len(t.path)-1].alt++
			}
			continue
		}
		break
	}
	if t.trackPath {
		t.path = t.path[:len(t.path)-1]
	}
	if n > 1 && total.hasCapture {
		total.optCapture = true // a capture in one alternative is skipped by the others
	}
	total.size = satAdd(total.size, int64(n-1))
	return total, nil
}

// termRecord locates a translated term, so that it can be translated again.
type termRecord struct {
	srcStart, srcEnd int
	outStart, outEnd int
	foldOpen         bool
	inf              info
}

// alternative parses Term*. With ne, only its non-empty matches are kept:
// when every term can match the empty string, the one term that can also
// match something else is translated again in non-empty form (two or more
// such terms cannot be restricted without duplicating them).
func (t *translator) alternative(ne bool) (info, error) {
	altStart := t.pos
	total := info{nullable: true, alwaysEmpty: true}
	var terms []termRecord
	for t.pos < len(t.src) {
		if c := t.src[t.pos]; c == '|' || c == ')' {
			break
		}
		if !t.ignoreCase {
			if r, n := t.plainLiteral(); n > 0 {
				// Fast path for the common unquantified literal.
				t.out = appendLiteral(t.out, r)
				t.pos += n
				total.size = satAdd(total.size, 1)
				total.nullable, total.alwaysEmpty = false, false
				continue
			}
		}
		rec := termRecord{srcStart: t.pos, outStart: len(t.out), foldOpen: t.foldOpen}
		inf, err := t.term(false)
		if err != nil {
			return info{}, err
		}
		total.size = satAdd(total.size, inf.size)
		total.rep = max(total.rep, inf.rep)
		total.nullable = total.nullable && inf.nullable
		total.alwaysEmpty = total.alwaysEmpty && inf.alwaysEmpty
		total.hasCapture = total.hasCapture || inf.hasCapture
		total.optCapture = total.optCapture || inf.optCapture
		if len(t.out) > maxOutputLen {
			return info{}, t.errUnsupported(t.pos, "translated pattern longer than %d bytes", maxOutputLen)
		}
		if ne {
			rec.srcEnd, rec.outEnd, rec.inf = t.pos, len(t.out), inf
			terms = append(terms, rec)
		}
	}
	total.size = max(total.size, 1)
	if !ne || !total.nullable {
		return total, nil
	}
	k := -1
	for i, rec := range terms {
		if rec.inf.alwaysEmpty {
			continue
		}
		if k >= 0 {
			return info{}, t.errUnsupported(altStart, "repeated group whose body can match the empty string in several parts (ECMAScript refuses empty iterations; RE2 cannot express that here)")
		}
		k = i
	}
	total.nullable, total.alwaysEmpty = false, false
	if k < 0 {
		// Only the empty string: no non-empty match at all.
		t.closeFold()
		t.out = append(t.out, emptyClass...)
		return total, nil
	}
	rec := terms[k]
	end, endFold := t.pos, t.foldOpen
	suffix := slices.Clone(t.out[rec.outEnd:])
	t.out, t.pos, t.foldOpen = t.out[:rec.outStart], rec.srcStart, rec.foldOpen
	t.reparse++
	_, err := t.term(true)
	t.reparse--
	if err != nil {
		return info{}, err
	}
	t.out = append(t.out, suffix...)
	t.pos, t.foldOpen = end, endFold
	return total, nil
}

// plainLiteral reports the ASCII pattern character or escaped syntax
// character at t.pos, and its length, when no quantifier follows it;
// otherwise it returns 0, 0.
func (t *translator) plainLiteral() (rune, int) {
	c := t.src[t.pos]
	n := 1
	switch {
	case c >= utf8.RuneSelf:
		return 0, 0
	case c == '\\':
		e := t.peek(1)
		if e == 0 || strings.IndexByte(`^$\.*+?()[]{}|/`, e) < 0 {
			return 0, 0
		}
		c, n = e, 2
	case strings.IndexByte(`^$\.*+?()[]{}|`, c) >= 0:
		return 0, 0
	}
	switch t.peek(n) {
	case '*', '+', '?', '{':
		return 0, 0
	}
	return rune(c), n
}

// atomKind says what an atom is before it is written out.
type atomKind int

const (
	atomWritten atomKind = iota // already in t.out (groups)
	atomLiteral                 // a single code point
	atomSet                     // a class, escape or '.'
)

type atom struct {
	kind   atomKind
	r      rune
	set    classSet
	goName string // for atomSet from \p or \P: RE2 property name, if usable
	goNeg  bool
	inf    info
}

// term parses an assertion, or an atom with an optional quantifier.
//
// ECMAScript refuses an empty iteration beyond a quantifier's minimum
// (RepeatMatcher fails when an optional iteration ends where it started),
// while RE2 may take one. So when a quantified atom can match the empty
// string, its optional iterations are translated in non-empty form: X* as
// (?:X')* and X{n,m} as X{n}(?:X'){0,m-n}, where X' keeps the non-empty
// matches of X in the same order of preference. ECMAScript also resets the
// captures inside a quantified atom at every iteration; RE2 keeps the last
// value, which only differs when a capture can sit out an iteration, so that
// case is rejected. With ne, the term itself is translated in non-empty form.
func (t *translator) term(ne bool) (info, error) {
	start := t.pos
	switch c := t.src[t.pos]; c {
	case '^', '$':
		if t.multiline {
			return info{}, t.errUnsupported(start, "%c with the m modifier is not supported (RE2 only knows \\n as a line break)", c)
		}
		t.pos++
		t.closeFold()
		t.out = append(t.out, c)
		return info{size: 1, nullable: true, alwaysEmpty: true}, t.noQuantifier(start)
	case '\\':
		if b := t.peek(1); b == 'b' || b == 'B' {
			if t.ignoreCase {
				return info{}, t.errUnsupported(start, "\\%c with ignoreCase is not supported (ECMAScript then counts U+017F and U+212A as word characters, RE2 does not)", b)
			}
			t.pos += 2
			t.closeFold()
			t.out = append(t.out, '\\', b)
			return info{size: 1, nullable: true, alwaysEmpty: true}, t.noQuantifier(start)
		}
	case '(':
		if err := t.checkLookaround(); err != nil {
			return info{}, err
		}
		t.closeFold()
	}

	atomOut := len(t.out)
	a, err := t.atom(false)
	if err != nil {
		return info{}, err
	}
	atomEnd := t.pos
	q, hasQ, err := t.quantifier()
	if err != nil {
		return info{}, err
	}
	if a.kind == atomLiteral && !hasQ {
		// Case-insensitive literals are gathered into one "(?i:...)" run;
		// RE2's (?i) folds with the same orbits (unicode.SimpleFold).
		// Literals without case variants may join an open run.
		if t.ignoreCase && hasFold(a.r) {
			t.openFold()
		}
		t.out = appendLiteral(t.out, a.r)
		return info{size: 1}, nil
	}
	if a.kind == atomSet {
		a.inf = info{nullable: slices.Contains(a.set.strs, "")}
		a.inf.alwaysEmpty = a.inf.nullable && len(a.set.strs) == 1 && len(a.set.runes) == 0
	}
	inf := a.inf
	if hasQ && (q.max < 0 || q.max > 1) && inf.optCapture {
		return info{}, t.errUnsupported(start, "capture group that may sit out an iteration of a repeated group (ECMAScript resets it at every iteration, RE2 keeps the last value)")
	}
	optional := hasQ && q.max != q.min
	emptyLoop := optional && inf.nullable && !inf.alwaysEmpty
	atomNE := inf.nullable && !inf.alwaysEmpty && (ne || emptyLoop && q.min == 0)
	if atomNE {
		emptyLoop = false // the atom is written in non-empty form
	}
	if ne {
		// The caller ensured the term can match something non-empty.
		if hasQ && q.min > 0 && inf.nullable {
			return info{}, t.errUnsupported(start, "repeated group whose body can match the empty string in several parts (ECMAScript refuses empty iterations; RE2 cannot express that here)")
		}
		if hasQ && q.min == 0 {
			// The only empty match is zero iterations: require one.
			q.min = 1
			if q.op == '*' {
				q.op = '+'
			} else {
				q.op = '{'
			}
		}
	}
	if emptyLoop && q.min > 0 && inf.hasCapture {
		return info{}, t.errUnsupported(start, "repeated group that can match the empty string and contains captures (ECMAScript refuses empty iterations beyond the minimum; RE2 cannot express that)")
	}

	t.closeFold()
	if atomNE {
		if a.kind == atomWritten {
			// Translate the group again, keeping only non-empty matches.
			qEnd := t.pos
			t.out, t.pos = t.out[:atomOut], start
			t.reparse++
			_, err := t.atom(true)
			t.reparse--
			if err != nil {
				return info{}, err
			}
			if t.pos != atomEnd {
				return info{}, t.errSyntax(start, "internal error: group translated twice differently")
			}
			t.pos = qEnd
		} else {
			a.set.strs = slices.DeleteFunc(slices.Clone(a.set.strs), func(s string) bool { return s == "" })
		}
	}
	t.emitAtom(&a)
	inf.size = a.inf.size
	if ne {
		inf.nullable = false
	}
	if !hasQ {
		return inf, nil
	}
	switch {
	case inf.alwaysEmpty && optional:
		// Every optional iteration would be empty: only the minimum counts.
		q = quant{op: '{', min: q.min, max: q.min}
	case emptyLoop && q.min > 0:
		// X{n,m} = X{n}(?:X'){0,m-n}, X without captures.
		rest := quant{op: '*', min: 0, max: -1, lazy: q.lazy}
		if q.max >= 0 {
			rest = quant{op: '{', min: 0, max: q.max - q.min, lazy: q.lazy}
		}
		first, err := t.applyQuantifier(start, inf, quant{op: '{', min: q.min, max: q.min})
		if err != nil {
			return info{}, err
		}
		t.out = append(t.out, "(?:"...)
		if a.kind == atomWritten {
			qEnd := t.pos
			t.pos = start
			t.reparse++
			_, err := t.atom(true)
			t.reparse--
			if err != nil {
				return info{}, err
			}
			t.pos = qEnd
		} else {
			a.set.strs = slices.DeleteFunc(slices.Clone(a.set.strs), func(s string) bool { return s == "" })
			t.emitAtom(&a)
		}
		t.out = append(t.out, ')')
		second, err := t.applyQuantifier(start, inf, rest)
		if err != nil {
			return info{}, err
		}
		out := first
		out.size = satAdd(first.size, second.size)
		out.rep = max(first.rep, second.rep)
		out.nullable = inf.nullable
		out.hasCapture = inf.hasCapture
		return out, nil
	}
	out, err := t.applyQuantifier(start, inf, q)
	if err != nil {
		return info{}, err
	}
	out.nullable = inf.nullable || q.min == 0
	out.alwaysEmpty = inf.alwaysEmpty || q.max == 0
	out.hasCapture = inf.hasCapture
	out.optCapture = inf.optCapture || inf.hasCapture && q.min == 0
	return out, nil
}

// emitAtom writes an atom that has not been written yet and sets its size.
func (t *translator) emitAtom(a *atom) {
	switch a.kind {
	case atomLiteral:
		if t.ignoreCase && hasFold(a.r) {
			var buf [8]rune
			var s runeSet
			for _, o := range orbit(a.r, buf[:0]) {
				s = append(s, rng{o, o})
			}
			t.emitRunes(s.normalize())
		} else {
			t.out = appendLiteral(t.out, a.r)
		}
		a.inf.size = 1
	case atomSet:
		if a.goName != "" && !t.ignoreCase {
			if a.goNeg {
				t.out = append(t.out, `\P{`...)
			} else {
				t.out = append(t.out, `\p{`...)
			}
			t.out = append(t.out, a.goName...)
			t.out = append(t.out, '}')
			a.inf.size = 1
			return
		}
		a.inf.size = t.emitClassSet(a.set).size
	}
}

func (t *translator) checkLookaround() error {
	rest := t.src[t.pos:]
	switch {
	case strings.HasPrefix(rest, "(?="):
		return t.errUnsupported(t.pos, "lookahead (?=...) is not supported")
	case strings.HasPrefix(rest, "(?!"):
		return t.errUnsupported(t.pos, "negative lookahead (?!...) is not supported")
	case strings.HasPrefix(rest, "(?<="):
		return t.errUnsupported(t.pos, "lookbehind (?<=...) is not supported")
	case strings.HasPrefix(rest, "(?<!"):
		return t.errUnsupported(t.pos, "negative lookbehind (?<!...) is not supported")
	}
	return nil
}

// noQuantifier rejects a quantifier after an assertion.
func (t *translator) noQuantifier(start int) error {
	switch t.peek(0) {
	case '*', '+', '?', '{':
		return t.errSyntax(t.pos, "nothing to repeat (%s cannot be quantified)", t.src[start:t.pos])
	}
	return nil
}

// atom parses one Atom.
func (t *translator) atom(ne bool) (atom, error) {
	start := t.pos
	c := t.src[t.pos]
	switch c {
	case '.':
		t.pos++
		if t.dotAll {
			return atom{kind: atomSet, set: classSet{runes: runeSet{{0, maxRune}}}}, nil
		}
		return atom{kind: atomSet, set: classSet{runes: dotSet}}, nil
	case '(':
		// Groups that can match the empty string may be translated again
		// (see term); remembering every such translation keeps nested
		// ones from being redone at each level.
		key := groupKey{pos: t.pos, ne: ne, i: t.ignoreCase, s: t.dotAll, m: t.multiline}
		if r, ok := t.groups[key]; ok {
			t.out = append(t.out, r.out...)
			t.pos = r.end
			return atom{kind: atomWritten, inf: r.inf}, nil
		}
		outStart := len(t.out)
		inf, err := t.group(ne)
		if err == nil && (ne || inf.nullable) {
			if t.groups == nil {
				t.groups = make(map[groupKey]groupResult)
			}
			t.groups[key] = groupResult{out: string(t.out[outStart:]), end: t.pos, inf: inf}
		}
		return atom{kind: atomWritten, inf: inf}, err
	case '[':
		set, _, err := t.class()
		return atom{kind: atomSet, set: set}, err
	case '\\':
		return t.atomEscape()
	case '*', '+', '?':
		return atom{}, t.errSyntax(start, "nothing to repeat before '%c'", c)
	case '{':
		return atom{}, t.errSyntax(start, "lone '{' (escape it as \\{)")
	case '}':
		return atom{}, t.errSyntax(start, "lone '}' (escape it as \\})")
	case ']':
		return atom{}, t.errSyntax(start, "lone ']' (escape it as \\])")
	}
	r, n := utf8.DecodeRuneInString(t.src[t.pos:])
	t.pos += n
	return atom{kind: atomLiteral, r: r}, nil
}

type quant struct {
	op       byte // '*', '+', '?' or '{'
	min, max int  // max < 0: unbounded
	lazy     bool
}

// quantifier parses an optional Quantifier.
func (t *translator) quantifier() (quant, bool, error) {
	if t.pos >= len(t.src) {
		return quant{}, false, nil
	}
	start := t.pos
	var q quant
	switch c := t.src[t.pos]; c {
	case '*':
		q = quant{op: c, min: 0, max: -1}
		t.pos++
	case '+':
		q = quant{op: c, min: 1, max: -1}
		t.pos++
	case '?':
		q = quant{op: c, min: 0, max: 1}
		t.pos++
	case '{':
		t.pos++
		lo, ok := t.decimal()
		if !ok {
			return quant{}, false, t.errSyntax(start, "incomplete quantifier (a lone '{' must be escaped as \\{)")
		}
		hi := lo
		if t.peek(0) == ',' {
			t.pos++
			hi = -1
			if t.peek(0) != '}' {
				if hi, ok = t.decimal(); !ok {
					return quant{}, false, t.errSyntax(start, "incomplete quantifier")
				}
			}
		}
		if t.peek(0) != '}' {
			return quant{}, false, t.errSyntax(start, "incomplete quantifier")
		}
		t.pos++
		if hi >= 0 && lo > hi {
			return quant{}, false, t.errSyntax(start, "numbers out of order in {} quantifier")
		}
		if lo > maxRepeat || hi > maxRepeat {
			return quant{}, false, t.errUnsupported(start, "repeat count %s exceeds RE2's limit of %d", t.src[start:t.pos], maxRepeat)
		}
		q = quant{op: '{', min: lo, max: hi}
	default:
		return quant{}, false, nil
	}
	if t.peek(0) == '?' {
		q.lazy = true
		t.pos++
	}
	return q, true, nil
}

// decimal parses DecimalDigits, saturating large values.
func (t *translator) decimal() (int, bool) {
	start := t.pos
	n := 0
	for t.pos < len(t.src) && t.src[t.pos] >= '0' && t.src[t.pos] <= '9' {
		n = min(n*10+int(t.src[t.pos]-'0'), 1<<30)
		t.pos++
	}
	return n, t.pos > start
}

// applyQuantifier writes q after the atom just written and accounts for it
// as regexp/syntax will.
func (t *translator) applyQuantifier(start int, sub info, q quant) (info, error) {
	if q.op == '{' && q.min == 1 && q.max == 1 {
		return sub, nil // X{1} is X
	}
	var inf info
	switch q.op {
	case '*':
		t.out = append(t.out, '*')
		inf = info{size: satAdd(sub.size, 2), rep: sub.rep}
	case '+', '?':
		t.out = append(t.out, q.op)
		inf = info{size: satAdd(sub.size, 1), rep: sub.rep}
	case '{':
		t.out = append(t.out, '{')
		t.out = strconv.AppendInt(t.out, int64(q.min), 10)
		if q.max != q.min {
			t.out = append(t.out, ',')
			if q.max >= 0 {
				t.out = strconv.AppendInt(t.out, int64(q.max), 10)
			}
		}
		t.out = append(t.out, '}')
		lo, hi := int64(q.min), int64(q.max)
		switch {
		case hi < 0 && lo == 0:
			inf.size = satAdd(sub.size, 2)
		case hi < 0:
			inf.size = satAdd(satMul(lo, sub.size), 1)
		default:
			inf.size = satAdd(satMul(hi, sub.size), hi-lo)
		}
		inf.size = max(inf.size, 1)
		m := hi
		if m < 0 {
			m = lo
		}
		switch {
		case hi == 0:
			inf.rep = 0
		case m == 0:
			inf.rep = sub.rep
		default:
			inf.rep = satMul(m, max(1, sub.rep))
		}
		if (lo >= 2 || hi >= 2) && inf.rep > maxRepeat {
			return info{}, t.errUnsupported(start, "nested repeat counts multiply to more than RE2's limit of %d", maxRepeat)
		}
	}
	if q.lazy {
		t.out = append(t.out, '?')
	}
	return inf, nil
}

// group parses '(' ... ')' in all its forms except lookarounds.
func (t *translator) group(ne bool) (info, error) {
	start := t.pos
	if t.depth++; t.depth > maxDepth {
		return info{}, t.errUnsupported(start, "groups and classes nested more than %d deep", maxDepth)
	}
	defer func() { t.depth-- }()
	t.closeFold()
	t.pos++ // '('
	capture := true
	savedI, savedM, savedS := t.ignoreCase, t.multiline, t.dotAll
	if t.peek(0) == '?' {
		switch t.peek(1) {
		case '<':
			t.pos += 2
			name, err := t.groupName(start)
			if err != nil {
				return info{}, err
			}
			if isGoName(name) {
				t.out = append(t.out, "(?P<"...)
				t.out = append(t.out, name...)
				t.out = append(t.out, '>')
			} else {
				t.out = append(t.out, '(')
			}
		case 'P':
			return info{}, t.errSyntax(start, "(?P<name>...) is not ECMAScript syntax (use (?<name>...))")
		default:
			if err := t.modifiers(start); err != nil {
				return info{}, err
			}
			capture = false
			t.out = append(t.out, "(?:"...)
		}
	} else {
		t.out = append(t.out, '(')
	}
	inf, err := t.disjunction(ne)
	if err != nil {
		return info{}, err
	}
	if t.pos >= len(t.src) {
		return info{}, t.errSyntax(start, "unterminated group")
	}
	t.pos++ // ')'
	t.closeFold()
	t.out = append(t.out, ')')
	t.ignoreCase, t.multiline, t.dotAll = savedI, savedM, savedS
	if capture {
		inf.size = satAdd(inf.size, 2)
		inf.hasCapture = true
	}
	return inf, nil
}

// modifiers parses "?ims-ims:" (either side optional; "?:" is the plain
// non-capturing group) after '(' and applies the flags.
func (t *translator) modifiers(start int) error {
	t.pos++ // '?'
	var seen [2]string
	side := 0
	for {
		if t.pos >= len(t.src) {
			return t.errSyntax(start, "unterminated group")
		}
		c := t.src[t.pos]
		switch {
		case c == 'i' || c == 'm' || c == 's':
			if strings.IndexByte(seen[0], c) >= 0 || strings.IndexByte(seen[1], c) >= 0 {
				return t.errSyntax(t.pos, "repeated flag '%c' in modifiers group", c)
			}
			seen[side] += string(c)
			t.pos++
			continue
		case c == '-' && side == 0:
			side = 1
			t.pos++
			continue
		case c == ':':
			if side == 1 && seen[0] == "" && seen[1] == "" {
				return t.errSyntax(start, "empty modifiers group (?-:...)")
			}
			t.pos++
		case c == ')':
			return t.errSyntax(start, "invalid group: inline flags like (?i) are not ECMAScript syntax (use (?i:...))")
		default:
			return t.errSyntax(start, "invalid group")
		}
		break
	}
	for _, c := range seen[1] {
		t.setFlag(c, false)
	}
	for _, c := range seen[0] {
		t.setFlag(c, true)
	}
	return nil
}

func (t *translator) setFlag(c rune, on bool) {
	switch c {
	case 'i':
		t.ignoreCase = on
	case 'm':
		t.multiline = on
	case 's':
		t.dotAll = on
	}
}

// groupName parses RegExpIdentifierName '>' and records it.
func (t *translator) groupName(start int) (string, error) {
	var b strings.Builder
	first := true
	for {
		if t.pos >= len(t.src) {
			return "", t.errSyntax(start, "unterminated group name")
		}
		off := t.pos
		var r rune
		switch c := t.src[t.pos]; {
		case c == '>':
			if first {
				return "", t.errSyntax(off, "empty group name")
			}
			t.pos++
			name := b.String()
			if err := t.recordName(start, name); err != nil {
				return "", err
			}
			return name, nil
		case c == '\\':
			if t.peek(1) != 'u' {
				return "", t.errSyntax(off, "invalid escape in group name")
			}
			var err error
			if r, err = t.unicodeEscape(); err != nil {
				return "", err
			}
		default:
			var n int
			r, n = utf8.DecodeRuneInString(t.src[t.pos:])
			t.pos += n
		}
		if first && !isIDStart(r) || !first && !isIDPart(r) {
			return "", t.errSyntax(off, "invalid character %q in group name", r)
		}
		first = false
		b.WriteRune(r)
	}
}

// recordName enforces the duplicate-name rule: two groups may share a name
// only if they sit in different alternatives of some disjunction.
func (t *translator) recordName(off int, name string) error {
	if t.reparse > 0 {
		return nil // already recorded on the first pass
	}
	for _, g := range t.names {
		if g.name != name {
			continue
		}
		exclusive := false
		for i := 0; i < len(g.path) && i < len(t.path) && g.path[i].disj == t.path[i].disj; i++ {
			if g.path[i].alt != t.path[i].alt {
				exclusive = true
				break
			}
		}
		if !exclusive {
			return t.errSyntax(off, "duplicate capture group name %q", name)
		}
	}
	t.names = append(t.names, namedGroup{name: name, path: slices.Clone(t.path)})
	return nil
}

// isGoName reports whether RE2 accepts name as a group name.
func isGoName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c != '_' && !isAlnum(c) {
			return false
		}
	}
	return name != ""
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) rune {
	switch {
	case c >= 'a':
		return rune(c-'a') + 10
	case c >= 'A':
		return rune(c-'A') + 10
	}
	return rune(c - '0')
}

// atomEscape parses '\' AtomEscape outside classes (\b and \B are handled
// by term).
func (t *translator) atomEscape() (atom, error) {
	start := t.pos
	if t.pos+1 >= len(t.src) {
		return atom{}, t.errSyntax(start, "\\ at end of pattern")
	}
	switch c := t.src[t.pos+1]; c {
	case 'd', 'D', 's', 'S', 'w', 'W':
		t.pos += 2
		return atom{kind: atomSet, set: classSet{runes: t.classEscape(c)}}, nil
	case 'p', 'P':
		p, err := t.property()
		if err != nil {
			return atom{}, err
		}
		set := p.set
		if t.ignoreCase {
			set = closeFold(set)
		}
		if c == 'P' {
			set = complement(set)
		}
		return atom{kind: atomSet, set: classSet{runes: set}, goName: p.goName, goNeg: c == 'P'}, nil
	case 'k':
		end := strings.IndexByte(t.src[t.pos:], '>')
		if t.peek(2) != '<' || end < 0 {
			return atom{}, t.errSyntax(start, "invalid named reference \\k")
		}
		name := t.src[t.pos+3 : t.pos+end]
		if !strings.Contains(t.src, "(?<"+name+">") {
			return atom{}, t.errSyntax(start, "backreference \\k<%s> to a group that does not exist", name)
		}
		return atom{}, t.errUnsupported(start, "backreference \\k<%s> is not supported", name)
	case '1', '2', '3', '4', '5', '6', '7', '8', '9':
		t.pos++
		n, _ := t.decimal()
		if n > countGroups(t.src) {
			return atom{}, t.errSyntax(start, "backreference \\%d to a group that does not exist", n)
		}
		return atom{}, t.errUnsupported(start, "backreference \\%d is not supported", n)
	}
	r, err := t.characterEscape(false)
	if err != nil {
		return atom{}, err
	}
	return atom{kind: atomLiteral, r: r}, nil
}

// characterEscape parses '\' CharacterEscape (inside a class also
// '\' ClassSetReservedPunctuator) and returns the code point.
func (t *translator) characterEscape(inClass bool) (rune, error) {
	start := t.pos
	if t.pos+1 >= len(t.src) {
		return 0, t.errSyntax(start, "\\ at end of pattern")
	}
	c := t.src[t.pos+1]
	switch c {
	case 't':
		t.pos += 2
		return '\t', nil
	case 'n':
		t.pos += 2
		return '\n', nil
	case 'v':
		t.pos += 2
		return '\v', nil
	case 'f':
		t.pos += 2
		return '\f', nil
	case 'r':
		t.pos += 2
		return '\r', nil
	case 'c':
		if l := t.peek(2); l >= 'a' && l <= 'z' || l >= 'A' && l <= 'Z' {
			t.pos += 3
			return rune(l % 32), nil
		}
		return 0, t.errSyntax(start, "invalid \\c escape (must be followed by an ASCII letter)")
	case '0':
		if d := t.peek(2); d >= '0' && d <= '9' {
			return 0, t.errSyntax(start, "octal escapes are not allowed")
		}
		t.pos += 2
		return 0, nil
	case 'x':
		if isHex(t.peek(2)) && isHex(t.peek(3)) {
			r := hexVal(t.peek(2))<<4 | hexVal(t.peek(3))
			t.pos += 4
			return r, nil
		}
		return 0, t.errSyntax(start, "invalid \\x escape (needs two hex digits)")
	case 'u':
		return t.unicodeEscape()
	case '^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/':
		t.pos += 2
		return rune(c), nil
	case '&', '-', '!', '#', '%', ',', ':', ';', '<', '=', '>', '@', '`', '~':
		if inClass {
			t.pos += 2
			return rune(c), nil
		}
	case 'b', 'B', 'd', 'D', 's', 'S', 'w', 'W', 'p', 'P', 'k', 'q':
		// Not a character here: \B, \q outside a class, and so on.
		return 0, t.errSyntax(start, "invalid escape \\%c here", c)
	}
	switch c {
	case 'Q', 'E':
		return 0, t.errSyntax(start, "invalid escape \\%c (\\Q...\\E quoting is not ECMAScript syntax)", c)
	case 'A', 'z', 'Z':
		return 0, t.errSyntax(start, "invalid escape \\%c (not ECMAScript syntax; use ^ or $)", c)
	case '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return 0, t.errSyntax(start, "invalid escape \\%c in a character class", c)
	}
	r, _ := utf8.DecodeRuneInString(t.src[t.pos+1:])
	return 0, t.errSyntax(start, "invalid escape \\%c (in v mode only syntax characters and / may be escaped)", r)
}

// unicodeEscape parses \uXXXX, \uXXXX\uXXXX (a surrogate pair) or \u{X...}.
func (t *translator) unicodeEscape() (rune, error) {
	start := t.pos
	if t.peek(2) == '{' {
		p := t.pos + 3
		var r rune
		for p < len(t.src) && isHex(t.src[p]) {
			if r <= maxRune {
				r = r<<4 | hexVal(t.src[p])
			}
			p++
		}
		if p == t.pos+3 || p >= len(t.src) || t.src[p] != '}' {
			return 0, t.errSyntax(start, "invalid \\u{...} escape")
		}
		if r > maxRune {
			return 0, t.errSyntax(start, "\\u{...} escape beyond U+10FFFF")
		}
		t.pos = p + 1
		return r, nil
	}
	r, ok := t.hex4(t.pos + 2)
	if !ok {
		return 0, t.errSyntax(start, "invalid \\u escape (needs four hex digits or {...})")
	}
	t.pos += 6
	if r >= 0xD800 && r <= 0xDBFF && t.peek(0) == '\\' && t.peek(1) == 'u' {
		if lo, ok := t.hex4(t.pos + 2); ok && lo >= 0xDC00 && lo <= 0xDFFF {
			t.pos += 6
			return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), nil
		}
	}
	return r, nil
}

func (t *translator) hex4(p int) (rune, bool) {
	if p+4 > len(t.src) {
		return 0, false
	}
	var r rune
	for i := p; i < p+4; i++ {
		if !isHex(t.src[i]) {
			return 0, false
		}
		r = r<<4 | hexVal(t.src[i])
	}
	return r, true
}

// property parses \p{...} or \P{...}.
func (t *translator) property() (property, error) {
	start := t.pos
	if t.peek(2) != '{' {
		return property{}, t.errSyntax(start, "\\%c must be followed by {...} (\\pL is not ECMAScript syntax)", t.peek(1))
	}
	end := strings.IndexByte(t.src[t.pos+3:], '}')
	if end < 0 {
		return property{}, t.errSyntax(start, "unterminated \\%c{...}", t.peek(1))
	}
	expr := t.src[t.pos+3 : t.pos+3+end]
	p, perr := lookupProperty(expr)
	if perr != nil {
		if perr.unsupported {
			return property{}, t.errUnsupported(start, "%s", perr.msg)
		}
		return property{}, t.errSyntax(start, "%s", perr.msg)
	}
	t.pos += 3 + end + 1
	return p, nil
}

var (
	dotSet       = complement(runeSet{{'\n', '\n'}, {'\r', '\r'}, {0x2028, 0x2029}})
	digitSet     = runeSet{{'0', '9'}}
	wordSet      = runeSet{{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}
	wordFoldSet  = runeSet{{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}, {0x17F, 0x17F}, {0x212A, 0x212A}}
	spaceSet     = makeSpaceSet()
	surrogateSet = runeSet{{0xD800, 0xDFFF}}
)

// makeSpaceSet returns ECMAScript's WhiteSpace and LineTerminator code
// points: TAB, VT, FF, ZWNBSP, every Zs, LF, CR, LS and PS.
func makeSpaceSet() runeSet {
	s := runeSet{{'\t', '\r'}, {0xFEFF, 0xFEFF}, {0x2028, 0x2029}}
	return union(s, table("Zs"))
}

// classEscape returns the set for \d \D \s \S \w \W under the current flags.
func (t *translator) classEscape(c byte) runeSet {
	switch c {
	case 'd':
		return digitSet
	case 'D':
		return complement(digitSet)
	case 's':
		return spaceSet
	case 'S':
		return complement(spaceSet)
	case 'w', 'W':
		w := wordSet
		if t.ignoreCase {
			w = wordFoldSet
		}
		if c == 'W' {
			return complement(w)
		}
		return w
	}
	return nil
}

// class parses a CharacterClass or NestedClass starting at '['. It returns
// the set (fold-closed under ignoreCase) and MayContainStrings.
func (t *translator) class() (classSet, bool, error) {
	start := t.pos
	if t.depth++; t.depth > maxDepth {
		return classSet{}, false, t.errUnsupported(start, "groups and classes nested more than %d deep", maxDepth)
	}
	defer func() { t.depth-- }()
	t.pos++ // '['
	negate := false
	if t.peek(0) == '^' {
		negate = true
		t.pos++
	}
	set, may, err := t.classContents(start)
	if err != nil {
		return classSet{}, false, err
	}
	t.pos++ // ']'
	if negate {
		if may {
			return classSet{}, false, t.errSyntax(start, "negated character class may contain strings")
		}
		return classSet{runes: complement(set.runes)}, false, nil
	}
	return set, may, nil
}

// classContents parses a ClassSetExpression up to (not including) ']'.
func (t *translator) classContents(start int) (classSet, bool, error) {
	if t.pos >= len(t.src) {
		return classSet{}, false, t.errSyntax(start, "unterminated character class")
	}
	if t.src[t.pos] == ']' {
		return classSet{}, false, nil
	}
	first, may, isRange, err := t.classOperand(start, true)
	if err != nil {
		return classSet{}, false, err
	}
	rest := t.src[t.pos:]
	if op := setOperator(rest); op != "" {
		if isRange {
			return classSet{}, false, t.errSyntax(t.pos, "a range cannot be an operand of %s (wrap it in [...])", op)
		}
		acc := first
		for {
			opOff := t.pos
			if t.pos >= len(t.src) {
				return classSet{}, false, t.errSyntax(start, "unterminated character class")
			}
			if t.src[t.pos] == ']' {
				return acc, may, nil
			}
			if !strings.HasPrefix(t.src[t.pos:], op) {
				return classSet{}, false, t.errSyntax(opOff, "expected %s or ']' (set operations cannot be mixed; use nested classes)", op)
			}
			t.pos += 2
			if op == "&&" && t.peek(0) == '&' {
				return classSet{}, false, t.errSyntax(t.pos, "unexpected '&' after &&")
			}
			operand, opMay, _, err := t.classOperand(start, false)
			if err != nil {
				return classSet{}, false, err
			}
			if op == "&&" {
				acc = acc.intersect(operand)
				may = may && opMay
			} else {
				acc = acc.subtract(operand)
			}
		}
	}
	// ClassUnion: gather everything, normalise once.
	acc := first
	cloned := false
	for {
		if t.pos >= len(t.src) {
			return classSet{}, false, t.errSyntax(start, "unterminated character class")
		}
		if t.src[t.pos] == ']' {
			break
		}
		if op := setOperator(t.src[t.pos:]); op != "" {
			return classSet{}, false, t.errSyntax(t.pos, "%s cannot follow a union in a class (use nested classes)", op)
		}
		operand, opMay, _, err := t.classOperand(start, true)
		if err != nil {
			return classSet{}, false, err
		}
		if !cloned {
			acc.runes = slices.Clone(acc.runes)
			acc.strs = slices.Clone(acc.strs)
			cloned = true
		}
		acc.runes = append(acc.runes, operand.runes...)
		acc.strs = append(acc.strs, operand.strs...)
		may = may || opMay
	}
	if cloned {
		acc.runes = acc.runes.normalize()
		slices.Sort(acc.strs)
		acc.strs = slices.Compact(acc.strs)
	}
	return acc, may, nil
}

func setOperator(s string) string {
	if strings.HasPrefix(s, "&&") {
		return "&&"
	}
	if strings.HasPrefix(s, "--") {
		return "--"
	}
	return ""
}

// classOperand parses a ClassSetOperand, or a ClassSetRange when allowed.
func (t *translator) classOperand(start int, allowRange bool) (classSet, bool, bool, error) {
	if t.pos >= len(t.src) {
		return classSet{}, false, false, t.errSyntax(start, "unterminated character class")
	}
	switch t.src[t.pos] {
	case '[':
		set, may, err := t.class()
		return set, may, false, err
	case '\\':
		switch c := t.peek(1); c {
		case 'q':
			set, may, err := t.classStrings()
			return set, may, false, err
		case 'd', 'D', 's', 'S', 'w', 'W':
			t.pos += 2
			return classSet{runes: t.classEscape(c)}, false, false, nil
		case 'p', 'P':
			p, err := t.property()
			if err != nil {
				return classSet{}, false, false, err
			}
			set := p.set
			if t.ignoreCase {
				set = closeFold(set)
			}
			if c == 'P' {
				set = complement(set)
			}
			return classSet{runes: set}, false, false, nil
		}
	}
	lo, err := t.classChar(start)
	if err != nil {
		return classSet{}, false, false, err
	}
	hi := lo
	if allowRange && t.peek(0) == '-' && t.peek(1) != '-' {
		dash := t.pos
		t.pos++
		if t.peek(0) == ']' {
			return classSet{}, false, false, t.errSyntax(dash, "'-' must be escaped in a character class")
		}
		if hi, err = t.classChar(start); err != nil {
			return classSet{}, false, false, err
		}
		if lo > hi {
			return classSet{}, false, false, t.errSyntax(dash, "range out of order in character class")
		}
	}
	set := runeSet{{lo, hi}}
	if t.ignoreCase {
		set = closeFold(set)
	}
	return classSet{runes: set}, false, lo != hi, nil
}

// classChar parses a ClassSetCharacter.
func (t *translator) classChar(start int) (rune, error) {
	off := t.pos
	if off >= len(t.src) {
		return 0, t.errSyntax(start, "unterminated character class")
	}
	c := t.src[t.pos]
	if c == '\\' {
		if t.peek(1) == 'b' {
			t.pos += 2
			return '\b', nil
		}
		return t.characterEscape(true)
	}
	switch c {
	case '(', ')', '[', ']', '{', '}', '/', '-', '|':
		return 0, t.errSyntax(off, "'%c' must be escaped in a character class", c)
	case '&', '!', '#', '$', '%', '*', '+', ',', '.', ':', ';', '<', '=', '>', '?', '@', '^', '`', '~':
		if t.peek(1) == c {
			return 0, t.errSyntax(off, "reserved double punctuator %c%c in a character class", c, c)
		}
	}
	r, n := utf8.DecodeRuneInString(t.src[t.pos:])
	t.pos += n
	return r, nil
}

// classStrings parses \q{...}.
func (t *translator) classStrings() (classSet, bool, error) {
	start := t.pos
	if t.peek(2) != '{' {
		return classSet{}, false, t.errSyntax(start, "\\q must be followed by {...}")
	}
	t.pos += 3
	var out classSet
	may := false
	var cur []rune
	for {
		if t.pos >= len(t.src) {
			return classSet{}, false, t.errSyntax(start, "unterminated \\q{...}")
		}
		if c := t.src[t.pos]; c == '}' || c == '|' {
			t.pos++
			if len(cur) == 1 {
				out.runes = append(out.runes, rng{cur[0], cur[0]})
			} else {
				may = true
				if t.ignoreCase {
					for i, r := range cur {
						cur[i] = canon(r)
					}
				}
				// A string holding a lone surrogate can never match a Go
				// string (and string() would turn it into U+FFFD): drop it.
				if !slices.ContainsFunc(cur, isSurrogate) {
					out.strs = append(out.strs, string(cur))
				}
			}
			cur = cur[:0]
			if c == '}' {
				break
			}
			continue
		}
		r, err := t.classChar(start)
		if err != nil {
			return classSet{}, false, err
		}
		cur = append(cur, r)
	}
	out.runes = out.runes.normalize()
	if t.ignoreCase {
		out.runes = closeFold(out.runes)
	}
	slices.Sort(out.strs)
	out.strs = slices.Compact(out.strs)
	return out, may, nil
}

func isSurrogate(r rune) bool { return r >= 0xD800 && r <= 0xDFFF }

// countGroups counts the capturing groups of src for the error message of a
// backreference: '(' outside classes, not followed by '?' unless it opens a
// named group.
func countGroups(src string) int {
	n, depth := 0, 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '[':
			depth++
		case ']':
			depth = max(depth-1, 0)
		case '(':
			rest := src[i+1:]
			if depth == 0 && (!strings.HasPrefix(rest, "?") ||
				strings.HasPrefix(rest, "?<") && !strings.HasPrefix(rest, "?<=") && !strings.HasPrefix(rest, "?<!")) {
				n++
			}
		}
	}
	return n
}

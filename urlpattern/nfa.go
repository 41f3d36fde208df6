package urlpattern

import "unicode/utf8"

// The NFA matcher handles any part list without regexp groups in time
// linear in the input. The part list is compiled to a small program, the
// same automaton as the standard's generated regexp. Matching runs in two
// passes:
//
//  1. backwards over the input, computing for every position the set of
//     consuming instructions from which the rest of the input can be
//     matched ("live" instructions; a bit set, so at most 64 of them);
//  2. forwards, following the program and, at each choice, taking the
//     first alternative in the regexp's priority order that is live.
//
// Because every choice taken is known to lead to a match, the forward pass
// never backtracks, and it picks exactly the path a backtracking ECMAScript
// engine would accept first, so the captures are the same.
//
// ECMAScript rejects an iteration of a quantified group that matches the
// empty string. The only nullable bodies the standard can generate are
// full wildcards ("(.*)?", "((?:.*)*)", "((?:.*)+)"); they are compiled as
// ".+" in those positions, which is equivalent under that rule.

type nfaOp uint8

const (
	opLit   nfaOp = iota // match lit
	opSeg                // one code point other than the delimiter
	opAny                // one code point other than a line terminator
	opMatch              // end of input
	opSplit              // try x, then y
	opJmp                // go to x
	opSave               // record the position in capture slot n
)

type nfaInst struct {
	op   nfaOp
	lit  string
	x, y int // successors (x is the next instruction for non-splits)
	n    int // capture slot for opSave
	bit  int // bit index for consuming instructions and opMatch
}

type nfaMatcher struct {
	prog  []nfaInst
	reach []uint64 // per instruction: bits of consuming instructions reachable by epsilon moves
	match uint64   // bit of opMatch
	delim rune
	fold  bool
	ncap  int

	// Single code point instructions: opSeg, opAny and one-byte opLit.
	single  []nfaSingle
	ascii   *[utf8.RuneSelf]uint64 // per ASCII byte: the single instructions accepting it
	segBits uint64                 // bits of the opSeg instructions
	anyBits uint64                 // bits of the opAny instructions
	lits    []nfaLit               // longer literals
	ring    int                    // ring size for test, or 0 when literals are too long for the stack
}

type nfaSingle struct {
	bit  uint64 // the instruction's bit
	next uint64 // reach of its successor
}

type nfaLit struct {
	bit   uint64
	next  uint64
	lit   string
	first byte // lit[0], lowercased when folding
}

const maxNFABits = 64

type nfaBuilder struct {
	prog  []nfaInst
	delim rune
	// bytewise splits ASCII literals into one instruction per byte, so that
	// the program has only single code point instructions and liveDFA
	// applies.
	bytewise bool
}

func (b *nfaBuilder) emit(in nfaInst) int {
	b.prog = append(b.prog, in)
	return len(b.prog) - 1
}

// The emit helpers below leave x of the last emitted instruction pointing
// at the next instruction, len(prog), unless they patch it.

func (b *nfaBuilder) lit(s string) {
	if b.bytewise && isASCII(s) {
		for i := 0; i < len(s); i++ {
			b.emit(nfaInst{op: opLit, lit: s[i : i+1], x: len(b.prog) + 1})
		}
		return
	}
	if s != "" {
		b.emit(nfaInst{op: opLit, lit: s, x: len(b.prog) + 1})
	}
}

func (b *nfaBuilder) save(n int) { b.emit(nfaInst{op: opSave, n: n, x: len(b.prog) + 1}) }

// class emits one code point of a wildcard's class.
func (b *nfaBuilder) class(full bool) int {
	op := opSeg
	if full {
		op = opAny
	}
	return b.emit(nfaInst{op: op, x: len(b.prog) + 1})
}

// wildcard emits a wildcard: "[^d]+?" (segment) or ".*" (full). With
// nonEmpty, a full wildcard is emitted as ".+".
func (b *nfaBuilder) wildcard(full, nonEmpty bool) {
	switch {
	case !full: // L: class; split(next, L) (lazy)
		l := b.class(false)
		b.emit(nfaInst{op: opSplit, x: len(b.prog) + 1, y: l})
	case nonEmpty: // L: class; split(L, next) (greedy)
		l := b.class(true)
		b.emit(nfaInst{op: opSplit, x: l, y: len(b.prog) + 1})
	default: // L: split(L1, end); L1: class; jmp L
		l := b.emit(nfaInst{op: opSplit})
		b.class(true)
		b.emit(nfaInst{op: opJmp, x: l})
		b.prog[l].x, b.prog[l].y = l+1, len(b.prog)
	}
}

// beginOptional starts "(?:body)?" (greedy); endOptional finishes it.
func (b *nfaBuilder) beginOptional() int { return b.emit(nfaInst{op: opSplit}) }

func (b *nfaBuilder) endOptional(l int) { b.prog[l].x, b.prog[l].y = l+1, len(b.prog) }

// beginStar starts "(?:body)*" (greedy; body must not match "");
// endStar finishes it.
func (b *nfaBuilder) beginStar() int { return b.emit(nfaInst{op: opSplit}) }

func (b *nfaBuilder) endStar(l int) {
	b.emit(nfaInst{op: opJmp, x: l})
	b.prog[l].x, b.prog[l].y = l+1, len(b.prog)
}

// endPlus finishes "(?:body)+" (greedy; body must not match "") whose
// body started at l.
func (b *nfaBuilder) endPlus(l int) { b.emit(nfaInst{op: opSplit, x: l, y: len(b.prog) + 1}) }

// newNFAMatcher compiles parts, with literals split into bytes when the
// program stays within maxNFABits consuming instructions.
func newNFAMatcher(parts []part, delim rune, fold bool) *nfaMatcher {
	if m := buildNFA(parts, delim, fold, true); m != nil {
		return m
	}
	return buildNFA(parts, delim, fold, false)
}

func buildNFA(parts []part, delim rune, fold, bytewise bool) *nfaMatcher {
	b := &nfaBuilder{delim: delim, bytewise: bytewise, prog: make([]nfaInst, 0, 8*len(parts)+1)}
	group := 0
	for i := range parts {
		pt := &parts[i]
		if pt.typ == partFixedText {
			if pt.value == "" {
				continue
			}
			switch pt.modifier {
			case modNone:
				b.lit(pt.value)
			case modOptional:
				l := b.beginOptional()
				b.lit(pt.value)
				b.endOptional(l)
			case modZeroOrMore:
				l := b.beginStar()
				b.lit(pt.value)
				b.endStar(l)
			case modOneOrMore:
				l := len(b.prog)
				b.lit(pt.value)
				b.endPlus(l)
			}
			continue
		}
		full := pt.typ == partFullWildcard
		g := group
		group++
		if pt.prefix == "" && pt.suffix == "" {
			switch pt.modifier {
			case modNone: // (R)
				b.save(2 * g)
				b.wildcard(full, false)
				b.save(2*g + 1)
			case modOptional: // (R)?
				l := b.beginOptional()
				b.save(2 * g)
				b.wildcard(full, true)
				b.save(2*g + 1)
				b.endOptional(l)
			case modZeroOrMore: // ((?:R)*)
				b.save(2 * g)
				l := b.beginStar()
				b.wildcard(full, true)
				b.endStar(l)
				b.save(2*g + 1)
			case modOneOrMore: // ((?:R)+)
				b.save(2 * g)
				if full { // (?:.*)+ is .*(?:.+)*
					b.wildcard(true, false)
					l := b.beginStar()
					b.wildcard(true, true)
					b.endStar(l)
				} else {
					l := len(b.prog)
					b.wildcard(false, false)
					b.endPlus(l)
				}
				b.save(2*g + 1)
			}
			continue
		}
		opt := -1
		if pt.modifier == modOptional || pt.modifier == modZeroOrMore {
			opt = b.beginOptional()
		}
		if pt.modifier == modNone || pt.modifier == modOptional {
			// (?:P(R)S) or (?:P(R)S)?
			b.lit(pt.prefix)
			b.save(2 * g)
			b.wildcard(full, false)
			b.save(2*g + 1)
			b.lit(pt.suffix)
		} else {
			// (?:P((?:R)(?:SP(?:R))*)S), optional for zero-or-more
			b.lit(pt.prefix)
			b.save(2 * g)
			b.wildcard(full, false)
			l := b.beginStar()
			b.lit(pt.suffix)
			b.lit(pt.prefix)
			b.wildcard(full, false)
			b.endStar(l)
			b.save(2*g + 1)
			b.lit(pt.suffix)
		}
		if opt >= 0 {
			b.endOptional(opt)
		}
	}
	b.emit(nfaInst{op: opMatch})
	return finishNFA(b.prog, delim, fold, 2*group)
}

func finishNFA(prog []nfaInst, delim rune, fold bool, ncap int) *nfaMatcher {
	m := &nfaMatcher{prog: prog, delim: delim, fold: fold, ncap: ncap}
	nbits := 0
	for pc := range prog {
		switch prog[pc].op {
		case opLit, opSeg, opAny, opMatch:
			if nbits == maxNFABits {
				return nil
			}
			prog[pc].bit = nbits
			if prog[pc].op == opMatch {
				m.match = 1 << nbits
			}
			nbits++
		}
	}
	// reach[pc]: consuming bits reachable from pc through epsilon moves.
	m.reach = make([]uint64, len(prog))
	state := make([]uint8, len(prog)) // 0 new, 1 in progress, 2 done
	for pc := range prog {
		if !m.visit(pc, state) {
			return nil
		}
	}
	for pc := range prog {
		in := &prog[pc]
		bit, next := uint64(1)<<in.bit, m.reach[in.x]
		switch in.op {
		case opLit:
			if len(in.lit) == 1 {
				m.single = append(m.single, nfaSingle{bit, next})
				continue
			}
			first := in.lit[0]
			if fold {
				first = lowerASCII(first)
			}
			m.lits = append(m.lits, nfaLit{bit: bit, next: next, lit: in.lit, first: first})
		case opSeg:
			m.segBits |= bit
			m.single = append(m.single, nfaSingle{bit, next})
		case opAny:
			m.anyBits |= bit
			m.single = append(m.single, nfaSingle{bit, next})
		}
	}
	// Every ASCII byte is accepted by the opSeg instructions unless it is the
	// delimiter, by the opAny instructions unless it is a line terminator,
	// and by the one-byte literals equal to it.
	m.ascii = new([utf8.RuneSelf]uint64)
	for b := range m.ascii {
		m.ascii[b] = m.segBits | m.anyBits
	}
	if delim >= 0 && delim < utf8.RuneSelf {
		m.ascii[delim] &^= m.segBits
	}
	m.ascii['\n'] &^= m.anyBits
	m.ascii['\r'] &^= m.anyBits
	for pc := range prog {
		in := &prog[pc]
		if in.op != opLit || len(in.lit) != 1 || in.lit[0] >= utf8.RuneSelf {
			continue
		}
		c := in.lit[0]
		m.ascii[c] |= 1 << in.bit
		if fold {
			if l := lowerASCII(c); l != c {
				m.ascii[l] |= 1 << in.bit
			} else if 'a' <= c && c <= 'z' {
				m.ascii[c-'a'+'A'] |= 1 << in.bit
			}
		}
	}
	if m.ncap > 2*maxNFABits {
		return nil
	}
	longest := 0
	for _, l := range m.lits {
		longest = max(longest, len(l.lit))
	}
	m.ring = 8
	for m.ring <= longest+utf8.UTFMax {
		m.ring *= 2
	}
	if m.ring > stackPositions {
		m.ring = 0
	}
	return m
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// visit computes m.reach[pc]; it reports false on an epsilon cycle, which
// generated programs do not have.
func (m *nfaMatcher) visit(pc int, state []uint8) bool {
	switch state[pc] {
	case 1:
		return false
	case 2:
		return true
	}
	state[pc] = 1
	in := &m.prog[pc]
	switch in.op {
	case opLit, opSeg, opAny, opMatch:
		m.reach[pc] = 1 << in.bit
	case opSplit:
		if !m.visit(in.x, state) || !m.visit(in.y, state) {
			return false
		}
		m.reach[pc] = m.reach[in.x] | m.reach[in.y]
	default:
		if !m.visit(in.x, state) {
			return false
		}
		m.reach[pc] = m.reach[in.x]
	}
	state[pc] = 2
	return true
}

// live computes the live sets of s into c. With mask = -1, c has
// len(s)+1 entries and keeps every set (exec needs them); otherwise c is a
// ring of mask+1 entries, a power of two larger than the longest literal
// plus a code point, holding only the sets still needed (test needs only
// the set at 0, so it runs in constant space).
func (m *nfaMatcher) live(s string, c []uint64, mask int) {
	n := len(s)
	c[n&mask] = m.match
	ascii, lits, single, fold := m.ascii, m.lits, m.single, m.fold
	// The single code point instructions that can step into a live set
	// depend only on that set. The answer for the previous position is
	// kept, and a few others are cached, as a lazy DFA caches transitions.
	const cacheSize = 8
	var cacheKey, cacheVal [cacheSize]uint64
	for j := range cacheKey {
		cacheKey[j] = ^uint64(0) // no live set has every bit
	}
	lastAfter, lastCand := uint64(0), uint64(0)
	prev := m.match // c[i+1], kept in a register
	i := n - 1
	if len(lits) == 0 && n >= dfaMinInput {
		i = m.liveDFA(s, c, mask)
		prev = c[(i+1)&mask]
	}
	for ; i >= 0; i-- {
		b := s[i]
		var class uint64
		w := 1
		if b < utf8.RuneSelf {
			class = ascii[b]
		} else {
			var r rune
			r, w = utf8.DecodeRuneInString(s[i:])
			class = m.segBits // the delimiter is ASCII
			if !isLineTerminator(r) {
				class |= m.anyBits
			}
		}
		after := prev
		if w > 1 {
			after = c[(i+w)&mask]
		}
		if after != lastAfter {
			h := (after * 0x9E3779B97F4A7C15) >> 61
			if cacheKey[h] == after {
				lastCand = cacheVal[h]
			} else {
				lastCand = 0
				for _, o := range single {
					if after&o.next != 0 {
						lastCand |= o.bit
					}
				}
				cacheKey[h], cacheVal[h] = after, lastCand
			}
			lastAfter = after
		}
		set := lastCand & class
		if len(lits) > 0 {
			if fold {
				b = lowerASCII(b)
			}
			for k := range lits {
				l := &lits[k]
				if l.first != b {
					continue
				}
				if e := i + len(l.lit); e <= n && c[e&mask]&l.next != 0 && (s[i:e] == l.lit || fold && equalFoldASCII(s[i:e], l.lit)) {
					set |= l.bit
				}
			}
		}
		c[i&mask] = set
		prev = set
	}
}

// dfaMinInput is the input length from which live runs as a lazy DFA.
const dfaMinInput = 512

// dfaStates bounds the states of liveDFA's table.
const dfaStates = 32

// liveDFA computes the live sets of s from the end, like live, for
// programs without multi-byte literals. Such a live set depends only on the
// next position's set and the byte, so on ASCII input it is a DFA running
// backwards: each distinct set is a state, and transitions are cached in a
// table as they are discovered. It stops when a byte is not ASCII or the
// table is full, and returns the position live must continue from (-1 when
// done).
func (m *nfaMatcher) liveDFA(s string, c []uint64, mask int) int {
	var sets [dfaStates]uint64
	var trans [dfaStates][utf8.RuneSelf]uint8 // state index + 1, 0 when not known yet
	sets[0] = c[len(s)&mask]
	nstates, cur := 1, 0
	for i := len(s) - 1; i >= 0; i-- {
		b := s[i]
		if b >= utf8.RuneSelf {
			return i
		}
		t := trans[cur][b]
		if t == 0 {
			after := sets[cur]
			var set uint64
			for _, o := range m.single {
				if after&o.next != 0 {
					set |= o.bit
				}
			}
			set &= m.ascii[b]
			t = 0
			for k := 0; k < nstates; k++ {
				if sets[k] == set {
					t = uint8(k + 1)
					break
				}
			}
			if t == 0 {
				if nstates == dfaStates {
					return i
				}
				sets[nstates] = set
				nstates++
				t = uint8(nstates)
			}
			trans[cur][b] = t
		}
		cur = int(t - 1)
		c[i&mask] = sets[cur]
	}
	return -1
}

// stackPositions is the input length up to which the live sets are kept on
// the stack.
const stackPositions = 256

func (m *nfaMatcher) test(s string) (bool, bool) {
	if m.fold && !isASCII(s) {
		return false, false
	}
	var buf [stackPositions]uint64
	if m.ring == 0 {
		c := make([]uint64, len(s)+1)
		m.live(s, c, -1)
		return c[0]&m.reach[0] != 0, true
	}
	m.live(s, buf[:m.ring], m.ring-1)
	return buf[0]&m.reach[0] != 0, true
}

func (m *nfaMatcher) exec(s string, names []string, dst []Group) ([]Group, bool, bool) {
	if m.fold && !isASCII(s) {
		return dst, false, false
	}
	var buf [stackPositions + 1]uint64
	var c []uint64
	if len(s) <= stackPositions {
		c = buf[:len(s)+1]
	} else {
		c = make([]uint64, len(s)+1)
	}
	m.live(s, c, -1)
	if c[0]&m.reach[0] == 0 {
		return dst, false, true
	}
	var capBuf [2 * maxNFABits]int
	caps := capBuf[:m.ncap]
	for i := range caps {
		caps[i] = -1
	}
	pc, i := 0, 0
	for {
		in := &m.prog[pc]
		switch in.op {
		case opLit:
			i += len(in.lit)
			pc = in.x
		case opSeg, opAny:
			_, w := utf8.DecodeRuneInString(s[i:])
			i += w
			pc = in.x
		case opSplit:
			if c[i]&m.reach[in.x] != 0 {
				pc = in.x
			} else {
				pc = in.y
			}
		case opJmp:
			pc = in.x
		case opSave:
			caps[in.n] = i
			pc = in.x
		case opMatch:
			for g, name := range names {
				if g*2+1 < len(caps) && caps[2*g] >= 0 && caps[2*g+1] >= 0 {
					dst = append(dst, Group{Name: name, Value: s[caps[2*g]:caps[2*g+1]], Matched: true})
				} else {
					dst = append(dst, Group{Name: name})
				}
			}
			return dst, true, true
		}
	}
}

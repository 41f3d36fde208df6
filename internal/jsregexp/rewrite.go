package jsregexp

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/swhost/swhost/weberr"
)

// RewritePropertyEscapes serves engines that parse ECMAScript patterns but
// do not know Unicode property escapes (sobek reads \p{L} as the literal
// text "p{L}"). src and flags are a RegExp's pattern and flags as given to
// the RegExp constructor. When flags hold u (and not v), every \p{...} and
// \P{...} of src is replaced by the code points it stands for, written as
// \u{...} escapes and ranges, which an engine in u mode reads as the same
// set:
//
//   - outside a class, \p{X} becomes [ranges of X] and \P{X} becomes
//     [ranges of the complement of X] (the complement is spelled out rather
//     than written [^...], so that under the i flag the result keeps
//     ECMAScript's meaning of \P: Canonicalize applied to the complement,
//     not the complement of a case-closed set);
//   - inside a class, the ranges are inserted in place of the escape, so
//     [\p{L}\d_] and [^\P{Lu}] keep their meaning.
//
// Everything else of src is copied unchanged, so the rewritten pattern has
// the same capturing groups and the same meaning. Without u, or with v
// (which the engine rejects on its own), src is returned as it is: without
// u, \p is Annex B's identity escape for "p".
//
// Property names and values are ECMAScript's (General_Category values,
// binary properties, Script and Script_Extensions with their aliases),
// spelled exactly. An unknown name or value, \p without {...}, or a
// property escape used as the end of a class range is a SyntaxError, as
// in V8; the error wraps ErrSyntax, or ErrUnsupported for properties
// ECMAScript has but this package has no data for (see props.go). The
// error's name is weberr.SyntaxError and its message reads like V8's.
//
// The code points of each property come from Go's unicode tables (and the
// tables generated from Unicode data for the properties Go lacks); the
// spelled-out classes are computed once per property and cached, so a
// rewrite costs time proportional to len(src) plus the length of the
// classes it inserts.
func RewritePropertyEscapes(src, flags string) (string, error) {
	if !strings.Contains(flags, "u") || strings.Contains(flags, "v") {
		return src, nil
	}
	i := strings.IndexByte(src, '\\')
	if i < 0 || !strings.Contains(src[i:], `\p`) && !strings.Contains(src[i:], `\P`) {
		return src, nil
	}
	rw := rewriter{src: src, flags: flags}
	return rw.run()
}

// class states: what precedes the current position inside a class, as far
// as ranges (a-b) are concerned.
const (
	clsNone     = iota // class start, or a range just ended
	clsAtom            // a ClassAtom that may start a range
	clsDash            // an atom and '-': the next atom ends a range
	clsEscape          // a property escape: it may not start a range
	clsNotClass        // not inside a class
)

type rewriter struct {
	src, flags string
	edits      []propEdit
}

// propEdit replaces src[start:end], a property escape, with its ranges,
// bracketed when outside a class.
type propEdit struct {
	start, end int
	ranges     string
	bracket    bool
}

func (rw *rewriter) run() (string, error) {
	src := rw.src
	rw.edits = make([]propEdit, 0, strings.Count(src, `\p`)+strings.Count(src, `\P`))
	state := clsNotClass
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\\' && i+1 < len(src) && (src[i+1] == 'p' || src[i+1] == 'P'):
			inClass := state != clsNotClass
			if state == clsDash {
				return "", rw.errorf(ErrSyntax, "Invalid character class") // a-\p{X}
			}
			end, set, err := rw.escape(i, inClass)
			if err != nil {
				return "", err
			}
			rw.edits = append(rw.edits, propEdit{i, end, set, !inClass})
			if inClass {
				state = clsEscape
			}
			i = end
			continue
		case c == '\\':
			i += 2 // an escape: the character after the backslash is not syntax
			if state != clsNotClass {
				state = nextAtom(state)
			}
			continue
		case state == clsNotClass:
			if c == '[' {
				state = clsNone
				if i+1 < len(src) && src[i+1] == '^' {
					i++
				}
			}
		case c == ']':
			state = clsNotClass
		case c == '-':
			switch state {
			case clsEscape:
				if i+1 < len(src) && src[i+1] != ']' {
					return "", rw.errorf(ErrSyntax, "Invalid character class") // \p{X}-a
				}
				state = clsAtom
			case clsAtom:
				state = clsDash
			default:
				state = nextAtom(state)
			}
		default:
			state = nextAtom(state)
		}
		i++
	}
	if len(rw.edits) == 0 {
		return src, nil
	}
	n := len(src)
	for _, e := range rw.edits {
		n += len(e.ranges) + len(neverClass) - (e.end - e.start)
	}
	var out strings.Builder
	out.Grow(n)
	from := 0
	for _, e := range rw.edits {
		out.WriteString(src[from:e.start])
		switch {
		case !e.bracket:
			out.WriteString(e.ranges)
		case e.ranges == "":
			out.WriteString(neverClass)
		default:
			out.WriteByte('[')
			out.WriteString(e.ranges)
			out.WriteByte(']')
		}
		from = e.end
	}
	out.WriteString(src[from:])
	return out.String(), nil
}

// neverClass is the empty set outside a class: it never matches. ([] would
// do in ECMAScript, but sobek translates it to a class of U+0000..U+1FFFF
// negated, which matches the code points above.)
const neverClass = `[^\u{0}-\u{10ffff}]`

// nextAtom is the class state after an ordinary atom.
func nextAtom(state int) int {
	if state == clsDash {
		return clsNone
	}
	return clsAtom
}

// escape reads the property escape at src[i] (\p{...} or \P{...}) and
// returns the index after it and its code points as class ranges.
func (rw *rewriter) escape(i int, inClass bool) (int, string, error) {
	src := rw.src
	invalid := "Invalid property name"
	if inClass {
		invalid = "Invalid property name in character class"
	}
	if i+2 >= len(src) || src[i+2] != '{' {
		return 0, "", rw.errorf(ErrSyntax, "%s", invalid)
	}
	n := strings.IndexByte(src[i+3:], '}')
	if n < 0 {
		return 0, "", rw.errorf(ErrSyntax, "%s", invalid)
	}
	expr := src[i+3 : i+3+n]
	set, perr := propertyClass(expr, src[i+1] == 'P')
	if perr != nil {
		kind := ErrSyntax
		if perr.unsupported {
			kind = ErrUnsupported
		}
		return 0, "", rw.errorf(kind, "%s (%s)", invalid, perr.msg)
	}
	return i + 3 + n + 1, set, nil
}

func (rw *rewriter) errorf(kind error, format string, args ...any) error {
	return &weberr.Error{
		Name:    weberr.SyntaxError,
		Message: "Invalid regular expression: /" + rw.src + "/" + rw.flags + ": " + fmt.Sprintf(format, args...),
		Err:     kind,
	}
}

// classCache maps a property expression (what is between the braces) to
// its code points written as class ranges: [0] for \p, [1] for \P. Only
// valid expressions are stored, so it holds at most a few thousand
// entries. A plain map under a lock, as looking a string up in it does not
// allocate.
var classCache struct {
	sync.RWMutex
	m [2]map[string]string
}

// propertyClass returns the class ranges of \p{expr} (or \P{expr} when
// negated).
func propertyClass(expr string, negated bool) (string, *propertyError) {
	k := 0
	if negated {
		k = 1
	}
	classCache.RLock()
	s, ok := classCache.m[k][expr]
	classCache.RUnlock()
	if ok {
		return s, nil
	}
	p, err := lookupProperty(expr)
	if err != nil {
		return "", err
	}
	set := p.set
	if negated {
		set = complement(set)
	}
	s = writeRanges(set)
	classCache.Lock()
	if classCache.m[k] == nil {
		classCache.m[k] = make(map[string]string)
	}
	classCache.m[k][strings.Clone(expr)] = s
	classCache.Unlock()
	return s, nil
}

// writeRanges writes s as the contents of a u-mode class: \u{41}-\u{5a}...
func writeRanges(s runeSet) string {
	b := make([]byte, 0, len(s)*18)
	for _, r := range s {
		b = appendCodePoint(b, r.lo)
		if r.hi != r.lo {
			if r.hi > r.lo+1 {
				b = append(b, '-')
			}
			b = appendCodePoint(b, r.hi)
		}
	}
	return string(b)
}

func appendCodePoint(b []byte, r rune) []byte {
	b = append(b, `\u{`...)
	b = strconv.AppendInt(b, int64(r), 16)
	return append(b, '}')
}

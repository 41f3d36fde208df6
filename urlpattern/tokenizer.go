package urlpattern

import (
	"sync"
	"unicode"
	"unicode/utf8"
)

// tokenType is the type of a pattern token (URL Pattern standard, "Tokens").
type tokenType uint8

const (
	tokInvalidChar tokenType = iota
	tokOpen
	tokClose
	tokRegexp
	tokName
	tokChar
	tokEscapedChar
	tokOtherModifier
	tokAsterisk
	tokEnd
)

// token is one lexical token of a pattern string. index is a byte offset
// into the tokenized string (the standard counts code points; byte offsets
// select the same substrings).
type token struct {
	typ   tokenType
	index int
	value string
}

// tokenizePolicy chooses whether tokenizing errors fail (strict) or produce
// invalid-char tokens (lenient).
type tokenizePolicy bool

const (
	strict  tokenizePolicy = false
	lenient tokenizePolicy = true
)

// tokenizer holds the state of the standard's tokenize algorithm.
type tokenizer struct {
	input     string
	policy    tokenizePolicy
	tokens    []token
	index     int  // start of the code point being examined
	nextIndex int  // byte offset after the current code point
	cp        rune // current code point
}

// tokenize splits input into tokens. With the strict policy the first
// error is returned; with the lenient policy errors become invalid-char
// tokens and tokenize never fails.
func tokenize(input string, policy tokenizePolicy) ([]token, error) {
	t := &tokenizer{input: input, policy: policy, tokens: getTokens(len(input) + 1)}
	for t.index < len(t.input) {
		t.seekAndGetNext(t.index)
		switch t.cp {
		case '*':
			t.addDefault(tokAsterisk)
			continue
		case '+', '?':
			t.addDefault(tokOtherModifier)
			continue
		case '\\':
			if t.nextIndex >= len(t.input) {
				if err := t.fail(t.nextIndex, t.index, "pattern ends with a lone '\\'"); err != nil {
					return nil, err
				}
				continue
			}
			escapedIndex := t.nextIndex
			t.getNext()
			t.addWithLength(tokEscapedChar, t.nextIndex, escapedIndex)
			continue
		case '{':
			t.addDefault(tokOpen)
			continue
		case '}':
			t.addDefault(tokClose)
			continue
		case ':':
			namePos := t.nextIndex
			nameStart := namePos
			for namePos < len(t.input) {
				t.seekAndGetNext(namePos)
				if !isValidNameCodePoint(t.cp, namePos == nameStart) {
					break
				}
				namePos = t.nextIndex
			}
			if namePos <= nameStart {
				if err := t.fail(nameStart, t.index, "':' is not followed by a group name"); err != nil {
					return nil, err
				}
				continue
			}
			t.addWithLength(tokName, namePos, nameStart)
			continue
		case '(':
			if err := t.regexpToken(); err != nil {
				return nil, err
			}
			continue
		}
		t.addDefault(tokChar)
	}
	t.addWithLength(tokEnd, t.index, t.index)
	return t.tokens, nil
}

// tokenPool recycles token slices between parses.
var tokenPool sync.Pool

func getTokens(n int) []token {
	if p, ok := tokenPool.Get().(*[]token); ok && cap(*p) >= n {
		return (*p)[:0]
	}
	return make([]token, 0, max(n, 16))
}

// releaseTokens returns a token slice to the pool; the caller must not use
// it afterwards.
func releaseTokens(t []token) {
	if cap(t) > 1024 {
		return
	}
	clear(t)
	tokenPool.Put(&t)
}

// regexpToken tokenizes a "(...)" regexp group starting at t.index.
func (t *tokenizer) regexpToken() error {
	depth := 1
	pos := t.nextIndex
	start := pos
	for pos < len(t.input) {
		t.seekAndGetNext(pos)
		if t.cp > 0x7f {
			return t.fail(start, t.index, "regexp group contains a non-ASCII character")
		}
		if pos == start && t.cp == '?' {
			return t.fail(start, t.index, "regexp group starts with '?'")
		}
		if t.cp == '\\' {
			if t.nextIndex >= len(t.input) {
				return t.fail(start, t.index, "regexp group ends with a lone '\\'")
			}
			t.getNext()
			if t.cp > 0x7f {
				return t.fail(start, t.index, "regexp group contains a non-ASCII character")
			}
			pos = t.nextIndex
			continue
		}
		if t.cp == ')' {
			depth--
			if depth == 0 {
				pos = t.nextIndex
				break
			}
		} else if t.cp == '(' {
			depth++
			if t.nextIndex >= len(t.input) {
				return t.fail(start, t.index, "unbalanced '('")
			}
			tmp := t.nextIndex
			t.getNext()
			if t.cp != '?' {
				return t.fail(start, t.index, "capturing groups are not allowed inside a regexp group")
			}
			t.nextIndex = tmp
		}
		pos = t.nextIndex
	}
	if depth != 0 {
		return t.fail(start, t.index, "unbalanced '('")
	}
	length := pos - start - 1
	if length == 0 {
		return t.fail(start, t.index, "empty regexp group")
	}
	t.add(tokRegexp, pos, start, length)
	return nil
}

// getNext reads the code point at nextIndex.
func (t *tokenizer) getNext() {
	r, w := utf8.DecodeRuneInString(t.input[t.nextIndex:])
	t.cp = r
	t.nextIndex += w
}

func (t *tokenizer) seekAndGetNext(i int) {
	t.nextIndex = i
	t.getNext()
}

func (t *tokenizer) add(typ tokenType, next, valuePos, valueLen int) {
	t.tokens = append(t.tokens, token{typ: typ, index: t.index, value: t.input[valuePos : valuePos+valueLen]})
	t.index = next
}

func (t *tokenizer) addWithLength(typ tokenType, next, valuePos int) {
	t.add(typ, next, valuePos, next-valuePos)
}

func (t *tokenizer) addDefault(typ tokenType) {
	t.addWithLength(typ, t.nextIndex, t.index)
}

// fail implements "process a tokenizing error". In strict mode it returns
// the error (reported at the offset of the token being read); in lenient
// mode it adds an invalid-char token and returns nil.
func (t *tokenizer) fail(next, valuePos int, reason string) error {
	if t.policy == strict {
		return &Error{Input: t.input, Offset: t.index, Reason: reason}
	}
	t.addWithLength(tokInvalidChar, next, valuePos)
	return nil
}

// isValidNameCodePoint reports whether r may appear in a group name:
// ECMAScript IdentifierStart when first, IdentifierPart otherwise.
func isValidNameCodePoint(r rune, first bool) bool {
	if r < utf8.RuneSelf {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '$', r == '_':
			return true
		case r >= '0' && r <= '9':
			return !first
		}
		return false
	}
	if first {
		return isIDStart(r)
	}
	return r == 0x200C || r == 0x200D || isIDContinue(r)
}

// isIDStart reports the Unicode ID_Start property.
func isIDStart(r rune) bool {
	if unicode.In(r, unicode.Pattern_Syntax, unicode.Pattern_White_Space) {
		return false
	}
	return unicode.In(r, unicode.L, unicode.Nl, unicode.Other_ID_Start)
}

// isIDContinue reports the Unicode ID_Continue property.
func isIDContinue(r rune) bool {
	if isIDStart(r) {
		return true
	}
	if unicode.In(r, unicode.Pattern_Syntax, unicode.Pattern_White_Space) {
		return false
	}
	return unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Other_ID_Continue)
}

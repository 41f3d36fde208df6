package urlpattern

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// partType is the type of a part (URL Pattern standard, "Parts"). The order
// is the one CompareComponent uses: a higher value is more specific.
type partType uint8

const (
	partFullWildcard partType = iota
	partSegmentWildcard
	partRegexp
	partFixedText
)

// modifier is a part's modifier. The order is the one CompareComponent
// uses: a higher value is more specific.
type modifier uint8

const (
	modZeroOrMore modifier = iota
	modOptional
	modOneOrMore
	modNone
)

func (m modifier) String() string {
	switch m {
	case modZeroOrMore:
		return "*"
	case modOptional:
		return "?"
	case modOneOrMore:
		return "+"
	}
	return ""
}

// part is one piece of a parsed pattern string.
type part struct {
	typ      partType
	modifier modifier
	value    string // fixed text, or the regexp of a regexp part
	name     string
	prefix   string
	suffix   string
}

// options are the standard's pattern options.
type options struct {
	delimiter  string // "" or one ASCII code point
	prefix     string // "" or one ASCII code point
	ignoreCase bool
}

var (
	defaultOptions  = options{}
	hostnameOptions = options{delimiter: "."}
	pathnameOptions = options{delimiter: "/", prefix: "/"}
)

// fullWildcardRegexp is the standard's "full wildcard regexp value".
const fullWildcardRegexp = ".*"

// segmentWildcardRegexp implements "generate a segment wildcard regexp".
func segmentWildcardRegexp(o options) string {
	switch o.delimiter {
	case "":
		return "[^]+?"
	case ".":
		return `[^\.]+?`
	case "/":
		return `[^\/]+?`
	}
	return "[^" + escapeRegexpString(o.delimiter) + "]+?"
}

// encodingCallback validates and canonicalizes a fixed text piece of a
// pattern string.
type encodingCallback func(string) (string, error)

// patternParser holds the state of "parse a pattern string".
type patternParser struct {
	input          string
	tokens         []token
	encode         encodingCallback
	segmentRegexp  string
	parts          []part
	pendingFixed   pendingText
	index          int
	nextNumericNum int
	names          map[string]bool // group names, once there are many parts
}

// parsePatternString implements "parse a pattern string".
func parsePatternString(input string, o options, encode encodingCallback) ([]part, error) {
	tokens, err := tokenize(input, strict)
	if err != nil {
		return nil, err
	}
	defer releaseTokens(tokens)
	p := &patternParser{input: input, tokens: tokens, encode: encode, segmentRegexp: segmentWildcardRegexp(o)}
	p.pendingFixed.input = input
	for p.index < len(p.tokens) {
		charTok := p.tryConsume(tokChar)
		nameTok := p.tryConsume(tokName)
		regexpTok := p.tryConsumeRegexpOrWildcard(nameTok)
		if nameTok != nil || regexpTok != nil {
			prefix := ""
			if charTok != nil {
				prefix = charTok.value
			}
			if prefix != "" && prefix != o.prefix {
				p.pendingFixed.add(prefix, charTok.index)
				prefix = ""
			}
			if err := p.maybeAddPartFromPending(); err != nil {
				return nil, err
			}
			modTok := p.tryConsumeModifier()
			if err := p.addPart(prefix, nameTok, regexpTok, "", modTok); err != nil {
				return nil, err
			}
			continue
		}
		fixedTok := charTok
		if fixedTok == nil {
			fixedTok = p.tryConsume(tokEscapedChar)
		}
		if fixedTok != nil {
			at := fixedTok.index
			if fixedTok.typ == tokEscapedChar {
				at++
			}
			p.pendingFixed.add(fixedTok.value, at)
			continue
		}
		if p.tryConsume(tokOpen) != nil {
			prefix := p.consumeText()
			nameTok = p.tryConsume(tokName)
			regexpTok = p.tryConsumeRegexpOrWildcard(nameTok)
			suffix := p.consumeText()
			if _, err := p.consumeRequired(tokClose); err != nil {
				return nil, err
			}
			modTok := p.tryConsumeModifier()
			if err := p.addPart(prefix, nameTok, regexpTok, suffix, modTok); err != nil {
				return nil, err
			}
			continue
		}
		if err := p.maybeAddPartFromPending(); err != nil {
			return nil, err
		}
		if _, err := p.consumeRequired(tokEnd); err != nil {
			return nil, err
		}
	}
	return p.parts, nil
}

// pendingText accumulates the pending fixed value. Consecutive pieces are
// usually adjacent in the pattern; they are then kept as one substring of
// it instead of being copied.
type pendingText struct {
	input      string
	start, end int    // pending text is input[start:end] while b is nil
	b          []byte // used once pieces stop being adjacent
}

// add appends piece, which is input[at:at+len(piece)] when at >= 0.
func (t *pendingText) add(piece string, at int) {
	switch {
	case piece == "":
	case t.b != nil:
		t.b = append(t.b, piece...)
	case at >= 0 && t.start == t.end:
		t.start, t.end = at, at+len(piece)
	case at >= 0 && at == t.end:
		t.end += len(piece)
	default:
		t.b = append(append(make([]byte, 0, t.end-t.start+len(piece)+8), t.input[t.start:t.end]...), piece...)
	}
}

// take returns the accumulated text and resets t.
func (t *pendingText) take() string {
	s := t.input[t.start:t.end]
	if t.b != nil {
		s = string(t.b)
		t.b = nil
	}
	t.start, t.end = 0, 0
	return s
}

func (p *patternParser) tryConsume(typ tokenType) *token {
	if p.index >= len(p.tokens) {
		return nil
	}
	t := &p.tokens[p.index]
	if t.typ != typ {
		return nil
	}
	p.index++
	return t
}

func (p *patternParser) tryConsumeModifier() *token {
	if t := p.tryConsume(tokOtherModifier); t != nil {
		return t
	}
	return p.tryConsume(tokAsterisk)
}

func (p *patternParser) tryConsumeRegexpOrWildcard(nameTok *token) *token {
	t := p.tryConsume(tokRegexp)
	if nameTok == nil && t == nil {
		t = p.tryConsume(tokAsterisk)
	}
	return t
}

func (p *patternParser) consumeRequired(typ tokenType) (*token, error) {
	if t := p.tryConsume(typ); t != nil {
		return t, nil
	}
	t := p.tokens[min(p.index, len(p.tokens)-1)]
	var reason string
	switch {
	case typ == tokClose && t.typ == tokEnd:
		reason = "unbalanced '{'"
	case typ == tokClose:
		reason = "unexpected " + describeToken(t) + " inside '{...}'"
	case t.typ == tokClose:
		reason = "unbalanced '}'"
	default:
		reason = "unexpected " + describeToken(t)
	}
	return nil, &Error{Input: p.input, Offset: t.index, Reason: reason}
}

func describeToken(t token) string {
	switch t.typ {
	case tokEnd:
		return "end of pattern"
	case tokOpen:
		return "'{'"
	case tokClose:
		return "'}'"
	case tokRegexp:
		return "regexp group"
	case tokName:
		return "named group ':" + t.value + "'"
	case tokAsterisk, tokOtherModifier:
		return "modifier '" + t.value + "'"
	}
	return strconv.Quote(t.value)
}

func (p *patternParser) consumeText() string {
	var b strings.Builder
	for {
		t := p.tryConsume(tokChar)
		if t == nil {
			t = p.tryConsume(tokEscapedChar)
		}
		if t == nil {
			return b.String()
		}
		b.WriteString(t.value)
	}
}

func (p *patternParser) maybeAddPartFromPending() error {
	v := p.pendingFixed.take()
	if v == "" {
		return nil
	}
	enc, err := p.encode(v)
	if err != nil {
		return p.wrapEncodeErr(err, v)
	}
	p.parts = append(p.parts, part{typ: partFixedText, value: enc, modifier: modNone})
	return nil
}

func (p *patternParser) wrapEncodeErr(err error, text string) error {
	return &Error{Input: p.input, Offset: -1, Reason: "cannot canonicalize " + strconv.Quote(text), Err: err}
}

// addPart implements "add a part".
func (p *patternParser) addPart(prefix string, nameTok, regexpTok *token, suffix string, modTok *token) error {
	mod := modNone
	if modTok != nil {
		switch modTok.value {
		case "?":
			mod = modOptional
		case "*":
			mod = modZeroOrMore
		case "+":
			mod = modOneOrMore
		}
	}
	if nameTok == nil && regexpTok == nil && mod == modNone {
		p.pendingFixed.add(prefix, -1)
		return nil
	}
	if err := p.maybeAddPartFromPending(); err != nil {
		return err
	}
	if nameTok == nil && regexpTok == nil {
		if prefix == "" {
			return nil
		}
		enc, err := p.encode(prefix)
		if err != nil {
			return p.wrapEncodeErr(err, prefix)
		}
		p.parts = append(p.parts, part{typ: partFixedText, value: enc, modifier: mod})
		return nil
	}
	regexpValue := ""
	switch {
	case regexpTok == nil:
		regexpValue = p.segmentRegexp
	case regexpTok.typ == tokAsterisk:
		regexpValue = fullWildcardRegexp
	default:
		regexpValue = regexpTok.value
	}
	typ := partRegexp
	switch regexpValue {
	case p.segmentRegexp:
		typ = partSegmentWildcard
		regexpValue = ""
	case fullWildcardRegexp:
		typ = partFullWildcard
		regexpValue = ""
	}
	name := ""
	if nameTok != nil {
		name = nameTok.value
	} else if regexpTok != nil {
		name = strconv.Itoa(p.nextNumericNum)
		p.nextNumericNum++
	}
	if p.isDuplicateName(name) {
		off := -1
		if nameTok != nil {
			off = nameTok.index
		}
		return &Error{Input: p.input, Offset: off, Reason: "duplicate group name " + strconv.Quote(name)}
	}
	encPrefix, err := p.encode(prefix)
	if err != nil {
		return p.wrapEncodeErr(err, prefix)
	}
	encSuffix, err := p.encode(suffix)
	if err != nil {
		return p.wrapEncodeErr(err, suffix)
	}
	p.parts = append(p.parts, part{typ: typ, value: regexpValue, modifier: mod, name: name, prefix: encPrefix, suffix: encSuffix})
	return nil
}

// isDuplicateName implements "is a duplicate name". Long part lists use a
// set, so that parsing stays linear.
func (p *patternParser) isDuplicateName(name string) bool {
	const linearLimit = 16
	if p.names == nil && len(p.parts) <= linearLimit {
		for i := range p.parts {
			if p.parts[i].name == name {
				return true
			}
		}
		return false
	}
	if p.names == nil {
		p.names = make(map[string]bool, 2*len(p.parts))
		for i := range p.parts {
			if p.parts[i].name != "" {
				p.names[p.parts[i].name] = true
			}
		}
	}
	if p.names[name] {
		return true
	}
	p.names[name] = true
	return false
}

// generateRegexp implements "generate a regular expression and name list".
// The result is ECMAScript regexp source (for the v flag).
func generateRegexp(parts []part, o options) (string, []string) {
	var b strings.Builder
	b.WriteString("^")
	names := make([]string, 0, len(parts))
	for i := range parts {
		pt := &parts[i]
		if pt.typ == partFixedText {
			if pt.modifier == modNone {
				b.WriteString(escapeRegexpString(pt.value))
			} else {
				b.WriteString("(?:")
				b.WriteString(escapeRegexpString(pt.value))
				b.WriteString(")")
				b.WriteString(pt.modifier.String())
			}
			continue
		}
		names = append(names, pt.name)
		rv := pt.value
		switch pt.typ {
		case partSegmentWildcard:
			rv = segmentWildcardRegexp(o)
		case partFullWildcard:
			rv = fullWildcardRegexp
		}
		if pt.prefix == "" && pt.suffix == "" {
			if pt.modifier == modNone || pt.modifier == modOptional {
				b.WriteString("(" + rv + ")" + pt.modifier.String())
			} else {
				b.WriteString("((?:" + rv + ")" + pt.modifier.String() + ")")
			}
			continue
		}
		ep, es := escapeRegexpString(pt.prefix), escapeRegexpString(pt.suffix)
		if pt.modifier == modNone || pt.modifier == modOptional {
			b.WriteString("(?:" + ep + "(" + rv + ")" + es + ")" + pt.modifier.String())
			continue
		}
		b.WriteString("(?:" + ep + "((?:" + rv + ")(?:" + es + ep + "(?:" + rv + "))*)" + es + ")")
		if pt.modifier == modZeroOrMore {
			b.WriteString("?")
		}
	}
	b.WriteString("$")
	return b.String(), names
}

// escapeRegexpString implements "escape a regexp string".
func escapeRegexpString(s string) string {
	if !strings.ContainsAny(s, `.+*?^${}()[]|/\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '.', '+', '*', '?', '^', '$', '{', '}', '(', ')', '[', ']', '|', '/', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// escapePatternString implements "escape a pattern string".
func escapePatternString(s string) string {
	if !strings.ContainsAny(s, `+*?:{}()\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+', '*', '?', ':', '{', '}', '(', ')', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isASCIIDigit(c byte) bool { return c >= '0' && c <= '9' }

// generatePatternString implements "generate a pattern string".
func generatePatternString(parts []part, o options) string {
	var b strings.Builder
	for i := range parts {
		pt := &parts[i]
		var prev, next *part
		if i > 0 {
			prev = &parts[i-1]
		}
		if i < len(parts)-1 {
			next = &parts[i+1]
		}
		if pt.typ == partFixedText {
			if pt.modifier == modNone {
				b.WriteString(escapePatternString(pt.value))
				continue
			}
			b.WriteString("{" + escapePatternString(pt.value) + "}" + pt.modifier.String())
			continue
		}
		customName := pt.name != "" && !isASCIIDigit(pt.name[0])
		needsGrouping := pt.suffix != "" || (pt.prefix != "" && pt.prefix != o.prefix)
		if !needsGrouping && customName && pt.typ == partSegmentWildcard && pt.modifier == modNone &&
			next != nil && next.prefix == "" && next.suffix == "" {
			if next.typ == partFixedText {
				r, _ := utf8.DecodeRuneInString(next.value)
				needsGrouping = next.value != "" && isValidNameCodePoint(r, false)
			} else {
				needsGrouping = next.name != "" && isASCIIDigit(next.name[0])
			}
		}
		if !needsGrouping && pt.prefix == "" && prev != nil && prev.typ == partFixedText &&
			o.prefix != "" && strings.HasSuffix(prev.value, o.prefix) {
			needsGrouping = true
		}
		if needsGrouping {
			b.WriteString("{")
		}
		b.WriteString(escapePatternString(pt.prefix))
		if customName {
			b.WriteString(":" + pt.name)
		}
		switch {
		case pt.typ == partRegexp:
			b.WriteString("(" + pt.value + ")")
		case pt.typ == partSegmentWildcard && !customName:
			b.WriteString("(" + segmentWildcardRegexp(o) + ")")
		case pt.typ == partFullWildcard:
			if !customName && (prev == nil || prev.typ == partFixedText || prev.modifier != modNone || needsGrouping || pt.prefix != "") {
				b.WriteString("*")
			} else {
				b.WriteString("(" + fullWildcardRegexp + ")")
			}
		}
		if pt.typ == partSegmentWildcard && customName && pt.suffix != "" {
			if r, _ := utf8.DecodeRuneInString(pt.suffix); isValidNameCodePoint(r, false) {
				b.WriteString(`\`)
			}
		}
		b.WriteString(escapePatternString(pt.suffix))
		if needsGrouping {
			b.WriteString("}")
		}
		b.WriteString(pt.modifier.String())
	}
	return b.String()
}

// Package linkheader parses HTTP Link header fields (RFC 8288).
//
//	Link: </sw.js>; rel="serviceworker"; scope="/", <https://x.test/a>; rel=preload
//
// Parse returns every well-formed link value and an error for each
// malformed one, so that callers can use the valid links and log the rest.
// Parameter names are lower-cased; values of "*" parameters in RFC 8187
// form (UTF-8”%E2%82%AC) are decoded; later occurrences of "rel",
// "anchor" and other single-valued parameters are ignored, as the RFC
// requires of parsers.
package linkheader

import (
	"fmt"
	"iter"
	"net/url"
	"strings"
)

// Link is one link value: a target URI reference and its parameters.
type Link struct {
	Target string  // the URI reference between < and >, unresolved
	Params []Param // in order, names lower-cased
}

// Param is one link parameter. A parameter without "=value" has an empty
// Value and HasValue false.
type Param struct {
	Name     string
	Value    string
	HasValue bool
}

// Param returns the value of the first parameter with the given
// (lower-case) name.
func (l Link) Param(name string) (string, bool) {
	for _, p := range l.Params {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// Rels returns the link's relation types: the first "rel" parameter split
// on whitespace, lower-cased.
func (l Link) Rels() []string {
	v, _ := l.Param("rel")
	return strings.Fields(strings.ToLower(v))
}

// HasRel reports whether the link has the relation type rel.
func (l Link) HasRel(rel string) bool {
	for _, r := range l.Rels() {
		if r == strings.ToLower(rel) {
			return true
		}
	}
	return false
}

// Error is a malformed link value.
type Error struct {
	Offset int    // byte offset of the problem in the field value
	Reason string // what is wrong
}

func (e *Error) Error() string {
	return fmt.Sprintf("Link header: %s at offset %d", e.Reason, e.Offset)
}

// Parse parses the values of one or more Link header fields (pass several
// field lines joined with ", " or call Parse on each).
func Parse(field string) ([]Link, []error) {
	var (
		links []Link
		errs  []error
	)
	for l, err := range All(field) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		links = append(links, l)
	}
	return links, errs
}

// All yields the link values of field in order, as Parse returns them:
// each well-formed one with a nil error, each malformed one as a zero
// Link with its *Error. It parses as it goes, so a caller that stops
// early (it takes the first few links of a huge header) does no more
// work than it uses.
func All(field string) iter.Seq2[Link, error] {
	return func(yield func(Link, error) bool) {
		p := &parser{s: field}
		for {
			p.skipOWS()
			if p.eof() {
				return
			}
			if p.peek() == ',' { // empty list element
				p.i++
				continue
			}
			l, err := p.linkValue()
			if err != nil {
				p.skipToNextValue()
				if !yield(Link{}, err) {
					return
				}
				continue
			}
			p.skipOWS()
			if !p.eof() && p.peek() != ',' {
				err := &Error{Offset: p.i, Reason: fmt.Sprintf("unexpected %q after link value", p.peek())}
				p.skipToNextValue()
				if !yield(l, nil) || !yield(Link{}, err) {
					return
				}
				continue
			}
			if !p.eof() {
				p.i++
			}
			if !yield(l, nil) {
				return
			}
		}
	}
}

type parser struct {
	s string
	i int
}

func (p *parser) eof() bool  { return p.i >= len(p.s) }
func (p *parser) peek() byte { return p.s[p.i] }

func (p *parser) skipOWS() {
	for !p.eof() && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// skipToNextValue moves past the next comma outside <...> and quotes.
func (p *parser) skipToNextValue() {
	inAngle, inQuote := false, false
	for ; !p.eof(); p.i++ {
		c := p.s[p.i]
		switch {
		case inQuote && c == '\\':
			p.i++
		case inQuote:
			inQuote = c != '"'
		case c == '"':
			inQuote = true
		case c == '<':
			inAngle = true
		case c == '>':
			inAngle = false
		case c == ',' && !inAngle:
			p.i++
			return
		}
	}
}

func (p *parser) linkValue() (Link, error) {
	if p.peek() != '<' {
		return Link{}, &Error{Offset: p.i, Reason: "a link value must start with '<'"}
	}
	end := strings.IndexByte(p.s[p.i+1:], '>')
	if end < 0 {
		return Link{}, &Error{Offset: p.i, Reason: "unterminated '<'"}
	}
	l := Link{Target: strings.TrimSpace(p.s[p.i+1 : p.i+1+end])}
	if strings.ContainsAny(l.Target, "<\r\n") {
		return Link{}, &Error{Offset: p.i, Reason: "invalid character in the link target"}
	}
	p.i += end + 2
	seen := map[string]bool{}
	for {
		p.skipOWS()
		if p.eof() || p.peek() == ',' {
			return l, nil
		}
		if p.peek() != ';' {
			return Link{}, &Error{Offset: p.i, Reason: fmt.Sprintf("expected ';' or ',', found %q", p.peek())}
		}
		p.i++
		p.skipOWS()
		start := p.i
		name := p.token()
		if name == "" {
			return Link{}, &Error{Offset: start, Reason: "missing parameter name"}
		}
		name = strings.ToLower(name)
		param := Param{Name: name}
		p.skipOWS()
		if !p.eof() && p.peek() == '=' {
			p.i++
			p.skipOWS()
			v, err := p.value()
			if err != nil {
				return Link{}, err
			}
			if strings.HasSuffix(name, "*") {
				if v, err = decodeExtValue(v); err != nil {
					return Link{}, &Error{Offset: start, Reason: fmt.Sprintf("parameter %s: %v", name, err)}
				}
			}
			param.Value, param.HasValue = v, true
		}
		if seen[name] && name != "hreflang" {
			continue // RFC 8288: later occurrences are ignored
		}
		seen[name] = true
		l.Params = append(l.Params, param)
	}
}

// token reads an RFC 7230 token.
func (p *parser) token() string {
	start := p.i
	for !p.eof() && isTchar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

func isTchar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// value reads a token or a quoted-string.
func (p *parser) value() (string, error) {
	if p.eof() {
		return "", &Error{Offset: p.i, Reason: "missing parameter value"}
	}
	if p.peek() != '"' {
		v := p.token()
		if v == "" {
			return "", &Error{Offset: p.i, Reason: fmt.Sprintf("invalid parameter value starting with %q", p.peek())}
		}
		return v, nil
	}
	start := p.i
	p.i++
	var b strings.Builder
	for !p.eof() {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), nil
		case c == '\\':
			if p.i+1 >= len(p.s) {
				return "", &Error{Offset: p.i, Reason: "unterminated escape in quoted string"}
			}
			b.WriteByte(p.s[p.i+1])
			p.i += 2
		case c < 0x20 && c != '\t' || c == 0x7f:
			return "", &Error{Offset: p.i, Reason: "control character in quoted string"}
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", &Error{Offset: start, Reason: "unterminated quoted string"}
}

// decodeExtValue decodes an RFC 8187 ext-value: charset'language'pct-value.
func decodeExtValue(v string) (string, error) {
	parts := strings.SplitN(v, "'", 3)
	if len(parts) != 3 {
		return "", fmt.Errorf("malformed extended value %q", v)
	}
	if cs := strings.ToLower(parts[0]); cs != "utf-8" && cs != "iso-8859-1" {
		return "", fmt.Errorf("unsupported charset %q", parts[0])
	}
	s, err := url.PathUnescape(parts[2])
	if err != nil {
		return "", fmt.Errorf("bad percent-encoding in %q", v)
	}
	if strings.ToLower(parts[0]) == "iso-8859-1" {
		r := make([]rune, len(s))
		for i := 0; i < len(s); i++ {
			r[i] = rune(s[i])
		}
		s = string(r)
	}
	return s, nil
}

package worker

import (
	"errors"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/grafana/sobek"
	"github.com/swhost/swhost/weberr"
)

// jsonMaxDepth bounds the nesting JSON.parse follows (a deeper text is a
// SyntaxError rather than a Go stack that grows without limit).
const jsonMaxDepth = 10000

// jsonParser builds engine values straight from a JSON text (ECMA-404, as
// JSON.parse reads it): objects with their members as own data
// properties in order ("__proto__" included, as CreateDataProperty
// makes it), arrays, strings with lone surrogates kept, numbers as
// float64.
type jsonParser struct {
	rt    *sobek.Runtime
	s     string
	i     int
	depth int
	u16   []uint16 // scratch for strings that are not valid UTF-8 once unescaped
	buf   []byte   // scratch for unescaping
	vals  []any    // scratch stack for array elements
}

type jsonError struct{ msg string }

// errJSONFallback: the text has something parseJSON leaves to the
// engine's own JSON.parse (a property name with a lone surrogate).
var errJSONFallback = errors.New("json: left to the engine")

// strValue makes the engine string of a string token.
func (p *jsonParser) strValue(s string, lone bool) sobek.Value {
	if !lone {
		return p.rt.ToValue(s)
	}
	u := make([]uint16, 0, len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 && i+3 <= len(s) && s[i]&0xf0 == 0xe0 {
			// a surrogate in WTF-8
			u = append(u, uint16(s[i]&0x0f)<<12|uint16(s[i+1]&0x3f)<<6|uint16(s[i+2]&0x3f))
			i += 3
			continue
		}
		u = utf16.AppendRune(u, r)
		i += n
	}
	return p.rt.ToValue(sobek.StringFromUTF16(u))
}

func parseJSON(rt *sobek.Runtime, s string) (v sobek.Value, err error) {
	p := &jsonParser{rt: rt, s: s}
	defer func() {
		if x := recover(); x != nil {
			if x == errJSONFallback {
				err = errJSONFallback
				return
			}
			je, ok := x.(jsonError)
			if !ok {
				panic(x)
			}
			err = weberr.New(weberr.SyntaxError, je.msg)
		}
	}()
	p.space()
	v = p.value()
	p.space()
	if p.i < len(p.s) {
		p.fail("Unexpected non-whitespace character after JSON")
	}
	return v, nil
}

func (p *jsonParser) fail(msg string) {
	panic(jsonError{msg + " at position " + strconv.Itoa(p.i)})
}

func (p *jsonParser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value() sobek.Value {
	if p.i >= len(p.s) {
		p.fail("Unexpected end of JSON input")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		return p.strValue(p.str())
	case c == '-' || c >= '0' && c <= '9':
		return p.rt.ToValue(p.number())
	case c == 't':
		p.word("true")
		return p.rt.ToValue(true)
	case c == 'f':
		p.word("false")
		return p.rt.ToValue(false)
	case c == 'n':
		p.word("null")
		return sobek.Null()
	}
	p.fail("Unexpected token")
	return nil
}

func (p *jsonParser) word(w string) {
	if len(p.s)-p.i < len(w) || p.s[p.i:p.i+len(w)] != w {
		p.fail("Unexpected token")
	}
	p.i += len(w)
}

func (p *jsonParser) enter() {
	p.depth++
	if p.depth > jsonMaxDepth {
		p.fail("JSON nested too deeply")
	}
}

func (p *jsonParser) object() sobek.Value {
	p.enter()
	p.i++ // {
	o := p.rt.NewObject()
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		p.depth--
		return o
	}
	for {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			p.fail("Expected a property name")
		}
		key, lone := p.str()
		if lone {
			// A property name the Go API cannot carry: the engine's own
			// parser takes the text.
			panic(errJSONFallback)
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			p.fail("Expected ':' after a property name")
		}
		p.i++
		p.space()
		v := p.value()
		if err := o.DefineDataProperty(key, v, sobek.FLAG_TRUE, sobek.FLAG_TRUE, sobek.FLAG_TRUE); err != nil {
			panic(err)
		}
		p.space()
		if p.i >= len(p.s) {
			p.fail("Unexpected end of JSON input")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			p.depth--
			return o
		default:
			p.fail("Expected ',' or '}' after a property value")
		}
	}
}

func (p *jsonParser) array() sobek.Value {
	p.enter()
	p.i++ // [
	base := len(p.vals)
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		p.depth--
		return p.rt.NewArray()
	}
	for {
		p.space()
		p.vals = append(p.vals, p.value())
		p.space()
		if p.i >= len(p.s) {
			p.fail("Unexpected end of JSON input")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			p.depth--
			arr := p.rt.NewArray(p.vals[base:]...)
			clear(p.vals[base:])
			p.vals = p.vals[:base]
			return arr
		default:
			p.fail("Expected ',' or ']' after an array element")
		}
	}
}

// str reads a string token. A lone surrogate (escaped as \uD800) is kept
// in WTF-8 and reported: strValue makes a UTF-16 engine string of it.
func (p *jsonParser) str() (s string, lone bool) {
	p.i++ // "
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '"' {
			s := p.s[start:p.i]
			p.i++
			return s, false
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.i++
	}
	p.buf = append(p.buf[:0], p.s[start:p.i]...)
	for {
		if p.i >= len(p.s) {
			p.fail("Unterminated string in JSON")
		}
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return string(p.buf), lone
		case c < 0x20:
			p.fail("Bad control character in string literal")
		case c != '\\':
			p.buf = append(p.buf, c)
			p.i++
			continue
		}
		p.i++
		if p.i >= len(p.s) {
			p.fail("Unterminated string in JSON")
		}
		e := p.s[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			p.buf = append(p.buf, e)
		case 'b':
			p.buf = append(p.buf, '\b')
		case 'f':
			p.buf = append(p.buf, '\f')
		case 'n':
			p.buf = append(p.buf, '\n')
		case 'r':
			p.buf = append(p.buf, '\r')
		case 't':
			p.buf = append(p.buf, '\t')
		case 'u':
			r := p.hex4()
			if utf16.IsSurrogate(r) {
				if r < 0xdc00 && p.i+6 <= len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
					save := p.i
					p.i += 2
					r2 := p.hex4()
					if r2 >= 0xdc00 && r2 <= 0xdfff {
						p.buf = utf8.AppendRune(p.buf, utf16.DecodeRune(r, r2))
						continue
					}
					p.i = save
				}
				p.buf = appendWTF8(p.buf, r)
				lone = true
				continue
			}
			p.buf = utf8.AppendRune(p.buf, r)
		default:
			p.i--
			p.fail("Bad escaped character in JSON")
		}
	}
}

// appendWTF8 appends a lone surrogate in WTF-8 (the three bytes UTF-8
// would give it), which the caller turns into a UTF-16 string.
func appendWTF8(b []byte, r rune) []byte {
	return append(b, byte(0xe0|r>>12), byte(0x80|(r>>6)&0x3f), byte(0x80|r&0x3f))
}

func (p *jsonParser) hex4() rune {
	if p.i+4 > len(p.s) {
		p.fail("Bad Unicode escape in JSON")
	}
	var r rune
	for _, c := range []byte(p.s[p.i : p.i+4]) {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			p.fail("Bad Unicode escape in JSON")
		}
	}
	p.i += 4
	return r
}

func (p *jsonParser) number() float64 {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.s) && p.s[p.i] == '0':
		p.i++
	case p.i < len(p.s) && p.s[p.i] >= '1' && p.s[p.i] <= '9':
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
	default:
		p.fail("No number after minus sign in JSON")
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		d := p.i
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		if p.i == d {
			p.fail("Unterminated fractional number in JSON")
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		d := p.i
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		if p.i == d {
			p.fail("Exponent part is missing a number in JSON")
		}
	}
	f, err := strconv.ParseFloat(p.s[start:p.i], 64)
	if err != nil && !math.IsInf(f, 0) {
		p.fail("Bad number in JSON")
	}
	return f
}

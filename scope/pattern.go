package scope

import (
	"fmt"
	"strings"
)

// segment is a compiled seed pattern string under the scope restrictions:
// literal text, then optionally a "/?" segment break (paths only), then
// optionally a trailing "*".
//
// The literal is kept in its decoded pattern form (escapes removed); callers
// canonicalize it for the URL component it applies to.
type segment struct {
	lit      string // static text before the first variable character
	optSlash bool   // lit is followed by "/?"
	star     bool   // the pattern ends with "*"
}

// variable reports whether the segment has any pattern character.
func (s segment) variable() bool { return s.optSlash || s.star }

// String returns the segment in pattern syntax, escaping pattern characters
// in the literal.
func (s segment) String() string {
	var b strings.Builder
	b.WriteString(escapePattern(s.lit))
	if s.optSlash {
		b.WriteString("/?")
	}
	if s.star {
		b.WriteByte('*')
	}
	return b.String()
}

// escapePattern escapes the pattern characters of a literal.
func escapePattern(lit string) string {
	if !strings.ContainsAny(lit, `*?\`) {
		return lit
	}
	var b strings.Builder
	for i := 0; i < len(lit); i++ {
		if c := lit[i]; c == '*' || c == '?' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(lit[i])
	}
	return b.String()
}

// parseSegment parses a seed pattern string for the named component
// ("path", "search value", "search key", "search param value"). allowSlash
// permits the "/?" segment break (paths only). The errors name the broken
// restriction.
func parseSegment(component, p string, allowSlash bool) (segment, error) {
	var (
		lit       strings.Builder
		seg       segment
		lastSlash bool // the previous pattern element is a literal '/'
	)
	for i := 0; i < len(p); i++ {
		c := p[i]
		wasSlash := lastSlash
		lastSlash = false
		if seg.star {
			return segment{}, ruleError(component, p, i, "'*' is only allowed at the end of a pattern (in-fix wildcards are not supported)")
		}
		switch c {
		case '\\':
			if i+1 == len(p) {
				return segment{}, ruleError(component, p, i, "'\\' at the end of the pattern escapes nothing")
			}
			if seg.optSlash {
				return segment{}, ruleError(component, p, i, "only '*' may follow the '/?' segment break")
			}
			i++
			lit.WriteByte(p[i])
			lastSlash = p[i] == '/'
		case '*':
			seg.star = true
		case '?':
			switch {
			case seg.optSlash:
				return segment{}, ruleError(component, p, i, "at most one '?' is allowed")
			case !allowSlash:
				return segment{}, ruleError(component, p, i, "'?' is only allowed on a slash in a path ('/?')")
			case !wasSlash:
				return segment{}, ruleError(component, p, i, "'?' may only make a slash optional ('/?')")
			}
			// The '/' before '?' was written to lit; move it into the break.
			s := lit.String()
			lit.Reset()
			lit.WriteString(s[:len(s)-1])
			seg.optSlash = true
		default:
			if seg.optSlash {
				return segment{}, ruleError(component, p, i, "only '*' may follow the '/?' segment break")
			}
			lit.WriteByte(c)
			lastSlash = c == '/'
		}
	}
	seg.lit = lit.String()
	return seg, nil
}

// ruleError reports a broken scope restriction or syntax error in a pattern.
func ruleError(component, p string, offset int, rule string) error {
	return &Error{Msg: fmt.Sprintf("invalid scope %s pattern %q at offset %d: %s", component, p, offset, rule)}
}

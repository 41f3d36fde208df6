package scope

import (
	"encoding/json"
	"strings"

	"github.com/swhost/swhost/urlpattern"
)

// FromURLPattern converts a WHATWG URL pattern to a scope when it fits the
// scope restrictions: a fixed http(s) protocol, hostname and port (the
// non-variable prefix covers the origin), username and password "*" or
// empty, hash "*", a pathname that is literal text optionally followed by
// "*", "/*?" (the explainer's "/?*") or "{/}?" (the explainer's "/?"), and
// a search that is "*", or literal text optionally followed by "*".
//
// A WHATWG search pattern applies to the query without its "?"; an empty
// one becomes the explainer's empty search value, which does not match a URL
// ending in a bare "?".
func FromURLPattern(p *urlpattern.URLPattern) (*Scope, error) {
	origin, err := fixedOrigin(p)
	if err != nil {
		return nil, err
	}
	for name, v := range map[string]string{"username": p.Username(), "password": p.Password()} {
		if v != "*" && v != "" {
			return nil, errorf("URLPattern %s %q cannot be used in a scope: credentials are not part of scope matching", name, v)
		}
	}
	if h := p.Hash(); h != "*" {
		return nil, errorf("URLPattern hash %q cannot be used in a scope: scopes ignore the fragment (use \"*\")", h)
	}
	in := Init{BaseURL: origin}
	path, err := patternPath(p.Pathname())
	if err != nil {
		return nil, err
	}
	in.Path = &path
	if s := p.Search(); s != "*" {
		lit, star, ok := literalStar(s)
		if !ok {
			return nil, errorf("URLPattern search %q is too complex for a scope: only literal text optionally followed by '*' is allowed", s)
		}
		v := ""
		if lit != "" || star {
			v = `\?` + escapePattern(lit)
		}
		if star {
			v += "*"
		}
		in.Search = &SearchInit{Value: &v}
	}
	return New(in)
}

// fixedOrigin returns the serialized origin of a pattern whose protocol,
// hostname and port are all literal.
func fixedOrigin(p *urlpattern.URLPattern) (string, error) {
	parts := []struct{ name, value string }{{"protocol", p.Protocol()}, {"hostname", p.Hostname()}, {"port", p.Port()}}
	lits := make([]string, len(parts))
	for i, c := range parts {
		lit, star, ok := literalStar(c.value)
		if !ok || star {
			return "", errorf("URLPattern %s %q cannot be used in a scope: the non-variable prefix must cover the whole origin", c.name, c.value)
		}
		lits[i] = lit
	}
	if lits[1] == "" {
		return "", errorf("URLPattern has an empty hostname: a scope needs an origin")
	}
	origin := lits[0] + "://" + lits[1]
	if lits[2] != "" {
		origin += ":" + lits[2]
	}
	return origin, nil
}

// patternPath converts a canonical WHATWG pathname pattern to the
// explainer's path syntax.
func patternPath(s string) (string, error) {
	suffix := ""
	switch {
	case strings.HasSuffix(s, "/*?") && !escapedAt(s, len(s)-2):
		s, suffix = s[:len(s)-3], "/?*"
	case strings.HasSuffix(s, "{/}?"):
		s, suffix = s[:len(s)-4], "/?"
	}
	lit, star, ok := literalStar(s)
	if !ok || (star && suffix != "") {
		return "", errorf("URLPattern pathname %q is too complex for a scope: only literal text followed by nothing, '*', '/*?' or '{/}?' is allowed", s+strings.TrimPrefix(suffix, "/?"))
	}
	out := escapePattern(lit) + suffix
	if star {
		out += "*"
	}
	return out, nil
}

// literalStar splits a canonical URL pattern string into literal text (with
// its escapes removed) and an optional trailing "*". ok is false when the
// string has any other pattern syntax.
func literalStar(s string) (lit string, star, ok bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 == len(s) {
				return "", false, false
			}
			i++
			b.WriteByte(s[i])
		case '*':
			if i != len(s)-1 {
				return "", false, false
			}
			star = true
		case ':', '(', ')', '{', '}', '?', '+':
			return "", false, false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), star, true
}

// escapedAt reports whether s[i] is preceded by an odd number of
// backslashes.
func escapedAt(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// whatwgInitKeys are members that only a WHATWG URLPatternInit has.
var whatwgInitKeys = []string{"protocol", "username", "password", "hostname", "port", "pathname", "hash", "baseURL"}

// isWHATWGInit reports whether a JSON object is a WHATWG URLPatternInit
// rather than a pattern in the explainer's form.
func isWHATWGInit(text string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(text), &m) != nil {
		return false
	}
	for _, k := range whatwgInitKeys {
		if _, ok := m[k]; ok {
			return true
		}
	}
	if s, ok := m["search"]; ok && len(s) > 0 && s[0] == '"' {
		return true
	}
	return false
}

// parseWHATWGInit compiles a JSON URLPatternInit as a scope. base, when not
// empty, is used as the init's baseURL if it has none.
func parseWHATWGInit(text, base string) (*Scope, error) {
	in, err := urlpattern.ParseInit([]byte(text))
	if err != nil {
		return nil, errorf("invalid URLPattern init: %s", trimName(err))
	}
	if in.BaseURL == nil && base != "" {
		in.BaseURL = &base
	}
	p, err := urlpattern.NewFromInit(in, urlpattern.Options{})
	if err != nil {
		return nil, errorf("invalid URLPattern: %s", trimName(err))
	}
	return FromURLPattern(p)
}

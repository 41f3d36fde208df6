package scope

import (
	"encoding/json"
	"strings"

	"github.com/swhost/swhost/internal/weburl"
)

// Init is a scope pattern in the explainer's form. Absent parts match
// anything: no Path is "*", no Search is a search value of "*".
type Init struct {
	// BaseURL gives the scheme, host and port, and resolves a relative Path.
	BaseURL string      `json:"baseUrl"`
	Path    *string     `json:"path,omitempty"`
	Search  *SearchInit `json:"search,omitempty"`
}

// SearchInit is the search part of a scope pattern: either Value, a pattern
// over the whole search string including its leading "?" ("" when the URL
// has no query), or Params, key/value pairs that must be present anywhere in
// the query. They are mutually exclusive, and scopes allow at most one
// parameter.
type SearchInit struct {
	Value  *string     `json:"value,omitempty"`
	Params []ParamInit `json:"params,omitempty"`
}

// ParamInit is one search parameter pattern. An absent Value matches any
// value.
type ParamInit struct {
	Key   string  `json:"key"`
	Value *string `json:"value,omitempty"`
}

type searchKind uint8

const (
	searchAny   searchKind = iota // any search string, including none
	searchValue                   // a pattern over the whole search string
	searchParam                   // one key/value pair anywhere in the query
)

// Scope is a compiled service-worker scope. It is immutable and safe for
// concurrent use.
type Scope struct {
	legacy string // serialized legacy scope URL; "" for pattern scopes

	origin string  // serialized origin, e.g. "https://foo.com"
	path   segment // lit is the canonical (percent-encoded) path text
	search searchKind
	value  segment // searchValue: lit is canonical and starts with "?" unless empty
	key    segment // searchParam: decoded key pattern
	pval   segment // searchParam: decoded value pattern

	prefix string // non-variable prefix, a string prefix of every matching URL
	key_   string // canonical identity, see Key
}

// Specificity ranks the first pattern character of a scope: an exact scope
// (no pattern character) is the most specific, then "?", then "*".
type Specificity int

// Specificities, from least to most specific.
const (
	SpecificityWildcard Specificity = iota // first pattern character is '*'
	SpecificityOptional                    // first pattern character is '?'
	SpecificityExact                       // no pattern character
)

// String returns "*", "?" or "exact".
func (s Specificity) String() string {
	switch s {
	case SpecificityWildcard:
		return "*"
	case SpecificityOptional:
		return "?"
	default:
		return "exact"
	}
}

// New compiles a scope pattern in the explainer's form.
func New(in Init) (*Scope, error) {
	if in.BaseURL == "" {
		return nil, errorf("a scope pattern needs a baseUrl (it gives the scheme, host and port)")
	}
	base, err := weburl.Parse(in.BaseURL)
	if err != nil {
		return nil, errorf("invalid scope baseUrl %q: %s", in.BaseURL, trimName(err))
	}
	if err := checkScheme(base); err != nil {
		return nil, err
	}
	s := &Scope{origin: base.Origin()}

	// Path: absent matches any path.
	if in.Path == nil {
		s.path = segment{star: true}
	} else {
		seg, err := parseSegment("path", *in.Path, true)
		if err != nil {
			return nil, err
		}
		lit := seg.lit
		// Whether the path is relative is a property of what was written:
		// "/?*" is absolute even though its leading slash became the
		// segment break.
		if !strings.HasPrefix(*in.Path, "/") && !strings.HasPrefix(*in.Path, `\/`) {
			// The explainer resolves a relative path beneath the base URL's
			// path: "baz/?*" with base "https://foo.com/bar" has the prefix
			// "https://foo.com/bar/baz".
			dir := base.Pathname()
			if !strings.HasSuffix(dir, "/") {
				dir += "/"
			}
			lit = dir + lit
		} else if seg.optSlash && lit == "" {
			lit = "" // "/?..." at the root: the break is the path's first slash
		}
		canon, err := canonicalPath(base, lit)
		if err != nil {
			return nil, err
		}
		seg.lit = canon
		s.path = seg
	}
	if err := checkEncodedSlash(s.path.lit); err != nil {
		return nil, err
	}

	// Search: absent matches any search string.
	if in.Search != nil {
		switch {
		case in.Search.Value != nil && in.Search.Params != nil:
			return nil, errorf("scope search value and params are mutually exclusive")
		case in.Search.Value != nil:
			seg, err := parseSegment("search value", *in.Search.Value, false)
			if err != nil {
				return nil, err
			}
			if seg.lit != "" && seg.lit[0] != '?' {
				return nil, errorf("invalid scope search value pattern %q: it matches the whole search string, which starts with '?': write %q", *in.Search.Value, `\?`+*in.Search.Value)
			}
			set := weburl.Query
			if base.IsSpecial() {
				set = weburl.SpecialQuery
			}
			seg.lit = weburl.PercentEncode(seg.lit, set)
			if seg.star && seg.lit == "" {
				s.search = searchAny // "*" is the default
			} else {
				s.search, s.value = searchValue, seg
			}
		case len(in.Search.Params) > 1:
			return nil, errorf("a scope allows at most one search parameter pattern, got %d", len(in.Search.Params))
		case len(in.Search.Params) == 1:
			p := in.Search.Params[0]
			k, err := parseSegment("search key", p.Key, false)
			if err != nil {
				return nil, err
			}
			v := segment{star: true}
			if p.Value != nil {
				if v, err = parseSegment("search param value", *p.Value, false); err != nil {
					return nil, err
				}
			}
			s.search, s.key, s.pval = searchParam, k, v
		}
	}
	s.finish()
	return s, nil
}

// ParseLegacy compiles a legacy string scope, resolved against base (which
// may be empty when scopeURL is absolute). The scope keeps the Service
// Workers spec's meaning: a plain string prefix of the serialized URL
// without its fragment.
func ParseLegacy(scopeURL, base string) (*Scope, error) {
	var (
		u   *weburl.URL
		err error
	)
	if base == "" {
		u, err = weburl.Parse(scopeURL)
	} else {
		var b *weburl.URL
		if b, err = weburl.Parse(base); err == nil {
			u, err = weburl.ParseRef(b, scopeURL)
		}
	}
	if err != nil {
		return nil, errorf("invalid scope URL %q: %s", scopeURL, trimName(err))
	}
	if err := checkScheme(u); err != nil {
		return nil, err
	}
	path := u.Pathname()
	if err := checkEncodedSlash(path); err != nil {
		return nil, err
	}
	s := &Scope{origin: u.Origin()}
	href := u.Href()
	if _, ok := u.Fragment(); ok {
		href = href[:strings.IndexByte(href, '#')]
	}
	s.legacy = href
	if q, ok := u.Query(); ok {
		s.path = segment{lit: path}
		s.search, s.value = searchValue, segment{lit: "?" + q, star: true}
	} else {
		s.path = segment{lit: path, star: true}
	}
	s.finish()
	return s, nil
}

// Parse compiles a scope written as text: a JSON object in the explainer's
// pattern form (starting with "{"), a JSON WHATWG URLPatternInit (an object
// with any of its members, such as "pathname" or "baseURL"), or a legacy
// scope string resolved against base.
func Parse(text, base string) (*Scope, error) {
	if strings.HasPrefix(strings.TrimSpace(text), "{") {
		if isWHATWGInit(text) {
			return parseWHATWGInit(text, base)
		}
		var in Init
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return nil, errorf("invalid scope pattern JSON: %v", err)
		}
		if in.BaseURL == "" {
			in.BaseURL = base
		}
		return New(in)
	}
	return ParseLegacy(text, base)
}

// finish computes the derived fields: non-variable prefix and key.
func (s *Scope) finish() {
	var b strings.Builder
	b.WriteString(s.origin)
	b.WriteString(s.path.lit)
	if !s.path.variable() {
		switch s.search {
		case searchValue:
			b.WriteString(s.value.lit)
		case searchParam:
			b.WriteByte('?')
		}
	}
	s.prefix = b.String()
	k, _ := json.Marshal(s.Pattern())
	s.key_ = string(k)
}

// IsLegacy reports whether s was written as a legacy string scope.
func (s *Scope) IsLegacy() bool { return s.legacy != "" }

// String returns the scope as written by users: the legacy scope URL, or
// the canonical pattern as JSON.
func (s *Scope) String() string {
	if s.legacy != "" {
		return s.legacy
	}
	return s.key_
}

// Key returns the scope's identity. Two scopes with the same key are the
// same registration scope; a legacy scope has the key of its equivalent
// pattern.
func (s *Scope) Key() string { return s.key_ }

// Origin returns the serialized origin the scope belongs to.
func (s *Scope) Origin() string { return s.origin }

// Prefix returns the non-variable prefix: the fully resolved static text up
// to the first pattern character. Every URL the scope matches starts with it.
func (s *Scope) Prefix() string { return s.prefix }

// Specificity returns the specificity of the scope's first pattern
// character.
func (s *Scope) Specificity() Specificity {
	switch {
	case s.path.optSlash:
		return SpecificityOptional
	case s.path.star:
		return SpecificityWildcard
	case s.search == searchAny, s.search == searchParam:
		return SpecificityWildcard
	case s.value.star:
		return SpecificityWildcard
	}
	return SpecificityExact
}

// Pattern returns the scope as a canonical pattern in the explainer's form:
// the base URL is the origin, the path is absolute and percent-encoded, and
// a legacy scope is given as its equivalent pattern.
func (s *Scope) Pattern() Init {
	in := Init{BaseURL: s.origin}
	p := s.path.String()
	in.Path = &p
	switch s.search {
	case searchValue:
		v := s.value.String()
		in.Search = &SearchInit{Value: &v}
	case searchParam:
		v := s.pval.String()
		in.Search = &SearchInit{Params: []ParamInit{{Key: s.key.String(), Value: &v}}}
	}
	return in
}

// MarshalJSON encodes a pattern scope as its canonical pattern and a legacy
// scope as its URL string.
func (s *Scope) MarshalJSON() ([]byte, error) {
	if s.legacy != "" {
		return json.Marshal(s.legacy)
	}
	return []byte(s.key_), nil
}

// canonicalPath percent-encodes and normalizes a path literal the way the
// URL parser does, so that it compares equal to parsed URLs' paths.
func canonicalPath(base *weburl.URL, lit string) (string, error) {
	if lit == "" {
		return "", nil
	}
	// '?' and '#' end a path in URL syntax; in a pattern they are literal.
	esc := strings.NewReplacer("?", "%3F", "#", "%23").Replace(lit)
	u, err := weburl.ParseRef(base, esc)
	if err != nil {
		return "", errorf("invalid scope path %q: %s", lit, trimName(err))
	}
	return u.Pathname(), nil
}

func checkScheme(u *weburl.URL) error {
	if sc := u.Scheme(); sc != "http" && sc != "https" {
		return errorf("scope URL %q: the scheme must be http or https, not %q", u.Href(), sc)
	}
	return nil
}

// checkEncodedSlash rejects "%2f" and "%5c" (any case) in a scope path, as
// the Service Workers spec's Register does.
func checkEncodedSlash(path string) error {
	for i := 0; i+2 < len(path); i++ {
		if path[i] != '%' {
			continue
		}
		if h := path[i+1 : i+3]; strings.EqualFold(h, "2f") || strings.EqualFold(h, "5c") {
			return errorf("scope path %q contains an encoded slash or backslash (%%%s)", path, h)
		}
	}
	return nil
}

// trimName strips a leading "TypeError: " from a wrapped error's text.
func trimName(err error) string {
	return strings.TrimPrefix(err.Error(), "TypeError: ")
}

// PathPrefix returns the static text at the start of the scope's path
// pattern, and whether a "/?" segment break follows it. The registry's
// script-path rule compares it with the script's allowed scope path: a
// scope "/maps/?*" covers "/maps/...", so a script in "/maps/" may control
// it, as the explainer's own example registers "/maps/maps-sw.js" for it.
func (s *Scope) PathPrefix() (lit string, segmentBreak bool) {
	return s.path.lit, s.path.optSlash
}

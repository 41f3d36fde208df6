package scope

import (
	"strings"

	"github.com/swhost/swhost/internal/weburl"
)

// Match is a scope that matched a URL, with the figures the four ordering
// steps compare.
type Match struct {
	Scope *Scope
	// PrefixLen is the length of the scope's non-variable prefix (step 1).
	PrefixLen int
	// Specificity is that of the scope's first pattern character (step 2).
	Specificity Specificity
	// VariableChars is the number of URL characters matched by pattern
	// characters (step 3).
	VariableChars int
	// VariableBeforeLastStatic is the number of those before the last
	// static text the pattern matched (step 4).
	VariableBeforeLastStatic int
}

// Compare orders two matches of the same URL by the explainer's four steps,
// returning a negative number when a is preferred, positive when b is:
//
//  1. the longer non-variable prefix;
//  2. the more specific first pattern character (exact, then "?", then "*");
//  3. the fewer variable characters matched;
//  4. the fewer variable characters before the last static text.
//
// Remaining ties between different scopes are broken by comparing their keys
// as strings, so the order never depends on registration order.
func Compare(a, b Match) int {
	switch {
	case a.PrefixLen != b.PrefixLen:
		return b.PrefixLen - a.PrefixLen
	case a.Specificity != b.Specificity:
		return int(b.Specificity) - int(a.Specificity)
	case a.VariableChars != b.VariableChars:
		return a.VariableChars - b.VariableChars
	case a.VariableBeforeLastStatic != b.VariableBeforeLastStatic:
		return a.VariableBeforeLastStatic - b.VariableBeforeLastStatic
	}
	return strings.Compare(a.Scope.key_, b.Scope.key_)
}

// MatchString reports whether the scope controls rawURL, with the ordering
// figures when it does. An unparsable URL matches nothing.
func (s *Scope) MatchString(rawURL string) (Match, bool) {
	u, err := weburl.Parse(rawURL)
	if err != nil {
		return Match{}, false
	}
	return s.MatchURL(u)
}

// MatchURL is MatchString for a parsed URL.
func (s *Scope) MatchURL(u *weburl.URL) (Match, bool) {
	if u.Origin() != s.origin {
		return Match{}, false
	}
	return s.matchRest(u.Pathname(), searchString(u), &query{})
}

// searchString returns "?" followed by the URL's query, or "" when the URL
// has no query. Unlike the URL API's search getter, an empty query is "?".
func searchString(u *weburl.URL) string {
	switch q, ok := u.Query(); {
	case !ok:
		return ""
	case q == "":
		return "?"
	}
	return u.Search()
}

// matchRest matches the path and search string of a URL of s's origin. A
// search string is "" for no query, or "?" followed by the query.
//
// q caches the query's parsed pairs; lookups share one across the scopes
// they try, so a URL's query is split and decoded at most once.
func (s *Scope) matchRest(path, search string, q *query) (Match, bool) {
	pathVar, ok := s.path.matchPath(path)
	if !ok {
		return Match{}, false
	}
	m := Match{Scope: s, PrefixLen: len(s.prefix), Specificity: s.Specificity()}
	switch s.search {
	case searchAny:
		m.VariableChars = pathVar + len(search)
	case searchValue:
		v, ok := s.value.matchText(search)
		if !ok {
			return Match{}, false
		}
		m.VariableChars = pathVar + v
		if s.value.lit != "" {
			// The search value's literal is the last static text.
			m.VariableBeforeLastStatic = pathVar
		}
	case searchParam:
		before, static, ok := s.matchParam(q.parse(search))
		if !ok {
			return Match{}, false
		}
		m.VariableChars = pathVar + len(search) - 1 - static
		m.VariableBeforeLastStatic = pathVar + before
	}
	return m, true
}

// matchPath matches a URL path against a path segment pattern and returns
// the number of variable characters matched. With a "/?" break, the path
// either ends where the literal ends or continues with a slash.
func (g segment) matchPath(path string) (int, bool) {
	if !strings.HasPrefix(path, g.lit) {
		return 0, false
	}
	rest := path[len(g.lit):]
	if g.optSlash {
		if rest == "" {
			return 0, true
		}
		if rest[0] != '/' || (!g.star && len(rest) != 1) {
			return 0, false
		}
		return len(rest), true
	}
	if g.star {
		return len(rest), true
	}
	return 0, rest == ""
}

// matchText matches text against a literal-then-optional-"*" pattern and
// returns the number of variable characters matched.
func (g segment) matchText(text string) (int, bool) {
	if !strings.HasPrefix(text, g.lit) {
		return 0, false
	}
	n := len(text) - len(g.lit)
	return n, n == 0 || g.star
}

// query holds a URL query split into decoded pairs. The zero value is
// unparsed.
type query struct {
	parsed bool
	pairs  []pair
	byKey  map[string][]int32 // pair indexes by decoded key; built for large queries
}

// keyIndexMin is the number of pairs from which a query gets a key index,
// so that many parameter scopes on one prefix cost O(scopes + pairs) rather
// than O(scopes × pairs).
const keyIndexMin = 8

type pair struct {
	off        int // offset of the pair in the query (after '?')
	key, value string
	hasEq      bool
}

// parse splits the query of search ("?..." or "") once and returns q.
func (q *query) parse(search string) *query {
	if q.parsed {
		return q
	}
	q.parsed = true
	if len(search) < 2 {
		return q
	}
	raw := search[1:]
	q.pairs = make([]pair, 0, strings.Count(raw, "&")+1)
	for off := 0; off <= len(raw); {
		end := strings.IndexByte(raw[off:], '&')
		if end < 0 {
			end = len(raw)
		} else {
			end += off
		}
		if p := raw[off:end]; p != "" {
			k, v, eq := strings.Cut(p, "=")
			q.pairs = append(q.pairs, pair{off: off, key: formDecode(k), value: formDecode(v), hasEq: eq})
		}
		off = end + 1
	}
	if len(q.pairs) >= keyIndexMin {
		q.byKey = make(map[string][]int32, len(q.pairs))
		for i, p := range q.pairs {
			q.byKey[p.key] = append(q.byKey[p.key], int32(i))
		}
	}
	return q
}

// matchParam finds the first query pair that matches the key and value
// patterns. It returns the number of variable characters before the last
// static text (the query before the pair, plus what the key's "*"
// matched), and the number of static characters the pair matched.
func (s *Scope) matchParam(q *query) (before, static int, ok bool) {
	if q.byKey != nil && !s.key.star {
		for _, i := range q.byKey[s.key.lit] {
			if p := &q.pairs[i]; s.pval.matches(p.value) {
				return s.paramFigures(p, 0)
			}
		}
		return 0, 0, false
	}
	for i := range q.pairs {
		p := &q.pairs[i]
		kv, kok := s.key.matchText(p.key)
		if kok && s.pval.matches(p.value) {
			return s.paramFigures(p, kv)
		}
	}
	return 0, 0, false
}

// paramFigures returns matchParam's results for pair p, whose key's "*"
// matched kv characters.
func (s *Scope) paramFigures(p *pair, kv int) (before, static int, ok bool) {
	static = len(s.key.lit) + len(s.pval.lit)
	if p.hasEq {
		static++
	}
	return p.off + kv, static, true
}

// matches reports whether text matches a literal-then-optional-"*" pattern.
func (g segment) matches(text string) bool {
	_, ok := g.matchText(text)
	return ok
}

// formDecode decodes one application/x-www-form-urlencoded name or value:
// '+' is a space and percent-escapes are decoded.
func formDecode(s string) string {
	if !strings.ContainsAny(s, "+%") {
		return s
	}
	return weburl.PercentDecode(strings.ReplaceAll(s, "+", " "))
}

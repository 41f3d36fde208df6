// Package routing implements the Static Routing API of the Service Workers
// specification (InstallEvent.addRoutes): router rules, the checks
// addRoutes makes of them ("Verify Router Condition", "Check Router
// Registration Limit"), and their evaluation for a request ("Match Router
// Condition", "Get Router Source"). It is the living descendant of the
// URL-pattern scopes of the seed 004: conditions are URLPatterns, and the
// agent evaluates a version's rules before its worker starts, so a
// request routed to the network or to Cache Storage never starts it.
//
// A worker's rules are parsed from what its script passes to addRoutes
// (Parse), kept with its version (Rules marshals to JSON and back) and
// matched against requests (Rules.Match). Functions here do no I/O.
package routing

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/urlpattern"
	"github.com/swhost/swhost/weberr"
)

// The limits of Check Router Registration Limit: conditions across all of
// a worker's rules, nested ones included, and nesting depth.
const (
	MaxConditions = 1024
	MaxDepth      = 10
)

// SourceKind is a RouterSourceEnum value.
type SourceKind string

// The sources a rule can send a request to.
const (
	SourceNetwork    SourceKind = "network"
	SourceCache      SourceKind = "cache"
	SourceFetchEvent SourceKind = "fetch-event"
	SourceRace       SourceKind = "race-network-and-fetch-handler"
)

// Source is a rule's RouterSource: one of the kinds, or, for a
// RouterSourceDict, the cache source restricted to the cache named
// CacheName.
type Source struct {
	Kind SourceKind `json:"kind"`
	// CacheName, when HasCacheName, names the one cache a cache source
	// looks in.
	CacheName    string `json:"cacheName,omitempty"`
	HasCacheName bool   `json:"hasCacheName,omitempty"`
}

// String is the source as the devtools page and served-by name it.
func (s Source) String() string {
	if s.HasCacheName {
		return fmt.Sprintf("cache %q", s.CacheName)
	}
	return string(s.Kind)
}

// NeedsFetchHandler reports whether the source dispatches fetch events.
func (s Source) NeedsFetchHandler() bool { return s.Kind == SourceFetchEvent || s.Kind == SourceRace }

// Condition is a RouterCondition. Absent members are the zero value:
// URLPattern nil, the strings nil, Or nil (an "or" member that is present
// and empty is an empty non-nil slice: it matches nothing), Not nil.
type Condition struct {
	URLPattern         *Pattern    `json:"urlPattern,omitempty"`
	RequestMethod      *string     `json:"requestMethod,omitempty"` // normalized
	RequestMode        *string     `json:"requestMode,omitempty"`
	RequestDestination *string     `json:"requestDestination,omitempty"`
	RunningStatus      *string     `json:"runningStatus,omitempty"`
	Or                 []Condition `json:"or,omitempty"`
	HasOr              bool        `json:"hasOr,omitempty"`
	Not                *Condition  `json:"not,omitempty"`
}

// Rule is a RouterRule.
type Rule struct {
	Condition Condition `json:"condition"`
	Source    Source    `json:"source"`
}

// Rules are a worker's list of router rules, in the order addRoutes added
// them. The zero value is no rules.
type Rules []Rule

// Pattern is a condition's URLPattern. It marshals to the compiled
// pattern's components, which compile back to the same pattern without
// the base URL it was made with.
type Pattern struct {
	p *urlpattern.URLPattern
}

// NewPattern wraps a compiled URLPattern.
func NewPattern(p *urlpattern.URLPattern) *Pattern { return &Pattern{p: p} }

// URLPattern returns the compiled pattern.
func (p *Pattern) URLPattern() *urlpattern.URLPattern { return p.p }

type patternJSON struct {
	urlpattern.Init
	IgnoreCase bool `json:"ignoreCase,omitempty"`
}

// MarshalJSON implements json.Marshaler.
func (p *Pattern) MarshalJSON() ([]byte, error) {
	q := p.p
	return json.Marshal(patternJSON{Init: urlpattern.Init{
		Protocol: urlpattern.Str(q.Protocol()), Username: urlpattern.Str(q.Username()), Password: urlpattern.Str(q.Password()),
		Hostname: urlpattern.Str(q.Hostname()), Port: urlpattern.Str(q.Port()), Pathname: urlpattern.Str(q.Pathname()),
		Search: urlpattern.Str(q.Search()), Hash: urlpattern.Str(q.Hash()),
	}, IgnoreCase: q.IgnoreCase()})
}

// UnmarshalJSON implements json.Unmarshaler.
func (p *Pattern) UnmarshalJSON(b []byte) error {
	var j patternJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	q, err := urlpattern.NewFromInit(j.Init, urlpattern.Options{IgnoreCase: j.IgnoreCase})
	if err != nil {
		return fmt.Errorf("routing: stored pattern: %w", err)
	}
	p.p = q
	return nil
}

// Request is what conditions look at in a request.
type Request struct {
	URL         string
	Method      string
	Mode        string
	Destination string
}

// RequestOf returns the Request of a fetch request, with the Fetch
// standard's defaults for what it leaves empty.
func RequestOf(r *fetch.Request) Request {
	mode := string(r.Mode)
	if mode == "" {
		mode = "no-cors"
	}
	return Request{URL: r.URL, Method: r.MethodOrGet(), Mode: mode, Destination: r.Destination}
}

// Match returns the source of the first rule whose condition matches req
// ("Get Router Source"), with its index; running says whether the worker
// is running (runningStatus conditions). ok is false when no rule
// matches.
func (rs Rules) Match(req Request, running bool) (index int, src Source, ok bool) {
	m := matcher{req: req, running: running}
	for i := range rs {
		if rs[i].Condition.matches(&m) {
			return i, rs[i].Source, true
		}
	}
	return -1, Source{}, false
}

// matcher is one request being matched: its URL is split into components
// once, for every urlPattern condition.
type matcher struct {
	req     Request
	running bool
	parsed  bool
	ok      bool
	comps   urlpattern.Components
}

func (m *matcher) testURL(p *urlpattern.URLPattern) bool {
	if !m.parsed {
		m.comps, m.ok = urlpattern.ParseComponents(m.req.URL, nil)
		m.parsed = true
	}
	return m.ok && p.TestComponents(&m.comps)
}

// matches is Match Router Condition: every member present must match;
// "or" and "not" stand alone (Parse refuses them beside other members).
func (c *Condition) matches(m *matcher) bool {
	if c.HasOr {
		for i := range c.Or {
			if c.Or[i].matches(m) {
				return true
			}
		}
		return false
	}
	if c.Not != nil {
		return !c.Not.matches(m)
	}
	req, running := m.req, m.running
	if c.URLPattern != nil && !m.testURL(c.URLPattern.p) {
		return false
	}
	if c.RequestMethod != nil && req.Method != *c.RequestMethod {
		return false
	}
	if c.RequestMode != nil && req.Mode != *c.RequestMode {
		return false
	}
	if c.RequestDestination != nil && req.Destination != *c.RequestDestination {
		return false
	}
	if c.RunningStatus != nil && (*c.RunningStatus == "running") != running {
		return false
	}
	return true
}

// CheckLimit is Check Router Registration Limit: whether rules, all the
// rules of a worker, stay within MaxConditions conditions and MaxDepth
// levels of nesting.
func CheckLimit(rules Rules) bool {
	count := MaxConditions
	for i := range rules {
		if !countInner(&rules[i].Condition, &count, MaxDepth) {
			return false
		}
	}
	return true
}

// countInner is Count Router Inner Conditions; it returns false when the
// quota is exceeded.
func countInner(c *Condition, count *int, depth int) bool {
	*count--
	if *count == 0 || depth == 0 {
		return false
	}
	if c.HasOr {
		for i := range c.Or {
			if !countInner(&c.Or[i], count, depth-1) {
				return false
			}
		}
	} else if c.Not != nil {
		return countInner(c.Not, count, depth-1)
	}
	return true
}

// The RequestMode, RequestDestination and RunningStatus enums.
var (
	requestModes = map[string]bool{"navigate": true, "same-origin": true, "no-cors": true, "cors": true}
	destinations = map[string]bool{"": true, "audio": true, "audioworklet": true, "document": true, "embed": true,
		"font": true, "frame": true, "iframe": true, "image": true, "json": true, "manifest": true, "object": true,
		"paintworklet": true, "report": true, "script": true, "sharedworker": true, "style": true, "track": true,
		"video": true, "worker": true, "xslt": true}
	runningStatuses = map[string]bool{"running": true, "not-running": true}
)

func typeError(format string, args ...any) error {
	return weberr.Errorf(weberr.TypeError, "Failed to execute 'addRoutes' on 'InstallEvent': "+format, args...)
}

// Parse reads the rules a script passed to addRoutes, as the bootstrap
// hands them over: a list of rules, each {condition, source}, where a
// condition's urlPattern is a compiled *urlpattern.URLPattern (a URLPattern
// object), a string, or an init (map), resolved against scriptURL as
// "Parse URL Pattern" says. Each condition is checked as "Verify Router
// Condition" says; a rule that fails, or an unknown enum value, is a
// TypeError. Parse does not check the registration limit (CheckLimit) nor
// whether the worker has a fetch handler (Source.NeedsFetchHandler).
func Parse(v any, scriptURL string) (Rules, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, typeError("the rules are not a RouterRule or a sequence of them")
	}
	out := make(Rules, 0, len(list))
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, typeError("a rule is not a RouterRule")
		}
		cv, ok := m["condition"]
		if !ok || cv == nil {
			return nil, typeError("required member condition is undefined")
		}
		c, err := parseCondition(cv, scriptURL, 0)
		if err != nil {
			return nil, err
		}
		sv, ok := m["source"]
		if !ok || sv == nil {
			return nil, typeError("required member source is undefined")
		}
		s, err := parseSource(sv)
		if err != nil {
			return nil, err
		}
		out = append(out, Rule{Condition: c, Source: s})
	}
	return out, nil
}

func parseSource(v any) (Source, error) {
	switch x := v.(type) {
	case string:
		switch k := SourceKind(x); k {
		case SourceNetwork, SourceCache, SourceFetchEvent, SourceRace:
			return Source{Kind: k}, nil
		}
		return Source{}, typeError("the provided value '%s' is not a valid enum value of type RouterSourceEnum", x)
	case map[string]any:
		s := Source{Kind: SourceCache}
		if n, ok := x["cacheName"]; ok && n != nil {
			s.CacheName, s.HasCacheName = fmt.Sprint(n), true
		}
		return s, nil
	}
	return Source{}, typeError("the source is not a RouterSource")
}

// parseCondition reads a RouterCondition and verifies it (Verify Router
// Condition). Nesting deeper than the registration limit allows is
// refused here too, so that a hostile rule cannot recurse without bound.
func parseCondition(v any, scriptURL string, depth int) (Condition, error) {
	var c Condition
	if depth > MaxDepth {
		return c, typeError("conditions are nested more than %d levels deep", MaxDepth)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return c, typeError("a condition is not a RouterCondition")
	}
	has := false
	if raw, ok := m["urlPattern"]; ok && raw != nil {
		p, err := parsePattern(raw, scriptURL)
		if err != nil {
			return c, err
		}
		if p.HasRegExpGroups() {
			return c, typeError("a urlPattern condition must not have regexp groups")
		}
		c.URLPattern, has = NewPattern(p), true
	}
	if raw, ok := m["requestMethod"]; ok && raw != nil {
		method := fmt.Sprint(raw)
		if !fetch.IsHeaderName(method) { // a method is a token
			return c, typeError("'%s' is not a valid HTTP method", method)
		}
		if fetch.IsForbiddenMethod(method) {
			return c, typeError("'%s' is a forbidden method", method)
		}
		norm := fetch.NormalizeMethod(method)
		c.RequestMethod, has = &norm, true
	}
	if raw, ok := m["requestMode"]; ok && raw != nil {
		mode := fmt.Sprint(raw)
		if !requestModes[mode] {
			return c, typeError("the provided value '%s' is not a valid enum value of type RequestMode", mode)
		}
		c.RequestMode, has = &mode, true
	}
	if raw, ok := m["requestDestination"]; ok && raw != nil {
		d := fmt.Sprint(raw)
		if !destinations[d] {
			return c, typeError("the provided value '%s' is not a valid enum value of type RequestDestination", d)
		}
		c.RequestDestination, has = &d, true
	}
	if raw, ok := m["runningStatus"]; ok && raw != nil {
		s := fmt.Sprint(raw)
		if !runningStatuses[s] {
			return c, typeError("the provided value '%s' is not a valid enum value of type RunningStatus", s)
		}
		c.RunningStatus, has = &s, true
	}
	if raw, ok := m["or"]; ok && raw != nil {
		if has {
			return c, typeError("an or condition cannot be combined with other conditions")
		}
		list, ok := raw.([]any)
		if !ok {
			return c, typeError("or is not a sequence of RouterConditions")
		}
		c.Or, c.HasOr = make([]Condition, 0, len(list)), true
		for _, item := range list {
			sub, err := parseCondition(item, scriptURL, depth+1)
			if err != nil {
				return c, err
			}
			c.Or = append(c.Or, sub)
		}
		has = true
	}
	if raw, ok := m["not"]; ok && raw != nil {
		if has {
			return c, typeError("a not condition cannot be combined with other conditions")
		}
		sub, err := parseCondition(raw, scriptURL, depth+1)
		if err != nil {
			return c, err
		}
		c.Not, has = &sub, true
	}
	if !has {
		return c, typeError("a condition needs at least one member")
	}
	return c, nil
}

// parsePattern is Parse URL Pattern: a URLPattern as it is, a string
// against the script URL, an init with the script URL as its baseURL
// unless it has one.
func parsePattern(raw any, scriptURL string) (*urlpattern.URLPattern, error) {
	var (
		p   *urlpattern.URLPattern
		err error
	)
	switch x := raw.(type) {
	case *urlpattern.URLPattern:
		return x, nil
	case string:
		p, err = urlpattern.NewWithBase(x, scriptURL, urlpattern.Options{})
	case map[string]any:
		var init urlpattern.Init
		b, jerr := json.Marshal(x)
		if jerr == nil {
			init, jerr = urlpattern.ParseInit(b)
		}
		if jerr != nil {
			return nil, typeError("urlPattern is not a URLPatternInit: %v", jerr)
		}
		if init.BaseURL == nil {
			init.BaseURL = urlpattern.Str(scriptURL)
		}
		p, err = urlpattern.NewFromInit(init, urlpattern.Options{})
	default:
		return nil, typeError("urlPattern is not a URLPattern, a string or a URLPatternInit")
	}
	if err != nil {
		return nil, typeError("urlPattern: %s", strings.TrimPrefix(err.Error(), "urlpattern: "))
	}
	return p, nil
}

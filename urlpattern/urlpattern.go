// Package urlpattern implements the WHATWG URL Pattern Standard
// (https://urlpattern.spec.whatwg.org/): patterns such as
// "https://*.example.com/books/:id" that match URLs component by component
// and capture named groups.
//
// The API mirrors the web platform's URLPattern class:
//
//	p, err := urlpattern.New("https://example.com/books/:id", urlpattern.Options{})
//	if err != nil {
//		return err // a *urlpattern.Error, a TypeError in the web API
//	}
//	p.Test("https://example.com/books/7")          // true
//	r := p.Exec("https://example.com/books/7")     // nil when there is no match
//	id, _ := r.Pathname.Get("id")                  // "7"
//
// Patterns can also be built from an [Init] (one pattern per component) with
// [NewFromInit], and matched against an Init with [URLPattern.TestInit] and
// [URLPattern.ExecInit]. The getters ([URLPattern.Pathname] and so on)
// return the canonical pattern strings.
//
// Groups that did not take part in a match (an optional group that matched
// nothing) are "undefined" in the web API; here they are [Group] values
// with Matched false, which is different from a group that matched the empty
// string.
//
// # Regular expressions
//
// Regexp groups ("/:id(\\d+)") use ECMAScript regexp syntax with the v
// flag. They are validated and translated to Go's RE2 syntax; constructs RE2
// cannot run in linear time (lookaround, backreferences) are rejected with
// an error.
//
// # Speed
//
// Each component is classified when the pattern is compiled. Components
// without regexp groups (empty, literal, wildcards, named segments, with any
// modifiers) are matched by purpose-built code in time linear in the input
// and without allocating; only components with regexp groups use the regexp
// engine. An input URL is parsed once per Test or Exec, and Test never
// builds the Exec result.
package urlpattern

import (
	"bytes"
	"encoding/json"

	"github.com/swhost/swhost/internal/weburl"
)

// Options are the web API's URLPatternOptions.
type Options struct {
	// IgnoreCase makes the pathname, search and hash components match
	// case-insensitively.
	IgnoreCase bool
}

// URLPattern is a compiled URL pattern. It is safe for concurrent use.
type URLPattern struct {
	comps      [8]*component
	hasRegexp  bool
	ignoreCase bool
}

// Component indexes, in URL order.
const (
	iProtocol = iota
	iUsername
	iPassword
	iHostname
	iPort
	iPathname
	iSearch
	iHash
)

// Input is one argument of the web API's constructor, test and exec: a URL
// (or constructor) string, or an Init. When Init is non-nil the input is
// that Init and URL is ignored.
type Input struct {
	URL  string
	Init *Init
}

// MarshalJSON encodes the input as the web API shows it: a JSON string or
// an init object.
func (in Input) MarshalJSON() ([]byte, error) {
	if in.Init != nil {
		return in.Init.MarshalJSON()
	}
	return appendJSONString(nil, in.URL), nil
}

// appendJSONString appends s as a JSON string, escaping only what JSON
// requires (unlike encoding/json, it leaves '<', '>' and '&' alone, as
// JavaScript's JSON.stringify does).
func appendJSONString(b []byte, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// New compiles a constructor string such as "https://example.com/:id". The
// string must be absolute (have a protocol); use [NewWithBase] for relative
// ones.
func New(pattern string, opts Options) (*URLPattern, error) {
	return Compile(Input{URL: pattern}, nil, opts)
}

// NewWithBase compiles a constructor string that may be relative to
// baseURL, as new URLPattern(pattern, baseURL) does.
func NewWithBase(pattern, baseURL string, opts Options) (*URLPattern, error) {
	return Compile(Input{URL: pattern}, &baseURL, opts)
}

// NewFromInit compiles an Init, as new URLPattern(init) does. Components
// that are absent (and not inherited from init.BaseURL) match anything.
func NewFromInit(init Init, opts Options) (*URLPattern, error) {
	return Compile(Input{Init: &init}, nil, opts)
}

// Compile is the general form of the constructor, new URLPattern(input,
// baseURL, options). baseURL may be nil; it is an error to give one with an
// Init (put the base in Init.BaseURL instead), as in the web API.
func Compile(input Input, baseURL *string, opts Options) (*URLPattern, error) {
	var init Init
	if input.Init == nil {
		var err error
		init, err = parseConstructorString(toUSV(input.URL))
		if err != nil {
			return nil, err
		}
		if baseURL == nil && init.Protocol == nil {
			return nil, &Error{Input: input.URL, Offset: -1, Reason: "a relative pattern needs a base URL"}
		}
		if baseURL != nil {
			b := toUSV(*baseURL)
			init.BaseURL = &b
		}
	} else {
		if baseURL != nil {
			return nil, typeErrorf("a base URL argument cannot be combined with an init; set its baseURL member instead")
		}
		init = usvInit(*input.Init)
	}
	processed, err := processInit(&init, forPattern, Init{})
	if err != nil {
		return nil, err
	}
	vals := [8]*string{processed.Protocol, processed.Username, processed.Password, processed.Hostname,
		processed.Port, processed.Pathname, processed.Search, processed.Hash}
	for i, v := range vals {
		if v == nil {
			vals[i] = &wildcard
		}
	}
	if weburl.IsSpecialScheme(*vals[iProtocol]) && *vals[iPort] == weburl.DefaultPort(*vals[iProtocol]) {
		vals[iPort] = Str("")
	}
	p := &URLPattern{ignoreCase: opts.IgnoreCase}
	compile := func(i int, kind compKind, o options) error {
		c, err := compileComponent(kind, *vals[i], o)
		if err != nil {
			return err
		}
		p.comps[i] = c
		p.hasRegexp = p.hasRegexp || c.hasRegexp
		return nil
	}
	if err := compile(iProtocol, compProtocol, defaultOptions); err != nil {
		return nil, err
	}
	if err := compile(iUsername, compUsername, defaultOptions); err != nil {
		return nil, err
	}
	if err := compile(iPassword, compPassword, defaultOptions); err != nil {
		return nil, err
	}
	hostKind := compHostname
	if isIPv6HostnamePattern(*vals[iHostname]) {
		hostKind = compIPv6Hostname
	}
	if err := compile(iHostname, hostKind, hostnameOptions); err != nil {
		return nil, err
	}
	if err := compile(iPort, compPort, defaultOptions); err != nil {
		return nil, err
	}
	co := defaultOptions
	co.ignoreCase = opts.IgnoreCase
	if p.comps[iProtocol].matchesSpecialScheme() {
		po := pathnameOptions
		po.ignoreCase = opts.IgnoreCase
		if err := compile(iPathname, compPathname, po); err != nil {
			return nil, err
		}
	} else if err := compile(iPathname, compOpaquePathname, co); err != nil {
		return nil, err
	}
	if err := compile(iSearch, compSearch, co); err != nil {
		return nil, err
	}
	if err := compile(iHash, compHash, co); err != nil {
		return nil, err
	}
	return p, nil
}

// wildcard is the default pattern of absent components.
var wildcard = "*"

// isIPv6HostnamePattern implements "hostname pattern is an IPv6 address".
func isIPv6HostnamePattern(s string) bool {
	if len(s) < 2 {
		return false
	}
	return s[0] == '[' || (s[0] == '{' || s[0] == '\\') && s[1] == '['
}

// Protocol returns the canonical protocol pattern string.
func (p *URLPattern) Protocol() string { return p.comps[iProtocol].pattern }

// Username returns the canonical username pattern string.
func (p *URLPattern) Username() string { return p.comps[iUsername].pattern }

// Password returns the canonical password pattern string.
func (p *URLPattern) Password() string { return p.comps[iPassword].pattern }

// Hostname returns the canonical hostname pattern string.
func (p *URLPattern) Hostname() string { return p.comps[iHostname].pattern }

// Port returns the canonical port pattern string.
func (p *URLPattern) Port() string { return p.comps[iPort].pattern }

// Pathname returns the canonical pathname pattern string.
func (p *URLPattern) Pathname() string { return p.comps[iPathname].pattern }

// Search returns the canonical search pattern string.
func (p *URLPattern) Search() string { return p.comps[iSearch].pattern }

// Hash returns the canonical hash pattern string.
func (p *URLPattern) Hash() string { return p.comps[iHash].pattern }

// IgnoreCase reports whether the pattern was compiled with
// Options.IgnoreCase.
func (p *URLPattern) IgnoreCase() bool { return p.ignoreCase }

// HasRegExpGroups reports whether any component uses a regexp group.
func (p *URLPattern) HasRegExpGroups() bool { return p.hasRegexp }

// Result is the web API's URLPatternResult: the inputs and, for each
// component, the matched value and groups.
type Result struct {
	Inputs   []Input
	Protocol ComponentResult
	Username ComponentResult
	Password ComponentResult
	Hostname ComponentResult
	Port     ComponentResult
	Pathname ComponentResult
	Search   ComponentResult
	Hash     ComponentResult

	// Storage for Inputs and the groups of small patterns, so that a
	// result is one allocation.
	inputsBuf [2]Input
	groupsBuf [8]Group
}

// Component returns the result of the named component ("pathname"), or nil
// for an unknown name.
func (r *Result) Component(name string) *ComponentResult {
	switch name {
	case "protocol":
		return &r.Protocol
	case "username":
		return &r.Username
	case "password":
		return &r.Password
	case "hostname":
		return &r.Hostname
	case "port":
		return &r.Port
	case "pathname":
		return &r.Pathname
	case "search":
		return &r.Search
	case "hash":
		return &r.Hash
	}
	return nil
}

func (r *Result) byIndex(i int) *ComponentResult { return r.Component(componentNames[i]) }

// MarshalJSON encodes the result as the web API's object, every component
// present and undefined groups as null. (json.Marshal escapes '<', '>' and
// '&' in any case; encode with a json.Encoder with SetEscapeHTML(false) to
// get JavaScript's JSON.stringify output.)
func (r *Result) MarshalJSON() ([]byte, error) {
	type out struct {
		Inputs   []Input          `json:"inputs"`
		Protocol *ComponentResult `json:"protocol"`
		Username *ComponentResult `json:"username"`
		Password *ComponentResult `json:"password"`
		Hostname *ComponentResult `json:"hostname"`
		Port     *ComponentResult `json:"port"`
		Pathname *ComponentResult `json:"pathname"`
		Search   *ComponentResult `json:"search"`
		Hash     *ComponentResult `json:"hash"`
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(out{r.Inputs, &r.Protocol, &r.Username, &r.Password, &r.Hostname, &r.Port, &r.Pathname, &r.Search, &r.Hash})
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), err
}

// ComponentResult is the web API's URLPatternComponentResult.
type ComponentResult struct {
	// Input is the component value that was matched.
	Input string
	// Groups are the pattern's groups in order, named by their names or,
	// for unnamed groups, by their numbers ("0", "1", ...).
	Groups []Group
}

// Group is one captured group.
type Group struct {
	Name  string
	Value string
	// Matched is false when the group did not take part in the match
	// (undefined in the web API); Value is then "".
	Matched bool
}

// Get returns the value of the named group and whether it took part in the
// match.
func (c *ComponentResult) Get(name string) (value string, matched bool) {
	for _, g := range c.Groups {
		if g.Name == name {
			return g.Value, g.Matched
		}
	}
	return "", false
}

// MarshalJSON encodes {"input": ..., "groups": {...}}, keeping group order
// and writing undefined groups as null.
func (c *ComponentResult) MarshalJSON() ([]byte, error) {
	b := []byte(`{"input":`)
	b = appendJSONString(b, c.Input)
	b = append(b, `,"groups":{`...)
	for i, g := range c.Groups {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, g.Name)
		b = append(b, ':')
		if !g.Matched {
			b = append(b, "null"...)
			continue
		}
		b = appendJSONString(b, g.Value)
	}
	return append(b, "}}"...), nil
}

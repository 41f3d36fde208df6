package urlpattern

import (
	"regexp"
	"sync"
	"sync/atomic"

	"github.com/swhost/swhost/internal/jsregexp"
)

// compKind identifies a component and, with it, its encoding callback and
// options.
type compKind uint8

const (
	compProtocol compKind = iota
	compUsername
	compPassword
	compHostname
	compIPv6Hostname
	compPort
	compPathname
	compOpaquePathname
	compSearch
	compHash
)

// componentNames are the names of the eight components, in URL order.
var componentNames = [8]string{"protocol", "username", "password", "hostname", "port", "pathname", "search", "hash"}

func (k compKind) name() string {
	switch k {
	case compProtocol:
		return "protocol"
	case compUsername:
		return "username"
	case compPassword:
		return "password"
	case compHostname, compIPv6Hostname:
		return "hostname"
	case compPort:
		return "port"
	case compPathname, compOpaquePathname:
		return "pathname"
	case compSearch:
		return "search"
	}
	return "hash"
}

func (k compKind) encoder() encodingCallback {
	switch k {
	case compProtocol:
		return canonicalizeProtocol
	case compUsername:
		return func(s string) (string, error) { return canonicalizeUsername(s), nil }
	case compPassword:
		return func(s string) (string, error) { return canonicalizePassword(s), nil }
	case compHostname:
		return canonicalizeHostname
	case compIPv6Hostname:
		return canonicalizeIPv6Hostname
	case compPort:
		return func(s string) (string, error) { return canonicalizePort(s, "") }
	case compPathname:
		return canonicalizePathname
	case compOpaquePathname:
		return canonicalizeOpaquePathname
	case compSearch:
		return canonicalizeSearch
	}
	return canonicalizeHash
}

// component is a compiled pattern for one URL component.
type component struct {
	kind      compKind
	pattern   string // canonical pattern string
	parts     []part
	names     []string // group names, in capture order
	opts      options
	hasRegexp bool
	m         matcher

	reOnce sync.Once
	source string // ECMAScript regexp source ("generate a regular expression"), set with re
	re     *regexp.Regexp
	reErr  error
}

// trivial caches the compiled components for "" and "*", the most common
// patterns (absent components default to "*"). Compiled components are
// immutable, so patterns share them.
var trivial [compHash + 1][2][2]atomic.Pointer[component]

// compileComponent implements "compile a component".
func compileComponent(kind compKind, input string, o options) (*component, error) {
	if input == "" || input == "*" {
		ic, star := 0, 0
		if o.ignoreCase {
			ic = 1
		}
		if input == "*" {
			star = 1
		}
		slot := &trivial[kind][ic][star]
		if c := slot.Load(); c != nil && c.opts == o {
			return c, nil
		}
		c, err := compileComponentUncached(kind, input, o)
		if err == nil {
			slot.Store(c)
		}
		return c, err
	}
	return compileComponentUncached(kind, input, o)
}

func compileComponentUncached(kind compKind, input string, o options) (*component, error) {
	parts, err := parsePatternString(input, o, kind.encoder())
	if err != nil {
		return nil, withComponent(err, kind.name())
	}
	c := &component{kind: kind, parts: parts, opts: o}
	c.pattern = generatePatternString(parts, o)
	n := 0
	for i := range parts {
		switch parts[i].typ {
		case partRegexp:
			c.hasRegexp = true
			n++
		case partSegmentWildcard, partFullWildcard:
			n++
		}
	}
	if n > 0 {
		c.names = make([]string, 0, n)
		for i := range parts {
			if parts[i].typ != partFixedText {
				c.names = append(c.names, parts[i].name)
			}
		}
	}
	c.m = newMatcher(parts, o)
	if c.hasRegexp || c.m.kind == mkRegexp {
		// Regexp groups are compiled now so that invalid ones are reported
		// by the constructor, as the standard requires.
		if _, err := c.regexp(); err != nil {
			return nil, &Error{Component: kind.name(), Input: input, Offset: -1, Reason: "invalid regexp group", Err: err}
		}
	}
	return c, nil
}

// regexp returns the component's compiled regular expression, generating
// and compiling it on first use: components the purpose-built matchers
// handle never need it.
func (c *component) regexp() (*regexp.Regexp, error) {
	c.reOnce.Do(func() {
		c.source, _ = generateRegexp(c.parts, c.opts)
		c.re, c.reErr = compileRegexp(c.source, c.opts.ignoreCase)
	})
	return c.re, c.reErr
}

// compileRegexp turns ECMAScript regexp source (v flag) into a Go regexp.
func compileRegexp(src string, ignoreCase bool) (*regexp.Regexp, error) {
	return jsregexp.Compile(src, jsregexp.Flags{IgnoreCase: ignoreCase})
}

// test reports whether the component matches s.
func (c *component) test(s string) bool {
	if c.m.kind != mkRegexp {
		if ok, done := c.m.test(s); done {
			return ok
		}
	}
	re, err := c.regexp()
	if err != nil {
		return false
	}
	return re.MatchString(s)
}

// exec matches s and appends the groups to dst.
func (c *component) exec(s string, dst []Group) ([]Group, bool) {
	if c.m.kind != mkRegexp {
		if g, ok, done := c.m.exec(s, c.names, dst); done {
			return g, ok
		}
	}
	re, err := c.regexp()
	if err != nil {
		return dst, false
	}
	idx := re.FindStringSubmatchIndex(s)
	if idx == nil {
		return dst, false
	}
	for i, name := range c.names {
		lo, hi := -1, -1
		if 2*i+3 < len(idx) {
			lo, hi = idx[2*i+2], idx[2*i+3]
		}
		if lo < 0 {
			dst = append(dst, Group{Name: name})
		} else {
			dst = append(dst, Group{Name: name, Value: s[lo:hi], Matched: true})
		}
	}
	return dst, true
}

// specialSchemes are the URL standard's special schemes.
var specialSchemes = [...]string{"ftp", "file", "http", "https", "ws", "wss"}

// matchesSpecialScheme implements "protocol component matches a special
// scheme".
func (c *component) matchesSpecialScheme() bool {
	for _, s := range specialSchemes {
		if c.test(s) {
			return true
		}
	}
	return false
}

package urlpattern

import (
	"strings"
	"unicode/utf8"

	"github.com/swhost/swhost/internal/weburl"
)

// values are the eight component values an input is matched against.
type values [8]string

// valuesFromURL extracts the component values of a parsed URL.
func valuesFromURL(u *weburl.URL, v *values) {
	v[iProtocol] = u.Scheme()
	v[iUsername] = u.Username()
	v[iPassword] = u.Password()
	v[iHostname] = u.Hostname()
	v[iPort] = u.Port()
	v[iPathname] = u.Pathname()
	v[iSearch], _ = u.Query()
	v[iHash], _ = u.Fragment()
}

// inputValues implements the first half of the standard's "match": it
// turns the arguments into component values. ok is false when the input
// cannot match (an unparsable URL); err is set for arguments the web API
// rejects with a TypeError.
func inputValues(input Input, baseURL *string, v *values) (ok bool, err error) {
	if input.Init != nil {
		if baseURL != nil {
			return false, typeErrorf("a base URL argument cannot be combined with an init; set its baseURL member instead")
		}
		init := usvInit(*input.Init)
		e := &emptyString
		r, err := processInit(&init, forURL, Init{Protocol: e, Username: e, Password: e, Hostname: e, Port: e, Pathname: e, Search: e, Hash: e})
		if err != nil {
			return false, nil
		}
		*v = values{*r.Protocol, *r.Username, *r.Password, *r.Hostname, *r.Port, *r.Pathname, *r.Search, *r.Hash}
		return true, nil
	}
	var base *weburl.URL
	if baseURL != nil {
		b, err := weburl.Parse(*baseURL)
		if err != nil {
			return false, nil
		}
		base = b
	}
	u, err := weburl.ParseRef(base, input.URL)
	if err != nil {
		return false, nil
	}
	valuesFromURL(u, v)
	return true, nil
}

// emptyString is the default value of absent input components; it is
// shared and never written through.
var emptyString = ""

// Test reports whether the pattern matches the URL string url.
func (p *URLPattern) Test(url string) bool {
	u, err := weburl.Parse(url)
	if err != nil {
		return false
	}
	var v values
	valuesFromURL(u, &v)
	return p.testValues(&v)
}

// TestWithBase reports whether the pattern matches url resolved against
// baseURL. An unparsable URL or base does not match.
func (p *URLPattern) TestWithBase(url, baseURL string) bool {
	ok, _ := p.TestInput(Input{URL: url}, &baseURL)
	return ok
}

// TestInit reports whether the pattern matches the components of init
// (absent components are empty unless inherited from init.BaseURL).
func (p *URLPattern) TestInit(init Init) bool {
	ok, _ := p.TestInput(Input{Init: &init}, nil)
	return ok
}

// TestInput is the general form of test(input, baseURL). It returns an
// error only where the web API throws: an Init together with a base URL.
func (p *URLPattern) TestInput(input Input, baseURL *string) (bool, error) {
	var v values
	ok, err := inputValues(input, baseURL, &v)
	if !ok {
		return false, err
	}
	return p.testValues(&v), nil
}

// testValues matches already extracted component values.
func (p *URLPattern) testValues(v *values) bool {
	// The pathname is the most selective component in practice.
	if !p.comps[iPathname].test(v[iPathname]) {
		return false
	}
	for i, c := range p.comps {
		if i != iPathname && !c.test(v[i]) {
			return false
		}
	}
	return true
}

// Exec matches the URL string url and returns the groups, or nil when the
// pattern does not match.
func (p *URLPattern) Exec(url string) *Result {
	r, _ := p.Match(Input{URL: url}, nil)
	return r
}

// ExecWithBase is Exec with url resolved against baseURL.
func (p *URLPattern) ExecWithBase(url, baseURL string) *Result {
	r, _ := p.Match(Input{URL: url}, &baseURL)
	return r
}

// ExecInit matches the components of init and returns the groups, or nil.
func (p *URLPattern) ExecInit(init Init) *Result {
	r, _ := p.Match(Input{Init: &init}, nil)
	return r
}

// Match is the general form of exec(input, baseURL): it returns the result,
// nil when the input does not match, or an error where the web API throws
// (an Init together with a base URL).
func (p *URLPattern) Match(input Input, baseURL *string) (*Result, error) {
	var v values
	ok, err := inputValues(input, baseURL, &v)
	if !ok {
		return nil, err
	}
	if !p.comps[iPathname].test(v[iPathname]) {
		return nil, nil
	}
	n := 0
	for _, c := range p.comps {
		n += len(c.names)
	}
	r := &Result{}
	groups := r.groupsBuf[:0]
	if n > len(r.groupsBuf) {
		groups = make([]Group, 0, n)
	}
	for i, c := range p.comps {
		start := len(groups)
		var ok bool
		groups, ok = c.exec(v[i], groups)
		if !ok {
			return nil, nil
		}
		cr := r.byIndex(i)
		cr.Input = v[i]
		cr.Groups = groups[start:len(groups):len(groups)]
	}
	r.inputsBuf[0] = input
	r.Inputs = r.inputsBuf[:1:1]
	if baseURL != nil {
		r.inputsBuf[1] = Input{URL: *baseURL}
		r.Inputs = r.inputsBuf[:2:2]
	}
	return r, nil
}

// toUSV replaces invalid UTF-8 by U+FFFD, as WebIDL's USVString conversion
// replaces lone surrogates.
func toUSV(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

func usvPtr(p *string) *string {
	if p == nil || utf8.ValidString(*p) {
		return p
	}
	return Str(toUSV(*p))
}

func usvInit(in Init) Init {
	return Init{usvPtr(in.Protocol), usvPtr(in.Username), usvPtr(in.Password), usvPtr(in.Hostname),
		usvPtr(in.Port), usvPtr(in.Pathname), usvPtr(in.Search), usvPtr(in.Hash), usvPtr(in.BaseURL)}
}

// Components are the eight values a URL pattern matches, as the standard
// takes them from a URL: the scheme without ':', the serialized host, the
// port ("" for the scheme's default), the serialized path, the query
// without '?' and the fragment without '#'.
//
// [ParseComponents] parses a URL once; [URLPattern.TestComponents] then
// matches it against any number of patterns without parsing it again.
type Components struct {
	Protocol, Username, Password, Hostname, Port, Pathname, Search, Hash string
}

// ParseComponents parses url (against baseURL when it is not nil) with the
// WHATWG URL parser and returns its components. ok is false when url or
// baseURL is not a valid URL, in which case no pattern matches it.
func ParseComponents(url string, baseURL *string) (c Components, ok bool) {
	var v values
	if ok, _ := inputValues(Input{URL: url}, baseURL, &v); !ok {
		return Components{}, false
	}
	return Components{v[iProtocol], v[iUsername], v[iPassword], v[iHostname], v[iPort], v[iPathname], v[iSearch], v[iHash]}, true
}

// TestComponents reports whether the pattern matches c, typically from
// [ParseComponents]. For patterns without regexp groups it does not
// allocate.
func (p *URLPattern) TestComponents(c *Components) bool {
	v := values{c.Protocol, c.Username, c.Password, c.Hostname, c.Port, c.Pathname, c.Search, c.Hash}
	return p.testValues(&v)
}

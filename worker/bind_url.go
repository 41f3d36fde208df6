package worker

import (
	"strconv"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/internal/weburl"
)

// Bindings of js/20_url.js: parsing, setters and query strings are the Go
// WHATWG URL parser's (internal/weburl).

// parseURLHref is host.parseURL(input, base): the href of input parsed
// against base, or null when either does not parse.
func (in *instance) parseURLHref(input, base string) sobek.Value {
	u := in.parseURL(input, base)
	if u == nil {
		return sobek.Null()
	}
	return in.rt.ToValue(u.Href())
}

// parseURL parses input against base with the WHATWG URL parser; nil when
// either does not parse. The script URL, the usual base, is parsed once.
func (in *instance) parseURL(input, base string) *weburl.URL {
	var b *weburl.URL
	if base == in.w.script.url {
		b = in.w.scriptURL()
	} else if base != "" {
		var err error
		if b, err = weburl.Parse(base); err != nil {
			return nil
		}
	}
	u, err := weburl.ParseRef(b, input)
	if err != nil {
		return nil
	}
	return u
}

// urlRecordOf is host.urlRecord(input, base): the URL record of input
// parsed against base (undefined: no base), or null when either does not
// parse.
func (in *instance) urlRecordOf(input string, baseV sobek.Value) sobek.Value {
	var base *weburl.URL
	if !sobek.IsUndefined(baseV) {
		var err error
		if base, err = weburl.Parse(baseV.String()); err != nil {
			return sobek.Null()
		}
	}
	u, err := weburl.ParseRef(base, input)
	if err != nil {
		return sobek.Null()
	}
	return urlRecord(in.rt, u)
}

// urlSet is host.urlSet(href, part, value): the URL record of href after
// the setter of part ran with value. A failing href setter gives null;
// other setters ignore failures, as the URL standard says.
func (in *instance) urlSet(href, part, v string) sobek.Value {
	u, err := weburl.Parse(href)
	if err != nil {
		return sobek.Null()
	}
	switch part {
	case "href":
		err = u.SetHref(v)
	case "protocol":
		err = u.SetProtocol(v)
	case "username":
		err = u.SetUsername(v)
	case "password":
		err = u.SetPassword(v)
	case "host":
		err = u.SetHost(v)
	case "hostname":
		err = u.SetHostname(v)
	case "port":
		err = u.SetPort(v)
	case "pathname":
		err = u.SetPathname(v)
	case "search":
		err = u.SetSearch(v)
	case "hash":
		err = u.SetHash(v)
	}
	if err != nil && part == "href" {
		return sobek.Null()
	}
	return urlRecord(in.rt, u)
}

// parseQuery is host.parseQuery(s): the name-value pairs of an
// application/x-www-form-urlencoded string, flat.
func (in *instance) parseQuery(s string) sobek.Value {
	pairs := weburl.ParseQuery(s)
	flat := make([]any, 0, 2*len(pairs))
	for _, p := range pairs {
		flat = append(flat, p.Name, p.Value)
	}
	return in.rt.NewArray(flat...)
}

// serializeQuery is host.serializeQuery(flat): the
// application/x-www-form-urlencoded string of flat name-value pairs.
func (in *instance) serializeQuery(o *sobek.Object) string {
	var pairs []weburl.Pair
	if o != nil {
		n := listLen(o)
		for i := 0; i+1 < n; i += 2 {
			pairs = append(pairs, weburl.Pair{Name: o.Get(strconv.Itoa(i)).String(), Value: o.Get(strconv.Itoa(i + 1)).String()})
		}
	}
	return weburl.SerializeQuery(pairs)
}

// urlRecord returns the URL record (records.go) of u.
func urlRecord(rt *sobek.Runtime, u *weburl.URL) sobek.Value {
	var r [urlSlots]any
	r[urlHref] = u.Href()
	r[urlOrigin] = u.Origin()
	r[urlProtocol] = u.Protocol()
	r[urlUsername] = u.Username()
	r[urlPassword] = u.Password()
	r[urlHost] = u.Host()
	r[urlHostname] = u.Hostname()
	r[urlPort] = u.Port()
	r[urlPathname] = u.Pathname()
	r[urlSearch] = u.Search()
	r[urlHash] = u.Hash()
	return rt.NewArray(r[:]...)
}

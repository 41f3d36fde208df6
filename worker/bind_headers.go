package worker

import (
	"net/http"
	"strings"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

// Bindings of js/10_headers.js. The Fetch standard's header rules are
// package fetch's; the predicates are bound as they are (pure1, pure2 in
// exports).

// headerName is host.headerName(name, value, guard): Headers' validation
// of a name and value under guard. It returns the lower-cased name (name
// itself when already lower-case), or null when the guard drops the
// header silently; an invalid header, or any change to immutable headers,
// is a TypeError.
func (in *instance) headerName(nameV sobek.Value, value, guard string) sobek.Value {
	name := nameV.String()
	lname, keep, err := checkHeader(name, value, guard)
	if err != nil {
		in.throw(err)
	}
	if !keep {
		return sobek.Null()
	}
	if lname == name {
		return nameV
	}
	return in.rt.ToValue(lname)
}

// trimHTTPSpace is host.trimHTTPSpace(s): s without leading and trailing
// HTTP whitespace (s itself when it has none).
func (in *instance) trimHTTPSpace(v sobek.Value) sobek.Value {
	s := v.String()
	t := fetch.TrimHTTPWhitespace(s)
	if len(t) == len(s) {
		return v
	}
	return in.rt.ToValue(t)
}

// handleHeaders is host.handleHeaders(handle): the header list of the Go
// request or response behind handle, flat ([name, value, ...], names
// lower-case).
func (in *instance) handleHeaders(handle sobek.Value) sobek.Value {
	h := headerOfHandle(handle)
	flat := make([]any, 0, 2*len(h))
	for name, vals := range h {
		lname := strings.ToLower(name)
		for _, v := range vals {
			flat = append(flat, lname, v)
		}
	}
	return in.rt.NewArray(flat...)
}

// handleHeaderGet is host.handleHeaderGet(handle, name): the combined
// value of one header of the Go headers behind handle, as Headers.get
// (name is lower-case and valid), or null. Names are matched without
// regard to case: Go headers are not always canonical.
func (in *instance) handleHeaderGet(handle sobek.Value, name string) sobek.Value {
	var vals []string
	for k, vs := range headerOfHandle(handle) {
		if strings.EqualFold(k, name) {
			vals = append(vals, vs...)
		}
	}
	switch len(vals) {
	case 0:
		return sobek.Null()
	case 1:
		return in.rt.ToValue(vals[0])
	}
	return in.rt.ToValue(strings.Join(vals, ", "))
}

// headersHandle is the opaque JavaScript value by which the Headers of a
// Response made from Go (fetch, Cache Storage) refer to the Go headers
// until a script lists them; a Response passed back to Go unread hands
// the headers back without a trip through JavaScript.
type headersHandle struct{ h http.Header }

// headerOfHandle returns the Go headers behind a requestHandle or a
// headersHandle value (nil for anything else).
func headerOfHandle(v sobek.Value) http.Header {
	switch x := v.Export().(type) {
	case *requestHandle:
		if x.req != nil {
			return x.req.Header
		}
	case *headersHandle:
		return x.h
	}
	return nil
}

// checkHeader validates a header for the Headers class and applies the
// guard's forbidden names: it returns the lower-cased name, and keep false
// when the guard silently drops the header. Invalid names and values, and
// any change to immutable headers, are TypeErrors.
func checkHeader(name, value, guard string) (lname string, keep bool, err error) {
	if !fetch.IsHeaderName(name) {
		return "", false, weberr.Errorf(weberr.TypeError, "Headers: invalid header name %q", name)
	}
	if !fetch.IsHeaderValue(value) {
		return "", false, weberr.Errorf(weberr.TypeError, "Headers: invalid value for header %q", name)
	}
	lname = toLowerASCII(name)
	switch guard {
	case "immutable":
		return "", false, weberr.New(weberr.TypeError, "Headers: these headers are immutable")
	case "request":
		if fetch.IsForbiddenRequestHeader(lname, value) {
			return lname, false, nil
		}
	case "response":
		if fetch.IsForbiddenResponseHeaderName(lname) {
			return lname, false, nil
		}
	}
	return lname, true, nil
}

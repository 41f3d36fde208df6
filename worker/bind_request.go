package worker

import (
	"net/http"
	"strconv"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

// Bindings of js/12_body.js and js/13_request.js. A Request made for an
// event from Go holds a handle on the Go request (requestHandle): its
// headers, fields and body are read through the handle when first used,
// during the event or long after it.

// requestHandle is the opaque JavaScript value by which a Request made for
// an event from Go refers to the Go request: it has no exported fields or
// methods, so scripts that dig it out of a Request see an empty object.
type requestHandle struct{ req *fetch.Request }

// newRequestHandle is host.requestHandle(token): the handle on the request
// of the event Go dispatched as token (an empty request for an unknown
// token).
func (in *instance) newRequestHandle(token int64) *requestHandle {
	ev := in.events[token]
	if ev == nil || ev.req == nil {
		return &requestHandle{req: &fetch.Request{}}
	}
	return &requestHandle{req: ev.req}
}

// requestFields is host.requestFields(handle): the Go request's extra
// fields record (records.go), with the Request defaults for the fields
// Go left empty or does not have.
func (in *instance) requestFields(handle sobek.Value) sobek.Value {
	req := requestOfHandle(handle)
	var x [xSlots]any
	x[xMode] = requestField(req, "mode")
	x[xCredentials] = requestField(req, "credentials")
	x[xDestination] = requestField(req, "destination")
	x[xReferrer] = requestField(req, "referrer")
	if x[xReferrer] == "" {
		x[xReferrer] = "about:client"
	}
	x[xCache] = "default"
	x[xRedirect] = "follow"
	x[xPolicy] = ""
	x[xIntegrity] = ""
	x[xKeepalive] = false
	return in.rt.NewArray(x[:]...)
}

// requestBody is host.requestBody(handle): the Go request's body as a new
// Uint8Array, or null.
func (in *instance) requestBody(handle sobek.Value) sobek.Value {
	req := requestOfHandle(handle)
	if req.Body == nil {
		return sobek.Null()
	}
	return in.uint8Array(req.Body)
}

// requestOfHandle returns the Go request behind a requestHandle value (an
// empty request for anything else).
func requestOfHandle(v sobek.Value) *fetch.Request {
	if h, ok := v.Export().(*requestHandle); ok && h.req != nil {
		return h.req
	}
	return &fetch.Request{}
}

func requestField(r *fetch.Request, name string) string {
	switch name {
	case "mode":
		if r.Mode != "" {
			return string(r.Mode)
		}
	case "credentials":
		if r.Credentials != "" {
			return string(r.Credentials)
		}
	case "destination":
		return r.Destination
	case "referrer":
		if r.Referrer != "" {
			return r.Referrer
		}
		return ""
	}
	return defaultRequestField(name)
}

func defaultRequestField(name string) string {
	switch name {
	case "mode":
		return "cors"
	case "credentials":
		return "same-origin"
	}
	return ""
}

// requestFromRecord reads a request record (records.go), made by the
// bootstrap's exportRequest.
func (in *instance) requestFromRecord(v sobek.Value) (*fetch.Request, error) {
	o, ok := v.(*sobek.Object)
	if !ok {
		return nil, weberr.New(weberr.TypeError, "invalid request record")
	}
	at := func(i int) sobek.Value {
		if v := o.Get(strconv.Itoa(i)); v != nil {
			return v
		}
		return sobek.Undefined()
	}
	req := &fetch.Request{
		Method:      at(qMethod).String(),
		URL:         at(qURL).String(),
		Header:      http.Header{},
		Mode:        fetch.Mode(at(qMode).String()),
		Credentials: fetch.Credentials(at(qCredentials).String()),
		Destination: at(qDestination).String(),
		Referrer:    at(qReferrer).String(),
	}
	if flat, ok := at(qHeaders).(*sobek.Object); ok {
		n := listLen(flat)
		for i := 0; i+1 < n; i += 2 {
			req.Header.Add(flat.Get(strconv.Itoa(i)).String(), flat.Get(strconv.Itoa(i+1)).String())
		}
	}
	body := at(qBody)
	if !sobek.IsNull(body) && !sobek.IsUndefined(body) {
		if sobek.IsString(body) {
			req.Body = utf8Bytes(body)
		} else {
			req.Body = append([]byte(nil), bytesOf(body)...)
		}
	}
	return req, nil
}

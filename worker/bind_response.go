package worker

import (
	"io"
	"net/http"
	"reflect"
	"strconv"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

// Bindings of js/14_response.js.

// responseRecord is host.responseRecord(status, statusText, flatHeaders,
// body, type, url, redirected, contentType, headersHandle), the
// bootstrap's exportResponse: it keeps the Go response for the event
// being answered (in.exported) and returns in.sentinel. flatHeaders is
// [name, value, ...] or null; headersHandle, when not null, stands for Go
// headers no script listed, handed back as they are; contentType is the
// implied Content-Type (or null) when the header list was never built.
func (in *instance) responseRecord(a *args) sobek.Value {
	r := &fetch.Response{
		Status:     a.int(),
		StatusText: a.string(),
	}
	flatV, body := a.value(), a.value()
	r.Type = fetch.ResponseType(a.string())
	r.URL = a.string()
	r.Redirected = a.bool()
	ct, hv := a.value(), a.value()
	if r.Type == fetch.TypeDefault {
		r.Type = fetch.TypeBasic
	}
	if !sobek.IsUndefined(hv) && !sobek.IsNull(hv) {
		// Headers from Go the script never listed: hand them back.
		if hh, ok := hv.Export().(*headersHandle); ok {
			r.Header = hh.h.Clone()
		}
	} else if flat, ok := flatV.(*sobek.Object); ok {
		n := listLen(flat)
		r.Header = make(http.Header, n/2)
		for i := 0; i+1 < n; i += 2 {
			key := http.CanonicalHeaderKey(flat.Get(strconv.Itoa(i)).String())
			r.Header[key] = append(r.Header[key], flat.Get(strconv.Itoa(i+1)).String())
		}
	}
	if !sobek.IsNull(ct) && !sobek.IsUndefined(ct) {
		if r.Header == nil {
			r.Header = make(http.Header, 1)
		}
		r.Header["Content-Type"] = append(r.Header["Content-Type"], ct.String())
	}
	if r.Header == nil {
		r.Header = http.Header{}
	}
	switch {
	case sobek.IsNull(body) || sobek.IsUndefined(body):
	case sobek.IsString(body):
		r.Body = utf8Bytes(body)
	default:
		if rc := in.streamedBody(body); rc != nil {
			r.Stream = rc
			break
		}
		// The bytes themselves: a Response's body buffer is its own
		// (extractBody copies what the script gives), never written after
		// it is made and never reachable by the script, which reads copies.
		r.Body = bytesOf(body)
		if r.Body == nil {
			r.Body = []byte{}
		}
	}
	in.exported = r
	return in.sentinel
}

// responseToJS builds a JavaScript Response from a Go response with the
// bootstrap's responseFromGo; the Response shares r.Body, which nobody
// may write to afterwards. A streamed body (r.Stream) becomes the
// Response's ReadableStream, read as the script reads it; the instance
// owns the stream from then on.
func (in *instance) responseToJS(build sobek.Callable, r *fetch.Response) sobek.Value {
	rt := in.rt
	var body sobek.Value = sobek.Null()
	if r.Body != nil {
		// Shared, not copied: the Response's body buffer is never written
		// (the script reads copies of it), and Go does not write a
		// response's body after making it.
		body = in.uint8ArrayOf(r.Body)
	}
	typ := string(r.Type)
	if typ == "" {
		typ = "basic"
	}
	streamed := sobek.Value(sobek.Undefined())
	if r.Stream != nil {
		body, streamed = rt.ToValue(in.newGoBody(r.Stream)), rt.ToValue(true)
		r.Stream = nil // the instance owns it now
	}
	v, err := build(sobek.Undefined(), rt.ToValue(r.Status), rt.ToValue(r.StatusText), rt.ToValue(&headersHandle{h: r.Header}), body, rt.ToValue(typ), rt.ToValue(r.URL), rt.ToValue(r.Redirected), streamed)
	if err != nil {
		in.throw(jsErrorFrom(err))
	}
	return v
}

// Go types of the stream forms of a body exported to Go.
var typeGoBody = reflect.TypeFor[*goBody]()

// streamedBody returns the reader of a stream body the bootstrap's
// exportResponse gave (12_body.js, streamSource), or nil when body is
// not one: a Go body handed back untouched (the same reader, taken back
// from the instance), or [pull, cancel] of a JavaScript stream, read
// through the loop (jsBody).
func (in *instance) streamedBody(body sobek.Value) io.ReadCloser {
	o, ok := body.(*sobek.Object)
	if !ok {
		return nil
	}
	if o.ExportType() == typeGoBody {
		b := o.Export().(*goBody)
		if b.closed || b.taken {
			in.throw(weberr.New(weberr.TypeError, "the body is closed"))
		}
		if rs, ok := b.rc.(*requestStream); ok && !rs.claim() {
			in.throw(weberr.Errorf(weberr.TypeError, "%v", errBodyTakenBack))
		}
		b.taken = true
		delete(in.goBodies, b)
		return b.rc
	}
	if o.ClassName() != "Array" {
		return nil
	}
	pull, ok1 := sobek.AssertFunction(o.Get("0"))
	cancel, ok2 := sobek.AssertFunction(o.Get("1"))
	if !ok1 || !ok2 {
		return nil
	}
	return in.newJSBody(pull, cancel)
}

package worker

import (
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"sync/atomic"

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
type requestHandle struct {
	req  *fetch.Request
	body *requestStream // a streamed body, until the script asks for it
}

// newRequestHandle is host.requestHandle(token): the handle on the request
// of the event Go dispatched as token (an empty request for an unknown
// token).
func (in *instance) newRequestHandle(token int64) *requestHandle {
	ev := in.events[token]
	if ev == nil || ev.req == nil {
		return &requestHandle{req: &fetch.Request{}}
	}
	return &requestHandle{req: ev.req, body: ev.reqBody}
}

// requestStream is the streamed body of an event's request
// (fetch.Request.Stream), shared by the event's script and the Go caller
// that may go on to the network with it when the event is not answered.
// Whoever disturbs it first owns it: the script by reading, cancelling or
// sending it (claim), the caller by taking it back once the event is
// done (release). A script's read of a body taken back fails.
type requestStream struct {
	rc    io.ReadCloser
	state atomic.Int32 // streamFree, streamScript or streamGo
}

const (
	streamFree   = iota // nobody disturbed it
	streamScript        // the script read, cancelled or sent it: the worker owns it
	streamGo            // taken back by the caller after the event
)

// errBodyTakenBack is the failure of a script's read of a request body
// its caller took back once the event was done.
var errBodyTakenBack = errors.New("the request body went on to the network once the event was done")

// claim makes the script the body's owner; false when the caller took it
// back.
func (s *requestStream) claim() bool {
	return s.state.CompareAndSwap(streamFree, streamScript) || s.state.Load() == streamScript
}

// release gives the body back to the caller; false when the script
// disturbed it first.
func (s *requestStream) release() bool {
	return s.state.CompareAndSwap(streamFree, streamGo) || s.state.Load() == streamGo
}

// Read reads the body for the script (claiming it).
func (s *requestStream) Read(p []byte) (int, error) {
	if !s.claim() {
		return 0, errBodyTakenBack
	}
	return s.rc.Read(p)
}

// Size is the length of the body when known in advance (fetch.Sized),
// else -1.
func (s *requestStream) Size() int64 {
	if z, ok := s.rc.(fetch.Sized); ok {
		return z.Size()
	}
	return -1
}

// Close closes the body when the script owns it; a body nobody
// disturbed, or the caller took back, is the caller's to close.
func (s *requestStream) Close() error {
	if s.state.Load() != streamScript {
		return nil
	}
	return s.rc.Close()
}

// takeRequestStream prepares the streamed body of req for an event
// (before it is dispatched): nil when req has none.
func takeRequestStream(req *fetch.Request) *requestStream {
	if req == nil || req.Stream == nil {
		return nil
	}
	return &requestStream{rc: req.Stream}
}

// settleRequestStream decides, once the event is done, who owns the
// streamed body of req: the caller (true: req.Stream is left as it is)
// or the worker (false: the script disturbed it; req.Stream is set to
// nil, and the worker closes it).
func settleRequestStream(req *fetch.Request, s *requestStream) bool {
	if s == nil {
		return true
	}
	if s.release() {
		return true
	}
	req.Stream = nil
	return false
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
// Uint8Array, a Go body handle (goBody) for a streamed body, which the
// bootstrap makes a ReadableStream of (goRequestBody), or null. A
// streamed body is given once.
func (in *instance) requestBody(handle sobek.Value) sobek.Value {
	if h, ok := handle.Export().(*requestHandle); ok && h.body != nil {
		b := h.body
		h.body = nil
		return in.rt.ToValue(in.newGoBody(b))
	}
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

// Go types of the handles a request record may carry for its headers.
var (
	typeRequestHandle = reflect.TypeFor[*requestHandle]()
	typeHeadersHandle = reflect.TypeFor[*headersHandle]()
)

// requestFromRecord reads a request record (records.go), made by the
// bootstrap's exportRequest; its headers are a flat list, or the handle
// of Go headers no script has listed.
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
	if flat, ok := at(qHeaders).(*sobek.Object); ok && (flat.ExportType() == typeRequestHandle || flat.ExportType() == typeHeadersHandle) {
		// The handle of Go headers no script listed.
		if h := headerOfHandle(flat); h != nil {
			req.Header = h.Clone()
		}
	} else if ok {
		n := listLen(flat)
		for i := 0; i+1 < n; i += 2 {
			req.Header.Add(flat.Get(strconv.Itoa(i)).String(), flat.Get(strconv.Itoa(i+1)).String())
		}
	}
	body := at(qBody)
	switch {
	case sobek.IsNull(body) || sobek.IsUndefined(body):
	case sobek.IsString(body):
		req.Body = utf8Bytes(body)
	default:
		if rc := in.streamedBody(body); rc != nil {
			req.Stream = rc
			break
		}
		req.Body = append([]byte(nil), bytesOf(body)...)
	}
	return req, nil
}

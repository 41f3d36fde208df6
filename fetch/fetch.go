// Package fetch holds the Fetch standard's request and response as plain Go
// values. They are what flows between swhost's layers: a client's request
// enters the agent, reaches a worker's fetch event, is stored in Cache
// Storage, and a response flows back out.
//
// The values are data, not behaviour: the algorithms that act on them (CORS,
// caching, the lookup order) live in the packages that own those concerns.
// Header names are kept in Go's canonical form by [net/http.Header]; the
// JavaScript Headers class lower-cases them when scripts read them.
package fetch

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/swhost/swhost/weberr"
)

// Mode is a request's mode ("navigate", "same-origin", "no-cors", "cors").
type Mode string

// Request modes.
const (
	ModeNavigate   Mode = "navigate"
	ModeSameOrigin Mode = "same-origin"
	ModeNoCORS     Mode = "no-cors"
	ModeCORS       Mode = "cors"
)

// Credentials is a request's credentials mode.
type Credentials string

// Credentials modes.
const (
	CredentialsOmit       Credentials = "omit"
	CredentialsSameOrigin Credentials = "same-origin"
	CredentialsInclude    Credentials = "include"
)

// Redirect is a request's redirect mode.
type Redirect string

// Redirect modes. The zero value means RedirectFollow.
const (
	RedirectFollow Redirect = "follow"
	RedirectError  Redirect = "error"
	RedirectManual Redirect = "manual"
)

// CacheMode is a request's cache mode: how it uses the HTTP cache.
type CacheMode string

// Cache modes. The zero value means CacheDefault.
const (
	CacheDefault      CacheMode = "default"
	CacheNoStore      CacheMode = "no-store"
	CacheReload       CacheMode = "reload"
	CacheNoCache      CacheMode = "no-cache"
	CacheForceCache   CacheMode = "force-cache"
	CacheOnlyIfCached CacheMode = "only-if-cached"
)

// Request is a fetch request. The zero Method means "GET".
type Request struct {
	Method string
	URL    string // serialized absolute URL
	Header http.Header
	Body   []byte // nil for no body
	// Stream, when not nil, is the body as it is produced, and Body is
	// nil: at most one of the two is set. See [Response.Stream] for the
	// contract, which is the same.
	Stream      io.ReadCloser
	Mode        Mode
	Credentials Credentials
	Destination string // "", "document", "script", "font", "image", ...
	Redirect    Redirect
	Cache       CacheMode
	Referrer    string // serialized URL, "" for no referrer
	// ClientID is the id of the client that made the request;
	// ResultingClientID is the id of the client a navigation creates.
	ClientID          string
	ResultingClientID string
	// Origin is the serialized origin of the request's client, "null" when
	// the client's referrer policy hides it, "" when not known.
	Origin string
}

// Sized is implemented by a Stream whose length is known before it is
// read (an incoming request body with a Content-Length). Size returns
// that length, or -1 when it is not known. The network sends such a
// request body with a Content-Length instead of chunked; a stream that
// ends short of it fails the exchange.
type Sized interface {
	Size() int64
}

// MethodOrGet returns r.Method, or "GET" when it is empty.
func (r *Request) MethodOrGet() string {
	if r.Method == "" {
		return http.MethodGet
	}
	return r.Method
}

// IsNavigation reports whether r is a navigation request.
func (r *Request) IsNavigation() bool { return r.Mode == ModeNavigate }

// Clone returns a deep copy of r. A Stream is read once, so it is not
// copied: it moves to the clone and r.Stream becomes nil (buffer it
// first with ReadBody when both need the body).
func (r *Request) Clone() *Request {
	c := *r
	c.Header = r.Header.Clone()
	if r.Body != nil {
		c.Body = append([]byte(nil), r.Body...)
	}
	r.Stream = nil
	return &c
}

// HasBody reports whether r has a body, buffered or streamed.
func (r *Request) HasBody() bool { return r.Body != nil || r.Stream != nil }

// ReadBody buffers a streamed body: it reads r.Stream to its end into
// r.Body, closes it and sets it to nil. A body over limit bytes (limit
// > 0) is a QuotaExceededError, and r then has no body. A buffered body
// is left as it is.
func (r *Request) ReadBody(limit int64) error {
	if r.Stream == nil {
		return nil
	}
	return bufferStream(&r.Stream, &r.Body, limit, "request body of "+r.URL)
}

// CloseBody closes a streamed body, if any, and sets r.Stream to nil.
func (r *Request) CloseBody() {
	if r.Stream != nil {
		r.Stream.Close()
		r.Stream = nil
	}
}

// BodyReader returns a reader of r's body and whether r has one: the
// Stream itself (it moves to the caller, who must Close it, and
// r.Stream becomes nil) or a reader over Body.
func (r *Request) BodyReader() (io.ReadCloser, bool) {
	if r.Stream != nil {
		s := r.Stream
		r.Stream = nil
		return s, true
	}
	if r.Body != nil {
		return io.NopCloser(bytes.NewReader(r.Body)), true
	}
	return nil, false
}

// ResponseType is a response's type as scripts see it.
type ResponseType string

// Response types.
const (
	TypeBasic          ResponseType = "basic"
	TypeCORS           ResponseType = "cors"
	TypeDefault        ResponseType = "default"
	TypeError          ResponseType = "error"
	TypeOpaque         ResponseType = "opaque"
	TypeOpaqueRedirect ResponseType = "opaqueredirect"
)

// Response is a fetch response. A Response of type [TypeError] is a network
// error: Status is 0 and Error, when set, says why.
type Response struct {
	Type       ResponseType
	URL        string   // final URL, "" for a synthesized response
	URLList    []string // every URL the fetch went through, when known
	Redirected bool
	Status     int
	StatusText string
	Header     http.Header
	Body       []byte
	// Stream, when not nil, is the body as it is produced (a network
	// response read as it arrives, a worker's ReadableStream), and Body
	// is nil: at most one of the two is set.
	//
	// Whoever holds the Response owns the Stream: it must Close it once
	// done, read to the end or not (CloseBody), and closing it early
	// cancels the producer (the HTTP exchange, the worker's stream). A
	// Read may block until the producer has more; a producer that fails
	// returns its error from Read. A Stream is read by one goroutine at
	// a time; Close may be called from another to cancel a Read.
	//
	// Layers that must hold the whole body (Cache Storage, the HTTP cache,
	// a script fetch) buffer it with ReadBody and a limit.
	Stream io.ReadCloser
	Error  string // reason for a network error, for logs and the CLI
}

// ErrBodyTooLarge is wrapped by ReadAllLimit's error for a body over its
// limit; the error also carries weberr.QuotaExceeded.
var ErrBodyTooLarge = errors.New("body too large")

// ReadAllLimit reads rd to its end; more than limit bytes (limit > 0) is
// an error wrapping ErrBodyTooLarge, named QuotaExceededError. It does
// not close rd.
func ReadAllLimit(rd io.Reader, limit int64) ([]byte, error) {
	if limit <= 0 {
		b, err := io.ReadAll(rd)
		if err != nil {
			return nil, weberr.Errorf(weberr.TypeError, "reading a body: %w", err)
		}
		return b, nil
	}
	b, err := io.ReadAll(io.LimitReader(rd, limit+1))
	if err != nil {
		return nil, weberr.Errorf(weberr.TypeError, "reading a body: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, weberr.Errorf(weberr.QuotaExceeded, "%w: more than %d bytes", ErrBodyTooLarge, limit)
	}
	return b, nil
}

// NetworkError returns a network-error response with the given reason.
func NetworkError(reason string) *Response {
	return &Response{Type: TypeError, Header: http.Header{}, Error: reason}
}

// IsNetworkError reports whether r is a network error.
func (r *Response) IsNetworkError() bool { return r == nil || r.Type == TypeError }

// OK reports whether the status is in the range 200-299.
func (r *Response) OK() bool { return r.Status >= 200 && r.Status <= 299 }

// StatusLine returns "200 OK"-style text, using http.StatusText when
// StatusText is empty.
func (r *Response) StatusLine() string {
	text := r.StatusText
	if text == "" {
		text = http.StatusText(r.Status)
	}
	return strconv.Itoa(r.Status) + " " + text
}

// Clone returns a deep copy of r. A Stream is read once, so it is not
// copied: it moves to the clone and r.Stream becomes nil (the filtered
// responses, FilterBasic and FilterCORS, are clones that take the
// stream over). Buffer it first with ReadBody when both need the body.
func (r *Response) Clone() *Response {
	c := *r
	c.Header = r.Header.Clone()
	c.URLList = append([]string(nil), r.URLList...)
	if r.Body != nil {
		c.Body = append([]byte(nil), r.Body...)
	}
	r.Stream = nil
	return &c
}

// HasBody reports whether r has a body, buffered or streamed.
func (r *Response) HasBody() bool { return r.Body != nil || r.Stream != nil }

// ReadBody buffers a streamed body: it reads r.Stream to its end into
// r.Body, closes it and sets it to nil. A body over limit bytes (limit
// > 0) is a QuotaExceededError (wrapping ErrBodyTooLarge), and r then
// has no body. A buffered body is left as it is.
func (r *Response) ReadBody(limit int64) error {
	if r.Stream == nil {
		return nil
	}
	return bufferStream(&r.Stream, &r.Body, limit, "response body of "+r.URL)
}

// bufferStream reads *stream to its end into *body within limit (see
// ReadAllLimit), closes it and sets it to nil; what names the body in
// errors, after which *body is left as it was.
func bufferStream(stream *io.ReadCloser, body *[]byte, limit int64, what string) error {
	b, err := ReadAllLimit(*stream, limit)
	(*stream).Close()
	*stream = nil
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	*body = b
	return nil
}

// CloseBody closes a streamed body, if any, and sets r.Stream to nil: a
// response that is dropped unread must be closed so that its producer
// stops.
func (r *Response) CloseBody() {
	if r != nil && r.Stream != nil {
		r.Stream.Close()
		r.Stream = nil
	}
}

// BodyReader returns a reader of r's body and whether r has one: the
// Stream itself (it moves to the caller, who must Close it, and
// r.Stream becomes nil) or a reader over Body.
func (r *Response) BodyReader() (io.ReadCloser, bool) {
	if r.Stream != nil {
		s := r.Stream
		r.Stream = nil
		return s, true
	}
	if r.Body != nil {
		return io.NopCloser(bytes.NewReader(r.Body)), true
	}
	return nil, false
}

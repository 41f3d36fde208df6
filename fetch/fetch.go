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
	"net/http"
	"strconv"
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
	Method      string
	URL         string // serialized absolute URL
	Header      http.Header
	Body        []byte // nil for no body
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

// MethodOrGet returns r.Method, or "GET" when it is empty.
func (r *Request) MethodOrGet() string {
	if r.Method == "" {
		return http.MethodGet
	}
	return r.Method
}

// IsNavigation reports whether r is a navigation request.
func (r *Request) IsNavigation() bool { return r.Mode == ModeNavigate }

// Clone returns a deep copy of r.
func (r *Request) Clone() *Request {
	c := *r
	c.Header = r.Header.Clone()
	if r.Body != nil {
		c.Body = append([]byte(nil), r.Body...)
	}
	return &c
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
	Error      string // reason for a network error, for logs and the CLI
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

// Clone returns a deep copy of r.
func (r *Response) Clone() *Response {
	c := *r
	c.Header = r.Header.Clone()
	c.URLList = append([]string(nil), r.URLList...)
	if r.Body != nil {
		c.Body = append([]byte(nil), r.Body...)
	}
	return &c
}

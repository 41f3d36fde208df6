// Package network performs fetches over HTTP for swhost: the last step of
// the lookup order, service-worker script fetches, and fetch() calls that
// no worker answers.
//
// A Transport can map origins to upstream servers, so that tests and demos
// serve "https://app.test" from a loopback server:
//
//	t := &network.Transport{Resolve: map[string]string{"https://app.test": "http://127.0.0.1:8081"}}
//
// Requests for a mapped origin go to the upstream with the original Host
// header, and everything the caller sees (the response URL, redirects)
// keeps the logical URL "https://app.test/...".
//
// Every connection a Transport makes is checked by its egress policy
// (internal/egress): by default no loopback, private, link-local or other
// non-public address, checked on the address dialled after DNS resolution,
// for every hop of a redirect. The upstreams named in Resolve are allowed
// (they are what the operator asked for), except swhost's own listeners.
package network

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/egress"
	"github.com/swhost/swhost/internal/weburl"
)

// DefaultMaxBodyBytes caps a response body a Transport reads whole.
const DefaultMaxBodyBytes = 32 << 20

// DefaultStreamBytes is the largest response body a Transport reads
// whole by default: a body of unknown length, or longer, is streamed.
const DefaultStreamBytes = 64 << 10

// maxRedirects is the Fetch standard's redirect limit.
const maxRedirects = 20

// exchangeTimeout bounds one HTTP exchange (one hop of a redirect chain).
const exchangeTimeout = 60 * time.Second

// Transport fetches requests over HTTP. The zero value maps no origin and
// applies egress.Default(). It is safe for concurrent use; set its fields
// before the first Fetch.
type Transport struct {
	// Resolve maps serialized origins ("https://app.test") to upstream
	// base URLs ("http://127.0.0.1:8081"). The upstreams are allowed by
	// the egress policy.
	Resolve map[string]string
	// MaxBodyBytes caps the response bodies read whole; 0 means
	// DefaultMaxBodyBytes. A streamed body is not capped here: whoever
	// buffers it gives its own limit (fetch.Response.ReadBody).
	MaxBodyBytes int64
	// StreamBytes is the largest response body read whole, when its
	// Content-Length says so: a body of unknown length or longer is
	// streamed (fetch.Response.Stream, read as it arrives). 0 means
	// DefaultStreamBytes; a negative value reads every body whole.
	StreamBytes int64
	// Egress is the policy every connection is checked against; nil
	// means egress.Default() (no non-public address; nothing allowed
	// beyond the upstreams in Resolve).
	Egress *egress.Policy

	once   sync.Once
	client *http.Client
}

// ParseResolve parses an ORIGIN=UPSTREAM_URL mapping, as given to the
// --resolve flag, and returns the serialized origin and upstream.
func ParseResolve(s string) (origin, upstream string, err error) {
	o, up, ok := strings.Cut(s, "=")
	if !ok {
		return "", "", fmt.Errorf("resolve %q: want ORIGIN=UPSTREAM_URL", s)
	}
	ou, err := weburl.Parse(o)
	if err != nil {
		return "", "", fmt.Errorf("resolve %q: origin: %w", s, err)
	}
	uu, err := url.Parse(up)
	if err != nil || (uu.Scheme != "http" && uu.Scheme != "https") || uu.Host == "" {
		return "", "", fmt.Errorf("resolve %q: upstream must be an http(s) URL", s)
	}
	return ou.Origin(), strings.TrimSuffix(up, "/"), nil
}

// policy returns the egress policy in force.
func (t *Transport) policy() *egress.Policy {
	if t.Egress != nil {
		return t.Egress
	}
	return egress.Default()
}

// httpClient returns the client of t, whose connections are made by
// t.DialContext. It uses no proxy from the environment (the policy checks
// the address connected to, which would be the proxy's) and does not
// follow redirects: Fetch does, on logical URLs.
func (t *Transport) httpClient() *http.Client {
	t.once.Do(func() {
		ht := http.DefaultTransport.(*http.Transport).Clone()
		ht.Proxy = nil
		ht.DialContext = t.DialContext
		ht.DialTLSContext = nil
		// The exchange timeout bounds the wait for the response's
		// header; a body read whole has its own deadline (readWhole),
		// and a streamed body may last as long as its reader wants.
		ht.ResponseHeaderTimeout = exchangeTimeout
		t.client = &http.Client{
			Transport:     ht,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	})
	return t.client
}

// DialContext connects to addr ("host:port") under the egress policy: an
// upstream named in Resolve is trusted (only swhost's own listeners are
// refused), anything else must pass the policy.
func (t *Transport) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if t.isUpstream(addr) {
		return t.policy().DialTrusted(ctx, network, addr)
	}
	return t.policy().DialContext(ctx, network, addr)
}

// Allows reports whether the policy lets a request for hostport
// ("host:port") through: nil, an *egress.RefusedError (a NetworkError),
// or the error resolving the host. The connection is checked again when
// it is made.
func (t *Transport) Allows(ctx context.Context, hostport string) error {
	if t.isUpstream(hostport) {
		return nil
	}
	return t.policy().Check(ctx, hostport)
}

// Resolves reports whether origin (serialized) is mapped to an upstream.
func (t *Transport) Resolves(origin string) bool {
	_, ok := t.Resolve[origin]
	return ok
}

// isUpstream reports whether addr ("host:port", as net/http dials it) is
// the address of an upstream in Resolve.
func (t *Transport) isUpstream(addr string) bool {
	for _, up := range t.Resolve {
		u, err := url.Parse(up)
		if err != nil {
			continue
		}
		port := u.Port()
		if port == "" {
			port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
		}
		if strings.EqualFold(net.JoinHostPort(u.Hostname(), port), addr) {
			return true
		}
	}
	return false
}

// Fetch performs req and returns the response: a body of known length up
// to StreamBytes is read whole (Body), any other is streamed (Stream,
// which the caller must Close; ctx ending cancels it). A network failure
// is returned as a network-error response (Type "error") with the
// reason, and a nil error; the error is non-nil only when ctx ends.
//
// A streamed request body (req.Stream) is sent as it is read and closed;
// a redirect that would send it again (307, 308) is a network error, as
// the Fetch standard has it for a body that cannot be replayed.
func (t *Transport) Fetch(ctx context.Context, req *fetch.Request) (*fetch.Response, error) {
	method := req.MethodOrGet()
	cur := req.URL
	var urlList []string
	body := req.Body
	stream := req.Stream
	req.Stream = nil
	defer func() {
		if stream != nil {
			stream.Close()
		}
	}()
	for redirects := 0; ; redirects++ {
		urlList = append(urlList, cur)
		var rd io.Reader
		sentStream := stream != nil
		switch {
		case stream != nil:
			rd, stream = stream, nil // the client closes it
		case body != nil:
			rd = bytes.NewReader(body)
		}
		resp, err := t.roundTrip(ctx, method, cur, req, rd)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			var refused *egress.RefusedError
			if errors.As(err, &refused) {
				return fetch.NetworkError(refused.Error()), nil
			}
			return fetch.NetworkError(err.Error()), nil
		}
		loc := resp.Header.Get("Location")
		if !isRedirect(resp.StatusCode) || loc == "" {
			return t.response(resp, cur, urlList, redirects > 0)
		}
		resp.Body.Close()
		switch req.Redirect {
		case fetch.RedirectError:
			return fetch.NetworkError(fmt.Sprintf("redirect from %s not allowed (redirect mode \"error\")", cur)), nil
		case fetch.RedirectManual:
			return &fetch.Response{Type: fetch.TypeOpaqueRedirect, URL: cur, URLList: urlList, Header: http.Header{}}, nil
		}
		if redirects == maxRedirects {
			return fetch.NetworkError("too many redirects"), nil
		}
		base, err := weburl.Parse(cur)
		if err != nil {
			return fetch.NetworkError(err.Error()), nil
		}
		next, err := weburl.ParseRef(base, loc)
		if err != nil {
			return fetch.NetworkError(fmt.Sprintf("bad redirect location %q", loc)), nil
		}
		if sc := next.Scheme(); sc != "http" && sc != "https" {
			return fetch.NetworkError(fmt.Sprintf("redirect to non-HTTP URL %s", next.Href())), nil
		}
		cur = next.Href()
		if i := strings.IndexByte(cur, '#'); i >= 0 {
			cur = cur[:i]
		}
		// 301/302 turn POST into GET; 303 turns everything but HEAD into GET.
		if code := resp.StatusCode; ((code == 301 || code == 302) && method == http.MethodPost) || (code == 303 && method != http.MethodHead) {
			method, body = http.MethodGet, nil
		} else if sentStream {
			return fetch.NetworkError(fmt.Sprintf("redirect from %s would send a streamed request body again", cur)), nil
		}
	}
}

func isRedirect(code int) bool {
	return code == 301 || code == 302 || code == 303 || code == 307 || code == 308
}

// roundTrip sends one HTTP request for the logical URL logical, with the
// body rd (nil for none).
func (t *Transport) roundTrip(ctx context.Context, method, logical string, req *fetch.Request, rd io.Reader) (*http.Response, error) {
	u, err := weburl.Parse(logical)
	if err != nil {
		return nil, err
	}
	if sc := u.Scheme(); sc != "http" && sc != "https" {
		return nil, fmt.Errorf("scheme %q is not fetched over the network", sc)
	}
	target := logical
	if i := strings.IndexByte(target, '#'); i >= 0 {
		target = target[:i]
	}
	host := u.Host()
	if up, ok := t.Resolve[u.Origin()]; ok {
		target = up + target[len(u.Origin()):]
	}
	hr, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return nil, err
	}
	if z, ok := rd.(fetch.Sized); ok && z.Size() > 0 {
		hr.ContentLength = z.Size()
	}
	for k, vs := range req.Header {
		hr.Header[k] = append([]string(nil), vs...)
	}
	hr.Host = host
	if req.Referrer != "" && hr.Header.Get("Referer") == "" {
		hr.Header.Set("Referer", req.Referrer)
	}
	return t.httpClient().Do(hr)
}

// response makes the fetch response of hr: its body read whole when
// its length is known and at most StreamBytes, else streamed.
func (t *Transport) response(hr *http.Response, logical string, urlList []string, redirected bool) (*fetch.Response, error) {
	text := hr.Status
	if i := strings.IndexByte(text, ' '); i >= 0 {
		text = text[i+1:]
	}
	resp := &fetch.Response{
		Type:       fetch.TypeBasic,
		URL:        logical,
		URLList:    urlList,
		Redirected: redirected,
		Status:     hr.StatusCode,
		StatusText: text,
		Header:     hr.Header,
	}
	limit := t.StreamBytes
	if limit == 0 {
		limit = DefaultStreamBytes
	}
	if limit > 0 && (hr.ContentLength < 0 || hr.ContentLength > limit) {
		resp.Stream = hr.Body
		return resp, nil
	}
	b, err := t.readWhole(hr)
	if err != nil {
		return fetch.NetworkError(err.Error()), nil
	}
	resp.Body = b
	return resp, nil
}

// readWhole reads and closes the body of hr, within MaxBodyBytes and the
// exchange timeout.
func (t *Transport) readWhole(hr *http.Response) ([]byte, error) {
	defer hr.Body.Close()
	max := t.MaxBodyBytes
	if max <= 0 {
		max = DefaultMaxBodyBytes
	}
	stall := time.AfterFunc(exchangeTimeout, func() { hr.Body.Close() })
	defer stall.Stop()
	b, err := io.ReadAll(io.LimitReader(hr.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("reading response body: %v", err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("response body larger than %d bytes", max)
	}
	return b, nil
}

package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/hopbyhop"
	"github.com/swhost/swhost/internal/weburl"
)

// edgeBufferedBody is the largest request body the edge and the proxy
// read whole before the lookup order runs: one whose Content-Length says
// it is at most this long. Any other body is handed on as a stream
// (fetch.Request.Stream), read as the client sends it: a worker sees a
// ReadableStream fed by the upload, and the network sends it on as it
// arrives. The edge sets no size limit on a request body; the layers
// that must hold one whole apply their own (docs/limits.md).
const edgeBufferedBody = 64 << 10

// EdgeHandler serves the origins swhost hosts, the way an edge platform
// runs workers in front of an origin: a request with "Host: app.test" is a
// request for scheme://app.test/... (scheme is "https" for the usual
// hosted origins) and goes through the lookup order; what no worker
// answers goes to the network (the upstreams given by --resolve).
//
// Only hosted origins are served: those with a registration and those
// named by --resolve. Any other Host (another site, an address such as
// 127.0.0.1:ADMIN, a malformed name) gets 421 Misdirected Request with
// the same answer, and nothing is fetched for it.
func (s *Server) EdgeHandler(scheme string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := weburl.Parse(scheme + "://" + r.Host + r.URL.RequestURI())
		if r.Host == "" || err != nil || !s.hosts(u.Origin()) {
			s.misdirected(w)
			return
		}
		s.serveLogical(w, r, "edge", u)
	})
}

// hosts reports whether swhost serves origin (serialized): it has a
// registration or is named by --resolve.
func (s *Server) hosts(origin string) bool {
	return s.reg.HasOrigin(origin) || (s.opts.Network != nil && s.opts.Network.Resolves(origin))
}

// misdirectedBody is the edge's one answer for every origin it does not
// serve: it says nothing about the Host asked for, so that the edge
// cannot be used to probe hosts or ports.
const misdirectedBody = "swhost edge: misdirected request: this listener serves only the origins swhost hosts\n"

func (s *Server) misdirected(w http.ResponseWriter) {
	s.metrics.edgeRequest("edge", statusClass(http.StatusMisdirectedRequest))
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusMisdirectedRequest)
	io.WriteString(w, misdirectedBody)
}

// serveLogical runs the request r for the logical URL through the lookup
// order and writes the answer.
func (s *Server) serveLogical(w http.ResponseWriter, r *http.Request, listener string, u *weburl.URL) {
	req, err := toFetchRequest(r, u)
	if err == nil && req.Stream != nil {
		// The answer may start before the upload ends (a worker or an
		// upstream that answers as it reads): HTTP/1.x must not then
		// cut the body off.
		_ = http.NewResponseController(w).EnableFullDuplex()
	}
	if err != nil {
		status := http.StatusBadRequest
		if isBodyTimeout(err) {
			status = http.StatusRequestTimeout
		}
		s.edgeError(w, listener, status, err.Error())
		return
	}
	res, err := s.agent.FetchIncoming(r.Context(), req, r.Header)
	if err != nil {
		if r.Context().Err() != nil {
			return
		}
		s.edgeError(w, listener, http.StatusBadGateway, err.Error())
		return
	}
	resp := res.Response
	defer resp.CloseBody()
	if resp.IsNetworkError() {
		s.edgeError(w, listener, http.StatusBadGateway, "network error: "+resp.Error)
		return
	}
	if resp.Type == fetch.TypeOpaque {
		s.edgeError(w, listener, http.StatusBadGateway, "the answer is an opaque response, which has no status or body to send")
		return
	}
	h := w.Header()
	for k, vs := range resp.Header {
		h[k] = vs
	}
	hopbyhop.Remove(h)
	delete(h, "Content-Length")
	h.Set("X-Swhost-Served-By", res.ServedBy())
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	s.metrics.edgeRequest(listener, statusClass(status))
	s.opts.Events.activity.Add(1)
	if r.Method == http.MethodHead {
		return
	}
	if resp.Stream == nil {
		w.Write(resp.Body)
		return
	}
	if err := copyStream(w, resp.Stream); err != nil {
		var werr *clientWriteError
		if errors.As(err, &werr) || r.Context().Err() != nil {
			return // the client went away; the deferred close cancels the producer
		}
		// The producer failed after the status was sent: the client must
		// not take the truncated body for the whole one, so the
		// connection is aborted (no last chunk), net/http's way.
		s.log.Warn(listener+": the response body failed while it was sent", "url", req.URL, "err", err)
		resp.CloseBody()
		panic(http.ErrAbortHandler)
	}
}

// maxAdminFetchBody caps a streamed body the admin API's fetch reads
// whole to describe it in JSON.
const maxAdminFetchBody = 32 << 20

// streamChunk is the largest chunk copyStream reads at once.
const streamChunk = 256 << 10

// streamBufs recycles copyStream's buffers.
var streamBufs = sync.Pool{New: func() any { b := make([]byte, streamChunk); return &b }}

// copyStream writes a streamed body to w as it is produced: each chunk
// read is written and flushed, so that a client sees it at once, and the
// next is read only once the client took this one (backpressure). It
// returns when the body ends (nil), fails (the read error), or the
// client goes away (a *clientWriteError); the caller closes the stream, which
// cancels its producer.
func copyStream(w http.ResponseWriter, rd io.Reader) error {
	bp := streamBufs.Get().(*[]byte)
	defer streamBufs.Put(bp)
	buf := *bp
	rc := http.NewResponseController(w)
	for {
		n, err := rd.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return &clientWriteError{werr}
			}
			if ferr := rc.Flush(); ferr != nil && !errors.Is(ferr, http.ErrNotSupported) {
				return &clientWriteError{ferr}
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// clientWriteError is a failure to write to the client.
type clientWriteError struct{ err error }

func (e *clientWriteError) Error() string { return "writing to the client: " + e.err.Error() }
func (e *clientWriteError) Unwrap() error { return e.err }

// statusClass returns "2xx" and so on without formatting per request.
func statusClass(status int) string {
	switch status / 100 {
	case 1:
		return "1xx"
	case 2:
		return "2xx"
	case 3:
		return "3xx"
	case 4:
		return "4xx"
	}
	return "5xx"
}

func (s *Server) edgeError(w http.ResponseWriter, listener string, status int, msg string) {
	s.metrics.edgeRequest(listener, statusClass(status))
	http.Error(w, "swhost "+listener+": "+msg, status)
}

// toFetchRequest converts an incoming HTTP request to a fetch request for
// the logical URL: its method, headers (hop-by-hop ones removed), referrer
// and body. Its client and mode are the agent's to infer
// (agent.FetchIncoming), from the headers kept. A body whose
// Content-Length is at most edgeBufferedBody is read whole (Body); any
// other is the request's Stream, the HTTP request's own body, which the
// server closes once the handler returns.
func toFetchRequest(r *http.Request, u *weburl.URL) (*fetch.Request, error) {
	req := &fetch.Request{Method: r.Method, URL: u.Href(), Header: r.Header.Clone()}
	hopbyhop.Remove(req.Header)
	if ref := r.Header.Get("Referer"); ref != "" {
		req.Referrer = ref
	}
	if r.Body == nil || r.Body == http.NoBody || r.Method == http.MethodGet || r.Method == http.MethodHead || r.ContentLength == 0 {
		return req, nil
	}
	if r.ContentLength < 0 || r.ContentLength > edgeBufferedBody {
		req.Stream = sizedBody{r.Body, r.ContentLength}
		return req, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, edgeBufferedBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading the request body: %w", err)
	}
	req.Body = b
	return req, nil
}

// sizedBody is an incoming request body with its Content-Length (-1 when
// chunked): the network sends it on with the same length
// (fetch.Sized).
type sizedBody struct {
	io.ReadCloser
	n int64
}

// Size returns the body's Content-Length, -1 when unknown.
func (b sizedBody) Size() int64 { return b.n }

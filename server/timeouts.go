package server

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"
)

// Timeouts bound how long a listener waits on a client that has stopped
// sending. They close stalled request headers, stalled request bodies and
// idle keep-alive connections; they never cut a response that is being
// written or a connection taken over for a long-lived stream (a CONNECT
// tunnel, a WebSocket, the admin event stream). Zero fields take
// [DefaultTimeouts]; a negative field disables that timeout.
type Timeouts struct {
	// Header bounds reading a request's line and headers, from its first
	// byte (http.Server.ReadHeaderTimeout). The client gets no answer:
	// the connection is closed.
	Header time.Duration
	// Body bounds each pause while a handler reads a request body: a body
	// that sends no byte for this long fails with 408 Request Timeout and
	// the connection is closed. A slow but live upload is not cut.
	Body time.Duration
	// Idle bounds how long a keep-alive connection waits for its next
	// request (http.Server.IdleTimeout); then it is closed.
	Idle time.Duration
}

// DefaultTimeouts are the listener timeouts of swhost serve.
var DefaultTimeouts = Timeouts{Header: 10 * time.Second, Body: 30 * time.Second, Idle: 120 * time.Second}

// withDefaults returns t with zero fields set from DefaultTimeouts and
// negative ones (disabled) set to zero, as net/http reads them.
func (t Timeouts) withDefaults() Timeouts {
	pick := func(v, def time.Duration) time.Duration {
		switch {
		case v == 0:
			return def
		case v < 0:
			return 0
		}
		return v
	}
	return Timeouts{Header: pick(t.Header, DefaultTimeouts.Header), Body: pick(t.Body, DefaultTimeouts.Body), Idle: pick(t.Idle, DefaultTimeouts.Idle)}
}

// HTTPServer returns an http.Server serving h with the timeouts applied;
// log, when not nil, receives the server's own errors at warning level.
// The server sets no ReadTimeout or WriteTimeout: those would bound whole
// requests and responses, cutting slow but live transfers and the
// long-lived streams.
func (t Timeouts) HTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	t = t.withDefaults()
	hs := &http.Server{Handler: t.bodyTimeout(h), ReadHeaderTimeout: t.Header, IdleTimeout: t.Idle}
	if t.Idle == 0 {
		// net/http falls back to ReadTimeout (zero here, so no limit),
		// then to ReadHeaderTimeout: disabled means disabled.
		hs.IdleTimeout = -1
	}
	if log != nil {
		hs.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	}
	return hs
}

// bodyTimeout wraps h so that reading a request body fails once no byte
// has arrived for t.Body.
func (t Timeouts) bodyTimeout(h http.Handler) http.Handler {
	if t.Body <= 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// net/http clears the read deadline when the body reaches EOF (it
		// starts watching for the client going away), and a request
		// without a body has reached it already: only a body still to be
		// read gets a deadline, which also bounds the reading net/http
		// does after the handler when the handler left part of it.
		if r.Body != nil && r.Body != http.NoBody && (r.ContentLength > 0 || r.ContentLength == -1) {
			rc := http.NewResponseController(w)
			if rc.SetReadDeadline(time.Now().Add(t.Body)) == nil {
				r.Body = &stallBody{ReadCloser: r.Body, rc: rc, d: t.Body}
			}
		}
		h.ServeHTTP(w, r)
	})
}

// stallBody moves the connection's read deadline on before each read, so
// that only a pause longer than d fails.
type stallBody struct {
	io.ReadCloser
	rc *http.ResponseController
	d  time.Duration
}

func (b *stallBody) Read(p []byte) (int, error) {
	_ = b.rc.SetReadDeadline(time.Now().Add(b.d))
	n, err := b.ReadCloser.Read(p)
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		err = &BodyTimeoutError{After: b.d}
	}
	return n, err
}

// BodyTimeoutError is the error reading a request body returns when the
// client sent nothing for After (Timeouts.Body).
type BodyTimeoutError struct{ After time.Duration }

func (e *BodyTimeoutError) Error() string {
	return "the request body stalled: no byte for " + e.After.String()
}

// Timeout reports true, as net.Error timeouts do.
func (e *BodyTimeoutError) Timeout() bool { return true }

// isBodyTimeout reports whether err is a stalled request body.
func isBodyTimeout(err error) bool {
	var bt *BodyTimeoutError
	return errors.As(err, &bt)
}

package server

import (
	"context"
	"net/http"
	"time"

	"github.com/swhost/swhost/weberr"
)

// settleRequest is the body of POST /v1/settle.
type settleRequest struct {
	TimeoutMs int64 `json:"timeoutMs,omitempty"` // default 10000, at most 60000
}

func (req *settleRequest) validate() error {
	if req.TimeoutMs < 0 || req.TimeoutMs > 60000 {
		return fieldError("timeoutMs", "%d is not between 0 and 60000", req.TimeoutMs)
	}
	return nil
}

// settle is POST /v1/settle {"timeoutMs"}: it answers once the work the
// host started has settled: background registrations, and every running
// worker's events and waitUntil promises (the cache write a Workbox
// strategy makes after answering a fetch). A test calls it before it
// looks at what that work wrote. 200 {} when settled; 504 TimeoutError,
// naming the worker still busy, when timeoutMs (default 10 s) passes
// first.
func (s *Server) settle(w http.ResponseWriter, r *http.Request) {
	var req settleRequest
	if err := decodeBody(r, &req); err != nil {
		s.fail(w, err)
		return
	}
	timeout := 10 * time.Second
	if req.TimeoutMs > 0 {
		timeout = time.Duration(req.TimeoutMs) * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	// Registry.WaitIdle first waits for background jobs without a
	// context (a job a worker started may wait on that worker's timers,
	// which a manual clock holds): wait for it here, bounded by ctx.
	done := make(chan error, 1)
	go func() { done <- s.reg.WaitIdle(ctx) }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = weberr.Errorf(weberr.TimeoutError, "background work or a worker's events or waitUntil promises still pending after %v", timeout)
	}
	if err != nil {
		if r.Context().Err() != nil {
			return
		}
		if weberr.NameOf(err) == weberr.TimeoutError {
			writeError(w, http.StatusGatewayTimeout, weberr.TimeoutError, err.Error())
			return
		}
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

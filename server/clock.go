package server

import (
	"net/http"
	"time"

	"github.com/swhost/swhost/clock"
	"github.com/swhost/swhost/weberr"
)

// movableClock is a clock the admin API may move: [clock.Manual].
type movableClock interface {
	clock.Clock
	Advance(d time.Duration) time.Time
	Set(t time.Time) time.Time
}

// clockJSON is GET /v1/clock's answer.
type clockJSON struct {
	Now    int64 `json:"now"` // milliseconds since the Unix epoch
	Manual bool  `json:"manual"`
}

// clockRequest is the body of POST /v1/clock: exactly one of its fields.
type clockRequest struct {
	Advance *float64 `json:"advance,omitempty"` // milliseconds, >= 0
	Set     *float64 `json:"set,omitempty"`     // milliseconds since the Unix epoch
}

func (req *clockRequest) validate() error {
	switch {
	case (req.Advance == nil) == (req.Set == nil):
		return weberr.New(weberr.TypeError, `want exactly one of "advance" (milliseconds) and "set" (milliseconds since the Unix epoch)`)
	case req.Advance != nil && !(*req.Advance >= 0 && *req.Advance <= maxClockMS):
		return weberr.Errorf(weberr.TypeError, `"advance" must be a number of milliseconds from 0 to %d`, int64(maxClockMS))
	case req.Set != nil && !(*req.Set >= 0 && *req.Set <= maxClockMS):
		return weberr.Errorf(weberr.TypeError, `"set" must be milliseconds since the Unix epoch, from 0 to %d`, int64(maxClockMS))
	}
	return nil
}

// maxClockMS bounds the clock's inputs: the largest time ECMAScript's
// Date holds (8.64e15 ms), well inside time.Duration's range too.
const maxClockMS = 8.64e15

// clock returns the host's clock: Options.Clock or the registry's.
func (s *Server) clock() clock.Clock {
	if s.opts.Clock != nil {
		return s.opts.Clock
	}
	return s.reg.Clock()
}

func (s *Server) getClock(w http.ResponseWriter, r *http.Request) {
	c := s.clock()
	_, manual := c.(movableClock)
	writeJSON(w, http.StatusOK, clockJSON{Now: c.Now().UnixMilli(), Manual: manual})
}

func (s *Server) moveClock(w http.ResponseWriter, r *http.Request) {
	mc, ok := s.clock().(movableClock)
	if !ok {
		writeError(w, http.StatusConflict, weberr.InvalidStateError, "the clock is the wall clock; only swhost serve --clock manual lets the admin API move it")
		return
	}
	var req clockRequest
	if err := decodeBody(r, &req); err != nil {
		s.fail(w, err)
		return
	}
	var now time.Time
	if req.Advance != nil {
		now = mc.Advance(time.Duration(*req.Advance * float64(time.Millisecond)))
	} else {
		now = mc.Set(time.UnixMicro(int64(*req.Set * 1000)))
	}
	writeJSON(w, http.StatusOK, map[string]int64{"now": now.UnixMilli()})
}

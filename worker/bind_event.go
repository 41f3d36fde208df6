package worker

import (
	"github.com/grafana/sobek"
)

// Bindings of js/02_event.js.

// now is host.now(): milliseconds since the runtime started, with
// microsecond precision (performance.now, Event.timeStamp).
func (in *instance) now() float64 {
	return float64(in.loop.Now().Sub(in.timeZero).Microseconds()) / 1000
}

// eventTime is host.eventTime(token): the timeStamp of the event Go
// dispatched as token, on the clock of now (0 for an unknown token).
func (in *instance) eventTime(token int64) float64 {
	ev := in.events[token]
	if ev == nil {
		return 0
	}
	return float64(ev.start.Sub(in.timeZero).Microseconds()) / 1000
}

// listenerError is host.listenerError(token, error): a listener of the
// event token threw error.
func (in *instance) listenerError(token int64, err sobek.Value) {
	if ev := in.events[token]; ev != nil {
		ev.threw = append(ev.threw, jsErrorFrom(err))
	}
}

// reportError is host.reportException(error): an exception no one caught,
// reported as the HTML standard's "report an exception".
func (in *instance) reportError(v sobek.Value) { _ = in.reportException(v) }

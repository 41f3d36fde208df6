package worker

import "github.com/grafana/sobek"

// Bindings of js/90_entry_points.js.

// done is host.done(token, ...outcome): the event Go dispatched as token
// finished; the outcome's arguments are eventDone's.
func (in *instance) done(a *args) sobek.Value {
	token := a.value().ToInteger()
	in.eventDone(token, a.rest())
	return sobek.Undefined()
}

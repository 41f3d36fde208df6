package worker

// Bindings of js/43_performance.js; performance.now() is host.now
// (bind_event.go).

// timeOrigin is host.timeOrigin(): the time origin of the global scope
// (when its runtime was built, or on a clock other than the wall clock
// when it was bound to its worker), in milliseconds since the Unix epoch,
// with microsecond precision.
func (in *instance) timeOrigin() float64 {
	return float64(in.timeZero.UnixMicro()) / 1000
}

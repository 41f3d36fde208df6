package worker

// Bindings of js/43_performance.js; performance.now() is host.now
// (bind_event.go).

// timeOrigin is host.timeOrigin(): the time origin of the global scope
// (when its runtime was built), in milliseconds since the Unix epoch, with
// microsecond precision.
func (in *instance) timeOrigin() float64 {
	return float64(in.born.UnixMicro()) / 1000
}

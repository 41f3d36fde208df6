package worker

import "github.com/grafana/sobek"

// Bindings of js/60_console.js.

// log is host.log(level, message, omitted): one console message, at most
// MaxConsoleBytes (omitted says how many characters the bootstrap already
// cut, -1 when it could not tell).
func (in *instance) log(level string, msg, omitted sobek.Value) {
	in.w.consoleJS(level, msg, omitted)
}

// consoleLimit is host.consoleLimit(): MaxConsoleBytes.
func (in *instance) consoleLimit() int { return in.w.limits.MaxConsoleBytes }

package worker

import "github.com/grafana/sobek"

// Bindings of js/01_dom_exception.js.

// setErrorFactory is host.setErrorFactory(mk): mk(name, message)
// builds the exception in.throw raises for a web error.
func (in *instance) setErrorFactory(mk sobek.Callable) { in.errorFactory = mk }

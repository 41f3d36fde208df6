package worker

import (
	"strings"
	"unicode/utf8"

	"github.com/grafana/sobek"
)

// Bindings of js/00_common.js.

// toUSV is host.toUSV(s): s with lone surrogates replaced by U+FFFD (the
// WebIDL USVString conversion), s itself when it has none.
func (in *instance) toUSV(v sobek.Value) sobek.Value {
	// String gives each lone surrogate as U+FFFD: a string without U+FFFD
	// had none, and one with is the USVString already.
	s := v.String()
	if !strings.ContainsRune(s, utf8.RuneError) {
		return v
	}
	return in.rt.ToValue(s)
}

// requireArgs is host.requireArgs(fn, message): a native function that
// throws a TypeError with message when called without arguments, and
// otherwise calls fn with the same this and arguments.
func (in *instance) requireArgs(fn sobek.Callable, msg string) sobek.Value {
	if fn == nil {
		panic(in.rt.NewTypeError("requireArgs: not a function"))
	}
	return in.native("requireArgs", func(c sobek.FunctionCall) sobek.Value {
		if len(c.Arguments) == 0 {
			panic(in.rt.NewTypeError(msg))
		}
		v, err := fn(c.This, c.Arguments...)
		if err != nil {
			panic(err)
		}
		return v
	})
}

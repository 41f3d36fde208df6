package worker

import (
	"fmt"
	"log/slog"
	"reflect"
	"runtime"
	"runtime/debug"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/weberr"
)

// hostFunc is the signature of the Go functions JavaScript calls.
type hostFunc = func(sobek.FunctionCall) sobek.Value

// maxLoggedPanics is how many Go panics of one runtime are logged with
// their stack; later ones are only counted, so a script that finds a way
// to make a host function fail cannot flood the log.
const maxLoggedPanics = 10

// guard wraps a host function so that a Go panic inside it (a bug in the
// host, or the engine failing on a value the script crafted) becomes a
// TypeError in JavaScript instead of unwinding through the engine and
// ending the process. What the engine throws on purpose (exceptions,
// interrupts, stack overflows) passes through untouched. The panic is
// logged once, with its stack: the exception it becomes passes through
// the guards of the host functions further out as any exception does.
// The cost is one deferred call per host call.
func (in *instance) guard(name string, fn hostFunc) hostFunc {
	return func(c sobek.FunctionCall) sobek.Value {
		defer in.recoverHost(name)
		return fn(c)
	}
}

// native returns fn, guarded, as a JavaScript function.
func (in *instance) native(name string, fn hostFunc) sobek.Value {
	return in.rt.ToValue(in.guard(name, fn))
}

// recoverHost is guard's deferred half; it must be deferred directly.
func (in *instance) recoverHost(name string) {
	x := recover()
	if x == nil {
		return
	}
	if isEngineThrow(x) {
		panic(x)
	}
	in.hostPanic(name, x, debug.Stack())
	panic(in.exception(weberr.Errorf(weberr.TypeError, "swhost failed in %s: %v", name, x)))
}

// hostPanic logs a Go panic caught at the boundary with JavaScript (on
// the loop). The first maxLoggedPanics of a runtime are logged with their
// stack.
func (in *instance) hostPanic(where string, x any, stack []byte) {
	in.hostPanics++
	log := slog.Default()
	if in.w != nil {
		log = in.w.log
	}
	switch {
	case in.hostPanics <= maxLoggedPanics:
		log.Error("worker: Go panic at the JavaScript boundary; the script gets a TypeError",
			"func", where, "panic", fmt.Sprint(x), "stack", string(stack))
	case in.hostPanics == maxLoggedPanics+1:
		log.Error("worker: further Go panics of this runtime are not logged", "func", where, "panic", fmt.Sprint(x))
	}
}

// sobekPkg is the import path of the engine, whose own panic values
// (exceptions and its internal error kinds) are throws, not failures.
var sobekPkg = reflect.TypeFor[sobek.Exception]().PkgPath()

// isEngineThrow reports whether a panic value is the engine throwing: a
// JavaScript value (in.throw, panic(rt.NewTypeError(...))), an exception,
// an interrupt, a stack overflow or one of sobek's internal error kinds.
// Runtime errors raised inside sobek's code (runtime.Error) are not.
func isEngineThrow(x any) bool {
	switch x.(type) {
	case sobek.Value, *sobek.Exception, *sobek.InterruptedError, *sobek.StackOverflowError:
		return true
	case runtime.Error:
		return false
	}
	t := reflect.TypeOf(x)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.PkgPath() == sobekPkg
}

// maxHostList bounds the lists host functions read from JavaScript by
// index (flat header lists, query pairs, transfer lists): the bootstrap's
// own lists are far shorter, and the length of an array-like must not make
// Go loop or allocate without end (a Go loop reading properties is not
// interrupted by the CPU watchdog).
const maxHostList = 1 << 20

// listLen returns the length of a list from JavaScript, clamped to
// [0, maxHostList].
func listLen(o *sobek.Object) int {
	return int(min(max(o.Get("length").ToInteger(), 0), maxHostList))
}

// Go types sobek exports its binary objects as.
var (
	typeArrayBuffer = reflect.TypeFor[sobek.ArrayBuffer]()
	typeBytes       = reflect.TypeFor[[]byte]()
)

// bytesOf returns the bytes behind an ArrayBuffer or a Uint8Array
// (shared, not copied). A detached buffer holds no bytes (WebIDL reads a
// detached buffer source as an empty byte sequence), nor does anything
// else, Proxies included.
func bytesOf(v sobek.Value) []byte {
	o, ok := v.(*sobek.Object)
	if !ok {
		return nil
	}
	switch o.ExportType() {
	case typeArrayBuffer:
		ab, _ := o.Export().(sobek.ArrayBuffer)
		if ab.Detached() {
			return nil
		}
		return ab.Bytes()
	case typeBytes:
		return viewBytes(o)
	}
	return nil
}

// viewBytes exports the bytes of a Uint8Array (or Uint8ClampedArray).
// sobek keeps a view's offset and length when its buffer is detached and
// slices the emptied data with them, which panics; it offers Go no other
// way to see that a view's buffer is detached (the buffer getter can be
// shadowed by the script). A view that cannot be exported that way holds
// no bytes. Only runtime errors are taken for that.
func viewBytes(o *sobek.Object) (b []byte) {
	defer func() {
		if x := recover(); x != nil {
			if _, ok := x.(runtime.Error); !ok {
				panic(x)
			}
			b = nil
		}
	}()
	b, _ = o.Export().([]byte)
	return b
}

// loopPanic is the loop's panic handler for a bound instance: a Go panic
// escaped a task, outside any host function (their guards turn panics
// into exceptions), so the engine itself failed. The panic is logged and
// the runtime stopped; the worker starts a fresh one for its next event.
func (in *instance) loopPanic(x any, stack []byte) {
	in.hostPanic("the event loop", x, stack)
	in.shutdown(weberr.Errorf("OperationError", "%w: %v", ErrEngineFailure, x))
}

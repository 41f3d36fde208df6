package worker

import (
	"context"
	"reflect"
	"time"

	"github.com/grafana/sobek"
)

// The JavaScript of js/ reaches Go through the host object: one property
// per binding, host.NAME, every one listed in exports (exports.go). A
// binding is an ordinary Go function with typed parameters, written in the
// bind_<api>.go file of the web API whose JavaScript calls it, and made
// callable from JavaScript by one of the adapters below, which convert
// the arguments and the result:
//
//	fn0..fn4  func(*instance, A, B, ...) R   (usually a method expression)
//	do0..do3  func(*instance, A, B, ...)     (returns undefined)
//	pure0..2  func(A, B) R                   (a rule of another package)
//	raw       func(*instance, args) sobek.Value (variadic, or over 4 parameters)
//
// Contracts every binding keeps:
//   - It runs on the instance's loop, as part of the JavaScript task that
//     called it, and is guarded (guard.go): a Go panic becomes a TypeError.
//   - A failure a script can cause is reported with in.throw(err), which
//     raises the web exception err names (weberr) and does not return.
//   - Asynchronous work returns a promise from in.promise.
//   - Values the binding keeps for later calls (handles) are Go values
//     handed to JavaScript as opaque objects and taken back by type.
//   - Go reads no JavaScript-private state: what a binding needs comes in
//     its arguments or through the bootstrap's entry points (jsInternals).
//
// Argument conversions (from): string (ToString), bool (ToBoolean), int
// and int64 (ToInteger), float64 (ToFloat), sobek.Value (as is),
// *sobek.Object (nil when not an object), sobek.Callable (nil when not a
// function), []byte (the bytes of a buffer or view, nil otherwise),
// []string (the strings of an iterable). Any other type T is a handle: the
// Go value the argument wraps, or a TypeError "Illegal invocation".
//
// Result conversions (to): sobek.Value as is, string, bool, numbers, and
// any other Go value through the runtime's ToValue (a handle).

// setSlot stores v in obj's host slot: the one property Go keeps on
// objects the bootstrap made for it, under a symbol of the instance
// (in.slot) that no JavaScript holds; it can be neither changed nor
// deleted. Go reads back only its own slots.
func (in *instance) setSlot(obj, v sobek.Value) {
	if o, ok := obj.(*sobek.Object); ok {
		_ = o.DefineDataPropertySymbol(in.slot, v, sobek.FLAG_FALSE, sobek.FLAG_FALSE, sobek.FLAG_FALSE)
	}
}

// export is one binding: its name on the host object and the adapter that
// binds it to an instance.
type export struct {
	name string
	bind func(in *instance) hostFunc
}

// hostObject builds the object of bindings handed to the bootstrap: every
// entry of exports, bound to in and guarded. Worker scripts never see it.
func (in *instance) hostObject() *sobek.Object {
	h := in.rt.NewObject()
	for _, e := range exports {
		_ = h.Set(e.name, in.guard(e.name, e.bind(in)))
	}
	return h
}

// args reads the arguments of a raw binding in order, each with the
// conversion its type has in from: a binding reads its parameters as it
// declares them, without slot numbers.
type args struct {
	in   *instance
	call sobek.FunctionCall
	next int
}

// value returns the next argument as is (undefined when missing).
func (a *args) value() sobek.Value {
	v := a.call.Argument(a.next)
	a.next++
	return v
}

func (a *args) string() string { return a.value().String() }
func (a *args) bool() bool     { return a.value().ToBoolean() }
func (a *args) int() int       { return int(a.value().ToInteger()) }

// rest returns the arguments not read yet.
func (a *args) rest() []sobek.Value {
	if a.next >= len(a.call.Arguments) {
		return nil
	}
	r := a.call.Arguments[a.next:]
	a.next = len(a.call.Arguments)
	return r
}

// raw adapts a binding that reads its arguments itself, in order.
func raw(f func(*instance, *args) sobek.Value) func(*instance) hostFunc {
	return func(in *instance) hostFunc {
		return func(c sobek.FunctionCall) sobek.Value {
			a := args{in: in, call: c}
			return f(in, &a)
		}
	}
}

// from returns the conversion of a JavaScript argument to T; it is chosen
// once, when the adapter is made.
func from[T any]() func(*instance, sobek.Value) T {
	var f any
	switch any((*T)(nil)).(type) {
	case *string:
		f = func(_ *instance, v sobek.Value) string { return v.String() }
	case *bool:
		f = func(_ *instance, v sobek.Value) bool { return v.ToBoolean() }
	case *int:
		f = func(_ *instance, v sobek.Value) int { return int(v.ToInteger()) }
	case *int64:
		f = func(_ *instance, v sobek.Value) int64 { return v.ToInteger() }
	case *float64:
		f = func(_ *instance, v sobek.Value) float64 { return v.ToFloat() }
	case *sobek.Value:
		f = func(_ *instance, v sobek.Value) sobek.Value { return v }
	case **sobek.Object:
		f = func(_ *instance, v sobek.Value) *sobek.Object { o, _ := v.(*sobek.Object); return o }
	case *sobek.Callable:
		f = func(_ *instance, v sobek.Value) sobek.Callable { fn, _ := sobek.AssertFunction(v); return fn }
	case *[]byte:
		f = func(_ *instance, v sobek.Value) []byte { return bytesOf(v) }
	case *[]string:
		f = func(in *instance, v sobek.Value) []string { return in.stringList(v) }
	default:
		f = func(in *instance, v sobek.Value) T {
			t, ok := exportAs[T](v)
			if !ok {
				panic(in.rt.NewTypeError("Illegal invocation"))
			}
			return t
		}
	}
	return f.(func(*instance, sobek.Value) T)
}

// exportAs returns the Go value of v when it is a T: a handle Go gave
// JavaScript. The type is checked before Export, which panics on some
// values a script can pass (a view of a detached buffer).
func exportAs[T any](v sobek.Value) (T, bool) {
	var zero T
	if v == nil || v.ExportType() != reflect.TypeFor[T]() {
		return zero, false
	}
	t, ok := v.Export().(T)
	return t, ok
}

// to returns the conversion of a binding's result to JavaScript.
func to[R any]() func(*instance, R) sobek.Value {
	var f any
	switch any((*R)(nil)).(type) {
	case *sobek.Value:
		f = func(_ *instance, v sobek.Value) sobek.Value {
			if v == nil {
				return sobek.Undefined()
			}
			return v
		}
	default:
		f = func(in *instance, r R) sobek.Value { return in.rt.ToValue(r) }
	}
	return f.(func(*instance, R) sobek.Value)
}

func fn0[R any](f func(*instance) R) func(*instance) hostFunc {
	out := to[R]()
	return func(in *instance) hostFunc {
		return func(sobek.FunctionCall) sobek.Value { return out(in, f(in)) }
	}
}

func fn1[A, R any](f func(*instance, A) R) func(*instance) hostFunc {
	a, out := from[A](), to[R]()
	return func(in *instance) hostFunc {
		return func(c sobek.FunctionCall) sobek.Value { return out(in, f(in, a(in, c.Argument(0)))) }
	}
}

func fn2[A, B, R any](f func(*instance, A, B) R) func(*instance) hostFunc {
	a, b, out := from[A](), from[B](), to[R]()
	return func(in *instance) hostFunc {
		return func(c sobek.FunctionCall) sobek.Value {
			return out(in, f(in, a(in, c.Argument(0)), b(in, c.Argument(1))))
		}
	}
}

func fn3[A, B, C, R any](f func(*instance, A, B, C) R) func(*instance) hostFunc {
	a, b, cc, out := from[A](), from[B](), from[C](), to[R]()
	return func(in *instance) hostFunc {
		return func(c sobek.FunctionCall) sobek.Value {
			return out(in, f(in, a(in, c.Argument(0)), b(in, c.Argument(1)), cc(in, c.Argument(2))))
		}
	}
}

func fn4[A, B, C, D, R any](f func(*instance, A, B, C, D) R) func(*instance) hostFunc {
	a, b, cc, d, out := from[A](), from[B](), from[C](), from[D](), to[R]()
	return func(in *instance) hostFunc {
		return func(c sobek.FunctionCall) sobek.Value {
			return out(in, f(in, a(in, c.Argument(0)), b(in, c.Argument(1)), cc(in, c.Argument(2)), d(in, c.Argument(3))))
		}
	}
}

func do1[A any](f func(*instance, A)) func(*instance) hostFunc {
	a := from[A]()
	return func(in *instance) hostFunc {
		return func(c sobek.FunctionCall) sobek.Value { f(in, a(in, c.Argument(0))); return sobek.Undefined() }
	}
}

func do2[A, B any](f func(*instance, A, B)) func(*instance) hostFunc {
	a, b := from[A](), from[B]()
	return func(in *instance) hostFunc {
		return func(c sobek.FunctionCall) sobek.Value {
			f(in, a(in, c.Argument(0)), b(in, c.Argument(1)))
			return sobek.Undefined()
		}
	}
}

func do3[A, B, C any](f func(*instance, A, B, C)) func(*instance) hostFunc {
	a, b, cc := from[A](), from[B](), from[C]()
	return func(in *instance) hostFunc {
		return func(c sobek.FunctionCall) sobek.Value {
			f(in, a(in, c.Argument(0)), b(in, c.Argument(1)), cc(in, c.Argument(2)))
			return sobek.Undefined()
		}
	}
}

func pure0[R any](f func() R) func(*instance) hostFunc {
	return fn0(func(*instance) R { return f() })
}

func pure1[A, R any](f func(A) R) func(*instance) hostFunc {
	return fn1(func(_ *instance, a A) R { return f(a) })
}

func pure2[A, B, R any](f func(A, B) R) func(*instance) hostFunc {
	return fn2(func(_ *instance, a A, b B) R { return f(a, b) })
}

// promise returns a JavaScript promise settled by work, which runs on its
// own goroutine with the instance's context. work returns a function that
// builds the resolution value on the loop (nil means undefined) or an
// error, which rejects the promise with the matching exception.
func (in *instance) promise(work func(ctx context.Context) (func() sobek.Value, error)) sobek.Value {
	p, resolve, reject := in.rt.NewPromise()
	deliver := in.loop.Reserve()
	go func() {
		build, err := work(in.ctx)
		deliver(func() {
			if err != nil {
				_ = reject(in.exception(err))
				return
			}
			var v sobek.Value = sobek.Undefined()
			if build != nil {
				ex := in.rt.Try(func() {
					defer in.recoverHost("promise settlement")
					v = build()
				})
				if ex != nil {
					_ = reject(ex.Value())
					return
				}
			}
			_ = resolve(v)
		})
	}()
	return in.rt.ToValue(p)
}

// callback runs a JavaScript callback as a task, reporting exceptions.
func (in *instance) callback(fn sobek.Callable, args ...sobek.Value) {
	if _, err := fn(sobek.Undefined(), args...); err != nil {
		if ex, ok := err.(*sobek.Exception); ok {
			// Reported as any uncaught exception: an error event at the
			// global scope first (the bootstrap's reportException).
			if _, err := in.js.reportException(sobek.Undefined(), ex.Value()); err != nil {
				_ = in.reportException(ex.Value())
			}
			return
		}
		in.w.log.Warn("worker callback failed", "err", err)
	}
}

// uint8Array returns a new Uint8Array holding a copy of b.
func (in *instance) uint8Array(b []byte) sobek.Value {
	return in.uint8ArrayOf(append([]byte(nil), b...))
}

// uint8ArrayOf is uint8Array without the copy: the Uint8Array's buffer
// is b itself, which the caller gives up (nothing may write to it any
// more, on either side).
func (in *instance) uint8ArrayOf(b []byte) sobek.Value {
	buf := in.rt.NewArrayBuffer(b)
	ctor := in.rt.Get("Uint8Array")
	o, err := in.rt.New(ctor, in.rt.ToValue(buf))
	if err != nil {
		in.throw(err)
	}
	return o
}

func (in *instance) stringList(v sobek.Value) []string {
	var out []string
	if o, ok := v.(*sobek.Object); ok {
		in.rt.ForOf(o, func(x sobek.Value) bool {
			out = append(out, x.String())
			return true
		})
	}
	return out
}

// toJS converts a Go value made of maps, slices and scalars into plain
// JavaScript objects and arrays (not live Go wrappers).
func (in *instance) toJS(v any) sobek.Value {
	rt := in.rt
	switch x := v.(type) {
	case nil:
		return sobek.Null()
	case sobek.Value:
		return x
	case map[string]any:
		o := rt.NewObject()
		for k, e := range x {
			_ = o.Set(k, in.toJS(e))
		}
		return o
	case []any:
		arr := make([]any, len(x))
		for i, e := range x {
			arr[i] = in.toJS(e)
		}
		return rt.NewArray(arr...)
	case []string:
		arr := make([]any, len(x))
		for i, e := range x {
			arr[i] = e
		}
		return rt.NewArray(arr...)
	case []byte:
		return rt.ToValue(rt.NewArrayBuffer(append([]byte(nil), x...)))
	case time.Time:
		d, err := rt.New(rt.Get("Date"), rt.ToValue(float64(x.UnixNano())/1e6))
		if err != nil {
			return rt.ToValue(x)
		}
		return d
	default:
		return rt.ToValue(x)
	}
}

package worker

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/weberr"
)

// JSError is a JavaScript exception seen from Go: the error's name (such
// as "TypeError" or a DOMException name), its message, and the JavaScript
// stack with file and line ("    at handler (https://app.test/sw.js:3:11)").
type JSError struct {
	Name    string
	Message string
	Stack   string // one "    at ..." line per frame; may be empty
	cause   error
}

var _ weberr.Named = (*JSError)(nil)

// Error returns "Name: Message" followed by the stack, one frame a line.
func (e *JSError) Error() string {
	if e.Stack == "" {
		return e.Name + ": " + e.Message
	}
	return e.Name + ": " + e.Message + "\n" + e.Stack
}

// ExceptionName returns the exception's name.
func (e *JSError) ExceptionName() string { return e.Name }

// Unwrap returns the underlying engine error, if any.
func (e *JSError) Unwrap() error { return e.cause }

// Errors reported by the runtime's limits.
var (
	// ErrCPUBudget is the cause of the error for a task that ran longer
	// than Limits.CPUPerTask.
	ErrCPUBudget = errors.New("worker: a task exceeded its CPU-time budget")
	// ErrHeapGrowth is the cause for a task during which the heap grew by
	// more than Limits.MaxHeapGrowth.
	ErrHeapGrowth = errors.New("worker: the heap grew beyond the worker's memory ceiling")
	// ErrHeapBudget is the cause for a worker whose charged live heap
	// passed Limits.MaxHeap.
	ErrHeapBudget = errors.New("worker: the worker's live heap passed its memory budget")
	// ErrCPUWindow is the cause for a worker that ran JavaScript for more
	// than Limits.CPUPerWindow within Limits.CPUWindow.
	ErrCPUWindow = errors.New("worker: the worker passed its CPU-time budget over its window")
	// ErrEvicted is the cause for a worker stopped because more workers
	// were running than [SetMaxRunning] allows (the least recently active
	// stops first).
	ErrEvicted = errors.New("worker: too many workers running; the least recently active was stopped")
	// ErrEngineFailure is the cause for a runtime stopped because Go code
	// running on its loop panicked outside any host function (a failure
	// of the engine itself): the runtime's state is unknown, so it is not
	// used again. Events in flight fail with an OperationError wrapping it.
	ErrEngineFailure = errors.New("worker: the JavaScript engine failed and the runtime was stopped")
	// ErrStopped is returned for events that were in flight when the worker
	// stopped.
	ErrStopped = weberr.New(weberr.AbortError, "the worker stopped before the event finished")
)

func errNotFound(url string) error {
	return weberr.Errorf(weberr.NetworkError, "no script at %s", url)
}

// jsErrorFrom converts a value thrown by JavaScript (or an engine error
// returned by a call) into a *JSError, or a weberr error for interrupts.
func jsErrorFrom(v any) error {
	switch x := v.(type) {
	case nil:
		return nil
	case *JSError:
		return x
	case *sobek.InterruptedError:
		if err, ok := x.Value().(error); ok {
			return weberr.Errorf(weberr.TimeoutError, "%w", err)
		}
		return weberr.Errorf(weberr.TimeoutError, "the worker was interrupted: %v", x.Value())
	case *sobek.Exception:
		e := exceptionValue(x.Value())
		e.cause = x
		if e.Stack == "" {
			e.Stack = formatStack(x.Stack())
		}
		return e
	case *sobek.StackOverflowError:
		return &JSError{Name: "RangeError", Message: "Maximum call stack size exceeded", Stack: formatStack(x.Stack()), cause: x}
	case sobek.Value:
		return exceptionValue(x)
	case error:
		return x
	default:
		return fmt.Errorf("worker: %v", v)
	}
}

// exceptionValue reads name, message and stack from a thrown value.
func exceptionValue(v sobek.Value) *JSError {
	if v == nil || sobek.IsUndefined(v) || sobek.IsNull(v) {
		return &JSError{Name: "Error", Message: fmt.Sprint(v)}
	}
	o, ok := v.(*sobek.Object)
	if !ok {
		return &JSError{Name: "Error", Message: "Uncaught " + v.String()}
	}
	name := propString(o, "name")
	msg := propString(o, "message")
	if name == "" {
		name = "Error"
	}
	e := &JSError{Name: name, Message: msg}
	if st := propString(o, "stack"); st != "" {
		// sobek's stack starts with "Name: message\n"; keep the frames.
		if i := strings.Index(st, "\n"); i >= 0 && strings.Contains(st[:i], msg) {
			st = st[i+1:]
		}
		e.Stack = strings.TrimRight(st, "\n")
	}
	return e
}

func propString(o *sobek.Object, name string) string {
	v := o.Get(name)
	if v == nil || sobek.IsUndefined(v) || sobek.IsNull(v) {
		return ""
	}
	return v.String()
}

func formatStack(frames []sobek.StackFrame) string {
	var b bytes.Buffer
	for i, f := range frames {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("    at ")
		f.Write(&b)
	}
	return b.String()
}

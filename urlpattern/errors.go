package urlpattern

import (
	"fmt"
	"strconv"
)

// Error is the error returned for an invalid pattern or an invalid argument.
// The web API reports these as a TypeError; ExceptionName says so, which lets
// callers (such as swhost's CLI and JavaScript bindings) report the same
// exception a browser would.
//
// The message names what is wrong and, when known, the component and the
// byte offset in the offending text:
//
//	invalid pathname pattern "/:id(": unbalanced '(' at offset 4
type Error struct {
	// Component is the URL component the error concerns ("pathname"), or ""
	// when the error is not specific to one component.
	Component string
	// Input is the text that was rejected: a pattern string, a URL or a
	// constructor string. It may be empty.
	Input string
	// Offset is the byte offset in Input where the problem lies, or -1.
	Offset int
	// Reason describes the problem.
	Reason string
	// Err is the underlying cause, if any (for example a regexp error).
	Err error
}

// Error returns the message, without the exception name.
func (e *Error) Error() string {
	msg := "invalid "
	switch {
	case e.Component == "" && e.Input == "":
		msg = e.Reason
		if e.Err != nil {
			msg += ": " + e.Err.Error()
		}
		return msg
	case e.Component == "":
		msg += "pattern " + strconv.Quote(e.Input)
	default:
		msg += e.Component + " pattern " + strconv.Quote(e.Input)
	}
	msg += ": " + e.Reason
	if e.Offset >= 0 {
		msg += " at offset " + strconv.Itoa(e.Offset)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// ExceptionName returns "TypeError", the exception the web API throws.
func (e *Error) ExceptionName() string { return "TypeError" }

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// typeErrorf returns an *Error that is not tied to a pattern text.
func typeErrorf(format string, args ...any) *Error {
	return &Error{Offset: -1, Reason: fmt.Sprintf(format, args...)}
}

// withComponent sets the component of err if it is an *Error without one.
func withComponent(err error, component string) error {
	if e, ok := err.(*Error); ok && e.Component == "" {
		c := *e
		c.Component = component
		return &c
	}
	return err
}

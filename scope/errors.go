package scope

import "fmt"

// Error is an invalid scope: a syntax error, a broken scope restriction, or
// a URL that cannot be a scope. It is a TypeError on the web platform.
type Error struct {
	Msg string
}

// Error returns "TypeError: " followed by the message.
func (e *Error) Error() string { return "TypeError: " + e.Msg }

// ExceptionName returns "TypeError".
func (e *Error) ExceptionName() string { return "TypeError" }

func errorf(format string, args ...any) error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

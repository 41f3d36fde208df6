// Package weberr carries web platform exception names on Go errors.
//
// The web platform reports failures as named exceptions: a bad pattern is a
// TypeError, a cross-origin script is a SecurityError, a rejected connection
// is an AbortError. swhost keeps that name on the Go error so that the CLI
// ("swhost: SecurityError: ..."), the JavaScript bindings (which throw the
// matching JS error or DOMException) and the admin API
// ({"error":"SecurityError","message":"..."}) all report the same thing.
//
// Any error type can take part by implementing [Named]; packages that must not
// import swhost (such as urlpattern) do so with their own type.
package weberr

import (
	"errors"
	"fmt"
)

// Exception names used across swhost. TypeError and RangeError are ECMAScript
// error types; the others are DOMException names.
const (
	TypeError         = "TypeError"
	RangeError        = "RangeError"
	SyntaxError       = "SyntaxError"
	SecurityError     = "SecurityError"
	InvalidStateError = "InvalidStateError"
	AbortError        = "AbortError"
	NotFoundError     = "NotFoundError"
	NotSupportedError = "NotSupportedError"
	DataCloneError    = "DataCloneError"
	QuotaExceeded     = "QuotaExceededError"
	NetworkError      = "NetworkError"
	TimeoutError      = "TimeoutError"
	NotAllowedError   = "NotAllowedError"
	// InvalidCharacterError: a string with characters its format forbids
	// (atob, a base64url applicationServerKey).
	InvalidCharacterError = "InvalidCharacterError"

	// Names the Web Cryptography API adds.
	InvalidAccessError = "InvalidAccessError"
	DataError          = "DataError"
	OperationError     = "OperationError"

	// Names IndexedDB adds.
	ConstraintError          = "ConstraintError"
	ReadOnlyError            = "ReadOnlyError"
	TransactionInactiveError = "TransactionInactiveError"
	VersionError             = "VersionError"
	UnknownError             = "UnknownError"
)

// Named is implemented by errors that carry a web exception name.
type Named interface {
	error
	// ExceptionName returns the web exception name, such as "TypeError".
	ExceptionName() string
}

// Error is an error with a web exception name and an optional cause.
type Error struct {
	Name    string // exception name, such as "SecurityError"
	Message string // human-readable message, without the name
	Err     error  // optional underlying cause
}

var _ Named = (*Error)(nil)

// New returns an *Error with the given name and message.
func New(name, message string) *Error { return &Error{Name: name, Message: message} }

// Errorf returns an *Error with the given name and a formatted message. A %w
// verb in format records the wrapped error as the cause.
func Errorf(name, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{Name: name, Message: err.Error(), Err: errors.Unwrap(err)}
}

// Error returns "Name: Message".
func (e *Error) Error() string { return e.Name + ": " + e.Message }

// ExceptionName returns e.Name.
func (e *Error) ExceptionName() string { return e.Name }

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// NameOf returns the exception name carried by err or by any error it wraps,
// or "" when there is none.
func NameOf(err error) string {
	var n Named
	if errors.As(err, &n) {
		return n.ExceptionName()
	}
	return ""
}

// MessageOf returns the message of the first [Named] error in err's chain
// without its "Name: " prefix, or err.Error() when there is none.
func MessageOf(err error) string {
	var n Named
	if !errors.As(err, &n) {
		return err.Error()
	}
	if e, ok := n.(*Error); ok {
		return e.Message
	}
	msg := n.Error()
	if p := n.ExceptionName() + ": "; len(msg) >= len(p) && msg[:len(p)] == p {
		return msg[len(p):]
	}
	return msg
}

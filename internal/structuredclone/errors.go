package structuredclone

import (
	"errors"
	"strconv"
	"strings"

	"github.com/swhost/swhost/weberr"
)

// CloneError is a DataCloneError: a value structured clone cannot clone,
// or a transfer list it cannot transfer. The JavaScript bindings throw it
// as a DOMException named "DataCloneError".
type CloneError struct {
	// What names what could not be cloned: "a function", "a WeakMap", ...
	What string
	// path holds the property keys from the failing value up to the root
	// (innermost first), for the message.
	path []string
}

var _ weberr.Named = (*CloneError)(nil)

func cloneErr(what string) *CloneError { return &CloneError{What: what} }

// ExceptionName returns "DataCloneError".
func (e *CloneError) ExceptionName() string { return weberr.DataCloneError }

// Path returns where in the value the failure is, as a JavaScript-like
// accessor from the root (such as `.data[2]`), or "" at the root.
func (e *CloneError) Path() string {
	var b strings.Builder
	for i := len(e.path) - 1; i >= 0; i-- {
		k := e.path[i]
		if _, err := strconv.ParseUint(k, 10, 32); err == nil {
			b.WriteString("[" + k + "]")
		} else if isIdentifier(k) {
			b.WriteString("." + k)
		} else {
			b.WriteString("[" + strconv.Quote(k) + "]")
		}
	}
	return b.String()
}

// Error returns "DataCloneError: WHAT could not be cloned", with the path
// when the failure is below the root.
func (e *CloneError) Error() string {
	msg := weberr.DataCloneError + ": " + e.What
	if p := e.Path(); p != "" {
		msg += " (at " + p + ")"
	}
	return msg + " could not be cloned"
}

// atKey records that err happened under property key k.
func atKey(err error, k string) error {
	var ce *CloneError
	if errors.As(err, &ce) {
		ce.path = append(ce.path, k)
	}
	return err
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
		case i > 0 && c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return true
}

package webcrypto

import (
	"fmt"

	"github.com/swhost/swhost/weberr"
)

// DOMException names used by this package, as prescribed by the Web
// Cryptography API. TypeError is the ECMAScript error a WebIDL conversion
// throws; the others are DOMException names.
const (
	ErrType          = weberr.TypeError
	ErrSyntax        = weberr.SyntaxError
	ErrInvalidAccess = weberr.InvalidAccessError
	ErrNotSupported  = weberr.NotSupportedError
	ErrData          = weberr.DataError
	ErrOperation     = weberr.OperationError
	ErrQuotaExceeded = weberr.QuotaExceeded
	ErrDataClone     = weberr.DataCloneError
	errPrefix        = "webcrypto: "
)

// errorf returns a *weberr.Error named name whose message is prefixed with
// the package name; a %w verb records the cause.
func errorf(name, format string, args ...any) error {
	return weberr.Errorf(name, errPrefix+format, args...)
}

// wrapf adds context to err while keeping its exception name.
func wrapf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

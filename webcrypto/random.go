package webcrypto

import (
	"crypto/rand"
	"fmt"
)

// MaxRandomBytes is the most bytes one getRandomValues call may fill.
const MaxRandomBytes = 65536

// GetRandomValues implements the byte part of Crypto.getRandomValues: it
// fills buf with cryptographically strong random bytes, or fails with
// QuotaExceededError when buf is longer than [MaxRandomBytes]. (Rejecting
// non-integer typed arrays with TypeMismatchError is the binding's part.)
func GetRandomValues(buf []byte) error {
	if len(buf) > MaxRandomBytes {
		return errorf(ErrQuotaExceeded, "getRandomValues: %d bytes requested, at most %d allowed", len(buf), MaxRandomBytes)
	}
	rand.Read(buf)
	return nil
}

// RandomUUID implements Crypto.randomUUID: a version 4 UUID in lower-case
// hexadecimal.
func RandomUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

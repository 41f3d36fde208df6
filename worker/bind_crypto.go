package worker

import (
	"crypto/rand"
	"fmt"
)

// Bindings of js/42_crypto.js.

// randomFill is host.randomFill(bytes): crypto.getRandomValues's fill of
// the bytes of a view (after the bootstrap's type and quota checks).
func (in *instance) randomFill(b []byte) { _, _ = rand.Read(b) }

// randomUUID is host.randomUUID(): crypto.randomUUID, a version 4 UUID.
func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

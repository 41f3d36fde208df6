//go:build !unix

package cputime

import "time"

// Process returns the process's user and system CPU time so far; ok is
// false where the platform does not report it.
func Process() (d time.Duration, ok bool) { return 0, false }

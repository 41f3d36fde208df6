//go:build !linux

package bench

import "time"

// threadCPUPerOp is only implemented on Linux.
func threadCPUPerOp(f func(), n int) (time.Duration, bool) { return 0, false }

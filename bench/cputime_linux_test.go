//go:build linux

package bench

import (
	"runtime"
	"syscall"
	"time"
)

// threadCPUPerOp returns the CPU time per call of f, measured as the
// calling thread's user and system time over n calls. Unlike wall time it
// does not count the time other processes hold the CPU.
func threadCPUPerOp(f func(), n int) (time.Duration, bool) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const rusageThread = 1 // RUSAGE_THREAD
	var before, after syscall.Rusage
	f()
	if err := syscall.Getrusage(rusageThread, &before); err != nil {
		return 0, false
	}
	for i := 0; i < n; i++ {
		f()
	}
	if err := syscall.Getrusage(rusageThread, &after); err != nil {
		return 0, false
	}
	used := after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano()
	return time.Duration(used / int64(n)), true
}

//go:build !unix

package connect

import "time"

func processCPU() (time.Duration, bool) { return 0, false }

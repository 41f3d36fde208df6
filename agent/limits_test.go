package agent

import (
	"time"

	"github.com/swhost/swhost/worker"
)

// testLimits keep workers running between events and give each task a
// CPU budget generous enough for the race detector on a loaded machine:
// these tests are about the lookup order; the limits themselves are
// tested in package worker.
var testLimits = worker.Limits{IdleTimeout: -1, CPUPerTask: time.Minute}

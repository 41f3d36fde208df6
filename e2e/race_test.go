//go:build race

package e2e

// raceEnabled reports a -race test binary: then the swhost binary is
// built with the race detector too (unless -short), so -race covers the
// CLI's processes.
const raceEnabled = true

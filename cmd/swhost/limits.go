package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/swhost/swhost/worker"
)

// workerLimitFlags are the flags that bound each worker, taken by every
// command that runs workers; zero values keep [worker.DefaultLimits].
type workerLimitFlags struct {
	limits worker.Limits
}

func (f *workerLimitFlags) add(fs *flag.FlagSet) {
	d := worker.DefaultLimits
	l := &f.limits
	fs.DurationVar(&l.CPUPerTask, "worker-cpu-per-task", d.CPUPerTask, "longest one task of a worker may run JavaScript before the worker is stopped (TimeoutError)")
	fs.DurationVar(&l.CPUPerWindow, "worker-cpu-per-window", d.CPUPerWindow, "JavaScript running time a worker may use within --worker-cpu-window before it is stopped (TimeoutError); past a quarter of it, its tasks share the heavy lanes")
	fs.DurationVar(&l.CPUWindow, "worker-cpu-window", d.CPUWindow, "sliding window of --worker-cpu-per-window")
	fs.Var(byteSize{&l.MaxHeap}, "worker-heap", fmt.Sprintf("live heap charged to one worker across its tasks before it is stopped (QuotaExceededError); default %s", formatBytes(d.MaxHeap)))
	fs.Var(byteSize{&l.MaxHeapGrowth}, "worker-heap-growth", fmt.Sprintf("growth of the live heap during one task before the worker is stopped (QuotaExceededError); default %s", formatBytes(d.MaxHeapGrowth)))
}

// byteSize is a flag.Value for a size in GOMEMLIMIT's syntax (see
// parseByteSize).
type byteSize struct{ p *int64 }

func (b byteSize) String() string {
	if b.p == nil || *b.p == 0 {
		return ""
	}
	return formatBytes(*b.p)
}

func (b byteSize) Set(s string) error {
	n, err := parseByteSize(s)
	if err != nil {
		return err
	}
	*b.p = n
	return nil
}

// formatBytes writes n in the largest binary unit that divides it.
func formatBytes(n int64) string {
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.mult && n%u.mult == 0 {
			return fmt.Sprintf("%d%s", n/u.mult, u.suffix)
		}
	}
	return fmt.Sprintf("%dB", n)
}

// defaultMemoryLimit is serve's soft memory limit when neither
// --memory-limit nor GOMEMLIMIT is given: half of the memory the process
// may use (its cgroup's limit, or the machine's), at most 4 GiB. It
// makes the collector work harder as the heap nears it (with GOGC=400
// the heap could otherwise grow to five times the live set), and it
// leaves room for what is not heap (stacks, SQLite's page cache).
func defaultMemoryLimit() int64 {
	const ceiling = 4 << 30
	avail := int64(0)
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := parseDecimal(strings.TrimSpace(string(b))); err == nil {
			avail = n
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil && avail == 0 {
		for line := range strings.Lines(string(b)) {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				if kb, err := parseDecimal(strings.TrimSuffix(strings.TrimSpace(rest), " kB")); err == nil {
					avail = kb << 10
				}
			}
		}
	}
	if avail <= 0 {
		return ceiling
	}
	return min(avail/2, ceiling)
}

func parseDecimal(s string) (int64, error) {
	var n int64
	_, err := fmt.Sscanf(s, "%d", &n)
	if err == nil && fmt.Sprint(n) != s {
		err = fmt.Errorf("not a whole number: %q", s)
	}
	return n, err
}

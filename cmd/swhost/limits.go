package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/server"
	"github.com/swhost/swhost/worker"
)

// byteSize is a flag holding a size in GOMEMLIMIT's syntax (a number with
// an optional B, KiB, MiB, GiB or TiB suffix).
type byteSize int64

func (b *byteSize) String() string {
	if b == nil || *b == 0 {
		return ""
	}
	return formatByteSize(int64(*b))
}

func (b *byteSize) Set(s string) error {
	n, err := parseByteSize(s)
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
}

// formatByteSize writes n with the largest suffix that divides it.
func formatByteSize(n int64) string {
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

// workerLimitFlags are the flags that bound each worker and its origin's
// Cache Storage, taken by every command that runs workers
// (docs/limits.md lists them all). Their defaults are the packages'.
type workerLimitFlags struct {
	limits         worker.Limits
	consoleBytes   byteSize
	scriptBytes    byteSize
	cacheQuota     byteSize
	cacheNameBytes byteSize
}

func (f *workerLimitFlags) add(fs *flag.FlagSet) {
	d := worker.DefaultLimits
	l := &f.limits
	fs.DurationVar(&l.CPUPerTask, "worker-cpu-per-task", d.CPUPerTask, "longest one task of a worker may run JavaScript before the worker is stopped (TimeoutError)")
	fs.DurationVar(&l.CPUPerWindow, "worker-cpu-per-window", d.CPUPerWindow, "JavaScript running time a worker may use within --worker-cpu-window before it is stopped (TimeoutError); past a quarter of it, its tasks share the heavy lanes")
	fs.DurationVar(&l.CPUWindow, "worker-cpu-window", d.CPUWindow, "sliding window of --worker-cpu-per-window")
	fs.Var((*byteSize)(&l.MaxHeap), "worker-heap", fmt.Sprintf("live heap (`SIZE`) charged to one worker across its tasks before it is stopped (QuotaExceededError); default %s", formatByteSize(d.MaxHeap)))
	fs.Var((*byteSize)(&l.MaxHeapGrowth), "worker-heap-growth", fmt.Sprintf("growth (`SIZE`) of a worker's heap during one task before it is stopped (QuotaExceededError); default %s", formatByteSize(d.MaxHeapGrowth)))
	f.consoleBytes = byteSize(d.MaxConsoleBytes)
	fs.Var(&f.consoleBytes, "max-console-bytes", "longest console message a worker may log (`SIZE`); longer ones are cut and end with \"… [truncated N characters]\"")
	f.scriptBytes = byteSize(d.MaxScriptBytes)
	fs.Var(&f.scriptBytes, "max-script-bytes", "largest worker script or module (`SIZE`); a larger one fails registration or importScripts() with QuotaExceededError")
	f.cacheQuota = byteSize(cachestorage.DefaultMaxOriginBytes)
	fs.Var(&f.cacheQuota, "storage-quota", "bytes (`SIZE`) one origin's Cache Storage and IndexedDB may take together, names and keys included; beyond it a write rejects (a transaction aborts) with QuotaExceededError")
	fs.Var(&f.cacheQuota, "cache-quota", "the former name of --storage-quota (`SIZE`)")
	f.cacheNameBytes = cachestorage.DefaultMaxNameBytes
	fs.Var(&f.cacheNameBytes, "max-cache-name-bytes", "longest name (`SIZE`) of a new cache; caches.open() of a longer one rejects with QuotaExceededError")
}

// workerLimits returns the worker limits the flags set.
func (f *workerLimitFlags) workerLimits() worker.Limits {
	l := f.limits
	l.MaxConsoleBytes = int(f.consoleBytes)
	l.MaxScriptBytes = int(f.scriptBytes)
	return l
}

// cacheLimits returns the Cache Storage limits the flags set.
func (f *workerLimitFlags) cacheLimits() cachestorage.Limits {
	return cachestorage.Limits{MaxOriginBytes: int64(f.cacheQuota), MaxNameBytes: int(f.cacheNameBytes)}
}

// eventFlags are serve's flags for the event stream's memory.
type eventFlags struct {
	eventsBytes byteSize
}

func (f *eventFlags) add(fs *flag.FlagSet) {
	f.eventsBytes = server.DefaultRecentBytes
	fs.Var(&f.eventsBytes, "events-max-bytes", "memory (`SIZE`) the event stream's recent events, replayed to new subscribers, may hold; the oldest go first")
}

// events returns the bounds of the event stream's recent events.
func (f *eventFlags) events() server.EventsOptions {
	return server.EventsOptions{MaxBytes: int64(f.eventsBytes)}
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

package main

import (
	"flag"
	"fmt"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/server"
	"github.com/swhost/swhost/worker"
)

// byteSize is a flag holding a size in GOMEMLIMIT's syntax (a number with
// an optional B, KiB, MiB, GiB or TiB suffix).
type byteSize int64

func (b *byteSize) String() string { return formatByteSize(int64(*b)) }

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

// limitFlags are serve's flags for the limits that keep one worker from
// filling the host's memory (docs/limits.md lists them all).
type limitFlags struct {
	consoleBytes   byteSize
	eventsBytes    byteSize
	cacheQuota     byteSize
	cacheNameBytes byteSize
	scriptBytes    byteSize
}

func (l *limitFlags) add(fs *flag.FlagSet) {
	l.consoleBytes = byteSize(worker.DefaultLimits.MaxConsoleBytes)
	l.eventsBytes = server.DefaultRecentBytes
	fs.Var(&l.consoleBytes, "max-console-bytes", "longest console message a worker may log (`SIZE`: a number with an optional B, KiB, MiB or GiB suffix); longer ones are cut and end with \"… [truncated N characters]\"")
	l.scriptBytes = byteSize(worker.DefaultLimits.MaxScriptBytes)
	fs.Var(&l.scriptBytes, "max-script-bytes", "largest worker script or module (`SIZE`); a larger one fails registration or importScripts() with QuotaExceededError")
	l.cacheQuota = cachestorage.DefaultMaxOriginBytes
	l.cacheNameBytes = cachestorage.DefaultMaxNameBytes
	fs.Var(&l.cacheQuota, "cache-quota", "bytes (`SIZE`) one origin's Cache Storage may take, names and keys included; beyond it a write rejects with QuotaExceededError")
	fs.Var(&l.cacheNameBytes, "max-cache-name-bytes", "longest name (`SIZE`) of a new cache; caches.open() of a longer one rejects with QuotaExceededError")
	fs.Var(&l.eventsBytes, "events-max-bytes", "memory (`SIZE`) the event stream's recent events, replayed to new subscribers, may hold; the oldest go first")
}

// workerLimits returns the worker limits the flags set.
func (l *limitFlags) workerLimits() worker.Limits {
	return worker.Limits{MaxConsoleBytes: int(l.consoleBytes), MaxScriptBytes: int(l.scriptBytes)}
}

// cacheLimits returns the Cache Storage limits the flags set.
func (l *limitFlags) cacheLimits() cachestorage.Limits {
	return cachestorage.Limits{MaxOriginBytes: int64(l.cacheQuota), MaxNameBytes: int(l.cacheNameBytes)}
}

// events returns the bounds of the event stream's recent events.
func (l *limitFlags) events() server.EventsOptions {
	return server.EventsOptions{MaxBytes: int64(l.eventsBytes)}
}

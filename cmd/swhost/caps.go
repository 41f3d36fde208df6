package main

import (
	"flag"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/weberr"
)

// capFlags are the caps on registrations, taken by every command that
// runs the agent (docs/limits.md, "Registrations"): how many
// serviceworker links one Link header may start, how many Link-header
// registrations one origin may make per minute, and how many
// registrations one origin may have. -1 turns a cap off.
type capFlags struct {
	linksPerHeader int
	linksPerMinute int
	regsPerOrigin  int
	// backgroundEntries caps each registration's notifications, sync
	// tags and periodic sync tags (no -1: they are always capped).
	backgroundEntries int
}

func (f *capFlags) add(fs *flag.FlagSet) {
	fs.IntVar(&f.linksPerHeader, "max-links-per-header", agent.DefaultMaxLinksPerHeader, "serviceworker links taken from one response's Link header; the rest are refused (-1: no cap)")
	fs.IntVar(&f.linksPerMinute, "link-registrations-per-minute", agent.DefaultLinkRegistrationsPerMinute, "Link-header registrations one origin may start over any minute (-1: no cap)")
	fs.IntVar(&f.regsPerOrigin, "max-registrations-per-origin", registry.DefaultMaxRegistrationsPerOrigin, "registrations one origin may have; registering a new scope beyond it fails with QuotaExceededError (-1: no cap)")
	fs.IntVar(&f.backgroundEntries, "max-background-entries", registry.DefaultMaxBackgroundEntries, "notifications, sync tags and periodic sync tags one registration keeps (each kind): a new tag beyond it fails with QuotaExceededError, a new notification closes the oldest")
}

// check refuses 0 and values below -1.
func (f *capFlags) check() error {
	for _, c := range []struct {
		name string
		v    int
	}{{"max-links-per-header", f.linksPerHeader}, {"link-registrations-per-minute", f.linksPerMinute}, {"max-registrations-per-origin", f.regsPerOrigin}} {
		if c.v == 0 || c.v < -1 {
			return weberr.Errorf(weberr.TypeError, "--%s %d: must be 1 or more, or -1 for no cap", c.name, c.v)
		}
	}
	if f.backgroundEntries < 1 {
		return weberr.Errorf(weberr.TypeError, "--max-background-entries %d: must be 1 or more", f.backgroundEntries)
	}
	return nil
}

// linkLimits returns the agent's Link-header limits.
func (f *capFlags) linkLimits() agent.LinkLimits {
	return agent.LinkLimits{MaxPerHeader: f.linksPerHeader, RegistrationsPerMinute: f.linksPerMinute}
}

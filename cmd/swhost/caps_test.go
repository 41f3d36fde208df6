package main

import (
	"flag"
	"io"
	"testing"

	"github.com/swhost/swhost/agent"
)

func TestCapFlags(t *testing.T) {
	tests := []struct {
		args    []string
		links   agent.LinkLimits
		regs    int
		wantErr bool
	}{
		{args: nil, links: agent.LinkLimits{MaxPerHeader: 4, RegistrationsPerMinute: 10}, regs: 256},
		{args: []string{"--max-links-per-header", "1", "--link-registrations-per-minute", "-1", "--max-registrations-per-origin", "20"},
			links: agent.LinkLimits{MaxPerHeader: 1, RegistrationsPerMinute: -1}, regs: 20},
		{args: []string{"--max-links-per-header", "0"}, wantErr: true},
		{args: []string{"--max-registrations-per-origin", "-2"}, wantErr: true},
		{args: []string{"--max-background-entries", "0"}, wantErr: true},
		{args: []string{"--link-registrations-per-minute", "x"}, wantErr: true},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var f capFlags
		f.add(fs)
		err := fs.Parse(tt.args)
		if err == nil {
			err = f.check()
		}
		if (err != nil) != tt.wantErr {
			t.Errorf("%v: err %v", tt.args, err)
			continue
		}
		if err == nil && (f.linkLimits() != tt.links || f.regsPerOrigin != tt.regs) {
			t.Errorf("%v: %+v %d, want %+v %d", tt.args, f.linkLimits(), f.regsPerOrigin, tt.links, tt.regs)
		}
	}
}

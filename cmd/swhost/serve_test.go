package main

import (
	"flag"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"testing"
)

func TestParseByteSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"64MiB", 64 << 20, true},
		{"1GiB", 1 << 30, true},
		{"512KiB", 512 << 10, true},
		{"1000B", 1000, true},
		{"4096", 4096, true},
		{"2TiB", 2 << 40, true},
		{"", 0, false},
		{"0", 0, false},
		{"-5MiB", 0, false},
		{"1.5GiB", 0, false},
		{"64MB", 0, false},
		{"MiB", 0, false},
		{"99999999999TiB", 0, false},
	} {
		got, err := parseByteSize(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseByteSize(%q) = %d, %v; want %d, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestServeGCFlags(t *testing.T) {
	old := debug.SetGCPercent(100)
	oldLimit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(old); debug.SetMemoryLimit(oldLimit) })
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"serve", "--gc-percent", "-1"}, "--gc-percent -1"},
		{[]string{"serve", "--memory-limit", "lots"}, `--memory-limit "lots"`},
	} {
		code, _, stderr := runCLI(t, "", tc.args...)
		if code != exitBadInput || !strings.Contains(stderr, "TypeError") || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, stderr)
		}
	}
	t.Setenv("GOGC", "")
	if err := tuneGC(250, "128MiB", slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetGCPercent(100); got != 250 {
		t.Errorf("GC percent = %d, want 250", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 128<<20 {
		t.Errorf("memory limit = %d, want %d", got, 128<<20)
	}
	// GOGC from the environment wins over the default (but not over an
	// explicit flag).
	t.Setenv("GOGC", "150")
	debug.SetGCPercent(150)
	if err := tuneGC(defaultGCPercent, "", slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetGCPercent(100); got != 150 {
		t.Errorf("with GOGC=150 in the environment, GC percent = %d, want 150", got)
	}
}

// TestServeLimitFlags: serve's limit flags take sizes in GOMEMLIMIT's
// syntax and reach the worker, Cache Storage and event-stream limits.
func TestServeLimitFlags(t *testing.T) {
	tests := []struct {
		args []string
		want limitFlags
		ok   bool
	}{
		{nil, limitFlags{consoleBytes: 64 << 10, eventsBytes: 8 << 20, cacheQuota: 256 << 20, cacheNameBytes: 4 << 10, scriptBytes: 4 << 20}, true},
		{[]string{"--max-console-bytes", "1KiB", "--events-max-bytes", "2MiB", "--cache-quota", "1GiB", "--max-cache-name-bytes", "100", "--max-script-bytes", "512KiB"},
			limitFlags{consoleBytes: 1 << 10, eventsBytes: 2 << 20, cacheQuota: 1 << 30, cacheNameBytes: 100, scriptBytes: 512 << 10}, true},
		{[]string{"--max-console-bytes", "lots"}, limitFlags{}, false},
		{[]string{"--cache-quota", "-1"}, limitFlags{}, false},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var l limitFlags
		l.add(fs)
		err := fs.Parse(tt.args)
		if (err == nil) != tt.ok {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		if tt.ok && l != tt.want {
			t.Errorf("%q: %+v, want %+v", tt.args, l, tt.want)
		}
	}
}

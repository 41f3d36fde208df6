package main

import (
	"flag"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/swhost/swhost/server"
	"github.com/swhost/swhost/weberr"
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

func TestServeTimeoutFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want server.Timeouts
		err  string
	}{
		{nil, server.DefaultTimeouts, ""},
		{[]string{"--header-timeout", "2s", "--body-timeout", "5s", "--idle-timeout", "1m"}, server.Timeouts{Header: 2 * time.Second, Body: 5 * time.Second, Idle: time.Minute}, ""},
		// 0 on the command line is "no limit", which server.Timeouts
		// spells negative (its zero takes the default).
		{[]string{"--idle-timeout", "0"}, server.Timeouts{Header: server.DefaultTimeouts.Header, Body: server.DefaultTimeouts.Body, Idle: -1}, ""},
		{[]string{"--body-timeout", "-1s"}, server.Timeouts{}, "--body-timeout -1s: must be 0 or more"},
	} {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		to := addTimeoutFlags(fs)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		err := to.check()
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) || weberr.NameOf(err) != weberr.TypeError {
				t.Errorf("%v: error %v, want a TypeError with %q", tc.args, err, tc.err)
			}
		case err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case to.Timeouts != tc.want:
			t.Errorf("%v: %+v, want %+v", tc.args, to.Timeouts, tc.want)
		}
	}
	code, _, stderr := runCLI(t, "", "serve", "--header-timeout", "-5s")
	if code != exitBadInput || !strings.Contains(stderr, "TypeError: --header-timeout -5s") {
		t.Errorf("serve --header-timeout -5s: exit %d, stderr %q", code, stderr)
	}
}

// TestLimitFlags: the limit flags take sizes in GOMEMLIMIT's syntax and
// reach the worker, Cache Storage and event-stream limits.
func TestLimitFlags(t *testing.T) {
	tests := []struct {
		args            []string
		console, script int
		quota           int64
		nameBytes       int
		events          int64
		ok              bool
	}{
		{nil, 64 << 10, 4 << 20, 256 << 20, 4 << 10, 8 << 20, true},
		{[]string{"--max-console-bytes", "1KiB", "--events-max-bytes", "2MiB", "--cache-quota", "1GiB", "--max-cache-name-bytes", "100", "--max-script-bytes", "512KiB"},
			1 << 10, 512 << 10, 1 << 30, 100, 2 << 20, true},
		{[]string{"--storage-quota", "32MiB"}, 64 << 10, 4 << 20, 32 << 20, 4 << 10, 8 << 20, true},
		{args: []string{"--max-console-bytes", "lots"}},
		{args: []string{"--cache-quota", "-1"}},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var w workerLimitFlags
		var ev eventFlags
		w.add(fs)
		ev.add(fs)
		err := fs.Parse(tt.args)
		if (err == nil) != tt.ok {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		if !tt.ok {
			continue
		}
		wl, cl, el := w.workerLimits(), w.cacheLimits(), ev.events()
		if wl.MaxConsoleBytes != tt.console || wl.MaxScriptBytes != tt.script || cl.MaxOriginBytes != tt.quota || cl.MaxNameBytes != tt.nameBytes || el.MaxBytes != tt.events {
			t.Errorf("%q: worker %+v, caches %+v, events %+v", tt.args, wl, cl, el)
		}
	}
}

// TestServeFleetFlags: --nats needs a shared store, and names must fit
// in NATS subjects.
func TestServeFleetFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"serve", "--insecure-no-auth", "--nats", "nats://127.0.0.1:1"}, "--nats needs --store"},
		{[]string{"serve", "--insecure-no-auth", "--node-id", "a.b"}, `--node-id "a.b"`},
		{[]string{"serve", "--insecure-no-auth", "--nats", "http://x"}, `--nats "http://x"`},
	} {
		code, _, stderr := runCLI(t, "", tc.args...)
		if code != exitBadInput || !strings.Contains(stderr, "TypeError") || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, stderr)
		}
	}
}

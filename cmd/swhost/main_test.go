package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/swhost/swhost/internal/lockedbuf"
)

// runCLI runs the command line in-process and returns its exit status and
// output streams.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb lockedbuf.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb}
	code = run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestDispatch(t *testing.T) {
	tests := []struct {
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{nil, exitBadInput, "commands:", ""},
		{[]string{"help"}, exitOK, "version", ""},
		{[]string{"nosuch"}, exitBadInput, "", `swhost: unknown command "nosuch"`},
		{[]string{"version"}, exitOK, "swhost ", ""},
	}
	for _, tt := range tests {
		code, out, errs := runCLI(t, "", tt.args...)
		if code != tt.wantCode || !strings.Contains(out, tt.wantStdout) || !strings.Contains(errs, tt.wantStderr) {
			t.Errorf("swhost %v = %d, %q, %q; want %d, containing %q and %q",
				tt.args, code, out, errs, tt.wantCode, tt.wantStdout, tt.wantStderr)
		}
	}
}

func TestParseFlagsInterleaved(t *testing.T) {
	e := &env{stderr: new(bytes.Buffer)}
	fs := e.newFlagSet("x", "")
	ic := fs.Bool("ignore-case", false, "")
	base := fs.String("base", "", "")
	pos, err := parseFlags(fs, []string{"A", "--ignore-case", "B", "--base", "u", "--", "--C"})
	if err != nil {
		t.Fatal(err)
	}
	if !*ic || *base != "u" || strings.Join(pos, ",") != "A,B,--C" {
		t.Errorf("got ignore-case=%v base=%q pos=%q", *ic, *base, pos)
	}
}

// TestDataDirDefault: the default data directory, the --data help and the
// README name the same place: the user configuration directory (see
// docs/decisions.md), not the cache directory they used to name.
func TestDataDirDefault(t *testing.T) {
	cfg, cache := t.TempDir(), t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("XDG_CACHE_HOME", cache)
	if runtime.GOOS != "linux" {
		t.Skip("XDG directories are Linux's")
	}
	var hf hostFlags
	dir, err := hf.dataDir()
	if err != nil || dir != filepath.Join(cfg, "swhost") {
		t.Errorf("default data directory %q, %v; want %q", dir, err, filepath.Join(cfg, "swhost"))
	}
	_, _, help := runCLI(t, "", "fetch", "-h")
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"--data help": help, "README": strings.Join(strings.Fields(string(readme)), " ")} {
		if !strings.Contains(text, "configuration directory") || strings.Contains(text, "cache directory's") {
			t.Errorf("%s does not name the configuration directory as the default data directory", name)
		}
	}
}

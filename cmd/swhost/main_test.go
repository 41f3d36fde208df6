package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
)

// runCLI runs the command line in-process and returns its exit status and
// output streams.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb lockedBuffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb}
	code = run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

// lockedBuffer is a bytes.Buffer safe for concurrent writers: commands log
// to stderr from background goroutines (workers' console, the registry),
// as the real binary does to os.Stderr, which is safe for that.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
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

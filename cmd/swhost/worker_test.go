package main

import (
	"strings"
	"testing"
)

func TestWorkerRun(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr []string
	}{
		{"fetch with headers and body", []string{"worker", "run", "testdata/worker/echo.js", "--url", "https://localhost/hi", "-X", "post", "-H", "X-Name: Ada", "--data-raw", "b1"}, exitOK,
			[]string{"HTTP/1.1 200 OK", "X-Served-By: echo.js", "Content-Type: text/plain;charset=UTF-8", "POST /hi hello Ada body=b1"}, []string{"served-by: fetch-event https://localhost/echo.js"}},
		{"answered from the cache filled at install", []string{"worker", "run", "--url", "https://localhost/cached", "testdata/worker/echo.js"}, exitOK,
			[]string{"from cache"}, nil},
		{"no respondWith", []string{"worker", "run", "--url", "https://localhost/network", "testdata/worker/echo.js"}, exitNoMatch,
			nil, []string{"served-by: network"}},
		{"install only", []string{"worker", "run", "--event", "install", "testdata/worker/echo.js"}, exitOK, []string{"installed"}, nil},
		{"module worker", []string{"worker", "run", "--type", "module", "--url", "https://localhost/m", "testdata/worker/module.mjs"}, exitOK, []string{"module at /m"}, nil},
		{"listener exception falls back with the stack", []string{"worker", "run", "testdata/worker/broken.js"}, exitNoMatch,
			nil, []string{"TypeError: Cannot read property 'deeper' of undefined", "https://localhost/broken.js:6", "served-by: network"}},
		{"script exception", []string{"worker", "run", "testdata/worker/throws.js"}, exitBadInput,
			nil, []string{"swhost: TypeError: Cannot read property 'push' of undefined", "https://localhost/throws.js:2"}},
		{"missing file", []string{"worker", "run", "testdata/worker/nope.js"}, exitBadInput, nil, []string{"reading the worker script"}},
		{"bad event", []string{"worker", "run", "--event", "sync", "testdata/worker/echo.js"}, exitBadInput, nil, []string{"swhost: TypeError: --event"}},
		{"waitUntil work after answering ends before the worker stops", []string{"worker", "run", "testdata/worker/late.js"}, exitOK,
			[]string{"answered"}, []string{"console.log: late work done"}},
		{"waitUntil work that never ends is cut at --timeout", []string{"worker", "run", "--timeout", "100ms", "testdata/worker/forever.js"}, exitOK,
			[]string{"answered"}, []string{"swhost: warning: TimeoutError: https://localhost/forever.js still had work pending"}},
		{"no subcommand", []string{"worker"}, exitBadInput, nil, []string{"usage: swhost worker run"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "", tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, out, errs)
			}
			for _, w := range tt.wantStdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout %q lacks %q", out, w)
				}
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr %q lacks %q", errs, w)
				}
			}
		})
	}
}

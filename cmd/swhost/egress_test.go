package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestAllowNetworkFlag: every command that runs workers follows the
// egress policy; --allow-network opens a destination it refuses, and a
// value that is neither a CIDR block, an address nor a host name is a
// TypeError.
func TestAllowNetworkFlag(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "loopback page") }))
	defer srv.Close()
	data := t.TempDir()
	code, out, errs := runCLI(t, "", "fetch", "--data", data, "--client", srv.URL+"/", srv.URL+"/")
	if code == exitOK || strings.Contains(out, "loopback page") || !strings.Contains(out+errs, "egress policy refuses") {
		t.Errorf("fetch of a loopback server without --allow-network: exit %d\nstdout %q\nstderr %q", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "fetch", "--data", data, "--allow-network", "127.0.0.0/8", "--client", srv.URL+"/", srv.URL+"/")
	if code != exitOK || !strings.Contains(out, "loopback page") {
		t.Errorf("fetch with --allow-network 127.0.0.0/8: exit %d\nstdout %q\nstderr %q", code, out, errs)
	}
	for _, cmd := range []string{"serve", "fetch"} {
		args := []string{cmd, "--data", data, "--allow-network", "10.0.0.0/33"}
		if cmd == "serve" {
			args = append(args, "--listen", "127.0.0.1:0")
		} else {
			args = append(args, "--client", "https://app.test/", "https://app.test/")
		}
		code, _, errs := runCLI(t, "", args...)
		if code != exitBadInput || !strings.Contains(errs, "TypeError: --allow-network \"10.0.0.0/33\"") {
			t.Errorf("%s --allow-network 10.0.0.0/33: exit %d, stderr %q", cmd, code, errs)
		}
	}
	code, _, errs = runCLI(t, "", "demo", "--listen", "127.0.0.1:0", "--allow-network", "")
	if code != exitBadInput || !strings.Contains(errs, "TypeError: --allow-network") {
		t.Errorf("demo --allow-network '': exit %d, stderr %q", code, errs)
	}
}

package registry

import (
	"strings"
	"testing"

	"github.com/swhost/swhost/weberr"
)

// TestRedirectingScriptIsBadInput checks that a redirecting worker script
// fails with a TypeError that names the redirect, without following it,
// and is not reported as a failure to reach the server (the CLI exits 2
// for bad input and 1 for network errors).
func TestRedirectingScriptIsBadInput(t *testing.T) {
	e := newEnv(t)
	e.app.set("/sw.js", cachingWorker)
	for _, status := range []int{301, 302, 303, 307, 308} {
		e.app.setFile("/redirect.js", file{body: "/sw.js", status: status})
		_, err := e.register("/redirect.js", "")
		if weberr.NameOf(err) != weberr.TypeError || !strings.Contains(err.Error(), "must not be redirected") || strings.Contains(err.Error(), "failed to fetch") {
			t.Errorf("HTTP %d: error = %v; want a TypeError saying scripts must not be redirected", status, err)
		}
	}
	e.app.mu.Lock()
	followed := e.app.hits["/sw.js"]
	e.app.mu.Unlock()
	if followed != 0 {
		t.Errorf("the redirect was followed %d times", followed)
	}
	if regs := e.r.Registrations(""); len(regs) != 0 {
		t.Errorf("redirecting scripts left %d registrations", len(regs))
	}
}

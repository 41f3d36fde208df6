package registry

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
)

// reopenWith closes e's registry and opens another over the same store
// with opts (Store, Network and Limits filled in).
func (e *env) reopenWith(opts Options) {
	e.t.Helper()
	e.r.Close()
	opts.Store, opts.Network, opts.Limits = e.st, e.net, testLimits
	r, err := New(context.Background(), opts)
	if err != nil {
		e.t.Fatal(err)
	}
	e.r = r
}

// TestMaxRegistrationsPerOrigin: a new scope beyond the origin's cap is
// refused with QuotaExceededError naming the numbers; re-registering an
// existing scope, other origins and a freed slot are not affected; the
// count survives a restart.
func TestMaxRegistrationsPerOrigin(t *testing.T) {
	tests := []struct {
		name   string
		max    int
		scopes int
		wantOK int
	}{
		{"cap 2", 2, 4, 2},
		{"cap 1", 1, 3, 1},
		{"no cap", -1, 5, 5},
		{"default", 0, 5, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.app.set("/sw.js", `self.addEventListener('fetch', () => {})`)
			e.other.set("/sw.js", `self.addEventListener('fetch', () => {})`)
			e.reopenWith(Options{MaxRegistrationsPerOrigin: tt.max})
			ok := 0
			for i := range tt.scopes {
				_, err := e.register("/sw.js", fmt.Sprintf("/s%d/", i))
				switch {
				case err == nil:
					ok++
				case weberr.NameOf(err) != weberr.QuotaExceeded:
					t.Fatalf("scope %d: %v, want QuotaExceededError", i, err)
				case i < tt.wantOK:
					t.Fatalf("scope %d refused below the cap: %v", i, err)
				}
			}
			if ok != tt.wantOK {
				t.Fatalf("%d registrations, want %d", ok, tt.wantOK)
			}
			if got := len(e.r.Registrations("https://app.test")); got != tt.wantOK {
				t.Errorf("%d registrations listed, want %d", got, tt.wantOK)
			}
			if tt.max <= 0 {
				return
			}
			// At the cap: an existing scope registers again, another
			// origin registers, and the error names the numbers.
			e.mustRegister("/sw.js", "/s0/")
			if _, err := e.r.Register(context.Background(), RegisterRequest{ClientURL: "https://other.test/", ScriptURL: "/sw.js"}); err != nil {
				t.Errorf("another origin: %v", err)
			}
			_, err := e.register("/sw.js", "/new/")
			if want := fmt.Sprintf("origin https://app.test has %d registrations", tt.max); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("beyond the cap: %v, want %q", err, want)
			}
			// The count survives a restart.
			e.reopenWith(Options{MaxRegistrationsPerOrigin: tt.max})
			if _, err := e.register("/sw.js", "/new/"); weberr.NameOf(err) != weberr.QuotaExceeded {
				t.Errorf("after a restart: %v, want QuotaExceededError", err)
			}
			// Unregistering frees a slot.
			reg, _ := e.r.Get("/s0/", "https://app.test/")
			if err := e.r.Unregister(context.Background(), reg); err != nil {
				t.Fatal(err)
			}
			if _, err := e.register("/sw.js", "/new/"); err != nil {
				t.Errorf("after an unregister: %v", err)
			}
		})
	}
}

// TestRegistered: Registered is true exactly when Register would change
// nothing.
func TestRegistered(t *testing.T) {
	e := newEnv(t)
	e.app.set("/sw.js", `self.addEventListener('fetch', () => {})`)
	e.app.set("/sw2.js", `self.addEventListener('fetch', () => {})`)
	e.mustRegister("/sw.js", "/a/")
	for _, tt := range []struct {
		req  RegisterRequest
		want bool
	}{
		{RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "/sw.js", Scope: "/a/"}, true},
		{RegisterRequest{ClientURL: "https://app.test/a/page", ScriptURL: "https://app.test/sw.js", Scope: "./"}, true},
		{RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "/sw2.js", Scope: "/a/"}, false},
		{RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "/sw.js", Scope: "/b/"}, false},
		{RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "/sw.js", Scope: "/a/", UpdateViaCache: sw.UpdateViaCacheNone}, false},
		{RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "/sw.js", Scope: "/a/", Type: sw.WorkerModule}, false},
		{RegisterRequest{ClientURL: "::", ScriptURL: "/sw.js"}, false},
	} {
		if got := e.r.Registered(tt.req); got != tt.want {
			t.Errorf("Registered(%+v) = %v, want %v", tt.req, got, tt.want)
		}
	}
}

package registry

import (
	"testing"

	"github.com/swhost/swhost/routing"
)

// TestRouterRulesPersist: the rules a version adds during install are
// kept with it and come back after a restart; a failed install keeps
// none.
func TestRouterRulesPersist(t *testing.T) {
	e := newEnv(t)
	e.app.set("/sw.js", `
addEventListener('fetch', () => {});
addEventListener('install', (e) => e.addRoutes([
  { condition: { urlPattern: '/api/*' }, source: 'network' },
  { condition: { requestMode: 'navigate' }, source: 'race-network-and-fetch-handler' },
]));`)
	reg := e.mustRegister("https://app.test/sw.js", "")
	check := func(when string, v *Version) {
		t.Helper()
		rules := v.Routes()
		if len(rules) != 2 {
			t.Fatalf("%s: %d rules", when, len(rules))
		}
		if i, src, ok := rules.Match(routing.Request{URL: "https://app.test/api/x", Method: "GET", Mode: "cors"}, false); !ok || i != 0 || src.Kind != routing.SourceNetwork {
			t.Errorf("%s: /api/x matched %d %v %v", when, i, src, ok)
		}
	}
	check("after install", reg.Active())
	e.close()
	e.open()
	check("after a restart", e.r.MatchString("https://app.test/page").Active())

	e.app.set("/bad.js", `
addEventListener('fetch', () => {});
addEventListener('install', (e) => { e.addRoutes({ condition: { requestMode: 'cors' }, source: 'network' }); throw new Error('install fails'); });`)
	if _, err := e.register("https://app.test/bad.js", "/bad/"); err == nil {
		t.Fatal("a failing install registered")
	}
}

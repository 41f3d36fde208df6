package worker

import (
	"fmt"
	"testing"
)

// BenchmarkRegExpConstruct times new RegExp(...) in a worker, where the
// global RegExp is a Proxy that spells out Unicode property escapes
// (js/05_regexp.js), against the engine's own constructor
// (RegExp[Symbol.species]) in the same run, and a u pattern with a
// property escape, which the Proxy rewrites (the class of \p{L} is
// cached after the first).
//
//	go test ./worker -run '^$' -bench RegExpConstruct -benchtime 20000x -count 3
func BenchmarkRegExpConstruct(b *testing.B) {
	w := newTestWorker(b, `
const Engine = RegExp[Symbol.species];
addEventListener('fetch', (e) => {
  const u = new URL(e.request.url);
  const n = Number(u.search.slice(1));
  let r;
  if (u.pathname === '/proxy') for (let i = 0; i < n; i++) r = new RegExp('[a-z]+\\d', 'g');
  else if (u.pathname === '/engine') for (let i = 0; i < n; i++) r = new Engine('[a-z]+\\d', 'g');
  else for (let i = 0; i < n; i++) r = new RegExp('\\p{L}+\\d', 'u');
  e.respondWith(new Response(String(r.test('ab1'))));
});`, Options{})
	for _, k := range []string{"proxy", "engine", "property-escape"} {
		b.Run(k, func(b *testing.B) {
			for done := 0; done < b.N; done += 1000 {
				if got := fetchBody(b, w, fmt.Sprintf("https://app.test/%s?%d", k, min(1000, b.N-done))); got != "true" {
					b.Fatalf("%s: %q", k, got)
				}
			}
		})
	}
}

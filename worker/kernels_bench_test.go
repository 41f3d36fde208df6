package worker

import (
	"fmt"
	"os"
	"strconv"
	"testing"
)

// BenchmarkKernels runs the edge benchmark's JavaScript-heavy work
// (bench/edge/workloads/kernels.js on items.json: the JSON API
// transform, the HTML render, the 50-route URLPattern router) inside a
// worker, many calls to a fetch event, so that its figure is the
// engine's and the web APIs' cost without HTTP. Node's figures for the
// same kernels (`node bench/edge/workloads/node.mjs`) are the peer.
//
//	go test ./worker -run '^$' -bench Kernels -benchtime 2000x -count 3 -benchmem
func BenchmarkKernels(b *testing.B) {
	kernels, err := os.ReadFile("../bench/edge/workloads/kernels.js")
	if err != nil {
		b.Fatal(err)
	}
	items, err := os.ReadFile("../bench/edge/workloads/items.json")
	if err != nil {
		b.Fatal(err)
	}
	src := string(kernels) + `
const ITEMS = ` + strconv.Quote(string(items)) + `;
const route = makeRouter(URLPattern);
const PATHS = ['https://app.test/api/posts/42/history', 'https://app.test/files/a/b.png', 'https://app.test/api/users', 'https://app.test/nothing/here'];
addEventListener('fetch', (e) => {
  const u = new URL(e.request.url);
  const n = Number(u.search.slice(1));
  let out = '';
  if (u.pathname === '/json') for (let i = 0; i < n; i++) out = jsonTransform(ITEMS);
  else if (u.pathname === '/html') for (let i = 0; i < n; i++) out = renderHTML(ITEMS);
  else for (let i = 0; i < n; i++) out = route(PATHS[i & 3]);
  e.respondWith(new Response(out));
});`
	w := newTestWorker(b, src, Options{})
	for _, k := range []string{"json", "html", "router"} {
		b.Run(k, func(b *testing.B) {
			b.ReportAllocs()
			for done := 0; done < b.N; done += 200 {
				if got := fetchBody(b, w, fmt.Sprintf("https://app.test/%s?%d", k, min(200, b.N-done))); len(got) < 2 {
					b.Fatalf("%s: %q", k, got)
				}
			}
		})
	}
}

package worker

import (
	"strings"
	"testing"
)

// BenchmarkBroadcastChannel measures 100 messages ({n: i}) posted on one
// BroadcastChannel and received on another of the same name in the same
// worker (through the process's bus: serialized once, delivered as a
// task), against the same 100 messages through a MessageChannel, the peer
// in the same run, each in one fetch event that waits for the last
// message.
//
//	go test ./worker -run '^$' -bench BroadcastChannel -benchtime 300x -count 3 -benchmem
func BenchmarkBroadcastChannel(b *testing.B) {
	const script = `
function pump(send, onmsg) {
  return new Promise((resolve) => {
    let got = 0;
    onmsg((e) => { if (++got === 100) resolve(new Response(String(e.data.n))); });
    for (let i = 0; i < 100; i++) send({ n: i });
  });
}
const a = new BroadcastChannel('bench'), b = new BroadcastChannel('bench');
const ch = new MessageChannel();
self.addEventListener('fetch', (e) => {
  if (e.request.url.endsWith('/bc')) e.respondWith(pump((m) => a.postMessage(m), (f) => { b.onmessage = f; }));
  if (e.request.url.endsWith('/mc')) e.respondWith(pump((m) => ch.port1.postMessage(m), (f) => { ch.port2.onmessage = f; }));
});`
	w := newTestWorker(b, script, Options{})
	for _, tc := range []struct{ name, path string }{{"BroadcastChannel", "/bc"}, {"MessageChannel (peer)", "/mc"}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if got := fetchBody(b, w, "https://app.test"+tc.path); !strings.HasPrefix(got, "99") {
					b.Fatalf("got %q", got)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100/1e3, "µs/msg")
		})
	}
}

package connect

import (
	"context"
	"runtime/debug"
	"sort"
	"testing"
	"time"

	"github.com/swhost/swhost/internal/cputime"
	"github.com/swhost/swhost/worker"
)

// benchPort connects to the seed's echo worker, or to the native Echo.
func benchPort(b *testing.B, native bool) *Port {
	e := newTestEnv(b, Options{})
	if native {
		if _, err := e.b.Register(svcOrigin+"/", Echo); err != nil {
			b.Fatal(err)
		}
	} else {
		e.register("/serviceworker.js", "", echoWorker)
	}
	return e.mustConnect(echoURL, nil)
}

// BenchmarkEchoThroughput posts b.N messages without waiting and reads
// the b.N replies: messages per second, one connection. "worker-gc400"
// runs the JavaScript echo with the GC target "swhost serve" sets
// (--gc-percent 400) instead of Go's default.
func BenchmarkEchoThroughput(b *testing.B) {
	for _, v := range []struct {
		name      string
		native    bool
		gcPercent int
	}{{"worker", false, 0}, {"worker-gc400", false, 400}, {"native", true, 0}} {
		native := v.native
		b.Run(v.name, func(b *testing.B) {
			if v.gcPercent > 0 {
				defer debug.SetGCPercent(debug.SetGCPercent(v.gcPercent))
			}
			p := benchPort(b, native)
			roundTrip(b, p, "warm")
			ctx := context.Background()
			b.ResetTimer()
			start := time.Now()
			cpu0, cpuOK := cputime.Process()
			go func() {
				for i := 0; i < b.N; i++ {
					_ = p.PostMessage("hello")
				}
			}()
			for i := 0; i < b.N; i++ {
				if _, err := p.Recv(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
			reportCPU(b, cpu0, cpuOK)
		})
	}
}

// BenchmarkEchoRoundTrip posts one message and waits for its reply, b.N
// times: round-trip latency percentiles.
func BenchmarkEchoRoundTrip(b *testing.B) {
	for _, native := range []bool{false, true} {
		b.Run(map[bool]string{false: "worker", true: "native"}[native], func(b *testing.B) {
			p := benchPort(b, native)
			roundTrip(b, p, "warm")
			ctx := context.Background()
			lat := make([]time.Duration, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				_ = p.PostMessage("hello")
				if _, err := p.Recv(ctx); err != nil {
					b.Fatal(err)
				}
				lat[i] = time.Since(t0)
			}
			b.StopTimer()
			ReportLatency(b, lat)
		})
	}
}

// ReportLatency reports p50 and p99 of lat in microseconds.
func ReportLatency(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
}

// BenchmarkConnectLatency measures Connect plus the first round trip,
// with the worker running and with it stopped before each connect.
func BenchmarkConnectLatency(b *testing.B) {
	for _, stopped := range []bool{false, true} {
		b.Run(map[bool]string{false: "running", true: "stopped"}[stopped], func(b *testing.B) {
			e := newTestEnv(b, Options{})
			reg := e.register("/serviceworker.js", "", echoWorker)
			w, err := reg.Active().Worker(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			lat := make([]time.Duration, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if stopped {
					b.StopTimer()
					w.Stop()
					b.StartTimer()
				}
				t0 := time.Now()
				p, err := e.connect(echoURL, nil)
				if err != nil {
					b.Fatal(err)
				}
				roundTrip(b, p, "first")
				lat[i] = time.Since(t0)
				p.Close()
			}
			b.StopTimer()
			ReportLatency(b, lat)
		})
	}
}

// reportCPU reports the process CPU time per message since cpu0: unlike
// wall time, it does not count time other processes held the CPUs.
func reportCPU(b *testing.B, cpu0 time.Duration, ok bool) {
	if cpu1, ok1 := cputime.Process(); ok && ok1 {
		b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/1e3/float64(b.N), "cpu-µs/msg")
	}
}

// BenchmarkWorkerDispatch splits the worker path: DispatchCrossOriginMessage
// called directly (no connect layer), with a listener that does nothing
// and with the seed's echo listener, whose reply goes through the
// broker's hook to the port.
func BenchmarkWorkerDispatch(b *testing.B) {
	for _, tc := range []struct{ name, src string }{
		{"noop-listener", `self.addEventListener('crossoriginconnect', e => e.acceptConnection(true));
self.addEventListener('crossoriginmessage', e => {});`},
		{"echo-listener", `self.addEventListener('crossoriginconnect', e => e.acceptConnection(true));
self.addEventListener('crossoriginmessage', e => e.source.postMessage(e.data, e.ports));`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			e := newTestEnv(b, Options{})
			reg := e.register("/sw.js", "", tc.src)
			p := e.mustConnect(echoURL, nil)
			c := e.b.Clients(reg)[0]
			w, err := reg.Active().Worker(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			go func() { // drain replies
				for {
					if _, err := p.Recv(ctx); err != nil {
						return
					}
				}
			}()
			msg := worker.Message{Data: "hello"}
			b.ResetTimer()
			cpu0, ok := cputime.Process()
			for i := 0; i < b.N; i++ {
				if err := w.DispatchCrossOriginMessage(ctx, c.worker(), msg); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu0, ok)
		})
	}
}

// BenchmarkPortEcho measures a MessagePort the worker made and
// transferred to the client: the worker echoes what arrives on it.
// "pipelined" posts b.N messages and reads the replies; "round-trip"
// waits for each reply.
func BenchmarkPortEcho(b *testing.B) {
	const src = `self.addEventListener('crossoriginconnect', e => e.acceptConnection(true));
self.addEventListener('crossoriginmessage', e => {
  const ch = new MessageChannel();
  ch.port1.onmessage = (m) => ch.port1.postMessage(m.data);
  e.source.postMessage('port', [ch.port2]);
});`
	for _, mode := range []string{"pipelined", "round-trip"} {
		b.Run(mode, func(b *testing.B) {
			e := newTestEnv(b, Options{})
			e.register("/sw.js", "", src)
			p := e.mustConnect(echoURL, nil)
			if err := p.PostMessage("give me a port"); err != nil {
				b.Fatal(err)
			}
			m := recv(b, p)
			if len(m.Ports) != 1 {
				b.Fatalf("got %d ports", len(m.Ports))
			}
			port := m.Ports[0]
			roundTrip(b, port, "warm")
			ctx := context.Background()
			b.ResetTimer()
			if mode == "pipelined" {
				start := time.Now()
				go func() {
					for i := 0; i < b.N; i++ {
						_ = port.PostMessage("hello")
					}
				}()
				for i := 0; i < b.N; i++ {
					if _, err := port.Recv(ctx); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
				return
			}
			lat := make([]time.Duration, b.N)
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				_ = port.PostMessage("hello")
				if _, err := port.Recv(ctx); err != nil {
					b.Fatal(err)
				}
				lat[i] = time.Since(t0)
			}
			b.StopTimer()
			ReportLatency(b, lat)
		})
	}
}

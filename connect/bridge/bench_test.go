package bridge

import (
	"context"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/swhost/swhost/connect"
)

// benchSocket opens a bridge connection to the seed's echo worker, or to
// the native Echo service, over loopback WebSocket.
func benchSocket(b *testing.B, native bool) *websocket.Conn {
	var br *connect.Broker
	target := "https://example.com/services/echo"
	if native {
		br = connect.New(nil, connect.Options{})
		if _, err := br.Register("https://example.com/", connect.Echo); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(br.Close)
	} else {
		br = newBroker(b, "http://127.0.0.1:1")
	}
	srv := httptest.NewServer(New(br, Options{}))
	b.Cleanup(srv.Close)
	ws, f := dialB(b, srv.URL, "http://127.0.0.1:1", target)
	if f != "" {
		b.Fatal(f)
	}
	return ws
}

func dialB(b *testing.B, srvURL, origin, target string) (*websocket.Conn, string) {
	ctx := context.Background()
	ws, _, err := websocket.Dial(ctx, "ws"+srvURL[len("http"):]+"/connect", &websocket.DialOptions{HTTPHeader: map[string][]string{"Origin": {origin}}})
	if err != nil {
		return nil, err.Error()
	}
	b.Cleanup(func() { ws.CloseNow() })
	if err := ws.Write(ctx, websocket.MessageText, []byte(`{"connect":"`+target+`"}`)); err != nil {
		return nil, err.Error()
	}
	_, m, err := ws.Read(ctx)
	if err != nil {
		return nil, err.Error()
	}
	if string(m) != `{"accepted":true}` {
		return nil, string(m)
	}
	return ws, ""
}

var hello = []byte(`{"data":"hello"}`)

// BenchmarkBridgeThroughput sends b.N frames without waiting and reads
// the b.N echoes: messages per second through the bridge.
func BenchmarkBridgeThroughput(b *testing.B) {
	for _, native := range []bool{false, true} {
		b.Run(map[bool]string{false: "worker", true: "native"}[native], func(b *testing.B) {
			ws := benchSocket(b, native)
			ctx := context.Background()
			b.ResetTimer()
			start := time.Now()
			go func() {
				for i := 0; i < b.N; i++ {
					if ws.Write(ctx, websocket.MessageText, hello) != nil {
						return
					}
				}
			}()
			for i := 0; i < b.N; i++ {
				if _, _, err := ws.Read(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
		})
	}
}

// BenchmarkBridgeRoundTrip sends one frame and waits for its echo, b.N
// times.
func BenchmarkBridgeRoundTrip(b *testing.B) {
	for _, native := range []bool{false, true} {
		b.Run(map[bool]string{false: "worker", true: "native"}[native], func(b *testing.B) {
			ws := benchSocket(b, native)
			ctx := context.Background()
			lat := make([]time.Duration, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if err := ws.Write(ctx, websocket.MessageText, hello); err != nil {
					b.Fatal(err)
				}
				if _, _, err := ws.Read(ctx); err != nil {
					b.Fatal(err)
				}
				lat[i] = time.Since(t0)
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
		})
	}
}

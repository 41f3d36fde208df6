package worker

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/grafana/sobek/parser"
)

// scriptShapes generate classic scripts of about n bytes, each a shape a
// large worker script takes: bundled code, a big data literal, a long
// string literal.
var scriptShapes = []struct {
	name string
	gen  func(n int) string
}{
	{"code", func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			fmt.Fprintf(&b, "function f%d(a, b) { const x = a + b * %d; if (x > 10) { return [x, 'v%d', a && b]; } return { k: x, n: f%d.name }; }\n", i, i, i, i)
		}
		return b.String()
	}},
	{"data", func(n int) string {
		var b strings.Builder
		b.WriteString("const data = [\n")
		for i := 0; b.Len() < n; i++ {
			fmt.Fprintf(&b, "{\"id\":%d,\"name\":\"item %d\",\"tags\":[\"a\",\"b\"],\"price\":%d.5},\n", i, i, i)
		}
		b.WriteString("];\n")
		return b.String()
	}},
	{"string", func(n int) string {
		return "const s = \"" + strings.Repeat("x", n) + "\";\n"
	}},
}

// BenchmarkCompileScript measures what compiling a classic script costs
// per MiB of source: time, bytes allocated and the heap the compiled
// program keeps. The parse-only sub-benchmarks are the peer: the share of
// the cost that is sobek's parser.
//
//	go test ./worker -run '^$' -bench BenchmarkCompileScript -benchtime 5x
func BenchmarkCompileScript(b *testing.B) {
	for _, mib := range []int{1, 4} {
		for _, shape := range scriptShapes {
			src := shape.gen(mib << 20)
			b.Run(fmt.Sprintf("%s/%dMiB/compile", shape.name, mib), func(b *testing.B) {
				var retained uint64
				for i := range b.N {
					b.StopTimer()
					url := fmt.Sprintf("https://bench.test/%s-%d-%d.js", shape.name, mib, i)
					bytes := []byte(src)
					var before, after runtime.MemStats
					runtime.GC()
					runtime.ReadMemStats(&before)
					b.StartTimer()
					p, _, err := compileProgram(context.Background(), url, bytes)
					b.StopTimer()
					if err != nil {
						b.Fatal(err)
					}
					runtime.GC()
					runtime.ReadMemStats(&after)
					retained += after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
					runtime.KeepAlive(p)
					programs.Clear()
					b.StartTimer()
				}
				reportPerMiB(b, len(src))
				b.ReportMetric(float64(retained)/float64(b.N)/float64(len(src)), "retained-B/src-B")
			})
			b.Run(fmt.Sprintf("%s/%dMiB/parse", shape.name, mib), func(b *testing.B) {
				for i := range b.N {
					if _, err := parser.ParseFile(nil, fmt.Sprintf("https://bench.test/%d.js", i), src, 0, parser.WithDisableSourceMaps); err != nil {
						b.Fatal(err)
					}
				}
				reportPerMiB(b, len(src))
			})
		}
	}
}

// reportPerMiB reports the time and allocation per MiB of a source of n
// bytes, next to the usual per-op figures.
func reportPerMiB(b *testing.B, n int) {
	b.Helper()
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/(float64(n)/(1<<20)), "ms/MiB")
	b.ReportAllocs()
}

package worker

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/grafana/sobek/parser"

	"github.com/swhost/swhost/internal/cputime"
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

// reportCPUPerMiB reports the process's CPU time (every goroutine's: the
// collector's and esbuild's workers' too) per MiB of a source of n bytes,
// steadier than wall time on a loaded machine.
func reportCPUPerMiB(b *testing.B, cpu time.Duration, n int) {
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N)/(float64(n)/(1<<20)), "cpu-ms/MiB")
}

// reportPerMiB reports the time and allocation per MiB of a source of n
// bytes, next to the usual per-op figures.
func reportPerMiB(b *testing.B, n int) {
	b.Helper()
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/(float64(n)/(1<<20)), "ms/MiB")
	b.ReportAllocs()
}

// BenchmarkLowering is docs/benchmarks.md's "worker: lowering modern
// syntax": compiling a 1 MiB bundle that uses async generators and for
// await (lowered), against the same bundle written without them (the
// peer: compiled as it is), the lowered one compiled again (cached), the
// shape scan every script pays, and what lowering every script would cost
// (esbuild on the plain bundle).
//
//	go test ./worker -run '^$' -bench BenchmarkLowering -benchtime 5x
func BenchmarkLowering(b *testing.B) {
	modern, plain := modernBundle(1 << 20)
	compile := func(b *testing.B, src string, wantLowered bool) {
		var cpu time.Duration
		var retained uint64
		for i := range b.N {
			b.StopTimer()
			programs.Clear()
			lowerings.Clear()
			url := fmt.Sprintf("https://bench.test/bundle-%d.js", i)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			c0, _ := cputime.Process()
			b.StartTimer()
			p, l, err := compileProgram(context.Background(), url, []byte(src))
			b.StopTimer()
			c1, _ := cputime.Process()
			cpu += c1 - c0
			if err != nil || l != wantLowered {
				b.Fatalf("lowered %v, %v", l, err)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			retained += after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
			runtime.KeepAlive(p)
			b.StartTimer()
		}
		reportCPUPerMiB(b, cpu, len(src))
		reportPerMiB(b, len(src))
		b.ReportMetric(float64(retained)/float64(b.N)/float64(len(src)), "retained-B/src-B")
	}
	b.Run("modern/compile", func(b *testing.B) { compile(b, modern, true) })
	b.Run("plain/compile", func(b *testing.B) { compile(b, plain, false) })
	b.Run("modern/cached", func(b *testing.B) {
		programs.Clear()
		if _, _, err := compileProgram(context.Background(), "https://bench.test/cached.js", []byte(modern)); err != nil {
			b.Fatal(err)
		}
		runs := lowerRuns.Load()
		for b.Loop() {
			if _, _, err := compileProgram(context.Background(), "https://bench.test/cached.js", []byte(modern)); err != nil {
				b.Fatal(err)
			}
		}
		if lowerRuns.Load() != runs {
			b.Fatal("a cached script was lowered again")
		}
		reportPerMiB(b, len(modern))
	})
	b.Run("plain/scan", func(b *testing.B) {
		c0, _ := cputime.Process()
		for b.Loop() {
			scanShape([]byte(plain), false)
		}
		c1, _ := cputime.Process()
		reportCPUPerMiB(b, c1-c0, len(plain))
		reportPerMiB(b, len(plain))
	})
	b.Run("plain/esbuild", func(b *testing.B) {
		sh := scanShape([]byte(plain), false)
		var cpu time.Duration
		for i := range b.N {
			b.StopTimer()
			lowerings.Clear()
			runtime.GC()
			c0, _ := cputime.Process()
			b.StartTimer()
			_, err := lower(context.Background(), fmt.Sprintf("https://bench.test/p-%d.js", i), []byte(plain), [32]byte{}, false, sh)
			b.StopTimer()
			c1, _ := cputime.Process()
			cpu += c1 - c0
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		reportCPUPerMiB(b, cpu, len(plain))
		reportPerMiB(b, len(plain))
	})
}

// modernBundle returns a classic script of about n bytes shaped like a
// bundle written in today's JavaScript (async generators, for await,
// classes with private fields and static blocks, ??=, optional chaining),
// and the same script with its generators and loops written the older way.
func modernBundle(n int) (modern, plain string) {
	var m, p strings.Builder
	for i := 0; m.Len() < n; i++ {
		common := fmt.Sprintf(`class Store%d {
  static #count = 0;
  static { Store%d.#count = %d; }
  #items = new Map();
  get(key) { return this.#items.get(key)?.value ?? null; }
  set(key, value) { this.#items.set(key, { value, at: Date.now() }); Store%d.#count++; }
}
`, i, i, i, i)
		m.WriteString(common)
		p.WriteString(common)
		fmt.Fprintf(&m, `async function* pages%d(store, keys) {
  for (const key of keys) {
    let v = store.get(key);
    v ??= await Promise.resolve({ key, n: %d });
    yield v;
  }
}
async function collect%d(keys) {
  const out = [];
  for await (const page of pages%d(new Store%d(), keys)) out.push(page?.key);
  return out;
}
`, i, i, i, i, i)
		fmt.Fprintf(&p, `async function pages%d(store, keys) {
  const out = [];
  for (const key of keys) {
    let v = store.get(key);
    v ??= await Promise.resolve({ key, n: %d });
    out.push(v);
  }
  return out;
}
async function collect%d(keys) {
  const out = [];
  for (const page of await pages%d(new Store%d(), keys)) out.push(page?.key);
  return out;
}
`, i, i, i, i, i)
	}
	return m.String(), p.String()
}

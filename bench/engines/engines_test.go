package engines

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/fastschema/qjs"
	"github.com/grafana/sobek"
	"modernc.org/quickjs"
)

// instance is one engine's runtime with harness.js evaluated in it.
type instance interface {
	// bind returns a function that calls the global function name with
	// args[i] and returns its result as a Go string. The arguments are
	// made into engine values once, here, as a host holding them would.
	bind(name string, args []string) (func(i int) (string, error), error)
	close()
}

// engine is one engine under comparison.
type engine struct {
	name   string
	module string // the Go module (for its version in go.mod)
	bare   func() (func(), error)
	ready  func(src string) (instance, error)
}

var engines = []engine{
	{name: "sobek", module: "github.com/grafana/sobek", bare: bareSobek, ready: newSobek},
	{name: "goja", module: "github.com/dop251/goja", bare: bareGoja, ready: newGoja},
	{name: "qjs-wazero", module: "github.com/fastschema/qjs", bare: bareQJS, ready: newQJS},
	{name: "modernc-quickjs", module: "modernc.org/quickjs", bare: bareModernc, ready: newModernc},
}

// ---- sobek

type sobekInstance struct{ vm *sobek.Runtime }

func bareSobek() (func(), error) { sobek.New(); return func() {}, nil }

func newSobek(src string) (instance, error) {
	vm := sobek.New()
	if _, err := vm.RunScript("harness.js", src); err != nil {
		return nil, err
	}
	return &sobekInstance{vm}, nil
}

func (s *sobekInstance) bind(name string, args []string) (func(int) (string, error), error) {
	fn, ok := sobek.AssertFunction(s.vm.Get(name))
	if !ok {
		return nil, fmt.Errorf("%s is not a function", name)
	}
	vals := make([]sobek.Value, len(args))
	for i, a := range args {
		vals[i] = s.vm.ToValue(a)
	}
	return func(i int) (string, error) {
		r, err := fn(sobek.Undefined(), vals[i])
		if err != nil {
			return "", err
		}
		return r.String(), nil
	}, nil
}

func (s *sobekInstance) close() {}

// ---- goja

type gojaInstance struct{ vm *goja.Runtime }

func bareGoja() (func(), error) { goja.New(); return func() {}, nil }

func newGoja(src string) (instance, error) {
	vm := goja.New()
	if _, err := vm.RunScript("harness.js", src); err != nil {
		return nil, err
	}
	return &gojaInstance{vm}, nil
}

func (g *gojaInstance) bind(name string, args []string) (func(int) (string, error), error) {
	fn, ok := goja.AssertFunction(g.vm.Get(name))
	if !ok {
		return nil, fmt.Errorf("%s is not a function", name)
	}
	vals := make([]goja.Value, len(args))
	for i, a := range args {
		vals[i] = g.vm.ToValue(a)
	}
	return func(i int) (string, error) {
		r, err := fn(goja.Undefined(), vals[i])
		if err != nil {
			return "", err
		}
		return r.String(), nil
	}, nil
}

func (g *gojaInstance) close() {}

// ---- QuickJS-NG compiled to WebAssembly, run by wazero (fastschema/qjs)

type qjsInstance struct {
	rt   *qjs.Runtime
	free []*qjs.Value
}

func bareQJS() (func(), error) {
	rt, err := qjs.New()
	if err != nil {
		return nil, err
	}
	return rt.Close, nil
}

func newQJS(src string) (instance, error) {
	rt, err := qjs.New()
	if err != nil {
		return nil, err
	}
	v, err := rt.Context().Eval("harness.js", qjs.Code(src))
	if err != nil {
		rt.Close()
		return nil, err
	}
	v.Free()
	return &qjsInstance{rt: rt}, nil
}

func (q *qjsInstance) bind(name string, args []string) (func(int) (string, error), error) {
	ctx := q.rt.Context()
	fn := ctx.Global().GetPropertyStr(name)
	if !fn.IsFunction() {
		return nil, fmt.Errorf("%s is not a function", name)
	}
	this := ctx.NewUndefined()
	vals := make([]*qjs.Value, len(args))
	for i, a := range args {
		vals[i] = ctx.NewString(a)
	}
	q.free = append(q.free, fn, this)
	q.free = append(q.free, vals...)
	return func(i int) (string, error) {
		r, err := ctx.Invoke(fn, this, vals[i])
		if err != nil {
			return "", err
		}
		s := r.String()
		r.Free()
		return s, nil
	}, nil
}

func (q *qjsInstance) close() {
	for _, v := range q.free {
		v.Free()
	}
	q.rt.Close()
}

// ---- QuickJS transpiled to Go (modernc.org/quickjs)

type moderncInstance struct {
	vm   *quickjs.VM
	free []quickjs.Value
}

func bareModernc() (func(), error) {
	vm, err := quickjs.NewVM()
	if err != nil {
		return nil, err
	}
	return func() { vm.Close() }, nil
}

func newModernc(src string) (instance, error) {
	vm, err := quickjs.NewVM()
	if err != nil {
		return nil, err
	}
	if _, err := vm.Eval(src, quickjs.EvalGlobal); err != nil {
		vm.Close()
		return nil, err
	}
	return &moderncInstance{vm: vm}, nil
}

func (m *moderncInstance) bind(name string, args []string) (func(int) (string, error), error) {
	fn, err := m.vm.EvalValue(name, quickjs.EvalGlobal)
	if err != nil {
		return nil, err
	}
	this := m.vm.GlobalObject()
	vals := make([]quickjs.Value, len(args))
	for i, a := range args {
		if vals[i], err = m.vm.NewString(a); err != nil {
			return nil, err
		}
	}
	m.free = append(m.free, fn, this)
	m.free = append(m.free, vals...)
	return func(i int) (string, error) {
		r, err := fn.Call(this, vals[i])
		if err != nil {
			return "", err
		}
		s, ok := r.(string)
		if !ok {
			return "", fmt.Errorf("%s returned %T", name, r)
		}
		return s, nil
	}, nil
}

func (m *moderncInstance) close() {
	for i := range m.free {
		m.free[i].Free()
	}
	m.vm.Close()
}

// ---- the workloads

// harnessSource is testdata/harness.js with the vendored packages and
// bench/edge/workloads/kernels.js filled in.
func harnessSource(tb testing.TB) string {
	tb.Helper()
	read := func(p string) string {
		b, err := os.ReadFile(filepath.FromSlash(p))
		if err != nil {
			tb.Fatal(err)
		}
		return string(b)
	}
	src := read("testdata/harness.js")
	src = strings.Replace(src, "/*@WHATWG_URL@*/", read("testdata/whatwg-url-minimum/whatwg-url-minimum.lowered.js"), 1)
	src = strings.Replace(src, "/*@URLPATTERN@*/", read("testdata/urlpattern-polyfill/urlpattern.lowered.cjs"), 1)
	src = strings.Replace(src, "/*@KERNELS@*/", read("../edge/workloads/kernels.js"), 1)
	return src
}

// kernel is one workload: a global function of harness.js and the
// arguments it is called with, in turn.
type kernel struct {
	fn   string
	args []string
}

func kernels(tb testing.TB) []kernel {
	tb.Helper()
	items, err := os.ReadFile("../edge/workloads/items.json")
	if err != nil {
		tb.Fatal(err)
	}
	b, err := os.ReadFile("testdata/urls.json")
	if err != nil {
		tb.Fatal(err)
	}
	var urls []string
	if err := json.Unmarshal(b, &urls); err != nil {
		tb.Fatal(err)
	}
	return []kernel{
		{"jsonTransform", []string{string(items)}},
		{"renderHTML", []string{string(items)}},
		{"route", urls},
	}
}

// outputs is what node.mjs prints in its "outputs" mode: each kernel's
// results, one per argument.
type outputs map[string][]string

func run(inst instance, ks []kernel) (outputs, error) {
	out := outputs{}
	for _, k := range ks {
		call, err := inst.bind(k.fn, k.args)
		if err != nil {
			return nil, err
		}
		for i := range k.args {
			s, err := call(i)
			if err != nil {
				return nil, fmt.Errorf("%s(%q): %w", k.fn, k.args[i], err)
			}
			out[k.fn] = append(out[k.fn], s)
		}
	}
	return out, nil
}

func readNodeOutputs(t *testing.T) outputs {
	b, err := os.ReadFile("testdata/node-outputs.json")
	if err != nil {
		t.Fatal(err)
	}
	var want outputs
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	return want
}

// TestOutputs checks that every engine returns, for every kernel and
// argument, exactly what Node returns (testdata/node-outputs.json), and,
// when node is on the PATH, that Node still returns that.
func TestOutputs(t *testing.T) {
	want := readNodeOutputs(t)
	src := harnessSource(t)
	ks := kernels(t)
	if node, err := exec.LookPath("node"); err == nil {
		b, err := exec.Command(node, "node.mjs", "outputs").Output()
		if err != nil {
			t.Fatalf("node node.mjs outputs: %v", err)
		}
		var got outputs
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("node's outputs differ from testdata/node-outputs.json (regenerate it with node node.mjs outputs)")
		}
	} else if os.Getenv("CI") != "" {
		t.Fatal("node is not on the PATH")
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			inst, err := e.ready(src)
			if err != nil {
				t.Fatal(err)
			}
			defer inst.close()
			got, err := run(inst, ks)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range ks {
				for i := range k.args {
					if g, w := got[k.fn][i], want[k.fn][i]; g != w {
						t.Errorf("%s #%d:\n got %.300q\nwant %.300q", k.fn, i, g, w)
					}
				}
			}
		})
	}
}

var (
	instancesMu sync.Mutex
	instances   = map[string]instance{}
)

// ready returns the engine's instance, made on first use and kept for
// every kernel, as a worker's runtime is.
func ready(b *testing.B, e engine) instance {
	instancesMu.Lock()
	defer instancesMu.Unlock()
	if inst, ok := instances[e.name]; ok {
		return inst
	}
	inst, err := e.ready(harnessSource(b))
	if err != nil {
		b.Fatal(err)
	}
	instances[e.name] = inst
	return inst
}

var warm sync.Map

// warmUp makes 200 calls, or as many as fit in a second, the first time a
// kernel runs in an engine's instance.
func warmUp(b *testing.B, key string, call func(int) (string, error), n int) {
	if _, done := warm.LoadOrStore(key, true); done {
		return
	}
	start := time.Now()
	for i := 0; i < 200 && time.Since(start) < time.Second; i++ {
		if _, err := call(i % n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkKernels times one call of each kernel from Go in each engine
// (for route, one call with each URL of testdata/urls.json in turn), the
// engines one after the other within each kernel, after a warm-up.
func BenchmarkKernels(b *testing.B) {
	for _, k := range kernels(b) {
		b.Run(k.fn, func(b *testing.B) {
			for _, e := range engines {
				b.Run(e.name, func(b *testing.B) {
					call, err := ready(b, e).bind(k.fn, k.args)
					if err != nil {
						b.Fatal(err)
					}
					warmUp(b, e.name+"/"+k.fn, call, len(k.args))
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						if _, err := call(i % len(k.args)); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkNew times making a runtime: bare (the engine's own new
// runtime, nothing evaluated), kernels (a new runtime that has evaluated
// bench/edge/workloads/kernels.js, 2.7 KB, from source: what the JSON and
// HTML kernels need) and harness (a new runtime that has evaluated all of
// harness.js from source: 130 KB with the URL and URL Pattern
// polyfills, their tables decoded and the router's 50 patterns built).
func BenchmarkNew(b *testing.B) {
	k, err := os.ReadFile("../edge/workloads/kernels.js")
	if err != nil {
		b.Fatal(err)
	}
	srcs := []struct{ name, src string }{{"kernels", string(k)}, {"harness", harnessSource(b)}}
	for _, e := range engines {
		b.Run(e.name+"/bare", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				closeFn, err := e.bare()
				if err != nil {
					b.Fatal(err)
				}
				closeFn()
			}
		})
		for _, s := range srcs {
			b.Run(e.name+"/"+s.name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					inst, err := e.ready(s.src)
					if err != nil {
						b.Fatal(err)
					}
					inst.close()
				}
			})
		}
	}
}

// BenchmarkMemory makes 10 ready runtimes of one engine and keeps them,
// reporting what each adds to the process's resident set (rss-B/rt: the
// engines outside Go's heap, QuickJS's C heap in modernc.org/quickjs and
// the WebAssembly memory in wazero, count there) and to Go's live heap
// (heap-B/rt). b.N is ignored: run it with -benchtime 1x, one engine per
// process (run.sh does), since a heap freed by one engine is reused by the
// next without growing the resident set.
func BenchmarkMemory(b *testing.B) {
	const n = 10
	src := harnessSource(b)
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			insts := make([]instance, 0, n)
			rss0, heap0 := memory(b)
			for i := 0; i < n; i++ {
				inst, err := e.ready(src)
				if err != nil {
					b.Fatal(err)
				}
				insts = append(insts, inst)
			}
			rss1, heap1 := memory(b)
			b.ReportMetric(float64(rss1-rss0)/n, "rss-B/rt")
			b.ReportMetric(float64(heap1-heap0)/n, "heap-B/rt")
			for _, inst := range insts {
				inst.close()
			}
		})
	}
}

// memory returns the process's resident set and Go's live heap, in bytes,
// after a full collection.
func memory(tb testing.TB) (rss, heap int64) {
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		tb.Skip("no /proc/self/statm")
	}
	f := strings.Fields(string(b))
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		tb.Fatal(err)
	}
	return pages * int64(os.Getpagesize()), int64(ms.HeapAlloc)
}

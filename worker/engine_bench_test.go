package worker

import (
	"testing"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/internal/cputime"
)

// The engine peers below run the same JavaScript as BenchmarkColdStart and
// BenchmarkCrossOriginMessages on a bare sobek runtime, with none of
// swhost's code: no web APIs beyond stubs, no event loop goroutine, no
// Go/JS hand-offs. They are the floor the engine itself sets for that
// work, measured in the same run, so that the figures of the worker can be
// read as a ratio to it on a noisy machine.

// engineStub gives the 50-line script what it touches (self,
// addEventListener, Response, URL, skipWaiting) and fires an extendable
// event the cheapest way: the listener, then one then() per lifetime
// promise. It also touches Map and Promise, whose built-ins sobek sets up
// lazily, as the warm pool's priming script does for a worker.
const engineStub = `
var self = globalThis;
const listeners = {};
globalThis.addEventListener = function (type, fn) { listeners[type] = fn; };
class Response { constructor(body) { this.body = body; } }
class URL { constructor(u) { this.pathname = u; } }
self.skipWaiting = () => Promise.resolve();
new Map().set(1, 2);
Promise.resolve(1).then(() => {});
globalThis.fire = function (type) {
  let pending = 0;
  const ev = { waitUntil(p) { pending++; Promise.resolve(p).then(() => { pending--; }); } };
  listeners[type](ev);
};
`

// coldStartEngine is BenchmarkColdStart/engine: a prepared bare runtime
// per start (made outside the timed region, like the warm pool's), then
// the script and install and activate, each a top-level call that drains
// the microtasks.
func coldStartEngine(b *testing.B) {
	e := newEngineStarts(b)
	b.ReportAllocs()
	startsInChunks(b, e.prepare, e.start)
}

// coldStartEngineFresh is BenchmarkColdStart/engine-fresh: what a host
// without a pool of prepared runtimes pays on a bare engine, the runtime
// made (sobek.New, the stub run) inside the timed region, then the script
// and install and activate as in coldStartEngine. It is the peer the
// issue's own figure names: starting a runtime from a precompiled program.
func coldStartEngineFresh(b *testing.B) {
	e := newEngineStarts(b)
	b.ReportAllocs()
	startsInChunks(b, func(int) {}, func(int) {
		e.prepare(1)
		e.start(0)
	})
}

// engineStarts prepares bare runtimes and starts the 50-line script in
// them (see coldStartEngine).
type engineStarts struct {
	b            testing.TB
	script, stub *sobek.Program
	rts          []*sobek.Runtime
}

func newEngineStarts(b testing.TB) *engineStarts {
	return &engineStarts{
		b:      b,
		script: sobek.MustCompile("sw.js", fiftyLineSW, false),
		stub:   sobek.MustCompile("stub.js", engineStub, false),
	}
}

// prepare makes n runtimes with the stub run in each.
func (e *engineStarts) prepare(n int) {
	e.rts = make([]*sobek.Runtime, n)
	for i := range e.rts {
		e.rts[i] = sobek.New()
		if _, err := e.rts[i].RunProgram(e.stub); err != nil {
			e.b.Fatal(err)
		}
	}
}

// start runs the script and fires install and activate in runtime i.
func (e *engineStarts) start(i int) {
	rt := e.rts[i]
	e.rts[i] = nil
	if _, err := rt.RunProgram(e.script); err != nil {
		e.b.Fatal(err)
	}
	fire, _ := sobek.AssertFunction(rt.Get("fire"))
	for _, typ := range []string{"install", "activate"} {
		if _, err := fire(nil, rt.ToValue(typ)); err != nil {
			e.b.Fatal(err)
		}
	}
}

// lifecycleEngine is BenchmarkLifecycleEvent/engine-*: the event fired
// again and again in one bare runtime that evaluated the script.
func lifecycleEngine(b *testing.B, typ string) {
	e := newEngineStarts(b)
	e.prepare(1)
	rt := e.rts[0]
	if _, err := rt.RunProgram(e.script); err != nil {
		b.Fatal(err)
	}
	fire, _ := sobek.AssertFunction(rt.Get("fire"))
	v := rt.ToValue(typ)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := fire(nil, v); err != nil {
			b.Fatal(err)
		}
	}
}

// crossOriginMessagesEngine is BenchmarkCrossOriginMessages/engine: the
// echo listener called with a plain object for each message, one
// top-level call each (the microtask checkpoint between messages that
// the worker keeps too), replying through a Go function that drops the
// message.
func crossOriginMessagesEngine(b *testing.B) {
	rt := sobek.New()
	replies := 0
	source := rt.NewObject()
	if err := source.Set("postMessage", func(sobek.FunctionCall) sobek.Value {
		replies++
		return sobek.Undefined()
	}); err != nil {
		b.Fatal(err)
	}
	v, err := rt.RunString(`(function(event) {
  event.source.postMessage(event.data, event.ports);
})`)
	if err != nil {
		b.Fatal(err)
	}
	listener := v
	v, err = rt.RunString(`(function(listener, source, data) { listener.call(globalThis, { source, data, ports: [] }); })`)
	if err != nil {
		b.Fatal(err)
	}
	deliver, _ := sobek.AssertFunction(v)
	hello := rt.ToValue("hello")
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, ok := cputime.Process()
	for range b.N {
		if _, err := deliver(nil, listener, source, hello); err != nil {
			b.Fatal(err)
		}
	}
	reportCPUPerMsg(b, cpu0, ok)
	if replies != b.N {
		b.Fatalf("%d replies to %d messages", replies, b.N)
	}
}

package connect

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/swhost/swhost/weberr"
)

// labWorker makes JavaScript values on request ("make" messages) and
// checks values it is sent ({kind, value}), answering "ok" or what is
// wrong, so values built in JavaScript can be checked in JavaScript after
// a round trip through Go and another worker.
const labWorker = `
const makers = {
  map: () => new Map([[1, 'a'], ['k', { x: 1 }]]),
  set: () => new Set([1, 'two', 3n]),
  date: () => new Date(1e12),
  regexp: () => /a+b/giu,
  uint8: () => new Uint8Array([1, 2, 255]),
  float64: () => new Float64Array([1.5, -0, NaN]),
  views: () => { const b = new ArrayBuffer(8); new Uint8Array(b).set([1, 2, 3, 4, 5, 6, 7, 8]); return { a: new Int16Array(b, 2, 2), d: new DataView(b, 4) }; },
  buffer: () => new Uint8Array([9, 8]).buffer,
  error: () => new RangeError('out of range'),
  typeError: () => new TypeError('bad type'),
  cyclic: () => { const o = { name: 'o' }; o.self = o; o.list = [o, o]; return o; },
  nested: () => ({ a: [1, { b: [2, { c: 'deep' }]}], u: undefined, n: null, s: new String('w'), h: [1, , 3] }),
  bigint: () => 12345678901234567890n,
  negzero: () => -0,
  string: () => 'x\ud800y',
};
const checks = {
  map: (v) => v instanceof Map && v.size === 2 && v.get(1) === 'a' && v.get('k').x === 1,
  set: (v) => v instanceof Set && v.size === 3 && v.has(1) && v.has('two') && v.has(3n),
  date: (v) => v instanceof Date && v.getTime() === 1e12,
  regexp: (v) => v instanceof RegExp && v.source === 'a+b' && v.flags === 'giu',
  uint8: (v) => v instanceof Uint8Array && v.join() === '1,2,255',
  float64: (v) => v instanceof Float64Array && v[0] === 1.5 && Object.is(v[1], -0) && Number.isNaN(v[2]),
  views: (v) => v.a instanceof Int16Array && v.d instanceof DataView && v.a.buffer === v.d.buffer &&
    v.a.byteOffset === 2 && v.a.length === 2 && v.d.byteOffset === 4 && v.d.getUint8(0) === 5,
  buffer: (v) => v instanceof ArrayBuffer && new Uint8Array(v).join() === '9,8',
  error: (v) => v instanceof RangeError && v.message === 'out of range',
  typeError: (v) => v instanceof TypeError && v.message === 'bad type',
  cyclic: (v) => v.name === 'o' && v.self === v && v.list[0] === v && v.list[1] === v,
  nested: (v) => v.a[1].b[1].c === 'deep' && 'u' in v && v.u === undefined && v.n === null &&
    v.s instanceof String && String(v.s) === 'w' && v.h.length === 3 && !(1 in v.h),
  bigint: (v) => v === 12345678901234567890n,
  negzero: (v) => Object.is(v, -0),
  string: (v) => v === 'x\ud800y',
};
oncrossoriginconnect = (e) => e.acceptConnection(true);
oncrossoriginmessage = (e) => {
  const d = e.data;
  if (typeof d === 'string') { e.source.postMessage(makers[d]()); return; }
  let ok = false;
  try { ok = checks[d.kind](d.value); } catch (err) { ok = String(err); }
  e.source.postMessage(ok === true ? 'ok' : 'not intact: ' + ok);
};
`

// TestCloneTypesThroughEcho: each structured-clone type made in
// JavaScript goes to Go, through the seed's echo worker (unchanged) and
// back to Go, and is checked in JavaScript again.
func TestCloneTypesThroughEcho(t *testing.T) {
	e := newTestEnv(t, Options{})
	e.register("/serviceworker.js", "", echoWorker)
	e.register("/lab/sw.js", "", labWorker)
	echo := e.mustConnect(echoURL, nil)
	lab := e.mustConnect(svcOrigin+"/lab/x", nil)
	for _, kind := range []string{"map", "set", "date", "regexp", "uint8", "float64", "views", "buffer", "error", "typeError", "cyclic", "nested", "bigint", "negzero", "string"} {
		t.Run(kind, func(t *testing.T) {
			made := roundTripMsg(t, lab, kind)
			if _, ok := made.Data.(*Record); !ok {
				t.Fatalf("a worker's message carries %T, not a *Record", made.Data)
			}
			echoed := roundTripMsg(t, echo, made.Data)
			verdict := roundTrip(t, lab, map[string]any{"kind": kind, "value": echoed.Data})
			if verdict != "ok" {
				t.Errorf("%s after the echo: %v", kind, verdict)
			}
		})
	}
}

func roundTripMsg(t *testing.T, p *Port, data any) Message {
	t.Helper()
	if err := p.PostMessage(data); err != nil {
		t.Fatalf("postMessage: %v", err)
	}
	return recv(t, p)
}

// TestGoValuesThroughEcho: Go values posted to the seed's echo worker
// come back as the same Go values (Message.Value).
func TestGoValuesThroughEcho(t *testing.T) {
	e := newTestEnv(t, Options{})
	e.register("/serviceworker.js", "", echoWorker)
	p := e.mustConnect(echoURL, nil)
	when := time.UnixMilli(1_700_000_000_123).UTC()
	for _, tc := range []struct {
		name     string
		in, want any
	}{
		{"string", "hello", "hello"},
		{"number", 2.5, 2.5},
		{"int", 7, 7.0},
		{"bool", true, true},
		{"null", nil, nil},
		{"undefined", Undefined{}, Undefined{}},
		{"date", when, when},
		{"regexp", RegExp{Source: "^a.c$", Flags: "im"}, RegExp{Source: "^a.c$", Flags: "im"}},
		{"map", Map{{1.0, "one"}, {"k", []any{true}}}, Map{{1.0, "one"}, {"k", []any{true}}}},
		{"set", Set{"a", 2.0}, Set{"a", 2.0}},
		{"bytes", []byte{0, 1, 254}, []byte{0, 1, 254}},
		{"error", &ErrorValue{Name: "TypeError", Message: "no", HasMessage: true}, &ErrorValue{Name: "TypeError", Message: "no", HasMessage: true}},
		{"custom error name", &ErrorValue{Name: "MyError", Message: "m", HasMessage: true}, &ErrorValue{Name: "Error", Message: "m", HasMessage: true}},
		{"go error", errors.New("boom"), &ErrorValue{Name: "Error", Message: "boom", HasMessage: true}},
		{"bigint", big.NewInt(-42), big.NewInt(-42)},
		{"object", map[string]any{"b": 1.0, "a": []any{"x", nil}}, map[string]any{"b": 1.0, "a": []any{"x", nil}}},
		{"struct", struct {
			N int    `json:"n"`
			S string `json:"s"`
		}{3, "s"}, map[string]any{"n": 3.0, "s": "s"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := roundTrip(t, p, tc.in)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("echoed %#v; want %#v", got, tc.want)
			}
		})
	}
}

// TestFunctionIsDataCloneError: a worker posting a function to its client
// gets a DataCloneError, and a Go value that cannot be cloned is refused
// before it reaches the worker.
func TestFunctionIsDataCloneError(t *testing.T) {
	e := newTestEnv(t, Options{})
	e.register("/sw.js", "", `self.addEventListener('crossoriginconnect', e => e.acceptConnection(true));
self.addEventListener('crossoriginmessage', e => {
  for (const v of [() => 1, Symbol('s'), new WeakMap(), {f() {}}, Promise.resolve()]) {
    try { e.source.postMessage(v); e.source.postMessage('cloned'); } catch (err) { e.source.postMessage(err.name + ' ' + (err instanceof DOMException)); }
  }
});`)
	p := e.mustConnect(echoURL, nil)
	if err := p.PostMessage(map[string]any{"f": func() {}}); weberr.NameOf(err) != weberr.DataCloneError {
		t.Errorf("posting a Go func: %v", err)
	}
	if err := p.PostMessage(make(chan int)); weberr.NameOf(err) != weberr.DataCloneError {
		t.Errorf("posting a Go channel: %v", err)
	}
	if err := p.PostMessage("go"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if got := recv(t, p).Value(); got != "DataCloneError true" {
			t.Errorf("value %d: %v", i, got)
		}
	}
}

// TestTransferredPortRoundTrip: a client's port goes to the seed's echo
// worker in the transfer list, comes back in the echo, and stays
// entangled with the port the client kept; closing one end closes the
// other.
func TestTransferredPortRoundTrip(t *testing.T) {
	e := newTestEnv(t, Options{})
	e.register("/serviceworker.js", "", echoWorker)
	p := e.mustConnect(echoURL, nil)
	mine, theirs := NewChannel()
	if err := p.PostMessage(map[string]any{"note": "take this"}, theirs); err != nil {
		t.Fatal(err)
	}
	m := recv(t, p)
	if len(m.Ports) != 1 || !reflect.DeepEqual(m.Value(), map[string]any{"note": "take this"}) {
		t.Fatalf("echo: %#v with %d ports", m.Value(), len(m.Ports))
	}
	back := m.Ports[0]
	for i := 0; i < 50; i++ {
		if err := back.PostMessage(float64(i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 50; i++ {
		if got := recv(t, mine).Value(); got != float64(i) {
			t.Fatalf("message %d through the returned port: %v", i, got)
		}
	}
	if err := mine.PostMessage("and back"); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, back).Value(); got != "and back" {
		t.Errorf("back got %v", got)
	}
	back.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := mine.Recv(ctx); err != ErrClosed {
		t.Errorf("after the other end closed: %v", err)
	}
}

// portWorker keeps the ports it is sent and answers on them, and hands
// out a port of its own MessageChannel.
const portWorker = `
self.addEventListener('crossoriginconnect', e => e.acceptConnection(true));
self.addEventListener('crossoriginmessage', e => {
  if (e.data === 'channel') {
    const ch = new MessageChannel();
    ch.port1.onmessage = (m) => {
      if (m.data === 'close') { ch.port1.close(); return; }
      ch.port1.postMessage({ pong: m.data, at: new Date(0), bytes: new Uint8Array([1, 2]) });
    };
    ch.port1.postMessage('queued before transfer');
    e.source.postMessage('here', [ch.port2]);
  } else if (e.data === 'keep') {
    const port = e.ports[0];
    port.onmessage = (m) => port.postMessage('worker saw ' + m.data);
    port.addEventListener('close', () => e.source.postMessage('port closed'));
    port.postMessage('hello from the worker');
  } else if (e.data === 'forward') {
    // Pass the port on to another port of the worker's own, then back out.
    const ch = new MessageChannel();
    ch.port2.onmessage = (m) => e.source.postMessage('forwarded', [m.ports[0]]);
    ch.port1.postMessage('p', [e.ports[0]]);
  }
});`

// connectPortWorker registers portWorker and connects to it.
func connectPortWorker(t *testing.T) *Port {
	t.Helper()
	e := newTestEnv(t, Options{})
	e.register("/sw.js", "", portWorker)
	return e.mustConnect(echoURL, nil)
}

// sendNewPort posts cmd on p with one end of a new channel and returns
// the other end.
func sendNewPort(t *testing.T, p *Port, cmd string) *Port {
	t.Helper()
	mine, theirs := NewChannel()
	if err := p.PostMessage(cmd, theirs); err != nil {
		t.Fatal(err)
	}
	return mine
}

// TestWorkerPortToClient: a port of a MessageChannel made by the worker
// is transferred to the client with event.source.postMessage, with the
// message the worker queued on it before.
func TestWorkerPortToClient(t *testing.T) {
	p := connectPortWorker(t)
	m := roundTripMsg(t, p, "channel")
	if m.Value() != "here" || len(m.Ports) != 1 {
		t.Fatalf("got %#v with %d ports", m.Value(), len(m.Ports))
	}
	port := m.Ports[0]
	if got := recv(t, port).Value(); got != "queued before transfer" {
		t.Errorf("first message: %v", got)
	}
	for i := 0; i < 20; i++ {
		if err := port.PostMessage(float64(i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 20; i++ {
		got, _ := recv(t, port).Value().(map[string]any)
		if got["pong"] != float64(i) || !reflect.DeepEqual(got["at"], time.UnixMilli(0).UTC()) || !reflect.DeepEqual(got["bytes"], []byte{1, 2}) {
			t.Fatalf("reply %d: %#v", i, got)
		}
	}
	port.PostMessage("close")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := port.Recv(ctx); err != ErrClosed {
		t.Errorf("after the worker closed its end: %v", err)
	}
}

// TestClientPortKeptByWorker: the worker keeps a client's port, talks on
// it, and sees the client closing it.
func TestClientPortKeptByWorker(t *testing.T) {
	p := connectPortWorker(t)
	mine := sendNewPort(t, p, "keep")
	if got := recv(t, mine).Value(); got != "hello from the worker" {
		t.Fatalf("first: %v", got)
	}
	mine.PostMessage("ping")
	if got := recv(t, mine).Value(); got != "worker saw ping" {
		t.Errorf("reply: %v", got)
	}
	mine.Close()
	if got := recv(t, p).Value(); got != "port closed" {
		t.Errorf("after closing: %v", got)
	}
}

// TestPortForwardedInsideWorker: a client's port goes through a
// MessageChannel inside the worker and back out to the client, still
// entangled with the client's other port.
func TestPortForwardedInsideWorker(t *testing.T) {
	p := connectPortWorker(t)
	mine := sendNewPort(t, p, "forward")
	m := recv(t, p)
	if m.Value() != "forwarded" || len(m.Ports) != 1 {
		t.Fatalf("got %#v with %d ports", m.Value(), len(m.Ports))
	}
	m.Ports[0].PostMessage("x")
	if got := recv(t, mine).Value(); got != "x" {
		t.Errorf("through the forwarded port: %v", got)
	}
}

// TestPostMessageErrors: transfer list mistakes are DataCloneErrors.
func TestPostMessageErrors(t *testing.T) {
	e := newTestEnv(t, Options{})
	e.register("/serviceworker.js", "", echoWorker)
	p := e.mustConnect(echoURL, nil)
	a, _ := NewChannel()
	if err := p.PostMessage("x", a, a); weberr.NameOf(err) != weberr.DataCloneError {
		t.Errorf("duplicate port: %v", err)
	}
	if err := p.PostMessage("x", p); weberr.NameOf(err) != weberr.DataCloneError {
		t.Errorf("port transferring itself: %v", err)
	}
}

// TestUncloneableKeepsPorts: a message that cannot be cloned fails before
// its ports are transferred, so they stay usable.
func TestUncloneableKeepsPorts(t *testing.T) {
	e := newTestEnv(t, Options{})
	e.register("/serviceworker.js", "", echoWorker)
	p := e.mustConnect(echoURL, nil)
	a, b := NewChannel()
	if err := p.PostMessage(func() {}, a); weberr.NameOf(err) != weberr.DataCloneError {
		t.Fatalf("posting a func: %v", err)
	}
	if err := a.PostMessage("still mine"); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, b).Value(); got != "still mine" {
		t.Errorf("got %v", got)
	}
}

// TestPrimitiveReplies: primitives a worker posts arrive as Go values in
// Data; the ones JSON cannot write as JavaScript does come as records.
func TestPrimitiveReplies(t *testing.T) {
	e := newTestEnv(t, Options{})
	e.register("/sw.js", "", `self.addEventListener('crossoriginconnect', e => e.acceptConnection(true));
self.addEventListener('crossoriginmessage', e => {
  for (const v of ['hello', 1.5, true, null, undefined, -0, NaN, 1n]) e.source.postMessage(v);
});`)
	p := e.mustConnect(echoURL, nil)
	if err := p.PostMessage("go"); err != nil {
		t.Fatal(err)
	}
	for i, want := range []any{"hello", 1.5, true, nil, Undefined{}} {
		if m := recv(t, p); m.Data != want {
			t.Errorf("reply %d: Data %#v; want %#v", i, m.Data, want)
		}
	}
	for i, want := range []string{"0", "null", ""} {
		m := recv(t, p)
		rec, ok := m.Data.(*Record)
		if !ok {
			t.Fatalf("special reply %d: %T, not a *Record", i, m.Data)
		}
		b, err := json.Marshal(rec)
		if want == "" {
			if err == nil {
				t.Errorf("BigInt marshalled to %s", b)
			}
			continue
		}
		if string(b) != want {
			t.Errorf("special reply %d as JSON: %s; want %s", i, b, want)
		}
	}
}

// TestMessageValueOfJSON: JSON posted as json.RawMessage (the CLI's and
// the bridge's form) reads back as the Go values JSON.parse's would
// export to; JSON that is not valid is returned as posted.
func TestMessageValueOfJSON(t *testing.T) {
	for _, tc := range []struct {
		data any
		want any
	}{
		{json.RawMessage(`{"b":1,"a":[true,null,"x"]}`), map[string]any{"a": []any{true, nil, "x"}, "b": 1.0}},
		{json.RawMessage(`"s"`), "s"},
		{json.RawMessage(`{"a":`), json.RawMessage(`{"a":`)},
		{"plain", "plain"},
	} {
		if got := (Message{Data: tc.data}).Value(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Value of %#v = %#v, want %#v", tc.data, got, tc.want)
		}
	}
}

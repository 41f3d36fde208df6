package worker

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/swhost/swhost/internal/cputime"
	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/message"
)

// valueOf returns a message's value as Go values.
func valueOf(m Message) any { return m.Value() }

// recvT returns the next message on p, failing the test after 10 s.
func recvT(t testing.TB, p *message.Port) Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := p.Recv(ctx)
	if err != nil {
		t.Fatalf("Recv: %v", err)
	}
	return m
}

// waitClosed waits until p's channel closes, reading what arrives first.
func waitClosed(t testing.TB, p *message.Port) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		_, err := p.Recv(ctx)
		if err == message.ErrClosed {
			return
		}
		if err != nil {
			t.Fatalf("waiting for the close: %v", err)
		}
	}
}

// TestBatchRunsMicrotasksBetweenMessages: messages dispatched in one loop
// task still see the microtasks of the previous message run first.
func TestBatchRunsMicrotasksBetweenMessages(t *testing.T) {
	var mu sync.Mutex
	var got []Message
	w := newTestWorker(t, `
const log = [];
oncrossoriginmessage = (e) => {
  log.push('message ' + e.data);
  Promise.resolve().then(() => log.push('microtask ' + e.data)).then(() => log.push('then ' + e.data));
  if (e.data === 3) Promise.resolve().then(() => Promise.resolve()).then(() => e.source.postMessage(log.join(', ')));
};`, Options{Hooks: Hooks{CrossOriginPostMessage: func(_ string, m Message) error {
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
		return nil
	}}})
	msgs := []Message{{Data: 1.0}, {Data: 2.0}, {Data: 3.0}}
	n, err := w.DispatchCrossOriginMessages(ctxT(t), CrossOriginClient{ID: "c"}, msgs)
	if err != nil || n != 3 {
		t.Fatalf("dispatched %d: %v", n, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 {
		t.Fatalf("got %d replies", len(got))
	}
	want := "message 1, microtask 1, then 1, message 2, microtask 2, then 2, message 3, microtask 3, then 3"
	if s := valueOf(got[0]); s != want {
		t.Errorf("order:\n%v\nwant\n%v", s, want)
	}
}

// TestDispatchMessagePorts: a handle sent with a message event becomes a
// MessagePort in event.ports; the worker answers on it and closing it
// closes the Go end; a port the worker makes comes out as a handle.
func TestDispatchMessagePorts(t *testing.T) {
	var mu sync.Mutex
	var out []Message
	w := newTestWorker(t, `
addEventListener('message', (e) => {
  const p = e.ports[0];
  if (e.data === 'answer') {
    p.onmessage = (m) => {
      if (m.data === 'bye') { p.close(); return; }
      p.postMessage({ echo: m.data, map: new Map([['k', 1]]) });
    };
  } else if (e.data === 'make') {
    const ch = new MessageChannel();
    ch.port1.onmessage = (m) => ch.port1.postMessage('made:' + m.data);
    e.ports[0].postMessage('take', [ch.port2]);
  }
});
oncrossoriginmessage = (e) => e.source.postMessage('ports ' + e.ports.length, e.ports);`, Options{Hooks: Hooks{CrossOriginPostMessage: func(_ string, m Message) error {
		mu.Lock()
		out = append(out, m)
		mu.Unlock()
		return nil
	}}})
	mine, theirs := message.NewChannel()
	if err := w.DispatchMessage(ctxT(t), Message{Data: "answer", Ports: []*message.Port{theirs}}, "https://app.test"); err != nil {
		t.Fatal(err)
	}
	mine.PostMessage("ping")
	reply, _ := valueOf(recvT(t, mine)).(map[string]any)
	if reply["echo"] != "ping" || len(reply["map"].(structuredclone.Map)) != 1 {
		t.Errorf("reply %#v", reply)
	}
	mine.PostMessage("bye")
	waitClosed(t, mine)

	// A port made in the worker, handed out through a Go port.
	mine2, theirs2 := message.NewChannel()
	if err := w.DispatchMessage(ctxT(t), Message{Data: "make", Ports: []*message.Port{theirs2}}, ""); err != nil {
		t.Fatal(err)
	}
	m2 := recvT(t, mine2)
	if len(m2.Ports) != 1 {
		t.Fatalf("got %d ports", len(m2.Ports))
	}
	made := m2.Ports[0]
	made.PostMessage("x")
	if v := valueOf(recvT(t, made)); v != "made:x" {
		t.Errorf("made port replied %v", v)
	}

	// Ports through crossoriginmessage come back with the reply.
	h1, h2 := message.NewChannel()
	if err := w.DispatchCrossOriginMessage(ctxT(t), CrossOriginClient{ID: "c"}, Message{Data: "x", Ports: []*message.Port{h2}}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(out) != 1 || valueOf(out[0]) != "ports 1" || len(out[0].Ports) != 1 {
		t.Fatalf("crossoriginmessage reply: %+v", out)
	}
	back := out[0].Ports[0]
	mu.Unlock()
	back.PostMessage("through")
	if v := valueOf(recvT(t, h1)); v != "through" {
		t.Errorf("through the returned port: %v", v)
	}
}

// TestPortsCloseWhenWorkerStops: a stopped worker's MessagePorts are gone,
// so the Go ends entangled with them close.
func TestPortsCloseWhenWorkerStops(t *testing.T) {
	w := newTestWorker(t, `addEventListener('message', (e) => { self.kept = e.ports[0]; });`, Options{})
	mine, theirs := message.NewChannel()
	if err := w.DispatchMessage(ctxT(t), Message{Data: 1.0, Ports: []*message.Port{theirs}}, ""); err != nil {
		t.Fatal(err)
	}
	w.Stop()
	waitClosed(t, mine)
}

// TestMessageFromGoFailsToClone: a Go value structured clone refuses
// fails the message event with a DataCloneError.
func TestMessageFromGoFailsToClone(t *testing.T) {
	w := newTestWorker(t, `addEventListener('message', () => {});`, Options{})
	err := w.DispatchMessage(context.Background(), Message{Data: map[string]any{"c": make(chan int)}}, "")
	if err == nil || !strings.Contains(err.Error(), "DataCloneError") {
		t.Errorf("err = %v", err)
	}
}

// BenchmarkCrossOriginMessages dispatches crossoriginmessage in batches
// of 64 (as connect does under load): the per-message cost in the
// worker, without the hand-off to its loop. "engine" is the peer: the
// echo listener on a bare sobek runtime (see crossOriginMessagesEngine).
func BenchmarkCrossOriginMessages(b *testing.B) {
	for _, tc := range []struct{ name, src string }{
		{"noop", `oncrossoriginmessage = (e) => {};`},
		{"echo", `this.addEventListener('crossoriginmessage', function(event) {
  event.source.postMessage(event.data, event.ports);
});`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			w := newTestWorker(b, tc.src, Options{Hooks: Hooks{CrossOriginPostMessage: func(string, Message) error { return nil }}})
			msgs := make([]Message, 64)
			for i := range msgs {
				msgs[i] = Message{Data: "hello"}
			}
			client := CrossOriginClient{ID: "c", Origin: "https://app.test", TargetURL: "https://svc.test/"}
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			cpu0, ok := cputime.Process()
			for i := 0; i < b.N; i += len(msgs) {
				if _, err := w.DispatchCrossOriginMessages(ctx, client, msgs[:min(len(msgs), b.N-i)]); err != nil {
					b.Fatal(err)
				}
			}
			reportCPUPerMsg(b, cpu0, ok)
		})
	}
	b.Run("engine", crossOriginMessagesEngine)
}

// reportCPUPerMsg reports the process CPU time per message (b.N of them)
// since cpu0, when both readings were ok.
func reportCPUPerMsg(b *testing.B, cpu0 time.Duration, ok bool) {
	if cpu1, ok1 := cputime.Process(); ok && ok1 {
		b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/1e3/float64(b.N), "cpu-µs/msg")
	}
}

// TestBatchKeepsTaskBudget: slow listeners end a batch early, so the CPU
// budget of a task still applies to about one message, not to 64.
func TestBatchKeepsTaskBudget(t *testing.T) {
	var mu sync.Mutex
	var got []Message
	w := newTestWorker(t, `
oncrossoriginmessage = (e) => {
  const end = Date.now() + 10;
  while (Date.now() < end) {}
  if (e.data === 19) e.source.postMessage('done');
};`, Options{Limits: Limits{CPUPerTask: 100 * time.Millisecond}, Hooks: Hooks{CrossOriginPostMessage: func(_ string, m Message) error {
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
		return nil
	}}})
	msgs := make([]Message, 20)
	for i := range msgs {
		msgs[i] = Message{Data: float64(i)}
	}
	n, err := w.DispatchCrossOriginMessages(ctxT(t), CrossOriginClient{ID: "c"}, msgs)
	if err != nil || n != 20 {
		t.Fatalf("dispatched %d: %v", n, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 {
		t.Errorf("got %d replies", len(got))
	}
}

// TestCrossOriginMessageEventShape: the event a listener gets, on the
// one-listener fast path and through the generic dispatch (two
// listeners, a once listener, a handleEvent object, a frozen global).
func TestCrossOriginMessageEventShape(t *testing.T) {
	const probe = `
function probe(e, self_) {
  return [e instanceof CrossOriginMessageEvent, e.isTrusted, e.type, e.currentTarget === self, e.target === self,
    e.eventPhase, self_ === self, e.data, e.origin, e.source instanceof CrossOriginServiceWorkerClient,
    Object.isFrozen(e.ports), e.ports.length].join(',');
}
let last;
function after() { return [last.currentTarget === null, last.eventPhase].join(','); }`
	for _, tc := range []struct{ name, setup string }{
		{"one listener", `addEventListener('crossoriginmessage', function (e) { last = e; e.source.postMessage(probe(e, this)); });`},
		{"two listeners", `addEventListener('crossoriginmessage', function (e) { last = e; e.source.postMessage(probe(e, this)); });
addEventListener('crossoriginmessage', function (e) {});`},
		{"once", `addEventListener('crossoriginmessage', function (e) { last = e; e.source.postMessage(probe(e, this)); }, { once: true });`},
		{"handleEvent", `addEventListener('crossoriginmessage', { handleEvent(e) { last = e; e.source.postMessage(probe(e, self)); } });`},
		{"frozen global", `addEventListener('crossoriginmessage', function (e) { last = e; e.source.postMessage(probe(e, this)); }); Object.freeze(self);`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var got []string
			w := newTestWorker(t, probe+tc.setup+`
addEventListener('message', (e) => e.ports[0].postMessage(after()));`, Options{Hooks: Hooks{CrossOriginPostMessage: func(_ string, m Message) error {
				mu.Lock()
				got = append(got, valueOf(m).(string))
				mu.Unlock()
				return nil
			}}})
			c := CrossOriginClient{ID: "c", Origin: "https://app.test", TargetURL: "https://svc.test/x"}
			if err := w.DispatchCrossOriginMessage(ctxT(t), c, Message{Data: "hi"}); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			if len(got) != 1 || got[0] != "true,true,crossoriginmessage,true,true,2,true,hi,https://app.test,true,true,0" {
				t.Errorf("during dispatch: %q", got)
			}
			mu.Unlock()
			mine, theirs := message.NewChannel()
			if err := w.DispatchMessage(ctxT(t), Message{Ports: []*message.Port{theirs}}, ""); err != nil {
				t.Fatal(err)
			}
			if v := valueOf(recvT(t, mine)); v != "true,0" {
				t.Errorf("after dispatch: %v", v)
			}
		})
	}
}

// TestSoleListenerFollowsChanges: the one-listener fast path calls the
// listener the global scope has now, through additions, removals and a
// global scope frozen between them.
func TestSoleListenerFollowsChanges(t *testing.T) {
	var mu sync.Mutex
	var got []string
	w := newTestWorker(t, `
const ls = {};
for (const name of ['a', 'b', 'c', 'd']) ls[name] = function (e) { e.source.postMessage(name); };
addEventListener('message', (e) => {
  const [op, name] = e.data.split(' ');
  if (op === 'add') addEventListener('crossoriginmessage', ls[name]);
  if (op === 'remove') removeEventListener('crossoriginmessage', ls[name]);
  if (op === 'freeze') Object.freeze(self);
});`, Options{Hooks: Hooks{CrossOriginPostMessage: func(_ string, m Message) error {
		mu.Lock()
		got = append(got, valueOf(m).(string))
		mu.Unlock()
		return nil
	}}})
	c := CrossOriginClient{ID: "c", Origin: "https://app.test", TargetURL: "https://svc.test/"}
	for _, step := range []struct {
		ops  []string
		want string
	}{
		{nil, ""},
		{[]string{"add a"}, "a"},
		{[]string{"add b"}, "a,b"},
		{[]string{"remove a"}, "b"},
		{[]string{"remove b"}, ""},
		{[]string{"add c"}, "c"},
		{[]string{"freeze", "remove c", "add d"}, "d"},
		{[]string{"add a"}, "d,a"},
		{[]string{"remove d"}, "a"},
	} {
		for _, op := range step.ops {
			if err := w.DispatchMessage(ctxT(t), Message{Data: op}, ""); err != nil {
				t.Fatal(err)
			}
		}
		mu.Lock()
		got = nil
		mu.Unlock()
		if err := w.DispatchCrossOriginMessage(ctxT(t), c, Message{Data: "ping"}); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		if g := strings.Join(got, ","); g != step.want {
			t.Errorf("after %q: replies %q, want %q", step.ops, g, step.want)
		}
		mu.Unlock()
	}
}

// TestCrossOriginMessageListenerThrows: an exception in the listener is
// reported and returned, on the fast path too, and the next message is
// still dispatched.
func TestCrossOriginMessageListenerThrows(t *testing.T) {
	var mu sync.Mutex
	var got []any
	w := newTestWorker(t, `addEventListener('crossoriginmessage', function (e) {
  if (e.data === 'throw') throw new RangeError('from the listener');
  e.source.postMessage(e.data);
});`, Options{Hooks: Hooks{CrossOriginPostMessage: func(_ string, m Message) error {
		mu.Lock()
		got = append(got, valueOf(m))
		mu.Unlock()
		return nil
	}}})
	n, err := w.DispatchCrossOriginMessages(ctxT(t), CrossOriginClient{ID: "c"}, []Message{{Data: "a"}, {Data: "throw"}, {Data: "b"}})
	if n != 3 || err == nil || !strings.Contains(err.Error(), "RangeError: from the listener") {
		t.Errorf("n=%d err=%v", n, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("replies %v", got)
	}
}

// TestCrossOriginMessageStopCountsOnce pins exactly-once delivery across
// a worker stop: a message whose dispatch began counts as dispatched (its
// listener may have replied: given again to the next instance, the reply
// would be doubled), and a message whose dispatch did not begin does not
// (the caller gives it to the next instance; counted, it would be lost).
// The listener replies first; the Go side of its reply stops the worker
// or interrupts the runtime.
func TestCrossOriginMessageStopCountsOnce(t *testing.T) {
	const src = `addEventListener('crossoriginmessage', function (e) {
  e.source.postMessage(e.data);
  if (e.data === 'spin') for (;;) {}
  e.source.postMessage(e.data + ' done');
});`
	cases := []struct {
		name   string
		budget time.Duration
		stopOn string // the reply on which the hook calls Stop
		msgs   []any
		wantN  int
		want   []any // the replies
		errIs  error
	}{
		// The listener of 'stop' goes on after Stop (within the grace)
		// and finishes; 'b' does not start.
		{name: "stop while a listener runs", budget: time.Minute, stopOn: "stop",
			msgs: []any{"a", "stop", "b"}, wantN: 2, want: []any{"a", "a done", "stop", "stop done"}, errIs: ErrStopped},
		// The listener of 'spin' never returns: the grace ends and it is
		// interrupted; it began, so it counts.
		{name: "stop while a listener spins", budget: time.Minute, stopOn: "spin",
			msgs: []any{"a", "spin", "b"}, wantN: 2, want: []any{"a", "a done", "spin"}, errIs: ErrStopped},
		{name: "CPU budget while a listener spins", budget: 100 * time.Millisecond,
			msgs: []any{"a", "spin", "b"}, wantN: 2, want: []any{"a", "a done", "spin"}, errIs: ErrCPUBudget},
	}
	// Each case runs with the batch's usual time slice and with none (a
	// task a message, as on a loaded machine), where the stop must still
	// end the call.
	split := []struct {
		name  string
		slice time.Duration
	}{{"", maxBatchTime}, {" (a task a message)", 0}}
	for _, sp := range split {
		for _, tc := range cases {
			t.Run(tc.name+sp.name, func(t *testing.T) {
				old := maxBatchTime
				maxBatchTime = sp.slice
				defer func() { maxBatchTime = old }()
				var mu sync.Mutex
				var got []any
				var w *Worker
				opts := Options{Limits: Limits{CPUPerTask: tc.budget}, Hooks: Hooks{CrossOriginPostMessage: func(_ string, m Message) error {
					v := valueOf(m)
					mu.Lock()
					got = append(got, v)
					mu.Unlock()
					if v == tc.stopOn {
						w.Stop() // on the loop: must not block
					}
					return nil
				}}}
				w = newTestWorker(t, src, opts)
				msgs := make([]Message, len(tc.msgs))
				for i, d := range tc.msgs {
					msgs[i] = Message{Data: d}
				}
				n, err := w.DispatchCrossOriginMessages(ctxT(t), CrossOriginClient{ID: "c"}, msgs)
				if n != tc.wantN || !errors.Is(err, tc.errIs) {
					t.Errorf("n=%d err=%v, want %d and %v", n, err, tc.wantN, tc.errIs)
				}
				mu.Lock()
				defer mu.Unlock()
				if !reflect.DeepEqual(got, tc.want) {
					t.Errorf("replies %v, want %v", got, tc.want)
				}
			})
		}
	}

	// The interrupt lands on the first instruction of the first message's
	// dispatch (the client's source object is already made, so that is
	// the first JavaScript the batch runs): nothing began, nothing counts.
	t.Run("interrupted before the dispatch began", func(t *testing.T) {
		var mu sync.Mutex
		var got []any
		w := newTestWorker(t, src, Options{Hooks: Hooks{CrossOriginPostMessage: func(_ string, m Message) error {
			mu.Lock()
			got = append(got, valueOf(m))
			mu.Unlock()
			return nil
		}}})
		client := CrossOriginClient{ID: "c"}
		if err := w.DispatchCrossOriginMessage(ctxT(t), client, Message{Data: "warm"}); err != nil {
			t.Fatal(err)
		}
		in, err := w.running()
		if err != nil {
			t.Fatal(err)
		}
		stop := errors.New("test interrupt")
		in.loop.Submit(func() { in.rt.Interrupt(stop) })
		n, err := w.DispatchCrossOriginMessages(ctxT(t), client, []Message{{Data: "a"}, {Data: "b"}})
		if n != 0 || err == nil {
			t.Errorf("n=%d err=%v, want 0 and an error", n, err)
		}
		mu.Lock()
		defer mu.Unlock()
		if want := []any{"warm", "warm done"}; !reflect.DeepEqual(got, want) {
			t.Errorf("replies %v, want %v", got, want)
		}
	})
}

// TestPortTransferredOutMidBatch: a listener that transfers its port away
// while more messages wait for it hands those messages on, in order.
func TestPortTransferredOutMidBatch(t *testing.T) {
	replies := make(chan Message, 4)
	w := newTestWorker(t, `
oncrossoriginmessage = (e) => {
  const p = e.ports[0], src = e.source;
  p.onmessage = (m) => { p.onmessage = null; src.postMessage('first ' + m.data, [p]); };
};`, Options{Hooks: Hooks{CrossOriginPostMessage: func(_ string, m Message) error {
		select { // the hook must not block; the test wants one reply
		case replies <- m:
		default:
		}
		return nil
	}}})
	mine, theirs := message.NewChannel()
	for i := range 5 {
		mine.PostMessage(float64(i))
	}
	if err := w.DispatchCrossOriginMessage(ctxT(t), CrossOriginClient{ID: "c"}, Message{Data: "take", Ports: []*message.Port{theirs}}); err != nil {
		t.Fatal(err)
	}
	var out []Message
	select {
	case m := <-replies:
		out = append(out, m)
	case <-time.After(10 * time.Second):
		t.Fatal("no reply")
	}
	if v := valueOf(out[0]); v != "first 0" || len(out[0].Ports) != 1 {
		t.Fatalf("reply %v with %d ports", v, len(out[0].Ports))
	}
	// The port that came out is the end the worker held: what was
	// posted to it after message 0 is there, in order.
	for i := range 4 {
		if v := valueOf(recvT(t, out[0].Ports[0])); v != float64(i+1) {
			t.Errorf("message %d: %v", i, v)
		}
	}
}

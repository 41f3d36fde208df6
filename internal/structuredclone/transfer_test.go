package structuredclone

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/grafana/sobek"
	"github.com/swhost/swhost/weberr"
)

func TestTransferArrayBuffer(t *testing.T) {
	srcRT, src := newRuntime(t)
	dstRT, dst := newRuntime(t)
	run(t, srcRT, `var buf = new ArrayBuffer(8); new Uint8Array(buf).set([1,2,3,4,5,6,7,8]);
		var other = new ArrayBuffer(2);
		var msg = {view: new Uint16Array(buf, 2, 2), buf, copy: other};`)
	rec, err := src.Serialize(srcRT.Get("msg"), []sobek.Value{srcRT.Get("buf")}, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Transfers() != 1 {
		t.Errorf("Transfers() = %d, want 1", rec.Transfers())
	}
	// The source buffer is detached; the copied one is not.
	if ok := run(t, srcRT, `buf.byteLength === 0 && msg.view.length === 0 && other.byteLength === 2`); !ok.ToBoolean() {
		t.Error("transferred buffer not detached in the source realm")
	}
	var (
		v           sobek.Value
		transferred []sobek.Value
	)
	var wg sync.WaitGroup
	wg.Go(func() { v, transferred, err = dst.Deserialize(rec, Hooks{}) })
	wg.Wait()
	if err != nil || len(transferred) != 1 {
		t.Fatalf("Deserialize = %v, %d transferred", err, len(transferred))
	}
	dstRT.Set("v", v)
	dstRT.Set("t", transferred[0])
	if ok := run(t, dstRT, `t === v.buf && v.view.buffer === t && new Uint8Array(t).join() === '1,2,3,4,5,6,7,8' &&
		v.view[0] === new DataView(t).getUint16(2, true) && v.copy !== t && v.copy.byteLength === 2`); !ok.ToBoolean() {
		t.Error("transferred buffer not received intact")
	}
	// Transferred objects move once.
	if _, _, err := dst.Deserialize(rec, Hooks{}); weberr.NameOf(err) != weberr.DataCloneError {
		t.Errorf("second Deserialize of a transfer record = %v, want DataCloneError", err)
	}
}

func TestTransferListErrors(t *testing.T) {
	rt, r := newRuntime(t)
	tests := []struct {
		name     string
		value    string
		transfer string // JS array expression
	}{
		{"plain object", `1`, `[{}]`},
		{"primitive", `1`, `[1]`},
		{"duplicate", `1`, `(() => { const b = new ArrayBuffer(1); return [b, b]; })()`},
		{"typed array", `1`, `[new Uint8Array(1)]`},
		{"function in the value", `[function () {}, buf]`, `[buf]`},
	}
	run(t, rt, `var buf = new ArrayBuffer(4)`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list := run(t, rt, tt.transfer).(*sobek.Object)
			var transfer []sobek.Value
			for i := range int(list.Get("length").ToInteger()) {
				transfer = append(transfer, list.Get(fmt.Sprint(i)))
			}
			if _, err := r.Serialize(run(t, rt, tt.value), transfer, Hooks{}); weberr.NameOf(err) != weberr.DataCloneError {
				t.Fatalf("Serialize = %v, want DataCloneError", err)
			}
			// A failed serialization detaches nothing.
			if n := run(t, rt, `buf.byteLength`).ToInteger(); n != 4 {
				t.Errorf("buf.byteLength = %d after a failed transfer", n)
			}
		})
	}
}

// fakePorts is a host with MessagePort-like objects: ports can only be
// transferred, never copied, and a transferred port is detached.
type fakePorts struct {
	mu     sync.Mutex
	ids    map[*sobek.Object]int
	closed map[int]bool
}

type portData struct{ id int }

// blobData is a serializable host value (copied, not transferred).
type blobData struct{ text string }

func newFakePorts() *fakePorts {
	return &fakePorts{ids: map[*sobek.Object]int{}, closed: map[int]bool{}}
}

func (p *fakePorts) newPort(rt *sobek.Runtime, id int) *sobek.Object {
	o := rt.NewObject()
	o.Set("id", id)
	p.mu.Lock()
	p.ids[o] = id
	p.mu.Unlock()
	return o
}

func (p *fakePorts) hooks(blobs map[*sobek.Object]string) Hooks {
	return Hooks{
		SerializeHost: func(obj *sobek.Object) (HostValue, bool, error) {
			p.mu.Lock()
			_, isPort := p.ids[obj]
			p.mu.Unlock()
			if isPort {
				return nil, false, weberr.New(weberr.DataCloneError, "a MessagePort must be in the transfer list")
			}
			if text, ok := blobs[obj]; ok {
				return blobData{text}, true, nil
			}
			return nil, false, nil
		},
		DeserializeHost: func(rt *sobek.Runtime, v HostValue) (sobek.Value, error) {
			b, ok := v.(blobData)
			if !ok {
				return nil, fmt.Errorf("unknown host value %T", v)
			}
			o := rt.NewObject()
			o.Set("blobText", b.text)
			return o, nil
		},
		CanTransfer: func(obj *sobek.Object) error {
			p.mu.Lock()
			defer p.mu.Unlock()
			id, ok := p.ids[obj]
			if !ok {
				return weberr.New(weberr.DataCloneError, "not a MessagePort")
			}
			if p.closed[id] {
				return weberr.New(weberr.DataCloneError, "MessagePort already transferred")
			}
			return nil
		},
		Transfer: func(obj *sobek.Object) (HostValue, error) {
			p.mu.Lock()
			defer p.mu.Unlock()
			id := p.ids[obj]
			p.closed[id] = true
			return portData{id}, nil
		},
		ReceiveTransfer: func(rt *sobek.Runtime, v HostValue) (sobek.Value, error) {
			pd, ok := v.(portData)
			if !ok {
				return nil, errors.New("not a port")
			}
			p.mu.Lock()
			delete(p.closed, pd.id)
			p.mu.Unlock()
			return p.newPort(rt, pd.id), nil
		},
	}
}

func TestHostHooks(t *testing.T) {
	ports := newFakePorts()
	srcRT, src := newRuntime(t)
	dstRT, dst := newRuntime(t)
	p1, p2 := ports.newPort(srcRT, 1), ports.newPort(srcRT, 2)
	blob := srcRT.NewObject()
	hooks := ports.hooks(map[*sobek.Object]string{blob: "hello"})
	srcRT.Set("p1", p1)
	srcRT.Set("p2", p2)
	srcRT.Set("blob", blob)

	// A port outside the transfer list cannot be cloned.
	if _, err := src.Serialize(run(t, srcRT, `({port: p1})`), nil, hooks); weberr.NameOf(err) != weberr.DataCloneError {
		t.Fatalf("port without transfer: %v, want DataCloneError", err)
	}
	// Without hooks, host objects are refused for transfer.
	if _, err := src.Serialize(run(t, srcRT, `1`), []sobek.Value{p1}, Hooks{}); weberr.NameOf(err) != weberr.DataCloneError {
		t.Fatalf("port transfer without hooks: %v, want DataCloneError", err)
	}

	msg := run(t, srcRT, `({ports: [p2, p1], again: p1, blob, blob2: blob})`)
	rec, err := src.Serialize(msg, []sobek.Value{p1, p2}, hooks)
	if err != nil {
		t.Fatal(err)
	}
	if !ports.closed[1] || !ports.closed[2] {
		t.Error("Transfer hook did not run for both ports")
	}
	// A transferred port cannot be transferred again.
	if _, err := src.Serialize(run(t, srcRT, `1`), []sobek.Value{p1}, hooks); weberr.NameOf(err) != weberr.DataCloneError {
		t.Errorf("transferring a detached port: %v, want DataCloneError", err)
	}
	v, transferred, err := dst.Deserialize(rec, hooks)
	if err != nil {
		t.Fatal(err)
	}
	if len(transferred) != 2 {
		t.Fatalf("%d transferred, want 2", len(transferred))
	}
	dstRT.Set("v", v)
	dstRT.Set("t0", transferred[0])
	dstRT.Set("t1", transferred[1])
	// Transferred objects come back in transfer-list order and are the
	// very objects the value refers to; the blob is copied once, shared.
	if ok := run(t, dstRT, `t0.id === 1 && t1.id === 2 && v.ports[0] === t1 && v.ports[1] === t0 && v.again === t0 &&
		v.blob.blobText === 'hello' && v.blob === v.blob2`); !ok.ToBoolean() {
		t.Error("ports or blob not received as expected")
	}
}

func TestHookErrorsPassThrough(t *testing.T) {
	rt, r := newRuntime(t)
	boom := errors.New("boom")
	hooks := Hooks{SerializeHost: func(*sobek.Object) (HostValue, bool, error) { return nil, false, boom }}
	if _, err := r.Serialize(run(t, rt, `({a: {}})`), nil, hooks); !errors.Is(err, boom) {
		t.Errorf("SerializeHost error = %v, want boom", err)
	}
	hooks = Hooks{SerializeHost: func(*sobek.Object) (HostValue, bool, error) { return 1, true, nil }}
	rec, err := r.Serialize(run(t, rt, `({})`), nil, hooks)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Deserialize(rec, Hooks{}); weberr.NameOf(err) != weberr.DataCloneError {
		t.Errorf("host value without DeserializeHost: %v, want DataCloneError", err)
	}
}

// TestConcurrentDeserialize receives one record in four runtimes at once
// (run with -race): a record without transfers is read-only.
func TestConcurrentDeserialize(t *testing.T) {
	srcRT, src := newRuntime(t)
	rec, err := src.Serialize(run(t, srcRT, `({s: 'x\ud800', b: 2n ** 70n, buf: new Uint8Array([1, 2]), m: new Map([[{}, new Date(1)]]), k: {'\udc00': 1}})`), nil, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			rt, r := newRuntime(t)
			for range 20 {
				v, _, err := r.Deserialize(rec, Hooks{})
				if err != nil {
					t.Error(err)
					return
				}
				rt.Set("v", v)
				if ok, err := rt.RunString(`v.s === 'x\ud800' && v.b === 2n ** 70n && (v.buf[0]++, v.buf[0] === 2) && [...v.m.values()][0].getTime() === 1 && v.k['\udc00'] === 1`); err != nil || !ok.ToBoolean() {
					t.Errorf("clone wrong: %v %v", ok, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestClone(t *testing.T) {
	rt, r := newRuntime(t)
	run(t, rt, `var buf = new Uint8Array([7, 8]).buffer; var orig = {buf, view: new Uint8Array(buf), m: new Map([[1, {}]])};`)
	out, err := r.Clone(rt.Get("orig"), []sobek.Value{rt.Get("buf")}, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	rt.Set("c", out)
	if !run(t, rt, `c !== orig && c.view.buffer === c.buf && c.view[1] === 8 && buf.byteLength === 0 && c.m.get(1) !== orig.m.get(1)`).ToBoolean() {
		t.Error("Clone with transfer did not move the buffer or copy the value")
	}
	if _, err := r.Clone(run(t, rt, `({f() {}})`), nil, Hooks{}); weberr.NameOf(err) != weberr.DataCloneError {
		t.Errorf("Clone of a function holder: %v", err)
	}
}

package structuredclone

import (
	"testing"

	"github.com/grafana/sobek"
)

// benchValues are the messages the benchmarks clone.
var benchValues = []struct{ name, src string }{
	{"small", `({type: 'ping', n: 1, data: [1, 2, 3]})`},
	{"ArrayBuffer64K", `new ArrayBuffer(65536)`},
	{"nested", `({id: 'abc-123', user: {name: 'Ada', roles: ['a', 'b']}, items: Array.from({length: 20}, (_, i) => ({i, v: 'x' + i})), when: new Date(0)})`},
}

// BenchmarkSerialize measures Serialize alone.
func BenchmarkSerialize(b *testing.B) {
	for _, bv := range benchValues {
		b.Run(bv.name, func(b *testing.B) {
			rt := sobek.New()
			r, _ := NewRealm(rt)
			v, _ := rt.RunString(bv.src)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Serialize(v, nil, Hooks{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDeserialize measures Deserialize alone, into another runtime.
func BenchmarkDeserialize(b *testing.B) {
	for _, bv := range benchValues {
		b.Run(bv.name, func(b *testing.B) {
			rt := sobek.New()
			r, _ := NewRealm(rt)
			v, _ := rt.RunString(bv.src)
			rec, err := r.Serialize(v, nil, Hooks{})
			if err != nil {
				b.Fatal(err)
			}
			dst, _ := NewRealm(sobek.New())
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := dst.Deserialize(rec, Hooks{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRoundTrip is one message from one runtime to another:
// Serialize then Deserialize.
func BenchmarkRoundTrip(b *testing.B) {
	for _, bv := range benchValues {
		b.Run(bv.name, func(b *testing.B) {
			rt := sobek.New()
			src, _ := NewRealm(rt)
			v, _ := rt.RunString(bv.src)
			dst, _ := NewRealm(sobek.New())
			b.ReportAllocs()
			for b.Loop() {
				rec, err := src.Serialize(v, nil, Hooks{})
				if err != nil {
					b.Fatal(err)
				}
				if _, _, err := dst.Deserialize(rec, Hooks{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTransfer64K transfers a 64 KiB ArrayBuffer (no copy) from one
// runtime to another.
func BenchmarkTransfer64K(b *testing.B) {
	rt := sobek.New()
	src, _ := NewRealm(rt)
	dst, _ := NewRealm(sobek.New())
	data := make([]byte, 65536)
	b.ReportAllocs()
	for b.Loop() {
		buf := rt.ToValue(rt.NewArrayBuffer(data))
		rec, err := src.Serialize(buf, []sobek.Value{buf}, Hooks{})
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := dst.Deserialize(rec, Hooks{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewRealm is the one-time cost per runtime (and the extra cost of
// each package-level Serialize or Deserialize call).
func BenchmarkNewRealm(b *testing.B) {
	rt := sobek.New()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewRealm(rt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewRealmFresh is NewRealm on a new runtime, as a worker pays it
// once at start (sobek initializes built-ins lazily, so the first capture
// also pays for initializing the ones it touches). The runtime's own
// creation is measured separately as BenchmarkNewRuntime.
func BenchmarkNewRealmFresh(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		rt := sobek.New()
		b.StartTimer()
		if _, err := NewRealm(rt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewRuntime is sobek.New, for comparison with NewRealm.
func BenchmarkNewRuntime(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = sobek.New()
	}
}

var sinkBytes []byte

// BenchmarkCopy64K is the floor for cloning a 64 KiB ArrayBuffer: one Go
// allocation and copy of its bytes (structured clone copies on serialize
// and again on deserialize, since a record may be received many times).
func BenchmarkCopy64K(b *testing.B) {
	src := make([]byte, 65536)
	b.ReportAllocs()
	for b.Loop() {
		sinkBytes = append([]byte(nil), src...)
	}
}

package structuredclone

import (
	"bytes"
	"errors"
	"testing"

	"github.com/grafana/sobek"
)

// fuzzHost is the host value of the binary fuzz tests: its bytes.
type fuzzHost []byte

// seedRecords are the records of the values the sources evaluate to.
func seedRecords(f *testing.F, srcs ...string) []*Record {
	rt := sobek.New()
	realm, err := NewRealm(rt)
	if err != nil {
		f.Fatal(err)
	}
	var out []*Record
	for _, src := range srcs {
		v, err := rt.RunString(src)
		if err != nil {
			f.Fatal(err)
		}
		rec, err := realm.Serialize(v, nil, Hooks{})
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, rec)
	}
	return out
}

// FuzzUnmarshalBinary reads arbitrary bytes as a stored record (an
// IndexedDB value as the backend gives it back): it must fail, or give a
// record that deserializes without panicking and writes back bytes that
// read again as the same record.
func FuzzUnmarshalBinary(f *testing.F) {
	for _, rec := range seedRecords(f,
		`({a: [1, "x", null, true], b: new Map([[1, {c: 2}]]), d: new Date(0)})`,
		`(() => { const o = {}; o.self = o; return [o, o, new Set([o]), 10n ** 30n]; })()`,
		`new Uint8Array([1, 2, 3]).subarray(1)`,
		`[new ArrayBuffer(4), /re/g, new String("s"), -0, NaN, "\ud800"]`,
	) {
		b, err := rec.AppendBinary(nil, nil)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	decodeHost := func(b []byte) (HostValue, error) {
		if len(b) > 0 && b[0] == 0xff {
			return nil, errors.New("refused")
		}
		return fuzzHost(append([]byte(nil), b...)), nil
	}
	encodeHost := func(h HostValue) ([]byte, error) { return h.(fuzzHost), nil }
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := UnmarshalBinary(data, decodeHost)
		if err != nil {
			return
		}
		out, err := rec.AppendBinary(nil, encodeHost)
		if err != nil {
			t.Fatalf("AppendBinary of a record read from %x: %v", data, err)
		}
		back, err := UnmarshalBinary(out, decodeHost)
		if err != nil {
			t.Fatalf("the bytes written back (%x) do not read: %v", out, err)
		}
		again, err := back.AppendBinary(nil, encodeHost)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("written back %x, then %x (%v)", out, again, err)
		}
		rt := sobek.New()
		realm, err := NewRealm(rt)
		if err != nil {
			t.Fatal(err)
		}
		_, _, _ = realm.Deserialize(rec, Hooks{}) // an error is fine; a panic is not
	})
}

// FuzzWireUnmarshal reads arbitrary bytes as a record in the wire format
// (a message from another node of a fleet): it must fail, or give a
// record whose wire form reads back as the same bytes and that
// deserializes without panicking.
func FuzzWireUnmarshal(f *testing.F) {
	for _, rec := range seedRecords(f, `({a: [1, "x"], m: new Map([[1, 2]])})`, `(() => { const a = []; a.push(a); return a; })()`, `new Float64Array([1.5])`) {
		b, err := rec.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var rec Record
		if err := rec.UnmarshalBinary(data); err != nil {
			return
		}
		out, err := rec.MarshalBinary()
		if err != nil {
			t.Fatalf("MarshalBinary of a record read from %x: %v", data, err)
		}
		var back Record
		if err := back.UnmarshalBinary(out); err != nil {
			t.Fatalf("the wire form written back (%x) does not read: %v", out, err)
		}
		if again, err := back.MarshalBinary(); err != nil || !bytes.Equal(again, out) {
			t.Fatalf("written back %x, then %x (%v)", out, again, err)
		}
		rt := sobek.New()
		realm, err := NewRealm(rt)
		if err != nil {
			t.Fatal(err)
		}
		_, _, _ = realm.Deserialize(&rec, Hooks{})
	})
}

package indexeddb

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/swhost/swhost/internal/structuredclone"
)

// hasNaN reports whether k holds a NaN number or date, which no valid key
// does (conversion refuses it) but malformed bytes may decode to.
func hasNaN(k Key) bool {
	switch k.Type {
	case KeyNumber, KeyDate:
		return math.IsNaN(k.Num)
	case KeyArray:
		for _, s := range k.Arr {
			if hasNaN(s) {
				return true
			}
		}
	}
	return false
}

// FuzzDecodeKey decodes arbitrary bytes as a stored key (records, index
// entries and cursor positions come back from the backend in this form):
// it must fail or give a key whose encoding decodes to itself, and the
// bytes it consumed must be that encoding when they were canonical.
func FuzzDecodeKey(f *testing.F) {
	for _, k := range orderedKeys {
		f.Add(k.Encode())
	}
	f.Add([]byte{byte(KeyArray), byte(KeyArray), byte(KeyArray), 0, 0, 0})
	f.Add([]byte{byte(KeyString), 0xc0, 0, 0, 0})
	f.Add([]byte{byte(KeyBinary), 1, 1, 1, 2, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		k, rest, err := DecodeKey(b)
		if err != nil {
			return
		}
		if len(rest) > len(b) || !bytes.Equal(rest, b[len(b)-len(rest):]) {
			t.Fatalf("DecodeKey(%x): rest %x is not a suffix", b, rest)
		}
		enc := k.Encode()
		k2, rest2, err := DecodeKey(enc)
		if err != nil || len(rest2) != 0 {
			t.Fatalf("DecodeKey(%x) = %s, whose encoding %x does not decode: %v", b, k, enc, err)
		}
		if again := k2.Encode(); !bytes.Equal(again, enc) {
			t.Fatalf("%s encodes as %x, then %x", k, enc, again)
		}
		if !hasNaN(k) && Compare(k, k2) != 0 {
			t.Fatalf("%s decodes back as %s", k, k2)
		}
	})
}

// FuzzKeyOrder checks the encoding's contract on pairs of decoded keys:
// the bytes of two keys compare as the keys do (the backend's ordered
// scans rely on it).
func FuzzKeyOrder(f *testing.F) {
	for i := 1; i < len(orderedKeys); i++ {
		f.Add(orderedKeys[i-1].Encode(), orderedKeys[i].Encode())
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		ka, _, err := DecodeKey(a)
		if err != nil || hasNaN(ka) {
			return
		}
		kb, _, err := DecodeKey(b)
		if err != nil || hasNaN(kb) {
			return
		}
		if c, e := Compare(ka, kb), bytes.Compare(ka.Encode(), kb.Encode()); c != e {
			t.Fatalf("%s vs %s: Compare %d, encodings %d", ka, kb, c, e)
		}
	})
}

// FuzzKeyPathJSON reads arbitrary bytes as a stored key path (the
// schema's JSON column): it must fail or give a key path that writes
// and reads back as itself, whose validity CheckKeyPath agrees with.
func FuzzKeyPathJSON(f *testing.F) {
	for _, s := range []string{`null`, `""`, `"a.b"`, `["a","b.c"]`, `[]`, `[1]`, `{"a":1}`, `"a..b"`, `"\u0661"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p KeyPath
		if err := json.Unmarshal(b, &p); err != nil {
			return
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		var q KeyPath
		if err := json.Unmarshal(out, &q); err != nil || !q.Equal(p) {
			t.Fatalf("%s -> %s -> %+v (%v), want %+v", b, out, q, err, p)
		}
		if (CheckKeyPath(p) == nil) != p.Valid() {
			t.Fatalf("%s: CheckKeyPath %v, Valid %v", b, CheckKeyPath(p), p.Valid())
		}
		// A valid path evaluates on any value without failing.
		if p.Valid() {
			rec, err := structuredclone.FromGo(map[string]any{"a": map[string]any{"b": 1.0}, "length": "x"})
			if err != nil {
				t.Fatal(err)
			}
			ExtractKey(rec, p)
		}
	})
}

package indexeddb

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/internal/wtf8"
)

// orderedKeys are keys in ascending order, as the standard orders them.
var orderedKeys = []Key{
	Number(math.Inf(-1)),
	Number(-1e300),
	Number(-1),
	Number(-math.SmallestNonzeroFloat64),
	Number(0),
	Number(math.SmallestNonzeroFloat64),
	Number(1),
	Number(1.5),
	Number(1 << 53),
	Number(math.Inf(1)),
	Date(-1),
	Date(0),
	Date(1e12),
	String(""),
	String("\x00"),
	String("\x01"),
	String("A"),
	String("a"),
	String("a\x00"),
	String("ab"),
	String("\u007e"),
	String("\u007f"),
	String("\u0100"),
	String("\u3fff"),
	String("\u40fe"),
	String(wtf8.FromUTF16([]uint16{0xd800})), // a lone surrogate
	String("\U0001F600"),                     // UTF-16 D83D DE00: before U+E000
	String("\ue000"),
	String("\uffff"),
	Binary([]byte{}),
	Binary([]byte{0}),
	Binary([]byte{0, 0}),
	Binary([]byte{0, 1}),
	Binary([]byte{1}),
	Binary([]byte{1, 0}),
	Binary([]byte{2}),
	Binary([]byte{0xff}),
	Binary([]byte{0xff, 0xff}),
	Array(),
	Array(Number(-1)),
	Array(Number(0)),
	Array(Number(0), Number(0)),
	Array(Number(0), String("")),
	Array(String("")),
	Array(Array()),
	Array(Array(Number(1))),
	Array(Array(Array())),
}

func TestKeyOrder(t *testing.T) {
	for i, a := range orderedKeys {
		for j, b := range orderedKeys {
			want := 0
			switch {
			case i < j:
				want = -1
			case i > j:
				want = 1
			}
			if got := Compare(a, b); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", a, b, got, want)
			}
			if got := bytes.Compare(a.Encode(), b.Encode()); got != want {
				t.Errorf("encoded %s vs %s: %d, want %d (%x, %x)", a, b, got, want, a.Encode(), b.Encode())
			}
		}
	}
}

func TestKeyEncodingRoundTrip(t *testing.T) {
	for _, k := range orderedKeys {
		enc := k.Encode()
		got, rest, err := DecodeKey(append(enc, 0xAA))
		if err != nil || len(rest) != 1 || Compare(got, k) != 0 || got.Type != k.Type {
			t.Errorf("DecodeKey(%x) = %s, %x, %v; want %s", enc, got, rest, err, k)
		}
	}
	if Compare(Number(math.Copysign(0, -1)), Number(0)) != 0 || !bytes.Equal(Number(math.Copysign(0, -1)).Encode(), Number(0).Encode()) {
		t.Error("-0 and 0 differ")
	}
	for _, bad := range [][]byte{nil, {9}, {byte(KeyNumber), 1}, {byte(KeyString), 0x80}, {byte(KeyBinary), 1, 9, 0}, {byte(KeyArray)}} {
		if _, _, err := DecodeKey(bad); err == nil {
			t.Errorf("DecodeKey(%x) succeeded", bad)
		}
	}
}

// randomKey returns a random key of nesting depth at most d.
func randomKey(r *rand.Rand, d int) Key {
	switch r.IntN(5) {
	case 0:
		return Number(float64(r.IntN(7)-3) / float64(1+r.IntN(3)))
	case 1:
		return Date(float64(r.IntN(5)))
	case 2:
		u := make([]uint16, r.IntN(4))
		for i := range u {
			u[i] = []uint16{0, 1, 'a', 0x7e, 0x7f, 0x3ffe, 0x407d, 0x407e, 0xd800, 0xdc00, 0xffff}[r.IntN(11)]
		}
		return String(wtf8.FromUTF16(u))
	case 3:
		b := make([]byte, r.IntN(4))
		for i := range b {
			b[i] = []byte{0, 1, 2, 0xff}[r.IntN(4)]
		}
		return Binary(b)
	}
	if d == 0 {
		return Array()
	}
	arr := make([]Key, r.IntN(3))
	for i := range arr {
		arr[i] = randomKey(r, d-1)
	}
	return Array(arr...)
}

func TestKeyEncodingOrderRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		a, b := randomKey(r, 3), randomKey(r, 3)
		if c, e := Compare(a, b), bytes.Compare(a.Encode(), b.Encode()); c != e {
			t.Fatalf("%s vs %s: Compare %d, encoded %d", a, b, c, e)
		}
		// Entries (index key, primary key) sort by the first, then the second.
		p, q := randomKey(r, 1), randomKey(r, 1)
		c := Compare(a, b)
		if c == 0 {
			c = Compare(p, q)
		}
		if e := bytes.Compare(append(a.Encode(), p.Encode()...), append(b.Encode(), q.Encode()...)); e != c {
			t.Fatalf("entries (%s,%s) vs (%s,%s): %d, want %d", a, p, b, q, e, c)
		}
	}
}

func record(t testing.TB, v any) *structuredclone.Record {
	t.Helper()
	rec, err := structuredclone.FromGo(v)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestKeyFromValue(t *testing.T) {
	cases := []struct {
		v    any
		want Key
	}{
		{1.5, Number(1.5)},
		{math.NaN(), Key{}},
		{"s", String("s")},
		{[]byte{1, 2}, Binary([]byte{1, 2})},
		{[]any{1, "a", []any{}}, Array(Number(1), String("a"), Array())},
		{[]any{1, nil}, Key{}},
		{true, Key{}},
		{nil, Key{}},
		{map[string]any{}, Key{}},
		{[]any{map[string]any{}}, Key{}},
	}
	for _, c := range cases {
		got := KeyFromValue(record(t, c.v).Root())
		if got.Type != c.want.Type || (got.Valid() && Compare(got, c.want) != 0) {
			t.Errorf("KeyFromValue(%v) = %s, want %s", c.v, got, c.want)
		}
	}
}

func TestKeyPathValid(t *testing.T) {
	valid := []KeyPath{StringPath(""), StringPath("a"), StringPath("a.b"), StringPath("$x._y"), StringPath("é.ü1"), ArrayPath("a", "b.c"), ArrayPath("")}
	invalid := []KeyPath{{}, StringPath("a."), StringPath(".a"), StringPath("1a"), StringPath("a b"), StringPath("a-b"), ArrayPath(), ArrayPath("a", "1")}
	for _, p := range valid {
		if !p.Valid() {
			t.Errorf("%+v: not valid", p)
		}
	}
	for _, p := range invalid {
		if p.Valid() {
			t.Errorf("%+v: valid", p)
		}
	}
}

func TestExtractAndInject(t *testing.T) {
	v := map[string]any{"a": map[string]any{"b": 3.0, "s": "héllo"}, "arr": []any{1, 2}, "d": []any{}}
	cases := []struct {
		path KeyPath
		ok   bool
		want Key
	}{
		{StringPath("a.b"), true, Number(3)},
		{StringPath("a.s"), true, String("héllo")},
		{StringPath("a.s.length"), true, Number(5)},
		{StringPath("arr.length"), true, Number(2)},
		{StringPath("arr"), true, Array(Number(1), Number(2))},
		{StringPath("a"), true, Key{}}, // found, not a key
		{StringPath("x"), false, Key{}},
		{StringPath("a.b.c"), false, Key{}},
		{ArrayPath("a.b", "arr.length"), true, Array(Number(3), Number(2))},
		{ArrayPath("a.b", "x"), false, Key{}},
	}
	for _, c := range cases {
		k, ok := ExtractKey(record(t, v), c.path)
		if ok != c.ok || k.Type != c.want.Type || (k.Valid() && Compare(k, c.want) != 0) {
			t.Errorf("ExtractKey(%+v) = %s, %v; want %s, %v", c.path, k, ok, c.want, c.ok)
		}
	}
	rec := record(t, map[string]any{"zip": map[string]any{}})
	p := StringPath("foo.bar.baz")
	if !CanInjectKey(rec, p) || !InjectKey(rec, p, 7) {
		t.Fatal("cannot inject")
	}
	if k, ok := ExtractKey(rec, p); !ok || Compare(k, Number(7)) != 0 {
		t.Errorf("after injection: %s, %v", k, ok)
	}
	if CanInjectKey(record(t, 4.0), StringPath("foo")) {
		t.Error("injected into a number")
	}
	if CanInjectKey(record(t, map[string]any{"a": 1.0}), StringPath("a.b")) {
		t.Error("injected below a number")
	}
	if !CanInjectKey(record(t, []any{10}), StringPath("foo")) {
		t.Error("an Array cannot take a key (the standard's check allows it)")
	}
}

func TestMultiEntryKey(t *testing.T) {
	rec := record(t, map[string]any{"tags": []any{"a", "b", "a", map[string]any{}, []any{1}}})
	k, ok := indexKey(rec, StringPath("tags"), true)
	if !ok || Compare(k, Array(String("a"), String("b"), Array(Number(1)))) != 0 {
		t.Errorf("multiEntry key = %s, %v", k, ok)
	}
}

func TestRange(t *testing.T) {
	one, two := Number(1), Number(2)
	if _, err := NewRange(&two, &one, false, false); err == nil {
		t.Error("lower > upper accepted")
	}
	if _, err := NewRange(&one, &one, true, false); err == nil {
		t.Error("an empty range accepted")
	}
	r, _ := NewRange(&one, &two, true, false)
	for _, c := range []struct {
		k    Key
		want bool
	}{{Number(1), false}, {Number(1.5), true}, {Number(2), true}, {Number(3), false}, {String("1"), false}} {
		if got := r.Includes(c.k); got != c.want {
			t.Errorf("(1, 2].Includes(%s) = %v", c.k, got)
		}
		sp := r.span()
		if got := sp.contains(c.k.Encode()); got != c.want {
			t.Errorf("span of (1, 2] contains %s = %v", c.k, got)
		}
	}
}

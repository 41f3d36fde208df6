package structuredclone

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/grafana/sobek"
	"github.com/swhost/swhost/weberr"
)

// TestMarshalJSONMatchesStringify serializes values in a runtime and
// compares Record.MarshalJSON with the runtime's own JSON.stringify.
func TestMarshalJSONMatchesStringify(t *testing.T) {
	srcs := []string{
		`null`, `true`, `0`, `-0`, `1.5e300`, `1e21`, `1e-7`, `123456789.125`, `NaN`, `-Infinity`,
		`"plain"`, `"quote \" backslash \\ newline \n tab \t nul \u0000 del \u007f é 😀"`, `"<tag>&amp;"`,
		`"lone \ud800 surrogate \udc00!"`,
		`({type: 'ping', n: 1, data: [1, 2, 3]})`,
		`({b: 1, a: [1, , 3, undefined], 2: 'two', 1: 'one', u: undefined, n: null})`,
		`[new Boolean(false), new Number(-2.5), new String('s'), new Date(0), new Date(-1), new Date(NaN)]`,
		`[new Map([[1, 2]]), new Set([1]), /x/g, new Error('e'), new ArrayBuffer(4), new DataView(new ArrayBuffer(2))]`,
		`new Uint8Array([1, 2, 255])`, `new Int16Array([-1, 300])`, `new Float32Array([1.1, -0, NaN])`, `new Float64Array([0.1, 1e21])`,
		`new Uint32Array(new Uint8Array([1,0,0,0,255,255,255,255]).buffer, 4, 1)`,
		`(() => { const s = {x: 1}; return [s, s, {s}]; })()`,
		`(() => { const a = []; a.length = 3; a.extra = 1; return a; })()`,
		`({'\ud800key': 1})`,
	}
	rt, r := newRuntime(t)
	stringify, _ := sobek.AssertFunction(run(t, rt, `JSON.stringify`))
	for _, src := range srcs {
		v := run(t, rt, "("+src+")")
		rec, err := r.Serialize(v, nil, Hooks{})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		got, err := rec.MarshalJSON()
		if err != nil {
			t.Errorf("%s: MarshalJSON: %v", src, err)
			continue
		}
		want, err := stringify(sobek.Undefined(), v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want.String() {
			t.Errorf("%s:\n got %s\nwant %s", src, got, want)
		}
		if !json.Valid(got) {
			t.Errorf("%s: invalid JSON %s", src, got)
		}
	}
}

func TestMarshalJSONErrors(t *testing.T) {
	rt, r := newRuntime(t)
	for _, tt := range []struct{ src, name string }{
		{`10n`, weberr.TypeError},
		{`({a: [1n]})`, weberr.TypeError},
		{`Object(1n)`, weberr.TypeError},
		{`new BigInt64Array(1)`, weberr.TypeError},
		{`(() => { const o = {}; o.o = o; return o; })()`, weberr.TypeError},
		{`(() => { const a = []; a[2**25] = 1; return a; })()`, weberr.RangeError},
	} {
		rec, err := r.Serialize(run(t, rt, tt.src), nil, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rec.MarshalJSON(); weberr.NameOf(err) != tt.name {
			t.Errorf("%s: MarshalJSON error %v, want %s", tt.src, err, tt.name)
		}
	}
	if b, err := (&Record{}).MarshalJSON(); err != nil || string(b) != "null" {
		t.Errorf("undefined root: %s, %v", b, err)
	}
}

// TestFromJSON builds records from JSON text and compares their clones
// with JSON.parse of the same text.
func TestFromJSON(t *testing.T) {
	inputs := []string{
		`null`, `true`, `false`, `0`, `-0`, `-1.5e-300`, `"s\u00e9\n😀"`, `[]`, `{}`,
		`{"type":"ping","n":1,"data":[1,2,3]}`,
		`{"b":1,"a":2,"10":3,"2":4,"01":5,"4294967295":6}`,
		`{"a":1,"b":2,"a":3}`,
		`{"__proto__":{"x":1}}`,
		` [ [ [ ] ] , { "k" : [ null ] } ] `,
	}
	rt, r := newRuntime(t)
	for _, in := range inputs {
		rec, err := FromJSON([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		v, _, err := r.Deserialize(rec, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		rt.Set("v", v)
		rt.Set("input", in)
		if d := run(t, rt, `deepEqual(JSON.parse(input), v)`).String(); d != "" {
			t.Errorf("%s: %s", in, d)
		}
		if b, err := rec.MarshalJSON(); err != nil || string(b) != run(t, rt, `JSON.stringify(JSON.parse(input))`).String() {
			t.Errorf("%s: MarshalJSON = %s, %v", in, b, err)
		}
	}
	for _, bad := range []string{``, `{`, `[1,]`, `{"a" 1}`, `1 2`, `nul`, `"\x"`, `{"a":1}}`} {
		if _, err := FromJSON([]byte(bad)); weberr.NameOf(err) != weberr.SyntaxError {
			t.Errorf("FromJSON(%q) = %v, want SyntaxError", bad, err)
		}
	}
}

// TestISODate covers years sobek's own toISOString formats differently
// from the standard (which wants six digits and a sign outside 0-9999).
func TestISODate(t *testing.T) {
	for _, tt := range []struct {
		ms   float64
		want string
	}{
		{0, "1970-01-01T00:00:00.000Z"},
		{-1, "1969-12-31T23:59:59.999Z"},
		{1234567890123, "2009-02-13T23:31:30.123Z"},
		{-62198755200000, "-000001-01-01T00:00:00.000Z"},
		{-62167219200000, "0000-01-01T00:00:00.000Z"},
		{253402300800000, "+010000-01-01T00:00:00.000Z"},
		{8.64e15, "+275760-09-13T00:00:00.000Z"},
	} {
		if got := isoDate(tt.ms); got != tt.want {
			t.Errorf("isoDate(%v) = %s, want %s", tt.ms, got, tt.want)
		}
	}
}

// TestFromJSONOverflow: numbers beyond float64 become infinities, as
// JSON.parse makes them (sobek's JSON.parse rejects them instead).
func TestFromJSONOverflow(t *testing.T) {
	rec, err := FromJSON([]byte(`[1e400, -1e400]`))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := rec.MarshalJSON(); string(b) != "[null,null]" {
		t.Errorf("MarshalJSON = %s", b)
	}
	rt, r := newRuntime(t)
	v, _, _ := r.Deserialize(rec, Hooks{})
	rt.Set("v", v)
	if !run(t, rt, `v[0] === Infinity && v[1] === -Infinity`).ToBoolean() {
		t.Error("1e400 did not become Infinity")
	}
}

func TestRecordSize(t *testing.T) {
	small, err := FromJSON([]byte(`{"type":"ping","n":1,"data":[1,2,3]}`))
	if err != nil {
		t.Fatal(err)
	}
	big, err := FromJSON([]byte(`{"type":"` + strings.Repeat("x", 100000) + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	if s := small.Size(); s < 30 || s > 1000 {
		t.Errorf("small message Size = %d", s)
	}
	if s := big.Size(); s < 100000 || s > 101000 {
		t.Errorf("100 kB message Size = %d", s)
	}
	rt, r := newRuntime(t)
	rec, _ := r.Serialize(run(t, rt, `new Uint8Array(65536)`), nil, Hooks{})
	if s := rec.Size(); s < 65536 || s > 66000 {
		t.Errorf("64 KiB buffer Size = %d", s)
	}
}

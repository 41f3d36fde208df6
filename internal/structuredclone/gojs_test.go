package structuredclone

import (
	"encoding/json"
	"errors"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/swhost/swhost/weberr"
)

// TestFromGo: Go values become the JavaScript values FromGo documents,
// checked in a runtime, and Export gives back the Go value.
func TestFromGo(t *testing.T) {
	when := time.UnixMilli(1_000_000).UTC()
	type pair struct {
		A int    `json:"a"`
		B string `json:"b,omitempty"`
	}
	for _, tc := range []struct {
		name  string
		in    any
		check string // a JavaScript expression over v that must be true
		back  any    // what Export returns
	}{
		{"nil", nil, "v === null", nil},
		{"undefined", Undefined{}, "v === undefined", Undefined{}},
		{"string", "s", "v === 's'", "s"},
		{"int8", int8(-3), "v === -3", -3.0},
		{"uint64", uint64(1 << 40), "v === 2 ** 40", float64(1 << 40)},
		{"float32", float32(0.5), "v === 0.5", 0.5},
		{"bool", false, "v === false", false},
		{"bigint", big.NewInt(7), "v === 7n", big.NewInt(7)},
		{"time", when, "v instanceof Date && v.getTime() === 1e6", when},
		{"bytes", []byte{1, 2}, "v instanceof ArrayBuffer && new Uint8Array(v).join() === '1,2'", []byte{1, 2}},
		{"regexp", RegExp{Source: "a|b", Flags: "g"}, "v instanceof RegExp && v.source === 'a|b' && v.global", RegExp{Source: "a|b", Flags: "g"}},
		{"map", Map{{"k", 1.0}, {2.0, nil}}, "v instanceof Map && v.get('k') === 1 && v.has(2)", Map{{"k", 1.0}, {2.0, nil}}},
		{"set", Set{"x", "y"}, "v instanceof Set && v.has('y') && v.size === 2", Set{"x", "y"}},
		{"error value", &ErrorValue{Name: "SyntaxError", Message: "m", HasMessage: true}, "v instanceof SyntaxError && v.message === 'm'", &ErrorValue{Name: "SyntaxError", Message: "m", HasMessage: true}},
		{"error", errors.New("e"), "v instanceof Error && v.message === 'e'", &ErrorValue{Name: "Error", Message: "e", HasMessage: true}},
		{"map of any", map[string]any{"z": 1.0, "a": "x", "1": true}, "Object.keys(v).join() === '1,a,z'", map[string]any{"z": 1.0, "a": "x", "1": true}},
		{"slice", []string{"a", "b"}, "Array.isArray(v) && v.join() === 'a,b'", []any{"a", "b"}},
		{"array", [2]int{1, 2}, "v.length === 2 && v[1] === 2", []any{1.0, 2.0}},
		{"pointer", &[]int{5}, "v[0] === 5", []any{5.0}},
		{"nil pointer", (*int)(nil), "v === null", nil},
		{"nil slice", []int(nil), "v === null", nil},
		{"struct", pair{A: 1}, "v.a === 1 && !('b' in v)", map[string]any{"a": 1.0}},
		{"raw JSON", json.RawMessage(`{"b":1,"a":[true]}`), "Object.keys(v).join() === 'b,a' && v.a[0] === true", map[string]any{"b": 1.0, "a": []any{true}}},
		{"nested record", map[string]any{"r": mustJSON(t, `[1,{"x":null}]`)}, "v.r[1].x === null", map[string]any{"r": []any{1.0, map[string]any{"x": nil}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := FromGo(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			rt, r := newRuntime(t)
			v, _, err := r.Deserialize(rec, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			rt.Set("v", v)
			if !run(t, rt, tc.check).ToBoolean() {
				t.Errorf("%s is false", tc.check)
			}
			if got := rec.Export(); !reflect.DeepEqual(got, tc.back) {
				t.Errorf("Export = %#v; want %#v", got, tc.back)
			}
		})
	}
}

func mustJSON(t *testing.T, s string) *Record {
	rec, err := FromJSON([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestFromGoRefuses(t *testing.T) {
	deep := []any{}
	for range MaxDepth + 1 {
		deep = []any{deep}
	}
	for _, v := range []any{make(chan int), func() {}, complex(1, 2), map[int]string{1: "x"}, []any{1, func() {}}, deep} {
		if _, err := FromGo(v); weberr.NameOf(err) != weberr.DataCloneError {
			t.Errorf("FromGo(%T) = %v; want DataCloneError", v, err)
		}
	}
}

// TestExportOfJavaScriptValues: Export of values serialized from a
// runtime (typed arrays, cycles, wrappers, holes).
func TestExportOfJavaScriptValues(t *testing.T) {
	rt, r := newRuntime(t)
	v := run(t, rt, `const o = {n: new Number(2), h: [1, , 3], i16: new Int16Array([1, -1]), d: new Date(NaN)}; o.self = o; o`)
	rec, err := r.Serialize(v, nil, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	m := rec.Export().(map[string]any)
	if m["n"] != 2.0 || !reflect.DeepEqual(m["h"], []any{1.0, nil, 3.0}) || !reflect.DeepEqual(m["i16"], []byte{1, 0, 0xff, 0xff}) || !m["d"].(time.Time).IsZero() {
		t.Errorf("Export = %#v", m)
	}
	if self, ok := m["self"].(map[string]any); !ok || reflect.ValueOf(self).Pointer() != reflect.ValueOf(m).Pointer() {
		t.Errorf("the cycle is not kept: %T", m["self"])
	}
}

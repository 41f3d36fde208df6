package structuredclone

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestInspectJSON serializes values in a runtime and checks the tagged
// JSON InspectJSON makes of them.
func TestInspectJSON(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{`null`, `null`},
		{`true`, `true`},
		{`1.5`, `1.5`},
		{`"<b>x</b>"`, `"<b>x</b>"`},
		{`undefined`, `{"$type":"undefined"}`},
		{`NaN`, `{"$type":"number","value":"NaN"}`},
		{`-Infinity`, `{"$type":"number","value":"-Infinity"}`},
		{`-0`, `{"$type":"number","value":"-0"}`},
		{`12345678901234567890n`, `{"$type":"bigint","value":"12345678901234567890"}`},
		{`new Date(0)`, `{"$type":"Date","value":"1970-01-01T00:00:00.000Z"}`},
		{`new Date(NaN)`, `{"$type":"Date","value":"Invalid Date"}`},
		{`/a+/gi`, `{"$type":"RegExp","source":"a+","flags":"gi"}`},
		{`new TypeError('bad')`, `{"$type":"Error","name":"TypeError","message":"bad"}`},
		{`new Boolean(false)`, `{"$type":"Boolean","value":false}`},
		{`Object(1n)`, `{"$type":"BigInt","value":{"$type":"bigint","value":"1"}}`},
		{`new Map([[1, 'a'], [{k: 1}, undefined]])`, `{"$type":"Map","entries":[[1,"a"],[{"k":1},{"$type":"undefined"}]]}`},
		{`new Set(['x', 2])`, `{"$type":"Set","values":["x",2]}`},
		{`new Uint8Array([1, 2, 255]).buffer`, `{"$type":"ArrayBuffer","byteLength":3,"base64":"AQL/"}`},
		{`new Uint16Array(new Uint8Array([9, 9, 1, 0, 2, 0]).buffer, 2, 2)`, `{"$type":"Uint16Array","byteOffset":2,"length":2,"base64":"AQACAA=="}`},
		{`new DataView(new ArrayBuffer(2))`, `{"$type":"DataView","byteOffset":0,"length":2,"base64":"AAA="}`},
		{`[1, , undefined]`, `[1,{"$type":"hole"},{"$type":"undefined"}]`},
		{`({a: 1, u: undefined, n: null})`, `{"a":1,"u":{"$type":"undefined"},"n":null}`},
		{`({$type: 'Date', value: 'x'})`, `{"$type":"object","value":{"$type":"Date","value":"x"}}`},
		{`(() => { const o = {}; o.self = o; return o; })()`, `{"self":{"$type":"cycle"}}`},
		{`(() => { const s = [1]; return [s, s]; })()`, `[[1],[1]]`},
		{`"lone \ud800"`, `"lone \ud800"`},
	} {
		rt, r := newRuntime(t)
		rec, err := r.Serialize(run(t, rt, "("+tt.src+")"), nil, Hooks{})
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		got, cut := rec.InspectJSON(0)
		if string(got) != tt.want || cut {
			t.Errorf("%s:\n got %s (truncated %v)\nwant %s", tt.src, got, cut, tt.want)
		}
		if !json.Valid(got) {
			t.Errorf("%s: invalid JSON %s", tt.src, got)
		}
	}
}

// TestInspectJSONLimits checks the output cap, the buffer cap and
// described host values.
func TestInspectJSONLimits(t *testing.T) {
	rt, r := newRuntime(t)
	rec, err := r.Serialize(run(t, rt, `(() => { let a = [1]; for (let i = 0; i < 40; i++) a = [a, a]; return a; })()`), nil, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	got, cut := rec.InspectJSON(4096)
	if !cut || len(got) > 8192 || !json.Valid(got) || !strings.Contains(string(got), `"truncated"`) {
		t.Errorf("shared-subtree bomb: %d bytes, truncated %v, valid %v", len(got), cut, json.Valid(got))
	}
	rec, err = r.Serialize(run(t, rt, `new ArrayBuffer(5000)`), nil, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	var buf struct {
		ByteLength int    `json:"byteLength"`
		Base64     string `json:"base64"`
		Truncated  bool   `json:"truncated"`
	}
	got, _ = rec.InspectJSON(0)
	if err := json.Unmarshal(got, &buf); err != nil || buf.ByteLength != 5000 || !buf.Truncated || len(buf.Base64) != (InspectBytes+2)/3*4 {
		t.Errorf("big buffer: %+v %v", buf, err)
	}
	host := &Record{root: objSlot(0), objects: []object{
		{kind: objArray, length: 2, props: []prop{{key: "0", val: objSlot(1)}, {key: "1", val: objSlot(2)}}},
		{kind: objHost, host: describedHost{}},
		{kind: objHost, host: plainHost{}},
	}}
	if got, _ := host.InspectJSON(0); string(got) != `[{"$type":"Blob","size":3,"type":"text/html"},{"$type":"host"}]` {
		t.Errorf("hosts: %s", got)
	}
}

type describedHost struct{}

func (describedHost) DescribeHost() (string, map[string]any) {
	return "Blob", map[string]any{"type": "text/html", "size": 3, "$type": "spoof"}
}

type plainHost struct{}

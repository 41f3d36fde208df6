package structuredclone

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/grafana/sobek"
	"github.com/swhost/swhost/weberr"
)

var harnessSrc = func() string {
	b, err := os.ReadFile("testdata/harness.js")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// newRuntime returns a runtime with the test harness loaded and its Realm.
func newRuntime(t testing.TB) (*sobek.Runtime, *Realm) {
	t.Helper()
	rt := sobek.New()
	r, err := NewRealm(rt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rt.RunString(harnessSrc); err != nil {
		t.Fatal(err)
	}
	return rt, r
}

func run(t testing.TB, rt *sobek.Runtime, src string) sobek.Value {
	t.Helper()
	v, err := rt.RunString(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return v
}

type roundTripCase struct {
	Name  string `json:"name"`
	Src   string `json:"src"`
	Check string `json:"check"`
	// Differs marks values whose clone is, by the standard, not
	// deepEqual to the original (Math becomes a plain object, a custom
	// error name becomes "Error"); only check applies.
	Differs bool `json:"differs"`
}

// TestRoundTrip runs testdata/roundtrip.json: each src is evaluated in one
// runtime, serialized, deserialized in another runtime on another
// goroutine, and check must be true there with the clone bound to v. The
// value is also compared with a fresh copy made in the destination by the
// JS deepEqual of testdata/harness.js.
func TestRoundTrip(t *testing.T) {
	data, err := os.ReadFile("testdata/roundtrip.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []roundTripCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 60 {
		t.Fatalf("only %d cases", len(cases))
	}
	srcRT, src := newRuntime(t)
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			rec, err := src.Serialize(run(t, srcRT, tc.Src), nil, Hooks{})
			if err != nil {
				t.Fatalf("Serialize: %v", err)
			}
			var wg sync.WaitGroup
			wg.Go(func() { // the destination runtime lives on another goroutine
				dstRT, dst := newRuntime(t)
				v, transferred, err := dst.Deserialize(rec, Hooks{})
				if err != nil || len(transferred) != 0 {
					t.Errorf("Deserialize: %v, %d transferred", err, len(transferred))
					return
				}
				dstRT.Set("v", v)
				if !tc.Differs {
					dstRT.Set("w", run(t, dstRT, tc.Src))
					if diff := run(t, dstRT, "deepEqual(w, v)").String(); diff != "" {
						t.Errorf("clone differs from the original: %s", diff)
					}
				}
				if ok, err := dstRT.RunString(tc.Check); err != nil || !ok.ToBoolean() {
					t.Errorf("check %s = %v, %v", tc.Check, ok, err)
				}
			})
			wg.Wait()
		})
	}
}

// TestSameRuntime deserializes into the runtime the value came from: the
// clone is a distinct, equal object.
func TestSameRuntime(t *testing.T) {
	rt, r := newRuntime(t)
	orig := run(t, rt, `({a: [1, {b: new Map([[1, new Set([2])]])}], d: new Date(3)})`)
	rec, err := r.Serialize(orig, nil, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := r.Deserialize(rec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	rt.Set("o", orig)
	rt.Set("v", v)
	if d := run(t, rt, `o === v || o.a === v.a ? "same objects" : deepEqual(o, v)`).String(); d != "" {
		t.Error(d)
	}
	// A record without transfers can be deserialized again.
	if _, _, err := r.Deserialize(rec, Hooks{}); err != nil {
		t.Errorf("second Deserialize: %v", err)
	}
}

func TestPackageFunctions(t *testing.T) {
	rt1, rt2 := sobek.New(), sobek.New()
	v, _ := rt1.RunString(`({x: [1n, 'y']})`)
	rec, err := Serialize(rt1, v, nil, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := Deserialize(rt2, rec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	rt2.Set("v", out)
	if ok, _ := rt2.RunString(`v.x[0] === 1n && v.x[1] === 'y'`); !ok.ToBoolean() {
		t.Error("package-level round trip lost data")
	}
}

func TestDataCloneErrors(t *testing.T) {
	tests := []struct {
		src, what, path string
	}{
		{`(function f() {})`, "a function", ""},
		{`() => 1`, "a function", ""},
		{`(class {})`, "a function", ""},
		{`(async function () {})`, "a function", ""},
		{`Symbol('x')`, "a Symbol", ""},
		{`Object(Symbol('x'))`, "a Symbol object", ""},
		{`({ok: 1, f() {}})`, "a function", ".f"},
		{`[1, [2, Symbol()]]`, "a Symbol", "[1][1]"},
		{`({'a b': {c: () => 1}})`, "a function", `["a b"].c`},
		{`new Map([[1, {g: function () {}}]])`, "a function", "[\"<entry 0>\"].g"},
		{`new WeakMap()`, "a WeakMap", ""},
		{`new WeakSet()`, "a WeakSet", ""},
		{`Promise.resolve(1)`, "a Promise", ""},
		{`new Proxy({}, {})`, "a Proxy", ""},
		{`globalThis`, "the global object", ""},
		{`(function () { return arguments; })()`, "an arguments object", ""},
		{`(function* () {})()`, "a Generator", ""},
		{`[1].values()`, "a Array Iterator", ""},
		{`new Map().entries()`, "a Map Iterator", ""},
		{`new Set().values()`, "a Set Iterator", ""},
		{`'ab'[Symbol.iterator]()`, "a String Iterator", ""},
		{`/a/g[Symbol.matchAll]('a')`, "a RegExp String Iterator", ""},
		{`Object.create(WeakMap.prototype)`, "a WeakMap", ""},
		{`new (class extends WeakMap {})()`, "a WeakMap", ""},
	}
	rt, r := newRuntime(t)
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			rec, err := r.Serialize(run(t, rt, tt.src), nil, Hooks{})
			if rec != nil || weberr.NameOf(err) != weberr.DataCloneError {
				t.Fatalf("Serialize = %v, %v; want a DataCloneError", rec, err)
			}
			var ce *CloneError
			if !errors.As(err, &ce) || ce.What != tt.what || ce.Path() != tt.path {
				t.Fatalf("error %q: what %q path %q, want %q at %q", err, ce.What, ce.Path(), tt.what, tt.path)
			}
			if !strings.Contains(err.Error(), tt.what) || !strings.HasSuffix(err.Error(), "could not be cloned") {
				t.Errorf("message %q", err)
			}
		})
	}
}

func TestDetachedBufferFails(t *testing.T) {
	rt, r := newRuntime(t)
	buf := run(t, rt, `new ArrayBuffer(8)`).(*sobek.Object)
	ab := buf.Export().(sobek.ArrayBuffer)
	ab.Detach()
	if _, err := r.Serialize(buf, nil, Hooks{}); weberr.NameOf(err) != weberr.DataCloneError {
		t.Errorf("detached ArrayBuffer: %v, want DataCloneError", err)
	}
	view := run(t, rt, `new Uint8Array(new ArrayBuffer(4), 1)`).(*sobek.Object)
	vb := view.Get("buffer").(*sobek.Object).Export().(sobek.ArrayBuffer)
	vb.Detach()
	if _, err := r.Serialize(view, nil, Hooks{}); weberr.NameOf(err) != weberr.DataCloneError {
		t.Errorf("view of a detached ArrayBuffer: %v, want DataCloneError", err)
	}
	if _, err := r.Serialize(run(t, rt, `({view: new Uint8Array(new ArrayBuffer(2))})`), []sobek.Value{buf}, Hooks{}); weberr.NameOf(err) != weberr.DataCloneError {
		t.Errorf("detached ArrayBuffer in the transfer list: %v, want DataCloneError", err)
	}
}

func TestScriptExceptionsPassThrough(t *testing.T) {
	rt, r := newRuntime(t)
	v := run(t, rt, `({a: 1, get b() { throw new RangeError('from getter'); }})`)
	_, err := r.Serialize(v, nil, Hooks{})
	var ex *sobek.Exception
	if !errors.As(err, &ex) || !strings.Contains(ex.Error(), "RangeError: from getter") {
		t.Fatalf("Serialize = %v, want the getter's RangeError", err)
	}
	// A getter deleting a later property: that property is skipped.
	v = run(t, rt, `({get a() { delete this.b; return 1; }, b: 2, c: undefined})`)
	rec, err := r.Serialize(v, nil, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	out, _, _ := r.Deserialize(rec, Hooks{})
	rt.Set("v", out)
	if keys := run(t, rt, `Object.keys(v).join()`).String(); keys != "a,c" {
		t.Errorf("keys = %q, want a,c", keys)
	}
}

func TestTooDeep(t *testing.T) {
	rt, r := newRuntime(t)
	v := run(t, rt, `(() => { let o = {}; for (let i = 0; i < 6000; i++) o = [o]; return o; })()`)
	if _, err := r.Serialize(v, nil, Hooks{}); weberr.NameOf(err) != weberr.DataCloneError {
		t.Errorf("6000-deep value: %v, want DataCloneError", err)
	}
	v = run(t, rt, `(() => { let o = {}; for (let i = 0; i < 1000; i++) o = [o]; return o; })()`)
	if _, err := r.Serialize(v, nil, Hooks{}); err != nil {
		t.Errorf("1000-deep value: %v", err)
	}
}

type dyn struct{}

func (dyn) Get(string) sobek.Value       { return sobek.Undefined() }
func (dyn) Set(string, sobek.Value) bool { return false }
func (dyn) Has(string) bool              { return false }
func (dyn) Delete(string) bool           { return false }
func (dyn) Keys() []string               { return nil }

// TestGoValues covers objects sobek makes from Go values: Go maps and
// slices clone as data, other Go values are host objects and are refused.
func TestGoValues(t *testing.T) {
	rt, r := newRuntime(t)
	dst, dr := newRuntime(t)
	for _, tt := range []struct {
		name  string
		v     sobek.Value
		check string // "" when a DataCloneError is expected
	}{
		{"Go map", rt.ToValue(map[string]any{"a": 1}), `v.a === 1`},
		{"Go slice", rt.ToValue([]any{1, "x"}), `Array.isArray(v) && v[1] === 'x'`},
		{"Go struct", rt.ToValue(struct{ A int }{1}), ""},
		{"Go func", rt.ToValue(func() {}), ""},
		{"dynamic object", rt.NewDynamicObject(dyn{}), ""},
	} {
		rec, err := r.Serialize(tt.v, nil, Hooks{})
		if tt.check == "" {
			if weberr.NameOf(err) != weberr.DataCloneError {
				t.Errorf("%s: Serialize = %v, want DataCloneError", tt.name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		v, _, err := dr.Deserialize(rec, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		dst.Set("v", v)
		if !run(t, dst, tt.check).ToBoolean() {
			t.Errorf("%s: check %s failed", tt.name, tt.check)
		}
	}
}

package structuredclone

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/grafana/sobek"
)

var (
	harnessOnce sync.Once
	harnessProg *sobek.Program
)

// fuzzRuntime returns a fresh runtime with the harness, from a program
// compiled once.
func fuzzRuntime(t *testing.T) (*sobek.Runtime, *Realm) {
	harnessOnce.Do(func() { harnessProg = sobek.MustCompile("harness.js", harnessSrc, false) })
	rt := sobek.New()
	r, err := NewRealm(rt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rt.RunProgram(harnessProg); err != nil {
		t.Fatal(err)
	}
	return rt, r
}

// checkClone builds a value with build in two runtimes, clones the first
// runtime's into the second, and requires the clone to deep-equal the
// second runtime's own value.
func checkClone(t *testing.T, build func(rt *sobek.Runtime) (sobek.Value, error)) {
	srcRT, src := fuzzRuntime(t)
	dstRT, dst := fuzzRuntime(t)
	v, err := build(srcRT)
	if err != nil {
		t.Skip() // not a value this input builds
	}
	rec, err := src.Serialize(v, nil, Hooks{})
	if err != nil {
		t.Fatalf("Serialize: %v", err)
	}
	clone, _, err := dst.Deserialize(rec, Hooks{})
	if err != nil {
		t.Fatalf("Deserialize: %v", err)
	}
	want, err := build(dstRT)
	if err != nil {
		t.Fatalf("building the value again: %v", err)
	}
	dstRT.Set("clone", clone)
	dstRT.Set("want", want)
	diff, err := dstRT.RunString("deepEqual(want, clone)")
	if err != nil {
		t.Fatal(err)
	}
	if d := diff.String(); d != "" {
		t.Fatalf("clone differs: %s", d)
	}
	// InspectJSON always writes valid JSON, within its cap.
	if out, _ := rec.InspectJSON(4096); !json.Valid(out) || len(out) > 4096+64*1024 {
		t.Fatalf("InspectJSON wrote %d bytes, valid %v", len(out), json.Valid(out))
	}
	// MarshalJSON agrees with JSON.stringify whenever that succeeds.
	if want, err := dstRT.RunString("JSON.stringify(clone)"); err == nil && !sobek.IsUndefined(want) {
		got, err := rec.MarshalJSON()
		if err != nil || string(got) != want.String() {
			t.Fatalf("MarshalJSON = %s, %v; JSON.stringify = %s", got, err, want)
		}
	}
}

// FuzzRoundTrip clones values built by the harness's gen() from the fuzz
// input: every supported type, holes, -0, NaN, unpaired surrogates, shared
// buffers, shared references and cycles.
func FuzzRoundTrip(f *testing.F) {
	for _, seed := range [][]byte{
		{}, {7, 3, 0, 5, 2, 65}, {6, 4, 1, 3, 1, 2, 17, 0}, {8, 2, 17, 0, 9, 6, 18, 8},
		{13, 9, 0, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 1, 1},
		{7, 3, 0, 5, 3, 2, 3, 4, 14, 12, 1, 3, 2, 15, 2, 16, 4, 1, 5, 2, 4},
		{18, 7, 2, 1, 5, 3, 17, 0, 10, 3, 11, 4, 5},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkClone(t, func(rt *sobek.Runtime) (sobek.Value, error) {
			rt.Set("input", rt.NewArrayBuffer(append([]byte(nil), data...)))
			return rt.RunString("gen(new Uint8Array(input))")
		})
	})
}

// FuzzJSON clones what JSON.parse makes of the input (or the input string
// itself when it is not JSON).
func FuzzJSON(f *testing.F) {
	for _, seed := range []string{`{"a":[1,2,{"b":null}],"c":"\ud800"}`, `[[[]]]`, `"x"`, `{"__proto__":1,"1":2}`, `not json`, `-0`, `1e400`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkClone(t, func(rt *sobek.Runtime) (sobek.Value, error) {
			rt.Set("input", s)
			return rt.RunString(`(() => { try { return JSON.parse(input); } catch (e) { return input; } })()`)
		})
		// FromJSON builds what JSON.parse builds, without a runtime.
		rec, err := FromJSON([]byte(s))
		rt, r := fuzzRuntime(t)
		rt.Set("input", s)
		parsed, perr := rt.RunString(`JSON.parse(input)`)
		if perr != nil || err != nil {
			// Both must reject invalid JSON; sobek's JSON.parse also
			// rejects numbers beyond float64, which FromJSON accepts.
			if err != nil && perr == nil {
				t.Fatalf("FromJSON rejected what JSON.parse accepts: %v", err)
			}
			return
		}
		if strings.Contains(strings.ToLower(s), `\ud`) {
			return // escaped surrogates: encoding/json makes U+FFFD of lone ones
		}
		v, _, err := r.Deserialize(rec, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		rt.Set("v", v)
		rt.Set("want", parsed)
		if d, _ := rt.RunString("deepEqual(want, v)"); d.String() != "" {
			t.Fatalf("FromJSON differs from JSON.parse: %s", d)
		}
	})
}

package worker

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/grafana/sobek"
)

// jsonOracle runs text through the engine's own JSON.parse and returns
// JSON.stringify of the result, or ok false when it throws.
func jsonOracle(t testing.TB, rt *sobek.Runtime, text string) (string, bool) {
	t.Helper()
	var out string
	ok := true
	err := rt.Try(func() {
		json := rt.Get("JSON").ToObject(rt)
		parse, _ := sobek.AssertFunction(json.Get("parse"))
		stringify, _ := sobek.AssertFunction(json.Get("stringify"))
		v, err := parse(sobek.Undefined(), rt.ToValue(text))
		if err != nil {
			ok = false
			return
		}
		s, err := stringify(sobek.Undefined(), v)
		if err != nil {
			t.Fatal(err)
		}
		out = s.String()
	})
	if err != nil {
		return "", false
	}
	return out, ok
}

func nativeJSON(t testing.TB, rt *sobek.Runtime, text string) (string, bool, bool) {
	t.Helper()
	v, err := parseJSON(rt, text)
	if err == errJSONFallback {
		return "", false, true
	}
	if err != nil {
		return "", false, false
	}
	stringify, _ := sobek.AssertFunction(rt.Get("JSON").ToObject(rt).Get("stringify"))
	s, err := stringify(sobek.Undefined(), v)
	if err != nil {
		t.Fatal(err)
	}
	return s.String(), true, false
}

func TestJSONParse(t *testing.T) {
	rt := sobek.New()
	for _, tc := range []struct {
		text, want string // want "" for a SyntaxError
	}{
		{`{"a":1,"b":[true,false,null,"x"],"c":{"d":-1.5e3}}`, `{"a":1,"b":[true,false,null,"x"],"c":{"d":-1500}}`},
		{` [ ] `, `[]`},
		{`{}`, `{}`},
		{`"\u00e9\ud83d\ude00\n\"\\\/"`, `"é😀\n\"\\/"`},
		{`{"a":1,"a":2}`, `{"a":2}`},
		{`{"2":"b","1":"a","x":0}`, `{"1":"a","2":"b","x":0}`},
		{`1e400`, `null`}, // Infinity, which stringify writes as null
		{`-0`, `0`},
		{`0.1`, `0.1`},
		{`[1,]`, ``},
		{`{"a":1,}`, ``},
		{`01`, ``},
		{`1.`, ``},
		{`.1`, ``},
		{`-`, ``},
		{`+1`, ``},
		{`"a`, ``},
		{"\"\t\"", ``},
		{`"\x"`, ``},
		{`"\u12"`, ``},
		{`tru`, ``},
		{`nul`, ``},
		{`{"a" 1}`, ``},
		{`{a:1}`, ``},
		{`[1 2]`, ``},
		{``, ``},
		{` `, ``},
		{`1 2`, ``},
		{`NaN`, ``},
		{`'a'`, ``},
		{strings.Repeat("[", jsonMaxDepth+1) + strings.Repeat("]", jsonMaxDepth+1), ``},
	} {
		got, ok, _ := nativeJSON(t, rt, tc.text)
		if tc.want == "" {
			if ok {
				t.Errorf("JSON.parse(%.40q) = %s, want a SyntaxError", tc.text, got)
			}
			continue
		}
		if !ok || got != tc.want {
			t.Errorf("JSON.parse(%.40q) = %s (%v), want %s", tc.text, got, ok, tc.want)
		}
	}
	// __proto__ is an own data property, not the prototype.
	v, err := parseJSON(rt, `{"__proto__":{"polluted":1}}`)
	if err != nil {
		t.Fatal(err)
	}
	o := v.ToObject(rt)
	if o.Prototype() != rt.Get("Object").ToObject(rt).Get("prototype").ToObject(rt) || o.Get("polluted") != nil {
		t.Error("__proto__ set the prototype")
	}
	if keys := o.Keys(); len(keys) != 1 || keys[0] != "__proto__" {
		t.Errorf("keys %v", keys)
	}
	// A lone surrogate is kept in a value; a name with one is left to the
	// engine.
	v, err = parseJSON(rt, `"a\ud800b"`)
	if err != nil {
		t.Fatal(err)
	}
	if s := v.Export().(string); len([]rune(s)) != 3 {
		t.Errorf("lone surrogate string %q", s)
	}
	if l := v.ToObject(rt).Get("length").ToInteger(); l != 3 {
		t.Errorf("length %d, want 3 (a, the surrogate, b)", l)
	}
	if _, err := parseJSON(rt, `{"\ud800":1}`); err != errJSONFallback {
		t.Errorf("a name with a lone surrogate: %v, want the fallback", err)
	}
}

// FuzzJSONParse is a differential test against the engine's own
// JSON.parse: the same texts parse, to the same values. Known engine
// differences are allowed: it reads a number beyond float64 as an error
// (JSON.parse gives Infinity) and a lone surrogate escape as U+FFFD.
func FuzzJSONParse(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":null}],"c":"d\u0041"}`, `[1e5,-0.5,true]`, `"\ud83d\ude00"`, `{"__proto__":1}`, `[[[]]]`, `1e999`, `"\ud800"`} {
		f.Add(s)
	}
	rt := sobek.New()
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return // JavaScript strings reach Go as valid UTF-8
		}
		want, wantOK := jsonOracle(t, rt, text)
		got, gotOK, fallback := nativeJSON(t, rt, text)
		if fallback {
			return
		}
		if strings.Contains(text, `\u`) && (strings.Contains(strings.ToLower(text), `\ud`)) {
			return // lone surrogates: the engine writes U+FFFD
		}
		if gotOK && !wantOK && strings.ContainsAny(text, "eE") {
			return // a number beyond float64: Infinity here, an error there
		}
		if gotOK != wantOK || got != want {
			t.Fatalf("JSON.parse(%q): native %q (%v), engine %q (%v)", text, got, gotOK, want, wantOK)
		}
	})
}

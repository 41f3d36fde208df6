package jsregexp

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
)

type v8Case struct {
	Src    string      `json:"src"`
	Flags  string      `json:"flags"`
	Inputs []string    `json:"inputs"`
	Valid  bool        `json:"valid"`
	Error  string      `json:"error"`
	Exec   [][]*string `json:"exec"`
}

// TestV8Differential replays testdata/v8.json, recorded from V8 by
// testdata/v8gen: patterns V8 rejects must be rejected; patterns V8 accepts
// must translate (or be reported as unsupported by RE2) and must then find
// the same match and groups as V8's RegExp.prototype.exec.
func TestV8Differential(t *testing.T) {
	var cases []v8Case
	if path := os.Getenv("JSREGEXP_V8_JSON"); path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &cases); err != nil {
			t.Fatal(err)
		}
	} else {
		loadJSON(t, "v8.json", &cases)
	}
	var valid, invalid, unsupported, execs int
	for _, c := range cases {
		re, err := Compile(c.Src, parseFlags(t, c.Flags))
		if !c.Valid {
			invalid++
			if err == nil {
				t.Errorf("/%s/%s: V8 rejects it (%s), Translate gives %q", c.Src, c.Flags, c.Error, re)
			}
			continue
		}
		valid++
		if errors.Is(err, ErrUnsupported) {
			unsupported++
			continue
		}
		if err != nil {
			t.Errorf("/%s/%s: V8 accepts it, Translate: %v", c.Src, c.Flags, err)
			continue
		}
		for i, in := range c.Inputs {
			execs++
			want := c.Exec[i]
			m := re.FindStringSubmatchIndex(in)
			if (m != nil) != (want != nil) {
				t.Errorf("/%s/%s on %q: match %v, V8 %v (RE2 %s)", c.Src, c.Flags, in, m != nil, want != nil, re)
				continue
			}
			if m == nil {
				continue
			}
			for g := range want {
				var got *string
				if m[2*g] >= 0 {
					s := in[m[2*g]:m[2*g+1]]
					got = &s
				}
				if (got == nil) != (want[g] == nil) || got != nil && *got != *want[g] {
					t.Errorf("/%s/%s on %q: group %d = %s, V8 %s (RE2 %s)", c.Src, c.Flags, in, g, show(got), show(want[g]), re)
				}
			}
		}
	}
	t.Logf("V8 oracle: %d valid (%d unsupported by RE2), %d invalid, %d exec comparisons", valid, unsupported, invalid, execs)
}

func show(s *string) string {
	if s == nil {
		return "undefined"
	}
	return "\"" + *s + "\""
}

package jsregexp

import (
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/swhost/swhost/weberr"
)

type translateCase struct {
	Src       string `json:"src"`
	Flags     string `json:"flags"`
	WantRE2   string `json:"want_re2"`
	WantError string `json:"want_error"`
	Kind      string `json:"kind"`
}

func loadJSON(t testing.TB, name string, v any) {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func parseFlags(t testing.TB, s string) Flags {
	t.Helper()
	switch s {
	case "v", "":
		return Flags{}
	case "vi", "iv":
		return Flags{IgnoreCase: true}
	}
	t.Fatalf("unknown flags %q", s)
	return Flags{}
}

// countCaptures counts the capturing groups of an ECMAScript pattern
// independently of the translator: '(' not followed by '?', or followed by
// "?<" and a name, outside classes and escapes.
func countCaptures(src string) int {
	n, depth := 0, 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '[':
			depth++
		case ']':
			if depth > 0 {
				depth--
			}
		case '(':
			if depth > 0 {
				continue
			}
			rest := src[i+1:]
			if !strings.HasPrefix(rest, "?") || strings.HasPrefix(rest, "?<") && !strings.HasPrefix(rest, "?<=") && !strings.HasPrefix(rest, "?<!") {
				n++
			}
		}
	}
	return n
}

func TestTranslateTable(t *testing.T) {
	var cases []translateCase
	loadJSON(t, "translate.json", &cases)
	for _, c := range cases {
		flags := parseFlags(t, c.Flags)
		got, err := Translate(c.Src, flags)
		if c.WantError != "" {
			if err == nil {
				t.Errorf("Translate(%q, %s) = %q, want error containing %q", c.Src, c.Flags, got, c.WantError)
				continue
			}
			if !strings.Contains(err.Error(), c.WantError) {
				t.Errorf("Translate(%q, %s) error %q, want it to contain %q", c.Src, c.Flags, err, c.WantError)
			}
			if weberr.NameOf(err) != weberr.TypeError {
				t.Errorf("Translate(%q) error name %q, want TypeError", c.Src, weberr.NameOf(err))
			}
			want := map[string]error{"syntax": ErrSyntax, "unsupported": ErrUnsupported}[c.Kind]
			if want == nil || !errors.Is(err, want) {
				t.Errorf("Translate(%q) error %v does not wrap the %q kind", c.Src, err, c.Kind)
			}
			continue
		}
		if err != nil {
			t.Errorf("Translate(%q, %s): %v", c.Src, c.Flags, err)
			continue
		}
		if got != c.WantRE2 {
			t.Errorf("Translate(%q, %s) = %q, want %q", c.Src, c.Flags, got, c.WantRE2)
		}
		re, err := regexp.Compile(got)
		if err != nil {
			t.Errorf("regexp.Compile(%q) (from %q): %v", got, c.Src, err)
			continue
		}
		if n := countCaptures(c.Src); re.NumSubexp() != n {
			t.Errorf("%q: %d groups after translation, want %d", c.Src, re.NumSubexp(), n)
		}
	}
	t.Logf("%d translation cases", len(cases))
}

type matchCase struct {
	Src    string    `json:"src"`
	Flags  string    `json:"flags"`
	Input  string    `json:"input"`
	Match  bool      `json:"match"`
	Groups []*string `json:"groups"`
}

// TestMatch compiles each pattern and compares matching with the result
// ECMAScript's RegExp.prototype.exec gives for the same pattern and flags.
func TestMatch(t *testing.T) {
	var cases []matchCase
	loadJSON(t, "match.json", &cases)
	for _, c := range cases {
		re, err := Compile(c.Src, parseFlags(t, c.Flags))
		if err != nil {
			t.Errorf("Compile(%q, %s): %v", c.Src, c.Flags, err)
			continue
		}
		m := re.FindStringSubmatchIndex(c.Input)
		if (m != nil) != c.Match {
			t.Errorf("/%s/%s on %q: match %v, want %v (RE2: %s)", c.Src, c.Flags, c.Input, m != nil, c.Match, re)
			continue
		}
		if m == nil || c.Groups == nil {
			continue
		}
		if len(m)/2-1 != len(c.Groups) {
			t.Errorf("/%s/%s: %d groups, want %d", c.Src, c.Flags, len(m)/2-1, len(c.Groups))
			continue
		}
		for i, want := range c.Groups {
			lo, hi := m[2*i+2], m[2*i+3]
			switch {
			case want == nil && lo >= 0:
				t.Errorf("/%s/%s on %q: group %d = %q, want undefined", c.Src, c.Flags, c.Input, i+1, c.Input[lo:hi])
			case want != nil && lo < 0:
				t.Errorf("/%s/%s on %q: group %d undefined, want %q", c.Src, c.Flags, c.Input, i+1, *want)
			case want != nil && c.Input[lo:hi] != *want:
				t.Errorf("/%s/%s on %q: group %d = %q, want %q", c.Src, c.Flags, c.Input, i+1, c.Input[lo:hi], *want)
			}
		}
	}
	t.Logf("%d match cases", len(cases))
}

func TestErrorShape(t *testing.T) {
	_, err := Translate("ab[cd", Flags{})
	var named weberr.Named
	if !errors.As(err, &named) || named.ExceptionName() != "TypeError" {
		t.Fatalf("error %v does not carry TypeError", err)
	}
	const want = "TypeError: invalid regular expression: unterminated character class at offset 2"
	if err.Error() != want {
		t.Errorf("error text %q, want %q", err, want)
	}
	if _, err := Compile("(?=x)", Flags{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Compile lookahead: %v, want ErrUnsupported", err)
	}
}

func TestInvalidUTF8(t *testing.T) {
	_, err := Translate("ab\xffc", Flags{})
	if err == nil || !strings.Contains(err.Error(), "invalid UTF-8 at offset 2") {
		t.Errorf("invalid UTF-8: %v", err)
	}
}

func TestLimits(t *testing.T) {
	deep := strings.Repeat("(", maxDepth+1) + strings.Repeat(")", maxDepth+1)
	if _, err := Translate(deep, Flags{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("deep nesting: %v", err)
	}
	ok := strings.Repeat("(?:", maxDepth) + "a" + strings.Repeat(")*", maxDepth)
	if _, err := Compile(ok, Flags{}); err != nil {
		t.Errorf("nesting at the limit: %v", err)
	}
	deepClass := strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1)
	if _, err := Translate(deepClass, Flags{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("deep classes: %v", err)
	}
	big := "(?:" + strings.Repeat("a", 300) + "){1000}"
	if _, err := Translate(big, Flags{}); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("large program: %v", err)
	}
	long := strings.Repeat(`\p{L}`, 1000)
	if _, err := Translate(long, Flags{IgnoreCase: true}); err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("long output: %v", err)
	}
}

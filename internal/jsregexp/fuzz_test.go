package jsregexp

import (
	"errors"
	"regexp"
	"testing"

	"github.com/swhost/swhost/weberr"
)

// FuzzTranslate checks that Translate never panics, that every error is a
// TypeError of one of the two kinds, and that every successful translation
// compiles in RE2 with exactly the capturing groups of the source.
func FuzzTranslate(f *testing.F) {
	var cases []translateCase
	loadJSON(f, "translate.json", &cases)
	for _, c := range cases {
		f.Add(c.Src, c.Flags == "vi")
	}
	var matches []matchCase
	loadJSON(f, "match.json", &matches)
	for _, c := range matches {
		f.Add(c.Src, c.Flags == "vi")
	}
	f.Fuzz(func(t *testing.T, src string, ignoreCase bool) {
		out, err := Translate(src, Flags{IgnoreCase: ignoreCase})
		if err != nil {
			if weberr.NameOf(err) != weberr.TypeError {
				t.Fatalf("Translate(%q): error without TypeError: %v", src, err)
			}
			if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("Translate(%q): error of no kind: %v", src, err)
			}
			return
		}
		re, err := regexp.Compile(out)
		if err != nil {
			t.Fatalf("Translate(%q, i=%v) = %q, which RE2 rejects: %v", src, ignoreCase, out, err)
		}
		if want := countCaptures(src); re.NumSubexp() != want {
			t.Fatalf("Translate(%q) = %q: %d groups, want %d", src, out, re.NumSubexp(), want)
		}
		if again, _ := Translate(src, Flags{IgnoreCase: ignoreCase}); again != out {
			t.Fatalf("Translate(%q) is not deterministic: %q then %q", src, out, again)
		}
	})
}

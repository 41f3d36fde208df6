package jsregexp

import (
	"errors"
	"strings"
	"testing"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/weberr"
)

// TestRewritePropertyEscapesOutput checks the rewritten text of patterns
// whose classes are small enough to spell out.
func TestRewritePropertyEscapesOutput(t *testing.T) {
	const hex = `\u{30}-\u{39}\u{41}-\u{46}\u{61}-\u{66}`
	tests := []struct{ src, flags, want string }{
		{`\p{AHex}`, "u", `[` + hex + `]`},
		{`\p{ASCII_Hex_Digit}+`, "gu", `[` + hex + `]+`},
		{`[\p{AHex}_]`, "u", `[` + hex + `_]`},
		{`[^\p{AHex}]`, "u", `[^` + hex + `]`},
		{`\P{ASCII}`, "u", `[\u{80}-\u{10ffff}]`},
		{`[x\P{ASCII}]`, "iu", `[x\u{80}-\u{10ffff}]`},
		{`\p{Any}`, "u", `[\u{0}-\u{10ffff}]`},
		{`\P{Any}`, "u", `[^\u{0}-\u{10ffff}]`},
		{`\p{sc=Hrkt}`, "u", `[^\u{0}-\u{10ffff}]`},
		{`(\p{Join_C})\1`, "u", `([\u{200c}\u{200d}])\1`},
		{`a\p{Pat_WS}b`, "u", `a[\u{9}-\u{d}\u{20}\u{85}\u{200e}\u{200f}\u{2028}\u{2029}]b`},
		{`\p{Regional_Indicator}`, "u", `[\u{1f1e6}-\u{1f1ff}]`},
		{`\p{Emoji_Modifier}`, "u", `[\u{1f3fb}-\u{1f3ff}]`},
		// Unchanged: no u, v, no escape, escaped backslashes.
		{`\p{L}`, "", `\p{L}`},
		{`\p{Foo}`, "gi", `\p{Foo}`},
		{`[\p{L}--a]`, "v", `[\p{L}--a]`},
		{`abc`, "u", `abc`},
		{`\\p{L}`, "u", `\\p{L}`},
		{`[\\]p{L}`, "u", `[\\]p{L}`},
		{`\u{70}{2}`, "u", `\u{70}{2}`},
		{`[\]\p{Join_C}]`, "u", `[\]\u{200c}\u{200d}]`},
		{`[-\p{Join_C}]`, "u", `[-\u{200c}\u{200d}]`},
		{`[\p{Join_C}-]`, "u", `[\u{200c}\u{200d}-]`},
		{`[a-b\p{Join_C}]`, "u", `[a-b\u{200c}\u{200d}]`},
		{`[[\p{Join_C}]`, "u", `[[\u{200c}\u{200d}]`},
	}
	for _, tt := range tests {
		got, err := RewritePropertyEscapes(tt.src, tt.flags)
		if err != nil || got != tt.want {
			t.Errorf("RewritePropertyEscapes(%q, %q) = %q, %v; want %q", tt.src, tt.flags, got, err, tt.want)
		}
	}
}

// TestRewritePropertyEscapesMatch checks the meaning of rewritten
// patterns: each, compiled by Compile (which reads the \u{...} classes as
// ECMAScript does), matches the strings ECMAScript says it matches.
func TestRewritePropertyEscapesMatch(t *testing.T) {
	tests := []struct {
		src, flags string
		yes, no    []string
	}{
		{`\p{L}+`, "u", []string{"Ωa", "abc", "Кириллица", "漢字", "𝒜", "ǅ"}, []string{"1", "!", "😀", "a1"}},
		{`\p{Lu}`, "u", []string{"A", "Ω", "𝒜"}, []string{"a", "1"}},
		{`\P{L}`, "u", []string{"1", "😀", " "}, []string{"a", "𝒜"}},
		{`\p{Letter}`, "u", []string{"Ж"}, []string{"1"}},
		{`\p{gc=Nd}+`, "u", []string{"0٣𝟘"}, []string{"Ⅻ"}},
		{`\p{Script=Greek}+`, "u", []string{"Ωμέγα"}, []string{"a", "Ж"}},
		{`\p{sc=Grek}`, "u", []string{"Ω"}, []string{"W"}},
		{`\p{Script_Extensions=Latin}`, "u", []string{"a", "é"}, []string{"Ω", "1"}},
		{`\p{scx=Deva}`, "u", []string{"क", "।"}, []string{"a"}}, // U+0964 DANDA is Common with scx Deva
		{`\p{sc=Deva}`, "u", []string{"क"}, []string{"।"}},
		{`\p{ID_Start}`, "u", []string{"a", "Ω", "𝒜", "Ⅻ"}, []string{"1", "_", "$", "😀"}},
		{`\p{ID_Continue}+`, "u", []string{"a1_", "é\u0301"}, []string{"-", "$"}},
		{`\p{XID_Start}`, "u", []string{"a"}, []string{"1"}},
		{`\p{Alphabetic}`, "u", []string{"a", "\u0345"}, []string{"1"}},
		{`\p{White_Space}+`, "u", []string{" \t\n\u00a0\u3000"}, []string{"\u200b"}},
		{`\p{Emoji}`, "u", []string{"😀", "#", "1", "©"}, []string{"a"}},
		{`\p{Emoji_Presentation}`, "u", []string{"😀"}, []string{"#", "©"}},
		{`\p{Extended_Pictographic}`, "u", []string{"😀", "©"}, []string{"#"}},
		{`\p{Changes_When_Uppercased}`, "u", []string{"a", "ß"}, []string{"A", "1"}},
		{`[\p{L}\p{N}]+`, "u", []string{"abc123", "Ω٣𝒜"}, []string{"!", "a-b"}},
		{`[^\p{L}]+`, "u", []string{"12 !", "😀"}, []string{"a", "𝒜"}},
		{`[^\P{L}]+`, "u", []string{"abc"}, []string{"1"}},
		{`\p{Lu}`, "iu", []string{"A", "a", "ω"}, []string{"1"}},
		{`\P{Lu}`, "iu", []string{"A", "a", "1"}, nil},
	}
	for _, tt := range tests {
		out, err := RewritePropertyEscapes("^(?:"+tt.src+")$", tt.flags)
		if err != nil {
			t.Errorf("RewritePropertyEscapes(%q): %v", tt.src, err)
			continue
		}
		re, err := Compile(out, Flags{IgnoreCase: strings.Contains(tt.flags, "i")})
		if err != nil {
			t.Errorf("%q rewritten: %v", tt.src, err)
			continue
		}
		for _, s := range tt.yes {
			if !re.MatchString(s) {
				t.Errorf("/%s/%s does not match %q", tt.src, tt.flags, s)
			}
		}
		for _, s := range tt.no {
			if re.MatchString(s) {
				t.Errorf("/%s/%s matches %q", tt.src, tt.flags, s)
			}
		}
	}
}

func TestRewritePropertyEscapesErrors(t *testing.T) {
	tests := []struct {
		src  string
		kind error
	}{
		{`\p{Foo}`, ErrSyntax},
		{`\p{L`, ErrSyntax},
		{`\p`, ErrSyntax},
		{`\pL`, ErrSyntax},
		{`\P{}`, ErrSyntax},
		{`\p{gc=Foo}`, ErrSyntax},
		{`\p{sc=Foo}`, ErrSyntax},
		{`\p{scx=Foo}`, ErrSyntax},
		{`\p{Script=L}`, ErrSyntax},
		{`\p{General_Category}`, ErrSyntax},
		{`\p{lu}`, ErrSyntax},
		{`\p{ Lu}`, ErrSyntax},
		{`\p{letter}`, ErrSyntax},
		{`\p{Block=Basic_Latin}`, ErrSyntax},
		{`\p{ASCII=Y}`, ErrSyntax},
		{`[\p{Foo}]`, ErrSyntax},
		{`[a-\p{L}]`, ErrSyntax},
		{`[\p{L}-z]`, ErrSyntax},
		{`[\p{L}-\p{N}]`, ErrSyntax},
		{`\p{RGI_Emoji}`, ErrUnsupported},
	}
	for _, tt := range tests {
		_, err := RewritePropertyEscapes(tt.src, "u")
		if err == nil || !errors.Is(err, tt.kind) || weberr.NameOf(err) != weberr.SyntaxError {
			t.Errorf("RewritePropertyEscapes(%q) = %v, want a SyntaxError wrapping %v", tt.src, err, tt.kind)
			continue
		}
		if !strings.Contains(err.Error(), "Invalid regular expression: /"+tt.src+"/u: ") {
			t.Errorf("RewritePropertyEscapes(%q): message %q", tt.src, err)
		}
	}
}

// TestRewritePropertyEscapesCache: the classes are computed once.
func TestRewritePropertyEscapesCache(t *testing.T) {
	src := strings.Repeat(`\p{L}\P{L}[\p{Script=Greek}]`, 50)
	if _, err := RewritePropertyEscapes(src, "u"); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(20, func() { _, _ = RewritePropertyEscapes(src, "u") })
	if allocs > 10 {
		t.Errorf("%v allocations per rewrite, want a few", allocs)
	}
}

// sobekCompiles reports whether sobek's RegExp constructor takes src with
// flags.
func sobekCompiles(rt *sobek.Runtime, src, flags string) bool {
	_, err := rt.New(rt.Get("RegExp"), rt.ToValue(src), rt.ToValue(flags))
	return err == nil
}

// FuzzRewritePropertyEscapes checks that the rewriter never panics, that
// its errors are SyntaxErrors of one of the two kinds, that a pattern
// without property escapes comes back as it is, and that the rewritten
// pattern compiles in sobek whenever the original does.
func FuzzRewritePropertyEscapes(f *testing.F) {
	for _, s := range []string{`\p{L}+`, `[\p{L}\p{N}]`, `[^\P{Lu}]`, `\p{sc=Greek}`, `[a-\p{L}]`, `\\p{L}`,
		`(?<n>\p{ID_Start}\p{ID_Continue}*)\k<n>`, `[\]\p{L}-]`, `\p{Foo}`, `\p`, `[\p{Emoji}]{2,3}?`} {
		f.Add(s, "u")
		f.Add(s, "iu")
		f.Add(s, "g")
	}
	rt := sobek.New()
	f.Fuzz(func(t *testing.T, src, flags string) {
		out, err := RewritePropertyEscapes(src, flags)
		if err != nil {
			if weberr.NameOf(err) != weberr.SyntaxError || !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("RewritePropertyEscapes(%q, %q): %v", src, flags, err)
			}
			return
		}
		if !strings.Contains(src, `\p`) && !strings.Contains(src, `\P`) && out != src {
			t.Fatalf("RewritePropertyEscapes(%q, %q) = %q, want it unchanged", src, flags, out)
		}
		if out != src && sobekCompiles(rt, src, flags) && !sobekCompiles(rt, out, flags) {
			t.Fatalf("RewritePropertyEscapes(%q, %q) = %q, which sobek rejects", src, flags, out)
		}
	})
}

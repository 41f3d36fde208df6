package jsregexp

import (
	"testing"
	"unicode"
)

func TestGeneralCategories(t *testing.T) {
	for alias, gc := range gcAliases {
		p, err := lookupProperty(alias)
		if err != nil {
			t.Fatalf("\\p{%s}: %s", alias, err.msg)
		}
		q, err := lookupProperty("gc=" + alias)
		if err != nil || !q.set.equal(p.set) {
			t.Fatalf("\\p{gc=%s} differs from \\p{%s}", alias, alias)
		}
		if p.goName != "" && !p.set.equal(fromTable(unicode.Categories[p.goName])) {
			t.Errorf("%s: set differs from Go's table %s", alias, p.goName)
		}
		if len(p.set) == 0 {
			t.Errorf("%s (%s) is empty", alias, gc)
		}
	}
	// Other (C) includes the unassigned code points; Cased_Letter is Lu|Ll|Lt.
	c, _ := lookupProperty("Other")
	if !c.set.contains(0x0378) || !c.set.contains(0xE000) || c.set.contains('a') {
		t.Error("\\p{Other} is wrong")
	}
	lc, _ := lookupProperty("LC")
	if !lc.set.contains('a') || !lc.set.contains(0x1C5) || lc.set.contains(0x2B0) {
		t.Error("\\p{LC} is wrong")
	}
}

func TestScripts(t *testing.T) {
	for code, long := range scriptCodes {
		if _, ok := unicode.Scripts[long]; !ok && long != "Katakana_Or_Hiragana" && long != "Unknown" {
			t.Errorf("script code %s maps to %s, which Go does not know", code, long)
		}
		a, err1 := lookupProperty("sc=" + code)
		b, err2 := lookupProperty("Script=" + long)
		if err1 != nil || err2 != nil || !a.set.equal(b.set) {
			t.Errorf("sc=%s and Script=%s differ", code, long)
		}
	}
	for long := range unicode.Scripts {
		if _, err := lookupProperty("sc=" + long); err != nil {
			t.Errorf("sc=%s: %s", long, err.msg)
		}
	}
	unknown, _ := lookupProperty("sc=Unknown")
	if unknown.set.contains('a') || !unknown.set.contains(0x0378) {
		t.Error("sc=Unknown is wrong")
	}
}

func TestBinaryProperties(t *testing.T) {
	cases := []struct {
		name    string
		in, out []rune
	}{
		{"Alphabetic", []rune{'a', 'Z', 0x345, 0x2160}, []rune{'1', ' '}},
		{"Lowercase", []rune{'a', 0xAA, 0x2B0}, []rune{'A'}},
		{"Uppercase", []rune{'A', 0x2160}, []rune{'a'}},
		{"Cased", []rune{'a', 'A', 0x1C5}, []rune{'1'}},
		{"Math", []rune{'+', 0x5E}, []rune{'a'}},
		{"ID_Start", []rune{'a', 0x2118}, []rune{'1', '_', 0x2E2F}},
		{"ID_Continue", []rune{'a', '1', '_', 0x300}, []rune{'-', 0x2E2F}},
		{"Grapheme_Extend", []rune{0x300, 0x200C}, []rune{'a'}},
		{"Grapheme_Base", []rune{'a', ' '}, []rune{0x300, '\n'}},
		{"Assigned", []rune{'a'}, []rune{0x378}},
		{"ASCII", []rune{0, 0x7F}, []rune{0x80}},
		{"Any", []rune{0, maxRune}, nil},
		{"White_Space", []rune{' ', 0x85}, []rune{0xFEFF}},
	}
	for _, c := range cases {
		p, err := lookupProperty(c.name)
		if err != nil {
			t.Fatalf("%s: %s", c.name, err.msg)
		}
		for _, r := range c.in {
			if !p.set.contains(r) {
				t.Errorf("%s should contain %U", c.name, r)
			}
		}
		for _, r := range c.out {
			if p.set.contains(r) {
				t.Errorf("%s should not contain %U", c.name, r)
			}
		}
	}
	for alias := range binaryAliases {
		if _, err := lookupProperty(alias); err != nil {
			t.Errorf("%s: %s", alias, err.msg)
		}
	}
	for name := range unsupportedBinary {
		if _, err := lookupProperty(name); err == nil || !err.unsupported {
			t.Errorf("%s should be reported as unsupported", name)
		}
	}
}

func TestGroupNameCharacters(t *testing.T) {
	for _, r := range []rune{'a', '$', '_', 'é', 0x2118} {
		if !isIDStart(r) {
			t.Errorf("%U should start a group name", r)
		}
	}
	for _, r := range []rune{'1', '-', 0x200C} {
		if isIDStart(r) {
			t.Errorf("%U should not start a group name", r)
		}
	}
	for _, r := range []rune{'1', 0x200C, 0x200D, 0x300} {
		if !isIDPart(r) {
			t.Errorf("%U should continue a group name", r)
		}
	}
}

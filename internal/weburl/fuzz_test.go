package weburl

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// checkConsistent verifies that the getters of u reassemble its href and
// that href parses back to itself.
func checkConsistent(t *testing.T, u *URL, what string) {
	t.Helper()
	var b strings.Builder
	b.WriteString(u.Protocol())
	if u.HasHost() {
		b.WriteString("//")
		if u.Username() != "" || u.Password() != "" {
			b.WriteString(u.Username())
			if u.Password() != "" {
				b.WriteString(":" + u.Password())
			}
			b.WriteString("@")
		}
		b.WriteString(u.Host())
	} else if !u.HasOpaquePath() && strings.HasPrefix(u.Pathname(), "//") {
		b.WriteString("/.")
	}
	b.WriteString(u.Pathname())
	if q, ok := u.Query(); ok {
		b.WriteString("?" + q)
	}
	if f, ok := u.Fragment(); ok {
		b.WriteString("#" + f)
	}
	if b.String() != u.Href() {
		t.Fatalf("%s: getters give %q, href is %q", what, b.String(), u.Href())
	}
	if u.Scheme()+":" != u.Protocol() || u.IsSpecial() != IsSpecialScheme(u.Scheme()) {
		t.Fatalf("%s: inconsistent scheme of %q", what, u.Href())
	}
	if p := u.Port(); p != "" && p == DefaultPort(u.Scheme()) {
		t.Fatalf("%s: default port kept in %q", what, u.Href())
	}
	_ = u.Origin()
	_ = u.Search()
	_ = u.Hash()
	re, err := Parse(u.Href())
	if err != nil {
		t.Fatalf("%s: href %q does not parse: %v", what, u.Href(), err)
	}
	if re.Href() != u.Href() {
		t.Fatalf("%s: href %q re-parses to %q", what, u.Href(), re.Href())
	}
	if *re != *u {
		t.Fatalf("%s: href %q re-parses with different offsets: %+v vs %+v", what, u.Href(), *re, *u)
	}
}

func addSeeds(f *testing.F, each func(string)) {
	for _, c := range loadWPT(f) {
		each(c.Input)
	}
	for _, s := range differentialInputs {
		each(s)
	}
	for _, c := range parseCases {
		each(c.input)
	}
	for _, c := range benchInputs {
		each(c.input)
	}
	for _, c := range benchRefs {
		each(c.input)
	}
}

func FuzzParse(f *testing.F) {
	addSeeds(f, func(s string) { f.Add(s) })
	f.Fuzz(func(t *testing.T, input string) {
		u, err := Parse(input)
		for _, fast := range []*URL{parseFast(input), parseMedium(input)} {
			if fast != nil {
				slow, serr := parseSlow(nil, input)
				if serr != nil || *slow != *fast {
					t.Fatalf("fast path %+v differs from general parser %+v (%v)", fast, slow, serr)
				}
			}
		}
		if err != nil {
			if u != nil {
				t.Fatal("URL and error both returned")
			}
			return
		}
		checkConsistent(t, u, "Parse")
	})
}

func FuzzParseRef(f *testing.F) {
	bases := append([]string{benchBase}, differentialBases...)
	i := 0
	addSeeds(f, func(s string) {
		f.Add(bases[i%len(bases)], s)
		i++
	})
	for _, r := range differentialRefs {
		f.Add(bases[i%len(bases)], r)
		i++
	}
	f.Fuzz(func(t *testing.T, baseStr, input string) {
		base, err := Parse(baseStr)
		if err != nil {
			return
		}
		u, err := ParseRef(base, input)
		for _, fast := range []*URL{parseFast(input), parseMedium(input), parseRefFast(base, input), parseRefMedium(base, input)} {
			if fast != nil {
				slow, serr := parseSlow(base, input)
				if serr != nil || *slow != *fast {
					t.Fatalf("fast path %+v differs from general parser %+v (%v)", fast, slow, serr)
				}
			}
		}
		if err != nil {
			return
		}
		checkConsistent(t, u, "ParseRef")
	})
}

var setterNames = []string{"href", "protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash"}

func FuzzSetters(f *testing.F) {
	values := []string{"", "x", "https", "foo", "a:b", "example.com:8080", "[::1]", "8080", "/a/../b", "?q", "#f", " ", "%zz", "ß", "file", "C:"}
	i := 0
	addSeeds(f, func(s string) {
		f.Add(s, uint8(i), values[i%len(values)])
		i++
	})
	f.Fuzz(func(t *testing.T, href string, which uint8, value string) {
		u, err := Parse(href)
		if err != nil {
			return
		}
		name := setterNames[int(which)%len(setterNames)]
		before := u.Href()
		err = setterFor(u, name)(value)
		if err != nil && u.Href() != before {
			t.Fatalf("set %s=%q on %q: error %v but URL changed to %q", name, value, before, err, u.Href())
		}
		checkConsistent(t, u, "set "+name)
	})
}

// FuzzDifferentialNlnwa compares href and failure with nlnwa/whatwg-url.
// Inputs in a category listed in nlnwa_divergences.txt are skipped by
// knownNlnwaDivergence with the reason recorded there.
func FuzzDifferentialNlnwa(f *testing.F) {
	addSeeds(f, func(s string) { f.Add(s) })
	f.Fuzz(func(t *testing.T, input string) {
		ours, ok := ourParse(nil, input)
		theirs, theirOK := nlnwaParse(nil, input)
		if ok == theirOK && ours == theirs {
			return
		}
		if knownNlnwaDivergence(input, ours, theirs) {
			return
		}
		t.Fatalf("%q: ours %q (ok=%v), nlnwa %q (ok=%v)", input, ours, ok, theirs, theirOK)
	})
}

// signedIPv4 reports whether the last label of our host looks like a
// number with a sign ("+0", "0+0", "-0x1"): nlnwa's IPv4 number parser
// accepts signs, so it either makes an IPv4 address of the host or fails.
func signedIPv4(ours, theirs string) bool {
	o, err := Parse(ours)
	if err != nil {
		return false
	}
	h := strings.TrimSuffix(o.Hostname(), ".")
	last := h[strings.LastIndexByte(h, '.')+1:]
	if !strings.ContainsAny(last, "+-") {
		return false
	}
	for i := 0; i < len(last); i++ {
		c := last[i]
		if !isHexDigit(int(c)) && c != 'x' && c != 'X' && c != '+' && c != '-' {
			return false
		}
	}
	return true
}

// std3Host reports whether our URL's host is a domain with ASCII that
// UseSTD3ASCIIRules=true would reject (anything but letters, digits, '-'
// and '.').
func std3Host(ours string) bool {
	o, err := Parse(ours)
	if err != nil || strings.HasPrefix(o.Hostname(), "[") || !o.IsSpecial() {
		return false
	}
	h := o.Hostname()
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' && c != '.' {
			return true
		}
	}
	return false
}

// caretSpace undoes the two encodings added to the standard in 2025.
var caretSpace = strings.NewReplacer("%5E", "^", "%20", " ")

// FuzzDifferentialNlnwaRef compares ParseRef with nlnwa's ParseRef on a
// base and a reference.
func FuzzDifferentialNlnwaRef(f *testing.F) {
	bases := append([]string{benchBase}, differentialBases...)
	i := 0
	addSeeds(f, func(s string) {
		f.Add(bases[i%len(bases)], s)
		i++
	})
	for _, r := range differentialRefs {
		for _, b := range bases {
			f.Add(b, r)
		}
	}
	f.Fuzz(func(t *testing.T, base, input string) {
		if _, ok := ourParse(nil, base); !ok {
			return
		}
		if _, ok := nlnwaParse(nil, base); !ok {
			return
		}
		ours, ok := ourParse(&base, input)
		theirs, theirOK := nlnwaParse(&base, input)
		if ok == theirOK && ours == theirs {
			return
		}
		if knownNlnwaDivergence(base+input, ours, theirs) {
			return
		}
		t.Fatalf("%q against %q: ours %q (ok=%v), nlnwa %q (ok=%v)", input, base, ours, ok, theirs, theirOK)
	})
}

// knownNlnwaDivergence recognises the classes of input on which nlnwa is
// known not to follow the standard (see testdata/nlnwa_divergences.txt).
func knownNlnwaDivergence(input, ours, theirs string) bool {
	switch {
	case strings.Contains(strings.ToLower(input+ours+theirs), "xn--"):
		return true // IDNA: see "class: xn--" and "class: STD3"
	case !utf8.ValidString(input):
		return true // invalid UTF-8: see "class: invalid UTF-8"
	case ours != "" && theirs != "" && caretSpace.Replace(ours) == caretSpace.Replace(theirs):
		return true // see "class: caret" and "class: opaque space"
	case signedIPv4(ours, theirs):
		return true // see "class: signed IPv4 number"
	case theirs == "" && std3Host(ours):
		return true // see "class: STD3"
	}
	return false
}

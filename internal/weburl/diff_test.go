package weburl

import (
	"testing"

	nlnwa "github.com/nlnwa/whatwg-url/url"
)

// parseSlow parses with the general parser only, bypassing the fast paths.
func parseSlow(base *URL, input string) (*URL, error) {
	var br *record
	if base != nil {
		br = base.record()
	}
	return parseURL(input, br)
}

// nlnwaParse parses input (against base when non-empty) with nlnwa.
func nlnwaParse(base *string, input string) (href string, ok bool) {
	defer func() {
		if recover() != nil {
			href, ok = "<panic>", false
		}
	}()
	var u *nlnwa.Url
	var err error
	if base != nil {
		u, err = nlnwa.ParseRef(*base, input)
	} else {
		u, err = nlnwa.Parse(input)
	}
	if err != nil {
		return "", false
	}
	return u.Href(false), true
}

// diffResult describes our result for a differential comparison.
func ourParse(base *string, input string) (href string, ok bool) {
	var b *URL
	if base != nil {
		var err error
		b, err = Parse(*base)
		if err != nil {
			return "", false
		}
	}
	u, err := ParseRef(b, input)
	if err != nil {
		return "", false
	}
	return u.Href(), true
}

// differentialInputs are inputs beyond the WPT data for the comparison
// against nlnwa.
var differentialInputs = []string{
	"https://example.com/books/7?x=1#f",
	"HTTPS://EXAMPLE.COM:443/A/./B/../C?Q#F",
	"http://user:pa:ss@host/",
	"http://@host/", "http://:@host/", "http://a@b@host/",
	"http://host:/", "http://host:0/", "http://host:00080/", "http://host:65536/",
	"http://0x7f.0.0.1/", "http://0177.0.0.1/", "http://127.1/", "http://4294967295/", "http://4294967296/",
	"http://1.2.3.4.5/", "http://1.2.3.09/", "http://foo.0x/", "http://foo.09/", "http://foo.1.2.3.4/",
	"ftp://0+0/", "http://1.+2/",
	"http://[::]/", "http://[::1:2]/", "http://[1:2:3:4:5:6:7:8]/", "http://[::ffff:1.2.3.4]/", "http://[1::2::3]/",
	"http://[0:0:0:0:0:0:13.1.68.3]/", "http://[::127.0.0.1.]/",
	"foo://[::1]/", "foo://host:99/", "foo://ho%20st/", "foo://ho st/", "foo://h^st/",
	"file:///C:/a/../../b", "file:c:\\x\\..\\y", "file://localhost/x", "file://LOCALHOST/x", "file://host/C:/x",
	"file:///x?q#f", "file:..", "file:/C|/x",
	"data:text/plain,hello world", "mailto:a@b.c", "javascript:alert(1)", "blob:https://a.example/uuid",
	"about:blank", "sc:\\../", "sc://ñ.test/", "non-special:/.//p", "web+demo:/.//not-a-host/",
	"https://ex%41mple.com/", "https://xn--n3h.com/", "https://XN--N3H.com/", "https://ß.example/", "https://faß.de/",
	"https://☃.example/", "https://a\u200db.example/", "https://\u0627\u0031.example/", "https://xn--.example/",
	"https://%E2%98%83.example/", "https://%ef%bc%85/", "https://a..b/", "https://.a/", "https://a./",
	"http://example.com/%2e/x", "http://example.com/%2E%2e/x", "http://example.com/.%2E", "http://example.com/a/..",
	"http://example.com\\a\\b", "\t https://example.com/\n ", "https://exa\tmple.com/", "https://example.com/ä?ä#ä",
	"https://example.com/'\"<>`{}?'\"<>`{}#'\"<>`{}", "foo://x/'\"<>?'\"<>#'\"<>",
	"https://example.com/?a=1&b=%zz", "https://example.com#", "https://example.com?", "https://example.com/#?",
	"", "   ", "https:", "https://", "https:///x", "https:x", "//x", "x", "?x", "#x",
}

var differentialRefs = []string{
	"", "/", "//other/x", "\\\\other\\x", "?q", "#f", "x", "./x", "../x", "../../../../x", "/a/b/../c",
	"https:rel", "http:rel", "mailto:x", "C:/x", "//", "///x", "?", "#", ".", "..", "%2e%2e/x",
}

var differentialBases = []string{
	"https://example.com/app/index.html?v=1#top",
	"http://user:pw@example.com:8080/a/b/c",
	"file:///C:/dir/file.txt",
	"file://host/share/x",
	"foo://host/p/q",
	"foo:/p/q",
	"mailto:x@y",
	"sc://h",
}

// TestDifferentialNlnwa compares href (and failure) with
// github.com/nlnwa/whatwg-url on the WPT inputs and our own tables. Known
// divergences, where nlnwa does not follow the standard, are listed with
// their reason in testdata/nlnwa_divergences.txt.
func TestDifferentialNlnwa(t *testing.T) {
	known := loadExpectedFailures(t, "nlnwa_divergences.txt")
	type input struct {
		base  *string
		input string
	}
	var inputs []input
	for _, c := range loadWPT(t) {
		inputs = append(inputs, input{c.Base, c.Input})
	}
	for _, s := range differentialInputs {
		inputs = append(inputs, input{nil, s})
	}
	for i := range differentialBases {
		for _, r := range append(differentialRefs, differentialInputs...) {
			inputs = append(inputs, input{&differentialBases[i], r})
		}
	}
	same, diverged := 0, 0
	seen := map[string]bool{}
	for _, in := range inputs {
		key := in.input
		if in.base != nil {
			key += " @ " + *in.base
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		reason, listed := known[key]
		if !listed && in.base != nil {
			reason, listed = known[in.input+" @ *"]
		}
		ours, ok := ourParse(in.base, in.input)
		theirs, theirOK := nlnwaParse(in.base, in.input)
		if ok == theirOK && ours == theirs {
			same++
			if listed {
				t.Errorf("%s: agrees with nlnwa but is listed in nlnwa_divergences.txt", quote(key))
			}
			continue
		}
		diverged++
		if listed {
			t.Logf("known divergence %s: ours %s (%v), nlnwa %s (%v): %s", quote(key), quote(ours), ok, quote(theirs), theirOK, reason)
			continue
		}
		t.Errorf("%s: ours %s (ok=%v), nlnwa %s (ok=%v)", quote(key), quote(ours), ok, quote(theirs), theirOK)
	}
	t.Logf("differential: %d inputs agree with nlnwa, %d known divergences", same, diverged)
}

// TestFastPathMatchesGeneral checks that the fast paths produce exactly the
// URL (href and every offset) that the general parser produces.
func TestFastPathMatchesGeneral(t *testing.T) {
	check := func(base *URL, input string) {
		t.Helper()
		var fast, medium *URL
		if base == nil {
			fast, medium = parseFast(input), parseMedium(input)
		} else {
			fast, medium = parseRefFast(base, input), parseRefMedium(base, input)
			if fast == nil {
				fast = parseFast(input)
			}
			if m := parseMedium(input); m != nil {
				if slow, err := parseSlow(base, input); err != nil || *slow != *m {
					t.Errorf("%q against %q: medium %+v, general %+v (%v)", input, base.Href(), *m, slow, err)
				}
			}
		}
		if fast == nil {
			fast = medium
		} else if medium != nil && *medium != *fast {
			t.Errorf("%q: fast %+v, medium %+v", input, *fast, *medium)
		}
		if fast == nil {
			return
		}
		slow, err := parseSlow(base, input)
		if err != nil {
			t.Errorf("fast path accepted %q, general parser: %v", input, err)
			return
		}
		if *fast != *slow {
			t.Errorf("%q: fast %+v, general %+v", input, *fast, *slow)
		}
	}
	for _, c := range loadWPT(t) {
		check(nil, c.Input)
	}
	for _, in := range benchInputs {
		check(nil, in.input)
	}
	for _, s := range differentialInputs {
		check(nil, s)
	}
	for _, b := range append(differentialBases, benchBase) {
		base, err := Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range differentialRefs {
			check(base, r)
		}
		for _, r := range benchRefs {
			check(base, r.input)
		}
	}
}

package weburl

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/swhost/swhost/weberr"
)

// parseCases cover each parser state and the tricky classes of input. The
// expected values follow the URL Standard as of 2025 (including the '^'
// path encoding and the opaque-path space rule); WPT's own data is run by
// TestWPTURLTestData.
var parseCases = []struct {
	class string
	base  string // "" for none
	input string
	href  string // "" for failure
}{
	// scheme start, scheme, special authority slashes
	{"scheme", "", "HTTPS://example.com/", "https://example.com/"},
	{"scheme", "", "a+b-c.d://h/", "a+b-c.d://h/"},
	{"scheme", "", "1http://example.com/", ""},
	{"scheme", "", "https:example.com", "https://example.com/"},
	{"scheme", "", "https:/example.com", "https://example.com/"},
	{"scheme", "", "https:\\\\example.com\\x", "https://example.com/x"},
	{"scheme", "", "https:////example.com///", "https://example.com///"},
	{"scheme", "", "https:", ""},
	{"scheme", "", "https://", ""},
	// leading/trailing C0 and space, tab and newline
	{"whitespace", "", " \x00\x1f https://example.com/ \x01", "https://example.com/"},
	{"whitespace", "", "ht\ttp://exa\nmple.com/a\rb", "http://example.com/ab"},
	{"whitespace", "", "https://example.com/a b", "https://example.com/a%20b"},
	// special vs non-special
	{"non-special", "", "foo://Host/P?Q#F", "foo://Host/P?Q#F"},
	{"non-special", "", "foo://h/a\\b", "foo://h/a\\b"},
	{"non-special", "", "foo:/a/../b", "foo:/b"},
	{"non-special", "", "foo://", "foo://"},
	{"non-special", "", "foo:///x", "foo:///x"},
	{"non-special", "", "foo:/.//x", "foo:/.//x"},
	{"non-special", "", "foo:/..//x", "foo:/.//x"},
	{"non-special", "", "foo://h/?'", "foo://h/?'"},
	{"special-query", "", "https://h/?'", "https://h/?%27"},
	// credentials
	{"credentials", "", "https://user:pass@h/", "https://user:pass@h/"},
	{"credentials", "", "https://user@h/", "https://user@h/"},
	{"credentials", "", "https://:pass@h/", "https://:pass@h/"},
	{"credentials", "", "https://:@h/", "https://h/"},
	{"credentials", "", "https://a@b@h/", "https://a%40b@h/"},
	{"credentials", "", "https://a:b:c@h/", "https://a:b%3Ac@h/"},
	{"credentials", "", "https://ü ;@h/", "https://%C3%BC%20%3B@h/"},
	{"credentials", "", "https://u@/", ""},
	{"credentials", "", "https://u@:80/", ""},
	// ports
	{"port", "", "https://h:443/", "https://h/"},
	{"port", "", "https://h:0443/", "https://h/"},
	{"port", "", "http://h:443/", "http://h:443/"},
	{"port", "", "http://h:/", "http://h/"},
	{"port", "", "http://h:0/", "http://h:0/"},
	{"port", "", "http://h:65535/", "http://h:65535/"},
	{"port", "", "http://h:65536/", ""},
	{"port", "", "http://h:99999999999999999999/", ""},
	{"port", "", "http://h:8a/", ""},
	{"port", "", "foo://h:21/", "foo://h:21/"},
	{"port", "", "ftp://h:21/", "ftp://h/"},
	{"port", "", "ws://h:80/", "ws://h/"},
	{"port", "", "wss://h:443/", "wss://h/"},
	// empty host rules
	{"empty-host", "", "http:///", ""},
	{"empty-host", "", "http://?x", ""},
	{"empty-host", "", "foo://?x", "foo://?x"},
	{"empty-host", "", "file://", "file:///"},
	// IPv4
	{"ipv4", "", "http://192.168.0.1/", "http://192.168.0.1/"},
	{"ipv4", "", "http://0xc0.0250.01/", "http://192.168.0.1/"},
	{"ipv4", "", "http://0xC0A80001/", "http://192.168.0.1/"},
	{"ipv4", "", "http://3232235521/", "http://192.168.0.1/"},
	{"ipv4", "", "http://192.11010049/", "http://192.168.0.1/"},
	{"ipv4", "", "http://192.168.1/", "http://192.168.0.1/"},
	{"ipv4", "", "http://0x/", "http://0.0.0.0/"},
	{"ipv4", "", "http://1.2.3.4./", "http://1.2.3.4/"},
	{"ipv4", "", "http://4294967295/", "http://255.255.255.255/"},
	{"ipv4", "", "http://4294967296/", ""},
	{"ipv4", "", "http://256.0.0.1/", ""},
	{"ipv4", "", "http://1.2.3.4.5/", ""},
	{"ipv4", "", "http://1.2.3.08/", ""},
	{"ipv4", "", "http://1.2.3.0x/", "http://1.2.3.0/"},
	{"ipv4", "", "http://a.1/", ""},
	{"ipv4", "", "http://a.0x1g/", "http://a.0x1g/"},
	{"ipv4", "", "http://1.a/", "http://1.a/"},
	{"ipv4", "", "foo://1.2.3/", "foo://1.2.3/"},
	{"ipv4", "", "http://%30%78%63%30%2e%30%32%35%30.01/", "http://192.168.0.1/"},
	// IPv6
	{"ipv6", "", "http://[0:0:0:0:0:0:0:1]/", "http://[::1]/"},
	{"ipv6", "", "http://[1:0:0:2:0:0:0:3]/", "http://[1:0:0:2::3]/"},
	{"ipv6", "", "http://[1:0::]/", "http://[1::]/"},
	{"ipv6", "", "http://[1:2:3:4:5:6:7:8]/", "http://[1:2:3:4:5:6:7:8]/"},
	{"ipv6", "", "http://[1:0:3:4:5:6:7:8]/", "http://[1:0:3:4:5:6:7:8]/"},
	{"ipv6", "", "http://[::FFFF:192.168.0.1]/", "http://[::ffff:c0a8:1]/"},
	{"ipv6", "", "http://[::1.2.3]/", ""},
	{"ipv6", "", "http://[::1.2.3.04]/", ""},
	{"ipv6", "", "http://[1:2:3:4:5:6:7:8:9]/", ""},
	{"ipv6", "", "http://[1::2::3]/", ""},
	{"ipv6", "", "http://[:1]/", ""},
	{"ipv6", "", "http://[1:]/", ""},
	{"ipv6", "", "http://[12345::]/", ""},
	{"ipv6", "", "http://[::1]:8080/", "http://[::1]:8080/"},
	{"ipv6", "", "http://[::1/", ""},
	{"ipv6", "", "foo://[::1]/", "foo://[::1]/"},
	// opaque hosts
	{"opaque-host", "", "foo://ÿ.x/", "foo://%C3%BF.x/"},
	{"opaque-host", "", "foo://a%zz/", "foo://a%zz/"},
	{"opaque-host", "", "foo://a<b/", ""},
	{"opaque-host", "", "foo://a b/", ""},
	{"opaque-host", "", "foo://a^b/", ""},
	{"opaque-host", "", "foo://a|b/", ""},
	{"opaque-host", "", "foo://EX.com/", "foo://EX.com/"},
	// domains and IDNA
	{"idna", "", "https://EXAMPLE.com/", "https://example.com/"},
	{"idna", "", "https://ex%41mple.com/", "https://example.com/"},
	{"idna", "", "https://bücher.example/", "https://xn--bcher-kva.example/"},
	{"idna", "", "https://BÜCHER.example/", "https://xn--bcher-kva.example/"},
	{"idna", "", "https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"},
	{"idna", "", "https://XN--BCHER-KVA.example/", "https://xn--bcher-kva.example/"},
	{"idna", "", "https://faß.de/", "https://xn--fa-hia.de/"},
	{"idna", "", "https://💩.la/", "https://xn--ls8h.la/"},
	{"idna", "", "https://ａｂｃ.com/", "https://abc.com/"},
	{"idna", "", "https://a\u00adb.com/", "https://ab.com/"},
	{"idna", "", "https://\u00ad/", ""},
	{"idna", "", "https://xn--/", ""},
	{"idna", "", "https://xn--a.com/", ""},
	{"idna", "", "https://xn--ls8h-.com/", ""},
	{"idna", "", "https://a_b.com/", "https://a_b.com/"},
	{"idna", "", "https://-a-.com/", "https://-a-.com/"},
	{"idna", "", "https://ab--c.com/", "https://ab--c.com/"},
	{"idna", "", "https://a%00b/", ""},
	{"idna", "", "https://a%25b/", ""},
	{"idna", "", "https://a%7Fb/", ""},
	{"idna", "", "https://a\u2028b/", ""},
	{"idna", "", "https://%ef%bf%bd/", ""},
	{"idna", "", "https://a.b../", "https://a.b../"},
	// percent-encoding per component
	{"encoding", "", "https://h/ \"<>`{}^|#x", "https://h/%20%22%3C%3E%60%7B%7D%5E|#x"},
	{"encoding", "", "https://h/?q= \"<>`{}^|#", "https://h/?q=%20%22%3C%3E`{}^|#"},
	{"encoding", "", "https://h/# \"<>`{}^|#", "https://h/#%20%22%3C%3E%60{}^|#"},
	{"encoding", "", "https://h/ä?ä#ä", "https://h/%C3%A4?%C3%A4#%C3%A4"},
	{"encoding", "", "https://h/%zz%2F%2f", "https://h/%zz%2F%2f"},
	{"encoding", "", "https://h/\x7f", "https://h/%7F"},
	// dot segments
	{"dots", "", "https://h/a/./b/../c", "https://h/a/c"},
	{"dots", "", "https://h/a/%2e/b/%2E%2e/c", "https://h/a/c"},
	{"dots", "", "https://h/a/.%2e/", "https://h/"},
	{"dots", "", "https://h/a/..", "https://h/"},
	{"dots", "", "https://h/a/.", "https://h/a/"},
	{"dots", "", "https://h/../../..", "https://h/"},
	{"dots", "", "https://h/a/..?q", "https://h/?q"},
	{"dots", "", "https://h/...", "https://h/..."},
	{"dots", "", "https://h/a\\..\\b", "https://h/b"},
	// file URLs and Windows drive letters
	{"file", "", "file:///C:/x", "file:///C:/x"},
	{"file", "", "file:///C|/x", "file:///C:/x"},
	{"file", "", "file:C:/x", "file:///C:/x"},
	{"file", "", "file://C:/x", "file:///C:/x"},
	{"file", "", "file:///C:/../..", "file:///C:/"},
	{"file", "", "file://localhost/x", "file:///x"},
	{"file", "", "file://LocalHost/x", "file:///x"},
	{"file", "", "file://host/x", "file://host/x"},
	{"file", "", "file://host:80/x", ""},
	{"file", "", "file:\\\\h\\x", "file://h/x"},
	{"file", "", "file:/x?q#f", "file:///x?q#f"},
	{"file", "", "file:x", "file:///x"},
	{"file", "file:///C:/a/b", "..", "file:///C:/"},
	{"file", "file:///C:/a/b", "/x", "file:///C:/x"},
	{"file", "file:///C:/a/b", "D|/x", "file:///D:/x"},
	{"file", "file:///C:/a/b", "D:/x", "d:/x"},
	{"file", "file://h/a/b", "//other/x", "file://other/x"},
	{"file", "file://h/a/b", "?q", "file://h/a/b?q"},
	{"file", "file://h/a/b", "x", "file://h/a/x"},
	{"file", "file://h/a/b", "", "file://h/a/b"},
	// opaque paths
	{"opaque-path", "", "mailto:Someone@Example.com", "mailto:Someone@Example.com"},
	{"opaque-path", "", "data:text/plain,a b", "data:text/plain,a b"},
	{"opaque-path", "", "data:x ?q", "data:x%20?q"},
	{"opaque-path", "", "data:x  #f", "data:x %20#f"},
	{"opaque-path", "", "data:ä\x01x", "data:%C3%A4%01x"},
	{"opaque-path", "", "javascript:alert('x')", "javascript:alert('x')"},
	{"opaque-path", "", "about:blank", "about:blank"},
	{"opaque-path", "mailto:x", "#f", "mailto:x#f"},
	{"opaque-path", "mailto:x", "y", ""},
	{"opaque-path", "mailto:x", "", ""},
	// blob
	{"blob", "", "blob:https://a.example/uuid", "blob:https://a.example/uuid"},
	// fragments
	{"fragment", "", "https://h/#", "https://h/#"},
	{"fragment", "", "https://h/#a#b", "https://h/#a#b"},
	{"fragment", "", "https://h/?#", "https://h/?#"},
	// base resolution
	{"relative", "https://h/a/b?q#f", "", "https://h/a/b?q"},
	{"relative", "https://h/a/b?q#f", "#g", "https://h/a/b?q#g"},
	{"relative", "https://h/a/b?q#f", "?r", "https://h/a/b?r"},
	{"relative", "https://h/a/b?q#f", "c", "https://h/a/c"},
	{"relative", "https://h/a/b?q#f", "./c/", "https://h/a/c/"},
	{"relative", "https://h/a/b?q#f", "../c", "https://h/c"},
	{"relative", "https://h/a/b?q#f", "/c", "https://h/c"},
	{"relative", "https://h/a/b?q#f", "//o/c", "https://o/c"},
	{"relative", "https://h/a/b?q#f", "\\\\o\\c", "https://o/c"},
	{"relative", "https://h/a/b?q#f", "https:c", "https://h/a/c"},
	{"relative", "https://h/a/b?q#f", "http:c", "http://c/"},
	{"relative", "https://u:p@h:8/a/b", "/c", "https://u:p@h:8/c"},
	{"relative", "https://h/a/b", "c:d", "c:d"},
	{"relative", "foo://h/a/b", "c", "foo://h/a/c"},
	{"relative", "foo://h/a/b", "\\c", "foo://h/a/\\c"},
	{"relative", "foo:/a/b", "//x", "foo://x"},
	{"relative", "foo:/a/b", "?x", "foo:/a/b?x"},
	{"relative", "", "/x", ""},
}

func TestParseCases(t *testing.T) {
	for _, c := range parseCases {
		var base *URL
		if c.base != "" {
			var err error
			base, err = Parse(c.base)
			if err != nil {
				t.Fatalf("[%s] base %q: %v", c.class, c.base, err)
			}
		}
		u, err := ParseRef(base, c.input)
		switch {
		case c.href == "" && err == nil:
			t.Errorf("[%s] %q (base %q) = %q, want failure", c.class, c.input, c.base, u.Href())
		case c.href == "":
			if weberr.NameOf(err) != weberr.TypeError {
				t.Errorf("[%s] %q: error %v is not a TypeError", c.class, c.input, err)
			}
		case err != nil:
			t.Errorf("[%s] %q (base %q): %v, want %q", c.class, c.input, c.base, err, c.href)
		case u.Href() != c.href:
			t.Errorf("[%s] %q (base %q) = %q, want %q", c.class, c.input, c.base, u.Href(), c.href)
		default:
			checkConsistent(t, u, c.input)
			if re, err := Parse(u.Href()); err != nil || *re != *u {
				t.Errorf("[%s] %q: href %q does not round-trip", c.class, c.input, u.Href())
			}
		}
	}
}

func TestGetters(t *testing.T) {
	u := MustParse("https://us%20er:p%40ss@EXAMPLE.com:8443/a/b?x=1&y=2#frag")
	got := map[string]string{
		"href": u.Href(), "origin": u.Origin(), "protocol": u.Protocol(), "scheme": u.Scheme(),
		"username": u.Username(), "password": u.Password(), "host": u.Host(), "hostname": u.Hostname(),
		"port": u.Port(), "pathname": u.Pathname(), "search": u.Search(), "hash": u.Hash(),
	}
	want := map[string]string{
		"href": "https://us%20er:p%40ss@example.com:8443/a/b?x=1&y=2#frag", "origin": "https://example.com:8443",
		"protocol": "https:", "scheme": "https", "username": "us%20er", "password": "p%40ss",
		"host": "example.com:8443", "hostname": "example.com", "port": "8443", "pathname": "/a/b",
		"search": "?x=1&y=2", "hash": "#frag",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	if q, ok := u.Query(); !ok || q != "x=1&y=2" {
		t.Errorf("Query() = %q, %v", q, ok)
	}
	if f, ok := u.Fragment(); !ok || f != "frag" {
		t.Errorf("Fragment() = %q, %v", f, ok)
	}
	if !u.IsSpecial() || u.HasOpaquePath() || !u.HasHost() || u.PortNumber() != 8443 {
		t.Errorf("flags of %q wrong", u.Href())
	}

	if got := u.HrefWithoutFragment(); got != "https://us%20er:p%40ss@example.com:8443/a/b?x=1&y=2" {
		t.Errorf("HrefWithoutFragment = %q", got)
	}
	if got := MustParse("https://h/x").HrefWithoutFragment(); got != "https://h/x" {
		t.Errorf("HrefWithoutFragment without fragment = %q", got)
	}

	e := MustParse("https://h/?#")
	if e.Search() != "" || e.Hash() != "" {
		t.Errorf("empty query/fragment: search %q hash %q", e.Search(), e.Hash())
	}
	if q, ok := e.Query(); !ok || q != "" {
		t.Errorf("empty query: Query() = %q, %v", q, ok)
	}
	n := MustParse("https://h/")
	if _, ok := n.Query(); ok {
		t.Error("null query reported non-null")
	}
	if _, ok := n.Fragment(); ok {
		t.Error("null fragment reported non-null")
	}
	m := MustParse("mailto:a@b")
	if !m.HasOpaquePath() || m.HasHost() || m.IsSpecial() || m.Pathname() != "a@b" || m.Host() != "" || m.PortNumber() != -1 {
		t.Errorf("mailto getters wrong: %+v", *m)
	}
}

func TestOrigin(t *testing.T) {
	cases := map[string]string{
		"https://example.com/x":                     "https://example.com",
		"https://u:p@example.com:444/x":             "https://example.com:444",
		"http://[::1]:80/":                          "http://[::1]",
		"ws://h/":                                   "ws://h",
		"ftp://h:21/":                               "ftp://h",
		"file:///x":                                 "null",
		"foo://h/":                                  "null",
		"data:,x":                                   "null",
		"blob:https://a.example:8/uuid":             "https://a.example:8",
		"blob:ftp://a.example/uuid":                 "null",
		"blob:blob:https://a.example/uuid":          "null",
		"blob:d3958f5c-0777-0845-9dcf-2cb28783acaf": "null",
	}
	for in, want := range cases {
		if got := MustParse(in).Origin(); got != want {
			t.Errorf("Origin(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseHost(t *testing.T) {
	cases := []struct {
		in     string
		opaque bool
		want   string // "" means error
	}{
		{"Example.COM", false, "example.com"},
		{"bücher.de", false, "xn--bcher-kva.de"},
		{"0x7f.1", false, "127.0.0.1"},
		{"[::1]", false, "[::1]"},
		{"[::1]", true, "[::1]"},
		{"a b", false, ""},
		{"a%20b", false, ""},
		{"a%20b", true, "a%20b"},
		{"ü", true, "%C3%BC"},
		{"", true, ""},
		{"", false, ""},
		{"[1::2::3]", false, ""},
	}
	for _, c := range cases {
		got, err := ParseHost(c.in, c.opaque)
		if c.want == "" && !(c.in == "" && c.opaque) {
			if err == nil {
				t.Errorf("ParseHost(%q, %v) = %q, want error", c.in, c.opaque, got)
			} else if weberr.NameOf(err) != weberr.TypeError {
				t.Errorf("ParseHost(%q): %v is not a TypeError", c.in, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseHost(%q, %v) = %q, %v; want %q", c.in, c.opaque, got, err, c.want)
		}
	}
}

func TestPercentEncode(t *testing.T) {
	const all = "\x00\x1f !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~\x7fé"
	want := map[EncodeSet]string{
		C0Control:      "%00%1F !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~%7F%C3%A9",
		Fragment:       "%00%1F%20!%22#$%&'()*+,-./09:;%3C=%3E?@AZ[\\]^_%60az{|}~%7F%C3%A9",
		Query:          "%00%1F%20!%22%23$%&'()*+,-./09:;%3C=%3E?@AZ[\\]^_`az{|}~%7F%C3%A9",
		SpecialQuery:   "%00%1F%20!%22%23$%&%27()*+,-./09:;%3C=%3E?@AZ[\\]^_`az{|}~%7F%C3%A9",
		Path:           "%00%1F%20!%22%23$%&'()*+,-./09:;%3C=%3E%3F@AZ[\\]%5E_%60az%7B|%7D~%7F%C3%A9",
		Userinfo:       "%00%1F%20!%22%23$%&'()*+,-.%2F09%3A%3B%3C%3D%3E%3F%40AZ%5B%5C%5D%5E_%60az%7B%7C%7D~%7F%C3%A9",
		Component:      "%00%1F%20!%22%23%24%25%26'()*%2B%2C-.%2F09%3A%3B%3C%3D%3E%3F%40AZ%5B%5C%5D%5E_%60az%7B%7C%7D~%7F%C3%A9",
		FormURLEncoded: "%00%1F%20%21%22%23%24%25%26%27%28%29*%2B%2C-.%2F09%3A%3B%3C%3D%3E%3F%40AZ%5B%5C%5D%5E_%60az%7B%7C%7D%7E%7F%C3%A9",
	}
	for set, w := range want {
		if got := PercentEncode(all, set); got != w {
			t.Errorf("PercentEncode(set %d) =\n %q, want\n %q", set, got, w)
		}
	}
	if got := PercentEncode("a\xffb", Path); got != "a%EF%BF%BDb" {
		t.Errorf("invalid UTF-8: %q", got)
	}
	if got := PercentDecode("%25%s%1G%41%e2%80%bd"); got != "%%s%1GA‽" {
		t.Errorf("PercentDecode = %q", got)
	}
}

func TestQuery(t *testing.T) {
	pairs := ParseQuery("a=1&b=&&c&=d&e=x+y%20z&f=%zz&g=a=b&%E2%80%BD=%FF")
	want := []Pair{{"a", "1"}, {"b", ""}, {"c", ""}, {"", "d"}, {"e", "x y z"}, {"f", "%zz"}, {"g", "a=b"}, {"‽", "\uFFFD"}}
	if len(pairs) != len(want) {
		t.Fatalf("ParseQuery = %q, want %q", pairs, want)
	}
	for i := range want {
		if pairs[i] != want[i] {
			t.Errorf("pair %d = %q, want %q", i, pairs[i], want[i])
		}
	}
	if ParseQuery("") != nil || len(ParseQuery("&&")) != 0 {
		t.Error("empty query gives pairs")
	}
	s := SerializeQuery([]Pair{{"a b", "c+d"}, {"é", "*-._~!'()"}, {"", ""}})
	if s != "a+b=c%2Bd&%C3%A9=*-._%7E%21%27%28%29&=" {
		t.Errorf("SerializeQuery = %q", s)
	}
	if SerializeQuery(nil) != "" {
		t.Error("SerializeQuery(nil) not empty")
	}
	// Round trip.
	in := []Pair{{"q", "a&b=c"}, {"ü", "+ %"}}
	out := ParseQuery(SerializeQuery(in))
	if len(out) != 2 || out[0] != in[0] || out[1] != in[1] {
		t.Errorf("round trip: %q", out)
	}
}

func TestIsCanonicalIPv4(t *testing.T) {
	for h, want := range map[string]bool{
		"127.0.0.1": true, "0.0.0.0": true, "255.255.255.255": true, "1.2.3.4": true,
		"256.0.0.1": false, "01.2.3.4": false, "1.2.3": false, "1.2.3.4.5": false, "1.2.3.4.": false,
		"1..3.4": false, "1.2.3.1234": false, "": false, "a.b.c.d": false, "1.2.3.0x1": false,
	} {
		if got := isCanonicalIPv4(h); got != want {
			t.Errorf("isCanonicalIPv4(%q) = %v", h, got)
		}
	}
}

func TestUTF8Decoding(t *testing.T) {
	cases := []struct{ in, decode, usv string }{
		{"abc", "abc", "abc"},
		{"a\xffb", "a\uFFFDb", "a\uFFFDb"},
		{"\xe2\x82", "\uFFFD", "\uFFFD"},                 // truncated: one maximal subpart
		{"\xe2\x82x", "\uFFFDx", "\uFFFDx"},              // truncated before ASCII
		{"\xf0\x9f\x92", "\uFFFD", "\uFFFD"},             // truncated 4-byte sequence
		{"\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD", "\uFFFD"}, // encoded surrogate
		{"\xc0\xaf", "\uFFFD\uFFFD", "\uFFFD\uFFFD"},     // overlong
		{"\xf4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD", "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"é\x80", "é\uFFFD", "é\uFFFD"},
	}
	for _, c := range cases {
		if got := utf8Decode(c.in); got != c.decode {
			t.Errorf("utf8Decode(%q) = %q, want %q", c.in, got, c.decode)
		}
		if got := toValidUTF8(c.in); got != c.usv {
			t.Errorf("toValidUTF8(%q) = %q, want %q", c.in, got, c.usv)
		}
	}
	if got := ParseQuery("a=%E2%82&b=%ED%A0%80"); got[0].Value != "\uFFFD" || got[1].Value != "\uFFFD\uFFFD\uFFFD" {
		t.Errorf("ParseQuery decoding: %q", got)
	}
}

func TestSchemes(t *testing.T) {
	for _, s := range []string{"http", "https", "ws", "wss", "ftp", "file"} {
		if !IsSpecialScheme(s) {
			t.Errorf("IsSpecialScheme(%q) = false", s)
		}
	}
	for _, s := range []string{"", "HTTP", "foo", "blob", "data"} {
		if IsSpecialScheme(s) {
			t.Errorf("IsSpecialScheme(%q) = true", s)
		}
	}
	ports := map[string]string{"http": "80", "ws": "80", "https": "443", "wss": "443", "ftp": "21", "file": "", "foo": ""}
	for s, p := range ports {
		if DefaultPort(s) != p {
			t.Errorf("DefaultPort(%q) = %q, want %q", s, DefaultPort(s), p)
		}
	}
}

func TestErrors(t *testing.T) {
	_, err := Parse("https://exa mple.com/")
	if err == nil {
		t.Fatal("no error")
	}
	var named weberr.Named
	if !errors.As(err, &named) || named.ExceptionName() != "TypeError" {
		t.Errorf("error %v has no TypeError name", err)
	}
	if !strings.Contains(err.Error(), "exa mple.com") || !strings.Contains(err.Error(), "forbidden") {
		t.Errorf("error %q does not say what is wrong", err)
	}
	_, err = ParseRef(nil, "/relative")
	if err == nil || !strings.Contains(err.Error(), "without a base") {
		t.Errorf("relative without base: %v", err)
	}
	long := "https://" + strings.Repeat("é", 500) + " /"
	_, err = Parse(long)
	if err == nil || len(err.Error()) > 400 {
		t.Errorf("long input error not clipped: %d bytes", len(err.Error()))
	}
}

// TestSetterErrors checks which setter calls report an error: exactly those
// where the standard's setter leaves the URL unchanged for a bad value.
func TestSetterErrors(t *testing.T) {
	cases := []struct {
		href, attr, value string
		wantErr           bool
		want              string
	}{
		{"https://h/", "protocol", "foo", true, "https://h/"},
		{"foo://h/", "protocol", "https", true, "foo://h/"},
		{"https://h/", "protocol", "wss", false, "wss://h/"},
		{"https://h:80/", "protocol", "http", false, "http://h/"},
		{"https://u@h/", "protocol", "file", true, "https://u@h/"},
		{"file:///x", "protocol", "https", true, "file:///x"},
		{"https://h/", "protocol", "1x", true, "https://h/"},
		{"https://h/", "protocol", "", true, "https://h/"},
		{"file:///x", "username", "u", true, "file:///x"},
		{"mailto:x", "password", "p", true, "mailto:x"},
		{"https://h/", "username", "a b", false, "https://a%20b@h/"},
		{"https://h/", "host", "", true, "https://h/"},
		{"https://h/", "host", "a b", true, "https://h/"},
		{"https://h/", "host", "o:81", false, "https://o:81/"},
		{"https://h:81/", "host", "o:x", false, "https://o:81/"},
		{"https://h/", "hostname", "o:81", true, "https://h/"},
		{"https://h/", "hostname", "O/x", false, "https://o/"},
		{"foo://h/", "hostname", "", false, "foo:///"},
		{"foo://u@h/", "hostname", "", true, "foo://u@h/"},
		{"mailto:x", "host", "h", true, "mailto:x"},
		{"https://h/", "port", "x", true, "https://h/"},
		{"https://h/", "port", "70000", true, "https://h/"},
		{"https://h/", "port", "81x", false, "https://h:81/"},
		{"https://h:81/", "port", "", false, "https://h/"},
		{"https://h:81/", "port", "443", false, "https://h/"},
		{"file:///x", "port", "81", true, "file:///x"},
		{"mailto:x", "pathname", "/y", true, "mailto:x"},
		{"https://h/a", "pathname", "b/../c d", false, "https://h/c%20d"},
		{"foo://h", "pathname", "", false, "foo://h"},
		{"https://h/", "search", "?a b#c", false, "https://h/?a%20b%23c"},
		{"https://h/?q", "search", "", false, "https://h/"},
		{"https://h/", "hash", "#a b#c", false, "https://h/#a%20b#c"},
		{"data:x ?q#f", "search", "", false, "data:x%20#f"},
		{"https://h/", "href", "nope", true, "https://h/"},
		{"https://h/", "href", "foo:bar", false, "foo:bar"},
	}
	for _, c := range cases {
		u := MustParse(c.href)
		err := setterFor(u, c.attr)(c.value)
		if (err != nil) != c.wantErr {
			t.Errorf("set %s=%q on %q: error %v, want error %v", c.attr, c.value, c.href, err, c.wantErr)
		}
		if err != nil && weberr.NameOf(err) != weberr.TypeError {
			t.Errorf("set %s=%q: %v is not a TypeError", c.attr, c.value, err)
		}
		if u.Href() != c.want {
			t.Errorf("set %s=%q on %q: %q, want %q", c.attr, c.value, c.href, u.Href(), c.want)
		}
	}
}

func TestZeroURL(t *testing.T) {
	var u URL
	for _, a := range []string{"href", "origin", "protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash"} {
		if got := getter(&u, a); got != "" && !(a == "origin" && got == "null") {
			t.Errorf("zero URL %s = %q", a, got)
		}
	}
	u.Query()
	u.Fragment()
	u.HrefWithoutFragment()
	for _, a := range setterNames[1:] {
		if err := setterFor(&u, a)("x"); err == nil {
			t.Errorf("zero URL: set %s succeeded", a)
		}
	}
	if _, err := ParseRef(&URL{}, "x"); err == nil {
		t.Error("ParseRef with a zero base succeeded")
	}
	if err := u.SetHref("https://h/"); err != nil || u.Href() != "https://h/" {
		t.Errorf("SetHref on zero URL: %v %q", err, u.Href())
	}
}

func TestNoPanicOnZeroLengthAndOddInput(t *testing.T) {
	for _, s := range []string{"", ":", "::", "a:", "//", "\\\\", "?", "#", "%", "[", "]", "http://[", "http://]", "file:", "file:/", "file://", "file:///", "\xff", "http://\xff/"} {
		for _, b := range []*URL{nil, MustParse("https://h/a"), MustParse("file:///C:/x"), MustParse("sc:x")} {
			u, err := ParseRef(b, s)
			if err == nil {
				checkConsistent(t, u, s)
			}
		}
	}
}

// TestLongInputsLinear parses 256 KiB inputs in shapes that would be
// quadratic in a naive implementation (minutes); each must finish within
// two seconds even on a loaded machine (they take milliseconds).
func TestLongInputsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("long inputs")
	}
	const n = 1 << 18
	inputs := map[string]string{
		"many @":           "http://" + strings.Repeat("a@", n/2) + "h/",
		"many ../":         "https://h/" + strings.Repeat("a/../", n/5),
		"many %2e%2e/":     "https://h/" + strings.Repeat("%2e%2e/", n/7),
		"long segment":     "https://h/" + strings.Repeat("x", n) + "/..",
		"tabs":             "https://h/" + strings.Repeat("\t", n),
		"long query":       "https://h/?" + strings.Repeat("a b", n/3),
		"long fragment":    "foo:" + strings.Repeat("x ", n/2) + "#" + strings.Repeat("y", n),
		"long host":        "https://" + strings.Repeat("a.", n/2) + "com/",
		"long idna host":   "https://" + strings.Repeat("ü.", n/6) + "com/",
		"long ipv6":        "http://[" + strings.Repeat("1:", n/2) + "]/",
		"long non-special": "foo://" + strings.Repeat("h", n) + "/" + strings.Repeat("p/", n/2),
		"long file":        "file:///" + strings.Repeat("C|/", n/3),
		"relative":         strings.Repeat("../", n/3) + "x",
	}
	base := MustParse("https://example.com/a/b/c")
	for name, in := range inputs {
		start := time.Now()
		u, err := ParseRef(base, in)
		if err == nil {
			_ = u.Origin()
		}
		d := time.Since(start)
		t.Logf("%s: %v", name, d)
		if d > 2*time.Second {
			t.Errorf("%s: %v for %d bytes", name, d, len(in))
		}
	}
}

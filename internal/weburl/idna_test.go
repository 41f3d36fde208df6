package weburl

import (
	"encoding/json"
	"os"
	"testing"
)

// encodeHostEnding percent-encodes the code points that would end the host
// in a URL (':', '/', '?', '#', '\\'), as the WPT harness does, so that they
// reach the host parser.
func encodeHostEnding(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ':', '/', '?', '#', '\\':
			b = append(b, '%', upperHex[c>>4], upperHex[c&15])
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// TestWPTIdnaTestV2 runs the web-platform-tests IdnaTestV2.json (UTS #46
// conformance data converted for the URL standard) through the URL parser,
// as WPT's IdnaTestV2.window.js does: "https://" + input + "/x" must fail
// when output is null and otherwise have output as its host (host-ending
// code points are percent-encoded first, see encodeHostEnding).
func TestWPTIdnaTestV2(t *testing.T) {
	data, err := os.ReadFile("testdata/IdnaTestV2.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	xfail := loadExpectedFailures(t, "wpt_expected_failures.txt")
	passed, total := 0, 0
	for _, m := range raw {
		if m[0] != '{' {
			continue
		}
		var c struct {
			Comment string  `json:"comment"`
			Input   string  `json:"input"`
			Output  *string `json:"output"`
		}
		if err := json.Unmarshal(m, &c); err != nil {
			t.Fatal(err)
		}
		if c.Input == "" {
			continue // cannot be expressed as a URL host
		}
		total++
		key := "idna " + c.Input
		_, expected := xfail[key]
		u, err := Parse("https://" + encodeHostEnding(c.Input) + "/x")
		msg := ""
		switch {
		case c.Output == nil && err == nil:
			msg = "host " + quote(u.Host()) + ", want failure"
		case c.Output != nil && err != nil:
			msg = err.Error() + ", want " + quote(*c.Output)
		case c.Output != nil && u.Host() != *c.Output:
			msg = "host " + quote(u.Host()) + ", want " + quote(*c.Output)
		}
		switch {
		case msg == "":
			passed++
			if expected {
				t.Errorf("%s: passes but is listed in wpt_expected_failures.txt", quote(key))
			}
		case expected:
			t.Logf("expected failure %s: %s", quote(key), msg)
		default:
			t.Errorf("%s (%s): %s", quote(key), c.Comment, msg)
		}
	}
	t.Logf("IdnaTestV2.json: passed %d of %d", passed, total)
}

package weburl

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// wptCase is one entry of urltestdata.json.
type wptCase struct {
	Input    string  `json:"input"`
	Base     *string `json:"base"`
	Href     string  `json:"href"`
	Origin   *string `json:"origin"`
	Protocol string  `json:"protocol"`
	Username string  `json:"username"`
	Password string  `json:"password"`
	Host     string  `json:"host"`
	Hostname string  `json:"hostname"`
	Port     string  `json:"port"`
	Pathname string  `json:"pathname"`
	Search   string  `json:"search"`
	Hash     string  `json:"hash"`
	Failure  bool    `json:"failure"`
}

func loadWPT(t testing.TB) []wptCase {
	t.Helper()
	data, err := os.ReadFile("testdata/urltestdata.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	var cases []wptCase
	for _, m := range raw {
		if len(m) == 0 || m[0] != '{' {
			continue // comments
		}
		var c wptCase
		if err := json.Unmarshal(m, &c); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	return cases
}

// loadExpectedFailures reads "key<TAB>reason" lines; '#' starts a comment.
func loadExpectedFailures(t testing.TB, name string) map[string]string {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, reason, ok := strings.Cut(line, "\t")
		if !ok || strings.TrimSpace(reason) == "" {
			t.Fatalf("%s: line without a reason: %q", name, line)
		}
		m[unquoteKey(t, key)] = reason
	}
	return m
}

func unquoteKey(t testing.TB, key string) string {
	var s string
	if err := json.Unmarshal([]byte(key), &s); err != nil {
		t.Fatalf("bad key %s: %v", key, err)
	}
	return s
}

func wptKey(c wptCase) string {
	if c.Base == nil {
		return c.Input
	}
	return c.Input + " @ " + *c.Base
}

// checkWPT returns a description of the first mismatch, or "".
func checkWPT(c wptCase) string {
	var u *URL
	var err error
	if c.Base != nil {
		base, berr := Parse(*c.Base)
		if berr != nil {
			if c.Failure {
				return ""
			}
			return "base failed: " + berr.Error()
		}
		u, err = ParseRef(base, c.Input)
	} else {
		u, err = Parse(c.Input)
	}
	if c.Failure {
		if err == nil {
			return "parsed to " + u.Href() + ", want failure"
		}
		return ""
	}
	if err != nil {
		return "failed: " + err.Error()
	}
	got := []struct{ name, got, want string }{
		{"href", u.Href(), c.Href},
		{"protocol", u.Protocol(), c.Protocol},
		{"username", u.Username(), c.Username},
		{"password", u.Password(), c.Password},
		{"host", u.Host(), c.Host},
		{"hostname", u.Hostname(), c.Hostname},
		{"port", u.Port(), c.Port},
		{"pathname", u.Pathname(), c.Pathname},
		{"search", u.Search(), c.Search},
		{"hash", u.Hash(), c.Hash},
	}
	if c.Origin != nil {
		got = append(got, struct{ name, got, want string }{"origin", u.Origin(), *c.Origin})
	}
	for _, g := range got {
		if g.got != g.want {
			return g.name + " = " + quote(g.got) + ", want " + quote(g.want)
		}
	}
	re, err := Parse(u.Href())
	if err != nil || re.Href() != u.Href() {
		return "href does not round-trip: " + u.Href()
	}
	return ""
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// TestWPTURLTestData runs every entry of the web-platform-tests
// urltestdata.json through Parse/ParseRef and all getters.
func TestWPTURLTestData(t *testing.T) {
	cases := loadWPT(t)
	xfail := loadExpectedFailures(t, "wpt_expected_failures.txt")
	passed := 0
	for _, c := range cases {
		key := wptKey(c)
		msg := checkWPT(c)
		_, expected := xfail[key]
		switch {
		case msg == "":
			passed++
			if expected {
				t.Errorf("%s: passes but is listed in wpt_expected_failures.txt", quote(key))
			}
		case expected:
			t.Logf("expected failure %s: %s", quote(key), msg)
		default:
			t.Errorf("%s: %s", quote(key), msg)
		}
	}
	t.Logf("urltestdata.json: passed %d of %d", passed, len(cases))
}

package weburl

import (
	"encoding/json"
	"os"
	"testing"
)

type setterCase struct {
	Comment  string            `json:"comment"`
	Href     string            `json:"href"`
	NewValue string            `json:"new_value"`
	Expected map[string]string `json:"expected"`
}

func setterFor(u *URL, attr string) func(string) error {
	switch attr {
	case "href":
		return u.SetHref
	case "protocol":
		return u.SetProtocol
	case "username":
		return u.SetUsername
	case "password":
		return u.SetPassword
	case "host":
		return u.SetHost
	case "hostname":
		return u.SetHostname
	case "port":
		return u.SetPort
	case "pathname":
		return u.SetPathname
	case "search":
		return u.SetSearch
	case "hash":
		return u.SetHash
	}
	return nil
}

func getter(u *URL, attr string) string {
	switch attr {
	case "href":
		return u.Href()
	case "origin":
		return u.Origin()
	case "protocol":
		return u.Protocol()
	case "username":
		return u.Username()
	case "password":
		return u.Password()
	case "host":
		return u.Host()
	case "hostname":
		return u.Hostname()
	case "port":
		return u.Port()
	case "pathname":
		return u.Pathname()
	case "search":
		return u.Search()
	case "hash":
		return u.Hash()
	}
	return "<unknown attribute " + attr + ">"
}

// TestWPTSetters runs the web-platform-tests setters_tests.json. Besides the
// expected getter values, it checks that a setter returns an error exactly
// when it leaves the URL unchanged for a value that differs from the current
// one, and that the result round-trips through Parse.
func TestWPTSetters(t *testing.T) {
	data, err := os.ReadFile("testdata/setters_tests.json")
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		t.Fatal(err)
	}
	xfail := loadExpectedFailures(t, "wpt_expected_failures.txt")
	passed, total := 0, 0
	for attr, raw := range all {
		if attr == "comment" {
			continue
		}
		var cases []setterCase
		if err := json.Unmarshal(raw, &cases); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			total++
			u, err := Parse(c.Href)
			if err != nil {
				t.Errorf("%s: Parse(%q): %v", attr, c.Href, err)
				continue
			}
			before := u.Href()
			serr := setterFor(u, attr)(c.NewValue)
			ok := true
			key := "set " + attr + "=" + c.NewValue + " on " + c.Href
			_, expected := xfail[key]
			for k, want := range c.Expected {
				if got := getter(u, k); got != want {
					ok = false
					if expected {
						t.Logf("expected failure %s: %s = %q, want %q", quote(key), k, got, want)
					} else {
						t.Errorf("%s (%s): %s = %q, want %q (setter error: %v)", quote(key), c.Comment, k, got, want, serr)
					}
				}
			}
			if ok && expected {
				t.Errorf("%s: passes but is listed in wpt_expected_failures.txt", quote(key))
			}
			if serr != nil && u.Href() != before {
				ok = false
				t.Errorf("set %s=%q on %q: error %v but URL changed", attr, c.NewValue, c.Href, serr)
			}
			if re, err := Parse(u.Href()); err != nil || re.Href() != u.Href() {
				ok = false
				t.Errorf("set %s=%q on %q: result %q does not round-trip", attr, c.NewValue, c.Href, u.Href())
			}
			if ok {
				passed++
			}
		}
	}
	t.Logf("setters_tests.json: passed %d of %d", passed, total)
}

// TestWPTToASCII runs toascii.json through the host parser, directly and via
// the URL parser and the host/hostname setters, as the WPT harness does.
func TestWPTToASCII(t *testing.T) {
	data, err := os.ReadFile("testdata/toascii.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	passed, total := 0, 0
	for _, m := range raw {
		if m[0] != '{' {
			continue
		}
		var c struct {
			Input  string  `json:"input"`
			Output *string `json:"output"`
		}
		if err := json.Unmarshal(m, &c); err != nil {
			t.Fatal(err)
		}
		total++
		ok := true
		u, err := Parse("https://" + c.Input + "/x")
		if c.Output == nil {
			if err == nil {
				ok = false
				t.Errorf("%q: parsed to %q, want failure", c.Input, u.Href())
			}
		} else if err != nil {
			ok = false
			t.Errorf("%q: %v, want host %q", c.Input, err, *c.Output)
		} else if u.Hostname() != *c.Output {
			ok = false
			t.Errorf("%q: host %q, want %q", c.Input, u.Hostname(), *c.Output)
		}
		for _, set := range []string{"host", "hostname"} {
			u := MustParse("https://x/x")
			err := setterFor(u, set)(c.Input)
			want := "x"
			if c.Output != nil {
				want = *c.Output
			}
			if u.Hostname() != want {
				ok = false
				t.Errorf("set %s=%q: hostname %q, want %q (err %v)", set, c.Input, u.Hostname(), want, err)
			}
		}
		if ok {
			passed++
		}
	}
	t.Logf("toascii.json: passed %d of %d", passed, total)
}

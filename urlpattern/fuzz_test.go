package urlpattern

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wptSeeds returns the pattern strings and inputs of the WPT data, for
// seeding the fuzzers.
func wptSeeds(f *testing.F) (patterns, inputs []string) {
	data, err := os.ReadFile(filepath.Join("testdata", "wpt", "urlpatterntestdata.json"))
	if err != nil {
		f.Fatal(err)
	}
	var entries []wptEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		for _, p := range e.Pattern {
			if isJSONString(p) {
				patterns = append(patterns, jsonString(p))
			} else if isJSONObject(p) {
				var m map[string]string
				_ = json.Unmarshal(p, &m)
				for k, v := range m {
					if k != "baseURL" {
						patterns = append(patterns, v)
					}
				}
			}
		}
		for _, in := range e.Inputs {
			if isJSONString(in) {
				inputs = append(inputs, jsonString(in))
			}
		}
	}
	return patterns, inputs
}

// FuzzNew checks that compiling any constructor string or component
// pattern neither panics nor returns an error without a TypeError name,
// and that a compiled pattern's canonical strings compile again to the
// same strings (canonicalization is idempotent).
func FuzzNew(f *testing.F) {
	patterns, _ := wptSeeds(f)
	for _, p := range patterns {
		f.Add(p, false)
	}
	f.Fuzz(func(t *testing.T, s string, ignoreCase bool) {
		opts := Options{IgnoreCase: ignoreCase}
		if p, err := NewWithBase(s, "https://example.com/a/b?c#d", opts); err != nil {
			if exceptionNameOf(err) != "TypeError" || err.Error() == "" {
				t.Fatalf("error %v is not a TypeError", err)
			}
		} else {
			// Canonical strings must compile again, and recompiling them
			// must reach a fixed point after one step. (Not always in zero
			// steps: the standard canonicalizes fixed text piece by piece,
			// so "/a/{}*." keeps "/a/." while "/a/." alone becomes "/a/".)
			q, ok := recompile(t, s, p, opts)
			if !ok {
				return
			}
			r, ok := recompile(t, s, q, opts)
			if !ok {
				t.Fatalf("%q: canonical strings stop compiling after one round", s)
			}
			for _, name := range componentNames {
				if a, b := getter(q, name), getter(r, name); a != b {
					t.Fatalf("%q: %s %q recompiles to %q", s, name, a, b)
				}
			}
		}
		_, _ = NewFromInit(Init{Pathname: &s}, opts)
		_, _ = NewFromInit(Init{Hostname: &s, Protocol: Str("https")}, opts)
		_, _ = NewFromInit(Init{Protocol: &s, Port: Str("80")}, opts)
		_, _ = NewFromInit(Init{Search: &s, Hash: &s, Username: &s, Password: &s}, opts)
	})
}

// recompile compiles the canonical strings of p. ok is false when the
// standard itself does not let them compile (see the IPv6 case below).
func recompile(t *testing.T, s string, p *URLPattern, opts Options) (*URLPattern, bool) {
	// Processing an init strips one trailing ':' from the protocol, one
	// leading '?' from the search and one leading '#' from the hash; add
	// them so that the canonical strings come back.
	init := Init{Protocol: Str(p.Protocol() + ":"), Username: Str(p.Username()), Password: Str(p.Password()),
		Hostname: Str(p.Hostname()), Port: Str(p.Port()), Pathname: Str(p.Pathname()),
		Search: Str("?" + p.Search()), Hash: Str("#" + p.Hash())}
	q, err := NewFromInit(init, opts)
	if err != nil {
		// The standard picks IPv6 canonicalization from the first
		// characters of the hostname pattern ("\[" or "{["), which
		// canonical strings may lose: "\[" becomes "[". Such patterns
		// are not required to round-trip.
		if p.comps[iHostname].kind == compIPv6Hostname && !isIPv6HostnamePattern(p.Hostname()) {
			return nil, false
		}
		t.Fatalf("canonical components of %q do not compile: %v", s, err)
	}
	return q, true
}

// FuzzMatch checks that Test agrees with Exec and that the purpose-built
// matchers agree with the generated regexp, on any pattern and input.
func FuzzMatch(f *testing.F) {
	patterns, inputs := wptSeeds(f)
	for i, p := range patterns {
		f.Add(p, inputs[i%len(inputs)], false)
	}
	f.Add("/:first{-:rest}*/edit", "https://example.com/a-b-c/edit", true)
	f.Fuzz(func(t *testing.T, pattern, input string, ignoreCase bool) {
		p, err := NewWithBase(pattern, "https://example.com/", Options{IgnoreCase: ignoreCase})
		if err != nil {
			return
		}
		ok := p.Test(input)
		r := p.Exec(input)
		if ok != (r != nil) {
			t.Fatalf("pattern %q input %q: test = %v, exec = %v", pattern, input, ok, r != nil)
		}
		okb := p.TestWithBase(input, "https://example.com/x/")
		rb := p.ExecWithBase(input, "https://example.com/x/")
		if okb != (rb != nil) {
			t.Fatalf("pattern %q input %q with base: test = %v, exec = %v", pattern, input, okb, rb != nil)
		}
		// Each component against the regexp, on the raw input too.
		for i, c := range p.comps {
			if c.m.kind == mkRegexp {
				continue
			}
			re, err := c.regexp()
			if strings.Contains(c.source, "(.*)?") {
				continue
			}
			if err != nil {
				t.Fatalf("%s regexp: %v", componentNames[i], err)
			}
			for _, s := range []string{input, toUSV(input)} {
				mok, done := c.m.test(s)
				if !done {
					continue
				}
				idx := re.FindStringSubmatchIndex(s)
				if mok != (idx != nil) {
					t.Fatalf("%s %q (%s) on %q: matcher %v, regexp %v", componentNames[i], c.pattern, c.source, s, mok, idx != nil)
				}
				g, _, _ := c.m.exec(s, c.names, nil)
				for j := range g {
					if !mok {
						break
					}
					lo, hi := idx[2*j+2], idx[2*j+3]
					w := Group{Name: c.names[j]}
					if lo >= 0 {
						w = Group{Name: c.names[j], Value: s[lo:hi], Matched: true}
					}
					if g[j] != w {
						t.Fatalf("%s %q (%s) on %q: group %+v, regexp %+v", componentNames[i], c.pattern, c.source, s, g[j], w)
					}
				}
			}
		}
	})
}

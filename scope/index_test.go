package scope

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/swhost/swhost/internal/weburl"
)

// bruteForce applies the four ordering steps to every scope.
func bruteForce(scopes []*Scope, rawURL string) (*Scope, bool) {
	var (
		best  *Scope
		bestM Match
	)
	for _, s := range scopes {
		if m, ok := s.MatchString(rawURL); ok && (best == nil || Compare(m, bestM) < 0) {
			best, bestM = s, m
		}
	}
	return best, best != nil
}

func TestIndexLookup(t *testing.T) {
	x := NewIndex[string](IndexOptions{})
	add := func(name string, s *Scope) {
		if err := x.Add(s, name); err != nil {
			t.Fatal(err)
		}
	}
	add("root-exact", mustNew(t, Init{BaseURL: "https://app.test", Path: str("/")}))
	add("maps", mustNew(t, Init{BaseURL: "https://app.test", Path: str("/maps/?*")}))
	add("legacy-root", mustLegacy(t, "https://app.test/", ""))
	add("mapsearch", mustLegacy(t, "https://app.test/mapsearch", ""))
	add("product", mustNew(t, Init{BaseURL: "https://app.test", Path: str("/"), Search: &SearchInit{Params: []ParamInit{{Key: "product", Value: str("foo")}}}}))
	add("other-origin", mustLegacy(t, "https://fonts.test/", ""))

	tests := []struct{ url, want string }{
		{"https://app.test/", "root-exact"},
		{"https://app.test/?utm=1", "root-exact"},
		{"https://app.test/?other=bar&product=foo", "product"},
		{"https://app.test/maps", "maps"},
		{"https://app.test/maps/x", "maps"},
		{"https://app.test/mapsearch/q", "mapsearch"},
		{"https://app.test/mapsx", "legacy-root"},
		{"https://app.test/sub/path/product", "legacy-root"},
		{"https://fonts.test/a.woff", "other-origin"},
		{"https://none.test/", ""},
		{"http://app.test/", ""},
		{"not a url", ""},
	}
	for _, tt := range tests {
		r, ok := x.LookupString(tt.url)
		got := ""
		if ok {
			got = r.Value
		}
		if got != tt.want {
			t.Errorf("Lookup(%s) = %q, want %q", tt.url, got, tt.want)
		}
	}

	u, _ := weburl.Parse("https://app.test/maps/x")
	c := x.Candidates(u)
	if len(c) != 2 || c[0].Value != "maps" || c[1].Value != "legacy-root" {
		t.Errorf("Candidates = %+v", c)
	}

	// Same key replaces; Remove deletes.
	add("maps2", mustNew(t, Init{BaseURL: "https://app.test/", Path: str("/maps/?*")}))
	if r, _ := x.LookupString("https://app.test/maps"); r.Value != "maps2" {
		t.Errorf("replaced value = %q", r.Value)
	}
	if x.Len() != 6 || len(x.All()) != 6 {
		t.Errorf("Len = %d, All = %d", x.Len(), len(x.All()))
	}
	if !x.Remove(mustNew(t, Init{BaseURL: "https://app.test", Path: str("/maps/?*")})) {
		t.Fatal("Remove returned false")
	}
	if r, _ := x.LookupString("https://app.test/maps"); r.Value != "legacy-root" {
		t.Errorf("after Remove = %q", r.Value)
	}
	if v, ok := x.Get(mustLegacy(t, "https://fonts.test/", "").Key()); !ok || v != "other-origin" {
		t.Errorf("Get = %q %v", v, ok)
	}
}

func TestIndexCap(t *testing.T) {
	x := NewIndex[int](IndexOptions{MaxPerPrefix: 3})
	for i := 0; i < 4; i++ {
		s := mustNew(t, Init{BaseURL: "https://evil.test", Path: str("/"), Search: &SearchInit{Params: []ParamInit{{Key: fmt.Sprint("k", i)}}}})
		err := x.Add(s, i)
		var le *LimitError
		if i < 3 && err != nil {
			t.Fatalf("Add %d: %v", i, err)
		}
		if i == 3 && (!errors.As(err, &le) || le.Prefix != "https://evil.test/?" || le.ExceptionName() != "QuotaExceededError") {
			t.Fatalf("Add beyond cap: %v", err)
		}
	}
	// Another origin is unaffected.
	if err := x.Add(mustLegacy(t, "https://good.test/", ""), 9); err != nil {
		t.Fatal(err)
	}
}

// genScopes builds random scopes from a small alphabet so that they overlap.
func genScopes(r *rand.Rand, n int) []*Scope {
	segs := []string{"a", "b", "ab", "a/b", "maps", "mapsearch", ""}
	var out []*Scope
	for len(out) < n {
		origin := []string{"https://x.test", "https://y.test", "http://127.0.0.1:8080"}[r.IntN(3)]
		path := "/" + segs[r.IntN(len(segs))]
		var s *Scope
		var err error
		switch r.IntN(6) {
		case 0:
			s, err = ParseLegacy(origin+path+[]string{"", "?", "?k=", "?k=1"}[r.IntN(4)], "")
		case 1:
			s, err = New(Init{BaseURL: origin, Path: str(path + "/?*")})
		case 2:
			s, err = New(Init{BaseURL: origin, Path: str(path + "*")})
		case 3:
			s, err = New(Init{BaseURL: origin, Path: str(path)})
		case 4:
			k := []string{"k", "j", "kk"}[r.IntN(3)]
			s, err = New(Init{BaseURL: origin, Path: str(path), Search: &SearchInit{Params: []ParamInit{{Key: k, Value: str([]string{"1", "*", "1*"}[r.IntN(3)])}}}})
		case 5:
			s, err = New(Init{BaseURL: origin, Path: str(path), Search: &SearchInit{Value: str([]string{"", `\?k=*`, `\?*`, "*"}[r.IntN(4)])}})
		}
		if err == nil {
			out = append(out, s)
		}
	}
	return out
}

func genURL(r *rand.Rand) string {
	origin := []string{"https://x.test", "https://y.test", "http://127.0.0.1:8080", "https://z.test"}[r.IntN(4)]
	path := []string{"/", "/a", "/ab", "/a/b", "/a/", "/maps", "/maps/", "/maps/x", "/mapsearch", "/b/c"}[r.IntN(10)]
	q := []string{"", "?", "?k=1", "?j=1&k=1", "?k=12&j=1", "?kk=1", "?x"}[r.IntN(7)]
	return origin + path + q
}

func checkAgainstBruteForce(t *testing.T, r *rand.Rand, nScopes, nURLs int) {
	scopes := genScopes(r, nScopes)
	x := NewIndex[*Scope](IndexOptions{MaxPerPrefix: -1})
	var kept []*Scope
	seen := map[string]bool{}
	for _, s := range scopes {
		if seen[s.Key()] {
			continue
		}
		seen[s.Key()] = true
		kept = append(kept, s)
		if err := x.Add(s, s); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < nURLs; i++ {
		u := genURL(r)
		want, wok := bruteForce(kept, u)
		got, gok := x.LookupString(u)
		if wok != gok || (wok && got.Value != want) {
			t.Fatalf("Lookup(%s) = %v %v; brute force %v %v", u, got.Value, gok, want, wok)
		}
	}
}

func TestIndexAgreesWithBruteForce(t *testing.T) {
	for seed := uint64(0); seed < 50; seed++ {
		checkAgainstBruteForce(t, rand.New(rand.NewPCG(seed, 1)), 1+int(seed%20), 200)
	}
}

func FuzzIndex(f *testing.F) {
	f.Add(uint64(1), uint8(5))
	f.Add(uint64(42), uint8(30))
	f.Fuzz(func(t *testing.T, seed uint64, n uint8) {
		checkAgainstBruteForce(t, rand.New(rand.NewPCG(seed, 2)), 1+int(n%40), 50)
	})
}

// FuzzPattern checks that no pattern text panics, that accepted scopes
// round-trip through their canonical form, and that a scope matches every
// URL that starts with... at least its own prefix rules hold.
func FuzzPattern(f *testing.F) {
	for _, p := range []string{"/maps/?*", "/", "/a*", `\?*`, "baz/?*", `/a\*b`, "/café", "/a/??", "*a", "%2f", "/../x"} {
		f.Add(p, `\?k=*`, "k", "v*")
	}
	f.Fuzz(func(t *testing.T, path, value, key, pval string) {
		for _, in := range []Init{
			{BaseURL: "https://x.test/base", Path: &path},
			{BaseURL: "https://x.test/base", Path: &path, Search: &SearchInit{Value: &value}},
			{BaseURL: "https://x.test/base", Path: &path, Search: &SearchInit{Params: []ParamInit{{Key: key, Value: &pval}}}},
		} {
			s, err := New(in)
			if err != nil {
				var se *Error
				if !errors.As(err, &se) {
					t.Fatalf("New error %v is not a *scope.Error", err)
				}
				continue
			}
			again, err := New(s.Pattern())
			if err != nil {
				t.Fatalf("canonical pattern %s of %+v does not compile: %v", s, in, err)
			}
			if again.Key() != s.Key() || again.Prefix() != s.Prefix() {
				t.Fatalf("canonical form not stable: %s vs %s", again.Key(), s.Key())
			}
			for _, u := range []string{s.Prefix(), s.Prefix() + "/x", s.Prefix() + "?k=v", "https://x.test/" + path} {
				if m, ok := s.MatchString(u); ok {
					if pu, err := weburl.Parse(u); err == nil {
						h := pu.Href()
						if len(h) < len(s.Prefix()) || h[:len(s.Prefix())] != s.Prefix() {
							t.Fatalf("%s matches %s, which does not start with its prefix %q", s, h, s.Prefix())
						}
					}
					if m.VariableChars < 0 || m.VariableBeforeLastStatic < 0 || m.VariableBeforeLastStatic > m.VariableChars {
						t.Fatalf("bad figures %+v for %s on %s", m, s, u)
					}
				}
			}
		}
	})
}

func TestIndexHasOrigin(t *testing.T) {
	x := NewIndex[string](IndexOptions{})
	a, b := mustLegacy(t, "https://app.test/", ""), mustLegacy(t, "https://app.test/sub/", "")
	for _, s := range []*Scope{a, b, a} { // the second a replaces the first
		if err := x.Add(s, ""); err != nil {
			t.Fatal(err)
		}
	}
	check := func(step string, want bool) {
		t.Helper()
		if got := x.HasOrigin("https://app.test"); got != want {
			t.Errorf("%s: HasOrigin = %v, want %v", step, got, want)
		}
		if x.HasOrigin("https://other.test") || x.HasOrigin("http://app.test") {
			t.Errorf("%s: another origin is hosted", step)
		}
	}
	check("two scopes", true)
	x.Remove(a)
	check("one removed", true)
	x.Remove(a)
	check("removed twice", true)
	x.Remove(b)
	check("both removed", false)
}

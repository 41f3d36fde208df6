package scope

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/swhost/swhost/internal/weburl"
)

// benchCorpus builds n scopes over 1,000 origins: half of them on ten "big"
// origins with deeply nested team scopes (hundreds each at 10k and up), the
// other half spread over the remaining origins. It returns the scopes and
// URLs to look up, each built from a scope's prefix so that it has an
// answer. The URLs come from the first 1,000 scopes, which every corpus
// shares, so every size looks up the same URLs.
func benchCorpus(n int) ([]*Scope, []*weburl.URL) {
	const origins, big = 1000, 10
	perOrigin := map[int]int{}
	var scopes []*Scope
	for i := 0; i < n; i++ {
		o := big + (i/2)%(origins-big)
		if i%2 == 0 {
			o = (i / 2) % big
		}
		j := perOrigin[o]
		perOrigin[o]++
		origin := fmt.Sprintf("https://o%d.test", o)
		t := j / 4
		var s *Scope
		var err error
		switch j % 4 {
		case 0:
			s, err = ParseLegacy(fmt.Sprintf("%s/t%d/", origin, t), "")
		case 1:
			s, err = New(Init{BaseURL: origin, Path: str(fmt.Sprintf("/t%d/s/?*", t))})
		case 2:
			s, err = New(Init{BaseURL: origin, Path: str(fmt.Sprintf("/t%d/s/d*", t))})
		case 3:
			s, err = New(Init{BaseURL: origin, Path: str(fmt.Sprintf("/t%d/", t)), Search: &SearchInit{Params: []ParamInit{{Key: "p", Value: str(fmt.Sprint(t))}}}})
		}
		if err != nil {
			panic(err)
		}
		scopes = append(scopes, s)
	}
	r := rand.New(rand.NewPCG(7, 7))
	var urls []*weburl.URL
	for len(urls) < 256 {
		s := scopes[r.IntN(min(len(scopes), 1000))]
		raw := s.Prefix() + "x/page.html?q=1"
		if s.search == searchParam {
			raw = s.Prefix() + "a=1&" + s.key.lit + "=" + s.pval.lit
		}
		u, err := weburl.Parse(raw)
		if err != nil {
			panic(err)
		}
		urls = append(urls, u)
	}
	return scopes, urls
}

func BenchmarkLookup(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		scopes, urls := benchCorpus(n)
		x := NewIndex[int](IndexOptions{MaxPerPrefix: -1})
		for i, s := range scopes {
			if err := x.Add(s, i); err != nil {
				b.Fatal(err)
			}
		}
		for _, u := range urls {
			if _, ok := x.Lookup(u); !ok {
				b.Fatalf("no scope for %s", u.Href())
			}
		}
		b.Run(fmt.Sprintf("index/scopes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				x.Lookup(urls[i%len(urls)])
			}
		})
		if n == 100_000 {
			b.Run(fmt.Sprintf("linear/scopes=%d", n), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					u := urls[i%len(urls)]
					var best Match
					found := false
					for _, s := range scopes {
						if m, ok := s.MatchURL(u); ok && (!found || Compare(m, best) < 0) {
							best, found = m, true
						}
					}
				}
			})
		}
	}
}

// BenchmarkLookupAdversarial registers the cap of search-parameter scopes on
// one non-variable prefix, the explainer's denial-of-service shape, and
// looks up a URL with a long query that none of them matches.
func BenchmarkLookupAdversarial(b *testing.B) {
	x := NewIndex[int](IndexOptions{})
	for i := 0; i < DefaultMaxPerPrefix; i++ {
		s, err := New(Init{BaseURL: "https://evil.test", Path: str("/"), Search: &SearchInit{Params: []ParamInit{{Key: fmt.Sprint("k", i), Value: str("v*")}}}})
		if err != nil {
			b.Fatal(err)
		}
		if err := x.Add(s, i); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := New(Init{BaseURL: "https://evil.test", Path: str("/")}); err != nil {
		b.Fatal(err)
	}
	q := ""
	for i := 0; i < 64; i++ {
		q += fmt.Sprintf("&x%d=%d", i, i)
	}
	u, _ := weburl.Parse("https://evil.test/?" + q[1:])
	b.ReportAllocs()
	for b.Loop() {
		x.Lookup(u)
	}
}

func BenchmarkLookupString(b *testing.B) {
	x := NewIndex[int](IndexOptions{})
	_ = x.Add(mustNew(b, Init{BaseURL: "https://app.test", Path: str("/maps/?*")}), 1)
	_ = x.Add(mustLegacy(b, "https://app.test/", ""), 2)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := x.LookupString("https://app.test/maps/place/x?y=1"); !ok {
			b.Fatal("no match")
		}
	}
}

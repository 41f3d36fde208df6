package bench

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	peer "github.com/dunglas/go-urlpattern"

	"github.com/swhost/swhost/urlpattern"
)

// wptEntry is one entry of the WPT data (see urlpattern/testdata/wpt).
type wptEntry struct {
	Pattern       []json.RawMessage `json:"pattern"`
	Inputs        []json.RawMessage `json:"inputs"`
	ExpectedObj   json.RawMessage   `json:"expected_obj"`
	ExpectedMatch json.RawMessage   `json:"expected_match"`
}

type initJSON struct {
	Protocol *string `json:"protocol"`
	Username *string `json:"username"`
	Password *string `json:"password"`
	Hostname *string `json:"hostname"`
	Port     *string `json:"port"`
	Pathname *string `json:"pathname"`
	Search   *string `json:"search"`
	Hash     *string `json:"hash"`
	BaseURL  *string `json:"baseURL"`
}

func (i initJSON) ours() urlpattern.Init {
	return urlpattern.Init{Protocol: i.Protocol, Username: i.Username, Password: i.Password, Hostname: i.Hostname,
		Port: i.Port, Pathname: i.Pathname, Search: i.Search, Hash: i.Hash, BaseURL: i.BaseURL}
}

func (i initJSON) peer() *peer.URLPatternInit {
	return &peer.URLPatternInit{Protocol: i.Protocol, Username: i.Username, Password: i.Password, Hostname: i.Hostname,
		Port: i.Port, Pathname: i.Pathname, Search: i.Search, Hash: i.Hash, BaseURL: i.BaseURL}
}

// benchCase is one WPT entry both implementations can run: constructors
// and test() calls for each.
type benchCase struct {
	name       string
	newOurs    func() (*urlpattern.URLPattern, error)
	newPeer    func() (*peer.URLPattern, error)
	testOurs   func(*urlpattern.URLPattern) bool
	testPeer   func(*peer.URLPattern) bool
	ours       *urlpattern.URLPattern
	peer       *peer.URLPattern
	wantsMatch bool
}

func isString(m json.RawMessage) bool { return len(m) > 0 && m[0] == '"' }

func str(m json.RawMessage) string {
	var s string
	_ = json.Unmarshal(m, &s)
	return s
}

// loadCases returns the WPT entries that construct without error in both
// implementations and have test() inputs.
func loadCases(tb testing.TB) []*benchCase {
	data, err := os.ReadFile("../urlpattern/testdata/wpt/urlpatterntestdata.json")
	if err != nil {
		tb.Fatal(err)
	}
	var entries []wptEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		tb.Fatal(err)
	}
	var cases []*benchCase
	for i, e := range entries {
		if string(e.ExpectedObj) == `"error"` || len(e.ExpectedMatch) == 0 || string(e.ExpectedMatch) == `"error"` || len(e.Pattern) == 0 {
			continue
		}
		c := &benchCase{name: fmt.Sprintf("wpt%03d", i), wantsMatch: string(e.ExpectedMatch) != "null"}
		ignoreCase := strings.Contains(string(e.Pattern[len(e.Pattern)-1]), `"ignoreCase":true`) ||
			strings.Contains(string(e.Pattern[len(e.Pattern)-1]), `"ignoreCase": true`)
		if isString(e.Pattern[0]) {
			s, base := str(e.Pattern[0]), ""
			if len(e.Pattern) > 1 && isString(e.Pattern[1]) {
				base = str(e.Pattern[1])
			}
			c.newOurs = func() (*urlpattern.URLPattern, error) {
				if base == "" {
					return urlpattern.New(s, urlpattern.Options{IgnoreCase: ignoreCase})
				}
				return urlpattern.NewWithBase(s, base, urlpattern.Options{IgnoreCase: ignoreCase})
			}
			c.newPeer = func() (*peer.URLPattern, error) { return peer.New(s, base, &peer.Options{IgnoreCase: ignoreCase}) }
		} else {
			var in initJSON
			if err := json.Unmarshal(e.Pattern[0], &in); err != nil || (len(e.Pattern) > 1 && isString(e.Pattern[1])) {
				continue
			}
			c.newOurs = func() (*urlpattern.URLPattern, error) {
				return urlpattern.NewFromInit(in.ours(), urlpattern.Options{IgnoreCase: ignoreCase})
			}
			c.newPeer = func() (*peer.URLPattern, error) { return in.peer().New(&peer.Options{IgnoreCase: ignoreCase}) }
		}
		switch {
		case len(e.Inputs) == 0:
			continue
		case isString(e.Inputs[0]):
			u, base := str(e.Inputs[0]), ""
			if len(e.Inputs) > 1 {
				base = str(e.Inputs[1])
			}
			if base == "" {
				c.testOurs = func(p *urlpattern.URLPattern) bool { return p.Test(u) }
			} else {
				c.testOurs = func(p *urlpattern.URLPattern) bool { return p.TestWithBase(u, base) }
			}
			c.testPeer = func(p *peer.URLPattern) bool { return p.Test(u, base) }
		default:
			var in initJSON
			if err := json.Unmarshal(e.Inputs[0], &in); err != nil || len(e.Inputs) > 1 {
				continue
			}
			oi, pi := in.ours(), in.peer()
			c.testOurs = func(p *urlpattern.URLPattern) bool { return p.TestInit(oi) }
			c.testPeer = func(p *peer.URLPattern) bool { return p.TestInit(pi) }
		}
		if c.ours, err = c.newOurs(); err != nil {
			continue
		}
		if c.peer, err = c.newPeer(); err != nil {
			continue
		}
		cases = append(cases, c)
	}
	return cases
}

// nsPerOp times f: after one untimed call (which may compile a lazy
// regexp), it takes five samples of at least d/5 each and returns the
// fastest, which filters out the pauses of a shared, loaded machine.
func nsPerOp(f func(), d time.Duration) float64 {
	f()
	best := math.Inf(1)
	n := 16
	for sample := 0; sample < 5; {
		start := time.Now()
		for i := 0; i < n; i++ {
			f()
		}
		el := time.Since(start)
		if el < d/5 {
			n = int(float64(n)*float64(d/5)/float64(max(el, time.Microsecond))*1.2) + 1
			continue
		}
		best = min(best, float64(el.Nanoseconds())/float64(n))
		sample++
	}
	return best
}

func geomean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += math.Log(x)
	}
	return math.Exp(s / float64(len(xs)))
}

// TestCompareWPT measures test() and construction for every usable WPT
// entry in both implementations, alternating between them, and prints the
// geometric means of the per-entry time ratios (peer / ours). Set
// URLPATTERN_BENCH_ENFORCE=1 to fail when the targets (test 5x,
// construction 3x) are missed.
func TestCompareWPT(t *testing.T) {
	if testing.Short() {
		t.Skip("timing comparison")
	}
	cases := loadCases(t)
	d := 2 * time.Millisecond
	if s := os.Getenv("URLPATTERN_BENCH_MS"); s != "" {
		var ms int
		fmt.Sscan(s, &ms)
		d = time.Duration(ms) * time.Millisecond
	}
	var testRatios, newRatios, oursTest, peerTest, oursNew, peerNew []float64
	type slow struct {
		name       string
		ours, peer float64
	}
	var slowest []slow
	agree := 0
	for _, c := range cases {
		if c.testOurs(c.ours) == c.testPeer(c.peer) {
			agree++
		}
		ot := nsPerOp(func() { c.testOurs(c.ours) }, d)
		pt := nsPerOp(func() { c.testPeer(c.peer) }, d)
		on := nsPerOp(func() { _, _ = c.newOurs() }, d)
		pn := nsPerOp(func() { _, _ = c.newPeer() }, d)
		slowest = append(slowest, slow{c.name, ot, pt})
		testRatios = append(testRatios, pt/ot)
		newRatios = append(newRatios, pn/on)
		oursTest, peerTest = append(oursTest, ot), append(peerTest, pt)
		oursNew, peerNew = append(oursNew, on), append(peerNew, pn)
	}
	var oursAllocs, peerAllocs []float64
	for _, c := range cases {
		oursAllocs = append(oursAllocs, testing.AllocsPerRun(20, func() { c.testOurs(c.ours) }))
		peerAllocs = append(peerAllocs, testing.AllocsPerRun(20, func() { c.testPeer(c.peer) }))
	}
	sort.Float64s(testRatios)
	tr, nr := geomean(testRatios), geomean(newRatios)
	fmt.Printf("WPT entries compared: %d (results agree on %d)\n", len(cases), agree)
	fmt.Printf("test():       ours %.0f ns, peer %.0f ns (geomean per entry); ratio peer/ours geomean %.2fx (min %.2fx, median %.2fx)\n",
		geomean(oursTest), geomean(peerTest), tr, testRatios[0], testRatios[len(testRatios)/2])
	fmt.Printf("construction: ours %.0f ns, peer %.0f ns (geomean per entry); ratio peer/ours geomean %.2fx\n",
		geomean(oursNew), geomean(peerNew), nr)
	fmt.Printf("allocs per test(): ours mean %.1f, peer mean %.1f\n", mean(oursAllocs), mean(peerAllocs))
	sort.Slice(slowest, func(i, j int) bool { return slowest[i].peer/slowest[i].ours < slowest[j].peer/slowest[j].ours })
	for _, s := range slowest[:5] {
		fmt.Printf("  lowest ratio: %s ours %.0f ns, peer %.0f ns\n", s.name, s.ours, s.peer)
	}
	if os.Getenv("URLPATTERN_BENCH_ENFORCE") == "1" && (tr < 5 || nr < 3) {
		t.Errorf("targets missed: test %.2fx (want 5x), construction %.2fx (want 3x)", tr, nr)
	}
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func BenchmarkTestWPT(b *testing.B) {
	cases := loadCases(b)
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, c := range cases {
				c.testOurs(c.ours)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cases)), "ns/test")
	})
	b.Run("peer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, c := range cases {
				c.testPeer(c.peer)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cases)), "ns/test")
	})
}

func BenchmarkNewWPT(b *testing.B) {
	cases := loadCases(b)
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, c := range cases {
				_, _ = c.newOurs()
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cases)), "ns/pattern")
	})
	b.Run("peer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, c := range cases {
				_, _ = c.newPeer()
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cases)), "ns/pattern")
	})
}

type longCase struct{ name, pattern, url string }

// longCases are 32 KiB URLs in the shapes that make backtracking engines
// explode; each matches its pattern.
func longCases() []longCase {
	const n = 32 << 10
	segs := "/" + strings.Repeat("a/", n/2)
	dashes := "/" + strings.Repeat("a-", n/2)
	labels := strings.Repeat("a.", n/2)
	return []longCase{
		{"stars", "https://example.com/*/*/*/*/x", "https://example.com" + segs + "x"},
		{"dashes", "https://example.com/:a-:b-:c-:d", "https://example.com" + dashes + "z"},
		{"rest-edit", "https://example.com/:first{-:rest}*/edit", "https://example.com" + strings.TrimSuffix(dashes, "-") + "/edit"},
		{"star-star-host", "https://**.example.com/", "https://" + labels + "example.com/"},
	}
}

// TestCompareLong times test() on the long inputs: ours as the fastest of
// five samples and as thread CPU time, the peer once (it takes up to
// hundreds of milliseconds).
func TestCompareLong(t *testing.T) {
	if testing.Short() {
		t.Skip("timing comparison")
	}
	for _, c := range longCases() {
		op, err := urlpattern.New(c.pattern, urlpattern.Options{})
		if err != nil {
			t.Fatal(err)
		}
		pp, err := peer.New(c.pattern, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if !op.Test(c.url) || !pp.Test(c.url, "") {
			t.Fatalf("%s: no match", c.name)
		}
		ours := nsPerOp(func() { op.Test(c.url) }, 100*time.Millisecond)
		start := time.Now()
		pp.Test(c.url, "")
		peerNs := float64(time.Since(start).Nanoseconds())
		cpu := "n/a"
		if d, ok := threadCPUPerOp(func() { op.Test(c.url) }, 200); ok {
			cpu = fmt.Sprintf("%.3f ms", float64(d.Nanoseconds())/1e6)
		}
		fmt.Printf("long input %-15s (%d bytes): ours %8.3f ms (thread CPU %s), peer %9.3f ms (%.0fx)\n",
			c.name, len(c.url), ours/1e6, cpu, peerNs/1e6, peerNs/ours)
	}
}

// BenchmarkLongInputs is test() on the long inputs.
func BenchmarkLongInputs(b *testing.B) {
	for _, c := range longCases() {
		op, err := urlpattern.New(c.pattern, urlpattern.Options{})
		if err != nil {
			b.Fatal(err)
		}
		pp, err := peer.New(c.pattern, "", nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name+"/ours", func(b *testing.B) {
			for b.Loop() {
				if !op.Test(c.url) {
					b.Fatal("no match")
				}
			}
		})
		b.Run(c.name+"/peer", func(b *testing.B) {
			for b.Loop() {
				if !pp.Test(c.url, "") {
					b.Fatal("no match")
				}
			}
		})
	}
}

package weburl

import (
	"fmt"
	"os"
	"testing"
	"time"

	nlnwa "github.com/nlnwa/whatwg-url/url"
)

// TestCompareNlnwa times Parse/ParseRef against nlnwa/whatwg-url on the
// benchmark inputs, alternating between the two and keeping the fastest of
// several samples of each, which is robust on a loaded machine. It only
// runs with WEBURL_COMPARE=1 and prints a Markdown table:
//
//	WEBURL_COMPARE=1 go test -count=1 -run TestCompareNlnwa -v ./internal/weburl
func TestCompareNlnwa(t *testing.T) {
	if os.Getenv("WEBURL_COMPARE") == "" {
		t.Skip("set WEBURL_COMPARE=1 to run")
	}
	const samples, iters = 7, 2000
	fastest := func(f func()) time.Duration {
		best := time.Duration(1 << 62)
		for s := 0; s < samples; s++ {
			start := time.Now()
			for i := 0; i < iters; i++ {
				f()
			}
			if d := time.Since(start); d < best {
				best = d
			}
		}
		return best / iters
	}
	allocs := func(f func()) float64 { return testing.AllocsPerRun(200, f) }
	row := func(kind, name string, ours, theirs func()) {
		// Warm up both, then alternate.
		ours()
		theirs()
		var o, p time.Duration
		for k := 0; k < 3; k++ {
			do, dp := fastest(ours), fastest(theirs)
			if k == 0 || do < o {
				o = do
			}
			if k == 0 || dp < p {
				p = dp
			}
		}
		fmt.Printf("| %s | `%s` | %d | %.0f | %d | %.0f | %.1fx |\n", kind, name, o.Nanoseconds(), allocs(ours), p.Nanoseconds(), allocs(theirs), float64(p)/float64(o))
	}
	fmt.Println("| call | input | ours ns | ours allocs | nlnwa ns | nlnwa allocs | ratio |")
	fmt.Println("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
	for _, in := range benchInputs {
		row("Parse", in.input, func() { sink, _ = Parse(in.input) }, func() { nlnwaSink, _ = nlnwa.Parse(in.input) })
	}
	base := MustParse(benchBase)
	nbase, err := nlnwa.Parse(benchBase)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range benchRefs {
		row("ParseRef", in.input, func() { sink, _ = ParseRef(base, in.input) }, func() { nlnwaSink, _ = nbase.Parse(in.input) })
	}
}

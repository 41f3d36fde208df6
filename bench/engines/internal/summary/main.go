// Command summary reads the Go benchmark lines of run.sh's rounds (the
// engines' and node.mjs's) on standard input and prints the comparison's
// tables in Markdown: per kernel call, the median over the rounds, the
// range, and the median and range of the ratios to sobek's and to Node's
// time in the same round; then the
// cost of a new runtime and its memory.
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var (
	line   = regexp.MustCompile(`^Benchmark(\S+)\s+\d+\s+([\d.]+) ns/op(.*)$`)
	metric = regexp.MustCompile(`([\d.]+) (\S+)`)
	procs  = regexp.MustCompile(`-\d+$`)
)

type series map[string][]float64 // unit -> values over the rounds

func main() {
	data := map[string]series{} // benchmark name without its -N suffix
	var order []string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		m := line.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		name := procs.ReplaceAllString(m[1], "")
		s, ok := data[name]
		if !ok {
			s = series{}
			data[name] = s
			order = append(order, name)
		}
		ns, _ := strconv.ParseFloat(m[2], 64)
		s["ns/op"] = append(s["ns/op"], ns)
		for _, mm := range metric.FindAllStringSubmatch(m[3], -1) {
			v, _ := strconv.ParseFloat(mm[1], 64)
			s[mm[2]] = append(s[mm[2]], v)
		}
	}
	med := func(name, unit string) (float64, bool) {
		v := data[name][unit]
		if len(v) == 0 {
			return 0, false
		}
		v = slices.Sorted(slices.Values(v))
		if len(v)%2 == 1 {
			return v[len(v)/2], true
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2, true
	}
	engineOf := func(name string) string { return name[strings.LastIndex(name, "/")+1:] }

	fmt.Println("| kernel | engine | µs per call (median) | range | rounds | × sobek, same round | × Node, same round |")
	fmt.Println("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
	for _, name := range order {
		if !strings.HasPrefix(name, "Kernels/") {
			continue
		}
		kernel := strings.Split(name, "/")[1]
		m, _ := med(name, "ns/op")
		v := data[name]["ns/op"]
		// The ratio to a peer is the median over the rounds of this
		// engine's time over the peer's in the same round: steadier than
		// a ratio of medians on a shared machine.
		ratio := func(peer string) string {
			for _, n := range order {
				if !strings.HasPrefix(n, "Kernels/"+kernel+"/"+peer) {
					continue
				}
				p := data[n]["ns/op"]
				if len(p) != len(v) {
					return "-"
				}
				r := make([]float64, len(v))
				for i := range v {
					r[i] = v[i] / p[i]
				}
				slices.Sort(r)
				mr := r[len(r)/2]
				if len(r)%2 == 0 {
					mr = (r[len(r)/2-1] + r[len(r)/2]) / 2
				}
				return fmt.Sprintf("%.2f (%.2f-%.2f)", mr, r[0], r[len(r)-1])
			}
			return "-"
		}
		fmt.Printf("| %s | %s | %.0f | %.0f-%.0f | %d | %s | %s |\n", kernel, engineOf(name), m/1e3,
			slices.Min(v)/1e3, slices.Max(v)/1e3, len(v), ratio("sobek"), ratio("node-"))
	}

	fmt.Println()
	fmt.Println("| engine | new runtime (bare) | + kernels.js | + harness.js | Go heap allocated, + harness.js |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: |")
	var engines []string
	for _, name := range order {
		if strings.HasPrefix(name, "New/") {
			e := strings.Split(name, "/")[1]
			if !slices.Contains(engines, e) {
				engines = append(engines, e)
			}
		}
	}
	for _, e := range engines {
		cell := func(what, unit string, scale float64, format string) string {
			if v, ok := med("New/"+e+"/"+what, unit); ok {
				return fmt.Sprintf(format, v/scale)
			}
			return "-"
		}
		fmt.Printf("| %s | %s | %s | %s | %s |\n", e,
			cell("bare", "ns/op", 1e3, "%.1f µs"), cell("kernels", "ns/op", 1e3, "%.0f µs"),
			cell("harness", "ns/op", 1e6, "%.1f ms"), cell("harness", "B/op", 1<<20, "%.1f MiB"))
	}

	fmt.Println()
	fmt.Println("| engine | resident set per runtime with harness.js | live heap per runtime (Go's, V8's for Node) |")
	fmt.Println("| --- | ---: | ---: |")
	for _, name := range order {
		if !strings.HasPrefix(name, "Memory/") {
			continue
		}
		rss, _ := med(name, "rss-B/rt")
		heap, _ := med(name, "heap-B/rt")
		fmt.Printf("| %s | %.1f MiB | %.1f MiB |\n", engineOf(name), rss/(1<<20), heap/(1<<20))
	}
}

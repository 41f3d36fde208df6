// Command v8gen regenerates ../v8.json, the differential oracle for package
// jsregexp: it builds ECMAScript patterns (the table cases plus random ones),
// asks V8 (node, 20 or later, for the v flag) whether each is valid and what
// RegExp.prototype.exec returns on sample inputs, and records the answers.
//
//	cd internal/jsregexp/testdata && go run ./v8gen
//
// With -n, -seed and -o it writes a larger or different sample elsewhere, to
// run locally with JSREGEXP_V8_JSON=path go test -run V8. V8 backtracks for
// minutes on some random patterns (RE2 has no such inputs), so it is asked in
// chunks with a time limit, and a chunk that runs out is dropped.
//
// The test reads only the JSON, so neither CI nor go test needs node.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

type entry struct {
	Src    string      `json:"src"`
	Flags  string      `json:"flags"`
	Inputs []string    `json:"inputs,omitempty"`
	Valid  bool        `json:"valid"`
	Error  string      `json:"error,omitempty"`
	Exec   [][]*string `json:"exec,omitempty"` // per input: nil for no match, else match and groups (nil = undefined)
}

// The node side: one JSON array in, one out.
const script = `
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
for (const c of cases) {
  let re;
  try { re = new RegExp(c.src, c.flags); } catch (e) { c.valid = false; c.error = e.message; continue; }
  c.valid = true;
  c.exec = c.inputs.map(s => { const m = re.exec(s); return m ? Array.from(m, x => x === undefined ? null : x) : null; });
}
process.stdout.write(JSON.stringify(cases));
`

var atoms = []string{
	"a", "b", "k", "K", "s", "S", "ß", "ẞ", "ſ", "K", "/", "-", "é", "α", "Σ", "😀", " ", "_", "0", "9", ":",
	".", "^", "$", `\d`, `\D`, `\w`, `\W`, `\s`, `\S`, `\b`, `\B`, `\/`, `\.`, `\-`, `\*`, `\u{1F600}`,
	`\uD83D\uDE00`, `\uD83D`, `\x41`, `\u006B`, `\cJ`, `\0`, `\n`, `\r`, `\t`, `\k<a>`, `\1`, `\p{L}`, `\P{Lu}`,
	`\p{Lu}`, `\p{Ll}`, `\p{sc=Greek}`, `\p{Script=Latin}`, `\p{ASCII}`, `\p{gc=Nd}`, `\p{Any}`, `\pL`, `\q{ab}`,
	`\z`, `\Q`, `\a`, "]", "}", "{", ")", "(?i)", "(?P<a>x)", `\p{White_Space}`, `\p{Alphabetic}`,
}

var classAtoms = []string{
	"a", "b", "z", "k", "K", "s", "ß", "ſ", "0", "9", "é", "α", "😀", ".", ":", "&", "!", "^", "_", " ",
	`\d`, `\w`, `\s`, `\W`, `\D`, `\S`, `\p{L}`, `\P{L}`, `\p{Lu}`, `\p{Ll}`, `\p{sc=Greek}`, `\p{ASCII}`,
	`\q{ab}`, `\q{ab|c}`, `\q{}`, `\q{abc|ab|k}`, `\b`, `\-`, `\&`, `\/`, `\]`, `\uD83D\uDE00`, `\u{1F600}`,
	"-", "(", "/", "|", "&&", "--", "..", "!!", `\B`, `\1`,
}

var quants = []string{"", "", "", "*", "+", "?", "*?", "+?", "??", "{2}", "{1,3}", "{0,}", "{2,}?", "{1001}", "{", "{3,1}"}

func class(r *rand.Rand, depth int) string {
	var b strings.Builder
	b.WriteString("[")
	if r.IntN(3) == 0 {
		b.WriteString("^")
	}
	op := ""
	switch r.IntN(5) {
	case 0:
		op = "--"
	case 1:
		op = "&&"
	}
	n := r.IntN(4)
	for i := 0; i < n; i++ {
		if i > 0 && op != "" {
			b.WriteString(op)
		}
		switch k := r.IntN(10); {
		case k < 2 && depth < 3:
			b.WriteString(class(r, depth+1))
		case k < 4 && op == "":
			lo, hi := classAtoms[r.IntN(12)], classAtoms[r.IntN(12)]
			b.WriteString(lo + "-" + hi)
		default:
			b.WriteString(classAtoms[r.IntN(len(classAtoms))])
		}
	}
	b.WriteString("]")
	return b.String()
}

func pattern(r *rand.Rand, depth int) string {
	var b strings.Builder
	n := 1 + r.IntN(4)
	for i := 0; i < n; i++ {
		switch k := r.IntN(14); {
		case k < 2 && depth < 3:
			open := []string{"(", "(?:", "(?<a>", "(?<b>", "(?=", "(?!", "(?<=", "(?i:", "(?s:", "(?-i:", "("}[r.IntN(11)]
			b.WriteString(open + pattern(r, depth+1) + ")")
		case k < 5:
			b.WriteString(class(r, 0))
		case k < 6:
			b.WriteString("|")
		default:
			b.WriteString(atoms[r.IntN(len(atoms))])
		}
		b.WriteString(quants[r.IntN(len(quants))])
	}
	return b.String()
}

const inputAlphabet = "aabbkKsSßẞſK/..-_09 \n\r\u2028\u00a0\ufeffαΑΣσςé😀:AZ"

func inputs(r *rand.Rand) []string {
	alpha := []rune(inputAlphabet)
	out := []string{""}
	for i := 0; i < 7; i++ {
		var b strings.Builder
		for j := r.IntN(7); j > 0; j-- {
			b.WriteRune(alpha[r.IntN(len(alpha))])
		}
		out = append(out, b.String())
	}
	return out
}

// askV8 runs the node script on cases, with a time limit.
func askV8(cases []*entry) ([]*entry, error) {
	in, err := json.Marshal(cases)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "-e", script)
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, err
	}
	var got []*entry
	if err := json.Unmarshal(out, &got); err != nil {
		return nil, err
	}
	return got, nil
}

func main() {
	n := flag.Int("n", 3000, "number of random patterns")
	seed := flag.Uint64("seed", 20261122, "random seed")
	outPath := flag.String("o", "v8.json", "output file")
	flag.Parse()
	r := rand.New(rand.NewPCG(*seed, 1))
	var srcs []string
	for _, name := range []string{"translate.json", "match.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			log.Fatal(err)
		}
		var cases []struct {
			Src   string `json:"src"`
			Input string `json:"input"`
		}
		if err := json.Unmarshal(data, &cases); err != nil {
			log.Fatal(err)
		}
		for _, c := range cases {
			srcs = append(srcs, c.Src)
		}
	}
	for i := 0; i < *n; i++ {
		srcs = append(srcs, pattern(r, 0))
	}
	var cases []*entry
	seen := map[string]bool{}
	for _, src := range srcs {
		for _, flags := range []string{"v", "vi"} {
			if seen[flags+src] {
				continue
			}
			seen[flags+src] = true
			cases = append(cases, &entry{Src: src, Flags: flags, Inputs: inputs(r)})
		}
	}
	// V8 backtracks exponentially on some random patterns: ask it in
	// chunks, each with a time limit, and drop a chunk that runs out.
	var answered []*entry
	for lo := 0; lo < len(cases); lo += 250 {
		chunk := cases[lo:min(lo+250, len(cases))]
		got, err := askV8(chunk)
		if err != nil {
			log.Printf("cases %d..%d dropped: %v", lo, lo+len(chunk)-1, err)
			continue
		}
		answered = append(answered, got...)
	}
	cases = answered
	// Node 20's V8 (11.3) predates modifier groups and duplicate named
	// groups (ES2025): drop what it rejects for that reason only. It also
	// predates V8's fix for case folding in v-mode set operations and
	// complements (it matches "a" with /[[a-z]--a]/vi, against the spec's
	// MaybeSimpleCaseFolding) and mis-handles [^] in v mode (/[^]{2}/v finds
	// one character, /[^[]]+/v likewise): drop those answers too.
	modifiers := regexp.MustCompile(`\(\?[ims]*-?[ims]*:`)
	foldedSetOps := regexp.MustCompile(`--|&&|\[\^|\\[PWSD]`)
	var kept []*entry
	for _, c := range cases {
		if !c.Valid && (modifiers.MatchString(strings.ReplaceAll(c.Src, "(?:", "")) || strings.Contains(c.Error, "Duplicate capture group name")) {
			continue
		}
		// V8 also rejects Script=Katakana_Or_Hiragana (sc=Hrkt), which
		// PropertyValueAliases.txt lists and the spec therefore allows.
		if strings.Contains(c.Src, "Katakana_Or_Hiragana") {
			continue
		}
		if c.Valid && (c.Flags == "vi" && foldedSetOps.MatchString(c.Src) || strings.Contains(c.Src, "[^]") || strings.Contains(c.Src, "[^[]]") || strings.Contains(c.Src, "[^[[]]]")) {
			continue
		}
		if !c.Valid {
			c.Inputs = nil
		}
		kept = append(kept, c)
	}
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i, c := range kept {
		line, err := json.Marshal(c)
		if err != nil {
			log.Fatal(err)
		}
		buf.Write(line)
		if i < len(kept)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]\n")
	if err := os.WriteFile(*outPath, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %d cases (%d dropped)\n", len(kept), len(cases)-len(kept))
}

package worker

import (
	"strconv"
	"strings"
	"testing"

	"github.com/swhost/swhost/sw"
)

// TestRegExpPropertyLiterals: literals with a Unicode property escape,
// inside a class (which esbuild leaves as they are) or not, match as
// ECMAScript says in classic scripts and modules, and the positions of
// what follows them on the same line still point at the original columns.
func TestRegExpPropertyLiterals(t *testing.T) {
	const src = "function f() {\n" +
		"  const [a, b, e] = [/^[\\p{L}\\p{N}]+$/u, /^[\\p{Lu}]$/u, new Error('here')];\n" +
		"  return [a.test('Ω1'), a.test('-'), b.test('Ω'), b.test('ω'), a.source, e.stack.split('\\n')[1].trim()].join(' ');\n" +
		"}\n"
	const want = "true false true false ^[\\p{L}\\p{N}]+$ at f (https://app.test/sw.js:2:"
	col := strings.Index(strings.Split(src, "\n")[1], "new Error") + 1
	for _, typ := range []string{"classic", "module"} {
		body, _, s := fetchText(t, "https://app.test/sw.js", sw.WorkerType(typ), src+respond, nil)
		if !strings.HasPrefix(body, want) {
			t.Errorf("%s: got %q, want %q...", typ, body, want)
			continue
		}
		if !strings.HasPrefix(body[len(want):], strconv.Itoa(col)+"(") {
			t.Errorf("%s: the Error's column is %q, want %d", typ, body[len(want):], col)
		}
		if !s.lowered {
			t.Errorf("%s: not lowered", typ)
		}
	}
}

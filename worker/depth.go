package worker

import (
	"reflect"

	"github.com/grafana/sobek/ast"

	"github.com/swhost/swhost/weberr"
)

// MaxScriptDepth caps how deeply a script's syntax tree may nest
// (expressions within expressions, blocks within blocks). The parser and
// the compiler recurse once per level, and a goroutine whose stack passes
// 1 GB ends the process, so a script over the limit is refused before it
// is compiled, with a RangeError, as a browser's parser refuses nesting
// deeper than its stack.
const MaxScriptDepth = 2000

// maxBracketDepth is the bracket nesting checkScriptNesting lets through to
// the parser: far above MaxScriptDepth (the scan also counts brackets in
// regular expressions), far below what would exhaust the parser's stack.
const maxBracketDepth = 10 * MaxScriptDepth

// checkScriptNesting scans src for brackets nested deeper than
// maxBracketDepth, skipping strings, template literals, comments and
// escaped characters, so that the parser never recurses that deep.
func checkScriptNesting(url string, src []byte) error {
	depth := 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '\\':
			i++
		case '\'', '"', '`':
			for i++; i < len(src) && src[i] != c; i++ {
				if src[i] == '\\' {
					i++
				} else if c != '`' && src[i] == '\n' {
					break
				}
			}
		case '/':
			if i+1 < len(src) && src[i+1] == '/' {
				for i < len(src) && src[i] != '\n' {
					i++
				}
			} else if i+1 < len(src) && src[i+1] == '*' {
				for i += 2; i+1 < len(src) && !(src[i] == '*' && src[i+1] == '/'); i++ {
				}
				i++
			}
		case '(', '[', '{':
			if depth++; depth > maxBracketDepth {
				return weberr.Errorf(weberr.RangeError, "script %s nests brackets more than %d deep", url, maxBracketDepth)
			}
		case ')', ']', '}':
			depth = max(0, depth-1)
		}
	}
	return nil
}

// maxScriptWork caps the sum, over a script's syntax nodes, of each
// node's depth: compiling costs about that much (a chain of n additions
// costs time quadratic in n). The limit lets ordinary code (bundled code
// and data, as in BenchmarkCompileScript) through far beyond
// MaxScriptBytes, and refuses chains of operators once compiling them
// would take about a second (docs/benchmarks.md, "Engine costs (sobek)", has the figures).
const maxScriptWork = 50_000_000

// checkAST fails with a RangeError when the syntax tree under node is
// deeper than MaxScriptDepth or its nodes' depths sum to more than
// maxScriptWork. It walks the tree by reflection, so that every kind of
// node counts, and stops at the first limit it passes.
func checkAST(url string, node any) error {
	w := astWalk{}
	if w.exceeds(reflect.ValueOf(node), 0) {
		if w.deep {
			return weberr.Errorf(weberr.RangeError, "script %s nests expressions or statements more than %d deep", url, MaxScriptDepth)
		}
		return weberr.Errorf(weberr.RangeError, "script %s is too complex to compile (its syntax nests too much overall; long chains of operators do)", url)
	}
	return nil
}

var astPkg = reflect.TypeFor[ast.Program]().PkgPath()

// astWalk sums the depths of the syntax nodes it visits.
type astWalk struct {
	work int64
	deep bool // the walk stopped at MaxScriptDepth, not at maxScriptWork
}

// exceeds reports whether the tree under v, at depth, passes a limit.
// Only values of the ast package are followed.
func (w *astWalk) exceeds(v reflect.Value, depth int) bool {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return false
		}
		return w.exceeds(v.Elem(), depth)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return false
		}
		for i := range v.Len() {
			if w.exceeds(v.Index(i), depth) {
				return true
			}
		}
	case reflect.Struct:
		if v.Type().PkgPath() != astPkg {
			return false
		}
		depth++
		if w.work += int64(depth); w.work > maxScriptWork {
			return true
		}
		if depth > MaxScriptDepth {
			w.deep = true
			return true
		}
		for i := range v.NumField() {
			if f := v.Field(i); f.Kind() == reflect.Interface || f.Kind() == reflect.Pointer || f.Kind() == reflect.Slice || f.Kind() == reflect.Struct {
				if w.exceeds(f, depth) {
					return true
				}
			}
		}
	}
	return false
}

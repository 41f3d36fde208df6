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

// Limits of a script's shape (shape.go), checked before any parser reads
// it. They sit above what ordinary scripts reach (bundles nest tens of
// levels where the limits are thousands; the sums are calibrated on real
// files) and below what would exhaust a parser's stack or take it more
// than about a second (docs/benchmarks.md, "Figures behind comments in
// the code" and "worker: lowering modern syntax").
const (
	// maxBracketDepth bounds bracket nesting: far above MaxScriptDepth,
	// far below what would exhaust the parser's stack.
	maxBracketDepth = 10 * MaxScriptDepth
	// maxNesting bounds shape.nesting, the same way.
	maxNesting = 10 * MaxScriptDepth
	// maxLabelWork bounds shape.labelWork (0.5 s of sobek's parser).
	maxLabelWork = 500_000
	// maxArrowWork bounds shape.arrowWork: sobek parses a chain of n
	// arrow functions (a => b => ...) in time quadratic in n (2,000 in a
	// row take 26 ms, 20,000 take 3.3 s); the limit lets 3,000 through.
	maxArrowWork = 5_000_000

	// A script esbuild lowers must besides nest no deeper than
	// MaxScriptDepth (esbuild's stack, and memory quadratic in the depth
	// of nested blocks) and stay within these sums.
	maxLowerCommaWork = 10_000_000  // about 1 s of esbuild printing sequences
	maxLowerScopeWork = 100_000_000 // about 1 s of esbuild renaming shadowed names
)

// checkShape fails with a RangeError when sh, a script's shape, is beyond
// what any parser may be given.
func checkShape(url string, sh scriptShape) error {
	switch {
	case sh.brackets > maxBracketDepth:
		return weberr.Errorf(weberr.RangeError, "script %s nests brackets more than %d deep", url, maxBracketDepth)
	case sh.nesting > maxNesting:
		return weberr.Errorf(weberr.RangeError, "script %s nests expressions or statements more than %d deep", url, maxNesting)
	case sh.labelWork > maxLabelWork, sh.arrowWork > maxArrowWork:
		return weberr.Errorf(weberr.RangeError, "script %s is too complex to compile (it nests too many labels or arrow functions)", url)
	}
	return nil
}

// checkLowerShape fails with a RangeError when sh is beyond what esbuild
// may be given.
func checkLowerShape(url string, sh scriptShape) error {
	switch {
	case sh.nesting > MaxScriptDepth:
		return weberr.Errorf(weberr.RangeError, "script %s is too deeply nested to lower (more than %d levels of brackets, expressions or statements)", url, MaxScriptDepth)
	case sh.commaWork > maxLowerCommaWork:
		return weberr.Errorf(weberr.RangeError, "script %s is too complex to lower (its comma-separated sequences are too long)", url)
	case sh.scopeWork > maxLowerScopeWork:
		return weberr.Errorf(weberr.RangeError, "script %s is too complex to lower (it nests too many functions or blocks)", url)
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
// node counts, and stops at the first limit it passes. It reports whether
// the tree holds what sobek parses but cannot run, so that the script is
// lowered: an async generator function (sobek cannot compile it), or a
// regular expression literal with the u flag and a Unicode property
// escape (sobek reads \p{L} as text; esbuild turns the literal into a
// RegExp call, which js/05_regexp.js rewrites).
func checkAST(url string, node any) (lowerNeeded bool, err error) {
	w := astWalk{}
	if w.exceeds(reflect.ValueOf(node), 0) {
		if w.deep {
			return false, weberr.Errorf(weberr.RangeError, "script %s nests expressions or statements more than %d deep", url, MaxScriptDepth)
		}
		return false, weberr.Errorf(weberr.RangeError, "script %s is too complex to compile (its syntax nests too much overall; long chains of operators do)", url)
	}
	return w.asyncGenerator || w.propertyEscape, nil
}

var (
	astPkg          = reflect.TypeFor[ast.Program]().PkgPath()
	funcLiteralType = reflect.TypeFor[ast.FunctionLiteral]()
	regExpType      = reflect.TypeFor[ast.RegExpLiteral]()
)

// astWalk sums the depths of the syntax nodes it visits.
type astWalk struct {
	work           int64
	deep           bool // the walk stopped at MaxScriptDepth, not at maxScriptWork
	asyncGenerator bool // an ast.FunctionLiteral both async and generator was seen
	propertyEscape bool // an ast.RegExpLiteral with the u flag and \p{ or \P{ was seen
}

// exceeds reports whether the tree under v, at depth, passes a limit.
func (w *astWalk) exceeds(v reflect.Value, depth int) bool {
	return walkAST(v, depth, func(s reflect.Value, depth int) bool {
		if s.Type() == funcLiteralType && !w.asyncGenerator {
			w.asyncGenerator = s.FieldByName("Async").Bool() && s.FieldByName("Generator").Bool()
		}
		if s.Type() == regExpType && !w.propertyEscape {
			w.propertyEscape = hasPropertyEscape(s.FieldByName("Pattern").String(), s.FieldByName("Flags").String())
		}
		if w.work += int64(depth); w.work > maxScriptWork {
			return true
		}
		if depth > MaxScriptDepth {
			w.deep = true
			return true
		}
		return false
	})
}

// walkAST calls visit with each struct of sobek's ast package under v,
// with its depth (one more than its parent's; v's children are at
// depth+1), depth first; it stops, and returns true, as soon as visit
// returns true. Only values of the ast package are followed.
func walkAST(v reflect.Value, depth int, visit func(s reflect.Value, depth int) bool) bool {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return false
		}
		return walkAST(v.Elem(), depth, visit)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return false
		}
		for i := range v.Len() {
			if walkAST(v.Index(i), depth, visit) {
				return true
			}
		}
	case reflect.Struct:
		if v.Type().PkgPath() != astPkg {
			return false
		}
		depth++
		if visit(v, depth) {
			return true
		}
		for i := range v.NumField() {
			if f := v.Field(i); f.Kind() == reflect.Interface || f.Kind() == reflect.Pointer || f.Kind() == reflect.Slice || f.Kind() == reflect.Struct {
				if walkAST(f, depth, visit) {
					return true
				}
			}
		}
	}
	return false
}

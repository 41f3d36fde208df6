package worker

import (
	"reflect"
	"slices"
	"strings"

	"github.com/grafana/sobek/ast"
	"github.com/grafana/sobek/parser"
)

// Regular expression literals with a Unicode property escape: sobek parses
// /\p{L}/u but reads \p{L} as text, and only its RegExp constructor can be
// made to understand it (js/05_regexp.js). esbuild turns most such
// literals into RegExp calls (lowerSupported), but it looks for \p{ only
// outside character classes; regexpEdits finds the rest in esbuild's
// output, which lower rewrites to RegExp calls too.

// regexpEdit replaces code[start:end], a regular expression literal on
// generated line line (0-based) at UTF-16 column col, with text.
type regexpEdit struct {
	start, end int
	line, col  int
	text       string
}

// hasPropertyEscape reports whether a literal's pattern and flags hold a
// Unicode property escape that sobek would misread.
func hasPropertyEscape(pattern, flags string) bool {
	return strings.Contains(flags, "u") && (strings.Contains(pattern, `\p{`) || strings.Contains(pattern, `\P{`))
}

// regexpEdits returns the edits that turn every regular expression literal
// of code with a Unicode property escape into new RegExp(pattern, flags),
// in order. Code sobek cannot parse has none (its error is reported when
// it is parsed for good).
func regexpEdits(code string, module bool) []regexpEdit {
	if !strings.Contains(code, `\p{`) && !strings.Contains(code, `\P{`) {
		return nil
	}
	opts := []parser.Option{parser.WithDisableSourceMaps}
	if module {
		opts = append(opts, parser.IsModule)
	}
	prog, err := parser.ParseFile(nil, "", code, 0, opts...)
	if err != nil {
		return nil
	}
	var lits []*ast.RegExpLiteral
	walkAST(reflect.ValueOf(prog), 0, func(s reflect.Value, _ int) bool {
		if s.Type() == regExpType && s.CanAddr() {
			if l := s.Addr().Interface().(*ast.RegExpLiteral); hasPropertyEscape(l.Pattern, l.Flags) {
				lits = append(lits, l)
			}
		}
		return false
	})
	slices.SortFunc(lits, func(a, b *ast.RegExpLiteral) int { return int(a.Idx) - int(b.Idx) })
	edits := make([]regexpEdit, 0, len(lits))
	base := prog.File.Base()
	for _, l := range lits {
		start := int(l.Idx) - base
		end := start + len(l.Literal)
		if start < 0 || end > len(code) || code[start:end] != l.Literal {
			continue
		}
		// esbuild ends its lines with \n.
		lineStart := strings.LastIndexByte(code[:start], '\n') + 1
		line := strings.Count(code[:lineStart], "\n")
		edits = append(edits, regexpEdit{
			start: start, end: end,
			line: line, col: utf16Len(code[lineStart:start]),
			text: "new RegExp(" + jsQuote(l.Pattern) + ", " + jsQuote(l.Flags) + ")",
		})
	}
	return edits
}

// applyRegexpEdits returns code with edits made.
func applyRegexpEdits(code string, edits []regexpEdit) string {
	var b strings.Builder
	from := 0
	for _, e := range edits {
		b.WriteString(code[from:e.start])
		b.WriteString(e.text)
		from = e.end
	}
	b.WriteString(code[from:])
	return b.String()
}

// shiftSegments moves the generated columns of the segments after each
// edit, on its line, by the length it adds.
func shiftSegments(lines [][]segment, code string, edits []regexpEdit) {
	// Edits on the same line shift the later ones' columns too: go from
	// the last to the first.
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		if e.line >= len(lines) {
			continue
		}
		delta := utf16Len(e.text) - utf16Len(code[e.start:e.end])
		for j := range lines[e.line] {
			if lines[e.line][j].genCol > e.col {
				lines[e.line][j].genCol += delta
			}
		}
	}
}

// jsQuote returns s as a JavaScript string literal. s comes from a regular
// expression literal, so it holds no line terminator.
func jsQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case 0x2028:
			b.WriteString(`\u2028`)
		case 0x2029:
			b.WriteString(`\u2029`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

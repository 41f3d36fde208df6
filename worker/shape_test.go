package worker

import (
	"strings"
	"testing"
)

// TestScanShape: the shape scan skips strings, comments, template text and
// regular expressions (telling them from division as the grammar does),
// and counts what parsers nest.
func TestScanShape(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	tests := []struct {
		name         string
		src          string
		brackets     int
		nestingAbove int // shape.nesting must be more than this
		nestingMax   int // and at most this (0: no bound)
	}{
		{"strings and comments", "x = '[[[(' + \"{{\" // ((((\n/* [[[[ */ + `[[${ [1] }]]`;", 2, 0, 6},
		{"regular expression after an operator", "x = /[(]'/.test(s) + /\\/[/.source;", 1, 0, 0},
		{"regular expression after if (...)", "if (a) /'[(]/.test(b); " + deep(5), 5, 4, 0},
		{"division after a call", "x = f(a) / 2 / g(b); y = a / b / c;", 1, 0, 0},
		{"regular expression after a block", "{ }\n/'/.test(x); " + deep(7), 7, 6, 0},
		{"division after an object literal", "x = {} / 2; z = ({}) / 3; " + deep(3), 3, 2, 0},
		{"unterminated string is code", "x = 'abc\n" + deep(6), 6, 5, 0},
		{"template substitutions nest", "x = `a${`b${`c${ [d] }`}`}`;", 4, 3, 0},
		{"assignment chain", "a = " + strings.Repeat("b = ", 50) + "c;", 0, 50, 60},
		{"member chain", "x = a" + strings.Repeat(".b", 40) + ";", 0, 40, 50},
		{"chains reset at ; and ,", strings.Repeat("a = b = c; ", 100) + "f(" + strings.Repeat("x.y, ", 100) + "z)", 1, 0, 8},
		{"else if chains nest", strings.Repeat("if (a) b; else ", 30) + "c;", 1, 30, 0},
		{"function declarations do not", strings.Repeat("function f(a) { return a.b.c; }\n", 200), 1, 0, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh := scanShape([]byte(tt.src), false)
			if sh.brackets != tt.brackets {
				t.Errorf("brackets = %d, want %d", sh.brackets, tt.brackets)
			}
			if sh.nesting <= tt.nestingAbove || tt.nestingMax > 0 && sh.nesting > tt.nestingMax {
				t.Errorf("nesting = %d, want in (%d, %d]", sh.nesting, tt.nestingAbove, tt.nestingMax)
			}
		})
	}
	// The work sums grow as the costs they stand for.
	seq := func(n int) int64 { return scanShape([]byte(strings.Repeat("a(),", n)+"a();"), false).commaWork }
	if a, b := seq(100), seq(200); b < 3*a {
		t.Errorf("commaWork of 100 and 200 in a row: %d, %d (want quadratic)", a, b)
	}
	if w := scanShape([]byte("x = ["+strings.Repeat("1,", 1000)+"1]; y = {"+strings.Repeat("a: 1,", 1000)+"b: 2};"), false).commaWork; w != 0 {
		t.Errorf("array and object literals count comma work %d", w)
	}
	labels := scanShape([]byte(strings.Repeat("a: ", 100)+"b;"), false).labelWork
	if labels < 100*100/2 {
		t.Errorf("labelWork of 100 nested labels = %d", labels)
	}
	if n := scanShape([]byte("let x: A<"+strings.Repeat("A<", 50)+"B"+strings.Repeat(">", 51)+";"), true).nesting; n < 50 {
		t.Errorf("TypeScript type arguments nesting = %d", n)
	}
}

package worker

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
	"unicode"
)

var update = flag.Bool("update", false, "rewrite generated files (js/00_records.js)")

// recordsJS generates js/00_records.js from the record blocks of
// records.go.
func recordsJS(t *testing.T) []byte {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "records.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString("// Code generated from worker/records.go by TestRecordsJS (go test ./worker -run TestRecordsJS -update); DO NOT EDIT.\n")
	b.WriteString("// The slots of the records Go and JavaScript exchange.\n")
	b.WriteString("(function (internals, host, global) {\n  'use strict';\n  Object.assign(internals, {\n")
	blocks := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST || g.Doc == nil {
			continue
		}
		var prefix string
		for _, c := range g.Doc.List {
			if p, ok := strings.CutPrefix(strings.TrimPrefix(c.Text, "// "), "record "); ok {
				prefix = strings.TrimSpace(p)
			}
		}
		if prefix == "" {
			continue
		}
		blocks++
		var names []string
		for i, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			// Slots are consecutive from 0: iota on the first, nothing
			// on the others.
			if id, ok := func() (*ast.Ident, bool) {
				if len(vs.Values) != 1 {
					return nil, false
				}
				id, ok := vs.Values[0].(*ast.Ident)
				return id, ok
			}(); (i == 0) != (ok && id.Name == "iota") || i > 0 && len(vs.Values) > 0 {
				t.Fatalf("record %s: %s must be iota's next value", prefix, vs.Names[0].Name)
			}
			names = append(names, vs.Names[0].Name)
		}
		lower := lowerPrefix(names)
		fmt.Fprintf(&b, "    // record %s (records.go)\n    ", prefix)
		for i, n := range names {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s_%s: %d", prefix, upperSnake(strings.TrimPrefix(n, lower)), i)
		}
		b.WriteString(",\n")
	}
	b.WriteString("  });\n})\n")
	if blocks == 0 {
		t.Fatal("records.go has no record blocks")
	}
	return b.Bytes()
}

// lowerPrefix is the lower-case prefix the names of a block share
// (url of urlHref, urlOrigin).
func lowerPrefix(names []string) string {
	n := names[0]
	i := strings.IndexFunc(n, unicode.IsUpper)
	if i < 0 {
		return n
	}
	return n[:i]
}

// upperSnake turns CamelCase into CAMEL_CASE; a run of capitals (URL) is
// one word.
func upperSnake(s string) string {
	var b strings.Builder
	r := []rune(s)
	for i, c := range r {
		if i > 0 && unicode.IsUpper(c) && (unicode.IsLower(r[i-1]) || i+1 < len(r) && unicode.IsLower(r[i+1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(c))
	}
	return b.String()
}

// TestRecordsJS checks that js/00_records.js is what records.go
// generates; with -update it writes it.
func TestRecordsJS(t *testing.T) {
	want := recordsJS(t)
	const path = "js/00_records.js"
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run go test ./worker -run TestRecordsJS -update", path)
	}
}

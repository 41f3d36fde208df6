package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// defaults is the result member of a component the pattern leaves as "*"
// and the input leaves empty.
const emptyStar = `{"input":"","groups":{"0":""}}`

func TestPatternCommand(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // exact, unless it starts with "~", then a substring
		wantStderr string // substring
	}{
		{
			name:     "init pattern, issue example",
			args:     []string{"pattern", `{"pathname":"/books/:id"}`, "https://example.com/books/7"},
			wantCode: exitOK,
			wantStdout: `{"inputs":["https://example.com/books/7"],"protocol":{"input":"https","groups":{"0":"https"}},` +
				`"username":` + emptyStar + `,"password":` + emptyStar + `,` +
				`"hostname":{"input":"example.com","groups":{"0":"example.com"}},"port":` + emptyStar + `,` +
				`"pathname":{"input":"/books/7","groups":{"id":"7"}},"search":` + emptyStar + `,"hash":` + emptyStar + "}\n",
		},
		{
			name:       "relative pattern without base",
			args:       []string{"pattern", "/books/:id"},
			wantCode:   exitBadInput,
			wantStderr: "swhost: TypeError: invalid pattern \"/books/:id\": a relative pattern needs a base URL",
		},
		{
			name:     "components",
			args:     []string{"pattern", "--base", "https://example.com", "/books/:id(\\d+)"},
			wantCode: exitOK,
			wantStdout: `{"protocol":"https","username":"*","password":"*","hostname":"example.com","port":"",` +
				`"pathname":"/books/:id(\\d+)","search":"*","hash":"*","hasRegExpGroups":true}` + "\n",
		},
		{
			name:     "components of an init",
			args:     []string{"pattern", `{"hostname":"{:sub.}?example.com","port":"8080"}`},
			wantCode: exitOK,
			wantStdout: `{"protocol":"*","username":"*","password":"*","hostname":"{:sub.}?example.com","port":"8080",` +
				`"pathname":"*","search":"*","hash":"*","hasRegExpGroups":false}` + "\n",
		},
		{
			name:       "input base echoed, undefined group is null",
			args:       []string{"pattern", "https://example.com/books/:id?", "--input-base", "https://example.com", "/books"},
			wantCode:   exitOK,
			wantStdout: `~"inputs":["/books","https://example.com"],` + `"protocol":{"input":"https","groups":{}}`,
		},
		{
			name:       "undefined group",
			args:       []string{"pattern", "https://example.com/books/:id?", "https://example.com/books"},
			wantCode:   exitOK,
			wantStdout: `~"pathname":{"input":"/books","groups":{"id":null}}`,
		},
		{
			name:       "no match prints null and exits 1",
			args:       []string{"pattern", "https://example.com/books/:id", "https://example.com/books/7", "https://example.com/authors/1"},
			wantCode:   exitNoMatch,
			wantStdout: `~}` + "\nnull\n",
		},
		{
			name:       "unparsable URL input does not match",
			args:       []string{"pattern", "https://example.com/*", "not a url"},
			wantCode:   exitNoMatch,
			wantStdout: "null\n",
		},
		{
			name:       "init input",
			args:       []string{"pattern", "https://example.com/*", `{"protocol":"https","hostname":"example.com","pathname":"/a<b>"}`},
			wantCode:   exitOK,
			wantStdout: `~"inputs":[{"protocol":"https","hostname":"example.com","pathname":"/a<b>"}],`,
		},
		{
			name:       "ignore case",
			args:       []string{"pattern", "--ignore-case", "https://example.com/Books/*", "https://example.com/bOOKS/x"},
			wantCode:   exitOK,
			wantStdout: `~"pathname":{"input":"/bOOKS/x","groups":{"0":"x"}}`,
		},
		{
			name:       "base with an init pattern",
			args:       []string{"pattern", "--base", "https://example.com", `{"pathname":"/a"}`},
			wantCode:   exitBadInput,
			wantStderr: "swhost: TypeError: a base URL argument cannot be combined with an init",
		},
		{
			name:       "input base with an init input",
			args:       []string{"pattern", "--input-base", "https://example.com", "https://example.com/*", `{"pathname":"/a"}`},
			wantCode:   exitBadInput,
			wantStderr: "swhost: TypeError: --input-base cannot be combined with an init input",
		},
		{
			name:       "invalid pattern",
			args:       []string{"pattern", "https://example.com/:id("},
			wantCode:   exitBadInput,
			wantStderr: "swhost: TypeError: invalid pathname pattern \"/:id(\": unbalanced '(' at offset 4",
		},
		{
			name:       "invalid init JSON",
			args:       []string{"pattern", `{"pathname":1}`},
			wantCode:   exitBadInput,
			wantStderr: `swhost: TypeError: pattern {"pathname":1}: init must be a JSON object of strings`,
		},
		{
			name:       "invalid input JSON",
			args:       []string{"pattern", "https://example.com/*", `{"pathname":`},
			wantCode:   exitBadInput,
			wantStderr: `swhost: TypeError: input {"pathname":: init must be a JSON object of strings`,
		},
		{
			name:       "no pattern",
			args:       []string{"pattern"},
			wantCode:   exitBadInput,
			wantStderr: "usage: swhost pattern",
		},
		{
			name:       "help",
			args:       []string{"pattern", "-h"},
			wantCode:   exitOK,
			wantStderr: "usage: swhost pattern [--base URL] [--input-base URL] [--ignore-case] PATTERN [INPUT...]",
		},
		{
			name:       "unknown flag",
			args:       []string{"pattern", "--nope", "https://x/*"},
			wantCode:   exitBadInput,
			wantStderr: "flag provided but not defined",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "", tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit status %d, want %d (stderr %q)", code, tt.wantCode, errs)
			}
			if sub, ok := strings.CutPrefix(tt.wantStdout, "~"); ok {
				if !strings.Contains(out, sub) {
					t.Errorf("stdout %q does not contain %q", out, sub)
				}
			} else if out != tt.wantStdout {
				t.Errorf("stdout\n%q\nwant\n%q", out, tt.wantStdout)
			}
			if !strings.Contains(errs, tt.wantStderr) {
				t.Errorf("stderr %q does not contain %q", errs, tt.wantStderr)
			}
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				if line != "" && !json.Valid([]byte(line)) {
					t.Errorf("stdout line %q is not JSON", line)
				}
			}
		})
	}
}

// TestPatternGolden runs the cases in testdata/pattern: each *.args file
// holds one argument per line; *.out holds the expected stdout and, on its
// first line, "exit N".
func TestPatternGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "pattern", "*.args"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden cases")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".args")
		t.Run(name, func(t *testing.T) {
			a, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(f, ".args") + ".out")
			if err != nil {
				t.Fatal(err)
			}
			args := append([]string{"pattern"}, strings.Split(strings.TrimRight(string(a), "\n"), "\n")...)
			code, out, errs := runCLI(t, "", args...)
			got := "exit " + string(rune('0'+code)) + "\n" + out + errs
			if got != string(want) {
				t.Errorf("swhost %q:\ngot\n%s\nwant\n%s", args, got, want)
			}
		})
	}
}

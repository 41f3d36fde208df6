package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestScopeCommand(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantScopes []any // winning scope per URL line; nil for null
		wantStderr string
	}{
		{
			name: "two teams on one origin",
			args: []string{"--base", "https://app.test/", "--scope", `{"path":"/"}`, "--scope", `{"path":"/maps/?*"}`,
				"https://app.test/", "https://app.test/maps", "https://app.test/maps/x"},
			wantScopes: []any{0, 1, 1},
		},
		{
			name: "legacy prefix controls mapsearch, pattern does not",
			args: []string{"--scope", "https://app.test/maps", "--scope", `{"baseUrl":"https://app.test","path":"/maps/?*"}`,
				"https://app.test/mapsearch", "https://app.test/maps/"},
			wantScopes: []any{0, 1},
		},
		{
			name:       "no scope exits 1",
			args:       []string{"--scope", "https://app.test/a/", "https://app.test/b", "https://app.test/a/x"},
			wantCode:   exitNoMatch,
			wantScopes: []any{nil, 0},
		},
		{
			name:       "repeated scope keeps the first",
			args:       []string{"--scope", "https://app.test/", "--scope", "https://app.test/", "https://app.test/x"},
			wantScopes: []any{0},
			wantStderr: "--scope 1 is the same scope as --scope 0",
		},
		{
			name:       "restriction broken",
			args:       []string{"--scope", `{"baseUrl":"https://x.test","path":"/a?b"}`, "https://x.test/"},
			wantCode:   exitBadInput,
			wantStderr: "swhost: TypeError: --scope 0",
		},
		{
			name:       "encoded slash",
			args:       []string{"--base", "https://x.test/", "--scope", "/a%2F", "https://x.test/"},
			wantCode:   exitBadInput,
			wantStderr: "encoded slash",
		},
		{
			name:       "relative scope without base",
			args:       []string{"--scope", "/a", "https://x.test/a"},
			wantCode:   exitBadInput,
			wantStderr: "swhost: TypeError:",
		},
		{
			name:       "missing scope",
			args:       []string{"https://x.test/a"},
			wantCode:   exitBadInput,
			wantStderr: "usage: swhost scope",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "", append([]string{"scope"}, tt.args...)...)
			if code != tt.wantCode || !strings.Contains(errs, tt.wantStderr) {
				t.Fatalf("exit %d stderr %q; want %d containing %q", code, errs, tt.wantCode, tt.wantStderr)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if tt.wantScopes == nil {
				return
			}
			if len(lines) != len(tt.wantScopes) {
				t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(tt.wantScopes), out)
			}
			for i, l := range lines {
				var got scopeLine
				if err := json.Unmarshal([]byte(l), &got); err != nil {
					t.Fatalf("line %d is not JSON: %v: %s", i, err, l)
				}
				want := tt.wantScopes[i]
				switch {
				case want == nil && got.Scope != nil:
					t.Errorf("line %d: scope %d, want null", i, *got.Scope)
				case want != nil && (got.Scope == nil || *got.Scope != want.(int)):
					t.Errorf("line %d: scope %v, want %v: %s", i, got.Scope, want, l)
				case want != nil && (len(got.Candidates) == 0 || got.Candidates[0].Scope != want.(int)):
					t.Errorf("line %d: first candidate is not the winner: %s", i, l)
				}
			}
		})
	}
}

func TestScopeCommandFigures(t *testing.T) {
	code, out, _ := runCLI(t, "", "scope", "--base", "https://x.test/",
		"--scope", `{"path":"/","search":{"params":[{"key":"foo","value":"1"}]}}`,
		"--scope", `{"path":"/","search":{"params":[{"key":"bar","value":"2"}]}}`,
		"https://x.test/?foo=1&bar=2")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var got scopeLine
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	want := []scopeCandidate{
		{Scope: 0, Prefix: "https://x.test/?", PrefixLength: 16, Specificity: "*", VariableChars: 6, VariableBeforeLastStatic: 0},
		{Scope: 1, Prefix: "https://x.test/?", PrefixLength: 16, Specificity: "*", VariableChars: 6, VariableBeforeLastStatic: 6},
	}
	if len(got.Candidates) != 2 {
		t.Fatalf("candidates: %s", out)
	}
	for i, c := range got.Candidates {
		c.Pattern, want[i].Pattern = nil, nil
		if fmt.Sprint(c) != fmt.Sprint(want[i]) {
			t.Errorf("candidate %d = %+v, want %+v", i, c, want[i])
		}
	}
}

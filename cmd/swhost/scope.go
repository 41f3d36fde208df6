package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"

	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/scope"
)

func init() {
	register(&command{
		name:    "scope",
		summary: "show which of several scopes controls each URL, and why",
		run:     runScope,
	})
}

const scopeUsage = "[--base URL] --scope SCOPE [--scope SCOPE ...] URL..."

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return fmt.Sprint(*l) }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// scopeCandidate is one matching scope in "swhost scope" output, with the
// figures the four ordering steps compare.
type scopeCandidate struct {
	Scope                    int             `json:"scope"`
	Pattern                  json.RawMessage `json:"pattern"`
	Prefix                   string          `json:"prefix"`
	PrefixLength             int             `json:"prefixLength"`
	Specificity              string          `json:"specificity"`
	VariableChars            int             `json:"variableChars"`
	VariableBeforeLastStatic int             `json:"variableBeforeLastStatic"`
}

type scopeLine struct {
	URL        string           `json:"url"`
	Scope      *int             `json:"scope"`
	Candidates []scopeCandidate `json:"candidates"`
}

// runScope implements "swhost scope": a scope debugger. Each SCOPE is a
// legacy scope string (absolute or relative to --base) or a JSON object in
// the explainer's pattern form. For each URL it prints the index of the
// winning --scope and every candidate with its ordering figures.
func runScope(_ context.Context, e *env, args []string) int {
	fs := e.newFlagSet("scope", scopeUsage)
	base := fs.String("base", "", "base URL for relative legacy scopes and patterns without baseUrl")
	var scopeArgs stringList
	fs.Var(&scopeArgs, "scope", "a scope: legacy string or JSON pattern (repeatable)")
	urls, err := parseFlags(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitBadInput
	}
	if len(scopeArgs) == 0 || len(urls) == 0 {
		fs.Usage()
		return exitBadInput
	}

	idx := scope.NewIndex[int](scope.IndexOptions{MaxPerPrefix: -1})
	for i, text := range scopeArgs {
		s, err := scope.Parse(text, *base)
		if err != nil {
			return e.fail(exitBadInput, fmt.Errorf("--scope %d %q: %w", i, text, err))
		}
		if first, dup := idx.Get(s.Key()); dup {
			fmt.Fprintf(e.stderr, "swhost: note: --scope %d is the same scope as --scope %d\n", i, first)
			continue
		}
		if err := idx.Add(s, i); err != nil {
			return e.fail(exitBadInput, err)
		}
	}

	status := exitOK
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	for _, raw := range urls {
		u, err := weburl.Parse(raw)
		if err != nil {
			return e.fail(exitBadInput, fmt.Errorf("URL %q: %w", raw, err))
		}
		line := scopeLine{URL: u.Href(), Candidates: []scopeCandidate{}}
		for i, c := range idx.Candidates(u) {
			if i == 0 {
				line.Scope = &c.Value
			}
			pat, err := json.Marshal(c.Scope)
			if err != nil {
				return e.fail(exitBadInput, err)
			}
			line.Candidates = append(line.Candidates, scopeCandidate{
				Scope:                    c.Value,
				Pattern:                  pat,
				Prefix:                   c.Scope.Prefix(),
				PrefixLength:             c.PrefixLen,
				Specificity:              c.Specificity.String(),
				VariableChars:            c.VariableChars,
				VariableBeforeLastStatic: c.VariableBeforeLastStatic,
			})
		}
		// The index's own answer must be the first candidate.
		if r, ok := idx.Lookup(u); ok != (line.Scope != nil) || (ok && r.Value != *line.Scope) {
			return e.fail(exitBadInput, fmt.Errorf("internal error: lookup and candidates disagree for %s", raw))
		}
		if line.Scope == nil {
			status = exitNoMatch
		}
		if err := enc.Encode(line); err != nil {
			return e.fail(exitBadInput, err)
		}
	}
	return status
}

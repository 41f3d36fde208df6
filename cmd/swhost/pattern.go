package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/swhost/swhost/urlpattern"
)

func init() {
	register(&command{
		name:    "pattern",
		summary: "compile a URL pattern; print its components, or the exec result for each input",
		run:     runPattern,
	})
}

const patternUsage = "[--base URL] [--input-base URL] [--ignore-case] PATTERN [INPUT...]"

// runPattern implements "swhost pattern". PATTERN is a constructor string
// or a JSON init object; each INPUT is a URL string or a JSON init object.
// With inputs it prints one line per input, the exec result as JSON or
// null; without, the pattern's canonical components.
func runPattern(_ context.Context, e *env, args []string) int {
	fs := e.newFlagSet("pattern", patternUsage)
	base := fs.String("base", "", "base URL for a relative constructor string PATTERN")
	inputBase := fs.String("input-base", "", "base URL against which string INPUTs are resolved")
	ignoreCase := fs.Bool("ignore-case", false, "match pathname, search and hash case-insensitively")
	pos, err := parseFlags(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitBadInput
	}
	if len(pos) == 0 {
		fs.Usage()
		return exitBadInput
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })

	var pattern urlpattern.Input
	if in, err := parseInputArg(pos[0]); err != nil {
		return e.fail(exitBadInput, &urlpattern.Error{Offset: -1, Reason: fmt.Sprintf("pattern %s", pos[0]), Err: err})
	} else {
		pattern = in
	}
	var baseURL *string
	if given["base"] {
		baseURL = base
	}
	p, err := urlpattern.Compile(pattern, baseURL, urlpattern.Options{IgnoreCase: *ignoreCase})
	if err != nil {
		return e.fail(exitBadInput, err)
	}

	if len(pos) == 1 {
		return printComponents(e, p)
	}
	var inBase *string
	if given["input-base"] {
		inBase = inputBase
	}
	inputs := make([]urlpattern.Input, 0, len(pos)-1)
	for _, arg := range pos[1:] {
		in, err := parseInputArg(arg)
		if err != nil {
			return e.fail(exitBadInput, &urlpattern.Error{Offset: -1, Reason: fmt.Sprintf("input %s", arg), Err: err})
		}
		if in.Init != nil && inBase != nil {
			return e.fail(exitBadInput, &urlpattern.Error{Offset: -1,
				Reason: "--input-base cannot be combined with an init input " + arg + "; set its baseURL member instead"})
		}
		inputs = append(inputs, in)
	}
	status := exitOK
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	for _, in := range inputs {
		r, err := p.Match(in, inBase)
		if err != nil {
			return e.fail(exitBadInput, err)
		}
		if r == nil {
			status = exitNoMatch
			fmt.Fprintln(e.stdout, "null")
			continue
		}
		if err := enc.Encode(r); err != nil {
			return e.fail(exitBadInput, err)
		}
	}
	return status
}

// parseInputArg reads a command-line pattern or input: a JSON init object
// when it starts with '{', a string otherwise.
func parseInputArg(arg string) (urlpattern.Input, error) {
	if !strings.HasPrefix(arg, "{") {
		return urlpattern.Input{URL: arg}, nil
	}
	init, err := urlpattern.ParseInit([]byte(arg))
	if err != nil {
		return urlpattern.Input{}, err
	}
	return urlpattern.Input{Init: &init}, nil
}

// printComponents prints the canonical pattern strings as one JSON object.
func printComponents(e *env, p *urlpattern.URLPattern) int {
	// A struct keeps the web API's member order.
	out := struct {
		Protocol        string `json:"protocol"`
		Username        string `json:"username"`
		Password        string `json:"password"`
		Hostname        string `json:"hostname"`
		Port            string `json:"port"`
		Pathname        string `json:"pathname"`
		Search          string `json:"search"`
		Hash            string `json:"hash"`
		HasRegExpGroups bool   `json:"hasRegExpGroups"`
	}{p.Protocol(), p.Username(), p.Password(), p.Hostname(), p.Port(), p.Pathname(), p.Search(), p.Hash(), p.HasRegExpGroups()}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return e.fail(exitBadInput, err)
	}
	return exitOK
}

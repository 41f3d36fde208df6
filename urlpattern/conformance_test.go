package urlpattern

import (
	"encoding/json"
	"fmt"
	"github.com/swhost/swhost/internal/weburl"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// The conformance tests drive the web-platform-tests URLPattern data in
// testdata/wpt exactly as testdata/wpt/PROVENANCE.md describes, and print
// "passed N of M" per file. Entries listed in testdata/expected-failures.json
// (file name and index, with the reason) may fail; any other failure fails
// the test, and so does a listed entry that passes.

var (
	summaryMu sync.Mutex
	summary   = map[string][2]int{} // file -> {passed, total}
)

func TestMain(m *testing.M) {
	code := m.Run()
	files := make([]string, 0, len(summary))
	for f := range summary {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		s := summary[f]
		fmt.Printf("conformance %s: passed %d of %d\n", f, s[0], s[1])
	}
	os.Exit(code)
}

type expectedFailure struct {
	File   string `json:"file"`
	Index  int    `json:"index"`
	Reason string `json:"reason"`
}

func loadExpectedFailures(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "expected-failures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var list []expectedFailure
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, f := range list {
		if f.Reason == "" {
			t.Fatalf("expected failure %s #%d has no reason", f.File, f.Index)
		}
		m[fmt.Sprintf("%s#%d", f.File, f.Index)] = f.Reason
	}
	return m
}

// runEntries runs check on each entry of file and records the summary.
func runEntries(t *testing.T, file string, n int, check func(i int) error) {
	t.Helper()
	xfail := loadExpectedFailures(t)
	passed := 0
	for i := 0; i < n; i++ {
		err := check(i)
		key := fmt.Sprintf("%s#%d", file, i)
		reason, expected := xfail[key]
		switch {
		case err == nil && expected:
			passed++
			t.Errorf("%s: passes but is listed as an expected failure (%s)", key, reason)
		case err == nil:
			passed++
		case expected:
			t.Logf("%s: expected failure (%s): %v", key, reason, err)
		default:
			t.Errorf("%s: %v", key, err)
		}
	}
	summaryMu.Lock()
	summary[file] = [2]int{passed, n}
	summaryMu.Unlock()
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "wpt", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// wptEntry is one entry of urlpatterntestdata.json.
type wptEntry struct {
	Pattern                []json.RawMessage `json:"pattern"`
	Inputs                 []json.RawMessage `json:"inputs"`
	ExpectedObj            json.RawMessage   `json:"expected_obj"`
	ExpectedMatch          json.RawMessage   `json:"expected_match"`
	ExactlyEmptyComponents []string          `json:"exactly_empty_components"`
}

func isJSONString(m json.RawMessage) bool { return len(m) > 0 && m[0] == '"' }
func isJSONObject(m json.RawMessage) bool { return len(m) > 0 && m[0] == '{' }

func jsonString(m json.RawMessage) string {
	var s string
	_ = json.Unmarshal(m, &s)
	return s
}

// toInput converts one JS argument (a string or a dictionary) to an Input.
func toInput(m json.RawMessage) (Input, error) {
	if isJSONString(m) {
		return Input{URL: jsonString(m)}, nil
	}
	init, err := ParseInit(m)
	if err != nil {
		return Input{}, err
	}
	return Input{Init: &init}, nil
}

// constructArgs applies WebIDL overload resolution to new URLPattern(...)
// arguments and calls Compile.
func constructArgs(args []json.RawMessage) (*URLPattern, error) {
	if len(args) == 0 {
		return Compile(Input{Init: &Init{}}, nil, Options{})
	}
	in, err := toInput(args[0])
	if err != nil {
		return nil, err
	}
	var base *string
	var opts Options
	parseOpts := func(m json.RawMessage) error {
		if !isJSONObject(m) {
			return typeErrorf("options must be a dictionary")
		}
		var o struct {
			IgnoreCase bool `json:"ignoreCase"`
		}
		if err := json.Unmarshal(m, &o); err != nil {
			return err
		}
		opts.IgnoreCase = o.IgnoreCase
		return nil
	}
	switch {
	case len(args) >= 2 && isJSONString(args[1]):
		b := jsonString(args[1])
		base = &b
		if len(args) >= 3 {
			if err := parseOpts(args[2]); err != nil {
				return nil, err
			}
		}
	case len(args) == 2:
		if err := parseOpts(args[1]); err != nil {
			return nil, err
		}
	case len(args) >= 3:
		// (input, baseURL, options): a dictionary converts to the string
		// "[object Object]" and a string is not a valid options dictionary.
		b := "[object Object]"
		base = &b
		if err := parseOpts(args[2]); err != nil {
			return nil, err
		}
	}
	return Compile(in, base, opts)
}

var earlier = map[string][]string{
	"hostname": {"protocol"},
	"port":     {"protocol", "hostname"},
	"pathname": {"protocol", "hostname", "port"},
	"search":   {"protocol", "hostname", "port", "pathname"},
	"hash":     {"protocol", "hostname", "port", "pathname", "search"},
}

func getter(p *URLPattern, name string) string {
	return p.comps[componentIndex(name)].pattern
}

// expectedGetter derives the expected getter value as the README says.
func expectedGetter(e *wptEntry, obj map[string]string, name string) string {
	if v, ok := obj[name]; ok {
		return v
	}
	for _, c := range e.ExactlyEmptyComponents {
		if c == name {
			return ""
		}
	}
	var init map[string]*string
	if len(e.Pattern) > 0 && isJSONObject(e.Pattern[0]) {
		_ = json.Unmarshal(e.Pattern[0], &init)
		if v := init[name]; v != nil && *v != "" {
			return *v
		}
		for _, c := range earlier[name] {
			if init[c] != nil {
				return "*"
			}
		}
	}
	var base *string
	if init != nil && init["baseURL"] != nil {
		base = init["baseURL"]
	} else if len(e.Pattern) > 1 && isJSONString(e.Pattern[1]) {
		b := jsonString(e.Pattern[1])
		base = &b
	}
	if base != nil && name != "username" && name != "password" {
		if u, err := parseForTest(*base); err == nil {
			switch name {
			case "protocol":
				return strings.TrimSuffix(u.Protocol(), ":")
			case "hostname":
				return u.Hostname()
			case "port":
				return u.Port()
			case "pathname":
				return u.Pathname()
			case "search":
				return strings.TrimPrefix(u.Search(), "?")
			case "hash":
				return strings.TrimPrefix(u.Hash(), "#")
			}
		}
	}
	return "*"
}

func TestWPTURLPatternData(t *testing.T) {
	var entries []wptEntry
	readJSON(t, "urlpatterntestdata.json", &entries)
	runEntries(t, "urlpatterntestdata.json", len(entries), func(i int) error {
		return checkWPTEntry(&entries[i])
	})
}

func checkWPTEntry(e *wptEntry) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	p, cerr := constructArgs(e.Pattern)
	if string(e.ExpectedObj) == `"error"` {
		if cerr == nil {
			return fmt.Errorf("new URLPattern(%s) succeeded, want TypeError", joinRaw(e.Pattern))
		}
		if exceptionNameOf(cerr) != "TypeError" {
			return fmt.Errorf("error %v is not a TypeError", cerr)
		}
		return nil
	}
	if cerr != nil {
		return fmt.Errorf("new URLPattern(%s): %v", joinRaw(e.Pattern), cerr)
	}
	var obj map[string]string
	if isJSONObject(e.ExpectedObj) {
		if err := json.Unmarshal(e.ExpectedObj, &obj); err != nil {
			return err
		}
	}
	for _, name := range componentNames {
		if got, want := getter(p, name), expectedGetter(e, obj, name); got != want {
			return fmt.Errorf("new URLPattern(%s).%s = %q, want %q", joinRaw(e.Pattern), name, got, want)
		}
	}
	if len(e.ExpectedMatch) == 0 {
		return nil
	}
	// Arguments of test() and exec().
	input := Input{Init: &Init{}}
	var base *string
	if len(e.Inputs) > 0 {
		if input, err = toInput(e.Inputs[0]); err != nil {
			return err
		}
	}
	if len(e.Inputs) > 1 {
		b := jsonString(e.Inputs[1])
		base = &b
	}
	ok, terr := p.TestInput(input, base)
	res, merr := p.Match(input, base)
	call := fmt.Sprintf("(%s).exec(%s)", joinRaw(e.Pattern), joinRaw(e.Inputs))
	switch string(e.ExpectedMatch) {
	case `"error"`:
		if terr == nil || merr == nil {
			return fmt.Errorf("%s: no error, want TypeError", call)
		}
		return nil
	case "null":
		if terr != nil || merr != nil {
			return fmt.Errorf("%s: unexpected error %v %v", call, terr, merr)
		}
		if ok || res != nil {
			return fmt.Errorf("%s: test=%v exec=%v, want no match", call, ok, res != nil)
		}
		return nil
	}
	if terr != nil || merr != nil {
		return fmt.Errorf("%s: unexpected error %v %v", call, terr, merr)
	}
	if !ok || res == nil {
		return fmt.Errorf("%s: test=%v exec=%v, want a match", call, ok, res != nil)
	}
	var want map[string]json.RawMessage
	if err := json.Unmarshal(e.ExpectedMatch, &want); err != nil {
		return err
	}
	// inputs
	wantInputs := e.Inputs
	if raw, ok := want["inputs"]; ok {
		if err := json.Unmarshal(raw, &wantInputs); err != nil {
			return err
		}
	} else if len(e.Inputs) == 0 {
		wantInputs = []json.RawMessage{json.RawMessage("{}")}
	}
	if len(wantInputs) != len(res.Inputs) {
		return fmt.Errorf("%s: inputs = %d values, want %d", call, len(res.Inputs), len(wantInputs))
	}
	for i, wi := range wantInputs {
		gi := res.Inputs[i]
		if isJSONString(wi) {
			if gi.Init != nil || gi.URL != jsonString(wi) {
				return fmt.Errorf("%s: inputs[%d] = %+v, want %s", call, i, gi, wi)
			}
			continue
		}
		var w, g map[string]string
		_ = json.Unmarshal(wi, &w)
		gb, _ := json.Marshal(gi.Init)
		_ = json.Unmarshal(gb, &g)
		if gi.Init == nil || !equalStringMaps(w, g) {
			return fmt.Errorf("%s: inputs[%d] = %s, want %s", call, i, gb, wi)
		}
	}
	for _, name := range componentNames {
		wantInput, wantGroups := "", map[string]*string{"0": Str("")}
		for _, c := range e.ExactlyEmptyComponents {
			if c == name {
				wantGroups = map[string]*string{}
			}
		}
		if raw, ok := want[name]; ok {
			var cr struct {
				Input  string             `json:"input"`
				Groups map[string]*string `json:"groups"`
			}
			if err := json.Unmarshal(raw, &cr); err != nil {
				return err
			}
			wantInput, wantGroups = cr.Input, cr.Groups
		}
		got := res.Component(name)
		if got.Input != wantInput {
			return fmt.Errorf("%s: %s.input = %q, want %q", call, name, got.Input, wantInput)
		}
		gotGroups := map[string]*string{}
		for _, g := range got.Groups {
			if g.Matched {
				gotGroups[g.Name] = Str(g.Value)
			} else {
				gotGroups[g.Name] = nil
			}
		}
		if !equalGroups(gotGroups, wantGroups) {
			return fmt.Errorf("%s: %s.groups = %s, want %s", call, name, showGroups(gotGroups), showGroups(wantGroups))
		}
	}
	return nil
}

func equalStringMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func equalGroups(a, b map[string]*string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || (v == nil) != (w == nil) || (v != nil && *v != *w) {
			return false
		}
	}
	return true
}

func showGroups(m map[string]*string) string {
	var parts []string
	for k, v := range m {
		if v == nil {
			parts = append(parts, fmt.Sprintf("%q:undefined", k))
		} else {
			parts = append(parts, fmt.Sprintf("%q:%q", k, *v))
		}
	}
	sort.Strings(parts)
	return "{" + strings.Join(parts, ",") + "}"
}

func joinRaw(args []json.RawMessage) string {
	s := make([]string, len(args))
	for i, a := range args {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}

// exceptionNameOf returns the web exception name of err.
func exceptionNameOf(err error) string {
	if n, ok := err.(interface{ ExceptionName() string }); ok {
		return n.ExceptionName()
	}
	return ""
}

func TestWPTCompareData(t *testing.T) {
	var entries []struct {
		Component string          `json:"component"`
		Left      json.RawMessage `json:"left"`
		Right     json.RawMessage `json:"right"`
		Expected  int             `json:"expected"`
	}
	readJSON(t, "urlpattern-compare-test-data.json", &entries)
	runEntries(t, "urlpattern-compare-test-data.json", len(entries), func(i int) error {
		e := entries[i]
		l, err := constructArgs([]json.RawMessage{e.Left})
		if err != nil {
			return err
		}
		r, err := constructArgs([]json.RawMessage{e.Right})
		if err != nil {
			return err
		}
		for _, c := range []struct {
			a, b *URLPattern
			want int
		}{{l, r, e.Expected}, {r, l, -e.Expected}, {l, l, 0}, {r, r, 0}} {
			got, err := CompareComponent(e.Component, c.a, c.b)
			if err != nil {
				return err
			}
			if got != c.want {
				return fmt.Errorf("compareComponent(%q, %s, %s) = %d, want %d", e.Component, e.Left, e.Right, got, c.want)
			}
		}
		return nil
	})
}

func TestWPTGenerateData(t *testing.T) {
	var entries []struct {
		Pattern   json.RawMessage   `json:"pattern"`
		Component string            `json:"component"`
		Groups    map[string]string `json:"groups"`
		Expected  *string           `json:"expected"`
	}
	readJSON(t, "urlpattern-generate-test-data.json", &entries)
	runEntries(t, "urlpattern-generate-test-data.json", len(entries), func(i int) error {
		e := entries[i]
		p, err := constructArgs([]json.RawMessage{e.Pattern})
		if err != nil {
			return err
		}
		got, err := p.Generate(e.Component, e.Groups)
		if e.Expected == nil {
			if err == nil {
				return fmt.Errorf("generate(%q, %v) = %q, want TypeError", e.Component, e.Groups, got)
			}
			if exceptionNameOf(err) != "TypeError" {
				return fmt.Errorf("error %v is not a TypeError", err)
			}
			return nil
		}
		if err != nil {
			return err
		}
		if got != *e.Expected {
			return fmt.Errorf("generate(%q, %v) = %q, want %q", e.Component, e.Groups, got, *e.Expected)
		}
		return nil
	})
}

func TestDerivedInlineCases(t *testing.T) {
	var d struct {
		HasRegExpGroups []struct {
			Init     Init `json:"init"`
			Expected bool `json:"expected"`
		} `json:"hasRegExpGroups"`
		Constructor []struct {
			Args     []json.RawMessage `json:"args"`
			Expected string            `json:"expected"`
		} `json:"constructor"`
	}
	readJSON(t, "derived-inline-cases.json", &d)
	nh := len(d.HasRegExpGroups)
	runEntries(t, "derived-inline-cases.json", nh+len(d.Constructor), func(i int) error {
		if i < nh {
			e := d.HasRegExpGroups[i]
			p, err := NewFromInit(e.Init, Options{})
			if err != nil {
				return err
			}
			if p.HasRegExpGroups() != e.Expected {
				b, _ := json.Marshal(e.Init)
				return fmt.Errorf("new URLPattern(%s).hasRegExpGroups = %v, want %v", b, !e.Expected, e.Expected)
			}
			return nil
		}
		e := d.Constructor[i-nh]
		_, err := constructArgs(e.Args)
		if (err != nil) != (e.Expected == "error") {
			return fmt.Errorf("new URLPattern(%s): error %v, want %s", joinRaw(e.Args), err, e.Expected)
		}
		return nil
	})
}

func parseForTest(s string) (*weburl.URL, error) { return weburl.Parse(s) }

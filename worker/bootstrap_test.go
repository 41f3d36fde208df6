package worker

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/internal/eventloop"
)

// bootstrapSource is every file of jsFiles, in order, as one classic
// script (the files are expressions: it compiles, it is not run).
func bootstrapSource() string {
	var b strings.Builder
	for _, name := range jsFiles {
		src, err := jsSources.ReadFile("js/" + name)
		if err != nil {
			panic(err)
		}
		b.Write(src)
		b.WriteString(";\n")
	}
	return b.String()
}

// TestJSFiles checks the layout of js/: jsFiles lists every file once,
// each is a function of (internals, host, global), and none is over
// maxJSFileLines lines.
func TestJSFiles(t *testing.T) {
	const maxJSFileLines = 500
	embedded, err := fs.Glob(jsSources, "js/*.js")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, name := range jsFiles {
		listed = append(listed, "js/"+name)
	}
	slices.Sort(embedded)
	sorted := slices.Sorted(slices.Values(listed))
	if !slices.Equal(embedded, sorted) {
		t.Errorf("jsFiles = %v, js/ holds %v", sorted, embedded)
	}
	if len(slices.Compact(sorted)) != len(listed) {
		t.Errorf("jsFiles lists a file twice: %v", listed)
	}
	wrapper := regexp.MustCompile(`(?m)^\(function \(internals, host, global\) \{\n  'use strict';\n`)
	for _, name := range jsFiles {
		src, _ := jsSources.ReadFile("js/" + name)
		if n := strings.Count(string(src), "\n"); n > maxJSFileLines {
			t.Errorf("js/%s has %d lines, more than %d", name, n, maxJSFileLines)
		}
		if !wrapper.Match(src) || !strings.HasSuffix(string(src), "\n})\n") {
			t.Errorf("js/%s is not one (function (internals, host, global) { 'use strict'; ... })", name)
		}
	}
}

// jsImports matches the destructuring at the top of a file of js/: the
// names it takes from internals.
var jsImports = regexp.MustCompile(`(?m)^  const \{([^}]*)\} = internals;`)

// TestJSFileOrder runs the files of js/ one by one and checks that every
// name a file takes from internals at its top was registered by the files
// before it (a name registered later would be undefined there).
func TestJSFileOrder(t *testing.T) {
	// A runtime and host object as newInstance makes them, on the test
	// goroutine (no file calls a host function that needs the loop).
	rt := sobek.New()
	in := &instance{rt: rt, events: make(map[int64]*event), timers: make(map[int64]eventloop.TimerID),
		cacheHandles: make(map[int64]*cachestorage.Cache),
		msg:          messaging{links: make(map[int64]*jsPort), clients: make(map[string]sourceValues)},
		sentinel:     rt.NewObject(), methods: map[string]sobek.Value{}}
	host := in.hostObject()
	progs, err := bootstrapPrograms()
	if err != nil {
		t.Fatal(err)
	}
	internals := rt.NewObject()
	_ = internals.SetPrototype(nil)
	for i, prog := range progs {
		src, _ := jsSources.ReadFile("js/" + jsFiles[i])
		if m := jsImports.FindSubmatch(src); m != nil {
			for _, name := range strings.Split(string(m[1]), ",") {
				name = strings.TrimSpace(name)
				if name != "" && internals.Get(name) == nil {
					t.Errorf("js/%s takes %s from internals before a file registers it", jsFiles[i], name)
				}
			}
		}
		v, err := rt.RunProgram(prog)
		if err != nil {
			t.Fatalf("js/%s: %v", jsFiles[i], err)
		}
		fn, _ := sobek.AssertFunction(v)
		if _, err := fn(sobek.Undefined(), internals, host, rt.GlobalObject()); err != nil {
			t.Fatalf("js/%s: %v", jsFiles[i], err)
		}
	}
	if internals.Get("entryPoints") == nil {
		t.Error("no file registers internals.entryPoints")
	}
}

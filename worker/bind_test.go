package worker

import (
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// hostCall matches a use of a binding in the JavaScript of js/.
var hostCall = regexp.MustCompile(`\bhost\.([A-Za-z0-9_]+)`)

// TestExportList checks the one list of bindings against the JavaScript:
// every host.NAME the files of js/ use is an export, every export is
// used, and no name is exported twice.
func TestExportList(t *testing.T) {
	used := map[string][]string{}
	for _, name := range jsFiles {
		src, err := jsSources.ReadFile("js/" + name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range hostCall.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = append(used[m[1]], name)
		}
	}
	exported := map[string]bool{}
	for _, e := range exports {
		if exported[e.name] {
			t.Errorf("%s is exported twice", e.name)
		}
		exported[e.name] = true
		if used[e.name] == nil {
			t.Errorf("export %s is used by no file of js/", e.name)
		}
	}
	for name, files := range used {
		if !exported[name] {
			t.Errorf("js/%s uses host.%s, which exports.go does not list", files[0], name)
		}
	}
}

// TestBindFiles checks the layout: every bind_<api>.go file serves a file
// of js/ named NN_<api>.js, and every file of js/ is in jsFiles.
func TestBindFiles(t *testing.T) {
	apis := map[string]bool{}
	for _, name := range jsFiles {
		base := strings.TrimSuffix(name, ".js")
		if i := strings.IndexByte(base, '_'); i > 0 {
			apis[base[i+1:]] = true
		}
	}
	embedded, err := fs.Glob(jsSources, "js/*.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range embedded {
		if !slices.Contains(jsFiles, strings.TrimPrefix(p, "js/")) {
			t.Errorf("%s is not in jsFiles", p)
		}
	}
	goFiles, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range goFiles {
		name := f.Name()
		if !strings.HasPrefix(name, "bind_") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		api := strings.TrimSuffix(strings.TrimPrefix(name, "bind_"), ".go")
		if !apis[api] {
			t.Errorf("%s serves no file of js/ (no js/NN_%s.js)", name, api)
		}
	}
}

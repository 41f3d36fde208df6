package worker

import (
	"context"
	"strings"
	"testing"

	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
)

// TestCompileBounded: a script whose compilation would take seconds
// (chains of operators cost time quadratic in their length) or exhaust
// the stack (deep nesting) is refused quickly with a RangeError, classic
// or module; ordinary scripts of the same size compile. (Before the
// limits, the 20,000-term chain compiled in 2.7-3.9 s, 100,000 nested
// brackets took 256 MB of the parser's stack, so 400,000 would near the
// 1 GB that ends the process; a chain of 2 million assignments or arrow
// functions did end it, and 20,000 nested labels took the parser over a
// minute.)
func TestCompileBounded(t *testing.T) {
	chains := strings.Repeat("x = "+strings.Repeat("a+", 1500)+"a;\n", 40)
	tests := []struct {
		name string
		src  string
		want string // the error's name, "" for none
	}{
		{"chain of 20,000 additions", "x = " + strings.Repeat("a+", 20000) + "a", weberr.RangeError},
		{"many chains of 1,500", chains, weberr.RangeError},
		{"brackets 400,000 deep", "x = " + strings.Repeat("[", 400000) + strings.Repeat("]", 400000), weberr.RangeError},
		{"arrays 3,000 deep", "x = " + strings.Repeat("[", 3000) + strings.Repeat("]", 3000), weberr.RangeError},
		{"parentheses 3,000 deep", "x = " + strings.Repeat("(", 3000) + "1" + strings.Repeat(")", 3000), ""}, // no node per level
		{"brackets in strings and comments", strings.Repeat("x = '(((([[[[{{{{'; /* (((( */ // [[[[\n", 3000), ""},
		{"chains of 100", strings.Repeat("x = "+strings.Repeat("a+", 100)+"a;\n", 1000), ""},
		{"bootstrap", bootstrapSource(), ""},
		{"4 MiB of code", scriptShapes[0].gen(4 << 20), ""},
		{"assignments 2,000,000 in a row", strings.Repeat("a=", 2_000_000) + "a", weberr.RangeError},
		{"arrow functions 1,000,000 in a row", "x = " + strings.Repeat("a=>", 1_000_000) + "a", weberr.RangeError},
		{"arrow functions 100 in a row, 20,000 times", strings.Repeat("x = "+strings.Repeat("a=>", 100)+"a;\n", 20_000), weberr.RangeError},
		{"labels 20,000 nested", strings.Repeat("a:", 20_000) + "b", weberr.RangeError},
	}
	for _, typ := range []sw.WorkerType{sw.WorkerClassic, sw.WorkerModule} {
		for _, tt := range tests {
			if typ == sw.WorkerModule && tt.name == "bootstrap" {
				continue // not a module
			}
			t.Run(string(typ)+"/"+tt.name, func(t *testing.T) {
				programs.Clear()
				scripts.Clear()
				url := "https://app.test/" + strings.NewReplacer(" ", "-", ",", "").Replace(tt.name) + ".js"
				_, err := CompileScript(context.Background(), url, typ, []byte(tt.src), nil, 8<<20)
				if got := weberr.NameOf(err); got != tt.want {
					t.Errorf("CompileScript = %v, want %q", err, tt.want)
				}
			})
		}
	}
}

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
// or module, and so is one whose lowering would (esbuild: nested scopes
// that shadow a name cost time cubic in their depth, sequences quadratic
// in their length); ordinary scripts of the same size compile, lowered
// or not. (Before the limits, the 20,000-term chain compiled in 2.7-3.9
// s, 100,000 nested brackets took 256 MB of the parser's stack, so
// 400,000 would near the 1 GB that ends the process; a chain of 2 million
// assignments or arrow functions did end it, and 20,000 nested labels
// took the parser over a minute. esbuild ends the process on any of the
// chains below, at 4 MiB.)
func TestCompileBounded(t *testing.T) {
	chains := strings.Repeat("x = "+strings.Repeat("a+", 1500)+"a;\n", 40)
	const modern = "async function* g() {}\n" // makes the script lowered
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
		{"lowered: 4 MiB of code", modern + scriptShapes[0].gen(4<<20), ""},
		{"lowered: unary operators 4,000,000 in a row", modern + "x = " + strings.Repeat("!", 4_000_000) + "a", weberr.RangeError},
		{"lowered: members 2,000,000 in a row", modern + "x = a" + strings.Repeat(".b", 2_000_000), weberr.RangeError},
		{"lowered: brackets 3,000 deep", modern + "x = " + strings.Repeat("[", 3000) + strings.Repeat("]", 3000), weberr.RangeError},
		{"lowered: blocks 1,000 deep each declaring a", modern + strings.Repeat("{let a;", 1000) + strings.Repeat("}", 1000), weberr.RangeError},
		{"lowered: functions 500 deep each declaring a", modern + strings.Repeat("(function(a){", 500) + strings.Repeat("})()", 500), weberr.RangeError},
		{"lowered: arrow functions 1,000 in a row", modern + "x = " + strings.Repeat("a=>", 1000) + "a", weberr.RangeError},
		{"lowered: a sequence of 10,000", modern + strings.Repeat("a(),", 10_000) + "a()", weberr.RangeError},
		{"lowered: declarations of one name 10,000 in a row", modern + "var a" + strings.Repeat(",a", 10_000), weberr.RangeError},
		{"TypeScript: type arguments 100,000 deep", "let x: " + strings.Repeat("A<", 100_000) + "B" + strings.Repeat(">", 100_000), weberr.RangeError},
	}
	for _, typ := range []sw.WorkerType{sw.WorkerClassic, sw.WorkerModule} {
		for _, tt := range tests {
			if typ == sw.WorkerModule && (tt.name == "bootstrap" || tt.name == "lowered: 4 MiB of code") {
				continue // not a module; as long as the classic one
			}
			t.Run(string(typ)+"/"+tt.name, func(t *testing.T) {
				programs.Clear()
				scripts.Clear()
				url := "https://app.test/" + strings.NewReplacer(" ", "-", ",", "", ":", "").Replace(tt.name) + ".js"
				if strings.HasPrefix(tt.name, "TypeScript") {
					url = strings.TrimSuffix(url, ".js") + ".ts"
				}
				_, err := CompileScript(context.Background(), url, typ, []byte(tt.src), nil, 8<<20)
				if got := weberr.NameOf(err); got != tt.want {
					t.Errorf("CompileScript = %v, want %q", err, tt.want)
				}
			})
		}
	}
}

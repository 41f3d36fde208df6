package worker

import (
	_ "embed"
	"sync"

	"github.com/grafana/sobek"
	"github.com/grafana/sobek/parser"

	"github.com/swhost/swhost/internal/jsregexp"
	"github.com/swhost/swhost/weberr"
)

// Bindings of js/05_ecmascript.js: the built-ins sobek lacks that are too
// large to write by hand run from vendored code on first use.

//go:embed third_party/float16/float16.js
var float16Source string

// float16Program is third_party/float16/float16.js wrapped in a function
// that returns its exports (Float16Array, f16round, getFloat16,
// setFloat16), compiled once per process.
var float16Program = sync.OnceValues(func() (*sobek.Program, error) {
	src := "(function () {\n" + float16Source + "\n;return float16;\n})"
	ast, err := sobek.Parse("swhost:third_party/float16/float16.js", src, parser.WithDisableSourceMaps)
	if err != nil {
		return nil, err
	}
	return sobek.CompileAST(ast, true)
})

// loadFloat16 is host.loadFloat16(): runs the half-float polyfill in this
// runtime and returns its exports.
func (in *instance) loadFloat16() sobek.Value {
	prog, err := float16Program()
	if err != nil {
		in.throw(err)
	}
	fn, err := in.rt.RunProgram(prog)
	if err != nil {
		in.throw(err)
	}
	call, ok := sobek.AssertFunction(fn)
	if !ok {
		panic(in.rt.NewTypeError("float16: not a function"))
	}
	exports, err := call(sobek.Undefined())
	if err != nil {
		in.throw(err)
	}
	return exports
}

// jsonParse is host.jsonParse(text): JSON.parse without a reviver,
// building engine values straight from the text (jsonparse.go). It
// returns undefined when it leaves the text to the engine's own parser
// (a property name with a lone surrogate); a malformed text throws a
// SyntaxError.
func (in *instance) jsonParse(text string) sobek.Value {
	v, err := parseJSON(in.rt, text)
	if err == errJSONFallback {
		return sobek.Undefined()
	}
	if err != nil {
		in.throw(err)
	}
	return v
}

// regexpRewrite is host.regexpRewrite(pattern, flags): pattern with its
// Unicode property escapes spelled out as classes of code points, which
// sobek lacks (jsregexp.RewritePropertyEscapes says how); an unknown or
// unsupported property throws ECMAScript's SyntaxError (not the
// DOMException: the error factory of js/01_dom_exception.js makes a
// SyntaxError of a message marked "JS:").
func (in *instance) regexpRewrite(pattern, flags string) string {
	s, err := jsregexp.RewritePropertyEscapes(pattern, flags)
	if err != nil {
		in.throw(&weberr.Error{Name: weberr.SyntaxError, Message: "JS:" + weberr.MessageOf(err), Err: err})
	}
	return s
}

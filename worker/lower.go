package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/go-sourcemap/sourcemap"
	"github.com/grafana/sobek/file"
	"github.com/grafana/sobek/parser"

	"github.com/swhost/swhost/weberr"
)

// Lowering: a script in today's JavaScript, or in TypeScript, is rewritten
// by esbuild (github.com/evanw/esbuild/pkg/api) into the JavaScript sobek
// compiles, at compile time, once per script version. Plain JavaScript
// that sobek's parser takes is compiled as it is (the fast path: today's
// compile speed and the script's own positions); only a script sobek
// cannot parse (or compile: async generators) is lowered, and TypeScript
// always is. esbuild's source map goes with the lowered program, so stack
// traces and syntax errors name the original file, line and column.

// lowerSupported tells esbuild what to rewrite: the syntax sobek lacks
// (TestECMAScriptFeatures probes each against the engine). Everything
// else is left as written (the target is esnext).
var lowerSupported = map[string]bool{
	"async-generator": false, // async function*, async *m() {}
	"for-await":       false, // for await (... of ...)
	"using":           false, // using, await using (Symbol.dispose from js/05_ecmascript.js)
	"decorators":      false, // @decorator, accessor
	// Regular expression literals with flags sobek lacks become RegExp
	// calls, which throw a SyntaxError only when they run, not when the
	// script is compiled.
	"regexp-match-indices": false, // the d flag
	"regexp-set-notation":  false, // the v flag
	// and with the u flag and a Unicode property escape (\p{L}): the
	// RegExp of js/05_regexp.js spells those out, as sobek lacks them.
	"regexp-unicode-property-escapes": false,
}

// helperSource names, in stack traces, the code esbuild adds at the top
// of a lowered script (its runtime helpers, such as __asyncGenerator).
const helperSource = "swhost:esbuild"

// IsTypeScript reports whether the script or module at u is compiled as
// TypeScript: its URL's path ends in .ts, .mts or .cts (any case). The
// Content-Type is not consulted: servers send .ts files as video/mp2t as
// often as anything else (package registry accepts those types for such
// URLs).
func IsTypeScript(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	path := strings.ToLower(p.Path)
	return strings.HasSuffix(path, ".ts") || strings.HasSuffix(path, ".mts") || strings.HasSuffix(path, ".cts")
}

// loweredSource is esbuild's rewrite of a script or module.
type loweredSource struct {
	code      string
	sourceMap *sourcemap.Consumer // generated positions to the original's
}

type lowerKey struct {
	url    string
	hash   [32]byte
	module bool
}

// lowerings caches lowered sources by URL, content and kind, so that a
// module graph compiled again (or a module shared by two graphs) is
// lowered once; like programs, it is never evicted.
var lowerings sync.Map // lowerKey → *loweredSource

// lowerSlots bounds how many scripts esbuild lowers at once, process-wide:
// esbuild cannot be interrupted, so many hostile scripts compiling
// together share half the CPUs instead of taking them all.
var lowerSlots = make(chan struct{}, max(1, runtime.NumCPU()/2))

// lowerRuns counts esbuild's transforms (tests check that a script version
// is lowered once).
var lowerRuns atomic.Int64

// lower returns src (the script or module at scriptURL, whose SHA-256 is
// hash) rewritten by esbuild, from the cache when it was lowered before.
// sh is src's shape: a script over the lowering limits is refused with a
// RangeError before esbuild reads it. A script esbuild cannot parse fails
// with a SyntaxError at the original position. Waiting for a lowering slot
// ends with ctx; the transform itself runs to its end (its cost is bounded
// by the shape limits).
func lower(ctx context.Context, scriptURL string, src []byte, hash [32]byte, module bool, sh scriptShape) (*loweredSource, error) {
	key := lowerKey{scriptURL, hash, module}
	if l, ok := lowerings.Load(key); ok {
		return l.(*loweredSource), nil
	}
	if err := checkLowerShape(scriptURL, sh); err != nil {
		return nil, err
	}
	select {
	case lowerSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("compiling %s: %w", scriptURL, context.Cause(ctx))
	}
	defer func() { <-lowerSlots }()
	opts := api.TransformOptions{
		Sourcefile:     scriptURL,
		Loader:         api.LoaderJS,
		Format:         api.FormatDefault, // a classic script stays a script
		Target:         api.ESNext,
		Supported:      lowerSupported,
		Sourcemap:      api.SourceMapExternal,
		SourcesContent: api.SourcesContentExclude,
		LogLevel:       api.LogLevelSilent,
	}
	if module {
		opts.Format = api.FormatESModule
	}
	if IsTypeScript(scriptURL) {
		opts.Loader = api.LoaderTS
	}
	lowerRuns.Add(1)
	res := api.Transform(string(src), opts)
	if len(res.Errors) > 0 {
		return nil, esbuildError(scriptURL, res.Errors[0])
	}
	code := string(res.Code)
	edits := regexpEdits(code, module)
	sm, err := loweredSourceMap(scriptURL, res.Map, func(lines [][]segment) { shiftSegments(lines, code, edits) })
	if err != nil {
		return nil, fmt.Errorf("lowering %s: %w", scriptURL, err)
	}
	if len(edits) > 0 {
		code = applyRegexpEdits(code, edits)
	}
	l := &loweredSource{code: code, sourceMap: sm}
	actual, _ := lowerings.LoadOrStore(key, l)
	return actual.(*loweredSource), nil
}

// esbuildError turns esbuild's message into a SyntaxError at the original
// position.
func esbuildError(scriptURL string, m api.Message) error {
	e := &JSError{Name: weberr.SyntaxError, Message: m.Text}
	if loc := m.Location; loc != nil {
		e.Stack = "    at " + file.Position{Filename: scriptURL, Line: loc.Line, Column: loc.Column + 1}.String()
	}
	return e
}

// syntaxError returns err, sobek's error parsing or compiling the lowered
// code, as syntaxError does, with its position mapped to the original
// source.
func (l *loweredSource) syntaxError(err error) error {
	var list parser.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		e := list[0]
		pos := e.Position
		if src, _, line, col, ok := l.sourceMap.Source(pos.Line, pos.Column); ok {
			pos = file.Position{Filename: src, Line: line, Column: col}
		}
		return &JSError{Name: weberr.SyntaxError, Message: e.Message, Stack: "    at " + pos.String(), cause: err}
	}
	return syntaxError(err) // compile errors: the file's positions are mapped already
}

// loweredSourceMap parses esbuild's source map for sobek. sobek asks for
// 1-based columns and prints what it gets, while source maps count
// columns from 0, so every column is shifted by one; the lines esbuild
// adds before the first mapped one (its helpers) are mapped to
// helperSource, so that their frames do not look like the script's own
// lines. edit, when not nil, adjusts the decoded mappings first (their
// generated lines and columns as esbuild wrote them).
func loweredSourceMap(scriptURL string, raw []byte, edit func([][]segment)) (*sourcemap.Consumer, error) {
	var m struct {
		Version  int      `json:"version"`
		Sources  []string `json:"sources"`
		Names    []string `json:"names"`
		Mappings string   `json:"mappings"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	lines, err := decodeMappings(m.Mappings)
	if err != nil {
		return nil, err
	}
	if edit != nil {
		edit(lines)
	}
	helper := len(m.Sources)
	m.Sources = append(m.Sources, helperSource)
	for i := range lines {
		if len(lines[i]) > 0 {
			break
		}
		lines[i] = []segment{{genCol: 0, fields: 4, src: helper, srcLine: i, srcCol: 0}}
	}
	for _, segs := range lines {
		for j := range segs {
			segs[j].genCol++
			segs[j].srcCol++
		}
	}
	m.Mappings = encodeMappings(lines)
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return sourcemap.Parse(scriptURL, b)
}

// segment is one mapping of a source map, with absolute values.
type segment struct {
	fields                             int // 1, 4 or 5
	genCol, src, srcLine, srcCol, name int
}

// decodeMappings decodes a source map's mappings into segments per
// generated line, with absolute values.
func decodeMappings(s string) ([][]segment, error) {
	var lines [][]segment
	var cur []segment
	var src, srcLine, srcCol, name int
	for _, line := range strings.Split(s, ";") {
		cur = nil
		genCol := 0
		for _, seg := range strings.Split(line, ",") {
			if seg == "" {
				continue
			}
			var v [5]int
			n := 0
			for i := 0; i < len(seg); {
				if n == 5 {
					return nil, fmt.Errorf("source map segment %q has more than 5 fields", seg)
				}
				val, next, err := decodeVLQ(seg, i)
				if err != nil {
					return nil, err
				}
				v[n], n, i = val, n+1, next
			}
			if n != 1 && n != 4 && n != 5 {
				return nil, fmt.Errorf("source map segment %q has %d fields", seg, n)
			}
			genCol += v[0]
			sg := segment{fields: n, genCol: genCol}
			if n >= 4 {
				src += v[1]
				srcLine += v[2]
				srcCol += v[3]
				sg.src, sg.srcLine, sg.srcCol = src, srcLine, srcCol
			}
			if n == 5 {
				name += v[4]
				sg.name = name
			}
			cur = append(cur, sg)
		}
		lines = append(lines, cur)
	}
	return lines, nil
}

// encodeMappings is the inverse of decodeMappings.
func encodeMappings(lines [][]segment) string {
	var b strings.Builder
	var src, srcLine, srcCol, name int
	for i, segs := range lines {
		if i > 0 {
			b.WriteByte(';')
		}
		genCol := 0
		for j, sg := range segs {
			if j > 0 {
				b.WriteByte(',')
			}
			encodeVLQ(&b, sg.genCol-genCol)
			genCol = sg.genCol
			if sg.fields >= 4 {
				encodeVLQ(&b, sg.src-src)
				encodeVLQ(&b, sg.srcLine-srcLine)
				encodeVLQ(&b, sg.srcCol-srcCol)
				src, srcLine, srcCol = sg.src, sg.srcLine, sg.srcCol
			}
			if sg.fields == 5 {
				encodeVLQ(&b, sg.name-name)
				name = sg.name
			}
		}
	}
	return b.String()
}

const vlqDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// decodeVLQ decodes the base64 VLQ at s[i:] and returns it with the index
// after it.
func decodeVLQ(s string, i int) (int, int, error) {
	v, shift := 0, 0
	for ; i < len(s); i++ {
		d := strings.IndexByte(vlqDigits, s[i])
		if d < 0 || shift > 60 {
			return 0, 0, fmt.Errorf("bad source map mappings at %q", s)
		}
		v |= (d & 31) << shift
		shift += 5
		if d&32 == 0 {
			if v&1 != 0 {
				return -(v >> 1), i + 1, nil
			}
			return v >> 1, i + 1, nil
		}
	}
	return 0, 0, fmt.Errorf("truncated source map mappings at %q", s)
}

func encodeVLQ(b *strings.Builder, v int) {
	u := v << 1
	if v < 0 {
		u = (-v)<<1 | 1
	}
	for {
		d := u & 31
		u >>= 5
		if u != 0 {
			d |= 32
		}
		b.WriteByte(vlqDigits[d])
		if u == 0 {
			return
		}
	}
}

package worker

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/grafana/sobek"
	"github.com/grafana/sobek/ast"
	"github.com/grafana/sobek/parser"

	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
)

// Script is one compiled version of a worker script (and, for a module
// worker, its whole static import graph). It is immutable and shared by
// every runtime that runs this version; compiling is done once.
type Script struct {
	url  string
	typ  sw.WorkerType
	hash [32]byte // of the main script, plus every module for a module graph

	program *sobek.Program                           // classic
	main    *sobek.SourceTextModuleRecord            // module
	modules map[string]*sobek.SourceTextModuleRecord // module: URL → record
	sources map[string][]byte                        // every module's bytes, by URL
	resolve sobek.HostResolveImportedModuleFunc      // module: resolves within the graph
	lowered bool                                     // esbuild rewrote the script or one of its modules
}

// URL returns the script's URL.
func (s *Script) URL() string { return s.url }

// Type returns the script's type.
func (s *Script) Type() sw.WorkerType { return s.typ }

// Hash returns the SHA-256 of the script's bytes (for a module worker, of
// every module in its static graph).
func (s *Script) Hash() [32]byte { return s.hash }

// Modules returns the URLs of the modules a module worker imports
// statically, sorted; nil for a classic script.
func (s *Script) Modules() []string {
	var out []string
	for u := range s.sources {
		if u != s.url {
			out = append(out, u)
		}
	}
	sort.Strings(out)
	return out
}

// programs caches compiled classic scripts (main scripts and
// importScripts targets) by URL and content hash.
var programs sync.Map // programKey → *compiledProgram

type programKey struct {
	url  string
	hash [32]byte
}

type compiledProgram struct {
	prog    *sobek.Program
	lowered bool // esbuild rewrote the source
}

// scripts caches whole compiled Scripts by URL, type and graph hash.
var scripts sync.Map // scriptKey → *Script

type scriptKey struct {
	url  string
	typ  sw.WorkerType
	hash [32]byte
}

// compileProgram compiles a classic script, or returns the cached program
// for the same URL and bytes. lowered reports whether esbuild rewrote it
// (parseSource).
func compileProgram(ctx context.Context, scriptURL string, src []byte) (p *sobek.Program, lowered bool, err error) {
	key := programKey{scriptURL, sha256.Sum256(src)}
	if c, ok := programs.Load(key); ok {
		c := c.(*compiledProgram)
		return c.prog, c.lowered, nil
	}
	ast, l, err := parseSource(ctx, scriptURL, src, key.hash, false)
	if err != nil {
		return nil, false, err
	}
	p, err = sobek.CompileAST(ast, false)
	if err != nil {
		if l != nil {
			return nil, false, l.syntaxError(err)
		}
		return nil, false, syntaxError(err)
	}
	programs.Store(key, &compiledProgram{p, l != nil})
	return p, l != nil, nil
}

// parseSource parses src, the classic script or module at scriptURL (hash
// is its SHA-256), for sobek. JavaScript that sobek's parser takes, and
// that holds nothing it cannot run (checkAST), is parsed as it is. TypeScript, and
// JavaScript that uses syntax sobek lacks, is lowered by esbuild (lower)
// and the result parsed with esbuild's source map, so that positions in
// stacks and errors are the original's; l is then the lowered source. A
// script over the shape limits is refused with a RangeError before any
// parser reads it; a syntax error is a SyntaxError at the original
// position.
func parseSource(ctx context.Context, scriptURL string, src []byte, hash [32]byte, module bool) (prog *ast.Program, l *loweredSource, err error) {
	ts := IsTypeScript(scriptURL)
	sh := scanShape(src, ts)
	if err := checkShape(scriptURL, sh); err != nil {
		return nil, nil, err
	}
	opts := []parser.Option{parser.WithDisableSourceMaps}
	mode := parser.Mode(0)
	if module {
		opts = append(opts, parser.IsModule)
	}
	var nativeErr error
	if _, known := lowerings.Load(lowerKey{scriptURL, hash, module}); !ts && !known {
		prog, err := parser.ParseFile(nil, scriptURL, string(src), mode, opts...)
		if err == nil {
			lowerNeeded, err := checkAST(scriptURL, prog)
			if err != nil || !lowerNeeded {
				return prog, nil, err
			}
		} else {
			nativeErr = syntaxError(err)
		}
	}
	l, err = lower(ctx, scriptURL, src, hash, module, sh)
	if err != nil {
		if nativeErr != nil && weberr.NameOf(err) == weberr.RangeError {
			// Too complex to lower: say what the engine could not parse too.
			return nil, nil, weberr.Errorf(weberr.RangeError, "%v; without lowering: %v", err, nativeErr)
		}
		return nil, nil, err
	}
	if err := checkShape(scriptURL, scanShape([]byte(l.code), false)); err != nil {
		return nil, nil, err
	}
	prog, err = parser.ParseFile(nil, scriptURL, l.code, mode, opts...)
	if err != nil {
		return nil, nil, l.syntaxError(err)
	}
	prog.File.SetSourceMap(l.sourceMap)
	if _, err := checkAST(scriptURL, prog); err != nil {
		return nil, nil, err
	}
	return prog, l, nil
}

// CompileScript compiles src, the script at scriptURL, as a worker of the
// given type. A module worker's static imports are loaded through loader
// (same-origin only) and compiled with it. Scripts larger than
// maxBytes (0: the default limit) are refused. Compiled scripts are cached
// by URL and content: compiling the same bytes again is a map lookup.
func CompileScript(ctx context.Context, scriptURL string, typ sw.WorkerType, src []byte, loader Loader, maxBytes int) (*Script, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultLimits.MaxScriptBytes
	}
	if len(src) > maxBytes {
		return nil, weberr.Errorf(weberr.QuotaExceeded, "script %s is %d bytes, over the %d-byte limit", scriptURL, len(src), maxBytes)
	}
	switch typ {
	case "", sw.WorkerClassic:
		p, lowered, err := compileProgram(ctx, scriptURL, src)
		if err != nil {
			return nil, err
		}
		return &Script{url: scriptURL, typ: sw.WorkerClassic, hash: sha256.Sum256(src), program: p, lowered: lowered}, nil
	case sw.WorkerModule:
		return compileModuleGraph(ctx, scriptURL, src, loader, maxBytes)
	default:
		return nil, weberr.Errorf(weberr.TypeError, "unknown worker type %q (want \"classic\" or \"module\")", typ)
	}
}

// compileModuleGraph loads every module reachable by static import from
// the main module, then parses and links the graph once.
func compileModuleGraph(ctx context.Context, mainURL string, src []byte, loader Loader, maxBytes int) (*Script, error) {
	base, err := url.Parse(mainURL)
	if err != nil || !base.IsAbs() {
		return nil, weberr.Errorf(weberr.TypeError, "module script URL %q is not absolute", mainURL)
	}
	sources := map[string][]byte{mainURL: src}
	parsed := map[string]*parsedModule{}
	lowered := false
	queue := []string{mainURL}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		ast, l, err := parseSource(ctx, u, sources[u], sha256.Sum256(sources[u]), true)
		if err != nil {
			return nil, err
		}
		parsed[u] = &parsedModule{ast, l}
		lowered = lowered || l != nil
		rec, err := sobek.ModuleFromAST(ast, nil)
		if err != nil {
			return nil, parsed[u].syntaxError(err)
		}
		for _, spec := range rec.RequestedModules() {
			dep, err := resolveSpecifier(u, spec)
			if err != nil {
				return nil, err
			}
			if _, seen := sources[dep]; seen {
				continue
			}
			if loader == nil {
				return nil, weberr.Errorf(weberr.TypeError, "module %s imports %s, but the worker has no Loader", u, dep)
			}
			b, err := loader.Load(ctx, dep)
			if err != nil {
				return nil, fmt.Errorf("loading module %s imported by %s: %w", dep, u, err)
			}
			if len(b) > maxBytes {
				return nil, weberr.Errorf(weberr.QuotaExceeded, "module %s is %d bytes, over the %d-byte limit", dep, len(b), maxBytes)
			}
			sources[dep] = b
			queue = append(queue, dep)
		}
	}
	h := sha256.New()
	urls := make([]string, 0, len(sources))
	for u := range sources {
		urls = append(urls, u)
	}
	sort.Strings(urls)
	for _, u := range urls {
		fmt.Fprintf(h, "%d:%s%d:", len(u), u, len(sources[u]))
		h.Write(sources[u])
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	key := scriptKey{mainURL, sw.WorkerModule, sum}
	if s, ok := scripts.Load(key); ok {
		return s.(*Script), nil
	}

	s := &Script{url: mainURL, typ: sw.WorkerModule, hash: sum, modules: map[string]*sobek.SourceTextModuleRecord{}, sources: sources, lowered: lowered}
	var resolve sobek.HostResolveImportedModuleFunc
	resolve = func(referrer any, spec string) (sobek.ModuleRecord, error) {
		from := mainURL
		if r, ok := referrer.(*sobek.SourceTextModuleRecord); ok {
			for u, m := range s.modules {
				if m == r {
					from = u
					break
				}
			}
		}
		u, err := resolveSpecifier(from, spec)
		if err != nil {
			return nil, err
		}
		if m, ok := s.modules[u]; ok {
			return m, nil
		}
		pm, ok := parsed[u]
		if !ok {
			return nil, weberr.Errorf(weberr.TypeError, "module %s was not loaded", u)
		}
		m, err := sobek.ModuleFromAST(pm.ast, resolve)
		if err != nil {
			return nil, pm.syntaxError(err)
		}
		s.modules[u] = m
		return m, nil
	}
	s.resolve = resolve
	m, err := resolve(nil, mainURL)
	if err != nil {
		return nil, err
	}
	s.main = m.(*sobek.SourceTextModuleRecord)
	if err := s.main.Link(); err != nil {
		return nil, weberr.Errorf(weberr.SyntaxError, "linking module %s: %v", mainURL, err)
	}
	actual, _ := scripts.LoadOrStore(key, s)
	return actual.(*Script), nil
}

// parsedModule is a module of a graph being compiled: its syntax tree,
// parsed once for both the loading of its imports and its record.
type parsedModule struct {
	ast     *ast.Program
	lowered *loweredSource // nil: not lowered
}

// syntaxError reports err, sobek's error about the module, at the
// original position.
func (m *parsedModule) syntaxError(err error) error {
	if m.lowered != nil {
		return m.lowered.syntaxError(err)
	}
	return syntaxError(err)
}

// resolveSpecifier resolves an import specifier against the importing
// module's URL. Only relative and absolute URLs are allowed (no bare
// specifiers), and only same-origin ones.
func resolveSpecifier(from, spec string) (string, error) {
	if spec == "" || !(spec[0] == '/' || len(spec) > 1 && spec[:2] == "./" || len(spec) > 2 && spec[:3] == "../") {
		if u, err := url.Parse(spec); err != nil || !u.IsAbs() {
			return "", weberr.Errorf(weberr.TypeError, "import %q in %s: bare specifiers are not supported; use a relative or absolute URL", spec, from)
		}
	}
	base, err := url.Parse(from)
	if err != nil {
		return "", weberr.Errorf(weberr.TypeError, "module URL %q: %v", from, err)
	}
	ref, err := url.Parse(spec)
	if err != nil {
		return "", weberr.Errorf(weberr.TypeError, "import %q in %s: %v", spec, from, err)
	}
	u := base.ResolveReference(ref)
	u.Fragment = ""
	if u.Scheme != base.Scheme || u.Host != base.Host {
		return "", weberr.Errorf(weberr.SecurityError, "import %q in %s: cross-origin module imports are not allowed", spec, from)
	}
	return u.String(), nil
}

// syntaxError turns a sobek parse error into a SyntaxError that keeps the
// file, line and column.
func syntaxError(err error) error {
	var ce *sobek.CompilerSyntaxError
	if errors.As(err, &ce) && ce.File != nil {
		return &JSError{Name: "SyntaxError", Message: ce.Message, Stack: "    at " + ce.File.Position(ce.Offset).String(), cause: err}
	}
	var list parser.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		e := list[0]
		return &JSError{Name: "SyntaxError", Message: e.Message, Stack: "    at " + e.Position.String(), cause: err}
	}
	var pe *parser.Error
	if errors.As(err, &pe) {
		return &JSError{Name: "SyntaxError", Message: pe.Message, Stack: "    at " + pe.Position.String(), cause: err}
	}
	return &JSError{Name: "SyntaxError", Message: strings.TrimPrefix(err.Error(), "SyntaxError: "), cause: err}
}

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
var programs sync.Map // programKey → *sobek.Program

type programKey struct {
	url  string
	hash [32]byte
}

// scripts caches whole compiled Scripts by URL, type and graph hash.
var scripts sync.Map // scriptKey → *Script

type scriptKey struct {
	url  string
	typ  sw.WorkerType
	hash [32]byte
}

// compileProgram compiles a classic script, or returns the cached program
// for the same URL and bytes.
func compileProgram(scriptURL string, src []byte) (*sobek.Program, error) {
	key := programKey{scriptURL, sha256.Sum256(src)}
	if p, ok := programs.Load(key); ok {
		return p.(*sobek.Program), nil
	}
	if err := checkShape(scriptURL, scanShape(src, false)); err != nil {
		return nil, err
	}
	ast, err := parser.ParseFile(nil, scriptURL, string(src), 0, parser.WithDisableSourceMaps)
	if err != nil {
		return nil, syntaxError(err)
	}
	if err := checkAST(scriptURL, ast); err != nil {
		return nil, err
	}
	p, err := sobek.CompileAST(ast, false)
	if err != nil {
		return nil, syntaxError(err)
	}
	programs.Store(key, p)
	return p, nil
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
		p, err := compileProgram(scriptURL, src)
		if err != nil {
			return nil, err
		}
		return &Script{url: scriptURL, typ: sw.WorkerClassic, hash: sha256.Sum256(src), program: p}, nil
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
	queue := []string{mainURL}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if err := checkShape(u, scanShape(sources[u], false)); err != nil {
			return nil, err
		}
		ast, err := parser.ParseFile(nil, u, string(sources[u]), 0, parser.IsModule, parser.WithDisableSourceMaps)
		if err != nil {
			return nil, syntaxError(err)
		}
		if err := checkAST(u, ast); err != nil {
			return nil, err
		}
		rec, err := sobek.ModuleFromAST(ast, nil)
		if err != nil {
			return nil, syntaxError(err)
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

	s := &Script{url: mainURL, typ: sw.WorkerModule, hash: sum, modules: map[string]*sobek.SourceTextModuleRecord{}, sources: sources}
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
		b, ok := sources[u]
		if !ok {
			return nil, weberr.Errorf(weberr.TypeError, "module %s was not loaded", u)
		}
		ast, err := parser.ParseFile(nil, u, string(b), 0, parser.IsModule, parser.WithDisableSourceMaps)
		if err != nil {
			return nil, syntaxError(err)
		}
		m, err := sobek.ModuleFromAST(ast, resolve)
		if err != nil {
			return nil, syntaxError(err)
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

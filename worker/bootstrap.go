package worker

import (
	"embed"
	"fmt"
	"sync"

	"github.com/grafana/sobek"
	"github.com/grafana/sobek/parser"
)

// The service-worker global scope is built by the JavaScript files of js/,
// one per web API. Each file is one function expression,
//
//	(function (internals, host, global) { 'use strict'; ... })
//
// called with the same three arguments: internals, an object private to
// these files through which they share what they define (each file takes
// what earlier files registered, with a destructuring const at its top,
// and registers its own exports with Object.assign at its end; a name a
// file needs from a later one is read as internals.Name when used); host,
// the bindings listed in exports (exports.go); and global, the global object,
// on which the files install the web APIs. Nothing in internals is
// reachable from worker scripts. The last file registers the functions Go
// calls (jsInternals) as internals.entryPoints.
//
//go:embed js/*.js
var jsSources embed.FS

// jsFiles is the order in which the files of js/ run: a file may use at
// its top only what the files before it registered. The numbers of the
// names group the files (0x: events and the language's own built-ins, 1x:
// fetch's classes, 2x: URLs, 3x: fetch and caches, 4x: small APIs, 5x:
// messaging, 6x-8x: the global scope, 9x: Go's entry points) and leave
// room for new files; the order is this list's, not the names'.
var jsFiles = []string{
	"00_records.js",
	"00_common.js",
	"01_dom_exception.js",
	"02_event.js",
	"03_extendable_event.js",
	"04_custom_event.js",
	"05_ecmascript.js",
	"05_regexp.js",
	"05_error_event.js",
	"10_headers.js",
	"11_blob.js",
	"12_body.js",
	"13_request.js",
	"14_response.js",
	"15_form_data.js",
	"16_streams.js",
	"17_streams_readable.js",
	"17_streams_bytes.js",
	"18_streams_writable.js",
	"19_streams_transform.js",
	"19_compression.js",
	"20_url.js",
	"21_urlpattern.js",
	"30_fetch.js",
	"31_cache_storage.js",
	"32_indexeddb.js",
	"33_indexeddb_transaction.js",
	"34_indexeddb_store.js",
	"40_abort_signal.js",
	"41_encoding.js",
	"42_crypto.js",
	"43_performance.js",
	"44_subtle_crypto.js",
	"45_intl.js",
	"46_intl_format.js",
	"50_messaging.js",
	"51_websocket.js",
	"52_broadcast_channel.js",
	"60_console.js",
	"70_location_clients.js",
	"71_push.js",
	"72_sync.js",
	"73_notifications.js",
	"74_storage.js",
	"80_global_scope.js",
	"90_entry_points.js",
}

// bootstrapPrograms are the compiled files of jsFiles, in order, shared by
// every runtime: each file is compiled once per process. Stack lines name
// a file as swhost:js/NAME.
var bootstrapPrograms = sync.OnceValues(func() ([]*sobek.Program, error) {
	progs := make([]*sobek.Program, len(jsFiles))
	for i, name := range jsFiles {
		src, err := jsSources.ReadFile("js/" + name)
		if err != nil {
			return nil, err
		}
		ast, err := sobek.Parse("swhost:js/"+name, string(src), parser.WithDisableSourceMaps)
		if err != nil {
			return nil, err
		}
		if progs[i], err = sobek.CompileAST(ast, true); err != nil {
			return nil, err
		}
	}
	return progs, nil
})

// runBootstrap runs the files of jsFiles on rt, in order, with host and
// rt's global object, and returns the internals object they share.
func runBootstrap(rt *sobek.Runtime, host *sobek.Object) (*sobek.Object, error) {
	progs, err := bootstrapPrograms()
	if err != nil {
		return nil, err
	}
	internals := rt.NewObject()
	if err := internals.SetPrototype(nil); err != nil {
		return nil, err
	}
	args := []sobek.Value{internals, host, rt.GlobalObject()}
	for i, prog := range progs {
		v, err := rt.RunProgram(prog)
		if err != nil {
			return nil, err
		}
		fn, ok := sobek.AssertFunction(v)
		if !ok {
			return nil, fmt.Errorf("js/%s is not a function expression", jsFiles[i])
		}
		if _, err := fn(sobek.Undefined(), args...); err != nil {
			return nil, err
		}
	}
	return internals, nil
}

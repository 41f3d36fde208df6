// Package ui is swhost's devtools page: a view of every registration,
// Cache Storage, the live event log, a scope lookup and a request box,
// laid out like the Application panel of Chrome's DevTools. It is plain
// HTML, CSS and JavaScript embedded in the binary, talking to the admin
// API (docs/api.md); it loads nothing from the internet.
//
//	srv := server.New(server.Options{..., UI: ui.New(ui.Options{})})
package ui

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
)

//go:embed assets
var assets embed.FS

var page = template.Must(template.ParseFS(assets, "assets/index.html"))

// Options configure the devtools handler.
type Options struct {
	// Title is shown in the page's title bar; empty: "swhost devtools".
	Title string
	// Demo, when set, is served at /demo (the demo command's page) and
	// linked from the devtools page.
	Demo http.Handler
}

// New returns the handler of the devtools page ("/"), its assets
// ("/ui/...") and, when set, the demo page ("/demo").
func New(opts Options) http.Handler {
	if opts.Title == "" {
		opts.Title = "swhost devtools"
	}
	data := struct {
		Title string
		Demo  bool
	}{opts.Title, opts.Demo != nil}
	sub, _ := fs.Sub(assets, "assets")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		var buf bytes.Buffer
		if err := page.Execute(&buf, data); err != nil {
			http.Error(w, "devtools page: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'")
		w.Write(buf.Bytes())
	})
	mux.Handle("GET /ui/", http.StripPrefix("/ui/", http.FileServerFS(sub)))
	if opts.Demo != nil {
		mux.Handle("/demo", opts.Demo)
		mux.Handle("/demo/", opts.Demo)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "404 page not found: "+r.URL.Path+" (the devtools page is at /)", http.StatusNotFound)
	})
	return mux
}

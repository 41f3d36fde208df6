package demo

import (
	"net/http"
	"slices"
)

// Page returns the demo page's handler, for the admin listener: GET /demo
// (the page), GET /demo/demo.js and /demo/demo.css, and POST
// /demo/down?origin=ORIGIN&down=1|0, which takes a demo origin's server
// down or up again. The page itself talks to the admin API (/v1/) and
// the connect bridge (/connect.js) next to it.
func Page(o *Origins) http.Handler {
	mux := http.NewServeMux()
	file := func(name, ctype string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			b, err := site.ReadFile("site/" + name)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", ctype)
			w.Header().Set("Cache-Control", "no-cache")
			w.Write(b)
		}
	}
	mux.HandleFunc("GET /demo", file("demo.html", "text/html; charset=utf-8"))
	mux.HandleFunc("GET /demo/{$}", file("demo.html", "text/html; charset=utf-8"))
	mux.HandleFunc("GET /demo/demo.js", file("demo.js", "text/javascript; charset=utf-8"))
	mux.HandleFunc("GET /demo/demo.css", file("demo.css", "text/css; charset=utf-8"))
	mux.HandleFunc("POST /demo/down", func(w http.ResponseWriter, r *http.Request) {
		origin := r.URL.Query().Get("origin")
		if _, ok := origins[origin]; !ok {
			http.Error(w, "not a demo origin: "+origin, http.StatusBadRequest)
			return
		}
		down := r.URL.Query().Get("down")
		if !slices.Contains([]string{"0", "1"}, down) {
			http.Error(w, "down must be 0 or 1", http.StatusBadRequest)
			return
		}
		o.SetDown(origin, down == "1")
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

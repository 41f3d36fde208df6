// Package demo is the bundle behind "swhost demo": three example origins
// served from loopback upstreams, each showing one of swhost's designs,
// and the demo page that drives clients against them.
//
//   - https://app.test: two teams' workers on URL-pattern scopes,
//     {"path":"/"} (the home page exactly) and {"path":"/maps/?*"}.
//   - https://fonts.test: a font provider whose CSS response registers a
//     foreign-fetch worker by its Link header.
//   - https://echo.test: the connect seed's echo service at
//     https://echo.test/services/echo.
//
// Start the upstreams, run swhost with their Resolve mappings, then call
// Setup with the admin API's URL and token:
//
//	o, _ := demo.Start()
//	defer o.Close()
//	// swhost serve --resolve ORIGIN=UPSTREAM for each o.Resolve() entry ...
//	_ = demo.Setup(ctx, "http://127.0.0.1:8080", adminToken)
package demo

import (
	"embed"
	"fmt"
	"net"
	"net/http"
	"sort"
	"sync"
)

//go:embed site
var site embed.FS

// The demo origins.
const (
	AppOrigin   = "https://app.test"
	FontsOrigin = "https://fonts.test"
	EchoOrigin  = "https://echo.test"
	// EchoService is the URL pages connect to.
	EchoService = EchoOrigin + "/services/echo"
)

// resource is one file an origin serves.
type resource struct {
	file   string // under site/, or "" for body
	body   string
	ctype  string
	header map[string]string
}

// origins lists what each demo origin serves, by path.
var origins = map[string]map[string]resource{
	AppOrigin: {
		"/":                     {body: appHome, ctype: "text/html; charset=utf-8"},
		"/about":                {body: "the app's server answered /about (no worker's scope matches it)\n", ctype: "text/plain; charset=utf-8"},
		"/sw.js":                {file: "root-sw.js", ctype: "text/javascript"},
		"/maps/maps-sw.js":      {file: "maps-sw.js", ctype: "text/javascript"},
		"/maps/tiles/0-0-0.txt": {body: "tile 0/0/0 from the app's server\n", ctype: "text/plain; charset=utf-8"},
		"/maps/tiles/1-0-0.txt": {body: "tile 1/0/0 from the app's server\n", ctype: "text/plain; charset=utf-8"},
		"/maps/tiles/1-1-0.txt": {body: "tile 1/1/0 from the app's server\n", ctype: "text/plain; charset=utf-8"},
		"/maps/":                {body: "<!doctype html><title>maps</title><h1>maps</h1>", ctype: "text/html; charset=utf-8"},
	},
	FontsOrigin: {
		"/sw.js": {file: "fonts-sw.js", ctype: "text/javascript"},
		"/css": {body: "@font-face { font-family: Roboto; src: url(/fonts/roboto.woff2) }\n", ctype: "text/css",
			header: map[string]string{"Link": `</sw.js>; rel="serviceworker"; scope="/"`, "Access-Control-Allow-Origin": "*"}},
		"/fonts/roboto.woff2": {body: "ROBOTO-WOFF2 (pretend font bytes)", ctype: "font/woff2",
			header: map[string]string{"Access-Control-Allow-Origin": "*", "X-Provider-Only": "not exposed to the page"}},
	},
	EchoOrigin: {
		"/":                 {body: "<!doctype html><title>echo.test</title><p>The echo service lives at /services/echo.", ctype: "text/html; charset=utf-8"},
		"/serviceworker.js": {file: "echo-sw.js", ctype: "text/javascript"},
	},
}

const appHome = `<!doctype html><title>app.test</title><h1>app.test home</h1>
<p>Two teams share this origin: the root team's worker controls "/" exactly, the maps team's worker controls /maps and below.</p>`

// Origins are the running loopback upstreams of the demo origins.
type Origins struct {
	mu       sync.Mutex
	servers  map[string]*http.Server
	upstream map[string]string
	down     map[string]bool
}

// Start serves every demo origin on its own 127.0.0.1 port.
func Start() (*Origins, error) {
	o := &Origins{servers: map[string]*http.Server{}, upstream: map[string]string{}, down: map[string]bool{}}
	for origin, files := range origins {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			o.Close()
			return nil, fmt.Errorf("demo: upstream for %s: %w", origin, err)
		}
		srv := &http.Server{Handler: o.handler(origin, files)}
		o.servers[origin] = srv
		o.upstream[origin] = "http://" + ln.Addr().String()
		go srv.Serve(ln)
	}
	return o, nil
}

// Resolve returns the ORIGIN=UPSTREAM mappings, sorted, as
// network.ParseResolve and swhost's --resolve flag take them.
func (o *Origins) Resolve() []string {
	var out []string
	for origin, up := range o.upstream {
		out = append(out, origin+"="+up)
	}
	sort.Strings(out)
	return out
}

// SetDown makes an origin's server answer 503 to everything (down true)
// or serve again, to show workers answering while it is down.
func (o *Origins) SetDown(origin string, down bool) {
	o.mu.Lock()
	o.down[origin] = down
	o.mu.Unlock()
}

// Close stops the upstreams.
func (o *Origins) Close() {
	for _, s := range o.servers {
		s.Close()
	}
}

func (o *Origins) handler(origin string, files map[string]resource) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		down := o.down[origin]
		o.mu.Unlock()
		if down {
			http.Error(w, origin+" is down (the demo page took it down)", http.StatusServiceUnavailable)
			return
		}
		res, ok := files[r.URL.Path]
		if !ok {
			http.Error(w, "not found on "+origin+": "+r.URL.Path, http.StatusNotFound)
			return
		}
		body := res.body
		if res.file != "" {
			b, err := site.ReadFile("site/" + res.file)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			body = string(b)
		}
		for k, v := range res.header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", res.ctype)
		w.Header().Set("Cache-Control", "no-cache")
		w.Write([]byte(body))
	})
}

package workloads

import (
	"crypto/md5"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
)

//go:embed *.js
var scripts embed.FS

// Names are the workloads of bench/edge/run.sh, in the order it runs them.
var Names = []string{"hello", "json", "html", "router", "headers", "cache", "workbox"}

// Precache are the files the workbox workload precaches (the Workbox
// example app's), relative to the repository's root.
var Precache = []string{"npm/examples/workbox/src/index.html", "npm/examples/workbox/src/app.js", "npm/examples/workbox/src/styles.css"}

// WorkboxBuilds is the directory of Workbox's production builds that
// workbox.js imports from /wb/, relative to the repository's root.
const WorkboxBuilds = "e2e/testdata/realworld/workbox"

var workboxModules = []string{"workbox-core", "workbox-routing", "workbox-strategies", "workbox-precaching"}

// routerPaths are the router workload's request paths: early, middle and
// late routes, and three that no route matches (404).
var routerPaths = []string{
	"/api/users", "/api/orders/17", "/api/products/3/history", "/api/sessions/99/owner",
	"/invoices/2026/03/inv-7.pdf", "/api/teams/7/members", "/api/files/123", "/api/posts/42/history",
	"/posts/2026/hello-world", "/api/posts/abc", "/static/app.css", "/api/comments/1",
}

// Paths returns the request paths of a workload; wrk takes them in turn
// (paths.lua).
func Paths(workload string) []string {
	switch workload {
	case "router":
		return routerPaths
	case "headers":
		return []string{"/api/items"}
	case "cache":
		return []string{"/items.json"}
	case "workbox":
		p := []string{"/"}
		for _, f := range Precache {
			p = append(p, "/"+filepath.Base(f))
		}
		return p
	}
	return []string{"/"}
}

// WriteSite writes into dir what the upstream of https://app.test serves
// (Upstream): sw-WORKLOAD.js, the swhost worker of every workload, wb/,
// Workbox's builds, the files of Precache at
// /BASENAME and items.json. root is the repository's root.
func WriteSite(root, dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "wb"), 0o755); err != nil {
		return err
	}
	copyFile := func(from, to string) error {
		b, err := os.ReadFile(filepath.Join(root, from))
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, to), b, 0o644)
	}
	for _, m := range workboxModules {
		if err := copyFile(filepath.Join(WorkboxBuilds, m+".prod.js"), filepath.Join("wb", m+".prod.js")); err != nil {
			return err
		}
	}
	for _, f := range Precache {
		if err := copyFile(f, filepath.Base(f)); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "items.json"), Items, 0o644); err != nil {
		return err
	}
	for _, w := range Names {
		b, err := Script(w, "swhost", root)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "sw-"+w+".js"), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Script returns the worker script (service-worker syntax, no modules) of
// a workload for host "swhost" or "workerd":
//
//   - hello: addEventListener('fetch', e => e.respondWith(new Response('hello')));
//   - json, html, router: kernels.js, then ITEMS, the text of items.json as
//     a string constant, then the workload's fetch handler (json.js, ...),
//     since workerd's service-worker syntax has no importScripts;
//   - headers: headers.js;
//   - cache: cache.js under swhost, cache.workerd.js (after ITEMS) under
//     workerd;
//   - workbox (swhost only): MANIFEST, the precache manifest of Precache
//     (relative to root, the repository's root; each file at /BASENAME
//     with the MD5 of its content as its revision, as workbox-build's
//     injectManifest writes it), then workbox.js.
func Script(workload, host, root string) ([]byte, error) {
	if host != "swhost" && host != "workerd" {
		return nil, fmt.Errorf("unknown host %q", host)
	}
	items, err := json.Marshal(string(Items))
	if err != nil {
		return nil, err
	}
	itemsConst := "const ITEMS = " + string(items) + ";\n"
	var parts []string
	switch workload {
	case "hello":
		return []byte("addEventListener('fetch', (e) => e.respondWith(new Response('hello')));\n"), nil
	case "json", "html", "router":
		parts = []string{"@kernels.js", itemsConst, "@" + workload + ".js"}
	case "headers":
		parts = []string{"@headers.js"}
	case "cache":
		parts = []string{"@cache.js"}
		if host == "workerd" {
			parts = []string{itemsConst, "@cache.workerd.js"}
		}
	case "workbox":
		if host == "workerd" {
			return nil, fmt.Errorf("workbox: workerd runs no install event and has no Cache Storage backend")
		}
		type entry struct {
			URL      string `json:"url"`
			Revision string `json:"revision"`
		}
		var manifest []entry
		for _, name := range Precache {
			b, err := os.ReadFile(filepath.Join(root, name))
			if err != nil {
				return nil, err
			}
			sum := md5.Sum(b)
			manifest = append(manifest, entry{"/" + filepath.Base(name), hex.EncodeToString(sum[:])})
		}
		m, err := json.Marshal(manifest)
		if err != nil {
			return nil, err
		}
		parts = []string{"const MANIFEST = " + string(m) + ";\n", "@workbox.js"}
	default:
		return nil, fmt.Errorf("unknown workload %q", workload)
	}
	var out []byte
	for _, p := range parts {
		if p[0] == '@' {
			b, err := scripts.ReadFile(p[1:])
			if err != nil {
				return nil, err
			}
			out = append(out, b...)
			continue
		}
		out = append(out, p...)
	}
	return out, nil
}

// Upstream is the upstream of https://app.test in the benchmark: the
// files of dir at their paths, and /api/items, which answers items.json
// the way an API server does: Cache-Control: no-store, and the Server,
// X-Powered-By and X-Upstream-Debug headers that the headers workload
// removes.
func Upstream(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/items" {
			h := w.Header()
			h.Set("Content-Type", "application/json")
			h.Set("Cache-Control", "no-store")
			h.Set("Server", "origin/1.0")
			h.Set("X-Powered-By", "bench")
			h.Set("X-Upstream-Debug", "node=1")
			w.Write(Items)
			return
		}
		files.ServeHTTP(w, r)
	})
}

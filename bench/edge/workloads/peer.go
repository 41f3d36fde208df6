package workloads

import (
	"fmt"
	"mime"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
)

// Peer returns the plain Go net/http handler of a workload, doing in Go
// what the worker does in JavaScript: hello answers "hello" with the
// headers of new Response('hello'); json, html and router answer
// JSONTransform, RenderHTML and Router's Route; headers is a reverse proxy
// to upstream that rewrites the response's headers as headers.js does;
// cache answers items.json at /items.json from memory; workbox answers
// Precache (relative to root, the repository's root) at /BASENAME, the
// first also at /, from memory.
func Peer(workload, upstream, root string) (http.Handler, error) {
	switch workload {
	case "hello":
		hello := []byte("hello")
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
			w.Write(hello)
		}), nil
	case "json", "html":
		f, ct := JSONTransform, "application/json"
		if workload == "html" {
			f, ct = RenderHTML, "text/html;charset=UTF-8"
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, err := f(Items)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", ct)
			w.Write(b)
		}), nil
	case "router":
		router := NewRouter()
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			found := router.Route(r.URL.EscapedPath())
			w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
			if found == "404" {
				w.WriteHeader(http.StatusNotFound)
			}
			w.Write([]byte(found))
		}), nil
	case "headers":
		u, err := url.Parse(upstream)
		if err != nil || upstream == "" {
			return nil, fmt.Errorf("the headers workload needs -upstream URL (%v)", err)
		}
		return &httputil.ReverseProxy{
			Rewrite: func(pr *httputil.ProxyRequest) {
				pr.SetURL(u)
				pr.Out.Host = pr.In.Host
			},
			Transport: &http.Transport{MaxIdleConnsPerHost: 64},
			ModifyResponse: func(resp *http.Response) error {
				h := resp.Header
				for _, name := range []string{"Server", "X-Powered-By", "X-Upstream-Debug"} {
					h.Del(name)
				}
				h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
				h.Set("X-Content-Type-Options", "nosniff")
				h.Set("X-Edge", "worker")
				return nil
			},
		}, nil
	case "cache":
		return memory(map[string]file{"/items.json": {"application/json", Items}}), nil
	case "workbox":
		m := map[string]file{}
		for i, name := range Precache {
			b, err := os.ReadFile(filepath.Join(root, name))
			if err != nil {
				return nil, err
			}
			f := file{mime.TypeByExtension(filepath.Ext(name)), b}
			m["/"+filepath.Base(name)] = f
			if i == 0 {
				m["/"] = f
			}
		}
		return memory(m), nil
	}
	return nil, fmt.Errorf("unknown workload %q", workload)
}

type file struct {
	contentType string
	body        []byte
}

// memory answers the files of m by path, 404 for any other.
func memory(m map[string]file) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := m[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", f.contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(f.body)))
		w.Write(f.body)
	})
}

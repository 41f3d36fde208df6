package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// expirationSW caches /img/ requests with Workbox 7.4's CacheFirst and
// an ExpirationPlugin that keeps one entry: the plugin keeps each cached
// URL's timestamp in the IndexedDB database workbox-expiration (store
// cache-entries) and deletes the oldest entries past maxEntries from the
// cache and from that store.
const expirationSW = `importScripts('/wb/workbox-core.prod.js', '/wb/workbox-routing.prod.js', '/wb/workbox-strategies.prod.js',
  '/wb/workbox-expiration.prod.js');
workbox.routing.registerRoute(({ url }) => url.pathname.startsWith('/img/'),
  new workbox.strategies.CacheFirst({ cacheName: 'images', plugins: [new workbox.expiration.ExpirationPlugin({ maxEntries: 1 })] }));
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(clients.claim()));`

// expirationState is what the admin API shows of the plugin's work: the
// URLs in the cache images and the URLs the workbox-expiration database
// holds timestamps for.
type expirationState struct {
	cached, stamped []string
}

func (s expirationState) String() string {
	return fmt.Sprintf("cache %v, timestamps %v", s.cached, s.stamped)
}

func readExpiration(t *testing.T, p *serveProc) expirationState {
	t.Helper()
	var st expirationState
	// The cache is a 404 until the plugin's first put: read the answer
	// raw and decode it once it is a 200.
	var raw json.RawMessage
	if code := p.admin2(t, "GET", "/v1/caches/entries?origin=https://app.test&cache=images", "", &raw); code == http.StatusOK {
		var entries []struct {
			URL string `json:"url"`
		}
		if err := json.Unmarshal(raw, &entries); err != nil {
			t.Fatalf("cache entries %s: %v", raw, err)
		}
		for _, e := range entries {
			st.cached = append(st.cached, e.URL)
		}
	}
	var recs struct {
		Total   int `json:"total"`
		Records []struct {
			Value struct {
				URL       string  `json:"url"`
				CacheName string  `json:"cacheName"`
				Timestamp float64 `json:"timestamp"`
			} `json:"value"`
		} `json:"records"`
	}
	q := url.Values{"origin": {"https://app.test"}, "db": {"workbox-expiration"}, "store": {"cache-entries"}}
	if code := p.admin2(t, "GET", "/v1/indexeddb/records?"+q.Encode(), "", &recs); code == http.StatusOK {
		for _, r := range recs.Records {
			if r.Value.CacheName == "images" && r.Value.Timestamp > 0 {
				st.stamped = append(st.stamped, r.Value.URL)
			}
		}
	}
	return st
}

// awaitExpiration polls the admin API until the cache and the database
// both hold exactly want (the plugin finishes its IndexedDB and cache
// work in the fetch event's waitUntil), or fails after limit.
func awaitExpiration(t *testing.T, p *serveProc, want string, limit time.Duration) {
	t.Helper()
	timeout := time.NewTimer(limit)
	defer timeout.Stop()
	for {
		st := readExpiration(t, p)
		if len(st.cached) == 1 && st.cached[0] == want && len(st.stamped) == 1 && st.stamped[0] == want {
			return
		}
		select {
		case <-timeout.C:
			t.Fatalf("after %v: %v; want %s in both\n%s", limit, st, want, p.stderr)
		default:
		}
	}
}

func fetchImage(t *testing.T, p *serveProc, path string) {
	t.Helper()
	var fr fetchResult
	body := fmt.Sprintf(`{"client":"https://app.test/","url":"https://app.test%s"}`, path)
	if code := p.admin2(t, "POST", "/v1/fetch", body, &fr); code != http.StatusOK || fr.Response.Status != 200 || fr.Response.Body != "image "+path {
		t.Fatalf("fetch %s: %d %+v\n%s", path, code, fr, p.stderr)
	}
}

// TestWorkboxExpirationPlugin runs Workbox 7.4's ExpirationPlugin
// ({maxEntries: 1}) on a CacheFirst route: after two images the cache
// holds the newest only, the plugin's IndexedDB database holds its
// timestamp, and both survive a restart of swhost, after which the
// plugin goes on expiring from what it stored.
func TestWorkboxExpirationPlugin(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"/":      "<h1>home</h1>",
		"/sw.js": expirationSW,
	}
	for _, img := range []string{"/img/a.png", "/img/b.png", "/img/c.png"} {
		files[img] = "image " + img
	}
	for _, f := range []string{"workbox-core", "workbox-routing", "workbox-strategies", "workbox-expiration"} {
		files["/wb/"+f+".prod.js"] = readTestdata(t, "workbox/"+f+".prod.js")
	}
	o := newOrigin(t, files)
	h := &host{t: t, data: t.TempDir(), resolve: []string{"--resolve", "https://app.test=" + o.srv.URL}}
	p := startServe(t, h)
	defer func() { p.stop() }()
	if code := p.admin2(t, "POST", "/v1/registrations", `{"client":"https://app.test/","script":"/sw.js"}`, nil); code != http.StatusCreated {
		t.Fatalf("register: %d\n%s", code, p.stderr)
	}

	fetchImage(t, p, "/img/a.png")
	awaitExpiration(t, p, "https://app.test/img/a.png", 20*time.Second)
	fetchImage(t, p, "/img/b.png")
	awaitExpiration(t, p, "https://app.test/img/b.png", 20*time.Second)

	// A restart: the cache and the timestamps are where the plugin left
	// them.
	p.stop()
	p = startServe(t, h)
	if st := readExpiration(t, p); len(st.cached) != 1 || st.cached[0] != "https://app.test/img/b.png" || len(st.stamped) != 1 || st.stamped[0] != "https://app.test/img/b.png" {
		t.Fatalf("after a restart: %v", st)
	}
	// The plugin works on from them: a third image expires the second.
	fetchImage(t, p, "/img/c.png")
	awaitExpiration(t, p, "https://app.test/img/c.png", 20*time.Second)
}

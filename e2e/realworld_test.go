package e2e

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Service workers people ship (testdata/realworld, unchanged npm
// builds), run through "swhost serve" against a loopback origin.

// origin is a loopback server for https://app.test that serves files and
// reports the requests a test waits for.
type origin struct {
	srv      *httptest.Server
	files    map[string]string // path → body (content type by extension)
	requests chan seen
}

// seen is one request the origin got.
type seen struct {
	method, path, body string
	header             http.Header
}

func newOrigin(t *testing.T, files map[string]string) *origin {
	t.Helper()
	o := &origin{files: files, requests: make(chan seen, 64)}
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		select {
		case o.requests <- seen{r.Method, r.URL.Path, string(b), r.Header.Clone()}:
		default:
		}
		body, ok := o.files[r.URL.Path]
		if !ok && r.Method == http.MethodGet {
			http.NotFound(w, r)
			return
		}
		switch filepath.Ext(r.URL.Path) {
		case ".js":
			w.Header().Set("Content-Type", "text/javascript")
		case ".json":
			w.Header().Set("Content-Type", "application/json")
		case ".css":
			w.Header().Set("Content-Type", "text/css")
		default:
			w.Header().Set("Content-Type", "text/html")
		}
		io.WriteString(w, body)
	}))
	t.Cleanup(o.srv.Close)
	return o
}

// await returns the next request to path (any method when method is
// ""), skipping others, or fails after the deadline.
func (o *origin) await(t *testing.T, method, path string, within time.Duration) seen {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case r := <-o.requests:
			if r.path == path && (method == "" || r.method == method) {
				return r
			}
		case <-deadline:
			t.Fatalf("no %s %s reached the origin within %v", method, path, within)
		}
	}
}

// awaitAll waits until every path was requested, in any order.
func (o *origin) awaitAll(t *testing.T, within time.Duration, paths ...string) {
	t.Helper()
	want := map[string]bool{}
	for _, p := range paths {
		want[p] = true
	}
	deadline := time.After(within)
	for len(want) > 0 {
		select {
		case r := <-o.requests:
			delete(want, r.path)
		case <-deadline:
			t.Fatalf("no request for %v reached the origin within %v", want, within)
		}
	}
}

func readTestdata(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "realworld", rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// admin calls the admin API of p and decodes its JSON answer into v.
func (p *serveProc) admin2(t *testing.T, method, path, body string, v any) int {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+p.admin+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+p.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if v != nil && len(b) > 0 {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, path, err, b)
		}
	}
	return resp.StatusCode
}

// fetchResult is POST /v1/fetch's answer.
type fetchResult struct {
	Layer    string `json:"layer"`
	Response struct {
		Type   string `json:"type"`
		Status int    `json:"status"`
		Body   string `json:"body"`
		Error  string `json:"error"`
	} `json:"response"`
}

func (p *serveProc) stop() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
}

// TestWorkboxBackgroundSyncAndNavigationPreload runs Workbox 7.4's
// BackgroundSyncPlugin and navigation preload: a POST made while the
// origin is offline is queued in IndexedDB, survives a restart of swhost,
// and is replayed by the sync event when the origin is back online; a
// navigation carries the Service-Worker-Navigation-Preload header.
func TestWorkboxBackgroundSyncAndNavigationPreload(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"/": "<h1>home</h1>",
		"/sw.js": `importScripts('/wb/workbox-core.prod.js', '/wb/workbox-routing.prod.js', '/wb/workbox-strategies.prod.js',
  '/wb/workbox-background-sync.prod.js', '/wb/workbox-navigation-preload.prod.js');
workbox.navigationPreload.enable();
workbox.routing.registerRoute(({ url }) => url.pathname === '/api/post',
  new workbox.strategies.NetworkOnly({ plugins: [new workbox.backgroundSync.BackgroundSyncPlugin('outbox', { maxRetentionTime: 60 })] }), 'POST');
workbox.routing.registerRoute(({ request }) => request.mode === 'navigate', new workbox.strategies.NetworkOnly());
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(clients.claim()));`,
	}
	for _, f := range []string{"workbox-core", "workbox-routing", "workbox-strategies", "workbox-background-sync", "workbox-navigation-preload"} {
		files["/wb/"+f+".prod.js"] = readTestdata(t, "workbox/"+f+".prod.js")
	}
	o := newOrigin(t, files)
	h := &host{t: t, data: t.TempDir(), resolve: []string{"--resolve", "https://app.test=" + o.srv.URL}}
	p := startServe(t, h)
	if code := p.admin2(t, "POST", "/v1/registrations", `{"client":"https://app.test/","script":"/sw.js"}`, nil); code != http.StatusCreated {
		t.Fatalf("register: %d\n%s", code, p.stderr)
	}

	// A navigation: Workbox enabled navigation preload at activate, so
	// the page's request carries the header.
	var fr fetchResult
	p.admin2(t, "POST", "/v1/fetch", `{"client":"https://app.test/","url":"https://app.test/"}`, &fr)
	nav := o.await(t, "GET", "/", 20*time.Second)
	for nav.header.Get("Service-Worker-Navigation-Preload") == "" {
		nav = o.await(t, "GET", "/", 20*time.Second)
	}
	if got := nav.header.Get("Service-Worker-Navigation-Preload"); got != "true" {
		t.Errorf("Service-Worker-Navigation-Preload = %q, want true", got)
	}

	// Offline, the POST fails and Workbox queues it.
	if code := p.admin2(t, "PUT", "/v1/offline", `{"origin":"https://app.test","offline":true}`, nil); code != http.StatusOK {
		t.Fatalf("offline: %d", code)
	}
	p.admin2(t, "POST", "/v1/fetch", `{"client":"https://app.test/","url":"https://app.test/api/post","method":"POST","body":"queued while offline"}`, &fr)
	if fr.Response.Type != "error" {
		t.Fatalf("the POST while offline answered %+v; want a network error", fr)
	}
	var tags struct {
		Sync []string `json:"sync"`
	}
	var regs []struct {
		ID int64 `json:"id"`
	}
	p.admin2(t, "GET", "/v1/registrations", "", &regs)
	p.admin2(t, "GET", fmt.Sprintf("/v1/registrations/%d/sync", regs[0].ID), "", &tags)
	if len(tags.Sync) != 1 || tags.Sync[0] != "workbox-background-sync:outbox" {
		t.Fatalf("sync tags after the failed POST = %v", tags.Sync)
	}

	// swhost restarts, still offline: the queue and the tag are kept.
	p.stop()
	p = startServe(t, h, "--offline", "https://app.test")
	p.admin2(t, "GET", fmt.Sprintf("/v1/registrations/%d/sync", regs[0].ID), "", &tags)
	if len(tags.Sync) != 1 {
		t.Fatalf("sync tags after a restart = %v", tags.Sync)
	}

	// Back online: the sync event fires and Workbox replays the POST.
	p.admin2(t, "PUT", "/v1/offline", `{"origin":"https://app.test","offline":false}`, nil)
	post := o.await(t, "POST", "/api/post", 30*time.Second)
	if post.body != "queued while offline" {
		t.Errorf("replayed body %q", post.body)
	}
}

// TestAngularServiceWorkerPrecachesAtInstall runs Angular's
// ngsw-worker.js: its activate handler posts INITIALIZE to
// registration.active, and the worker then fetches ngsw.json and
// prefetches the app's assets into Cache Storage, with no page request
// at all.
func TestAngularServiceWorkerPrecachesAtInstall(t *testing.T) {
	t.Parallel()
	assets := map[string]string{
		"/index.html": "<!doctype html><title>app</title><script src=main.js></script>",
		"/main.js":    "console.log('app');",
		"/styles.css": "body { color: red }",
	}
	hashes := map[string]string{}
	for p, body := range assets {
		sum := sha1.Sum([]byte(body))
		hashes[p] = hex.EncodeToString(sum[:])
	}
	manifest, _ := json.Marshal(map[string]any{
		"configVersion": 1,
		"timestamp":     1700000000000,
		"index":         "/index.html",
		"assetGroups": []any{map[string]any{
			"name": "app", "installMode": "prefetch", "updateMode": "prefetch",
			"cacheQueryOptions": map[string]any{"ignoreVary": true},
			"urls":              []string{"/index.html", "/main.js", "/styles.css"}, "patterns": []string{},
		}},
		"dataGroups":                []any{},
		"hashTable":                 hashes,
		"navigationUrls":            []any{map[string]any{"positive": true, "regex": "^\\/.*$"}},
		"navigationRequestStrategy": "performance",
	})
	files := map[string]string{"/ngsw-worker.js": readTestdata(t, "angular/ngsw-worker.js"), "/ngsw.json": string(manifest)}
	for p, b := range assets {
		files[p] = b
	}
	o := newOrigin(t, files)
	h := &host{t: t, data: t.TempDir(), resolve: []string{"--resolve", "https://app.test=" + o.srv.URL}}
	p := startServe(t, h)
	if code := p.admin2(t, "POST", "/v1/registrations", `{"client":"https://app.test/","script":"/ngsw-worker.js"}`, nil); code != http.StatusCreated {
		t.Fatalf("register: %d\n%s", code, p.stderr)
	}
	// The prefetch needs no client request: the assets reach the origin
	// before any page asks for them.
	o.awaitAll(t, 30*time.Second, "/main.js", "/styles.css", "/index.html")
	// With the origin down, the worker answers from what it prefetched
	// (ngsw answers once its initialization, the prefetch, is over).
	o.srv.Close()
	for _, a := range []string{"/main.js", "/styles.css"} {
		var fr fetchResult
		p.admin2(t, "POST", "/v1/fetch", `{"client":"https://app.test/","url":"https://app.test`+a+`"}`, &fr)
		if fr.Layer != "fetch-event" || fr.Response.Status != 200 || fr.Response.Body != assets[a] {
			t.Errorf("%s with the origin down: %+v; want the prefetched copy from the fetch event\nstderr:\n%s", a, fr, p.stderr)
		}
	}
}

// idbWorker uses Jake Archibald's idb (testdata/realworld/idb, the
// unchanged UMD build): openDB with an upgrade over two versions, put,
// get, getAllFromIndex, countFromIndex, a cursor walk, async iteration
// over an index, a transaction across two stores that commits and one
// that aborts.
const idbWorker = `importScripts('/idb/umd.js');
const dbp = idb.openDB('shop', 2, {
  upgrade(db, oldVersion) {
    if (oldVersion < 1) db.createObjectStore('products', { keyPath: 'sku' }).createIndex('by_category', 'category');
    if (oldVersion < 2) db.createObjectStore('orders', { autoIncrement: true });
  },
});
async function seed() {
  const db = await dbp;
  for (const [sku, category, stock] of [['pear', 'fruit', 4], ['apple', 'fruit', 10], ['leek', 'veg', 3], ['kale', 'veg', 7], ['fig', 'fruit', 1]]) {
    await db.put('products', { sku, category, stock });
  }
  const tx = db.transaction(['products', 'orders'], 'readwrite');
  const apple = await tx.objectStore('products').get('apple');
  apple.stock -= 2;
  await tx.objectStore('products').put(apple);
  const orderId = await tx.objectStore('orders').add({ sku: 'apple', qty: 2, at: new Date(0) });
  await tx.done;
  // This one aborts: order 1 exists, so the apple's new stock is dropped too.
  const bad = db.transaction(['products', 'orders'], 'readwrite');
  bad.objectStore('products').put({ sku: 'apple', category: 'fruit', stock: 0 });
  let abortedWith = '';
  try {
    await Promise.all([bad.objectStore('orders').add({ sku: 'apple', qty: 99 }, orderId), bad.done]);
  } catch (e) {
    abortedWith = e.name;
  }
  return { orderId, abortedWith };
}
async function report() {
  const db = await dbp;
  const skus = [];
  let cursor = await db.transaction('products').store.openCursor();
  while (cursor) { skus.push(cursor.key); cursor = await cursor.continue(); }
  const veg = [];
  for await (const c of db.transaction('products').store.index('by_category').iterate('veg')) veg.push(c.value.sku + ':' + c.value.stock);
  return {
    version: db.version,
    stores: [...db.objectStoreNames],
    apple: await db.get('products', 'apple'),
    fruit: (await db.getAllFromIndex('products', 'by_category', 'fruit')).map(p => p.sku),
    vegCount: await db.countFromIndex('products', 'by_category', 'veg'),
    skus, veg,
    orders: await db.getAll('orders'),
  };
}
const json = (v) => new Response(JSON.stringify(v), { headers: { 'content-type': 'application/json' } });
const fail = (e) => new Response(e.name + ': ' + e.message, { status: 500 });
self.addEventListener('fetch', (e) => {
  const path = new URL(e.request.url).pathname;
  if (path === '/seed') e.respondWith(seed().then(json, fail));
  if (path === '/report') e.respondWith(report().then(json, fail));
});
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(clients.claim()));`

// TestIdbLibrary runs a worker built on the idb library and checks what
// it reads back, before and after a restart of swhost serve.
func TestIdbLibrary(t *testing.T) {
	t.Parallel()
	o := newOrigin(t, map[string]string{"/": "<h1>shop</h1>", "/sw.js": idbWorker, "/idb/umd.js": readTestdata(t, "idb/umd.js")})
	h := &host{t: t, data: t.TempDir(), resolve: []string{"--resolve", "https://app.test=" + o.srv.URL}}
	p := startServe(t, h)
	if code := p.admin2(t, "POST", "/v1/registrations", `{"client":"https://app.test/","script":"/sw.js"}`, nil); code != http.StatusCreated {
		t.Fatalf("register: %d\n%s", code, p.stderr)
	}
	call := func(path string) string {
		t.Helper()
		var fr fetchResult
		p.admin2(t, "POST", "/v1/fetch", `{"client":"https://app.test/","url":"https://app.test`+path+`"}`, &fr)
		if fr.Layer != "fetch-event" || fr.Response.Status != 200 {
			t.Fatalf("%s: %+v\nstderr:\n%s", path, fr, p.stderr)
		}
		return fr.Response.Body
	}
	if got := call("/seed"); got != `{"orderId":1,"abortedWith":"ConstraintError"}` {
		t.Errorf("seed: %s", got)
	}
	const want = `{"version":2,"stores":["orders","products"],"apple":{"sku":"apple","category":"fruit","stock":8},` +
		`"fruit":["apple","fig","pear"],"vegCount":2,"skus":["apple","fig","kale","leek","pear"],"veg":["kale:7","leek:3"],` +
		`"orders":[{"sku":"apple","qty":2,"at":"1970-01-01T00:00:00.000Z"}]}`
	if got := call("/report"); got != want {
		t.Errorf("report:\n got %s\nwant %s", got, want)
	}
	p.stop()
	p = startServe(t, h)
	if got := call("/report"); got != want {
		t.Errorf("report after a restart:\n got %s\nwant %s", got, want)
	}
	// The admin API sees the same database.
	var dbs []struct {
		Databases []struct {
			Name    string `json:"name"`
			Version int    `json:"version"`
			Stores  []struct {
				Name    string `json:"name"`
				Records int    `json:"records"`
			} `json:"stores"`
		} `json:"databases"`
	}
	p.admin2(t, "GET", "/v1/indexeddb?origin=https://app.test", "", &dbs)
	if len(dbs) != 1 || len(dbs[0].Databases) != 1 || dbs[0].Databases[0].Version != 2 || len(dbs[0].Databases[0].Stores) != 2 ||
		dbs[0].Databases[0].Stores[1].Records != 5 || dbs[0].Databases[0].Stores[0].Records != 1 {
		t.Errorf("admin view: %+v", dbs)
	}
}

// Package e2e drives the swhost binary across separate processes against
// loopback upstream servers standing in for https://app.test and
// https://other.test: register in one process, fetch in the next, so
// persistence is part of every test.
//
// The binary is built once per test run (go build ./cmd/swhost from the
// module root, with -race when the tests run with -race but not -short)
// the first time a test needs it; benchmarks do not build it. Upstreams
// are httptest servers on 127.0.0.1, mapped with
// --resolve ORIGIN=http://127.0.0.1:PORT. Run with -update to rewrite
// the golden files under testdata/golden.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/sw"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	binDir    string
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// moduleRoot returns the directory holding go.mod, searching up from the
// working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// swhostBinary builds the swhost binary once and returns its path; with
// SWHOST_E2E_BINARY set, it is that binary (to run these tests against
// another build, such as an older one).
func swhostBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("SWHOST_E2E_BINARY"); bin != "" {
		return bin
	}
	buildOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			buildErr = err
			return
		}
		binDir, err = os.MkdirTemp("", "swhost-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(binDir, "swhost")
		args := []string{"build", "-o", binPath}
		// A race-detector build of the binary makes every process several
		// times slower: -race -short (CI) runs the plain binary.
		if raceEnabled && !testing.Short() {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, "./cmd/swhost")...)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/swhost: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// upstream is a loopback HTTP server standing in for one origin. It serves
// the files under testdata/<site>/ and the overrides tests set with put,
// and counts the requests for each path.
type upstream struct {
	origin string // the logical origin, "https://app.test"
	root   string // testdata directory served, "" for none
	srv    *httptest.Server

	mu    sync.Mutex
	files map[string]resource
	hits  map[string]int
	hit   signal // notified after each request is counted
}

// resource is one response an upstream gives for a path.
type resource struct {
	body     string
	ctype    string            // "" means by the path's extension
	header   map[string]string // extra headers
	status   int               // 0 means 200
	location string            // for redirects
}

func newUpstream(t *testing.T, origin, site string) *upstream {
	t.Helper()
	u := &upstream{origin: origin, files: map[string]resource{}, hits: map[string]int{}}
	if site != "" {
		u.root = filepath.Join("testdata", site)
	}
	u.srv = httptest.NewServer(http.HandlerFunc(u.serve))
	t.Cleanup(u.srv.Close)
	return u
}

func (u *upstream) serve(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	u.hits[r.URL.Path]++
	res, ok := u.files[r.URL.Path]
	u.mu.Unlock()
	u.hit.notify()
	if !ok && u.root != "" {
		b, err := os.ReadFile(filepath.Join(u.root, filepath.FromSlash(path.Clean(r.URL.Path))))
		if err == nil {
			res, ok = resource{body: string(b)}, true
		}
	}
	if !ok {
		http.Error(w, "not found: "+r.URL.Path, http.StatusNotFound)
		return
	}
	for k, v := range res.header {
		w.Header().Set(k, v)
	}
	ct := res.ctype
	if ct == "" {
		ct = mime.TypeByExtension(path.Ext(r.URL.Path))
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("X-Upstream", u.origin)
	if res.location != "" {
		w.Header().Set("Location", res.location)
	}
	status := res.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	w.Write([]byte(res.body))
}

// put serves res at path, replacing what was there.
func (u *upstream) put(path string, res resource) {
	u.mu.Lock()
	u.files[path] = res
	u.mu.Unlock()
}

// putWorker serves testdata/workers/name at path as text/javascript.
func (u *upstream) putWorker(t *testing.T, path, name string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "workers", name))
	if err != nil {
		t.Fatal(err)
	}
	u.put(path, resource{body: string(b), ctype: "text/javascript"})
}

func (u *upstream) hitCount(path string) int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.hits[path]
}

// down stops the upstream: its port refuses connections from now on.
func (u *upstream) down() { u.srv.Close() }

// host is one data directory and the origins mapped for every process.
type host struct {
	t       *testing.T
	data    string
	resolve []string
}

func newHost(t *testing.T, ups ...*upstream) *host {
	h := &host{t: t, data: t.TempDir()}
	for _, u := range ups {
		h.resolve = append(h.resolve, "--resolve", u.origin+"="+u.srv.URL)
	}
	return h
}

// result is one swhost process's outcome.
type result struct {
	args           []string
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("swhost %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
}

// run runs "swhost CMD --data DIR --resolve ... ARGS..." in a new process.
func (h *host) run(cmdName string, args ...string) result {
	h.t.Helper()
	r := h.runStdin("", cmdName, args...)
	// Lifecycle work cut short by a cancelled context shows up only in
	// the logs: it is always a bug.
	if strings.Contains(r.stderr, "context canceled") {
		h.t.Errorf("work was cancelled\n%s", r)
	}
	return r
}

// runStdin runs "swhost CMD --data DIR --resolve ... ARGS..." in a new
// process with stdin.
func (h *host) runStdin(stdin, cmdName string, args ...string) result {
	h.t.Helper()
	bin := swhostBinary(h.t)
	full := append([]string{cmdName, "--data", h.data}, h.resolve...)
	full = append(full, args...)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, full...)
	cmd.Env = append(os.Environ(), "SWHOST_LOG=")
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{args: full, stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee) && ee.Exited():
		r.code = ee.ExitCode()
	default:
		h.t.Fatalf("swhost %s: %v\n%s", cmdName, err, r)
	}
	return r
}

// storedVersions opens the data directory's store (no swhost process may
// be running) and returns every version of every registration, redundant
// ones included.
func (h *host) storedVersions() []store.Version {
	h.t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, h.data)
	if err != nil {
		h.t.Fatal(err)
	}
	defer st.Close()
	regs, err := st.Registrations(ctx, "")
	if err != nil {
		h.t.Fatal(err)
	}
	var out []store.Version
	for _, reg := range regs {
		vs, err := st.Versions(ctx, reg.ID)
		if err != nil {
			h.t.Fatal(err)
		}
		out = append(out, vs...)
	}
	return out
}

// wantStoredVersion checks that the store holds exactly one version, id,
// active and activated: nothing redundant is left behind.
func (h *host) wantStoredVersion(id int64) {
	h.t.Helper()
	vs := h.storedVersions()
	if len(vs) != 1 || vs[0].ID != id || vs[0].State != sw.StateActivated || vs[0].Slot != store.SlotActive {
		h.t.Errorf("stored versions %+v; want only version %d, active and activated", vs, id)
	}
}

// must runs a command that must exit 0.
func (h *host) must(cmdName string, args ...string) result {
	h.t.Helper()
	r := h.run(cmdName, args...)
	if r.code != 0 {
		h.t.Fatalf("want exit 0\n%s", r)
	}
	return r
}

// register registers SCRIPT for the client https://app.test/ (or the
// client given in args) and requires success.
func (h *host) register(script string, args ...string) result {
	h.t.Helper()
	return h.must("register", append(append([]string{"--client", "https://app.test/"}, args...), script)...)
}

// response is a parsed "curl -i" output.
type response struct {
	statusLine string // "200 OK"
	header     http.Header
	body       string
}

func parseResponse(t *testing.T, r result) response {
	t.Helper()
	head, body, ok := strings.Cut(r.stdout, "\r\n\r\n")
	if !ok {
		t.Fatalf("no header/body separator in stdout\n%s", r)
	}
	lines := strings.Split(head, "\r\n")
	status, ok := strings.CutPrefix(lines[0], "HTTP/1.1 ")
	if !ok {
		t.Fatalf("bad status line %q\n%s", lines[0], r)
	}
	resp := response{statusLine: status, header: http.Header{}, body: body}
	for _, l := range lines[1:] {
		name, value, ok := strings.Cut(l, ": ")
		if !ok || name != strings.ToLower(name) {
			t.Fatalf("bad header line %q (want lower-case 'name: value')\n%s", l, r)
		}
		resp.header.Add(name, value)
	}
	return resp
}

// fetch runs "swhost fetch --client CLIENT URL" and checks the exit code
// and the served-by line.
func (h *host) fetch(client, url, servedBy string, extra ...string) response {
	h.t.Helper()
	r := h.run("fetch", append(append([]string{"--client", client}, extra...), url)...)
	if r.code != 0 {
		h.t.Fatalf("want exit 0\n%s", r)
	}
	if got := servedByLine(r); got != servedBy {
		h.t.Errorf("served-by: %q, want %q\n%s", got, servedBy, r)
	}
	return parseResponse(h.t, r)
}

func servedByLine(r result) string {
	for _, l := range strings.Split(r.stderr, "\n") {
		if v, ok := strings.CutPrefix(l, "served-by: "); ok {
			return v
		}
	}
	return ""
}

// wantFail checks a failing command: its exit code, and a stderr line
// "swhost: NAME: ..." containing every fragment.
func wantFail(t *testing.T, r result, code int, name string, fragments ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d\n%s", r.code, code, r)
	}
	var line string
	for _, l := range strings.Split(r.stderr, "\n") {
		if strings.HasPrefix(l, "swhost: ") {
			line = l
			break
		}
	}
	if !strings.HasPrefix(line, "swhost: "+name+": ") {
		t.Errorf("stderr error line %q, want \"swhost: %s: ...\"\n%s", line, name, r)
		return
	}
	for _, f := range fragments {
		if !strings.Contains(line, f) {
			t.Errorf("stderr error line %q lacks %q", line, f)
		}
	}
}

// listing is `swhost ls --json` decoded.
type listing []struct {
	ID       int64           `json:"id"`
	Scope    json.RawMessage `json:"scope"`
	Prefix   string          `json:"prefix"`
	Origin   string          `json:"origin"`
	Clients  []string        `json:"clients"`
	Versions []struct {
		ID        int64  `json:"id"`
		Slot      string `json:"slot"`
		State     string `json:"state"`
		ScriptURL string `json:"scriptURL"`
	} `json:"versions"`
}

func (h *host) ls() listing {
	h.t.Helper()
	r := h.must("ls", "--json")
	var l listing
	if err := json.Unmarshal([]byte(r.stdout), &l); err != nil {
		h.t.Fatalf("ls --json: %v\n%s", err, r)
	}
	return l
}

// activeVersion returns the id and script of the only version of the only
// registration, which must be active.
func (h *host) activeVersion() (int64, string) {
	h.t.Helper()
	l := h.ls()
	if len(l) != 1 || len(l[0].Versions) != 1 || l[0].Versions[0].Slot != "active" || l[0].Versions[0].State != "activated" {
		h.t.Fatalf("want one registration with one activated version, got %+v", l)
	}
	return l[0].Versions[0].ID, l[0].Versions[0].ScriptURL
}

func TestPrecacheThenOffline(t *testing.T) {
	t.Parallel()
	app := newUpstream(t, "https://app.test", "app")
	app.putWorker(t, "/offline/sw.js", "precache.js")
	h := newHost(t, app)
	h.must("register", "--client", "https://app.test/offline/", "/offline/sw.js")
	if got := app.hitCount("/offline/page.html") + app.hitCount("/offline/app.css"); got != 2 {
		t.Errorf("install pre-cache fetched %d files, want 2", got)
	}
	const sw = "fetch-event https://app.test/offline/sw.js"
	want, _ := os.ReadFile("testdata/app/offline/page.html")
	resp := h.fetch("https://app.test/offline/", "https://app.test/offline/page.html", sw)
	if resp.body != string(want) || resp.statusLine != "200 OK" {
		t.Errorf("cached page: %q %q", resp.statusLine, resp.body)
	}
	if n := app.hitCount("/offline/page.html"); n != 1 {
		t.Errorf("the cached page was fetched %d times from upstream, want once (at install)", n)
	}
	// A request that misses the cache goes to the network through the
	// worker's fetch().
	if resp := h.fetch("https://app.test/offline/", "https://app.test/style.css", sw); !strings.Contains(resp.body, "font-family") {
		t.Errorf("cache miss through fetch(): %q", resp.body)
	}

	// Upstream down: the cached answer still comes back, in a new process.
	app.down()
	resp = h.fetch("https://app.test/offline/", "https://app.test/offline/page.html", sw)
	if resp.body != string(want) {
		t.Errorf("offline cached page: %q", resp.body)
	}
	css, _ := os.ReadFile("testdata/app/offline/app.css")
	if resp := h.fetch("https://app.test/offline/", "https://app.test/offline/app.css", sw); resp.body != string(css) {
		t.Errorf("offline cached css: %q", resp.body)
	}
	// A miss now fails: fetch() rejects, respondWith gets a network error.
	r := h.run("fetch", "--client", "https://app.test/offline/", "https://app.test/style.css")
	wantFail(t, r, 1, "TypeError", "Failed to fetch")
}

func TestNoFetchHandler(t *testing.T) {
	t.Parallel()
	app := newUpstream(t, "https://app.test", "app")
	app.putWorker(t, "/sw.js", "nofetch.js")
	h := newHost(t, app)
	h.register("/sw.js")

	want, _ := os.ReadFile("testdata/app/page.html")
	resp := h.fetch("https://app.test/", "https://app.test/page.html", "network", "-H", "X-Test: 1")
	if resp.statusLine != "200 OK" || resp.body != string(want) {
		t.Errorf("got %q %q", resp.statusLine, resp.body)
	}
	if ct := resp.header.Get("content-type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("content-type %q", ct)
	}
	if got := resp.header.Get("x-upstream"); got != "https://app.test" {
		t.Errorf("x-upstream %q", got)
	}
	// The navigation (to /) and the subresource both went to the network.
	if app.hitCount("/") != 1 || app.hitCount("/page.html") != 1 {
		t.Errorf("upstream hits: / %d, /page.html %d; want 1 and 1", app.hitCount("/"), app.hitCount("/page.html"))
	}
	// A 404 from the network is an answer, not an error.
	r := h.run("fetch", "--client", "https://app.test/", "https://app.test/missing")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "HTTP/1.1 404 Not Found\r\n") || servedByLine(r) != "network" {
		t.Errorf("404 through the network:\n%s", r)
	}
}

func TestFailingInstall(t *testing.T) {
	t.Parallel()
	app := newUpstream(t, "https://app.test", "app")
	app.putWorker(t, "/throws/sw.js", "install-throws.js")
	app.putWorker(t, "/rejects/sw.js", "install-rejects.js")
	h := newHost(t, app)

	for _, tt := range []struct {
		script, name, msg string
	}{
		{"/throws/sw.js", "TypeError", "install handler broke"},
		{"/rejects/sw.js", "Error", "waitUntil rejected on purpose"},
	} {
		r := h.run("register", "--client", "https://app.test/", tt.script)
		wantFail(t, r, 1, tt.name, "install of https://app.test"+tt.script+" failed", tt.msg)
	}
	if l := h.ls(); len(l) != 0 {
		t.Errorf("failed first installs left registrations: %+v", l)
	}
	// Nothing controls the failed scopes: the network answers.
	h.fetch("https://app.test/throws/", "https://app.test/page.html", "network")

	// A failing update keeps the previous version in place and answering.
	app.putWorker(t, "/sw.js", "answer-v1.js")
	h.register("/sw.js")
	v1, _ := h.activeVersion()
	app.putWorker(t, "/sw.js", "install-throws.js")
	r := h.run("update", "https://app.test/")
	wantFail(t, r, 1, "TypeError", "install of https://app.test/sw.js failed", "install handler broke")
	if id, _ := h.activeVersion(); id != v1 {
		t.Errorf("active version %d after a failed update, want %d", id, v1)
	}
	h.wantStoredVersion(v1)
	if resp := h.fetch("https://app.test/", "https://app.test/x", "fetch-event https://app.test/sw.js"); resp.body != "v1 GET /x" {
		t.Errorf("after a failed update: %q", resp.body)
	}
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	app := newUpstream(t, "https://app.test", "app")
	app.putWorker(t, "/sw.js", "answer-v1.js")
	h := newHost(t, app)
	h.register("/sw.js")
	const sw = "fetch-event https://app.test/sw.js"

	resp := h.fetch("https://app.test/", "https://app.test/a", sw, "-X", "POST", "--data-raw", "x=1")
	if resp.statusLine != "201 Created" || resp.body != "v1 POST /a" || resp.header.Get("x-version") != "v1" {
		t.Errorf("v1: %q %q %v", resp.statusLine, resp.body, resp.header)
	}
	v1, _ := h.activeVersion()

	// Identical bytes: the script is fetched again, no new version.
	hits := app.hitCount("/sw.js")
	r := h.must("update", "https://app.test/")
	if !strings.Contains(r.stdout, "active  activated  https://app.test/sw.js") {
		t.Errorf("update output:\n%s", r)
	}
	if app.hitCount("/sw.js") != hits+1 {
		t.Errorf("update fetched the script %d times, want 1", app.hitCount("/sw.js")-hits)
	}
	if id, _ := h.activeVersion(); id != v1 {
		t.Errorf("identical update made version %d, want %d kept", id, v1)
	}

	// Changed bytes: a new version installs and activates (no client is
	// controlled between processes).
	app.putWorker(t, "/sw.js", "answer-v2.js")
	h.must("update", "https://app.test/")
	v2, script := h.activeVersion()
	if v2 == v1 || script != "https://app.test/sw.js" {
		t.Errorf("changed update: version %d (was %d) %s", v2, v1, script)
	}
	h.wantStoredVersion(v2)
	resp = h.fetch("https://app.test/", "https://app.test/b", sw)
	if resp.statusLine != "200 OK" || resp.body != "v2 GET /b" || resp.header.Get("x-version") != "v2" {
		t.Errorf("v2: %q %q", resp.statusLine, resp.body)
	}
	// The upstream going away does not matter for a registered worker.
	app.down()
	if resp := h.fetch("https://app.test/", "https://app.test/c", sw); resp.body != "v2 GET /c" {
		t.Errorf("v2 offline: %q", resp.body)
	}
	r = h.run("update", "https://app.test/")
	wantFail(t, r, 1, "TypeError", "failed to fetch the script https://app.test/sw.js")
	if id, _ := h.activeVersion(); id != v2 {
		t.Errorf("a failed update fetch changed the active version")
	}
}

// TestSkipWaiting installs v2 while v1 controls the fetching client (v1
// calls registration.update() before answering the navigation): without
// skipWaiting() v2 waits and v1 answers the subresource; with it, v2
// answers at once. (With skipWaiting, activating v2 stops v1 while v1's
// navigation event still waits for update(), so that navigation falls
// back to the network; the spec would let v1 finish it. The test does not
// depend on that answer.)
func TestSkipWaiting(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		v2, firstAnswer string
	}{
		{"waiting-v2.js", "v1 subresource"},
		{"skipwaiting-v2.js", "v2 subresource"},
	} {
		t.Run(tt.v2, func(t *testing.T) {
			app := newUpstream(t, "https://app.test", "app")
			app.putWorker(t, "/sw.js", "updating-v1.js")
			h := newHost(t, app)
			h.register("/sw.js")
			v1, _ := h.activeVersion()
			app.putWorker(t, "/sw.js", tt.v2)

			resp := h.fetch("https://app.test/page.html", "https://app.test/data.json", "fetch-event https://app.test/sw.js")
			if resp.body != tt.firstAnswer {
				t.Errorf("subresource of the client v1 controlled: %q, want %q", resp.body, tt.firstAnswer)
			}
			// Either way v2 is active in the next process: the waiting
			// version activated when its last client went away.
			v2, _ := h.activeVersion()
			if v2 == v1 {
				t.Errorf("v2 did not replace v1 (version %d)", v1)
			}
			h.wantStoredVersion(v2)
			if resp := h.fetch("https://app.test/", "https://app.test/data.json", "fetch-event https://app.test/sw.js"); resp.body != "v2 subresource" {
				t.Errorf("next process: %q", resp.body)
			}
		})
	}
}

func TestTwoTeamsPatternScopes(t *testing.T) {
	t.Parallel()
	app := newUpstream(t, "https://app.test", "app")
	app.putWorker(t, "/root-sw.js", "root-sw.js")
	app.putWorker(t, "/maps/maps-sw.js", "maps-sw.js")
	for _, p := range []string{"/sub/path/product", "/mapsearch", "/mapsearch/x"} {
		app.put(p, resource{body: "network " + p, ctype: "text/plain"})
	}
	h := newHost(t, app)
	h.register("/root-sw.js", "--scope", `{"path":"/"}`)
	h.register("/maps/maps-sw.js", "--scope", `{"path":"/maps/?*"}`)

	const root, maps = "fetch-event https://app.test/root-sw.js", "fetch-event https://app.test/maps/maps-sw.js"
	for _, tt := range []struct {
		url, servedBy, body string
	}{
		// Root URL: the root team's worker controls "/" exactly.
		{"https://app.test/", root, "root team: /"},
		{"https://app.test/?q=1", root, "root team: /?q=1"},
		{"https://app.test/sub/path/product", "network", "network /sub/path/product"},
		// Overlapping segment: /maps and below, not /mapsearch.
		{"https://app.test/maps", maps, "maps team: /maps"},
		{"https://app.test/maps/", maps, "maps team: /maps/"},
		{"https://app.test/maps/place/1", maps, "maps team: /maps/place/1"},
		{"https://app.test/mapsearch", "network", "network /mapsearch"},
		{"https://app.test/mapsearch/x", "network", "network /mapsearch/x"},
	} {
		// A navigation: the client is the URL itself.
		if resp := h.fetch(tt.url, tt.url, tt.servedBy); resp.body != tt.body {
			t.Errorf("%s: %q, want %q", tt.url, resp.body, tt.body)
		}
	}
	if l := h.ls(); len(l) != 2 {
		t.Errorf("ls: %+v", l)
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	app := newUpstream(t, "https://app.test", "app")
	other := newUpstream(t, "https://other.test", "other")
	app.putWorker(t, "/sw.js", "answer-v1.js")
	app.putWorker(t, "/scripts/sw.js", "answer-v1.js")
	v1, _ := os.ReadFile("testdata/workers/answer-v1.js")
	app.put("/allowed/sw.js", resource{body: string(v1), ctype: "text/javascript", header: map[string]string{"Service-Worker-Allowed": "/"}})
	app.put("/cross-allowed/sw.js", resource{body: string(v1), ctype: "text/javascript", header: map[string]string{"Service-Worker-Allowed": "https://other.test/"}})
	app.put("/html/sw.js", resource{body: string(v1), ctype: "text/html; charset=utf-8"})
	app.put("/redirect/sw.js", resource{status: http.StatusFound, location: "/sw.js", ctype: "text/plain"})
	h := newHost(t, app, other)

	for _, tt := range []struct {
		name      string
		args      []string
		exception string
		fragments []string
	}{
		{"cross-origin script", []string{"register", "--client", "https://app.test/", "https://other.test/sw.js"},
			"SecurityError", []string{"https://other.test/sw.js", "not same-origin"}},
		{"cross-origin scope", []string{"register", "--client", "https://app.test/", "--scope", "https://other.test/", "/sw.js"},
			"SecurityError", []string{"not same-origin"}},
		{"%2f in scope", []string{"register", "--client", "https://app.test/", "--scope", "/a%2fb/", "/sw.js"},
			"TypeError", []string{"%2f"}},
		{"%5C in script", []string{"register", "--client", "https://app.test/", "/a%5Csw.js"},
			"TypeError", []string{"encoded slash"}},
		{"script above its allowed path", []string{"register", "--client", "https://app.test/", "--scope", "/", "/scripts/sw.js"},
			"SecurityError", []string{"max scope", `"/scripts/"`}},
		{"pattern scope above the script", []string{"register", "--client", "https://app.test/", "--scope", `{"path":"/maps/?*"}`, "/scripts/sw.js"},
			"SecurityError", []string{"max scope"}},
		{"cross-origin Service-Worker-Allowed", []string{"register", "--client", "https://app.test/", "--scope", "/", "/cross-allowed/sw.js"},
			"SecurityError", []string{"Service-Worker-Allowed"}},
		{"non-JS MIME type", []string{"register", "--client", "https://app.test/", "/html/sw.js"},
			"SecurityError", []string{"MIME type", "text/html"}},
		{"redirecting script", []string{"register", "--client", "https://app.test/", "/redirect/sw.js"},
			"TypeError", []string{"https://app.test/redirect/sw.js", "redirect"}},
		{"missing script", []string{"register", "--client", "https://app.test/", "/nope.js"},
			"TypeError", []string{"404"}},
		{"insecure client", []string{"register", "--client", "http://app.test/", "/sw.js"},
			"SecurityError", []string{"secure context"}},
		{"unknown scope for update", []string{"update", "https://app.test/nothing/"},
			"NotFoundError", []string{"https://app.test/nothing/"}},
		{"unknown scope for unregister", []string{"unregister", `{"baseUrl":"https://app.test","path":"/nothing/*"}`},
			"NotFoundError", []string{"/nothing/*"}},
		{"bad scope pattern for unregister", []string{"unregister", `{"baseUrl":"https://app.test","path":"/a*/b"}`},
			"TypeError", nil},
		{"pattern scope without baseUrl for update", []string{"update", `{"path":"/maps/?*"}`},
			"TypeError", []string{"baseUrl"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantFail(t, h.run(tt.args[0], tt.args[1:]...), 2, tt.exception, tt.fragments...)
		})
	}
	if l := h.ls(); len(l) != 0 {
		t.Errorf("bad input left registrations: %+v", l)
	}
	if n := other.hitCount("/sw.js"); n != 0 {
		t.Errorf("the cross-origin script was fetched %d times", n)
	}

	// Service-Worker-Allowed widens the allowed path: the same scope that
	// /scripts/sw.js may not take, /allowed/sw.js may.
	h.register("/allowed/sw.js", "--scope", "/")
	if resp := h.fetch("https://app.test/", "https://app.test/q", "fetch-event https://app.test/allowed/sw.js"); resp.body != "v1 GET /q" {
		t.Errorf("widened scope: %q", resp.body)
	}
}

func TestLsAndUnregister(t *testing.T) {
	t.Parallel()
	app := newUpstream(t, "https://app.test", "app")
	other := newUpstream(t, "https://other.test", "other")
	app.putWorker(t, "/sw.js", "answer-v1.js")
	app.putWorker(t, "/maps/maps-sw.js", "maps-sw.js")
	h := newHost(t, app, other)
	h.register("/sw.js")
	h.register("/maps/maps-sw.js", "--scope", `{"path":"/maps/?*"}`)
	h.must("register", "--client", "https://other.test/", "/sw.js")

	r := h.must("ls")
	golden(t, "ls.txt", r.stdout)

	l := h.ls()
	if len(l) != 3 {
		t.Fatalf("ls --json: %d registrations\n%+v", len(l), l)
	}
	byPrefix := map[string]int{}
	for i, reg := range l {
		byPrefix[reg.Prefix] = i
		if len(reg.Versions) != 1 || reg.Versions[0].State != "activated" || reg.Versions[0].Slot != "active" {
			t.Errorf("%s: versions %+v", reg.Prefix, reg.Versions)
		}
		if reg.Clients == nil {
			t.Errorf("%s: clients is null, want []", reg.Prefix)
		}
	}
	maps := l[byPrefix["https://app.test/maps"]]
	var pat map[string]any
	if err := json.Unmarshal(maps.Scope, &pat); err != nil || maps.Origin != "https://app.test" || maps.Versions[0].ScriptURL != "https://app.test/maps/maps-sw.js" {
		t.Errorf("maps registration: scope %s (%v), %+v", maps.Scope, err, maps)
	}
	if o := l[byPrefix["https://other.test/"]]; string(o.Scope) != `"https://other.test/"` || o.Origin != "https://other.test" {
		t.Errorf("other.test registration: %+v", o)
	}

	r = h.must("unregister", "https://app.test/")
	if strings.TrimSpace(r.stdout) != "unregistered https://app.test/" {
		t.Errorf("unregister output %q", r.stdout)
	}
	if l := h.ls(); len(l) != 2 {
		t.Errorf("after one unregister: %+v", l)
	}
	// The unregistered scope no longer controls anything.
	h.fetch("https://app.test/", "https://app.test/page.html", "network")
	// SCOPE is written as ls prints it: a pattern carries its baseUrl.
	h.must("unregister", `{"baseUrl":"https://app.test","path":"/maps/?*"}`)
	h.must("unregister", "https://other.test/")
	if r := h.must("ls"); strings.TrimSpace(r.stdout) != "SCOPE  SLOT  STATE  SCRIPT" {
		t.Errorf("empty ls: %q", r.stdout)
	}
	if r := h.must("ls", "--json"); strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("empty ls --json: %q", r.stdout)
	}
	wantFail(t, h.run("unregister", "https://app.test/"), 2, "NotFoundError")
}

func TestNetworkError(t *testing.T) {
	t.Parallel()
	app := newUpstream(t, "https://app.test", "app")
	h := newHost(t, app)
	app.down()
	r := h.run("fetch", "--client", "https://app.test/", "https://app.test/page.html")
	wantFail(t, r, 1, "TypeError", "Failed to fetch")
	if servedByLine(r) != "network" || !strings.Contains(r.stderr, "connection refused") || r.stdout != "" {
		t.Errorf("network error output:\n%s", r)
	}
	// A script that cannot be fetched is a network error too.
	r = h.run("register", "--client", "https://app.test/", "/sw.js")
	wantFail(t, r, 1, "TypeError", "failed to fetch the script", "connection refused")
}

// golden compares got with testdata/golden/name, or rewrites the file
// with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

// TestFetchWaitsForWaitUntil: swhost fetch stops the worker only once
// the fetch event's waitUntil promises have settled, as every Workbox
// strategy writes its cache after answering. The first fetch answers
// before its handler writes the cache (after two timer turns); the
// second, in a new process over the same --data, finds the entry.
func TestFetchWaitsForWaitUntil(t *testing.T) {
	t.Parallel()
	app := newUpstream(t, "https://app.test", "")
	app.put("/", resource{body: "home", ctype: "text/html"})
	app.put("/sw.js", resource{ctype: "text/javascript", body: `self.addEventListener('fetch', e => {
  if (e.request.url.endsWith('/hang')) e.respondWith(new Promise(() => {}));
  if (e.request.url.endsWith('/forever')) { e.respondWith(new Response('answered')); e.waitUntil(new Promise(() => {})); }
  if (!e.request.url.endsWith('/page')) return;
  e.respondWith(caches.match('/late').then(hit => hit ? hit.text().then(t => new Response('cached: ' + t)) : new Response('not cached')));
  e.waitUntil(new Promise(r => setTimeout(r, 50))
    .then(() => new Promise(r => setTimeout(r, 50)))
    .then(() => caches.open('x'))
    .then(c => c.put('/late', new Response('written after answering'))));
});`})
	h := newHost(t, app)
	h.register("/sw.js")
	for i, want := range []string{"not cached", "cached: written after answering"} {
		r := h.must("fetch", "--client", "https://app.test/", "https://app.test/page")
		if !strings.HasSuffix(r.stdout, "\r\n\r\n"+want) || strings.Contains(r.stderr, "Error") {
			t.Errorf("fetch %d: want the body %q\n%s", i+1, want, r)
		}
	}
	// --timeout bounds both: an answer that never comes is a
	// TimeoutError; waitUntil work that never ends is cut with a warning.
	hang := h.run("fetch", "--timeout", "300ms", "--client", "https://app.test/", "https://app.test/hang")
	wantFail(t, hang, 2, "TimeoutError", "no answer within --timeout 300ms")
	// The timeout covers starting the worker too: 2 s leaves a loaded
	// machine room for that before the answer.
	forever := h.must("fetch", "--timeout", "2s", "--client", "https://app.test/", "https://app.test/forever")
	if !strings.HasSuffix(forever.stdout, "answered") || !strings.Contains(forever.stderr, "swhost: warning: TimeoutError: https://app.test/sw.js still had work pending") {
		t.Errorf("waitUntil that never settles\n%s", forever)
	}
}

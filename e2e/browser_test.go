package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/swhost/swhost/internal/testbrowser"
)

// startDemo runs "swhost demo --listen 127.0.0.1:0" and returns the
// admin listener's URL ("http://127.0.0.1:PORT/") and the admin token it
// printed. At cleanup it sends SIGINT and checks that the demo exits 0 in
// time.
func startDemo(t *testing.T) (admin, token string) {
	t.Helper()
	cmd := exec.Command(swhostBinary(t), "demo", "--listen", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "SWHOST_LOG=warn")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	urls := make(chan []string, 1)
	var stdout bytes.Buffer
	go func() {
		re := regexp.MustCompile(`^\s*demo page: (http://127\.0\.0\.1:\d+/)demo\?token=(\S+)$`)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			stdout.WriteString(sc.Text() + "\n")
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m
			}
		}
		exited <- cmd.Wait()
	}()
	select {
	case m := <-urls:
		admin, token = m[1], m[2]
	case err := <-exited:
		t.Fatalf("swhost demo exited early: %v\n%s", err, stderr.String())
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("swhost demo printed no demo page URL in 30s\n%s", stderr.String())
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGINT)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("swhost demo after SIGINT: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Errorf("swhost demo did not exit within 20s of SIGINT")
		}
	})
	return admin, token
}

// adminJSON calls the admin API with the admin token and decodes its JSON
// answer into v.
func adminJSON(t *testing.T, token, method, url, body string, v any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %s\n%s", method, url, resp.Status, b)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, url, err, b)
		}
	}
}

// TestBrowserDevtools drives headless chromium against "swhost demo": the
// devtools page lists the demo's registrations, its event log shows a
// fetch made through the admin API, its scope box and request box answer,
// the demo page's buttons reach every worker and its connect button gets
// the echo reply, and the devtools page's Unregister button removes a
// registration. Screenshots of both pages, at 1280x800 and 420x860, go to
// a temporary folder named in the log.
func TestBrowserDevtools(t *testing.T) {
	testbrowser.Require(t)
	admin, token := startDemo(t)
	shots, err := os.MkdirTemp("", "swhost-screenshots-")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", shots)

	actx, cancel := testbrowser.Allocator(t, chromedp.Flag("hide-scrollbars", false), chromedp.WindowSize(1280, 800))
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[chromedp.Void]("1")); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(bctx, 45*time.Second)
	defer cancel()
	// Any uncaught exception on either page fails the test.
	var (
		exMu       sync.Mutex
		exceptions []string
	)
	if err := chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			exMu.Lock()
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			exceptions = append(exceptions, fmt.Sprintf("%s:%d: %s", d.URL, d.LineNumber, msg))
			exMu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	defer func() {
		exMu.Lock()
		defer exMu.Unlock()
		for _, e := range exceptions {
			t.Errorf("page exception: %s", e)
		}
	}()

	step := func(what string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if _, err := chromedp.Run(ctx, a); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(what, js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
	wait := func(what, predicate string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](predicate, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			t.Fatalf("waiting for %s (%s): %v", what, predicate, err)
		}
	}
	shoot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wide := chromedp.EmulateViewport(1280, 800)
	narrow := chromedp.EmulateViewport(420, 860, chromedp.EmulateMobile)

	// The devtools page lists the four demo registrations across origins.
	// The URL demo printed signs the browser in: the token goes into a
	// cookie and out of the address bar.
	step("viewport", wide)
	step("open devtools", chromedp.Navigate(admin+"?token="+token))
	if got := eval("address", `location.href`); got != admin {
		t.Errorf("address after signing in: %q; want %q", got, admin)
	}
	wait("four registrations", `document.querySelectorAll('#reg-list .reg').length === 4`)
	list := eval("list", `document.querySelector('#reg-list').innerText`)
	for _, want := range []string{`{"path":"/"}`, `{"path":"/maps/?*"}`, "https://echo.test/", "https://fonts.test/sw.js", "Foreign fetch", "activated"} {
		if !strings.Contains(list, want) {
			t.Errorf("registration list lacks %q:\n%s", want, list)
		}
	}
	// The filter narrows the list; "Show all" off shows one origin.
	step("filter", chromedp.Evaluate[chromedp.Void](`(() => { const f = document.querySelector('#reg-filter'); f.value = 'maps'; f.dispatchEvent(new Event('input')); })()`))
	wait("filtered list", `document.querySelectorAll('#reg-list .reg').length === 1`)
	step("unfilter", chromedp.Evaluate[chromedp.Void](`(() => { const f = document.querySelector('#reg-filter'); f.value = ''; f.dispatchEvent(new Event('input')); })()`))
	wait("list back", `document.querySelectorAll('#reg-list .reg').length === 4`)
	step("one origin", chromedp.Evaluate[chromedp.Void](`(() => { const a = document.querySelector('#show-all'); a.checked = false; a.dispatchEvent(new Event('change'));
		const o = document.querySelector('#origin-select'); o.value = 'https://fonts.test'; o.dispatchEvent(new Event('change')); })()`))
	wait("fonts.test only", `document.querySelectorAll('#reg-list .reg').length === 1 && document.querySelector('.reg[data-origin="https://fonts.test"]') !== null`)
	step("show all", chromedp.Evaluate[chromedp.Void](`(() => { const a = document.querySelector('#show-all'); a.checked = true; a.dispatchEvent(new Event('change')); })()`))
	wait("all origins again", `document.querySelectorAll('#reg-list .reg').length === 4`)

	// A fetch made through the admin API shows up in the live event log.
	wait("event stream connected", `document.querySelector('#conn').textContent === 'live'`)
	var fr struct {
		Layer string `json:"layer"`
	}
	adminJSON(t, token, "POST", admin+"v1/fetch", `{"client":"https://app.test/maps/","url":"https://app.test/maps/tiles/1-1-0.txt"}`, &fr)
	if fr.Layer != "fetch-event" {
		t.Errorf("admin API fetch answered by %q, want fetch-event", fr.Layer)
	}
	wait("the fetch in the event log", `[...document.querySelectorAll('#events .ev-fetch')].some(e => e.innerText.includes('https://app.test/maps/tiles/1-1-0.txt') && e.innerText.includes('fetch-event'))`)
	shoot("devtools-1280x800.png")

	// Push shows a notification on the root worker's card; Click on it
	// opens a window and the notification goes.
	rootCard := `[...document.querySelectorAll('#reg-list .reg')].find(c => c.querySelector('.scope').textContent === '{"path":"/"}' && c.dataset.origin === 'https://app.test')`
	step("push", chromedp.Evaluate[chromedp.Void](`(() => { const c = `+rootCard+`; c.querySelector('.fe-input').value = 'hello from devtools'; c.querySelector('button.fe-push').click(); })()`))
	wait("push outcome", `(`+rootCard+`.querySelector('.fe-out') || {}).textContent === 'push: fulfilled · 1 notification(s) shown · 0 message(s) posted'`)
	wait("notification listed", `(`+rootCard+`.querySelector('.fe-notes') || {innerText: ''}).innerText.includes('hello from devtools')`)
	shoot("devtools-push-1280x800.png")
	// The card may be rebuilt by the list's reloads: click once the
	// button is there.
	wait("click notification", `(() => { const b = (`+rootCard+`).querySelector('.fe-note button.fe-click'); if (!b) return false; b.click(); return true; })()`)
	wait("click outcome", `(`+rootCard+`.querySelector('.fe-out') || {}).textContent.startsWith('notificationclick: fulfilled') && (`+rootCard+`).querySelector('.fe-out').textContent.includes('opened https://app.test/')`)
	wait("notification gone", `(`+rootCard+`.querySelector('.fe-notes') || {innerText: ''}).innerText === 'none'`)

	// The scope box shows the winner and the ordering figures.
	step("scope view", chromedp.Navigate(admin+"#scope"))
	step("scope lookup", chromedp.Evaluate[chromedp.Void](`(() => { document.querySelector('#scope-url').value = 'https://app.test/maps/tiles/1-1-0.txt'; document.querySelector('#scope-form').requestSubmit(); })()`))
	wait("scope answer", `document.querySelector('#scope-result tr.win') !== null`)
	if got := eval("scope answer", `document.querySelector('#scope-result').innerText`); !strings.Contains(got, `{"path":"/maps/?*"}`) || !strings.Contains(got, "controls") {
		t.Errorf("scope answer:\n%s", got)
	}
	shoot("devtools-scope-1280x800.png")

	// The request box shows the response and the layer that answered.
	step("fetch view", chromedp.Navigate(admin+"#fetch"))
	step("send", chromedp.Evaluate[chromedp.Void](`(() => { document.querySelector('#fetch-client').value = 'https://app.test/'; document.querySelector('#fetch-url').value = 'https://fonts.test/fonts/roboto.woff2'; document.querySelector('#fetch-form').requestSubmit(); })()`))
	wait("fetch answer", `document.querySelector('#fetch-result .layer') !== null`)
	if got := eval("fetch answer", `document.querySelector('#fetch-result').innerText`); !strings.Contains(got, "foreign-fetch") || !strings.Contains(got, "ROBOTO-WOFF2") {
		t.Errorf("request box:\n%s", got)
	}

	// The Cache Storage browser reaches an entry's body.
	step("caches view", chromedp.Navigate(admin+"#caches/"+"https%3A%2F%2Ffonts.test/fonts-v1"))
	wait("cache entries", `document.querySelector('#cache-entries tr.click') !== null`)
	step("open entry", chromedp.Evaluate[chromedp.Void](`document.querySelector('#cache-entries tr.click').click()`))
	wait("entry body", `(document.querySelector('#cache-body pre') || {}).textContent === 'ROBOTO-WOFF2 (pretend font bytes)'`)
	shoot("devtools-caches-1280x800.png")

	// The IndexedDB browser: the maps worker's database, its stores and
	// indexes, records shown as inert text with their types, paging
	// through an index, and the delete buttons.
	step("indexeddb view", chromedp.Navigate(admin+"#indexeddb"))
	wait("idb tree", `document.querySelector('#idb-tree [data-idb-store="https://app.test maps-meta tiles"]') !== null`)
	if got := eval("idb list", `document.querySelector('#idb-list').innerText`); !strings.Contains(got, "maps-meta") || !strings.Contains(got, "version 1") ||
		!strings.Contains(got, "6 record(s)") || !strings.Contains(got, `by_zoom ("zoom")`) {
		t.Errorf("IndexedDB list:\n%s", got)
	}
	step("open settings", chromedp.Evaluate[chromedp.Void](`document.querySelector('#idb-tree [data-idb-store="https://app.test maps-meta settings"]').click()`))
	wait("settings records", `document.querySelectorAll('#idb-records tr.idb-rec').length === 3`)
	settings := eval("settings", `document.querySelector('#idb-records').innerText`)
	for _, want := range []string{`"about"`, `"note": "<b>shown as text</b>"`, `"zoomLevels": Set{0, 1, 2}`, `"tileSize": 256n`, `Map{"lat" => 48.85, "lng" => 2.35}`, `"dark"`} {
		if !strings.Contains(settings, want) {
			t.Errorf("settings records lack %s:\n%s", want, settings)
		}
	}
	if got := eval("inert", `String(document.querySelectorAll('#idb-records b, #idb-records img').length)`); got != "0" {
		t.Errorf("a stored value became markup: %s elements", got)
	}
	shoot("devtools-indexeddb-1280x800.png")
	step("delete theme", chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('#idb-records tr.idb-rec')].find(r => r.querySelector('.idb-key').textContent === '"theme"').querySelector('button.idb-delete').click()`))
	wait("theme deleted", `document.querySelectorAll('#idb-records tr.idb-rec').length === 2 && !document.querySelector('#idb-records').innerText.includes('"dark"')`)
	// Tiles through the by_zoom index, a page of 25 holding all six: by
	// zoom, then by primary key.
	step("open tiles", chromedp.Navigate(admin+"#indexeddb/https%3A%2F%2Fapp.test/maps-meta/tiles"))
	wait("tiles records", `document.querySelectorAll('#idb-records tr.idb-rec').length === 6`)
	step("by zoom", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#idb-index'); s.value = 'by_zoom'; s.dispatchEvent(new Event('change')); })()`))
	wait("index columns", `document.querySelector('#idb-records th:nth-child(3)') !== null && document.querySelector('#idb-records th:nth-child(3)').textContent === 'Primary key'`)
	order := eval("index order", `[...document.querySelectorAll('#idb-records tr.idb-rec')].map(r => r.children[1].textContent + ':' + r.children[2].textContent).join(' ')`)
	if order != `0:"0-0-0" 1:"1-0-0" 1:"1-1-0" 2:"2-0-0" 2:"2-1-0" 2:"2-2-0"` {
		t.Errorf("tiles by zoom: %s", order)
	}
	if got := eval("date", `document.querySelector('#idb-records tr.idb-rec .idb-value').textContent`); !strings.Contains(got, `"fetched": Date(2024-01-01T00:00:00.000Z)`) {
		t.Errorf("tile value: %s", got)
	}
	step("clear tiles", chromedp.Evaluate[chromedp.Void](`document.querySelector('#idb-clear').click()`))
	wait("tiles cleared", `(document.querySelector('#idb-records p') || {}).textContent === 'No records.'`)
	step("delete database", chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-idb-db="https://app.test maps-meta"] button.idb-delete-db').click()`))
	wait("database deleted", `document.querySelector('#idb-msg').textContent.startsWith('maps-meta: deleted') && document.querySelector('#idb-list').innerText.includes('No databases yet.')`)
	var dbs []struct {
		Databases []any `json:"databases"`
	}
	adminJSON(t, token, "GET", admin+"v1/indexeddb?origin=https://app.test", "", &dbs)
	if len(dbs) != 1 || len(dbs[0].Databases) != 0 {
		t.Errorf("databases after Delete: %+v", dbs)
	}

	// The demo page: every button, then the echo reply through the bridge.
	step("open demo", chromedp.Navigate(admin+"demo"))
	step("run all", chromedp.Evaluate[chromedp.Void](`document.querySelector('#run-all').click()`))
	wait("echo reply", `(document.querySelector('#echo-reply') || {}).textContent === 'echo reply: "hello"'`)
	demo := eval("demo results", `document.body.innerText`)
	for _, want := range []string{"root team worker answered /", "maps team worker answered /maps/", "fetch-event", "foreign-fetch", "network", "ROBOTO-WOFF2"} {
		if !strings.Contains(demo, want) {
			t.Errorf("demo page lacks %q", want)
		}
	}
	// With fonts.test down, the font still comes from the provider's worker.
	fonts := eval("font results", `[...document.querySelectorAll('#out-fonts .res')].map(r => r.innerText.replace(/\s+/g, ' ')).join('\n')`)
	if n := strings.Count(fonts, "foreign-fetch"); n != 3 || strings.Count(fonts, "ROBOTO-WOFF2") != 2 {
		t.Errorf("font results (want 3 foreign-fetch answers, 2 of them the font, the last with the server down):\n%s", fonts)
	}
	shoot("demo-1280x800.png")
	// The connect button alone, with another message.
	step("connect", chromedp.Evaluate[chromedp.Void](`document.querySelector('#echo-text').value = 'second'; document.querySelector('#connect-btn').click()`))
	wait("second echo reply", `(document.querySelector('#echo-reply') || {}).textContent === 'echo reply: "second"'`)
	step("narrow", narrow)
	shoot("demo-420x860.png")

	// Unregister from the devtools page removes the registration.
	step("wide", wide)
	step("back to devtools", chromedp.Navigate(admin))
	wait("four registrations", `document.querySelectorAll('#reg-list .reg').length === 4`)
	step("narrow devtools", narrow)
	shoot("devtools-420x860.png")
	step("wide", wide)
	// Stop and Update act on a registration and the page shows the result.
	step("stop fonts", chromedp.Evaluate[chromedp.Void](`document.querySelector('.reg[data-origin="https://fonts.test"] button.stop').click()`))
	wait("fonts worker stopped", `(document.querySelector('.reg[data-origin="https://fonts.test"]') || {innerText: ''}).innerText.includes('is stopped')`)
	step("update fonts", chromedp.Evaluate[chromedp.Void](`document.querySelector('.reg[data-origin="https://fonts.test"] button.update').click()`))
	wait("update in the event log", `[...document.querySelectorAll('#events .ev-lifecycle')].some(e => /update https:\/\/fonts\.test\//.test(e.innerText))`)
	step("unregister echo", chromedp.Evaluate[chromedp.Void](`document.querySelector('.reg[data-origin="https://echo.test"] button.unregister').click()`))
	wait("three registrations", `document.querySelectorAll('#reg-list .reg').length === 3 && !document.querySelector('.reg[data-origin="https://echo.test"]')`)
	var regs []struct {
		Origin string `json:"origin"`
	}
	adminJSON(t, token, "GET", admin+"v1/registrations", "", &regs)
	for _, r := range regs {
		if r.Origin == "https://echo.test" {
			t.Errorf("echo.test is still registered after Unregister: %+v", regs)
		}
	}
	if len(regs) != 3 {
		t.Errorf("%d registrations after Unregister, want 3", len(regs))
	}
	wait("unregister in the event log", `[...document.querySelectorAll('#events .ev-lifecycle')].some(e => /unregister/.test(e.innerText) && e.innerText.includes('https://echo.test/'))`)

	entries, _ := os.ReadDir(shots)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	t.Logf("%d screenshots: %s", len(names), strings.Join(names, ", "))
}

package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/swhost/swhost/internal/testbrowser"
)

// counterSW answers every fetch with how many fetches this worker
// instance has answered: a stopped worker starts again from 1.
const counterSW = `let n = 0; addEventListener('fetch', e => e.respondWith(new Response(String(++n))));`

// victim is a serve with a.test's counter worker registered and
// running, and evil.test and b.test ready to be registered by an
// attacker (so that on a server without defences the attacks succeed).
type victim struct {
	p      *serveProc
	goodID int64
	evil   *upstream
	count  int // fetches the counter worker answered
}

func newVictim(t *testing.T) *victim {
	t.Helper()
	a := newUpstream(t, "https://a.test", "")
	a.put("/sw.js", resource{body: counterSW, ctype: "text/javascript"})
	evil := newUpstream(t, "https://evil.test", "")
	evil.put("/sw.js", resource{body: `addEventListener('fetch', e => e.respondWith(new Response('pwned')));`, ctype: "text/javascript"})
	b := newUpstream(t, "https://b.test", "")
	b.put("/sw.js", resource{body: `addEventListener('fetch', e => e.respondWith(new Response('pwned')));`, ctype: "text/javascript"})
	v := &victim{p: startServe(t, newHost(t, a, evil, b)), evil: evil}
	var info struct {
		ID int64 `json:"id"`
	}
	adminJSON(t, v.p.token, "POST", "http://"+v.p.admin+"/v1/registrations", `{"client": "https://a.test/", "script": "/sw.js"}`, &info)
	v.goodID = info.ID
	v.checkGood(t)
	return v
}

// edgeGet fetches https://HOST/PATH through the edge listener.
func (v *victim) edgeGet(t *testing.T, host, path string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+v.p.edge+path, nil)
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// checkGood fetches a.test and checks that the same worker instance as
// before answers: nobody stopped it.
func (v *victim) checkGood(t *testing.T) {
	t.Helper()
	v.count++
	if got := v.edgeGet(t, "a.test", "/"); got != strconv.Itoa(v.count) {
		t.Errorf("a.test's worker answered %q, want %d: it was stopped (or never ran)", got, v.count)
	}
}

// checkRegistrations lists the registrations with the admin token and
// checks that only a.test's is there.
func (v *victim) checkRegistrations(t *testing.T) {
	t.Helper()
	var regs []struct {
		Origin string `json:"origin"`
	}
	adminJSON(t, v.p.token, "GET", "http://"+v.p.admin+"/v1/registrations", "", &regs)
	if len(regs) != 1 || regs[0].Origin != "https://a.test" {
		t.Errorf("registrations after the attacks: %+v; want a.test's only", regs)
	}
}

// TestAdminAPIAttacks sends the attacks on the admin API of
// "swhost serve" as raw HTTP, as a cross-site page or a DNS-rebound page
// makes the browser send them, and as a local client without the token
// would: each is refused with its status and exception name, and none
// registers, stops or fetches anything.
func TestAdminAPIAttacks(t *testing.T) {
	t.Parallel()
	v := newVictim(t)
	admin := v.p.admin
	_, port, _ := net.SplitHostPort(admin)
	register := `{"client":"https://evil.test/","script":"/sw.js"}`
	stop := fmt.Sprintf("/v1/registrations/%d/stop", v.goodID)
	chain := `{"client":"https://a.test/","url":"https://evil.test/sw.js"}`
	crossSite := []string{"Content-Type: text/plain;charset=UTF-8", "Origin: https://evil.example", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: no-cors"}
	for _, tc := range []struct {
		name    string
		method  string
		path    string
		host    string
		headers []string
		body    string
		status  int
		err     string
	}{
		{"CSRF register", "POST", "/v1/registrations", admin, crossSite, register, 403, "SecurityError"},
		{"CSRF register, old browser", "POST", "/v1/registrations", admin, []string{"Content-Type: text/plain", "Origin: https://evil.example"}, register, 403, "SecurityError"},
		{"CSRF stop", "POST", stop, admin, crossSite, "", 403, "SecurityError"},
		{"CSRF fetch (Link header chain)", "POST", "/v1/fetch", admin, crossSite, chain, 403, "SecurityError"},
		{"CSRF form", "POST", "/v1/registrations", admin, []string{"Content-Type: application/x-www-form-urlencoded", "Origin: null"}, "a=" + register, 403, "SecurityError"},
		{"rebinding read", "GET", "/v1/registrations", "attacker.example:" + port, []string{"Sec-Fetch-Site: same-origin"}, "", 421, "SecurityError"},
		{"rebinding register", "POST", "/v1/registrations", "attacker.example:" + port, []string{"Content-Type: application/json", "Origin: http://attacker.example:" + port, "Sec-Fetch-Site: same-origin"}, register, 421, "SecurityError"},
		{"rebinding event stream", "GET", "/v1/events", "attacker.example:" + port, nil, "", 421, "SecurityError"},
		{"no token: read", "GET", "/v1/registrations", admin, nil, "", 401, "NotAllowedError"},
		{"no token: register", "POST", "/v1/registrations", admin, []string{"Content-Type: application/json"}, register, 401, "NotAllowedError"},
		{"no token: stop", "POST", stop, admin, []string{"Content-Type: application/json"}, "", 401, "NotAllowedError"},
		{"no token: event stream", "GET", "/v1/events", admin, nil, "", 401, "NotAllowedError"},
		{"wrong token", "POST", "/v1/registrations", admin, []string{"Content-Type: application/json", "Authorization: Bearer " + strings.Repeat("A", 43)}, register, 401, "NotAllowedError"},
		{"empty token", "GET", "/v1/registrations", admin, []string{"Authorization: Bearer "}, "", 401, "NotAllowedError"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("tcp", admin)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(20 * time.Second)) // a safety net
			req := tc.method + " " + tc.path + " HTTP/1.1\r\nHost: " + tc.host + "\r\n"
			for _, h := range tc.headers {
				req += h + "\r\n"
			}
			req += "Content-Length: " + strconv.Itoa(len(tc.body)) + "\r\nConnection: close\r\n\r\n" + tc.body
			io.WriteString(c, req)
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode/100 == 2 { // the event stream never ends: no body read
				c.Close()
				t.Fatalf("%s %s: %s; want %d %s", tc.method, tc.path, resp.Status, tc.status, tc.err)
			}
			b, _ := io.ReadAll(resp.Body)
			var e struct{ Error, Message string }
			json.Unmarshal(b, &e)
			if resp.StatusCode != tc.status || e.Error != tc.err || e.Message == "" {
				t.Errorf("%s %s: %s %s; want %d %s", tc.method, tc.path, resp.Status, b, tc.status, tc.err)
			}
		})
	}
	v.checkGood(t)
	v.checkRegistrations(t)
	if n := v.evil.hitCount("/sw.js"); n != 0 {
		t.Errorf("evil.test's script was fetched %d times", n)
	}
}

// TestWorkerCannotReachAdminAPI: a hostile worker, registered through the
// API and fetched through the edge, sends the requests a worker can make
// to the admin API (no-cors POSTs, JSON POSTs, a guessed token) to stop
// a.test's worker and register one for b.test. Neither happens.
func TestWorkerCannotReachAdminAPI(t *testing.T) {
	t.Parallel()
	v := newVictim(t)
	admin := "http://" + v.p.admin
	v.evil.put("/sw.js", resource{ctype: "text/javascript", body: fmt.Sprintf(`
const admin = %q, stop = admin + '/v1/registrations/%d/stop', register = admin + '/v1/registrations';
const evil = JSON.stringify({client: 'https://b.test/', script: '/sw.js'});
addEventListener('fetch', e => e.respondWith((async () => {
  const out = [];
  for (const [name, url, init] of [
    ['no-cors stop', stop, {method: 'POST', mode: 'no-cors', body: '{}'}],
    ['no-cors register', register, {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, body: evil}],
    ['JSON stop', stop, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'}],
    ['JSON register', register, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: evil}],
    ['guessed token', register, {method: 'POST', headers: {'Content-Type': 'application/json', 'Authorization': 'Bearer guess-guess-guess-guess'}, body: evil}],
  ]) {
    try { const r = await fetch(url, init); out.push(name + ': ' + r.type + ' ' + r.status); }
    catch (err) { out.push(name + ': ' + err.name); }
  }
  return new Response(out.join('\n'));
})()));`, admin, v.goodID)})
	adminJSON(t, v.p.token, "POST", admin+"/v1/registrations", `{"client": "https://evil.test/", "script": "/sw.js"}`, nil)
	got := v.edgeGet(t, "evil.test", "/go")
	t.Logf("what the hostile worker saw:\n%s", got)
	for _, line := range strings.Split(got, "\n") {
		if strings.HasSuffix(line, " 200") || strings.HasSuffix(line, " 201") {
			t.Errorf("the admin API answered the worker: %s", line)
		}
	}
	v.checkGood(t)
	var regs []struct {
		Origin string `json:"origin"`
	}
	adminJSON(t, v.p.token, "GET", admin+"/v1/registrations", "", &regs)
	for _, r := range regs {
		if r.Origin == "https://b.test" {
			t.Errorf("the hostile worker registered a worker for b.test")
		}
	}
}

// TestBrowserAttacks drives headless chromium as the operator's browser,
// signed in to the devtools page at http://localhost:ADMIN. Pages of
// another origin (http://localhost:OTHER, same site, which gets the
// SameSite=Strict cookie; http://attacker.example:OTHER, another site)
// try a CSRF form POST and fetches to the admin API; then a page of
// http://attacker.example:ADMIN, a name resolving to 127.0.0.1 as a DNS
// rebinding would make it, reads and writes the API as its own origin.
// Nothing is registered or stopped, nothing is read.
func TestBrowserAttacks(t *testing.T) {
	testbrowser.Require(t)
	v := newVictim(t)
	_, adminPort, _ := net.SplitHostPort(v.p.admin)
	admin := "http://localhost:" + adminPort
	evil := `{"client":"https://evil.test/","script":"/sw.js"}`
	// The attacker's page: a text/plain form whose body is JSON, then
	// fetches, each reported as it ended.
	page := fmt.Sprintf(`<!doctype html><title>cute cats</title>
<iframe name="sink"></iframe>
<form id="f" method="POST" enctype="text/plain" target="sink" action="%[1]s/v1/registrations">
<input type="hidden" name='{"client":"https://evil.test/","script":"/sw.js","x":"' value='"}'>
</form>
<script>
window.attack = async () => {
  const out = [];
  const opts = [
    ['no-cors register', '/v1/registrations', {method: 'POST', mode: 'no-cors', credentials: 'include', headers: {'Content-Type': 'text/plain'}, body: %[2]q}],
    ['no-cors stop', '/v1/registrations/%[3]d/stop', {method: 'POST', mode: 'no-cors', credentials: 'include'}],
    ['cors JSON register', '/v1/registrations', {method: 'POST', credentials: 'include', headers: {'Content-Type': 'application/json'}, body: %[2]q}],
    ['cors read', '/v1/registrations', {credentials: 'include'}],
  ];
  for (const [name, path, init] of opts) {
    try { const r = await fetch(%[1]q + path, init); out.push(name + ': ' + r.type + ' ' + r.status + ' ' + (r.type === 'opaque' ? '' : await r.text())); }
    catch (err) { out.push(name + ': ' + err.name); }
  }
  await new Promise(resolve => { document.querySelector('iframe').onload = resolve; document.getElementById('f').submit(); });
  out.push('form: submitted');
  return out.join('\n');
};
</script>`, admin, evil, v.goodID)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pages := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	})}}
	pages.Start()
	defer pages.Close()
	_, pagePort, _ := net.SplitHostPort(ln.Addr().String())

	actx, cancel := testbrowser.Allocator(t, chromedp.Flag("host-resolver-rules", "MAP attacker.example 127.0.0.1"))
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel := context.WithTimeout(bctx, 60*time.Second)
	defer cancel()
	run := func(what string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if _, err := chromedp.Run(ctx, a); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(what, js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return s
	}

	// The operator signs in; the devtools page works.
	run("sign in", chromedp.Navigate(admin+"/?token="+v.p.token))
	run("devtools lists a.test", chromedp.Poll[chromedp.Void](`document.querySelectorAll('#reg-list .reg').length === 1`, chromedp.WithPollingTimeout(15*time.Second)))

	// CSRF from a same-site page and from a cross-site one.
	for _, origin := range []string{"http://localhost:" + pagePort, "http://attacker.example:" + pagePort} {
		run("open "+origin, chromedp.Navigate(origin+"/"))
		got := eval("attack from "+origin, `attack()`)
		t.Logf("page %s:\n%s", origin, got)
		for _, line := range strings.Split(got, "\n") {
			if strings.Contains(line, " 200 ") || strings.Contains(line, " 201 ") || strings.Contains(line, `"id"`) {
				t.Errorf("page %s: the admin API answered: %s", origin, line)
			}
		}
	}
	v.checkGood(t)
	v.checkRegistrations(t)

	// DNS rebinding: the attacker's name now resolves to the admin
	// listener, so its page's requests are same-origin there.
	rebound := "http://attacker.example:" + adminPort
	run("open the rebound origin", chromedp.Navigate(rebound+"/"))
	got := eval("rebound page", fmt.Sprintf(`(async () => {
  const read = await fetch('/v1/registrations');
  const write = await fetch('/v1/registrations', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: %q});
  return 'read ' + read.status + ' ' + (await read.text()).slice(0, 200) + '\nwrite ' + write.status;
})()`, evil))
	t.Logf("rebound page %s:\n%s", rebound, got)
	if !strings.HasPrefix(got, "read 421 ") || !strings.HasSuffix(got, "\nwrite 421") {
		t.Errorf("rebound page %s: %s; want 421 for both", rebound, got)
	}
	v.checkGood(t)
	v.checkRegistrations(t)
}

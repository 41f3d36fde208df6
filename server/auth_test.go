package server

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/swhost/swhost/weberr"
)

// rawRequest sends raw HTTP/1.1 text to addr, as an attacker's page or
// script would have it sent, and returns the response.
func rawRequest(t *testing.T, addr, text string) (*http.Response, apiError) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, text); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e apiError
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &e)
	return resp, e
}

// TestAdminAttacks sends the attacks on the admin API as raw
// requests: each is refused with its status and exception name, and no
// registration is made.
func TestAdminAttacks(t *testing.T) {
	f := newFixture(t)
	addr := strings.TrimPrefix(f.admin.URL, "http://")
	const body = `{"client":"https://app.test/","script":"/sw.js"}`
	post := func(path string, headers ...string) string {
		return "POST " + path + " HTTP/1.1\r\n" + strings.Join(headers, "\r\n") + "\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\nConnection: close\r\n\r\n" + body
	}
	get := func(path string, headers ...string) string {
		return "GET " + path + " HTTP/1.1\r\n" + strings.Join(headers, "\r\n") + "\r\nConnection: close\r\n\r\n"
	}
	bearer := "Authorization: Bearer " + testToken
	for _, tc := range []struct {
		name   string
		req    string
		status int
		err    string
	}{
		{"CSRF text/plain from another site", post("/v1/registrations", "Host: "+addr, "Content-Type: text/plain", "Origin: https://evil.example", "Sec-Fetch-Site: cross-site"), 403, weberr.SecurityError},
		{"CSRF text/plain, no Sec-Fetch-Site", post("/v1/registrations", "Host: "+addr, "Content-Type: text/plain", "Origin: https://evil.example"), 403, weberr.SecurityError},
		{"CSRF form", post("/v1/registrations", "Host: "+addr, "Content-Type: application/x-www-form-urlencoded", "Origin: null"), 403, weberr.SecurityError},
		{"text/plain with the token", post("/v1/registrations", "Host: "+addr, "Content-Type: text/plain", bearer), 415, weberr.SecurityError},
		{"JSON from another origin with the token", post("/v1/registrations", "Host: "+addr, "Content-Type: application/json", "Origin: http://localhost:3000", bearer), 403, weberr.SecurityError},
		{"same-site page", post("/v1/registrations", "Host: "+addr, "Content-Type: application/json", "Sec-Fetch-Site: same-site", bearer), 403, weberr.SecurityError},
		{"no token", post("/v1/registrations", "Host: "+addr, "Content-Type: application/json"), 401, weberr.NotAllowedError},
		{"wrong token", post("/v1/registrations", "Host: "+addr, "Content-Type: application/json", "Authorization: Bearer "+strings.Repeat("x", len(testToken))), 401, weberr.NotAllowedError},
		{"token prefix", post("/v1/registrations", "Host: "+addr, "Content-Type: application/json", "Authorization: Bearer "+testToken[:10]), 401, weberr.NotAllowedError},
		{"wrong cookie", post("/v1/registrations", "Host: "+addr, "Content-Type: application/json", "Cookie: swhost-admin-"+addr[strings.LastIndex(addr, ":")+1:]+"="+testToken), 401, weberr.NotAllowedError},
		{"stop with no token", post("/v1/registrations/1/stop", "Host: "+addr, "Content-Type: application/json"), 401, weberr.NotAllowedError},
		{"fetch with no token", post("/v1/fetch", "Host: "+addr, "Content-Type: application/json"), 401, weberr.NotAllowedError},
		{"rebinding read", get("/v1/registrations", "Host: attacker.example", bearer), 421, weberr.SecurityError},
		{"rebinding read with the port", get("/v1/registrations", "Host: attacker.example:"+addr[strings.LastIndex(addr, ":")+1:]), 421, weberr.SecurityError},
		{"rebinding write", post("/v1/registrations", "Host: attacker.example", "Content-Type: application/json", "Origin: http://attacker.example"), 421, weberr.SecurityError},
		{"rebinding event stream", get("/v1/events", "Host: attacker.example"), 421, weberr.SecurityError},
		{"rebinding devtools page", get("/", "Host: attacker.example"), 421, weberr.SecurityError},
		{"rebinding bridge", get("/connect.js", "Host: attacker.example"), 421, weberr.SecurityError},
		{"127.-prefixed name", get("/v1/registrations", "Host: 127.evil.example", bearer), 421, weberr.SecurityError},
		{"read with no token", get("/v1/registrations", "Host: "+addr), 401, weberr.NotAllowedError},
		{"event stream with no token", get("/v1/events", "Host: "+addr), 401, weberr.NotAllowedError},
		{"cache entry with no token", get("/v1/caches/entry?origin=https://app.test&cache=v1&url=https://app.test/cached", "Host: "+addr), 401, weberr.NotAllowedError},
		{"cross-site read with the cookie", get("/v1/registrations", "Host: "+addr, "Sec-Fetch-Site: cross-site"), 403, weberr.SecurityError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, e := rawRequest(t, addr, tc.req)
			if resp.StatusCode != tc.status || e.Error != tc.err || e.Message == "" {
				t.Errorf("%d %+v; want %d %s", resp.StatusCode, e, tc.status, tc.err)
			}
		})
	}
	if regs := f.reg.Registrations(""); len(regs) != 0 {
		t.Errorf("the attacks made %d registrations", len(regs))
	}
}

// TestAdminAllowed: what the admin API's own clients send passes the
// guard: the CLI and scripts with the token and no browser headers, the
// devtools page with its cookie and same-origin headers, a typed URL,
// and each host name the listener answers to.
func TestAdminAllowed(t *testing.T) {
	f := newFixture(t)
	addr := strings.TrimPrefix(f.admin.URL, "http://")
	port := addr[strings.LastIndex(addr, ":")+1:]
	cookie := newGuard(nil, AdminOptions{Token: testToken}).cookie
	for _, tc := range []struct {
		name    string
		method  string
		path    string
		host    string
		headers map[string]string
		status  int
	}{
		{"CLI read", "GET", "/v1/registrations", addr, map[string]string{"Authorization": "Bearer " + testToken}, 200},
		{"CLI read, scheme in lower case", "GET", "/v1/registrations", addr, map[string]string{"Authorization": "bearer " + testToken}, 200},
		{"CLI write", "POST", "/v1/registrations", addr, map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/json; charset=utf-8"}, 201},
		{"devtools page read", "GET", "/v1/registrations", addr, map[string]string{"Cookie": "swhost-admin-" + port + "=" + cookie, "Sec-Fetch-Site": "same-origin"}, 200},
		{"devtools page write", "POST", "/v1/registrations/1/stop", addr, map[string]string{"Cookie": "swhost-admin-" + port + "=" + cookie, "Sec-Fetch-Site": "same-origin", "Origin": "http://" + addr, "Content-Type": "application/json"}, 200},
		{"typed URL", "GET", "/v1/registrations", addr, map[string]string{"Cookie": "swhost-admin-" + port + "=" + cookie, "Sec-Fetch-Site": "none"}, 200},
		{"localhost", "GET", "/v1/registrations", "localhost:" + port, map[string]string{"Authorization": "Bearer " + testToken}, 200},
		{"LOCALHOST.", "GET", "/v1/registrations", "LOCALHOST.:" + port, map[string]string{"Authorization": "Bearer " + testToken}, 200},
		{"127.1.2.3", "GET", "/v1/registrations", "127.1.2.3:" + port, map[string]string{"Authorization": "Bearer " + testToken}, 200},
		{"[::1]", "GET", "/v1/registrations", "[::1]:" + port, map[string]string{"Authorization": "Bearer " + testToken}, 200},
		{"[::ffff:127.0.0.1]", "GET", "/v1/registrations", "[::ffff:127.0.0.1]:" + port, map[string]string{"Authorization": "Bearer " + testToken}, 200},
		{"health check", "GET", "/healthz", addr, nil, 200},
		{"metrics", "GET", "/metrics", addr, nil, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := ""
			if tc.method == "POST" && tc.path == "/v1/registrations" {
				body = `{"client":"https://app.test/","script":"/sw.js"}`
			}
			req, _ := http.NewRequest(tc.method, f.admin.URL+tc.path, strings.NewReader(body))
			req.Host = tc.host
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("%d %s; want %d", resp.StatusCode, b, tc.status)
			}
		})
	}
}

// TestAdminHosts: the names a listener answers to, by how it is bound.
func TestAdminHosts(t *testing.T) {
	for _, tc := range []struct {
		hosts []string
		host  string
		ok    bool
	}{
		{nil, "127.0.0.1:8080", true},
		{nil, "localhost", true},
		{nil, "[::1]:8080", true},
		{nil, "attacker.example", false},
		{nil, "localhost.attacker.example", false},
		{nil, "sub.localhost", false},
		{nil, "2130706433", false}, // 127.0.0.1 in decimal: a name to a browser's Host header
		{nil, "0x7f.1", false},
		{nil, "192.168.1.5:8080", false},
		{nil, "[fe80::1%25eth0]:8080", false},
		{nil, "", false},
		{[]string{"0.0.0.0"}, "192.168.1.5:8080", true},
		{[]string{"0.0.0.0"}, "[2001:db8::1]:8080", true},
		{[]string{"0.0.0.0"}, "attacker.example", false},
		{[]string{"::"}, "10.0.0.1", true},
		{[]string{""}, "10.0.0.1", true},
		{[]string{"192.168.1.5"}, "192.168.1.5:8080", true},
		{[]string{"192.168.1.5"}, "192.168.1.6:8080", false},
		{[]string{"devbox.lan"}, "DevBox.LAN.:8080", true},
		{[]string{"devbox.lan"}, "evil.lan", false},
	} {
		if got := newGuard(nil, AdminOptions{Hosts: tc.hosts}).hostAllowed(tc.host); got != tc.ok {
			t.Errorf("bound to %q: Host %q allowed = %v; want %v", tc.hosts, tc.host, got, tc.ok)
		}
	}
}

// TestAdminSignIn: a page visit with ?token= sets the HttpOnly,
// SameSite=Strict cookie and redirects to the URL without the token; the
// cookie then opens the API. A wrong token sets nothing.
func TestAdminSignIn(t *testing.T) {
	f := newFixture(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		path, location string
	}{
		{"/?token=" + testToken, "/"},
		{"/demo?x=1&token=" + testToken, "/demo?x=1"},
		{"//evil.example/?token=" + testToken, "/evil.example/"},
	} {
		resp, err := client.Get(f.admin.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != tc.location {
			t.Errorf("GET %s: %d to %q; want 303 to %q", tc.path, resp.StatusCode, resp.Header.Get("Location"), tc.location)
		}
		cs := resp.Cookies()
		if len(cs) != 1 || !cs[0].HttpOnly || cs[0].SameSite != http.SameSiteStrictMode || cs[0].Path != "/" || strings.Contains(cs[0].Value, testToken) {
			t.Fatalf("GET %s: cookies %+v", tc.path, cs)
		}
		req, _ := http.NewRequest("GET", f.admin.URL+"/v1/registrations", nil)
		req.AddCookie(cs[0])
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
			t.Errorf("with the cookie: %v %v", resp.StatusCode, err)
		}
	}
	resp, err := client.Get(f.admin.URL + "/?token=wrong-token-wrong-token")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || len(resp.Cookies()) != 0 {
		t.Errorf("wrong token: %d, cookies %v", resp.StatusCode, resp.Cookies())
	}
}

// TestAdminClosedWithoutToken: a server given no token refuses the API
// (only InsecureNoAuth opens it), and InsecureNoAuth keeps the other
// checks.
func TestAdminClosedWithoutToken(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	for _, tc := range []struct {
		opts    AdminOptions
		method  string
		headers map[string]string
		status  int
	}{
		{AdminOptions{}, "GET", nil, 401},
		{AdminOptions{}, "GET", map[string]string{"Authorization": "Bearer "}, 401},
		{AdminOptions{InsecureNoAuth: true}, "GET", nil, 200},
		{AdminOptions{InsecureNoAuth: true}, "POST", map[string]string{"Content-Type": "text/plain"}, 415},
		{AdminOptions{InsecureNoAuth: true}, "POST", map[string]string{"Content-Type": "application/json", "Origin": "https://evil.example"}, 403},
		{AdminOptions{InsecureNoAuth: true}, "POST", map[string]string{"Content-Type": "application/json"}, 200},
	} {
		req := httptest.NewRequest(tc.method, "http://127.0.0.1:8080/v1/registrations", nil)
		for k, v := range tc.headers {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		newGuard(ok, tc.opts).ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("%+v %s %v: %d; want %d", tc.opts, tc.method, tc.headers, rec.Code, tc.status)
		}
	}
}

// TestAdminTokenFile: the token file is created with mode 0600, read back
// the same, and refused when others may read it or it is too short.
func TestAdminTokenFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, AdminTokenFile)
	tok, err := LoadOrCreateAdminToken(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckAdminToken(tok); err != nil || len(tok) != 43 {
		t.Errorf("new token %q: %v", tok, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, %v; want 0600", fi.Mode(), err)
	}
	if again, err := LoadOrCreateAdminToken(path); err != nil || again != tok {
		t.Errorf("read back %q, %v; want %q", again, err, tok)
	}
	for _, tc := range []struct {
		content string
		mode    os.FileMode
		err     string
	}{
		{"short\n", 0o600, "at least 16"},
		{tok + "\n", 0o644, "chmod 600"},
		{"with a space in the middle\n", 0o600, "no spaces"},
	} {
		p := filepath.Join(t.TempDir(), AdminTokenFile)
		if err := os.WriteFile(p, []byte(tc.content), tc.mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, tc.mode)
		if _, err := LoadOrCreateAdminToken(p); err == nil || !strings.Contains(err.Error(), tc.err) || weberr.NameOf(err) != weberr.SecurityError {
			t.Errorf("%q mode %#o: %v; want a SecurityError with %q", tc.content, tc.mode, err, tc.err)
		}
	}
}

// TestAdminBridgePaths: the connect bridge's paths need no token and take
// cross-origin pages (the bridge checks their Origin against its own
// allow-list), but answer only to the listener's host names.
func TestAdminBridgePaths(t *testing.T) {
	bridge := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusSwitchingProtocols) })
	g := newGuard(bridge, AdminOptions{Token: testToken})
	for _, tc := range []struct {
		path, host, origin string
		status             int
	}{
		{"/connect.js", "127.0.0.1:8080", "https://page.example", 101},
		{"/connect", "localhost:8080", "https://page.example", 101},
		{"/connect", "attacker.example:8080", "http://attacker.example:8080", 421},
		{"/v1/connect", "127.0.0.1:8080", "https://page.example", 403},
	} {
		req := httptest.NewRequest("GET", "http://"+tc.host+tc.path, nil)
		req.Header.Set("Origin", tc.origin)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("GET %s Host %s Origin %s: %d; want %d", tc.path, tc.host, tc.origin, rec.Code, tc.status)
		}
	}
}

package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/swhost/swhost/weberr"
)

// AdminOptions guard the admin handler (Options.Admin): who may use the
// admin API, and under which host names the listener answers at all.
// docs/security.md explains each check.
type AdminOptions struct {
	// Token is the admin token. Every /v1/ request (the event stream
	// included) and every state-changing request on the admin listener
	// must carry it, as "Authorization: Bearer TOKEN" or as the devtools
	// cookie that a visit to any page with ?token=TOKEN sets. When it is
	// empty and InsecureNoAuth is unset, those requests are all refused.
	Token string
	// InsecureNoAuth serves those requests without a token (serve
	// --insecure-no-auth). The Host, Origin and Content-Type checks stay.
	InsecureNoAuth bool
	// Hosts are the host names and IP literals the listener answers to
	// besides "localhost" and loopback IP literals: the host it is bound
	// to and the names the operator adds. An unspecified address
	// ("0.0.0.0", "::") or an empty host admits every IP literal.
	Hosts []string
}

// AdminTokenFile is the admin token's file in the data directory.
const AdminTokenFile = "admin.token"

// MinAdminTokenLen is the shortest admin token accepted (from a file or
// SWHOST_ADMIN_TOKEN); NewAdminToken's are 43 characters.
const MinAdminTokenLen = 16

// NewAdminToken returns a fresh admin token: 32 random bytes, base64url
// without padding.
func NewAdminToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CheckAdminToken refuses a token that is too short or has characters a
// header or a URL query would mangle (spaces, controls, non-ASCII).
func CheckAdminToken(token string) error {
	if len(token) < MinAdminTokenLen {
		return weberr.Errorf(weberr.SecurityError, "the admin token has %d characters; at least %d are needed", len(token), MinAdminTokenLen)
	}
	for _, c := range token {
		if c <= ' ' || c > '~' {
			return weberr.New(weberr.SecurityError, "the admin token may hold printable ASCII characters only, no spaces")
		}
	}
	return nil
}

// LoadOrCreateAdminToken returns the admin token kept in path, creating
// the file (mode 0600, its directory 0700) with a NewAdminToken when it
// does not exist. A file that other users may read or write is refused,
// as ssh refuses such a key.
func LoadOrCreateAdminToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return "", err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			token := NewAdminToken()
			_, err = f.WriteString(token + "\n")
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return "", fmt.Errorf("writing the admin token: %w", err)
			}
			return token, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("creating the admin token: %w", err)
		}
		b, err = os.ReadFile(path) // another process created it meanwhile
	}
	if err != nil {
		return "", fmt.Errorf("reading the admin token: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return "", weberr.Errorf(weberr.SecurityError, "%s is open to other users (mode %#o); run chmod 600 %s", path, perm, path)
	}
	token := strings.TrimSpace(string(b))
	if err := CheckAdminToken(token); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return token, nil
}

// guard is the admin handler's front door: the Host check on every
// request; the Origin, Sec-Fetch-Site, Content-Type and token checks on
// the API and on state-changing requests; the devtools cookie.
type guard struct {
	next      http.Handler
	noAuth    bool
	tokenHash [sha256.Size]byte // of the token: compared in constant time
	cookie    string            // the devtools cookie's value
	hosts     map[string]bool
	anyIP     bool
}

// cookieLabel keys the cookie value's HMAC: the cookie proves the token
// without being it.
const cookieLabel = "swhost admin cookie v1"

func newGuard(next http.Handler, o AdminOptions) *guard {
	g := &guard{next: next, noAuth: o.InsecureNoAuth, hosts: map[string]bool{}}
	if o.Token != "" {
		g.tokenHash = sha256.Sum256([]byte(o.Token))
		m := hmac.New(sha256.New, []byte(o.Token))
		m.Write([]byte(cookieLabel))
		g.cookie = hex.EncodeToString(m.Sum(nil))
	}
	for _, h := range o.Hosts {
		h = normalHost(h)
		if ip, err := netip.ParseAddr(h); h == "" || err == nil && ip.IsUnspecified() {
			g.anyIP = true
			continue
		}
		g.hosts[h] = true
	}
	return g
}

// normalHost lowers a host name, drops brackets, a trailing dot and a
// port.
func normalHost(hostport string) string {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

// hostAllowed reports whether the listener answers to a request's Host:
// localhost, a loopback IP literal, a configured name, or any IP literal
// when bound to every address. A DNS-rebound page's requests carry the
// attacker's name and fail here.
func (g *guard) hostAllowed(hostport string) bool {
	h := normalHost(hostport)
	if h == "localhost" || g.hosts[h] {
		return true
	}
	ip, err := netip.ParseAddr(h)
	if err != nil || ip.Zone() != "" {
		return false
	}
	return ip.Unmap().IsLoopback() || g.anyIP
}

// bridgePath reports whether path is the connect bridge's: it checks the
// page's Origin against its own allow-list and needs no token (the pages
// it serves are on other origins and cannot know it).
func bridgePath(path string) bool { return path == "/connect" || path == "/connect.js" }

func (g *guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !g.hostAllowed(r.Host) {
		writeError(w, http.StatusMisdirectedRequest, weberr.SecurityError,
			fmt.Sprintf("this listener does not answer to the host %q (a DNS-rebound page?); use localhost, a loopback address, or a name given with --allow-host", r.Host))
		return
	}
	if bridgePath(r.URL.Path) || pushPath(r) {
		g.next.ServeHTTP(w, r)
		return
	}
	w.Header().Set("X-Frame-Options", "DENY")
	unsafe := r.Method != http.MethodGet && r.Method != http.MethodHead
	api := r.URL.Path == "/v1" || strings.HasPrefix(r.URL.Path, "/v1/")
	if !api && !unsafe {
		if r.URL.Query().Has("token") {
			g.signIn(w, r)
			return
		}
		g.next.ServeHTTP(w, r)
		return
	}
	if err := sameOrigin(r, unsafe); err != nil {
		writeError(w, http.StatusForbidden, weberr.SecurityError, err.Error())
		return
	}
	if unsafe {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, weberr.SecurityError,
				fmt.Sprintf("%s %s needs Content-Type: application/json (got %q), which a cross-site form or no-cors request cannot send", r.Method, r.URL.Path, r.Header.Get("Content-Type")))
			return
		}
	}
	if !g.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="swhost admin"`)
		writeError(w, http.StatusUnauthorized, weberr.NotAllowedError, g.refusal(r))
		return
	}
	g.next.ServeHTTP(w, r)
}

// sameOrigin refuses a request a browser marks as coming from another
// origin: a Sec-Fetch-Site other than same-origin (or none, a typed URL,
// for a safe method), or an Origin other than the listener's own. A
// request with neither header is from a non-browser client, which the
// token check decides on.
func sameOrigin(r *http.Request, unsafe bool) error {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && (unsafe || site != "none") {
		return fmt.Errorf("a %s request (Sec-Fetch-Site: %s) may not use the admin API", site, site)
	}
	origins := r.Header.Values("Origin")
	if len(origins) == 0 {
		return nil
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	self := scheme + "://" + r.Host
	if len(origins) == 1 && originEqual(origins[0], self) {
		return nil
	}
	return fmt.Errorf("a request from the origin %q may not use the admin API of %s", strings.Join(origins, ", "), self)
}

// originEqual compares two serialized origins, ignoring case and default
// ports.
func originEqual(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil || ua.Scheme == "" || ua.Host == "" || ua.Path != "" && ua.Path != "/" {
		return false
	}
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		if strings.EqualFold(u.Scheme, "https") {
			return "443"
		}
		return "80"
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) && normalHost(ua.Hostname()) == normalHost(ub.Hostname()) && port(ua) == port(ub)
}

// tokenOK compares a presented token with the admin token in constant
// time (hashes of equal length, so not even the length leaks).
func (g *guard) tokenOK(token string) bool {
	if g.cookie == "" || token == "" {
		return false
	}
	h := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(h[:], g.tokenHash[:]) == 1
}

// cookieName is the devtools cookie's name for the request's port:
// browsers send a host's cookies to every port, and two servers on one
// host keep their own.
func cookieName(r *http.Request) string {
	_, port, err := net.SplitHostPort(r.Host)
	if err != nil || port == "" {
		port = "80"
		if r.TLS != nil {
			port = "443"
		}
	}
	return "swhost-admin-" + port
}

// authorized reports whether r carries the admin token, as a bearer
// token or as the devtools cookie.
func (g *guard) authorized(r *http.Request) bool {
	if g.noAuth {
		return true
	}
	if scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		return g.tokenOK(strings.TrimSpace(token))
	}
	c, err := r.Cookie(cookieName(r))
	return err == nil && g.cookie != "" && subtle.ConstantTimeCompare([]byte(c.Value), []byte(g.cookie)) == 1
}

// refusal explains a 401.
func (g *guard) refusal(r *http.Request) string {
	switch {
	case g.cookie == "":
		return "no admin token is configured, so the admin API is closed"
	case r.Header.Get("Authorization") != "":
		return "wrong admin token"
	}
	return "the admin API needs the admin token: send Authorization: Bearer TOKEN (swhost serve prints it and keeps it in " + AdminTokenFile + " in its data directory), or open the devtools URL serve printed"
}

// signIn exchanges ?token= on a page visit for the devtools cookie
// (HttpOnly, SameSite=Strict) and redirects to the same URL without the
// token, so that the token leaves the address bar and the history.
func (g *guard) signIn(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	token := q.Get("token")
	q.Del("token")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if !g.noAuth {
		if !g.tokenOK(token) {
			writeError(w, http.StatusUnauthorized, weberr.NotAllowedError, "wrong admin token in ?token=")
			return
		}
		http.SetCookie(w, &http.Cookie{Name: cookieName(r), Value: g.cookie, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	}
	// One leading slash: "//evil.example" would leave the origin.
	u := url.URL{Path: "/" + strings.TrimLeft(r.URL.Path, "/\\"), RawQuery: q.Encode()}
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// pushPath reports whether r is a push service request (POST /push/ID,
// server/functional.go): its authority is the subscription's unguessable
// endpoint, as at a push service, not the admin token; all it can do is
// fire a push event at that subscription's worker.
func pushPath(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/push/") && !strings.Contains(r.URL.Path[len("/push/"):], "/")
}

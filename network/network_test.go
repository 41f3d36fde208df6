package network

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/egress"
)

func upstream(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Host", r.Host)
		w.Header().Set("X-Referer", r.Referer())
		w.Header().Set("X-Custom", r.Header.Get("X-Custom"))
		io.WriteString(w, "hello "+r.Method)
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/hello#frag", http.StatusFound)
	})
	mux.HandleFunc("/see-other", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/hello", http.StatusSeeOther)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, 2048))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestTransport(t *testing.T) {
	srv := upstream(t)
	tr := &Transport{Resolve: map[string]string{"https://app.test": srv.URL}, MaxBodyBytes: 1024}
	ctx := context.Background()
	tests := []struct {
		name     string
		req      fetch.Request
		wantType fetch.ResponseType
		status   int
		body     string
		url      string
		redirect bool
		errHas   string
	}{
		{name: "mapped origin keeps Host and logical URL", req: fetch.Request{URL: "https://app.test/hello", Header: http.Header{"X-Custom": {"1"}}, Referrer: "https://app.test/page"},
			wantType: fetch.TypeBasic, status: 200, body: "hello GET", url: "https://app.test/hello"},
		{name: "redirect followed on logical URLs", req: fetch.Request{URL: "https://app.test/redirect"},
			wantType: fetch.TypeBasic, status: 200, body: "hello GET", url: "https://app.test/hello", redirect: true},
		{name: "303 turns POST into GET", req: fetch.Request{Method: "POST", URL: "https://app.test/see-other", Body: []byte("x")},
			wantType: fetch.TypeBasic, status: 200, body: "hello GET", url: "https://app.test/hello", redirect: true},
		{name: "redirect mode error", req: fetch.Request{URL: "https://app.test/redirect", Redirect: fetch.RedirectError},
			wantType: fetch.TypeError, errHas: "not allowed"},
		{name: "redirect mode manual", req: fetch.Request{URL: "https://app.test/redirect", Redirect: fetch.RedirectManual},
			wantType: fetch.TypeOpaqueRedirect},
		{name: "redirect loop", req: fetch.Request{URL: "https://app.test/loop"}, wantType: fetch.TypeError, errHas: "too many redirects"},
		{name: "body over the cap", req: fetch.Request{URL: "https://app.test/big"}, wantType: fetch.TypeError, errHas: "larger than 1024"},
		{name: "non-HTTP scheme", req: fetch.Request{URL: "data:text/plain,x"}, wantType: fetch.TypeError, errHas: "not fetched over the network"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := tr.Fetch(ctx, &tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Type != tt.wantType {
				t.Fatalf("type %q (%s), want %q", resp.Type, resp.Error, tt.wantType)
			}
			if tt.errHas != "" && !strings.Contains(resp.Error, tt.errHas) {
				t.Errorf("error %q, want %q", resp.Error, tt.errHas)
			}
			if tt.wantType != fetch.TypeBasic {
				return
			}
			if resp.Status != tt.status || string(resp.Body) != tt.body || resp.URL != tt.url || resp.Redirected != tt.redirect {
				t.Errorf("got %d %q url %s redirected %v", resp.Status, resp.Body, resp.URL, resp.Redirected)
			}
			if got := resp.Header.Get("X-Host"); got != "app.test" {
				t.Errorf("upstream saw Host %q", got)
			}
		})
	}
	resp, _ := tr.Fetch(ctx, &fetch.Request{URL: "https://app.test/hello", Header: http.Header{"X-Custom": {"v"}}, Referrer: "https://app.test/p"})
	if resp.Header.Get("X-Custom") != "v" || resp.Header.Get("X-Referer") != "https://app.test/p" {
		t.Errorf("headers not forwarded: %v", resp.Header)
	}
}

func TestTransportUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	tr := &Transport{Resolve: map[string]string{"https://down.test": "http://" + addr}}
	resp, err := tr.Fetch(context.Background(), &fetch.Request{URL: "https://down.test/x"})
	if err != nil || !resp.IsNetworkError() || !strings.Contains(resp.Error, "refused") {
		t.Fatalf("got %+v, %v; want a network error saying refused", resp, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tr.Fetch(ctx, &fetch.Request{URL: "https://down.test/x"}); err == nil {
		t.Error("canceled context: no error")
	}
}

func TestParseResolve(t *testing.T) {
	tests := []struct{ in, origin, up string }{
		{"https://app.test=http://127.0.0.1:8081", "https://app.test", "http://127.0.0.1:8081"},
		{"https://App.Test:443/=http://127.0.0.1:1/", "https://app.test", "http://127.0.0.1:1"},
	}
	for _, tt := range tests {
		o, u, err := ParseResolve(tt.in)
		if err != nil || o != tt.origin || u != tt.up {
			t.Errorf("ParseResolve(%q) = %q %q %v", tt.in, o, u, err)
		}
	}
	for _, bad := range []string{"https://app.test", "nota url=http://x", "https://a.test=ftp://x"} {
		if _, _, err := ParseResolve(bad); err == nil {
			t.Errorf("ParseResolve(%q) succeeded", bad)
		}
	}
}

// loopbackResolver resolves every name to 127.0.0.1, as a rebinding DNS
// server would.
type loopbackResolver struct{}

func (loopbackResolver) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
}

// TestEgress: the network step reaches the upstreams named in Resolve and
// nothing else on loopback, however the address is spelled, reached by a
// redirect or hidden behind a name.
func TestEgress(t *testing.T) {
	var innerHits atomic.Int32
	inner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		innerHits.Add(1)
		io.WriteString(w, "inner secret")
	}))
	t.Cleanup(inner.Close)
	_, port, _ := net.SplitHostPort(inner.Listener.Addr().String())
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if to := r.URL.Query().Get("to"); to != "" {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		io.WriteString(w, "upstream")
	}))
	t.Cleanup(up.Close)
	quiet := slog.New(slog.DiscardHandler)
	policy, err := egress.New(egress.Options{Logger: quiet, Resolver: loopbackResolver{}})
	if err != nil {
		t.Fatal(err)
	}
	tr := &Transport{Resolve: map[string]string{"https://app.test": up.URL}, Egress: policy}
	ctx := context.Background()
	for _, c := range []struct{ name, url string }{
		{"loopback", "http://127.0.0.1:" + port + "/"},
		{"decimal", "http://2130706433:" + port + "/"},
		{"octal", "http://0177.0.0.1:" + port + "/"},
		{"short", "http://127.1:" + port + "/"},
		{"localhost", "http://localhost:" + port + "/"},
		{"IPv4-mapped", "http://[::ffff:127.0.0.1]:" + port + "/"},
		{"unspecified", "http://0.0.0.0:" + port + "/"},
		{"name resolving to loopback", "http://rebind.example:" + port + "/"},
		{"redirect to loopback", "https://app.test/r?to=" + url.QueryEscape("http://127.0.0.1:"+port+"/")},
		{"redirect to decimal loopback", "https://app.test/r?to=" + url.QueryEscape("http://2130706433:"+port+"/")},
		{"redirect to a name resolving to loopback", "https://app.test/r?to=" + url.QueryEscape("http://rebind.example:"+port+"/")},
		{"redirect to unspecified", "https://app.test/r?to=" + url.QueryEscape("http://[::]:"+port+"/")},
		{"redirect to the metadata service", "https://app.test/r?to=" + url.QueryEscape("http://169.254.169.254/latest/meta-data/")},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, err := tr.Fetch(ctx, &fetch.Request{URL: c.url})
			if err != nil {
				t.Fatal(err)
			}
			if !resp.IsNetworkError() || !strings.Contains(resp.Error, "NetworkError: the egress policy refuses") {
				t.Fatalf("got %s %d %q (%s), want a refusal", resp.Type, resp.Status, resp.Body, resp.Error)
			}
		})
	}
	if n := innerHits.Load(); n != 0 {
		t.Errorf("the loopback server got %d requests", n)
	}

	// The upstream itself, and a redirect within the resolved origin.
	resp, _ := tr.Fetch(ctx, &fetch.Request{URL: "https://app.test/r?to=/ok"})
	if resp.IsNetworkError() || string(resp.Body) != "upstream" {
		t.Errorf("resolved origin: %s %q (%s)", resp.Type, resp.Body, resp.Error)
	}
	// --allow-network opens loopback.
	open, _ := egress.New(egress.Options{Logger: quiet, Allow: []string{"127.0.0.0/8"}})
	resp, _ = (&Transport{Egress: open}).Fetch(ctx, &fetch.Request{URL: "http://127.0.0.1:" + port + "/"})
	if string(resp.Body) != "inner secret" {
		t.Errorf("allowed loopback: %s %q (%s)", resp.Type, resp.Body, resp.Error)
	}
	// swhost's own listener is refused even as a --resolve upstream.
	self, _ := egress.New(egress.Options{Logger: quiet, Allow: []string{"127.0.0.0/8"}})
	self.DenyListener(up.Listener.Addr())
	resp, _ = (&Transport{Resolve: map[string]string{"https://app.test": up.URL}, Egress: self}).Fetch(ctx, &fetch.Request{URL: "https://app.test/"})
	if !resp.IsNetworkError() {
		t.Errorf("a listener as upstream: %s %q", resp.Type, resp.Body)
	}
}

func TestTransportAllows(t *testing.T) {
	tr := &Transport{Resolve: map[string]string{"https://app.test": "http://127.0.0.1:8081", "https://b.test": "https://LocalHost"}}
	ctx := context.Background()
	for addr, want := range map[string]bool{
		"127.0.0.1:8081": true, "localhost:443": true, "127.0.0.1:8082": false, "localhost:80": false, "10.0.0.1:80": false, "93.184.215.14:443": true,
	} {
		if got := tr.Allows(ctx, addr) == nil; got != want {
			t.Errorf("Allows(%s) = %v, want %v", addr, got, want)
		}
	}
	if !tr.Resolves("https://app.test") || tr.Resolves("https://c.test") {
		t.Error("Resolves")
	}
}

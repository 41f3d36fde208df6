package network

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/swhost/swhost/fetch"
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

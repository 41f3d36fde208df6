package fetch

import (
	"net/http"
	"strings"
	"testing"
)

func TestCORSSafelistedRequestHeader(t *testing.T) {
	tests := []struct {
		name, value string
		want        bool
	}{
		{"Accept", "text/css,*/*;q=0.1", true},
		{"Accept", "a(b", false},
		{"Accept-Language", "en-US,en;q=0.5", true},
		{"Accept-Language", "en_US", false},
		{"Content-Type", "text/plain;charset=UTF-8", true},
		{"Content-Type", "application/json", false},
		{"Content-Type", "multipart/form-data; boundary=x", true},
		{"Range", "bytes=0-", true},
		{"Range", "bytes=0-10", true},
		{"Range", "bytes=-10", false},
		{"Range", "bytes=0-1,3-4", false},
		{"X-Custom", "1", false},
		{"Authorization", "Bearer x", false},
		{"Accept", strings.Repeat("a", 129), false},
	}
	for _, tt := range tests {
		if got := IsCORSSafelistedRequestHeader(tt.name, tt.value); got != tt.want {
			t.Errorf("IsCORSSafelistedRequestHeader(%q, %q) = %v", tt.name, tt.value, got)
		}
	}
}

func TestNeedsPreflight(t *testing.T) {
	tests := []struct {
		req  Request
		want bool
	}{
		{Request{}, false},
		{Request{Method: "POST", Header: http.Header{"Content-Type": {"text/plain"}}}, false},
		{Request{Method: "PUT"}, true},
		{Request{Method: "POST", Header: http.Header{"Content-Type": {"application/json"}}}, true},
		{Request{Header: http.Header{"X-Requested-With": {"x"}}}, true},
	}
	for _, tt := range tests {
		if got := tt.req.NeedsPreflight(); got != tt.want {
			t.Errorf("%+v NeedsPreflight = %v", tt.req, got)
		}
	}
}

func TestFilters(t *testing.T) {
	r := &Response{Type: TypeBasic, Status: 200, Body: []byte("b"), Header: http.Header{
		"Content-Type": {"font/woff2"}, "X-Secret": {"s"}, "X-Public": {"p"}, "Set-Cookie": {"a=b"}, "Cache-Control": {"max-age=60"},
	}}
	c := r.FilterCORS([]string{"x-public"}, false)
	if c.Type != TypeCORS || c.Header.Get("X-Public") != "p" || c.Header.Get("X-Secret") != "" || c.Header.Get("Set-Cookie") != "" ||
		c.Header.Get("Content-Type") != "font/woff2" || c.Header.Get("Cache-Control") == "" {
		t.Errorf("FilterCORS = %+v", c.Header)
	}
	if s := r.FilterCORS([]string{"*"}, true); s.Header.Get("X-Secret") != "s" || s.Header.Get("Set-Cookie") != "" {
		t.Errorf("FilterCORS(*) = %+v", s.Header)
	}
	if s := r.FilterCORS([]string{"*"}, false); s.Header.Get("X-Secret") != "" {
		t.Errorf("FilterCORS(*) with credentials exposed %+v", s.Header)
	}
	o := r.Opaque()
	if o.Type != TypeOpaque || o.Status != 0 || len(o.Header) != 0 || o.Body != nil {
		t.Errorf("Opaque = %+v", o)
	}
	if b := r.FilterBasic(); b.Header.Get("Set-Cookie") != "" || b.Header.Get("X-Secret") != "s" {
		t.Errorf("FilterBasic = %+v", b.Header)
	}
	if r.Header.Get("Set-Cookie") == "" {
		t.Error("filters changed the original")
	}
}

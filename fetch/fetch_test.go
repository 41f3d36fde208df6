package fetch

import (
	"net/http"
	"testing"
)

func TestRequestHelpers(t *testing.T) {
	r := &Request{URL: "https://app.test/", Header: http.Header{"Accept": {"text/html"}}, Body: []byte("x"), Mode: ModeNavigate}
	if r.MethodOrGet() != "GET" || !r.IsNavigation() {
		t.Fatalf("MethodOrGet=%q IsNavigation=%v", r.MethodOrGet(), r.IsNavigation())
	}
	c := r.Clone()
	c.Header.Set("Accept", "other")
	c.Body[0] = 'y'
	if r.Header.Get("Accept") != "text/html" || string(r.Body) != "x" {
		t.Fatal("Clone shares header or body with the original")
	}
}

func TestResponseHelpers(t *testing.T) {
	tests := []struct {
		resp       *Response
		line       string
		ok, neterr bool
	}{
		{&Response{Status: 200}, "200 OK", true, false},
		{&Response{Status: 404, StatusText: "Gone Fishing"}, "404 Gone Fishing", false, false},
		{NetworkError("refused"), "0 ", false, true},
	}
	for _, tt := range tests {
		if got := tt.resp.StatusLine(); got != tt.line {
			t.Errorf("StatusLine = %q, want %q", got, tt.line)
		}
		if tt.resp.OK() != tt.ok || tt.resp.IsNetworkError() != tt.neterr {
			t.Errorf("%+v: OK=%v IsNetworkError=%v", tt.resp, tt.resp.OK(), tt.resp.IsNetworkError())
		}
	}
	var nilResp *Response
	if !nilResp.IsNetworkError() {
		t.Error("nil response is not a network error")
	}
	r := &Response{Status: 200, Header: http.Header{"A": {"1"}}, Body: []byte("b"), URLList: []string{"u"}}
	c := r.Clone()
	c.Header.Set("A", "2")
	c.Body[0] = 'z'
	c.URLList[0] = "v"
	if r.Header.Get("A") != "1" || string(r.Body) != "b" || r.URLList[0] != "u" {
		t.Error("Clone shares state with the original")
	}
}

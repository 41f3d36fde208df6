package fetch

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/swhost/swhost/weberr"
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

// closeCounter is a stream that counts its Close calls.
type closeCounter struct {
	io.Reader
	closed int
}

func (c *closeCounter) Close() error { c.closed++; return nil }

func TestResponseStream(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		limit   int64
		want    string
		errName string
	}{
		{"within the limit", "streamed", 8, "streamed", ""},
		{"no limit", "streamed", 0, "streamed", ""},
		{"over the limit", "streamed", 7, "", "QuotaExceededError"},
		{"empty", "", 1, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &closeCounter{Reader: strings.NewReader(tt.body)}
			r := &Response{Header: http.Header{}, Stream: s}
			if !r.HasBody() {
				t.Fatal("HasBody false for a stream")
			}
			err := r.ReadBody(tt.limit)
			if s.closed != 1 || r.Stream != nil {
				t.Errorf("stream closed %d times, still set %v", s.closed, r.Stream != nil)
			}
			if tt.errName != "" {
				if weberr.NameOf(err) != tt.errName || !errors.Is(err, ErrBodyTooLarge) || r.Body != nil {
					t.Errorf("err %v (%s), body %q; want %s", err, weberr.NameOf(err), r.Body, tt.errName)
				}
				return
			}
			if err != nil || string(r.Body) != tt.want || r.Body == nil {
				t.Errorf("body %q %v, want %q", r.Body, err, tt.want)
			}
		})
	}

	// Clone and the filters move the stream; Opaque closes it.
	s := &closeCounter{Reader: strings.NewReader("x")}
	r := &Response{Header: http.Header{"Set-Cookie": {"a=b"}}, Stream: s}
	b := r.FilterBasic()
	if r.Stream != nil || b.Stream != s {
		t.Error("FilterBasic did not move the stream")
	}
	o := b.Opaque()
	if s.closed != 1 || o.HasBody() || b.Stream != nil {
		t.Errorf("Opaque: closed %d, opaque has body %v", s.closed, o.HasBody())
	}
	b.CloseBody() // nothing left to close
	if s.closed != 1 {
		t.Errorf("closed %d times", s.closed)
	}
	rd, ok := (&Response{Body: []byte("buf")}).BodyReader()
	if got, _ := io.ReadAll(rd); !ok || string(got) != "buf" {
		t.Errorf("BodyReader over Body = %q %v", got, ok)
	}
	if _, ok := (&Response{}).BodyReader(); ok {
		t.Error("BodyReader of no body reports one")
	}
}

func TestRequestStream(t *testing.T) {
	s := &closeCounter{Reader: strings.NewReader("up")}
	r := &Request{URL: "https://app.test/", Stream: s}
	c := r.Clone()
	if r.Stream != nil || c.Stream != s || !c.HasBody() || r.HasBody() {
		t.Fatal("Clone did not move the stream")
	}
	if err := c.ReadBody(1); weberr.NameOf(err) != "QuotaExceededError" || s.closed != 1 {
		t.Errorf("ReadBody over the limit: %v, closed %d", err, s.closed)
	}
	r = &Request{Stream: &closeCounter{Reader: strings.NewReader("up")}}
	rd, ok := r.BodyReader()
	if got, _ := io.ReadAll(rd); !ok || string(got) != "up" || r.Stream != nil {
		t.Errorf("BodyReader = %q %v", got, ok)
	}
}

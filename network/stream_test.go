package network

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/swhost/swhost/fetch"
)

// TestTransportStreams checks which bodies are read whole and which are
// streamed, and that a streamed body arrives as it is produced.
func TestTransportStreams(t *testing.T) {
	release := make(chan struct{})
	gone := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/small", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "5")
		io.WriteString(w, "small")
	})
	mux.HandleFunc("/sized", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.Write(bytes.Repeat([]byte{'s'}, 100))
	})
	mux.HandleFunc("/live", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first;")
		w.(http.Flusher).Flush()
		select {
		case <-release:
			io.WriteString(w, "last")
		case <-r.Context().Done():
			close(gone)
		}
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(w, r.Body)
	})
	mux.HandleFunc("/temp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/echo", http.StatusTemporaryRedirect)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	tr := &Transport{Resolve: map[string]string{"https://app.test": srv.URL}, StreamBytes: 64}
	ctx := context.Background()

	tests := []struct {
		path   string
		stream bool
		body   string
	}{
		{"/small", false, "small"},
		{"/sized", true, strings.Repeat("s", 100)}, // over StreamBytes
	}
	for _, tt := range tests {
		resp, err := tr.Fetch(ctx, &fetch.Request{URL: "https://app.test" + tt.path})
		if err != nil || resp.IsNetworkError() {
			t.Fatalf("%s: %v %s", tt.path, err, resp.Error)
		}
		if (resp.Stream != nil) != tt.stream || (resp.Body != nil) == tt.stream {
			t.Errorf("%s: stream %v body %v, want stream %v", tt.path, resp.Stream != nil, resp.Body != nil, tt.stream)
		}
		if err := resp.ReadBody(0); err != nil || string(resp.Body) != tt.body {
			t.Errorf("%s: body %q %v, want %q", tt.path, resp.Body, err, tt.body)
		}
	}

	// A body of unknown length: the first chunk is read before the
	// upstream writes the last.
	resp, err := tr.Fetch(ctx, &fetch.Request{URL: "https://app.test/live"})
	if err != nil || resp.Stream == nil {
		t.Fatalf("live: %v, stream %v", err, resp.Stream != nil)
	}
	buf := make([]byte, len("first;"))
	if _, err := io.ReadFull(resp.Stream, buf); err != nil || string(buf) != "first;" {
		t.Fatalf("first chunk %q %v", buf, err)
	}
	close(release)
	rest, err := io.ReadAll(resp.Stream)
	if err != nil || string(rest) != "last" {
		t.Fatalf("rest %q %v", rest, err)
	}
	resp.CloseBody()

	// A streamed request body is sent as it is read.
	pr, pw := io.Pipe()
	go func() { io.WriteString(pw, "streamed up"); pw.Close() }()
	resp, err = tr.Fetch(ctx, &fetch.Request{Method: "POST", URL: "https://app.test/echo", Stream: pr})
	if err != nil || resp.ReadBody(0) != nil || string(resp.Body) != "streamed up" {
		t.Fatalf("echo %q %v", resp.Body, err)
	}
	// ... and a 307 that would send it again is a network error.
	resp, err = tr.Fetch(ctx, &fetch.Request{Method: "POST", URL: "https://app.test/temp", Stream: io.NopCloser(strings.NewReader("once"))})
	if err != nil || !resp.IsNetworkError() || !strings.Contains(resp.Error, "streamed request body") {
		t.Fatalf("307 with a stream: %+v %v", resp, err)
	}
}

// TestTransportStreamClose checks that closing a streamed body ends the
// exchange: the upstream sees its request's context end.
func TestTransportStreamClose(t *testing.T) {
	gone := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "chunk")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
		close(gone)
	}))
	t.Cleanup(srv.Close)
	tr := &Transport{Resolve: map[string]string{"https://app.test": srv.URL}}
	resp, err := tr.Fetch(context.Background(), &fetch.Request{URL: "https://app.test/"})
	if err != nil || resp.Stream == nil {
		t.Fatalf("%v, stream %v", err, resp.Stream != nil)
	}
	buf := make([]byte, 5)
	if _, err := io.ReadFull(resp.Stream, buf); err != nil {
		t.Fatal(err)
	}
	resp.CloseBody()
	<-gone
}

package server

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestEdgeStreamsNetworkBodies: a network body of unknown length goes
// through the edge as it is produced (the first chunk reaches the
// client before the upstream writes the next), and a client that goes
// away ends the upstream exchange.
func TestEdgeStreamsNetworkBodies(t *testing.T) {
	f := newFixture(t)
	release := make(chan struct{})
	gone := make(chan struct{})
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: first\n\n")
		w.(http.Flusher).Flush()
		switch r.URL.Path {
		case "/finite":
			<-release
			io.WriteString(w, "data: last\n\n")
		case "/endless":
			for {
				select {
				case <-r.Context().Done():
					close(gone)
					return
				default:
				}
				if _, err := io.WriteString(w, "data: more\n\n"); err != nil {
					<-r.Context().Done()
					close(gone)
					return
				}
				w.(http.Flusher).Flush()
			}
		}
	}))
	t.Cleanup(up.Close)
	f.net.Resolve["https://stream.test"] = up.URL
	edge := httptest.NewServer(f.srv.EdgeHandler("https"))
	t.Cleanup(edge.Close)

	get := func(path string) *http.Response {
		req, _ := http.NewRequest("GET", edge.URL+path, nil)
		req.Host = "stream.test"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := get("/finite")
	br := bufio.NewReader(resp.Body)
	line, err := br.ReadString('\n')
	if err != nil || line != "data: first\n" {
		t.Fatalf("first line %q %v", line, err)
	}
	if len(resp.TransferEncoding) == 0 || resp.TransferEncoding[0] != "chunked" {
		t.Errorf("transfer encoding %v, want chunked", resp.TransferEncoding)
	}
	close(release)
	rest, err := io.ReadAll(br)
	resp.Body.Close()
	if err != nil || string(rest) != "\ndata: last\n\n" {
		t.Errorf("rest %q %v", rest, err)
	}

	resp = get("/endless")
	if line, err := bufio.NewReader(resp.Body).ReadString('\n'); err != nil || line != "data: first\n" {
		t.Fatalf("endless: first line %q %v", line, err)
	}
	resp.Body.Close()
	<-gone // the client's going away reached the upstream
}

// failingReader yields one chunk, then fails.
type failingReader struct{ sent bool }

func (r *failingReader) Read(p []byte) (int, error) {
	if !r.sent {
		r.sent = true
		return copy(p, "chunk"), nil
	}
	return 0, errors.New("producer failed")
}

// brokenWriter is a client that went away.
type brokenWriter struct{ httptest.ResponseRecorder }

func (w *brokenWriter) Write([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestCopyStream(t *testing.T) {
	rec := httptest.NewRecorder()
	if err := copyStream(rec, strings.NewReader("whole")); err != nil || rec.Body.String() != "whole" || !rec.Flushed {
		t.Errorf("copy: %v %q flushed %v", err, rec.Body, rec.Flushed)
	}
	var werr *clientWriteError
	if err := copyStream(httptest.NewRecorder(), &failingReader{}); err == nil || errors.As(err, &werr) {
		t.Errorf("producer failure: %v, want a read error", err)
	}
	if err := copyStream(&brokenWriter{*httptest.NewRecorder()}, strings.NewReader("x")); !errors.As(err, &werr) {
		t.Errorf("client gone: %v, want a clientWriteError", err)
	}
}

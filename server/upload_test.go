package server

import (
	"bufio"
	"fmt"
	"github.com/swhost/swhost/internal/weburl"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// uploadSW is the worker of the upload tests: /relay sends the request
// on to the network as it arrives, /count reads it chunk by chunk, and
// /seen answers, once an upload failed in /count, with the error the
// worker's stream saw.
const uploadSW = `
let seen; const seenP = new Promise(r => seen = r);
addEventListener('fetch', e => {
  const p = new URL(e.request.url).pathname;
  if (p === '/relay') e.respondWith(fetch(e.request));
  if (p === '/count') e.respondWith((async () => {
    const rd = e.request.body.getReader();
    let n = 0;
    try {
      for (;;) { const { done, value } = await rd.read(); if (done) break; n += value.length; }
    } catch (err) { seen(err.name + ' after ' + n); return new Response('error'); }
    return new Response('counted ' + n);
  })());
  if (p === '/seen') e.respondWith(seenP.then(s => new Response(s)));
});`

// uploadFixture is a fixture with the origin https://up.test, whose
// upstream serves uploadSW and counts the bytes POSTed to /upload; its
// worker is registered and the edge listens.
type uploadFixture struct {
	*fixture
	edge      *httptest.Server
	firstByte chan struct{} // closed when /upload received its first byte
	release   chan struct{} // /stream writes its second part once closed
}

func newUploadFixture(t *testing.T) *uploadFixture {
	t.Helper()
	u := &uploadFixture{fixture: newFixture(t), firstByte: make(chan struct{}), release: make(chan struct{})}
	var once sync.Once
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/sw.js":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, uploadSW)
		case "/relay", "/upload":
			buf := make([]byte, 32<<10)
			var n int64
			for {
				k, err := r.Body.Read(buf)
				if k > 0 {
					once.Do(func() { close(u.firstByte) })
				}
				n += int64(k)
				if err == io.EOF {
					break
				}
				if err != nil {
					http.Error(w, err.Error(), http.StatusBadRequest)
					return
				}
			}
			fmt.Fprintf(w, "upstream got %d", n)
		case "/stream":
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("X-Up", "1")
			io.WriteString(w, "first;")
			w.(http.Flusher).Flush()
			<-u.release
			io.WriteString(w, "second")
		}
	}))
	t.Cleanup(up.Close)
	u.net.Resolve["https://up.test"] = up.URL
	if st := u.call(t, "POST", "/v1/registrations", `{"client":"https://up.test/","script":"/sw.js"}`, nil); st != 201 {
		t.Fatalf("register: %d", st)
	}
	u.edge = httptest.NewServer(u.srv.EdgeHandler("https"))
	t.Cleanup(u.edge.Close)
	return u
}

// post sends body to the edge for https://up.test/path, chunked.
func (u *uploadFixture) post(t *testing.T, path string, body io.Reader) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", u.edge.URL+path, body)
	req.Host = "up.test"
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("POST %s: reading the answer: %v", path, err)
	}
	return resp.StatusCode, string(b)
}

// TestEdgeStreamsUploads checks that a request body reaches the lookup
// order as it is uploaded: a worker's respondWith(fetch(e.request))
// sends it on to the upstream before the client has finished (the
// upstream sees the first bytes while the client still holds the rest);
// a worker reads it as a stream; bodies of any size, with or without a
// Content-Length, go through the network step.
func TestEdgeStreamsUploads(t *testing.T) {
	u := newUploadFixture(t)

	pr, pw := io.Pipe()
	go func() {
		pw.Write([]byte(strings.Repeat("a", 1000)))
		<-u.firstByte // the upstream has bytes before the client sent the rest
		pw.Write([]byte(strings.Repeat("b", 3<<20)))
		pw.Close()
	}()
	if st, body := u.post(t, "/relay", pr); st != 200 || body != fmt.Sprintf("upstream got %d", 1000+3<<20) {
		t.Errorf("relay: %d %q", st, body)
	}
	if st, body := u.post(t, "/count", strings.NewReader(strings.Repeat("c", 5<<20+7))); st != 200 || body != fmt.Sprintf("counted %d", 5<<20+7) {
		t.Errorf("count: %d %q", st, body)
	}
	// Past the former 16 MiB cap, with a Content-Length, to the network
	// without a worker answering (the worker does not handle /upload).
	req, _ := http.NewRequest("POST", u.edge.URL+"/upload", io.LimitReader(zeros{}, 20<<20))
	req.Host = "up.test"
	req.ContentLength = 20 << 20
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != fmt.Sprintf("upstream got %d", 20<<20) {
		t.Errorf("20 MiB upload: %d %q", resp.StatusCode, b)
	}
	// A small body with a Content-Length is read whole: still delivered.
	if st, body := u.post(t, "/count", strings.NewReader("tiny")); st != 200 || body != "counted 4" {
		t.Errorf("small body: %d %q", st, body)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestEdgeUploadAborted checks that a worker reading an upload sees an
// errored stream (a TypeError) when the client goes away before the end:
// a Content-Length body cut short, and a chunked body without its last
// chunk.
func TestEdgeUploadAborted(t *testing.T) {
	for _, tt := range []struct {
		name, head, body string
	}{
		{"truncated Content-Length", "Content-Length: 1048576\r\n", strings.Repeat("x", 70000)},
		{"chunked without its last chunk", "Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u := newUploadFixture(t)
			addr := strings.TrimPrefix(u.edge.URL, "http://")
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(c, "POST /count HTTP/1.1\r\nHost: up.test\r\n%s\r\n%s", tt.head, tt.body)
			// The worker has started reading once part of the body went
			// through; the connection is then closed mid-body.
			c.(*net.TCPConn).CloseWrite()
			go io.Copy(io.Discard, c)
			t.Cleanup(func() { c.Close() })
			req, _ := http.NewRequest("GET", u.edge.URL+"/seen", nil)
			req.Host = "up.test"
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.HasPrefix(string(b), "TypeError after ") {
				t.Errorf("the worker saw %q, want a TypeError", b)
			}
		})
	}
}

// TestAPIFetchStream checks POST /v1/fetch with "stream": true: the
// answer is the response's body as it is produced (its first part
// arrives before the upstream writes the rest), its metadata in
// X-Swhost-* fields; without it the answer is the JSON document.
func TestAPIFetchStream(t *testing.T) {
	u := newUploadFixture(t)
	req, _ := http.NewRequest("POST", u.admin.URL+"/v1/fetch", strings.NewReader(`{"client":"https://up.test/","url":"https://up.test/stream","stream":true}`))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	h := resp.Header
	if resp.StatusCode != 200 || h.Get("X-Swhost-Status") != "200" || h.Get("X-Swhost-Layer") != "network" ||
		h.Get("X-Swhost-Header-X-Up") != "1" || h.Get("X-Swhost-Header-Content-Type") != "text/plain" ||
		h.Get("Content-Type") != "application/octet-stream" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("answer %d %v", resp.StatusCode, h)
	}
	br := bufio.NewReader(resp.Body)
	first := make([]byte, len("first;"))
	if _, err := io.ReadFull(br, first); err != nil || string(first) != "first;" {
		t.Fatalf("first part %q %v", first, err)
	}
	close(u.release)
	if rest, err := io.ReadAll(br); err != nil || string(rest) != "second" {
		t.Errorf("rest %q %v", rest, err)
	}

	var out fetchResponse
	if st := u.call(t, "POST", "/v1/fetch", `{"client":"https://up.test/","url":"https://up.test/stream"}`, &out); st != 200 || out.Response.Body == nil || *out.Response.Body != "first;second" {
		t.Errorf("JSON answer: %d %+v", st, out)
	}
	// A network error: status 0, its reason, no body.
	req, _ = http.NewRequest("POST", u.admin.URL+"/v1/fetch", strings.NewReader(`{"client":"https://up.test/","url":"https://nowhere.invalid/","stream":true}`))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	resp2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp2.Body)
	resp2.Body.Close()
	if resp2.Header.Get("X-Swhost-Type") != "error" || resp2.Header.Get("X-Swhost-Error") == "" || len(b) != 0 {
		t.Errorf("network error: %v %q", resp2.Header, b)
	}
}

// FuzzToFetchRequest checks the edge's conversion of a request body: a
// body whose Content-Length is small is read whole, any other is the
// request's Stream with the same bytes, and a body shorter than its
// Content-Length fails (whole) or fails its reader (streamed), never
// passing for the whole body.
func FuzzToFetchRequest(f *testing.F) {
	upURL, err := weburl.Parse("https://app.test/up")
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("hello"), int64(5), "POST")
	f.Add([]byte("hello"), int64(-1), "PUT")
	f.Add([]byte("hello"), int64(9), "POST")
	f.Add(make([]byte, 70000), int64(70000), "POST")
	f.Add([]byte("x"), int64(1), "GET")
	f.Fuzz(func(t *testing.T, body []byte, declared int64, method string) {
		if declared < -1 || declared > 1<<20 || !isToken(method) {
			return
		}
		r := httptest.NewRequest("POST", "http://app.test/up", strings.NewReader(string(body)))
		r.Method = method
		r.ContentLength = declared
		if declared >= 0 {
			r.Body = http.MaxBytesReader(nil, io.NopCloser(&exactReader{b: body, n: declared}), declared)
		}
		req, err := toFetchRequest(r, upURL)
		if method == http.MethodGet || method == http.MethodHead || declared == 0 {
			if err != nil || req.HasBody() {
				t.Fatalf("%s with Content-Length %d: %v, body %v", method, declared, err, req.HasBody())
			}
			return
		}
		short := declared >= 0 && int64(len(body)) < declared
		want := body
		if declared >= 0 && int64(len(body)) > declared {
			want = body[:declared]
		}
		if err != nil {
			if !short {
				t.Fatalf("error %v for a whole body", err)
			}
			return
		}
		got := req.Body
		if req.Stream != nil {
			b, rerr := io.ReadAll(req.Stream)
			if short {
				if rerr == nil {
					t.Fatalf("a short streamed body read without an error (%d of %d bytes)", len(b), declared)
				}
				return
			}
			if rerr != nil {
				t.Fatalf("reading the stream: %v", rerr)
			}
			if z, ok := req.Stream.(interface{ Size() int64 }); !ok || z.Size() != declared {
				t.Errorf("the stream's size is not the Content-Length %d", declared)
			}
			got = b
		} else if short {
			t.Fatalf("a short body was read whole without an error")
		}
		if string(got) != string(want) {
			t.Fatalf("body %q, want %q", got, want)
		}
	})
}

// exactReader yields at most n bytes of b, then io.ErrUnexpectedEOF when
// b is shorter than n (a connection closed mid-body, as net/http reports
// it), else io.EOF.
type exactReader struct {
	b []byte
	n int64
}

func (r *exactReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if len(r.b) == 0 {
		return 0, io.ErrUnexpectedEOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	k := copy(p, r.b)
	r.b, r.n = r.b[k:], r.n-int64(k)
	return k, nil
}

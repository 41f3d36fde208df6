package httpcache

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/swhost/swhost/fetch"
)

// TestStreamedBodyStoredAtEnd: a streamed response is passed on as a
// stream and stored once read to its end within MaxEntryBytes; one read
// in part, or too large, is not stored.
func TestStreamedBodyStoredAtEnd(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		readAll   bool
		wantAfter Outcome
	}{
		{"read to its end", "streamed body", true, OutcomeHit},
		{"closed early", "streamed body", false, OutcomeMiss},
		{"over the entry limit", strings.Repeat("x", 5000), true, OutcomeMiss},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			u := &upstream{answer: func(req *fetch.Request) *fetch.Response {
				return &fetch.Response{Type: fetch.TypeBasic, URL: req.URL, Status: 200,
					Header: http.Header{"Cache-Control": {"max-age=3600"}, "Date": {t0.Format(http.TimeFormat)}},
					Stream: io.NopCloser(strings.NewReader(tt.body))}
			}}
			c := New(&MemoryStorage{}, Options{Now: clk.Now, MaxEntryBytes: 4096})
			resp, out, err := c.Fetch(t.Context(), &fetch.Request{URL: "https://app.test/s"}, u)
			if err != nil || out != OutcomeMiss || resp.Stream == nil {
				t.Fatalf("first fetch: %v %s stream %v", err, out, resp.Stream != nil)
			}
			if tt.readAll {
				if b, err := io.ReadAll(resp.Stream); err != nil || string(b) != tt.body {
					t.Fatalf("read %d bytes, %v", len(b), err)
				}
			}
			resp.CloseBody()
			resp, out, err = c.Fetch(t.Context(), &fetch.Request{URL: "https://app.test/s"}, u)
			if err != nil || out != tt.wantAfter {
				t.Fatalf("second fetch: %v %s, want %s", err, out, tt.wantAfter)
			}
			if out == OutcomeHit && string(resp.Body) != tt.body {
				t.Errorf("stored body %q", resp.Body)
			}
			resp.CloseBody()
		})
	}
}

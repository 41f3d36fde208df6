package server

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/swhost/swhost/weberr"
)

// FuzzDecodeStrict: decoding any bytes as a request body never panics;
// what it accepts is one valid JSON object and decodes again to the same
// request once re-encoded; what it refuses is a TypeError.
func FuzzDecodeStrict(f *testing.F) {
	for _, seed := range []string{
		`{"client":"https://a.test/","script":"/sw.js","scope":{"path":"/?*"}}`,
		`{"client":"https://a.test/","script":"/sw.js","scope":5}`,
		`{"client":"https://a.test/","url":"https://a.test/x","headers":{"a":"b"},"mode":"cors"}`,
		`{"client":"x"} garbage`, `{"a":null}`, `[]`, ``, `{`, `{"Scope":"/"}`, `{"scope":"/","scope":"/"}`,
		`{"headers":{"a":null}}`, "{\"client\":\"\\ud800\"}", `{"body":"` + strings.Repeat("x", 100) + `"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, newReq := range []func() any{func() any { return new(registerRequest) }, func() any { return new(fetchRequest) }} {
			v := newReq()
			err := decodeStrict(data, v)
			if err != nil {
				if weberr.NameOf(err) != weberr.TypeError {
					t.Fatalf("%q: %v is not a TypeError", data, err)
				}
				continue
			}
			if !json.Valid(data) || !strings.HasPrefix(strings.TrimSpace(string(data)), "{") {
				t.Fatalf("%q accepted but not one JSON object", data)
			}
			again, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			w := newReq()
			if err := decodeStrict(again, w); err != nil {
				t.Fatalf("%q decoded to %+v; re-encoded %s is refused: %v", data, v, again, err)
			}
			if twice, _ := json.Marshal(w); string(twice) != string(again) {
				t.Fatalf("%q decoded to %s, then to %s", data, again, twice)
			}
		}
	})
}

// TestViewType: which stored types the entry view serves how.
func TestViewType(t *testing.T) {
	tests := []struct {
		stored, want string
		inline       bool
	}{
		{"text/html", "application/octet-stream", false},
		{"TEXT/HTML; charset=utf-8", "application/octet-stream", false},
		{"image/svg+xml", "application/octet-stream", false},
		{"application/xhtml+xml", "application/octet-stream", false},
		{"text/xml", "application/octet-stream", false},
		{"application/pdf", "application/octet-stream", false},
		{"", "application/octet-stream", false},
		{"nonsense", "application/octet-stream", false},
		{"text/plain", "text/plain; charset=utf-8", true},
		{"text/plain; charset=ISO-8859-1", "text/plain; charset=iso-8859-1", true},
		{"text/plain; charset=utf-7", "text/plain; charset=utf-8", true},
		{"application/json", "text/plain; charset=utf-8", true},
		{"application/manifest+json", "text/plain; charset=utf-8", true},
		{"text/javascript", "text/plain; charset=utf-8", true},
		{"text/css", "text/plain; charset=utf-8", true},
		{"image/png", "image/png", true},
		{"image/JPEG", "image/jpeg", true},
		{"image/webp", "image/webp", true},
	}
	for _, tt := range tests {
		if got, inline := viewType(tt.stored); got != tt.want || inline != tt.inline {
			t.Errorf("viewType(%q) = %q, %v; want %q, %v", tt.stored, got, inline, tt.want, tt.inline)
		}
	}
}

// TestStoredHeadersJSON: the stored fields as ASCII JSON.
func TestStoredHeadersJSON(t *testing.T) {
	got := storedHeadersJSON(map[string][]string{"X-Name": {"café 😀", "<b>"}})
	want := `{"x-name":["caf\u00e9 \ud83d\ude00","\u003cb\u003e"]}`
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	var back map[string][]string
	if err := json.Unmarshal([]byte(got), &back); err != nil || back["x-name"][0] != "café 😀" {
		t.Errorf("does not decode back: %v %v", back, err)
	}
}

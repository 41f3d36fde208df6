package httpcache

import (
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
)

func FuzzParseDirectives(f *testing.F) {
	for _, s := range []string{
		"max-age=60", `max-age="60"`, "public; max-age=60", "max-age =5", "no-store, max-age=abc",
		`no-cache="Set-Cookie, X", max-age=3`, `private="a\"b", must-revalidate`, `no-store="open`,
		"max-stale, min-fresh=10, only-if-cached", "MAX-AGE=99999999999999999999", ",,, ,", "\x00\xff",
	} {
		f.Add(s, "")
	}
	f.Add("max-age=1", "max-age=2")
	f.Fuzz(func(t *testing.T, a, b string) {
		lines := []string{a, b}
		d := parseDirectives(lines)
		// Canonical form parses back to itself.
		s := d.String()
		if again := parseDirectives([]string{s}); again != d {
			t.Fatalf("parse(%q) = %+v; its form %q parses to %+v", lines, d, s, again)
		}
		// Every directive found is named in the input.
		in := strings.ToLower(a + "\n" + b)
		for name := range strings.SplitSeq(s, ", ") {
			name, _, _ = strings.Cut(name, "=")
			if name != "" && !strings.Contains(in, name) {
				t.Fatalf("parse(%q) found %q", lines, name)
			}
		}
		// Empty field lines and empty list members change nothing.
		if padded := parseDirectives([]string{"", a, " , ", b, ","}); padded != d {
			t.Fatalf("padding changed %q: %+v vs %+v", lines, padded, d)
		}
	})
}

// sameEntry compares the stored parts of two entries.
func sameEntry(a, b *entry) bool {
	ra, rb := a.resp, b.resp
	return a.requestTime.Equal(b.requestTime) && a.responseTime.Equal(b.responseTime) &&
		ra.Status == rb.Status && ra.StatusText == rb.StatusText && ra.Type == rb.Type && ra.URL == rb.URL &&
		ra.Redirected == rb.Redirected && slices.Equal(ra.URLList, rb.URLList) &&
		maps.EqualFunc(ra.Header, rb.Header, slices.Equal) && string(ra.Body) == string(rb.Body) &&
		reflect.DeepEqual(a.vary, b.vary)
}

func FuzzEntryDecode(f *testing.F) {
	f.Add(appendEntry(nil, sampleEntry(64)))
	f.Add(appendEntry(nil, &entry{resp: &fetch.Response{Header: http.Header{}}}))
	f.Add([]byte("HC\x01"))
	f.Add([]byte("HC\x01\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decodeEntry(b)
		if err != nil {
			return
		}
		again, err := decodeEntry(appendEntry(nil, e))
		if err != nil {
			t.Fatalf("re-encoded entry does not decode: %v", err)
		}
		if !sameEntry(e, again) {
			t.Fatalf("round trip changed the entry: %+v vs %+v", e.resp, again.resp)
		}
	})
}

func FuzzEntryRoundTrip(f *testing.F) {
	f.Add(int64(1), int64(2), 200, "OK", "https://a.test/x", "Etag", `"x"`, "body", "Accept", true)
	f.Add(int64(-1), int64(1<<62), 999, "", "", "", "", "", "", false)
	f.Fuzz(func(t *testing.T, reqNs, respNs int64, status int, text, url, hname, hval, body, vname string, present bool) {
		status = min(max(status, 0), 999)
		e := &entry{
			requestTime:  time.Unix(0, reqNs).UTC(),
			responseTime: time.Unix(0, respNs).UTC(),
			resp: &fetch.Response{Type: fetch.TypeBasic, Status: status, StatusText: text, URL: url, URLList: []string{url},
				Header: http.Header{hname: {hval, hval + "2"}}, Body: []byte(body)},
			vary: []varyValue{{name: vname, value: hval, present: present}},
		}
		if body == "" {
			e.resp.Body = nil
		}
		got, err := decodeEntry(appendEntry([]byte("prefix"), e)[len("prefix"):])
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		if !sameEntry(e, got) {
			t.Fatalf("round trip: %+v vs %+v", e.resp, got.resp)
		}
	})
}

func sampleEntry(bodyLen int) *entry {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	return &entry{
		requestTime:  now,
		responseTime: now.Add(30 * time.Millisecond),
		resp: &fetch.Response{
			Type: fetch.TypeBasic, URL: "https://fonts.test/roboto/v30/regular.woff2",
			URLList: []string{"https://fonts.test/roboto/v30/regular.woff2"}, Status: 200, StatusText: "OK",
			Header: http.Header{
				"Cache-Control":               {"public, max-age=31536000"},
				"Content-Type":                {"font/woff2"},
				"Content-Length":              {"4096"},
				"Date":                        {"Sun, 22 Nov 2026 10:00:00 GMT"},
				"Last-Modified":               {"Mon, 02 Nov 2026 08:00:00 GMT"},
				"Etag":                        {`"5f2b-4096"`},
				"Access-Control-Allow-Origin": {"*"},
				"Vary":                        {"Accept-Encoding"},
				"Server":                      {"fonts"},
				"X-Content-Type-Options":      {"nosniff"},
			},
			Body: make([]byte, bodyLen),
		},
		vary: []varyValue{{name: "Accept-Encoding", value: "gzip, br", present: true}},
	}
}

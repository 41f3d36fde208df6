package httpcache

import (
	"flag"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
)

var update = flag.Bool("update", false, "rewrite testdata/entry_v1.bin")

// goldenEntry has one field per map so that its encoding is deterministic.
func goldenEntry() *entry {
	return &entry{
		requestTime:  time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC),
		responseTime: time.Date(2026, 11, 22, 10, 0, 0, 250_000_000, time.UTC),
		resp: &fetch.Response{
			Type: fetch.TypeBasic, URL: "https://fonts.test/a.woff2", URLList: []string{"https://fonts.test/a.woff2"},
			Status: 200, StatusText: "OK",
			Header: http.Header{"Cache-Control": {"max-age=60", "public"}},
			Body:   []byte("woff2"),
		},
		vary: []varyValue{{name: "Accept-Encoding", value: "gzip,br", present: true}, {name: "Accept", present: false}},
	}
}

// TestEntryGolden pins the stored format: entries written by earlier
// builds must still decode. A format change needs a new version byte.
func TestEntryGolden(t *testing.T) {
	const path = "testdata/entry_v1.bin"
	if *update {
		if err := os.WriteFile(path, appendEntry(nil, goldenEntry()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := appendEntry(nil, goldenEntry()); string(got) != string(b) {
		t.Errorf("encoding changed:\n got %q\nwant %q", got, b)
	}
	e, err := decodeEntry(b)
	if err != nil {
		t.Fatal(err)
	}
	if !sameEntry(e, goldenEntry()) {
		t.Errorf("decoded %+v %+v", e.resp, e.vary)
	}
	for _, bad := range [][]byte{nil, []byte("XX\x01"), {'H', 'C', 2}, b[:len(b)-6], append(append([]byte{}, b[:10]...), 0xff)} {
		if _, err := decodeEntry(bad); err == nil {
			t.Errorf("decodeEntry(%q) succeeded", bad)
		}
	}
}

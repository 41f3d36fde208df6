package store

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/swhost/swhost/fetch"
)

// TestDecodeMemoCopies: a memoized decoding hands each caller a copy:
// changing one decoded request's or response's headers or URL list does
// not change what the next decoding of the same text returns.
func TestDecodeMemoCopies(t *testing.T) {
	rj, rb, err := encodeRequest(&fetch.Request{Method: "GET", URL: "https://app.test/a", Header: http.Header{"Accept": {"*/*"}}})
	if err != nil {
		t.Fatal(err)
	}
	sj, sb, err := encodeResponse(&fetch.Response{Status: 200, URL: "https://app.test/a", URLList: []string{"https://app.test/a"}, Header: http.Header{"Vary": {"Accept"}}, Body: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		req, err := decodeRequest(rj, rb)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := decodeResponse(sj, sb)
		if err != nil {
			t.Fatal(err)
		}
		if got := req.Header.Get("Accept"); got != "*/*" {
			t.Fatalf("round %d: request Accept %q", round, got)
		}
		if got := resp.Header.Get("Vary"); got != "Accept" || len(resp.URLList) != 1 || resp.URLList[0] != "https://app.test/a" || string(resp.Body) != "x" {
			t.Fatalf("round %d: response %+v", round, resp)
		}
		req.Header.Set("Accept", "changed")
		req.Header.Add("X-New", "1")
		resp.Header.Set("Vary", "changed")
		resp.URLList[0] = "changed"
	}
}

// TestMetaMemoBounded: the memo keeps at most two generations of texts,
// and a text read from the old generation moves to the current one.
func TestMetaMemoBounded(t *testing.T) {
	var m metaMemo[int]
	for i := range 3 * memoSize {
		v := i
		m.add(fmt.Sprint(i), &v)
	}
	if n := len(m.cur) + len(m.old); n > 2*memoSize {
		t.Fatalf("%d texts kept, want at most %d", n, 2*memoSize)
	}
	if _, ok := m.get("0"); ok {
		t.Error("the oldest text is still kept")
	}
	last := fmt.Sprint(3*memoSize - 1)
	if v, ok := m.get(last); !ok || *v != 3*memoSize-1 {
		t.Errorf("the newest text: %v %v", v, ok)
	}
	old := fmt.Sprint(memoSize) // in the old generation
	if _, ok := m.get(old); !ok {
		t.Fatal("a text of the old generation is not found")
	}
	if _, ok := m.cur[old]; !ok {
		t.Error("a text read from the old generation did not move to the current one")
	}
	m.add(string(make([]byte, memoMaxText+1)), new(int))
	if _, ok := m.get(string(make([]byte, memoMaxText+1))); ok {
		t.Error("a text over memoMaxText was kept")
	}
}

package hopbyhop

import (
	"net/http"
	"slices"
	"testing"
)

func TestRemove(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
		want   []string // field names left, sorted
	}{
		{"the fixed fields", http.Header{"Keep-Alive": {"timeout=5"}, "Te": {"trailers"}, "Upgrade": {"h2c"}, "Proxy-Authorization": {"x"}, "Accept": {"*/*"}}, []string{"Accept"}},
		{"fields Connection names", http.Header{"Connection": {"X-Secret, x-other"}, "X-Secret": {"1"}, "X-Other": {"2"}, "Accept": {"*/*"}}, []string{"Accept"}},
		{"several Connection lines, whitespace and empty elements", http.Header{"Connection": {" ,\tX-A ,", "close, X-B"}, "X-A": {"1"}, "X-B": {"2"}, "X-C": {"3"}}, []string{"X-C"}},
		{"Connection: close names no field", http.Header{"Connection": {"close"}, "Close": {"x"}, "Date": {"d"}}, []string{"Date"}},
		{"nothing hop-by-hop", http.Header{"Content-Type": {"text/plain"}, "Cache-Control": {"no-store"}}, []string{"Cache-Control", "Content-Type"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.header.Clone()
			isBefore := map[string]bool{}
			for name := range h {
				isBefore[name] = Is(h, name)
			}
			Remove(h)
			var got []string
			for name := range h {
				got = append(got, name)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("left %v, want %v", got, tc.want)
			}
			for name, is := range isBefore {
				if left := h[name] != nil; is == left {
					t.Errorf("Is(%q) = %v, but Remove left it: %v", name, is, left)
				}
			}
		})
	}
}

package worker

import (
	"strings"
	"testing"
)

func TestDispositionParam(t *testing.T) {
	tests := []struct {
		header, key, want string
		ok                bool
	}{
		{`form-data; name="a"`, "name", "a", true},
		{`form-data; name="a"; filename="f.txt"`, "filename", "f.txt", true},
		{`form-data; filename="f.txt"; name="a"`, "name", "a", true},
		{`form-data; filename="x"`, "name", "", false},
		{`Form-Data;name="%22q%22%0A"`, "name", "\"q\"\n", true},
		{`attachment; name="a"`, "name", "", false},
		{`form-data; name="unterminated`, "name", "", false},
		{`form-data; xname="a"`, "name", "", false},
	}
	for _, tt := range tests {
		got, ok := dispositionParam(tt.header, tt.key)
		if got != tt.want || ok != tt.ok {
			t.Errorf("dispositionParam(%q, %q) = %q, %v; want %q, %v", tt.header, tt.key, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzDispositionParam checks the escaping of names in multipart bodies
// against their parsing: what the encoder escapes, the parser reads back
// (for names without '%', which the HTML standard leaves unescaped and
// ambiguous), and no header makes the parser fail otherwise than by
// returning false.
func FuzzDispositionParam(f *testing.F) {
	f.Add("plain", `form-data; name="x"`)
	f.Add("quote\"and\nlines\r", `form-data; filename="a"; name="b"`)
	f.Fuzz(func(t *testing.T, name, header string) {
		_, _ = dispositionParam(header, "name")
		_, _ = dispositionParam(header, "filename")
		if strings.Contains(name, "%") {
			return
		}
		h := `form-data; name="` + escapeFormName(name) + `"; filename="` + escapeFormName(name+"!") + `"`
		if got, ok := dispositionParam(h, "name"); !ok || got != name {
			t.Errorf("name %q came back as %q, %v", name, got, ok)
		}
		if got, ok := dispositionParam(h, "filename"); !ok || got != name+"!" {
			t.Errorf("filename %q came back as %q, %v", name+"!", got, ok)
		}
	})
}

package fetch

import "testing"

func TestNormalizeMethod(t *testing.T) {
	for in, want := range map[string]string{
		"get": "GET", "Post": "POST", "dElEtE": "DELETE", "options": "OPTIONS", "head": "HEAD", "put": "PUT",
		"patch": "patch", "PATCH": "PATCH", "custom": "custom",
		"ge\u017f": "ge\u017f", // not ASCII: left as it is, not folded
	} {
		if got := NormalizeMethod(in); got != want {
			t.Errorf("NormalizeMethod(%q) = %q; want %q", in, got, want)
		}
	}
}

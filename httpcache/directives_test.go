package httpcache

import (
	"testing"
)

func TestParseDirectives(t *testing.T) {
	tests := []struct {
		lines []string
		want  string // directives.String()
	}{
		{nil, ""},
		{[]string{""}, ""},
		{[]string{"max-age=60"}, "max-age=60"},
		{[]string{"Max-Age=60"}, "max-age=60"},
		{[]string{`max-age="60"`}, "max-age=60"},
		{[]string{`max-age="6\0"`}, "max-age=60"},
		{[]string{"max-age=060"}, "max-age=60"},
		{[]string{"max-age="}, ""},
		{[]string{"max-age"}, "max-age=invalid"},
		{[]string{"max-age=6O"}, "max-age=invalid"},
		{[]string{"max-age=-1"}, "max-age=invalid"},
		{[]string{"max-age=1.5"}, "max-age=invalid"},
		{[]string{"max-age=1, max-age=2"}, "max-age=invalid"},
		{[]string{"max-age=1", "max-age=2"}, "max-age=invalid"},
		{[]string{"max-age=1, max-age=2, max-age=3"}, "max-age=invalid"},
		{[]string{"max-age=99999999999999999999"}, "max-age=2147483648"},
		{[]string{"max-age=2147483647"}, "max-age=2147483647"},
		{[]string{"max-age =60"}, ""},
		{[]string{"max-age= 60"}, ""},
		{[]string{"max-age='60'"}, "max-age=invalid"},
		{[]string{"public; max-age=60"}, ""},
		{[]string{"public; max-age=60, no-store"}, "no-store"},
		{[]string{"  no-store  ,  , no-cache ,"}, "no-cache, no-store"},
		{[]string{"no-cache=\"Set-Cookie, X-Foo\", max-age=5"}, "max-age=5, no-cache"},
		{[]string{"no-cache=Set-Cookie"}, "no-cache"},
		{[]string{"private=\"a\\\"b, c\", must-revalidate"}, "must-revalidate, private"},
		{[]string{"no-store=\"unterminated, max-age=5"}, ""},
		{[]string{"max-age=5, no-store=\"unterminated, private"}, "max-age=5"},
		{[]string{"s-maxage=10, proxy-revalidate, public"}, "s-maxage=10, proxy-revalidate, public"},
		{[]string{"max-stale"}, "max-stale"},
		{[]string{"max-stale=30, min-fresh=5"}, "max-stale=30, min-fresh=5"},
		{[]string{"max-stale=x"}, "max-stale=invalid"},
		{[]string{"only-if-cached, no-transform, immutable, must-understand"}, "only-if-cached, must-understand, no-transform, immutable"},
		{[]string{"x-unknown=1, ,, community=\"UCI\", private"}, "private"},
		{[]string{"é, no-store"}, "no-store"},
		{[]string{"no-store\x00"}, ""},
	}
	for _, tt := range tests {
		got := parseDirectives(tt.lines).String()
		if got != tt.want {
			t.Errorf("parseDirectives(%q) = %q, want %q", tt.lines, got, tt.want)
		}
	}
}

func TestParseDirectivesAllocs(t *testing.T) {
	lines := []string{`public, max-age=3600, no-cache="Set-Cookie", stale-while-revalidate=60`}
	if n := testing.AllocsPerRun(100, func() { parseDirectives(lines) }); n != 0 {
		t.Errorf("parseDirectives allocates %.0f times, want 0", n)
	}
}

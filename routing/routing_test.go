package routing

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/swhost/swhost/urlpattern"
	"github.com/swhost/swhost/weberr"
)

const scriptURL = "https://app.test/sw.js"

// rules builds addRoutes' argument from JSON, as the bootstrap hands it
// over (maps, lists, strings).
func rules(t testing.TB, js string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestParseRejects(t *testing.T) {
	tests := []struct{ name, js string }{
		{"no condition", `[{"source": "network"}]`},
		{"no source", `[{"condition": {"requestMethod": "GET"}}]`},
		{"empty condition", `[{"condition": {}, "source": "network"}]`},
		{"bad source", `[{"condition": {"requestMethod": "GET"}, "source": "nowhere"}]`},
		{"regexp group", `[{"condition": {"urlPattern": "/a/(\\d+)"}, "source": "network"}]`},
		{"bad pattern", `[{"condition": {"urlPattern": "/a/(("}, "source": "network"}]`},
		{"forbidden method", `[{"condition": {"requestMethod": "CONNECT"}, "source": "network"}]`},
		{"not a method", `[{"condition": {"requestMethod": "GE T"}, "source": "network"}]`},
		{"bad mode", `[{"condition": {"requestMode": "sideways"}, "source": "network"}]`},
		{"bad destination", `[{"condition": {"requestDestination": "fridge"}, "source": "network"}]`},
		{"bad running status", `[{"condition": {"runningStatus": "idle"}, "source": "network"}]`},
		{"or with others", `[{"condition": {"requestMethod": "GET", "or": [{"requestMode": "cors"}]}, "source": "network"}]`},
		{"not with others", `[{"condition": {"requestMethod": "GET", "not": {"requestMode": "cors"}}, "source": "network"}]`},
		{"not inside or with others", `[{"condition": {"or": [{"requestMode": "cors", "not": {"requestMethod": "GET"}}]}, "source": "network"}]`},
		{"bad nested", `[{"condition": {"not": {"requestMode": "bad"}}, "source": "network"}]`},
		{"init with regexp", `[{"condition": {"urlPattern": {"pathname": "/(a|b)"}}, "source": "network"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(rules(t, tt.js), scriptURL)
			if weberr.NameOf(err) != weberr.TypeError {
				t.Errorf("Parse = %v; want a TypeError", err)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	rs, err := Parse(rules(t, `[
		{"condition": {"urlPattern": "/api/*", "requestMethod": "post"}, "source": "network"},
		{"condition": {"urlPattern": {"pathname": "/static/*"}}, "source": {"cacheName": "static-v1"}},
		{"condition": {"or": [{"requestMode": "navigate"}, {"requestDestination": "document"}]}, "source": "race-network-and-fetch-handler"},
		{"condition": {"not": {"runningStatus": "running"}}, "source": "cache"},
		{"condition": {"requestMethod": "GET"}, "source": "fetch-event"}
	]`), scriptURL)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		req     Request
		running bool
		index   int
		source  string
	}{
		{"method and pattern", Request{URL: "https://app.test/api/x", Method: "POST", Mode: "cors"}, true, 0, "network"},
		{"method normalized", Request{URL: "https://app.test/api/x", Method: "GET", Mode: "cors"}, true, 4, "fetch-event"},
		{"other origin does not match the relative pattern", Request{URL: "https://cdn.test/api/x", Method: "POST", Mode: "cors"}, true, -1, ""},
		{"init inherits the script URL's origin", Request{URL: "https://app.test/static/a.css", Method: "GET", Mode: "no-cors"}, true, 1, `cache "static-v1"`},
		{"or", Request{URL: "https://app.test/page", Method: "GET", Mode: "navigate"}, true, 2, "race-network-and-fetch-handler"},
		{"not running", Request{URL: "https://app.test/x", Method: "PUT", Mode: "cors"}, false, 3, "cache"},
		{"running: no rule", Request{URL: "https://app.test/x", Method: "PUT", Mode: "cors"}, true, -1, ""},
	}
	for _, tt := range tests {
		i, src, ok := rs.Match(tt.req, tt.running)
		if i != tt.index || ok != (tt.index >= 0) || (ok && src.String() != tt.source) {
			t.Errorf("%s: Match = %d %v %v; want %d %s", tt.name, i, src, ok, tt.index, tt.source)
		}
	}
}

func TestEmptyOrMatchesNothing(t *testing.T) {
	rs, err := Parse(rules(t, `[{"condition": {"or": []}, "source": "network"}]`), scriptURL)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := rs.Match(Request{URL: "https://app.test/", Method: "GET"}, true); ok {
		t.Error("an empty or matched")
	}
}

func TestURLPatternObject(t *testing.T) {
	p, err := urlpattern.New("https://*.test/img/*", urlpattern.Options{IgnoreCase: true})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := Parse([]any{map[string]any{"condition": map[string]any{"urlPattern": p}, "source": "network"}}, scriptURL)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := rs.Match(Request{URL: "https://cdn.test/IMG/a.png"}, false); !ok {
		t.Error("a URLPattern object condition did not match")
	}
}

func TestCheckLimit(t *testing.T) {
	nest := func(depth int) string {
		return strings.Repeat(`{"not": `, depth) + `{"requestMethod": "GET"}` + strings.Repeat("}", depth)
	}
	parse := func(js string) Rules {
		rs, err := Parse(rules(t, js), scriptURL)
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}
	// Depth: a condition nested 9 times (10 levels) is within the limit,
	// 10 times is not.
	if !CheckLimit(parse(`[{"condition": ` + nest(9) + `, "source": "network"}]`)) {
		t.Error("9 nested conditions refused")
	}
	if CheckLimit(parse(`[{"condition": ` + nest(10) + `, "source": "network"}]`)) {
		t.Error("10 nested conditions accepted")
	}
	// Count: 1023 conditions across rules are within the limit, 1024 are
	// not (the count reaching zero is the quota).
	many := func(n int) Rules {
		var b strings.Builder
		b.WriteString("[")
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`{"condition": {"requestMethod": "GET"}, "source": "network"}`)
		}
		b.WriteString("]")
		return parse(b.String())
	}
	if !CheckLimit(many(1023)) {
		t.Error("1023 conditions refused")
	}
	if CheckLimit(many(1024)) {
		t.Error("1024 conditions accepted")
	}
}

func TestRulesJSONRoundTrip(t *testing.T) {
	rs, err := Parse(rules(t, `[
		{"condition": {"urlPattern": {"pathname": "/static/*"}}, "source": {"cacheName": "v1"}},
		{"condition": {"or": [{"requestMode": "navigate"}, {"not": {"requestDestination": ""}}]}, "source": "network"}
	]`), scriptURL)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rs)
	if err != nil {
		t.Fatal(err)
	}
	var back Rules
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for _, req := range []Request{
		{URL: "https://app.test/static/x.js", Mode: "no-cors", Destination: "script"},
		{URL: "https://app.test/p", Mode: "navigate", Destination: "document"},
		{URL: "https://app.test/q", Mode: "cors", Destination: ""},
		{URL: "https://other.test/static/x.js", Mode: "cors", Destination: "image"},
	} {
		i1, s1, ok1 := rs.Match(req, false)
		i2, s2, ok2 := back.Match(req, false)
		if i1 != i2 || s1 != s2 || ok1 != ok2 {
			t.Errorf("%+v: before %d %v %v, after %d %v %v", req, i1, s1, ok1, i2, s2, ok2)
		}
	}
}

// FuzzParse feeds addRoutes arbitrary JSON: Parse returns rules or a
// TypeError, never panics, and the rules it returns survive a JSON round
// trip.
func FuzzParse(f *testing.F) {
	f.Add(`[{"condition": {"urlPattern": "/a/*"}, "source": "network"}]`)
	f.Add(`[{"condition": {"or": [{"not": {"runningStatus": "running"}}]}, "source": {"cacheName": "x"}}]`)
	f.Fuzz(func(t *testing.T, js string) {
		var v any
		if json.Unmarshal([]byte(js), &v) != nil {
			return
		}
		rs, err := Parse(v, scriptURL)
		if err != nil {
			if weberr.NameOf(err) != weberr.TypeError {
				t.Fatalf("Parse error %v is not a TypeError", err)
			}
			return
		}
		_ = CheckLimit(rs)
		b, err := json.Marshal(rs)
		if err != nil {
			t.Fatal(err)
		}
		var back Rules
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("rules %s do not read back: %v", b, err)
		}
	})
}

func BenchmarkMatch(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("[")
	for i := range 1023 {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(`{"condition": {"urlPattern": "/p` + strings.Repeat("x", i%7) + `/*", "requestMethod": "POST"}, "source": "network"}`)
	}
	sb.WriteString("]")
	rs, err := Parse(rules(b, sb.String()), scriptURL)
	if err != nil {
		b.Fatal(err)
	}
	req := Request{URL: "https://app.test/none/x", Method: "GET", Mode: "cors"}
	b.Run("1023-conditions-no-match", func(b *testing.B) {
		for b.Loop() {
			if _, _, ok := rs.Match(req, true); ok {
				b.Fatal("matched")
			}
		}
	})
}

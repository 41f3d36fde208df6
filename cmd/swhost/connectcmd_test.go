package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/swhost/swhost/internal/structuredclone"
)

// connectFixture registers the seed's echo worker (and a picky one) in a
// fresh data directory and returns the flags that reach it.
func connectFixture(t *testing.T) []string {
	t.Helper()
	scripts := map[string]string{
		"/serviceworker.js": `this.addEventListener('crossoriginconnect', function(event) {
  event.acceptConnection(event.client.targetUrl === 'https://example.com/services/echo');
});
this.addEventListener('crossoriginmessage', function(event) {
  event.source.postMessage(event.data, event.ports);
});`,
		"/opts/sw.js": `let options = null;
self.addEventListener('crossoriginconnect', e => { options = e.client.options; e.acceptConnection(true); });
self.addEventListener('crossoriginmessage', e => { e.source.postMessage({options, origin: e.source.origin}); e.source.postMessage('second'); });`,
		"/ports/sw.js": `self.addEventListener('crossoriginconnect', e => e.acceptConnection(true));
self.addEventListener('crossoriginmessage', e => { const ch = new MessageChannel(); e.source.postMessage('with a port', [ch.port1]); });`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		src, ok := scripts[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/javascript")
		w.Write([]byte(src))
	}))
	t.Cleanup(srv.Close)
	flags := []string{"--data", t.TempDir(), "--resolve", "https://example.com=" + srv.URL}
	for _, reg := range [][]string{{"/serviceworker.js"}, {"--scope", "/opts/", "/opts/sw.js"}, {"--scope", "/ports/", "/ports/sw.js"}} {
		args := append(append([]string{"register"}, flags...), append([]string{"--client", "https://example.com/"}, reg...)...)
		if code, _, errs := runCLI(t, "", args...); code != 0 {
			t.Fatalf("register %v: %d %s", reg, code, errs)
		}
	}
	return flags
}

func TestConnectCommand(t *testing.T) {
	flags := connectFixture(t)
	tests := []struct {
		name       string
		stdin      string
		args       []string
		wantCode   int
		wantStdout string // exact
		wantStderr string // substring
	}{
		{"echo strings and JSON", "hello\n{\"a\":[1,2]}\n42\nnot json {\n", []string{"--client", "http://example.com/webapp.js", "https://example.com/services/echo"},
			0, "\"hello\"\n{\"a\":[1,2]}\n42\n\"not json {\"\n", ""},
		{"JSON members keep their order", `{"b":1,"a":[2,{"d":3,"c":4}],"1":"index first"}` + "\n", []string{"--client", "http://example.com/", "https://example.com/services/echo"},
			0, `{"1":"index first","b":1,"a":[2,{"d":3,"c":4}]}` + "\n", ""},
		{"no input", "", []string{"--client", "http://example.com/", "https://example.com/services/echo"}, 0, "", ""},
		{"count", "a\nb\nc\n", []string{"--count", "2", "--client", "http://example.com/", "https://example.com/services/echo"}, 0, "\"a\"\n\"b\"\n", ""},
		{"rejected", "x\n", []string{"--client", "http://example.com/", "https://example.com/services/other"}, 2, "",
			"swhost: AbortError: no service accepted the connection to https://example.com/services/other"},
		{"no service", "x\n", []string{"--client", "http://example.com/", "https://nothing.test/"}, 2, "",
			"swhost: AbortError: no service accepted the connection to https://nothing.test/"},
		{"options and origin", "x\n", []string{"--count", "2", "--options", `{"name":"chat","data":{"n":1}}`, "--client", "https://app.test/p", "https://example.com/opts/x"},
			0, "{\"options\":{\"name\":\"chat\",\"data\":{\"n\":1}},\"origin\":\"https://app.test\"}\n\"second\"\n", ""},
		{"more replies than messages", "x\n", []string{"--client", "https://app.test/p", "https://example.com/opts/x"},
			0, "{\"options\":null,\"origin\":\"https://app.test\"}\n\"second\"\n", ""},
		{"a transferred port is closed", "x\n", []string{"--count", "1", "--client", "https://app.test/p", "https://example.com/ports/x"},
			0, "\"with a port\"\n", "swhost: message 1: closed 1 transferred port(s)"},
		{"count not reached", "", []string{"--count", "1", "--timeout", "300ms", "--client", "http://example.com/", "https://example.com/services/echo"}, 1, "", "TimeoutError"},
		{"bad options", "", []string{"--options", "{", "--client", "http://example.com/", "https://example.com/services/echo"}, 2, "", "swhost: TypeError: --options is not valid JSON"},
		{"missing client", "", []string{"https://example.com/services/echo"}, 2, "", "usage: swhost connect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"connect"}, flags...), tt.args...)
			code, out, errs := runCLI(t, tt.stdin, args...)
			if code != tt.wantCode || out != tt.wantStdout || !strings.Contains(errs, tt.wantStderr) {
				t.Errorf("swhost %v\n= %d, stdout %q, stderr %q\nwant %d, %q, %q", tt.args, code, out, errs, tt.wantCode, tt.wantStdout, tt.wantStderr)
			}
		})
	}
}

// FuzzParseLine: any line becomes a message without panicking, and a JSON
// line becomes a message whose value is the line's (as JSON.parse reads
// it: the last of duplicate keys wins).
func FuzzParseLine(f *testing.F) {
	for _, s := range []string{"hello", `{"a":1}`, `{"b":1,"a":2,"b":3}`, "42", "[1,", `"x"`, "null", "\xff", "-0", `{"2":0,"1":0}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		v := parseLine(line)
		if !json.Valid([]byte(line)) {
			if v != line {
				t.Fatalf("non-JSON line %q became %#v", line, v)
			}
			return
		}
		rec, err := structuredclone.FromGo(v)
		if err != nil {
			return // too deep for a message: refused, not mangled
		}
		got, err := json.Marshal(rec)
		if err != nil {
			t.Fatalf("JSON line %q: the message does not marshal: %v", line, err)
		}
		var a, b any
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatalf("JSON line %q became %s: %v", line, got, err)
		}
		_ = json.Unmarshal([]byte(line), &b)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("JSON line %q became %s", line, got)
		}
	})
}

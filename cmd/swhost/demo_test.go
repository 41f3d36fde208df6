package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/swhost/swhost/internal/lockedbuf"
)

// TestDemo runs "swhost demo" in process: it prints the devtools and demo
// page URLs, the demo's four registrations are there (the fonts one by
// its Link header), the demo page is served, and cancelling (SIGINT in
// main) ends it with status 0.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb lockedbuf.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}, []string{"demo", "--listen", "127.0.0.1:0"})
	}()
	re := regexp.MustCompile(`demo page: (http://127\.0\.0\.1:\d+/)demo\?token=(\S+)\n`)
	var admin, token string
	for deadline := time.Now().Add(30 * time.Second); admin == ""; time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			admin, token = m[1], m[2]
		}
		select {
		case code := <-done:
			t.Fatalf("demo exited %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no demo page URL\nstdout:\n%s\nstderr:\n%s", out.String(), errb.String())
		}
	}
	if !strings.Contains(out.String(), "devtools:  "+admin+"?token="+token+"\n") {
		t.Errorf("no devtools URL in\n%s", out.String())
	}

	get := func(path string) (int, string) {
		req, _ := http.NewRequest("GET", admin+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	want := []string{"https://app.test/sw.js", "https://app.test/maps/maps-sw.js", "https://echo.test/serviceworker.js", "https://fonts.test/sw.js"}
	var scripts []string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		_, body := get("v1/registrations")
		var regs []struct {
			Versions []struct {
				ScriptURL string `json:"scriptURL"`
				State     string `json:"state"`
			} `json:"versions"`
		}
		if err := json.Unmarshal([]byte(body), &regs); err != nil {
			t.Fatalf("registrations: %v\n%s", err, body)
		}
		scripts = scripts[:0]
		for _, r := range regs {
			for _, v := range r.Versions {
				if v.State == "activated" {
					scripts = append(scripts, v.ScriptURL)
				}
			}
		}
		if strings.Join(scripts, " ") == strings.Join(want, " ") || time.Now().After(deadline) {
			break
		}
	}
	if strings.Join(scripts, " ") != strings.Join(want, " ") {
		t.Errorf("active workers %q, want %q", scripts, want)
	}
	for _, c := range []struct {
		path, want string
	}{
		{"", `href="/demo"`},
		{"demo", "swhost.connect"},
		{"connect.js", "swhost"},
	} {
		if code, body := get(c.path); code != 200 || !strings.Contains(body, c.want) {
			t.Errorf("GET /%s: %d, body lacks %q", c.path, code, c.want)
		}
	}

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("demo exited %d after cancel\n%s", code, errb.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("demo did not stop after cancel")
	}
}

func TestDemoFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"demo", "--nope"}, "flag provided but not defined"},
		{[]string{"demo", "extra"}, "usage: swhost demo"},
		{[]string{"demo", "--listen", "127.0.0.1:0", "--log-format", "xml"}, "invalid --log-format"},
	} {
		code, _, errs := runCLI(t, "", c.args...)
		if code != exitBadInput || !strings.Contains(errs, c.want) {
			t.Errorf("swhost %v = %d, %q; want %d containing %q", c.args, code, errs, exitBadInput, c.want)
		}
	}
}

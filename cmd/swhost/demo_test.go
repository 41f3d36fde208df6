package main

import (
	"bufio"
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
	code, exited := -1, make(chan struct{}) // code is set before exited closes
	go func() {
		code = run(ctx, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}, []string{"demo", "--listen", "127.0.0.1:0"})
		close(exited)
	}()
	re := regexp.MustCompile(`demo page: (http://127\.0\.0\.1:\d+/)demo\?token=(\S+)\n`)
	// The URL line is waited for as it is written, or until the demo exits.
	wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
	go func() {
		select {
		case <-exited:
			wcancel()
		case <-wctx.Done():
		}
	}()
	line, ok := out.WaitLine(wctx, re.MatchString)
	wcancel()
	if !ok {
		select {
		case <-exited:
			t.Fatalf("demo exited %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
		default:
			t.Fatalf("no demo page URL\nstdout:\n%s\nstderr:\n%s", out.String(), errb.String())
		}
	}
	m := re.FindStringSubmatch(line)
	admin, token := m[1], m[2]
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
	// The font provider's registration (by a Link header) may still be
	// activating: the list is read again at each event of the admin event
	// stream (a version's state changes before its event is published),
	// subscribed to before the first read so that none is missed.
	ectx, ecancel := context.WithCancel(ctx)
	req, _ := http.NewRequestWithContext(ectx, "GET", admin+"v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	stream, err := http.DefaultClient.Do(req)
	if err != nil || stream.StatusCode != http.StatusOK {
		t.Fatalf("event stream: %v %v", stream, err)
	}
	events := make(chan struct{}, 1)
	go func() {
		sc := bufio.NewScanner(stream.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "event: ") {
				select {
				case events <- struct{}{}:
				default:
				}
			}
		}
	}()
	timeout := time.After(10 * time.Second)
	var scripts []string
	for settled := false; !settled; {
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
		if strings.Join(scripts, " ") == strings.Join(want, " ") {
			break
		}
		select {
		case <-events:
		case <-timeout:
			settled = true
		}
	}
	ecancel()
	stream.Body.Close()
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
	case <-exited:
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

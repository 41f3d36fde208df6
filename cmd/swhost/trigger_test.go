package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// triggerFixture registers a worker with push, sync, notification and
// message handlers in a fresh data directory; it returns the flags that
// reach it.
func triggerFixture(t *testing.T) []string {
	t.Helper()
	const sw = `
self.addEventListener('push', (e) => {
  const text = e.data ? e.data.text() : '';
  if (text === 'reject') { e.waitUntil(Promise.reject(new Error('push failed'))); return; }
  e.waitUntil(self.registration.showNotification('New mail', { body: text, tag: 'mail', data: { id: 7 } }));
});
self.addEventListener('sync', (e) => e.waitUntil(clients.matchAll({ includeUncontrolled: true }).then((l) => l.forEach((c) => c.postMessage('synced ' + e.tag)))));
self.addEventListener('notificationclick', (e) => { e.notification.close(); e.waitUntil(clients.openWindow('/mail/' + e.notification.data.id + '?' + e.action)); });
self.addEventListener('message', (e) => {
  e.source.postMessage({ got: e.data, from: e.source.url });
  if (e.ports.length) e.ports[0].postMessage('on the port');
});`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sw.js" {
			w.Header().Set("Content-Type", "text/javascript")
			w.Write([]byte(sw))
			return
		}
		w.Write([]byte("page " + r.URL.Path))
	}))
	t.Cleanup(srv.Close)
	flags := []string{"--data", t.TempDir(), "--resolve", "https://app.test=" + srv.URL}
	if code, _, errs := runCLI(t, "", append(append([]string{"register"}, flags...), "--client", "https://app.test/", "https://app.test/sw.js")...); code != 0 {
		t.Fatalf("register: %d %s", code, errs)
	}
	return flags
}

func TestTriggerCommand(t *testing.T) {
	flags := triggerFixture(t)
	// The steps share the data directory: a notification shown by a push
	// is clicked by a later step.
	steps := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // exact, the JSON line
		wantStderr string // substring
	}{
		{"push shows a notification", []string{"trigger", "--payload", "hi", "push", "https://app.test/"}, exitOK,
			`{"outcome":"fulfilled","notifications":[{"id":"*","title":"New mail","dir":"auto","body":"hi","tag":"mail","timestamp":*,"data":{"id":7}}],"messages":[],"windows":[]}`, ""},
		{"a rejected push exits 1", []string{"trigger", "--payload", "reject", "push", "https://app.test/"}, exitNoMatch,
			`{"outcome":"Error: push failed*","notifications":[],"messages":[],"windows":[]}`, ""},
		{"a click opens a window", []string{"trigger", "--notification", "mail", "--action", "open", "notificationclick", "https://app.test/"}, exitOK,
			`{"outcome":"fulfilled","notifications":[],"messages":[],"windows":["https://app.test/mail/7?open"]}`, ""},
		{"the clicked notification was closed", []string{"trigger", "--notification", "mail", "notificationclick", "https://app.test/"}, exitBadInput,
			"", "swhost: NotFoundError: no shown notification"},
		{"sync posts to clients", []string{"trigger", "--tag", "outbox", "--client", "https://app.test/inbox", "sync", "https://app.test/"}, exitOK,
			`{"outcome":"fulfilled","notifications":[],"messages":[],"windows":[]}`, ""},
		{"message from a client", []string{"trigger", "--payload", `{"a":1}`, "--client", "https://app.test/inbox", "message", "https://app.test/"}, exitOK,
			`{"outcome":"fulfilled","notifications":[],"messages":[{"clientId":"*","clientURL":"https://app.test/inbox","data":{"from":"https://app.test/inbox","got":{"a":1}}}],"windows":[]}`, ""},
		{"unknown event", []string{"trigger", "fetch", "https://app.test/"}, exitBadInput, "", "swhost: TypeError: unknown event"},
		{"unknown scope", []string{"trigger", "push", "https://app.test/nope/"}, exitBadInput, "", "swhost: NotFoundError"},
		{"sync needs a tag", []string{"trigger", "sync", "https://app.test/"}, exitBadInput, "", "swhost: TypeError: a sync event needs a tag"},
		{"message payload is JSON", []string{"trigger", "--payload", "{", "message", "https://app.test/"}, exitBadInput, "", "swhost: SyntaxError"},
		{"usage", []string{"trigger", "push"}, exitBadInput, "", "usage: swhost trigger"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			args := append(append([]string{s.args[0]}, flags...), s.args[1:]...)
			code, out, errs := runCLI(t, "", args...)
			if code != s.wantCode {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, s.wantCode, out, errs)
			}
			if s.wantStdout != "" && !globMatch(s.wantStdout, strings.TrimSuffix(out, "\n")) {
				t.Errorf("stdout\n%s\nwant\n%s", out, s.wantStdout)
			}
			if s.wantStderr != "" && !strings.Contains(errs, s.wantStderr) {
				t.Errorf("stderr %q lacks %q", errs, s.wantStderr)
			}
		})
	}
}

func TestMessageCommand(t *testing.T) {
	flags := triggerFixture(t)
	args := append(append([]string{"message"}, flags...), "--client", "https://app.test/page", "--transfer-port", "--count", "2", "https://app.test/", `{"type":"PING"}`)
	code, out, errs := runCLI(t, "", args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := map[string]bool{
		`{"via":"client","data":{"from":"https://app.test/page","got":{"type":"PING"}}}`: true,
		`{"via":"port","data":"on the port"}`:                                            true,
	}
	if len(lines) != 2 || !want[lines[0]] || !want[lines[1]] || lines[0] == lines[1] {
		t.Errorf("stdout:\n%s", out)
	}
	code, _, errs = runCLI(t, "", append(append([]string{"message"}, flags...), "--client", "https://app.test/page", "--count", "3", "--timeout", "200ms", "https://app.test/", `1`)...)
	if code != exitNoMatch || !strings.Contains(errs, "TimeoutError: 1 of 3 messages") {
		t.Errorf("count not reached: exit %d, %s", code, errs)
	}
	if code, _, errs := runCLI(t, "", append(append([]string{"message"}, flags...), "https://app.test/", `1`)...); code != exitBadInput || !strings.Contains(errs, "usage") {
		t.Errorf("no --client: %d %s", code, errs)
	}
}

// globMatch reports whether s matches pattern, where * matches any run
// of characters.
func globMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i, p := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(s, p)
		}
		j := strings.Index(s, p)
		if j < 0 {
			return false
		}
		s = s[j+len(p):]
	}
	return s == ""
}

package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/swhost/swhost/internal/lockedbuf"
	"github.com/swhost/swhost/server"
)

// TestAdminTokenSources: the token comes from --admin-token-file, else
// SWHOST_ADMIN_TOKEN, else admin.token in the data directory, created
// with mode 0600 on first use.
func TestAdminTokenSources(t *testing.T) {
	dir := t.TempDir()
	own := filepath.Join(t.TempDir(), "own.token")
	if err := os.WriteFile(own, []byte("from-the-flag-file-0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const envToken = "from-the-environment-0123456789"
	for _, tc := range []struct {
		name, file, env string
		want, from      string
		err             string
	}{
		{name: "created in the data directory", from: filepath.Join(dir, server.AdminTokenFile)},
		{name: "the environment overrides the file", env: envToken, want: envToken, from: adminTokenEnv},
		{name: "the flag names the file", file: own, env: envToken, want: "from-the-flag-file-0123456789", from: own},
		{name: "a short environment token", env: "short", err: "SWHOST_ADMIN_TOKEN: SecurityError: the admin token has 5 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(adminTokenEnv, tc.env)
			token, from, err := adminToken(tc.file, dir)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("error %v; want %q", err, tc.err)
				}
				return
			}
			if err != nil || from != tc.from || (tc.want != "" && token != tc.want) || server.CheckAdminToken(token) != nil {
				t.Errorf("%q from %q, %v; want %q from %q", token, from, err, tc.want, tc.from)
			}
		})
	}
	fi, err := os.Stat(filepath.Join(dir, server.AdminTokenFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("admin.token: %v %v; want mode 0600", fi, err)
	}
}

// TestServeAdminAuth runs serve in process: it prints the devtools URL
// with the token and where the token comes from; the admin API refuses a
// request without the token and answers one with it. With
// --insecure-no-auth it warns and needs no token.
func TestServeAdminAuth(t *testing.T) {
	t.Setenv(adminTokenEnv, "")
	for _, tc := range []struct {
		name     string
		args     []string
		noToken  int // status of GET /v1/registrations without a token
		warning  string
		devtools *regexp.Regexp
	}{
		{"token", nil, http.StatusUnauthorized, "", regexp.MustCompile(`^swhost serve: devtools (http://127\.0\.0\.1:\d+/)\?token=([A-Za-z0-9_-]{43})$`)},
		{"insecure", []string{"--insecure-no-auth"}, http.StatusOK, "WARNING: --insecure-no-auth", regexp.MustCompile(`^swhost serve: devtools (http://127\.0\.0\.1:\d+/)()$`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			pr, pw := io.Pipe()
			var errb lockedbuf.Buffer
			done := make(chan int, 1)
			go func() {
				done <- run(ctx, &env{stdin: strings.NewReader(""), stdout: pw, stderr: &errb}, append([]string{"serve", "--data", dir, "--listen", "127.0.0.1:0"}, tc.args...))
				pw.Close()
			}()
			sc := bufio.NewScanner(pr)
			var admin, token string
			var lines []string
			for admin == "" && sc.Scan() {
				lines = append(lines, sc.Text())
				if m := tc.devtools.FindStringSubmatch(sc.Text()); m != nil {
					admin, token = m[1], m[2]
				}
			}
			go io.Copy(io.Discard, pr)
			if admin == "" {
				t.Fatalf("no devtools URL in\n%s\nstderr:\n%s", strings.Join(lines, "\n"), errb.String())
			}
			if token != "" {
				b, err := os.ReadFile(filepath.Join(dir, server.AdminTokenFile))
				if err != nil || strings.TrimSpace(string(b)) != token {
					t.Errorf("admin.token holds %q, %v; serve printed %q", b, err, token)
				}
				if want := "swhost serve: admin token from " + filepath.Join(dir, server.AdminTokenFile) + " (send it as Authorization: Bearer TOKEN)"; !strings.Contains(strings.Join(lines, "\n"), want) {
					t.Errorf("no %q in\n%s", want, strings.Join(lines, "\n"))
				}
			}
			if !strings.Contains(errb.String(), tc.warning) {
				t.Errorf("stderr lacks %q:\n%s", tc.warning, errb.String())
			}
			status := func(bearer string) int {
				req, _ := http.NewRequest("GET", admin+"v1/registrations", nil)
				if bearer != "" {
					req.Header.Set("Authorization", "Bearer "+bearer)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			if got := status(""); got != tc.noToken {
				t.Errorf("without a token: %d; want %d", got, tc.noToken)
			}
			if token != "" {
				if got := status(token); got != http.StatusOK {
					t.Errorf("with the token: %d; want 200", got)
				}
			}
			cancel()
			if code := <-done; code != exitOK {
				t.Errorf("serve exited %d\n%s", code, errb.String())
			}
		})
	}
}

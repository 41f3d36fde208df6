// Package testbrowser starts Debian's headless chromium for swhost's
// browser tests, with the flags this workplace's closed network needs and
// a fresh profile. Only tests import it.
//
//	actx, cancel := testbrowser.Allocator(t, chromedp.WindowSize(1280, 800))
//	defer cancel()
//	ctx, cancel := chromedp.NewContext(actx)
package testbrowser

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// Path returns the chromium binary, or "" when it is not installed.
func Path() string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// Require returns the chromium binary. Without one it skips the test, or
// fails it when the CI environment variable is set (.ci/run installs
// chromium, so a browser test never silently skips in CI).
func Require(t testing.TB) string {
	t.Helper()
	p := Path()
	if p == "" {
		if os.Getenv("CI") == "" {
			t.Skip("chromium is not installed (apt-get install -y chromium); this test runs in CI, where .ci/run installs it")
		}
		t.Fatal("chromium is not installed, and CI is set: .ci/run must install it")
	}
	return p
}

// Flags are the headless chromium flags: no sandbox (tests run as root),
// no GPU, and no background traffic, which the closed network refuses.
func Flags() []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	}
}

// Allocator returns a chromedp allocator for a fresh headless chromium
// with an empty profile in a temporary directory (see Require for when
// chromium is missing). Extra options come after the defaults.
func Allocator(t testing.TB, extra ...chromedp.ExecAllocatorOption) (context.Context, context.CancelFunc) {
	t.Helper()
	opts := append([]chromedp.ExecAllocatorOption{chromedp.ExecPath(Require(t))}, Flags()...)
	opts = append(opts, chromedp.UserDataDir(t.TempDir()))
	opts = append(opts, extra...)
	return chromedp.NewExecAllocator(context.Background(), opts...)
}

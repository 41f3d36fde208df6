package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/swhost/swhost/internal/pgtest"
	"github.com/swhost/swhost/store"
)

// TestMain stops the PostgreSQL server that the --store tests started.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestStoreFlag: commands given --store keep the store in PostgreSQL, not
// in the data directory, and two "nodes" (two data directories) given the
// same URL see the same registrations and serve the same workers.
func TestStoreFlag(t *testing.T) {
	url := pgtest.New(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/sw.js" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/javascript")
		w.Write([]byte(`self.addEventListener('fetch', e => e.respondWith(new Response('from the worker')));`))
	}))
	defer srv.Close()
	node1, node2 := t.TempDir(), t.TempDir()
	resolve := "https://app.test=" + srv.URL
	if code, _, errs := runCLI(t, "", "register", "--store", url, "--data", node1, "--resolve", resolve, "--client", "https://app.test/", "https://app.test/sw.js"); code != exitOK {
		t.Fatalf("register: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(node1, store.FileName)); !os.IsNotExist(err) {
		t.Errorf("--store made %s in the data directory too (%v)", store.FileName, err)
	}
	code, out, errs := runCLI(t, "", "ls", "--store", url, "--data", node2)
	if code != exitOK || !strings.Contains(out, "https://app.test/") {
		t.Errorf("ls on the other node = %d, %q, %q; want the registration", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "fetch", "--store", url, "--data", node2, "--resolve", resolve, "--client", "https://app.test/", "https://app.test/x")
	if code != exitOK || !strings.Contains(out, "from the worker") || !strings.Contains(errs, "fetch-event") {
		t.Errorf("fetch on the other node = %d, %q, %q; want the worker's response", code, out, errs)
	}
	// Without --store, node 2's own data directory has nothing.
	if code, out, _ := runCLI(t, "", "ls", "--data", node2); code != exitOK || strings.Contains(out, "https://app.test/") {
		t.Errorf("ls on node 2's SQLite store = %d, %q; want no registration", code, out)
	}
}

func TestStoreFlagErrors(t *testing.T) {
	for _, bad := range []string{"mysql://u:secret@db/x", "/var/lib/swhost"} {
		code, _, errs := runCLI(t, "", "ls", "--store", bad, "--data", t.TempDir())
		if code != exitBadInput || !strings.Contains(errs, "--store: want a postgres://") || strings.Contains(errs, "secret") {
			t.Errorf("ls --store %s = %d, %q; want exit %d and a usage error without the password", bad, code, errs, exitBadInput)
		}
	}
}

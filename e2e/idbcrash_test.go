package e2e

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite" // PRAGMA integrity_check on the data directory's database
)

// TestIndexedDBCrash kills "swhost serve" with SIGKILL while its worker
// commits IndexedDB read/write transactions in a loop, 20 times over one
// data directory. Each transaction puts two records; the worker logs the
// ones whose complete event fired, which the test reads from the admin
// event stream before the kill. After every restart each of those
// transactions is there, no transaction is there by half (a record
// without its pair), and at the end SQLite's integrity check passes.
func TestIndexedDBCrash(t *testing.T) {
	t.Parallel()
	app := newUpstream(t, "https://app.test", "")
	app.putWorker(t, "/sw.js", "idbcrash.js")
	h := newHost(t, app)
	h.register("/sw.js")

	edgeGet := func(p *serveProc, path string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+p.edge+path, nil)
		req.Host = "app.test"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("edge %s: %s %s\nstderr:\n%s", path, resp.Status, b, p.stderr)
		}
		return string(b)
	}
	committed := map[string]bool{} // every transaction whose complete fired
	verify := func(p *serveProc, round int) {
		t.Helper()
		var keys []string
		if err := json.Unmarshal([]byte(edgeGet(p, "/keys")), &keys); err != nil {
			t.Fatalf("round %d: keys: %v", round, err)
		}
		halves := map[string]int{}
		for _, k := range keys {
			id, half, ok := strings.Cut(k[:max(len(k)-2, 0)]+"\x00"+k[max(len(k)-1, 0):], "\x00")
			if !ok || (half != "a" && half != "b") {
				t.Fatalf("round %d: unexpected key %q", round, k)
			}
			halves[id]++
		}
		for id, n := range halves {
			if n != 2 {
				t.Errorf("round %d: transaction %s is there by half", round, id)
			}
		}
		t.Logf("round %d: %d transactions there, %d reported complete before the kills", round, len(halves), len(committed))
		for id := range committed {
			if halves[id] != 2 {
				t.Errorf("round %d: transaction %s completed before the kill but is gone", round, id)
			}
		}
	}

	const rounds = 20
	for round := range rounds {
		p := startServe(t, h)
		verify(p, round)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		stream := p.adminGet(ctx, t, "/v1/events?replay=0")
		if stream.StatusCode != http.StatusOK {
			t.Fatalf("event stream: %s", stream.Status)
		}
		if got := edgeGet(p, fmt.Sprintf("/loop?round=%d", round)); got != "started" {
			t.Fatalf("round %d: /loop answered %q", round, got)
		}
		// Kill after a number of commits that varies by round.
		want, seen := 5+round%7*3, 0
		prefix := fmt.Sprintf("committed %d-", round)
		err := eachEvent(stream.Body, func(typ, msg string) bool {
			if typ != "console" {
				return true
			}
			if !strings.HasPrefix(msg, prefix) {
				t.Fatalf("round %d: worker logged %q", round, msg)
			}
			committed[strings.TrimPrefix(msg, "committed ")] = true
			seen++
			return seen < want
		})
		if seen < want {
			t.Fatalf("round %d: the event stream ended after %d commits (%v)\nstderr:\n%s", round, seen, err, p.stderr)
		}
		if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		p.cmd.Wait()
		stream.Body.Close()
		cancel()
	}
	p := startServe(t, h)
	verify(p, rounds)
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()

	db, err := sql.Open("sqlite", "file:"+filepath.Join(h.data, "swhost.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check = %q, %v", check, err)
	}
	if len(committed) < rounds*5 {
		t.Errorf("only %d transactions completed over %d rounds", len(committed), rounds)
	}
}

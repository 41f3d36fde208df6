package store

import (
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/pgtest"
	"github.com/swhost/swhost/sw"
)

// The crash test re-executes the test binary as a child process that
// writes to the store in a loop and reports each committed write on
// stdout; the parent kills it with SIGKILL at a random moment, reopens the
// store and checks that everything reported is there, complete, and that
// nothing in the store is half-written. On PostgreSQL the child is a node
// dying mid-transaction; every other time the server crashes too (an
// immediate shutdown right after the kill) and recovers when restarted.

const crashDirEnv = "SWHOST_STORE_CRASH_DIR"

// crashBody is the deterministic content of a script, so the parent can
// check every byte without being told it.
func crashBody(url string) []byte {
	sum := sha256.Sum256([]byte(url))
	n := 1 + (int(sum[0])<<8 | int(sum[1])) // up to 64 KiB
	b := make([]byte, n)
	for i := range b {
		b[i] = sum[i%len(sum)] ^ byte(i)
	}
	return b
}

func crashScripts(scriptURL string) []Script {
	return []Script{
		{URL: scriptURL, ContentType: "text/javascript", Body: crashBody(scriptURL)},
		{URL: scriptURL + "?import", ContentType: "text/javascript", Body: crashBody(scriptURL + "?import")},
	}
}

// TestCrashChild is the child process of TestCrash; it does nothing in a
// normal test run.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("helper process for TestCrash")
	}
	run := os.Getenv("SWHOST_STORE_CRASH_RUN")
	ctx := context.Background()
	s, err := OpenWith(ctx, dir, Options{Synchronous: os.Getenv("SWHOST_STORE_CRASH_SYNC")})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(3)
	}
	caches := cachestorage.New(s.CacheStorage(), cachestorage.Limits{})
	cs, err := caches.For("https://crash.test")
	if err != nil {
		os.Exit(3)
	}
	cache, err := cs.Open(ctx, "v1")
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(3)
	}
	report := func(format string, args ...any) {
		// One write per line: a pipe write this small is atomic.
		os.Stdout.Write([]byte(fmt.Sprintf(format, args...) + "\n"))
	}
	for i := 0; ; i++ {
		key := fmt.Sprintf("https://crash.test/%s/%d/", run, i)
		r := Registration{ScopeKey: key, ScopeText: key, Origin: "https://crash.test"}
		v := Version{ScriptURL: key + "sw.js", State: sw.StateInstalling, Slot: SlotInstalling}
		if err := s.CreateRegistration(ctx, &r, &v, crashScripts(v.ScriptURL)); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(3)
		}
		report("C %s", key)
		// Install and activate the first version, then an update that
		// replaces it: each step several rows in one transaction.
		if err := s.SetVersionStates(ctx, StateChange{v.ID, sw.StateActivated, SlotActive}); err != nil {
			os.Exit(3)
		}
		v2 := Version{RegistrationID: r.ID, ScriptURL: key + "sw2.js", State: sw.StateInstalled, Slot: SlotWaiting}
		err := s.Update(ctx, func(tx Tx) error {
			if err := tx.AddVersion(ctx, &v2, crashScripts(v2.ScriptURL)); err != nil {
				return err
			}
			if err := tx.SetVersionStates(ctx, StateChange{v2.ID, sw.StateActivated, SlotActive}, StateChange{v.ID, sw.StateRedundant, SlotNone}); err != nil {
				return err
			}
			r.LastUpdateCheck = time.Now()
			if err := tx.UpdateRegistration(ctx, r); err != nil {
				return err
			}
			return tx.Put(ctx, "crash/"+key, crashBody(key))
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(3)
		}
		report("A %s %d", key, v2.ID)
		url := key + "asset"
		err = cache.Put(ctx, &fetch.Request{Method: "GET", URL: url}, &fetch.Response{Type: fetch.TypeBasic, Status: 200, Body: crashBody(url)})
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(3)
		}
		report("P %s", url)
	}
}

func TestCrash(t *testing.T) {
	if os.Getenv(crashDirEnv) != "" {
		t.Skip("in the child")
	}
	eachBackend(t, testCrash)
}

func testCrash(t *testing.T, b backend) {
	iterations := 8
	if testing.Short() {
		iterations = 4
	}
	var dir string // the store's location
	var srv *pgtest.Server
	if b.name == "postgres" {
		srv = pgtest.NewServer(t) // its own server, to crash it
		dir = srv.NewDatabase(t)
	} else {
		dir = b.location(t)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	reported := map[string]string{} // line kind+key → rest
	total := 0
	for it := range iterations {
		// Kill at a random moment: mostly while the child writes,
		// sometimes while it starts and opens the store.
		delay := time.Duration(rng.IntN(200)) * time.Millisecond
		fromStart := it%4 == 3
		// Every other child runs with synchronous=NORMAL: with WAL, a
		// commit survives the death of the process either way (the OS has
		// the log); only a power loss tells the two apart.
		sync := "FULL"
		if it%2 == 1 {
			sync = "NORMAL"
		}
		if srv != nil {
			sync = ""
		}
		lines := runCrashChild(t, dir, strconv.Itoa(it), sync, fromStart, delay)
		serverCrash := srv != nil && it%2 == 1
		if serverCrash {
			srv.Crash()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			err := srv.Restart(ctx)
			cancel()
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, l := range lines {
			kind, rest, _ := strings.Cut(l, " ")
			key, extra, _ := strings.Cut(rest, " ")
			reported[kind+" "+key] = extra
		}
		total += len(lines)
		how := "synchronous=" + sync
		if srv != nil {
			how = "server crashed too: " + strconv.FormatBool(serverCrash)
		}
		t.Logf("iteration %d (%s): killed %v after its %s, %d commits reported", it, how, delay, map[bool]string{true: "start", false: "first commit"}[fromStart], len(lines))
		checkCrashStore(t, b, dir, reported)
		if t.Failed() {
			break
		}
	}
	if total == 0 {
		t.Fatal("no child ever reported a commit: the test tested nothing")
	}
}

// runCrashChild starts the child, kills it with SIGKILL and returns the
// complete lines it printed.
func runCrashChild(t *testing.T, dir, run, sync string, fromStart bool, delay time.Duration) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, "SWHOST_STORE_CRASH_RUN="+run, "SWHOST_STORE_CRASH_SYNC="+sync)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	kill := func() { cmd.Process.Signal(syscall.SIGKILL) }
	// The kill comes delay after the child's first report, or after its
	// start when fromStart (to also kill it while it opens the store); a
	// child that reports nothing is killed after 30 s.
	var timer *time.Timer
	if fromStart {
		timer = time.AfterFunc(delay, kill)
	} else {
		timer = time.AfterFunc(30*time.Second, kill)
	}
	defer func() { timer.Stop() }()
	var lines []string
	br := bufio.NewReader(out)
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			// A last line without its newline was cut by the kill: the
			// child had not finished reporting it, so it does not count.
			if !errors.Is(err, io.EOF) {
				t.Fatal(err)
			}
			break
		}
		if len(lines) == 0 && !fromStart {
			timer.Stop()
			timer = time.AfterFunc(delay, kill)
		}
		lines = append(lines, strings.TrimSuffix(l, "\n"))
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, want killed by SIGKILL", err)
	}
	return lines
}

// checkCrashStore reopens the store after a kill and checks it.
func checkCrashStore(t *testing.T, b backend, dir string, reported map[string]string) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	if b.name == "sqlite" {
		checkSQLiteIntegrity(t, s)
	} // PostgreSQL checks its foreign keys itself, at every statement
	checkCrashContents(t, s, reported)
}

// checkSQLiteIntegrity checks the database file and its foreign keys.
func checkSQLiteIntegrity(t *testing.T, s *SQLStore) {
	t.Helper()
	var check string
	if err := s.r.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	var fk int
	rows, err := s.r.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		fk++
	}
	rows.Close()
	if fk != 0 {
		t.Fatalf("%d foreign key violations", fk)
	}
}

// checkCrashContents checks that everything reported is in s and that
// nothing in s is half-written.
func checkCrashContents(t *testing.T, s *SQLStore, reported map[string]string) {
	t.Helper()
	ctx := context.Background()
	all, err := s.LoadRegistrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]Loaded{}
	for _, l := range all {
		found[l.Registration.ScopeKey] = l
		// Every registration in the store is whole, reported or not: one
		// or two live versions, each with both its scripts intact.
		vs, err := s.Versions(ctx, l.Registration.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) == 0 || len(vs) > 2 {
			t.Errorf("%s has %d versions", l.Registration.ScopeKey, len(vs))
		}
		active := 0
		for _, v := range vs {
			scripts, err := s.Scripts(ctx, v.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !scriptsEqual(scripts, crashScripts(v.ScriptURL)) {
				t.Errorf("%s version %d: scripts are not the ones written (%d scripts)", l.Registration.ScopeKey, v.ID, len(scripts))
			}
			if v.Slot == SlotActive {
				active++
			}
		}
		switch {
		case len(vs) == 2:
			// The update transaction committed: all of it.
			if vs[0].State != sw.StateRedundant || vs[1].State != sw.StateActivated || vs[1].Slot != SlotActive || active != 1 {
				t.Errorf("%s: half an update: %+v", l.Registration.ScopeKey, vs)
			}
			if l.Registration.LastUpdateCheck.IsZero() {
				t.Errorf("%s: update committed without its registration change", l.Registration.ScopeKey)
			}
			v, err := s.Get(ctx, "crash/"+l.Registration.ScopeKey)
			if err != nil || string(v) != string(crashBody(l.Registration.ScopeKey)) {
				t.Errorf("%s: update committed without its key-value entry: %v", l.Registration.ScopeKey, err)
			}
		case len(vs) == 1 && !l.Registration.LastUpdateCheck.IsZero():
			t.Errorf("%s: registration updated without the new version", l.Registration.ScopeKey)
		}
	}
	cs, _ := cachestorage.New(s.CacheStorage(), cachestorage.Limits{}).For("https://crash.test")
	for line, extra := range reported {
		kind, key, _ := strings.Cut(line, " ")
		switch kind {
		case "C":
			if _, ok := found[key]; !ok {
				t.Errorf("registration %s was reported committed but is gone", key)
			}
		case "A":
			l := found[key]
			id, _ := strconv.ParseInt(extra, 10, 64)
			ok := false
			for _, v := range l.Versions {
				ok = ok || (v.ID == id && v.Slot == SlotActive && v.State == sw.StateActivated)
			}
			if !ok {
				t.Errorf("update of %s to version %d was reported committed but is not active: %+v", key, id, l.Versions)
			}
		case "P":
			resp, err := cs.Match(ctx, &fetch.Request{Method: "GET", URL: key}, cachestorage.MatchOptions{})
			if err != nil || resp == nil || string(resp.Body) != string(crashBody(key)) {
				t.Errorf("cache entry %s was reported committed but is not there: %v", key, err)
			}
		default:
			t.Errorf("unknown report %q", line)
		}
	}
}

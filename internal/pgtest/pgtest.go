// Package pgtest runs a real, throwaway PostgreSQL server for tests, so
// that code written for PostgreSQL is tested on PostgreSQL.
//
// A package whose tests use it stops the server at the end in TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
// and each test takes a new, empty database of its own:
//
//	url := pgtest.New(t) // postgres://postgres@127.0.0.1:PORT/test_3?sslmode=disable
//
// The server starts the first time a test asks for a database, from the
// binaries on PATH or under /usr/lib/postgresql/*/bin (Debian's
// postgresql package): initdb into a temporary directory, then postgres
// listening on 127.0.0.1 on a free port, with its Unix socket in the same
// directory, trusting local connections, and without fsync (the tests
// kill processes, not the machine: what a commit wrote is in the
// operating system's page cache either way). As root, which PostgreSQL
// refuses to run as, both run as the user nobody. The server is a child
// of the test process and dies with it (the parent-death signal), so a
// test binary killed by its time-out leaves no server behind.
//
// When the binaries are missing, New skips the test, unless the
// environment variable CI is set: then it fails, so that CI never passes
// without the PostgreSQL tests. SWHOST_TEST_POSTGRES, when set, is the URL
// of an existing server's maintenance database on which to create the
// test databases instead (as a role allowed to create databases).
package pgtest

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// EnvURL names the environment variable with the URL of an existing
// server to use instead of starting one.
const EnvURL = "SWHOST_TEST_POSTGRES"

// startTimeout bounds initdb and the server's start.
const startTimeout = 2 * time.Minute

var (
	mu       sync.Mutex
	shared   *Server
	startErr error // why the shared server could not start; sticky
	started  bool
	dbSeq    atomic.Int64
)

// Main runs m's tests and then stops the shared server if one was
// started; it returns m.Run's exit code.
func Main(m *testing.M) int {
	code := m.Run()
	mu.Lock()
	s := shared
	shared = nil
	mu.Unlock()
	if s != nil {
		if err := s.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	return code
}

// New returns the URL of a new, empty database on the shared test server
// (started the first time), dropped when t ends. Without PostgreSQL it
// skips t, or fails it when the environment variable CI is set.
func New(t testing.TB) string {
	t.Helper()
	srv, err := sharedServer()
	if err != nil {
		unavailable(t, err)
	}
	return srv.NewDatabase(t)
}

// unavailable skips t because PostgreSQL cannot be had, or fails it on CI.
func unavailable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("pgtest: PostgreSQL is needed on CI: %v", err)
	}
	t.Skipf("pgtest: no PostgreSQL: %v", err)
}

// sharedServer returns the shared server, starting it the first time.
func sharedServer() (*Server, error) {
	mu.Lock()
	defer mu.Unlock()
	if !started {
		started = true
		if u := os.Getenv(EnvURL); u != "" {
			var db *sql.DB
			db, startErr = openAdmin(u)
			if startErr == nil {
				shared = &Server{url: u, admin: db}
			}
		} else {
			ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
			shared, startErr = Start(ctx)
			cancel()
		}
	}
	if startErr != nil {
		return nil, startErr
	}
	if shared == nil {
		return nil, errors.New("the shared server was stopped (New called after Main's tests)")
	}
	return shared, nil
}

func openAdmin(u string) (*sql.DB, error) {
	db, err := sql.Open("pgx", u)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", redacted(u), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", redacted(u), err)
	}
	return db, nil
}

func redacted(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	return p.Redacted()
}

// Server is a PostgreSQL server that this process started.
type Server struct {
	url   string  // the maintenance database "postgres", as superuser postgres
	admin *sql.DB // connected to url
	dir   string  // temporary directory: data/ and the socket; "" for an external server
	data  string
	port  int
	cred  *syscall.Credential // nil unless run as nobody
	bin   string
	// settings are postgres -c options after the defaults.
	settings []string

	cmd     *exec.Cmd
	done    chan struct{} // closed when cmd has exited
	log     *logTail
	stopped atomic.Bool // by Stop
}

// Start initializes a new cluster in a temporary directory and starts a
// server on it. Stop it with [Server.Stop]. Most tests want [New]; Start
// is for tests that crash or restart their own server, or that need other
// server settings: each of settings is "name=value" (a postgres -c
// option), applied after the test defaults (fsync=off, ...): a benchmark
// of durable commits passes "fsync=on".
func Start(ctx context.Context, settings ...string) (*Server, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin, settings: settings}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("nobody")
		if err != nil {
			return nil, fmt.Errorf("running as root, PostgreSQL needs an unprivileged user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	s.dir, err = os.MkdirTemp("", "swhost-pgtest-")
	if err != nil {
		return nil, err
	}
	if s.cred != nil {
		if err := os.Chown(s.dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			os.RemoveAll(s.dir)
			return nil, err
		}
	}
	s.data = filepath.Join(s.dir, "data")
	initdb := s.command(ctx, "initdb", "-D", s.data, "-U", "postgres", "--auth=trust",
		"--encoding=UTF8", "--no-locale", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(s.dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	// A free port can be taken by someone else before the server binds
	// it: try a few.
	for attempt := 0; ; attempt++ {
		if err = s.start(ctx, 0); err == nil || attempt == 2 || ctx.Err() != nil {
			break
		}
	}
	if err != nil {
		os.RemoveAll(s.dir)
		return nil, err
	}
	s.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port)
	if s.admin, err = openAdmin(s.url); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// findBin returns the directory of initdb and postgres.
func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	// The newest major version first.
	version := func(d string) int {
		n, _ := strconv.Atoi(filepath.Base(filepath.Dir(d)))
		return n
	}
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("initdb and postgres are neither on PATH nor in /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql)")
}

// command returns a command running the PostgreSQL program name, as
// nobody when the test runs as root.
func (s *Server) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	return cmd
}

// start starts postgres on port (0: a free port) and waits until it
// accepts connections: it reads the server's log until the line saying
// so, and fails if the server exits first.
func (s *Server) start(ctx context.Context, port int) error {
	if port == 0 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		port = l.Addr().(*net.TCPAddr).Port
		l.Close()
	}
	s.port = port
	ready := make(chan error, 1)
	s.done = make(chan struct{})
	s.log = &logTail{}
	// The server gets SIGKILL when the thread that started it ends, so
	// that thread must live as long as the server: a goroutine locked to
	// it starts the server and waits for it.
	go func() {
		runtime.LockOSThread()
		// Not unlocked: the thread ends with the goroutine.
		args := []string{"-D", s.data, "-p", strconv.Itoa(s.port), "-k", s.dir,
			"-c", "listen_addresses=127.0.0.1",
			"-c", "fsync=off", "-c", "full_page_writes=off",
			"-c", "max_connections=200", "-c", "shared_buffers=32MB"}
		for _, set := range s.settings {
			args = append(args, "-c", set)
		}
		cmd := exec.Command(filepath.Join(s.bin, "postgres"), args...)
		cmd.Dir = s.dir
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred, Pdeathsig: syscall.SIGKILL}
		stderr, err := cmd.StderrPipe()
		if err != nil {
			ready <- err
			close(s.done)
			return
		}
		if err := cmd.Start(); err != nil {
			ready <- err
			close(s.done)
			return
		}
		s.cmd = cmd
		sc := bufio.NewScanner(stderr)
		signalled := false
		for sc.Scan() {
			line := sc.Text()
			s.log.add(line)
			if !signalled && strings.Contains(line, "database system is ready to accept connections") {
				signalled = true
				ready <- nil
			}
		}
		err = cmd.Wait()
		if !signalled {
			ready <- fmt.Errorf("postgres exited before it was ready: %v\n%s", err, s.log)
		}
		close(s.done)
	}()
	select {
	case err := <-ready:
		return err
	case <-ctx.Done():
		s.kill()
		<-s.done
		return fmt.Errorf("postgres did not start: %w\n%s", ctx.Err(), s.log)
	}
}

// NewServer starts a server of t's own with [Start] and settings, stopped
// when t ends. Without PostgreSQL it skips t, or fails it when the
// environment variable CI is set.
func NewServer(t testing.TB, settings ...string) *Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	s, err := Start(ctx, settings...)
	if err != nil {
		unavailable(t, err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// NewDatabase returns the URL of a new, empty database on s, dropped when
// t ends if s still runs.
func (s *Server) NewDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("test_%d_%d", os.Getpid(), dbSeq.Add(1))
	ctx := context.Background()
	if _, err := s.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		if s.stopped.Load() {
			return
		}
		// FORCE ends the connections a failed test left open.
		if _, err := s.admin.ExecContext(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(s.url)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// Crash stops the server as a crash would: an immediate shutdown, in
// which the server kills its backends at once and exits without a
// checkpoint or writing anything more, and waits until it has exited.
// [Server.Restart] starts it again; it then recovers from its
// write-ahead log.
func (s *Server) Crash() {
	s.admin.Close()
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGQUIT)
	}
	<-s.done
}

func (s *Server) kill() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGKILL)
	}
}

// Restart starts the server again after [Server.Crash], on the same data
// directory and port, and waits until it accepts connections.
func (s *Server) Restart(ctx context.Context) error {
	if err := s.start(ctx, s.port); err != nil {
		return err
	}
	var err error
	s.admin, err = openAdmin(s.url)
	return err
}

// Stop shuts the server down (fast shutdown: connections are closed,
// running transactions rolled back), waits for it, and removes its
// directory.
func (s *Server) Stop() error {
	s.stopped.Store(true)
	if s.admin != nil {
		s.admin.Close()
	}
	if s.dir == "" {
		return nil // an external server
	}
	var err error
	if s.cmd != nil && s.cmd.Process != nil && !s.exited() {
		s.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
			s.kill()
			<-s.done
			err = fmt.Errorf("postgres did not stop within 30 s after SIGINT; killed it\n%s", s.log)
		}
	}
	return errors.Join(err, os.RemoveAll(s.dir))
}

// exited reports whether the server process has exited.
func (s *Server) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// logTail keeps the last lines of the server's log, for error messages.
type logTail struct {
	mu    sync.Mutex
	lines []string
}

func (l *logTail) add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, line)
	if len(l.lines) > 50 {
		l.lines = l.lines[len(l.lines)-50:]
	}
}

func (l *logTail) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

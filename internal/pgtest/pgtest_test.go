package pgtest

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func open(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestNew: each test database is new, empty and separate.
func TestNew(t *testing.T) {
	a, b := open(t, New(t)), open(t, New(t))
	if _, err := a.Exec("CREATE TABLE t (x INT)"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Exec("CREATE TABLE t (x INT)"); err != nil {
		t.Fatalf("the second database is not empty: %v", err)
	}
	var user string
	if err := a.QueryRow("SELECT current_user").Scan(&user); err != nil || user != "postgres" {
		t.Errorf("current_user = %q, %v", user, err)
	}
}

// TestCrashRestart: what a server committed is there after an immediate
// shutdown and a restart, which recovers from the write-ahead log.
func TestCrashRestart(t *testing.T) {
	if os.Getenv(EnvURL) != "" {
		t.Skip("uses a server of its own")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Start(ctx)
	if err != nil {
		unavailable(t, err)
	}
	defer s.Stop()
	url := s.NewDatabase(t)
	db := open(t, url)
	if _, err := db.Exec("CREATE TABLE t (x INT); INSERT INTO t VALUES (1), (2)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s.Crash()
	if err := s.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := open(t, url).QueryRow("SELECT SUM(x) FROM t").Scan(&n); err != nil || n != 3 {
		t.Errorf("after a crash: sum %d, %v; want 3", n, err)
	}
}

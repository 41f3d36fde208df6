package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/swhost/swhost/internal/pgtest"
)

// TestMain stops the PostgreSQL server that the tests on the postgres
// backend started.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// backend is one of the databases the store runs on. The store's tests
// run on each (see eachBackend).
type backend struct {
	name string
	// location returns where a new, empty store lives: a data directory
	// for SQLite, a database URL for PostgreSQL (a new database on the
	// test server; without PostgreSQL the test is skipped, or fails on CI).
	location func(t testing.TB) string
}

var (
	sqliteBackend   = backend{"sqlite", func(t testing.TB) string { return t.TempDir() }}
	postgresBackend = backend{"postgres", func(t testing.TB) string { return pgtest.New(t) }}
	testBackends    = []backend{sqliteBackend, postgresBackend}
)

// eachBackend runs fn as a subtest on every backend.
func eachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	for _, b := range testBackends {
		t.Run(b.name, func(t *testing.T) { fn(t, b) })
	}
}

// open opens a new, empty store on b, closed when t ends.
func (b backend) open(t testing.TB, opts ...Options) *SQLStore {
	t.Helper()
	return b.openAt(t, b.location(t), opts...)
}

// openAt opens the store at loc (from b.location), closed when t ends.
// Durability is the crash tests' business: on SQLite the other tests
// skip the fsync per commit (synchronous=NORMAL unless opts say), and the
// test PostgreSQL server runs without fsync.
func (b backend) openAt(t testing.TB, loc string, opts ...Options) *SQLStore {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if b.name == "sqlite" && o.Synchronous == "" {
		o.Synchronous = "NORMAL"
	}
	s, err := OpenWith(context.Background(), loc, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// dialect returns the store's dialect on b.
func (b backend) dialect() *dialect {
	if b.name == "postgres" {
		return postgresDialect
	}
	return sqliteDialect
}

// raw opens the database at loc (from b.location) without the store,
// closed when t ends: for tests that set up or inspect the database by
// hand.
func (b backend) raw(t testing.TB, loc string) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if b.name == "postgres" {
		db, err = sql.Open("pgx", loc)
	} else {
		db, err = sql.Open("sqlite", filepath.Join(loc, FileName))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// tables returns the names of the tables in the database, sorted.
func (b backend) tables(t testing.TB, db *sql.DB) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if b.name == "postgres" {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"
	}
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

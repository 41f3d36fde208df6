package store

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/swhost/swhost/sw"
)

// TestOpenPostgres opens a store on an empty PostgreSQL database: the
// schema is created, reopening does not migrate again, and Close is
// idempotent and final.
func TestOpenPostgres(t *testing.T) {
	ctx := context.Background()
	loc := postgresBackend.location(t)
	u, _ := url.Parse(loc)
	u.User = url.UserPassword("postgres", "secret") // trust ignores it
	s, err := Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	if s.Dialect() != "postgres" || strings.Contains(s.Path(), "secret") || !strings.Contains(s.Path(), u.Host) {
		t.Errorf("Dialect() = %q, Path() = %q: want postgres and the URL without its password", s.Dialect(), s.Path())
	}
	var v int
	if err := s.w.QueryRow("SELECT version FROM schema_version").Scan(&v); err != nil || v != SchemaVersion {
		t.Errorf("schema version = %d, %v; want %d", v, err, SchemaVersion)
	}
	// Strings from the web are byte columns, compared byte-wise.
	var typ string
	if err := s.w.QueryRow("SELECT data_type FROM information_schema.columns WHERE table_name = 'caches' AND column_name = 'name'").Scan(&typ); err != nil || typ != "bytea" {
		t.Errorf("caches.name is %q (%v), want bytea", typ, err)
	}
	// Reads run on read-only connections.
	if _, err := s.r.Exec("CREATE TABLE x (y INT)"); err == nil {
		t.Error("the read pool can write")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if _, err := s.Registrations(ctx, ""); !errors.Is(err, ErrClosed) {
		t.Errorf("Registrations after Close = %v, want ErrClosed", err)
	}
	if err := s.Put(ctx, "k", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Put after Close = %v, want ErrClosed", err)
	}
	s2, err := Open(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
	// The URL's search_path chooses the schema the store's tables are in.
	raw := postgresBackend.raw(t, loc)
	if _, err := raw.Exec("CREATE SCHEMA other"); err != nil {
		t.Fatal(err)
	}
	s3, err := Open(ctx, loc+"&search_path=other")
	if err != nil {
		t.Fatal(err)
	}
	s3.Close()
	var n int
	if err := raw.QueryRow("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'other'").Scan(&n); err != nil || n != 12 {
		t.Errorf("schema other has %d tables (%v), want the store's 12", n, err)
	}
}

func TestOpenPostgresErrors(t *testing.T) {
	ctx := context.Background()
	loc := postgresBackend.location(t)
	if _, err := OpenWith(ctx, loc, Options{Synchronous: "FULL"}); err == nil {
		t.Error("Open on PostgreSQL with a SQLite synchronous setting succeeded")
	}
	// Nothing listens on port 1; the password is not in the error.
	_, err := Open(ctx, "postgres://swhost:secret@127.0.0.1:1/x?sslmode=disable&connect_timeout=5")
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("Open of an unreachable server = %v, want an error without the password", err)
	}
	if _, err := Open(ctx, "postgres://%zz"); err == nil {
		t.Error("Open of a malformed URL succeeded")
	}
	// A database from a newer swhost is refused.
	s, err := Open(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	s.w.Exec("UPDATE schema_version SET version = 999")
	s.Close()
	if _, err := Open(ctx, loc); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open of a newer schema = %v, want an error saying it is newer", err)
	}
}

// TestOpenPostgresConcurrently: nodes starting at once on an empty
// database migrate it once, one after the other, and all open.
func TestOpenPostgresConcurrently(t *testing.T) {
	ctx := context.Background()
	loc := postgresBackend.location(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := Open(ctx, loc)
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// TestKeepsBytes: strings from the web that PostgreSQL's text type
// refuses (NUL, invalid UTF-8 such as WTF-8 lone surrogates) are kept byte
// for byte, as on SQLite.
func TestKeepsBytes(t *testing.T) { eachBackend(t, testKeepsBytes) }

func testKeepsBytes(t *testing.T, b backend) {
	ctx := context.Background()
	s := b.open(t)
	odd := "a\x00b\xff\xed\xa0\x80"
	r := Registration{ScopeKey: "https://app.test/" + odd, ScopeText: odd, Origin: "https://app.test"}
	v := Version{ScriptURL: "https://app.test/sw.js?" + odd, State: sw.StateInstalling, Slot: SlotInstalling}
	sc := Script{URL: v.ScriptURL, ContentType: "text/javascript; x=" + odd, Body: []byte(odd)}
	if err := s.CreateRegistration(ctx, &r, &v, []Script{sc}); err != nil {
		t.Fatal(err)
	}
	got, err := s.RegistrationByScope(ctx, r.ScopeKey)
	if err != nil || got.ScopeText != odd {
		t.Errorf("RegistrationByScope = %+v, %v", got, err)
	}
	if _, err := s.RegistrationByScope(ctx, "https://app.test/a\x00b"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a prefix up to the NUL matched: %v", err)
	}
	gsc, err := s.Script(ctx, v.ID, v.ScriptURL)
	if err != nil || gsc.ContentType != sc.ContentType || string(gsc.Body) != odd {
		t.Errorf("Script = %+v, %v", gsc, err)
	}
}

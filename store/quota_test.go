package store

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

// dbFileSize closes s (which checkpoints the write-ahead log into the
// database file) and returns the file's size.
func dbFileSize(t *testing.T, s *SQLStore) int64 {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestCacheQuotaBoundsDisk: whatever an origin stores in Cache Storage
// (long cache names, long URLs, header values JSON escapes six-fold, many
// tiny entries), the database grows by no more than the origin's quota
// before the origin gets a QuotaExceededError.
func TestCacheQuotaBoundsDisk(t *testing.T) {
	const quota = 4 << 20
	ctx := context.Background()
	get := func(url string, header ...string) *fetch.Request {
		h := http.Header{}
		for i := 0; i+1 < len(header); i += 2 {
			h.Add(header[i], header[i+1])
		}
		return &fetch.Request{Method: "GET", URL: url, Header: h}
	}
	ok := func(body string, header ...string) *fetch.Response {
		h := http.Header{}
		for i := 0; i+1 < len(header); i += 2 {
			h.Add(header[i], header[i+1])
		}
		return &fetch.Response{Type: fetch.TypeBasic, Status: 200, Header: h, Body: []byte(body)}
	}
	tests := []struct {
		name   string
		limits cachestorage.Limits
		// step stores the i-th thing; it returns the error it got.
		step func(cs *cachestorage.CacheStorage, c *cachestorage.Cache, i int) error
	}{
		{"long cache names", cachestorage.Limits{MaxCaches: 300, MaxNameBytes: 64 << 10}, func(cs *cachestorage.CacheStorage, _ *cachestorage.Cache, i int) error {
			_, err := cs.Open(ctx, fmt.Sprintf("%04d", i)+strings.Repeat("n", 64<<10-4))
			return err
		}},
		{"long URLs", cachestorage.Limits{}, func(_ *cachestorage.CacheStorage, c *cachestorage.Cache, i int) error {
			return c.Put(ctx, get(fmt.Sprintf("https://app.test/%d?", i)+strings.Repeat("&", 32<<10)), ok("x"))
		}},
		{"escaped header values", cachestorage.Limits{}, func(_ *cachestorage.CacheStorage, c *cachestorage.Cache, i int) error {
			v := strings.Repeat("<\x01", 16<<10)
			return c.Put(ctx, get(fmt.Sprintf("https://app.test/%d", i), "X-A", v), ok("x", "X-B", v))
		}},
		{"many tiny entries", cachestorage.Limits{MaxEntriesPerCache: -1}, func(_ *cachestorage.CacheStorage, c *cachestorage.Cache, i int) error {
			reqs := make([]*fetch.Request, 500)
			for j := range reqs {
				reqs[j] = get(fmt.Sprintf("https://app.test/%d/%d", i, j))
			}
			return c.AddAll(ctx, fetch.FetcherFunc(func(context.Context, *fetch.Request) (*fetch.Response, error) {
				return ok(""), nil
			}), reqs)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			empty := dbFileSize(t, openTest(t))
			s := openTest(t)
			tt.limits.MaxOriginBytes = quota
			cs, err := cachestorage.New(s.CacheStorage(), tt.limits).For("https://app.test")
			if err != nil {
				t.Fatal(err)
			}
			c, err := cs.Open(ctx, "v1")
			if err != nil {
				t.Fatal(err)
			}
			i := 0
			for ; i < 1000; i++ {
				err = tt.step(cs, c, i)
				if err != nil {
					break
				}
			}
			if weberr.NameOf(err) != weberr.QuotaExceeded {
				t.Fatalf("after %d steps: %v, want QuotaExceededError", i, err)
			}
			grown := dbFileSize(t, s) - empty
			t.Logf("%d steps stored, database grew by %d bytes (%.2f of the quota)", i, grown, float64(grown)/quota)
			if grown > quota {
				t.Errorf("database grew by %d bytes, more than the origin's quota of %d", grown, quota)
			}
		})
	}
}

// TestMigrationCountsExistingCaches: a database written before caches
// counted in their origin's bytes (schema version 1) counts the caches it
// has once opened, and deleting them takes off what was added.
func TestMigrationCountsExistingCaches(t *testing.T) {
	eachBackend(t, testMigrationCountsExistingCaches)
}

func testMigrationCountsExistingCaches(t *testing.T, b backend) {
	ctx := context.Background()
	dir := b.location(t)
	raw := b.raw(t, dir)
	stmts := append(b.dialect().schema(0),
		"CREATE TABLE schema_version (version BIGINT NOT NULL)", "INSERT INTO schema_version (version) VALUES (1)",
		"INSERT INTO cache_origins (origin, next_cache_id, entries, bytes) VALUES ('https://app.test', 3, 0, 0)",
		"INSERT INTO caches (origin, id, name, next_entry_id, entries) VALUES ('https://app.test', 1, 'v1', 1, 0)",
		"INSERT INTO caches (origin, id, name, next_entry_id, entries) VALUES ('https://app.test', 2, '"+strings.Repeat("n", 4000)+"', 1, 0)")
	for _, stmt := range stmts {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cb := s.CacheStorage()
	usage := func() cachestorage.Usage {
		var u cachestorage.Usage
		if err := cb.View(ctx, "https://app.test", func(tx cachestorage.Tx) (err error) { u, err = tx.Usage(); return err }); err != nil {
			t.Fatal(err)
		}
		return u
	}
	// The estimate is on the safe side of CacheSize.
	if u, least := usage(), cachestorage.CacheSize("https://app.test", "v1")+cachestorage.CacheSize("https://app.test", strings.Repeat("n", 4000)); u.Bytes < least {
		t.Errorf("after the migration the origin counts %d bytes, less than its caches' %d", u.Bytes, least)
	}
	cs, err := cachestorage.New(cb, cachestorage.Limits{}).For("https://app.test")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"v1", strings.Repeat("n", 4000)} {
		if ok, err := cs.Delete(ctx, name); !ok || err != nil {
			t.Fatalf("Delete = %v, %v", ok, err)
		}
	}
	if u := usage(); u != (cachestorage.Usage{}) {
		t.Errorf("after deleting every cache: %+v, want nothing", u)
	}
}

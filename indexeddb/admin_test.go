package indexeddb

import (
	"context"
	"testing"

	"github.com/swhost/swhost/weberr"
)

func TestRunReadsWritesAndNeverCreates(t *testing.T) {
	f := newFactory()
	c := setup(t, f)
	s := storeID(c, "s")
	tr, err := c.Transaction([]string{"s"}, ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"a", "b", "c"} {
		if _, err := put(t, tr, s, map[string]any{"id": float64(i), "name": name}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := commit(t, tr); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	count := func() int64 {
		var n int64
		if err := f.Run(ctx, origin, "db", []string{"s"}, ReadOnly, func(tx *Tx) (err error) {
			n, err = tx.Count(Source{Store: s}, All)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 3 {
		t.Fatalf("count = %d, want 3", n)
	}
	// A failing fn aborts: nothing it did is kept.
	err = f.Run(ctx, origin, "db", []string{"s"}, ReadWrite, func(tx *Tx) error {
		if err := tx.Clear(s); err != nil {
			return err
		}
		return weberr.New(weberr.DataError, "changed my mind")
	})
	if weberr.NameOf(err) != weberr.DataError || count() != 3 {
		t.Fatalf("aborted Run: %v, count %d", err, count())
	}
	if err := f.Run(ctx, origin, "db", []string{"s"}, ReadWrite, func(tx *Tx) error { return tx.Delete(s, Only(Number(1))) }); err != nil || count() != 2 {
		t.Fatalf("delete: %v, count %d", err, count())
	}
	for _, tt := range []struct {
		db    string
		scope []string
		mode  Mode
		want  string
	}{
		{"nope", nil, ReadOnly, weberr.NotFoundError},
		{"db", []string{"missing"}, ReadOnly, weberr.NotFoundError},
		{"db", []string{"s"}, VersionChange, weberr.TypeError},
	} {
		if err := f.Run(ctx, origin, tt.db, tt.scope, tt.mode, func(*Tx) error { return nil }); weberr.NameOf(err) != tt.want {
			t.Errorf("Run(%q, %v, %v) = %v, want %s", tt.db, tt.scope, tt.mode, err, tt.want)
		}
	}
	list, err := f.Databases(ctx, origin)
	if err != nil || len(list) != 1 || list[0].Name != "db" {
		t.Fatalf("Run created a database: %v %v", list, err)
	}
	// The script's connection still works.
	if _, err := c.Transaction([]string{"s"}, ReadOnly); err != nil {
		t.Fatal(err)
	}
}

// TestRunGivesWayToUpgrades: a script's upgrade closes the host's
// connection, whose transaction aborts, instead of being blocked by it.
func TestRunGivesWayToUpgrades(t *testing.T) {
	f := newFactory()
	c := setup(t, f)
	c.Close()
	inside := make(chan struct{})
	release := make(chan struct{})
	runErr := make(chan error, 1)
	go func() {
		runErr <- f.Run(context.Background(), origin, "db", []string{"s"}, ReadOnly, func(*Tx) error {
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside
	upgraded := make(chan openResult, 1)
	go func() { upgraded <- open(t, f, "db", 2, Events{}, nil) }()
	// Wait until the upgrade's versionchange has closed the host's
	// connection, then let its transaction go on.
	d := f.inUse(origin, "db")
	d.waitFor(func() bool {
		for _, c := range d.conns {
			if c.closePending {
				return true
			}
		}
		return false
	})
	close(release)
	if r := <-upgraded; r.err != nil || r.conn.Version() != 2 || r.blocked {
		t.Fatalf("upgrade: %+v", r)
	}
	if err := <-runErr; weberr.NameOf(err) != weberr.AbortError {
		t.Fatalf("Run = %v, want AbortError", err)
	}
}

package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestStmtCache: statements run in write transactions (the SQLite writer
// has a single connection) get cached without a deadlock, reads and
// writes keep working from the cache, and the cache stops at
// maxCachedStmts distinct texts.
func TestStmtCache(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := st
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				k := fmt.Sprintf("k%d-%d", g, i)
				if err := s.Put(ctx, k, []byte(k)); err != nil {
					t.Error(err)
					return
				}
				if v, err := s.Get(ctx, k); err != nil || string(v) != k {
					t.Errorf("get %s = %q, %v", k, v, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	// The writer's statements were prepared on another goroutine once a
	// transaction missed them: wait for them to land.
	s.wStmts.wg.Wait()
	if s.wStmts.cachedCount() == 0 {
		t.Fatal("no write statement was cached")
	}
	if s.rStmts.cachedCount() == 0 {
		t.Error("no read statement was cached")
	}
	// Still right with the cached statements.
	if err := s.Put(ctx, "last", []byte("v")); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get(ctx, "last"); err != nil || string(v) != "v" {
		t.Fatalf("get = %q, %v", v, err)
	}

	c := newStmtCache(s.r)
	defer c.close()
	for i := range maxCachedStmts + 10 {
		st := c.get(ctx, fmt.Sprintf("SELECT %d", i))
		if (i < maxCachedStmts) != (st != nil) {
			t.Fatalf("query %d cached: %v", i, st != nil)
		}
	}
	if n := c.cachedCount(); n != maxCachedStmts {
		t.Errorf("%d statements cached, want %d", n, maxCachedStmts)
	}
	if c.get(ctx, "SELECT FROM nowhere") != nil {
		t.Error("a query that does not prepare was cached")
	}
}

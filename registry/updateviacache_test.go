package registry

import (
	"context"
	"testing"

	"github.com/swhost/swhost/httpcache"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/sw"
)

// TestUpdateViaCache registers a worker whose main and imported scripts
// are cacheable for an hour, then updates it: the update via cache mode
// decides which scripts come from the HTTP cache and which from the
// network (counted at the upstream).
func TestUpdateViaCache(t *testing.T) {
	tests := []struct {
		mode             sw.UpdateViaCache
		mainHits, libHit int // upstream hits after register + update
	}{
		{sw.UpdateViaCacheImports, 2, 1}, // main always revalidated, imports from the cache
		{sw.UpdateViaCacheAll, 1, 1},     // both from the cache
		{sw.UpdateViaCacheNone, 2, 2},    // both revalidated
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			e := newEnv(t)
			e.close()
			ctx := context.Background()
			st, err := store.Open(ctx, e.dir)
			if err != nil {
				t.Fatal(err)
			}
			r, err := New(ctx, Options{Store: st, Network: CachedNetwork(httpcache.New(st, httpcache.Options{}), e.net), Limits: testLimits})
			if err != nil {
				t.Fatal(err)
			}
			defer func() { r.Close(); st.Close() }()
			cacheable := map[string]string{"Cache-Control": "max-age=3600"}
			e.app.setFile("/lib.js", file{body: `self.x = 1;`, headers: cacheable})
			e.app.setFile("/sw.js", file{body: `importScripts('/lib.js'); self.addEventListener('fetch', () => {});`, headers: cacheable})
			reg, err := r.Register(ctx, RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "/sw.js", UpdateViaCache: tt.mode})
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Update(ctx, reg); err != nil {
				t.Fatal(err)
			}
			e.app.mu.Lock()
			mainHits, libHits := e.app.hits["/sw.js"], e.app.hits["/lib.js"]
			e.app.mu.Unlock()
			if mainHits != tt.mainHits || libHits != tt.libHit {
				t.Errorf("upstream hits: sw.js %d, lib.js %d; want %d, %d", mainHits, libHits, tt.mainHits, tt.libHit)
			}
		})
	}
}

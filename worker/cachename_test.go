package worker

import (
	"context"
	"net/http"
	"testing"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/store"
)

// TestCacheNamesAreDOMStrings opens caches whose names differ only in
// lone surrogates, on the in-memory backend and on the SQL store (closed
// and reopened in between): Cache Storage names are DOMStrings, so
// '\ud800', '\udc00' and '\ufffd' are three caches, and keys() gives the
// names back exactly. A cache stored before, under a UTF-8 name, is found
// under the same JavaScript string. Before names travelled as WTF-8,
// '\ud800' and '\udc00' both became U+FFFD and opened the same cache.
func TestCacheNamesAreDOMStrings(t *testing.T) {
	const script = `
const names = ['\ud800', '\udc00', '\ufffd', 'x\udbff\udfffy', 'v\u00e9\ud83d\ude00'];
return (async () => {
  if (self.phase === 'write') {
    for (const n of names) await (await caches.open(n)).put('https://app.test/' + encodeURIComponent(n.length), new Response(n.length + ':' + names.indexOf(n)));
  }
  const keys = await caches.keys();
  const out = [];
  for (const n of names) {
    const c = await caches.open(n);
    const r = await c.match('https://app.test/' + encodeURIComponent(n.length));
    out.push(r ? await r.text() : null);
  }
  return [keys.filter((k) => k !== 'old').map((k) => names.indexOf(k)), out, await caches.has('\ud800'), await caches.has('\udc01'),
    (await (await caches.open('old')).match('https://app.test/old')).status, keys.includes('old')];
})();`
	backends := []struct {
		name string
		open func(t *testing.T) (cachestorage.Backend, func() cachestorage.Backend)
	}{
		{"memory", func(*testing.T) (cachestorage.Backend, func() cachestorage.Backend) {
			b := cachestorage.NewMemoryBackend()
			return b, func() cachestorage.Backend { return b }
		}},
		{"sql", func(t *testing.T) (cachestorage.Backend, func() cachestorage.Backend) {
			dir := t.TempDir()
			s, err := store.Open(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			return s.CacheStorage(), func() cachestorage.Backend {
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				s, err = store.Open(context.Background(), dir)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s.CacheStorage()
			}
		}},
	}
	const want = `{"value":[[0,1,2,3,4],["1:0","1:1","1:2","4:3","4:4"],true,false,200,true]}`
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			backend, reopen := b.open(t)
			cs := forOrigin(t, backend)
			// A cache stored under a UTF-8 name before names were WTF-8.
			old, err := cs.Open(context.Background(), "old")
			if err != nil {
				t.Fatal(err)
			}
			if err := old.Put(context.Background(), creqT("https://app.test/old"), crespT("old")); err != nil {
				t.Fatal(err)
			}
			if got := runEval(t, `self.phase = 'write';`+script, Options{Caches: cs}); got != want {
				t.Errorf("first run:\ngot  %s\nwant %s", got, want)
			}
			if got := runEval(t, script, Options{Caches: forOrigin(t, reopen())}); got != want {
				t.Errorf("after reopening:\ngot  %s\nwant %s", got, want)
			}
		})
	}
}

func forOrigin(t *testing.T, b cachestorage.Backend) *cachestorage.CacheStorage {
	t.Helper()
	cs, err := cachestorage.New(b, cachestorage.Limits{}).For("https://app.test")
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func creqT(url string) *fetch.Request {
	return &fetch.Request{Method: "GET", URL: url, Header: http.Header{}}
}

func crespT(body string) *fetch.Response {
	return &fetch.Response{Type: fetch.TypeBasic, Status: 200, Header: http.Header{}, Body: []byte(body)}
}

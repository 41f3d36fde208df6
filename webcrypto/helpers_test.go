package webcrypto

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"sync"
	"testing"

	"github.com/swhost/swhost/weberr"
)

// vectors reads a testdata JSON file of hex strings (or objects of them).
func vectors(t testing.TB, name string) map[string]json.RawMessage {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

var (
	wptOnce sync.Once
	wptVec  map[string][]byte
)

// wpt returns a vector of testdata/wpt.json.
func wpt(t testing.TB, key string) []byte {
	t.Helper()
	wptOnce.Do(func() {
		wptVec = map[string][]byte{}
		for k, v := range vectors(t, "wpt.json") {
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				t.Fatal(err)
			}
			wptVec[k] = unhex(t, s)
		}
	})
	b, ok := wptVec[key]
	if !ok {
		t.Fatalf("no vector %q", key)
	}
	return b
}

// rfc returns the fields of a testdata/rfc.json vector; hex fields are
// decoded by the caller with unhex.
func rfc(t testing.TB, key string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(vectors(t, "rfc.json")[key], &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func rfcHex(t testing.TB, v map[string]any, field string) []byte {
	t.Helper()
	s, ok := v[field].(string)
	if !ok {
		t.Fatalf("no field %q", field)
	}
	return unhex(t, s)
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wantErr fails unless err carries the exception name want.
func wantErr(t testing.TB, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s", want)
	}
	if got := weberr.NameOf(err); got != want {
		t.Fatalf("error %q is a %q, want %s", err, got, want)
	}
}

func mustImport(t testing.TB, format string, data any, alg any, extractable bool, usages ...string) *Key {
	t.Helper()
	k, err := ImportKey(format, data, alg, extractable, usages)
	if err != nil {
		t.Fatalf("importKey(%s, %v): %v", format, alg, err)
	}
	return k
}

func mustGenerate(t testing.TB, alg any, extractable bool, usages ...string) (*Key, *KeyPair) {
	t.Helper()
	k, p, err := GenerateKey(alg, extractable, usages)
	if err != nil {
		t.Fatalf("generateKey(%v): %v", alg, err)
	}
	return k, p
}

var (
	rsaOnce           sync.Once
	rsaPKCS8, rsaSPKI []byte
)

// rsaKeyData returns one RSA-2048 key pair per test binary, as pkcs8 and
// spki, generated through GenerateKey and exported.
func rsaKeyData(t testing.TB) (pkcs8, spki []byte) {
	t.Helper()
	rsaOnce.Do(func() {
		_, p, err := GenerateKey(map[string]any{"name": "RSA-PSS", "modulusLength": 2048.0,
			"publicExponent": []byte{1, 0, 1}, "hash": "SHA-256"}, true, []string{"sign", "verify"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := ExportKey("pkcs8", p.PrivateKey)
		if err != nil {
			t.Fatal(err)
		}
		b, err := ExportKey("spki", p.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		rsaPKCS8, rsaSPKI = a.([]byte), b.([]byte)
	})
	if rsaPKCS8 == nil {
		t.Fatal("no RSA key")
	}
	return rsaPKCS8, rsaSPKI
}

func ptr(n int) *int { return &n }

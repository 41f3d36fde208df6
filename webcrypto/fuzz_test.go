package webcrypto

import (
	"encoding/json"
	"testing"

	"github.com/swhost/swhost/weberr"
)

// The parsers must never panic, and must fail only with the names the spec
// allows for bad key data: DataError (bad data), SyntaxError (usages), and
// NotSupportedError / TypeError where the format or data type is wrong.

var fuzzAlgs = []struct {
	alg    any
	usages []string
}{
	{"AES-GCM", []string{"encrypt"}},
	{map[string]any{"name": "HMAC", "hash": "SHA-256"}, []string{"sign"}},
	{map[string]any{"name": "ECDSA", "namedCurve": "P-256"}, []string{"verify"}},
	{map[string]any{"name": "ECDSA", "namedCurve": "P-384"}, []string{"sign"}},
	{map[string]any{"name": "ECDH", "namedCurve": "P-521"}, []string{"deriveBits"}},
	{map[string]any{"name": "ECDH", "namedCurve": "P-256"}, nil},
	{"Ed25519", []string{"sign"}},
	{"Ed25519", []string{"verify"}},
	{"X25519", []string{"deriveKey"}},
	{"X25519", nil},
	{map[string]any{"name": "RSA-PSS", "hash": "SHA-256"}, []string{"sign"}},
	{map[string]any{"name": "RSA-OAEP", "hash": "SHA-1"}, []string{"encrypt"}},
}

func checkFuzzErr(t *testing.T, err error) {
	switch weberr.NameOf(err) {
	case "", ErrData, ErrSyntax, ErrNotSupported:
	default:
		t.Fatalf("unexpected error %v", err)
	}
}

// exerciseKey uses an imported key so that a key that imported but is broken
// inside shows up as a panic.
func exerciseKey(t *testing.T, k *Key) {
	if k == nil {
		return
	}
	for _, f := range []string{"raw", "spki", "pkcs8", "jwk"} {
		if out, err := ExportKey(f, k.with(true, k.usages)); err == nil && f == "jwk" {
			if _, err := json.Marshal(out); err != nil {
				t.Fatal(err)
			}
		}
	}
	b, err := k.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var k2 Key
	if err := k2.UnmarshalBinary(b); err != nil {
		t.Fatalf("round trip of an imported key: %v", err)
	}
}

func fuzzSeeds(f *testing.F) (spki, pkcs8, jwks [][]byte) {
	pk, sp := rsaKeyData(f)
	spki = append(spki, sp)
	pkcs8 = append(pkcs8, pk)
	for _, alg := range []any{ecdsaP256, map[string]any{"name": "ECDSA", "namedCurve": "P-384"}, map[string]any{"name": "ECDH", "namedCurve": "P-521"}, "Ed25519", "X25519"} {
		u := []string{"sign"}
		if m, ok := alg.(map[string]any); (ok && m["name"] == "ECDH") || alg == "X25519" {
			u = []string{"deriveBits"}
		}
		_, p := mustGenerate(f, alg, true, u...)
		a, _ := ExportKey("spki", p.PublicKey)
		b, _ := ExportKey("pkcs8", p.PrivateKey)
		c, _ := ExportKey("jwk", p.PrivateKey)
		d, _ := ExportKey("jwk", p.PublicKey)
		spki = append(spki, a.([]byte))
		pkcs8 = append(pkcs8, b.([]byte))
		cj, _ := json.Marshal(c)
		dj, _ := json.Marshal(d)
		jwks = append(jwks, cj, dj)
	}
	jwks = append(jwks, []byte(`{"kty":"oct","k":"AAAAAAAAAAAAAAAAAAAAAA","alg":"A128GCM","ext":true,"key_ops":["encrypt"]}`))
	return spki, pkcs8, jwks
}

func FuzzImportJWK(f *testing.F) {
	_, _, jwks := fuzzSeeds(f)
	for _, j := range jwks {
		f.Add(j)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		j, err := ParseJWK(data)
		if err != nil {
			if weberr.NameOf(err) != ErrData {
				t.Fatalf("ParseJWK: %v", err)
			}
			return
		}
		if _, err := json.Marshal(j); err != nil {
			t.Fatal(err)
		}
		for _, a := range fuzzAlgs {
			k, err := ImportKey("jwk", j, a.alg, false, a.usages)
			checkFuzzErr(t, err)
			exerciseKey(t, k)
		}
	})
}

func FuzzImportSPKI(f *testing.F) {
	spki, _, _ := fuzzSeeds(f)
	for _, b := range spki {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, a := range fuzzAlgs {
			k, err := ImportKey("spki", data, a.alg, true, a.usages)
			checkFuzzErr(t, err)
			exerciseKey(t, k)
			k, err = ImportKey("raw", data, a.alg, true, a.usages)
			checkFuzzErr(t, err)
			exerciseKey(t, k)
		}
	})
}

func FuzzImportPKCS8(f *testing.F) {
	_, pkcs8, _ := fuzzSeeds(f)
	for _, b := range pkcs8 {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, a := range fuzzAlgs {
			k, err := ImportKey("pkcs8", data, a.alg, true, a.usages)
			checkFuzzErr(t, err)
			exerciseKey(t, k)
		}
	})
}

func FuzzUnmarshalKey(f *testing.F) {
	_, p := mustGenerate(f, ecdsaP256, true, "sign")
	b, _ := p.PrivateKey.MarshalBinary()
	f.Add(b)
	k, _ := mustGenerate(f, aesGCM128, true, "encrypt")
	b, _ = k.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var k Key
		if err := k.UnmarshalBinary(data); err != nil {
			if weberr.NameOf(err) != ErrDataClone {
				t.Fatalf("UnmarshalBinary: %v", err)
			}
			return
		}
		if _, err := k.MarshalBinary(); err != nil {
			t.Fatal(err)
		}
	})
}

package webcrypto

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

var (
	aesGCM128  = map[string]any{"name": "AES-GCM", "length": 128.0}
	hmac256    = map[string]any{"name": "HMAC", "hash": "SHA-256"}
	ecdsaP256  = map[string]any{"name": "ECDSA", "namedCurve": "P-256"}
	ecdhP384   = map[string]any{"name": "ECDH", "namedCurve": "P-384"}
	rsaPSS256  = map[string]any{"name": "RSA-PSS", "hash": "SHA-256"}
	rsaOAEP256 = map[string]any{"name": "RSA-OAEP", "hash": "SHA-256"}
)

// TestGenerateKey checks the attributes of generated keys and pairs.
func TestGenerateKey(t *testing.T) {
	tests := []struct {
		alg                 any
		usages              []string
		pubUsages, usagesOf []string // usagesOf: the secret or private key's
		algorithm           KeyAlgorithm
	}{
		{map[string]any{"name": "aes-cbc", "length": 256}, []string{"decrypt", "encrypt", "encrypt"}, nil, []string{"encrypt", "decrypt"}, KeyAlgorithm{Name: "AES-CBC", Length: 256}},
		{map[string]any{"name": "AES-KW", "length": 192}, []string{"unwrapKey", "wrapKey"}, nil, []string{"wrapKey", "unwrapKey"}, KeyAlgorithm{Name: "AES-KW", Length: 192}},
		{hmac256, []string{"verify"}, nil, []string{"verify"}, KeyAlgorithm{Name: "HMAC", Hash: "SHA-256", Length: 512}},
		{map[string]any{"name": "HMAC", "hash": "SHA-512"}, []string{"sign"}, nil, []string{"sign"}, KeyAlgorithm{Name: "HMAC", Hash: "SHA-512", Length: 1024}},
		{map[string]any{"name": "HMAC", "hash": "SHA-1", "length": 77}, []string{"sign"}, nil, []string{"sign"}, KeyAlgorithm{Name: "HMAC", Hash: "SHA-1", Length: 77}},
		{ecdsaP256, []string{"sign", "verify"}, []string{"verify"}, []string{"sign"}, KeyAlgorithm{Name: "ECDSA", NamedCurve: "P-256"}},
		{ecdhP384, []string{"deriveBits"}, []string{}, []string{"deriveBits"}, KeyAlgorithm{Name: "ECDH", NamedCurve: "P-384"}},
		{map[string]any{"name": "ECDH", "namedCurve": "P-521"}, []string{"deriveKey", "deriveBits"}, []string{}, []string{"deriveKey", "deriveBits"}, KeyAlgorithm{Name: "ECDH", NamedCurve: "P-521"}},
		{"Ed25519", []string{"sign", "verify"}, []string{"verify"}, []string{"sign"}, KeyAlgorithm{Name: "Ed25519"}},
		{"x25519", []string{"deriveKey"}, []string{}, []string{"deriveKey"}, KeyAlgorithm{Name: "X25519"}},
	}
	for _, tt := range tests {
		t.Run(tt.algorithm.Name, func(t *testing.T) {
			k, p := mustGenerate(t, tt.alg, false, tt.usages...)
			if tt.pubUsages == nil {
				if k == nil || p != nil || k.Type() != Secret {
					t.Fatalf("got %v, %v; want a secret key", k, p)
				}
			} else {
				if k != nil || p == nil {
					t.Fatalf("got %v, %v; want a key pair", k, p)
				}
				if !p.PublicKey.Extractable() || p.PublicKey.Type() != Public || !slices.Equal(p.PublicKey.Usages(), tt.pubUsages) {
					t.Fatalf("public key %v", p.PublicKey)
				}
				if !reflect.DeepEqual(p.PublicKey.Algorithm(), tt.algorithm) {
					t.Fatalf("public algorithm %+v", p.PublicKey.Algorithm())
				}
				k = p.PrivateKey
				if k.Type() != Private {
					t.Fatalf("private key %v", k)
				}
			}
			if k.Extractable() || !slices.Equal(k.Usages(), tt.usagesOf) || !reflect.DeepEqual(k.Algorithm(), tt.algorithm) {
				t.Fatalf("key %v algorithm %+v", k, k.Algorithm())
			}
		})
	}
	k, _ := mustGenerate(t, map[string]any{"name": "HMAC", "hash": "SHA-1", "length": 77}, true, "sign")
	raw, _ := ExportKey("raw", k)
	if b := raw.([]byte); len(b) != 10 || b[9]&0x07 != 0 {
		t.Fatalf("77-bit HMAC key %x", b)
	}
}

// TestErrors checks the exception names of failure paths.
func TestErrors(t *testing.T) {
	aes, _ := mustGenerate(t, aesGCM128, true, "encrypt")
	aesNX, _ := mustGenerate(t, aesGCM128, false, "encrypt", "decrypt")
	hm, _ := mustGenerate(t, hmac256, true, "sign")
	_, ec := mustGenerate(t, ecdsaP256, true, "sign", "verify")
	_, dh := mustGenerate(t, ecdhP384, true, "deriveBits")
	_, dh2 := mustGenerate(t, ecdhP384, true, "deriveKey")
	_, dh256 := mustGenerate(t, map[string]any{"name": "ECDH", "namedCurve": "P-256"}, true, "deriveBits")
	_, x := mustGenerate(t, "X25519", true, "deriveBits")
	_, ed := mustGenerate(t, "Ed25519", true, "sign", "verify")
	hk := mustImport(t, "raw", []byte("secret"), "HKDF", false, "deriveKey")
	iv := make([]byte, 12)
	gcm := map[string]any{"name": "AES-GCM", "iv": iv}
	ecRaw, _ := ExportKey("raw", ec.PublicKey)
	ecJWK, _ := ExportKey("jwk", ec.PrivateKey)
	ecJ := ecJWK.(*JWK).Map()
	with := func(m map[string]any, k string, v any) map[string]any {
		c := map[string]any{}
		for a, b := range m {
			c[a] = b
		}
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	oct := map[string]any{"kty": "oct", "k": enc(make([]byte, 16))}
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		// Usages and algorithm mismatches.
		{"encrypt without usage", func() error { _, err := Decrypt(gcm, aes, make([]byte, 32)); return err }, ErrInvalidAccess},
		{"encrypt with another algorithm", func() error {
			_, err := Encrypt(map[string]any{"name": "AES-CBC", "iv": make([]byte, 16)}, aes, nil)
			return err
		}, ErrInvalidAccess},
		{"sign with verify-only key", func() error {
			_, err := Sign("HMAC", mustImport(t, "raw", []byte{1}, hmac256, false, "verify"), nil)
			return err
		}, ErrInvalidAccess},
		{"ecdsa sign with public key", func() error {
			k := mustImport(t, "raw", ecRaw.([]byte), ecdsaP256, true, "verify")
			_, err := Sign(map[string]any{"name": "ECDSA", "hash": "SHA-256"}, k.with(true, uSign), nil)
			return err
		}, ErrInvalidAccess},
		{"ed25519 verify with private key", func() error {
			_, err := Verify("Ed25519", ed.PrivateKey.with(true, uVerify), make([]byte, 64), nil)
			return err
		}, ErrInvalidAccess},
		{"deriveBits without usage", func() error {
			_, err := DeriveBits(map[string]any{"name": "ECDH", "public": dh.PublicKey}, dh2.PrivateKey, nil)
			return err
		}, ErrInvalidAccess},
		{"ecdh public is private", func() error {
			_, err := DeriveBits(map[string]any{"name": "ECDH", "public": dh.PrivateKey}, dh.PrivateKey, nil)
			return err
		}, ErrInvalidAccess},
		{"ecdh curve mismatch", func() error {
			_, err := DeriveBits(map[string]any{"name": "ECDH", "public": dh256.PublicKey}, dh.PrivateKey, nil)
			return err
		}, ErrInvalidAccess},
		{"ecdh public of other algorithm", func() error {
			_, err := DeriveBits(map[string]any{"name": "ECDH", "public": ec.PublicKey}, dh.PrivateKey, nil)
			return err
		}, ErrInvalidAccess},
		{"x25519 public of other algorithm", func() error {
			_, err := DeriveBits(map[string]any{"name": "X25519", "public": dh.PublicKey}, x.PrivateKey, nil)
			return err
		}, ErrInvalidAccess},
		{"ecdh base key of another algorithm", func() error {
			_, err := DeriveBits(map[string]any{"name": "ECDH", "public": x.PublicKey}, x.PrivateKey, nil)
			return err
		}, ErrInvalidAccess},
		{"export non-extractable", func() error { _, err := ExportKey("raw", aesNX); return err }, ErrInvalidAccess},
		{"export private as raw", func() error { _, err := ExportKey("raw", ec.PrivateKey); return err }, ErrInvalidAccess},
		{"export public as pkcs8", func() error { _, err := ExportKey("pkcs8", ed.PublicKey); return err }, ErrInvalidAccess},
		{"export aes as spki", func() error { _, err := ExportKey("spki", aes); return err }, ErrNotSupported},
		{"export bad format", func() error { _, err := ExportKey("pem", aes); return err }, ErrType},
		{"wrap non-extractable", func() error { _, err := WrapKey("raw", aesNX, aes.with(true, uWrapKey), gcm); return err }, ErrInvalidAccess},
		{"wrap without usage", func() error { _, err := WrapKey("raw", aes, aes, gcm); return err }, ErrInvalidAccess},
		{"wrap with digest", func() error { _, err := WrapKey("raw", aes, aes, "SHA-256"); return err }, ErrNotSupported},
		// Generation.
		{"aes bad length", func() error {
			_, _, err := GenerateKey(map[string]any{"name": "AES-GCM", "length": 64}, true, []string{"encrypt"})
			return err
		}, ErrOperation},
		{"aes bad usage", func() error { _, _, err := GenerateKey(aesGCM128, true, []string{"sign"}); return err }, ErrSyntax},
		{"aes empty usages", func() error { _, _, err := GenerateKey(aesGCM128, true, nil); return err }, ErrSyntax},
		{"aes-kw encrypt usage", func() error {
			_, _, err := GenerateKey(map[string]any{"name": "AES-KW", "length": 128}, true, []string{"encrypt"})
			return err
		}, ErrSyntax},
		{"unknown usage", func() error { _, _, err := GenerateKey(aesGCM128, true, []string{"encrypt", "frob"}); return err }, ErrType},
		{"hmac zero length", func() error {
			_, _, err := GenerateKey(map[string]any{"name": "HMAC", "hash": "SHA-1", "length": 0}, true, []string{"sign"})
			return err
		}, ErrOperation},
		{"ecdsa bad curve", func() error {
			_, _, err := GenerateKey(map[string]any{"name": "ECDSA", "namedCurve": "P-512"}, true, []string{"sign"})
			return err
		}, ErrNotSupported},
		{"ecdsa verify-only pair", func() error { _, _, err := GenerateKey(ecdsaP256, true, []string{"verify"}); return err }, ErrSyntax},
		{"ecdh encrypt usage", func() error { _, _, err := GenerateKey(ecdhP384, true, []string{"encrypt"}); return err }, ErrSyntax},
		{"x25519 no usages", func() error { _, _, err := GenerateKey("X25519", true, nil); return err }, ErrSyntax},
		{"rsa exponent 3", func() error {
			_, _, err := GenerateKey(map[string]any{"name": "RSA-PSS", "modulusLength": 2048, "publicExponent": []byte{3}, "hash": "SHA-256"}, true, []string{"sign"})
			return err
		}, ErrOperation},
		{"rsa tiny modulus", func() error {
			_, _, err := GenerateKey(map[string]any{"name": "RSA-OAEP", "modulusLength": 512, "publicExponent": []byte{1, 0, 1}, "hash": "SHA-256"}, true, []string{"encrypt"})
			return err
		}, ErrOperation},
		{"rsa sign usage for oaep", func() error {
			_, _, err := GenerateKey(map[string]any{"name": "RSA-OAEP", "modulusLength": 2048, "publicExponent": []byte{1, 0, 1}, "hash": "SHA-256"}, true, []string{"sign"})
			return err
		}, ErrSyntax},
		{"generate hkdf", func() error { _, _, err := GenerateKey("HKDF", false, []string{"deriveKey"}); return err }, ErrNotSupported},
		// Import.
		{"import aes 120 bits", func() error {
			_, err := ImportKey("raw", make([]byte, 15), "AES-GCM", true, []string{"encrypt"})
			return err
		}, ErrData},
		{"import aes spki", func() error {
			_, err := ImportKey("spki", make([]byte, 16), "AES-GCM", true, []string{"encrypt"})
			return err
		}, ErrNotSupported},
		{"import aes bad usage", func() error {
			_, err := ImportKey("raw", make([]byte, 16), "AES-GCM", true, []string{"sign"})
			return err
		}, ErrSyntax},
		{"import aes no usages", func() error { _, err := ImportKey("raw", make([]byte, 16), "AES-GCM", true, nil); return err }, ErrSyntax},
		{"import raw not bytes", func() error { _, err := ImportKey("raw", "abc", "AES-GCM", true, []string{"encrypt"}); return err }, ErrType},
		{"import jwk not a dict", func() error {
			_, err := ImportKey("jwk", []byte("{}"), "AES-GCM", true, []string{"encrypt"})
			return err
		}, ErrType},
		{"import bad format", func() error { _, err := ImportKey("pem", []byte{}, "AES-GCM", true, []string{"encrypt"}); return err }, ErrType},
		{"import jwk wrong kty", func() error {
			_, err := ImportKey("jwk", with(oct, "kty", "EC"), "AES-GCM", true, []string{"encrypt"})
			return err
		}, ErrData},
		{"import jwk no k", func() error {
			_, err := ImportKey("jwk", with(oct, "k", nil), "AES-GCM", true, []string{"encrypt"})
			return err
		}, ErrData},
		{"import jwk bad base64", func() error {
			_, err := ImportKey("jwk", with(oct, "k", "a+b/"), "AES-GCM", true, []string{"encrypt"})
			return err
		}, ErrData},
		{"import jwk wrong alg", func() error {
			_, err := ImportKey("jwk", with(oct, "alg", "A256GCM"), "AES-GCM", true, []string{"encrypt"})
			return err
		}, ErrData},
		{"import jwk alg of other mode", func() error {
			_, err := ImportKey("jwk", with(oct, "alg", "A128CBC"), "AES-GCM", true, []string{"encrypt"})
			return err
		}, ErrData},
		{"import jwk empty alg", func() error {
			_, err := ImportKey("jwk", with(oct, "alg", ""), "AES-GCM", true, []string{"encrypt"})
			return err
		}, ErrData},
		{"import jwk wrong use", func() error {
			_, err := ImportKey("jwk", with(oct, "use", "sig"), "AES-GCM", true, []string{"encrypt"})
			return err
		}, ErrData},
		{"import jwk key_ops lacks usage", func() error {
			_, err := ImportKey("jwk", with(oct, "key_ops", []any{"decrypt"}), "AES-GCM", true, []string{"encrypt"})
			return err
		}, ErrData},
		{"import jwk key_ops duplicate", func() error {
			_, err := ImportKey("jwk", with(oct, "key_ops", []any{"encrypt", "encrypt"}), "AES-GCM", true, []string{"encrypt"})
			return err
		}, ErrData},
		{"import jwk key_ops not strings", func() error {
			_, err := ImportKey("jwk", with(oct, "key_ops", []any{1.0}), "AES-GCM", true, []string{"encrypt"})
			return err
		}, ErrType},
		{"import jwk ext false, extractable", func() error {
			_, err := ImportKey("jwk", with(oct, "ext", false), "AES-GCM", true, []string{"encrypt"})
			return err
		}, ErrData},
		{"import hmac empty", func() error { _, err := ImportKey("raw", []byte{}, hmac256, true, []string{"sign"}); return err }, ErrData},
		{"import hmac length too long", func() error {
			_, err := ImportKey("raw", make([]byte, 4), map[string]any{"name": "HMAC", "hash": "SHA-1", "length": 33}, true, []string{"sign"})
			return err
		}, ErrData},
		{"import hmac length a byte short", func() error {
			_, err := ImportKey("raw", make([]byte, 4), map[string]any{"name": "HMAC", "hash": "SHA-1", "length": 24}, true, []string{"sign"})
			return err
		}, ErrData},
		{"import hmac jwk alg for other hash", func() error {
			_, err := ImportKey("jwk", with(oct, "alg", "HS512"), hmac256, true, []string{"sign"})
			return err
		}, ErrData},
		{"import hmac jwk use enc", func() error {
			_, err := ImportKey("jwk", with(oct, "use", "enc"), hmac256, true, []string{"sign"})
			return err
		}, ErrData},
		{"import hkdf extractable", func() error { _, err := ImportKey("raw", []byte{1}, "HKDF", true, []string{"deriveBits"}); return err }, ErrSyntax},
		{"import pbkdf2 jwk", func() error { _, err := ImportKey("jwk", oct, "PBKDF2", false, []string{"deriveBits"}); return err }, ErrNotSupported},
		{"import pbkdf2 sign usage", func() error { _, err := ImportKey("raw", []byte{1}, "PBKDF2", false, []string{"sign"}); return err }, ErrSyntax},
		{"import ec raw private usage", func() error {
			_, err := ImportKey("raw", ecRaw.([]byte), ecdsaP256, true, []string{"sign"})
			return err
		}, ErrSyntax},
		{"import ec raw unknown curve", func() error {
			_, err := ImportKey("raw", ecRaw.([]byte), map[string]any{"name": "ECDSA", "namedCurve": "P-512"}, true, []string{"verify"})
			return err
		}, ErrData},
		{"import ec raw on other curve", func() error {
			_, err := ImportKey("raw", ecRaw.([]byte), map[string]any{"name": "ECDSA", "namedCurve": "P-384"}, true, []string{"verify"})
			return err
		}, ErrData},
		{"import ec raw off curve", func() error {
			b := bytes.Clone(ecRaw.([]byte))
			b[40] ^= 1
			_, err := ImportKey("raw", b, ecdsaP256, true, []string{"verify"})
			return err
		}, ErrData},
		{"import ec spki curve mismatch", func() error {
			b, _ := ExportKey("spki", ec.PublicKey)
			_, err := ImportKey("spki", b, map[string]any{"name": "ECDSA", "namedCurve": "P-384"}, true, []string{"verify"})
			return err
		}, ErrData},
		{"import ecdh spki with usages", func() error {
			b, _ := ExportKey("spki", dh.PublicKey)
			_, err := ImportKey("spki", b, ecdhP384, true, []string{"deriveBits"})
			return err
		}, ErrSyntax},
		{"import ec jwk wrong crv", func() error {
			_, err := ImportKey("jwk", with(ecJ, "crv", "P-384"), ecdsaP256, true, []string{"sign"})
			return err
		}, ErrData},
		{"import ec jwk unknown crv", func() error {
			_, err := ImportKey("jwk", with(ecJ, "crv", "P-512"), map[string]any{"name": "ECDSA", "namedCurve": "P-512"}, true, []string{"sign"})
			return err
		}, ErrData},
		{"import ec jwk wrong kty", func() error {
			_, err := ImportKey("jwk", with(ecJ, "kty", "OKP"), ecdsaP256, true, []string{"sign"})
			return err
		}, ErrData},
		{"import ec jwk no y", func() error {
			_, err := ImportKey("jwk", with(ecJ, "y", nil), ecdsaP256, true, []string{"sign"})
			return err
		}, ErrData},
		{"import ec jwk short x", func() error {
			_, err := ImportKey("jwk", with(ecJ, "x", enc(make([]byte, 31))), ecdsaP256, true, []string{"sign"})
			return err
		}, ErrData},
		{"import ec jwk wrong alg", func() error {
			_, err := ImportKey("jwk", with(ecJ, "alg", "ES384"), ecdsaP256, true, []string{"sign"})
			return err
		}, ErrData},
		{"import ec jwk mismatched d", func() error {
			_, other := mustGenerate(t, ecdsaP256, true, "sign")
			j, _ := ExportKey("jwk", other.PrivateKey)
			_, err := ImportKey("jwk", with(ecJ, "d", j.(*JWK).D), ecdsaP256, true, []string{"sign"})
			return err
		}, ErrData},
		{"import ec jwk private, verify usage", func() error { _, err := ImportKey("jwk", ecJ, ecdsaP256, true, []string{"verify"}); return err }, ErrSyntax},
		{"import ec jwk private, no usages", func() error { _, err := ImportKey("jwk", ecJ, ecdsaP256, true, nil); return err }, ErrSyntax},
		{"import ec pkcs8 garbage", func() error {
			_, err := ImportKey("pkcs8", []byte{0x30, 0x03, 0x02, 0x01, 0x00}, ecdsaP256, true, []string{"sign"})
			return err
		}, ErrData},
		{"import ed25519 spki as x25519", func() error {
			b, _ := ExportKey("spki", ed.PublicKey)
			_, err := ImportKey("spki", b, "X25519", true, nil)
			return err
		}, ErrData},
		{"import ed25519 raw short", func() error {
			_, err := ImportKey("raw", make([]byte, 31), "Ed25519", true, []string{"verify"})
			return err
		}, ErrData},
		{"import ed25519 jwk wrong crv", func() error {
			j, _ := ExportKey("jwk", ed.PublicKey)
			m := j.(*JWK).Map()
			m["crv"] = "X25519"
			_, err := ImportKey("jwk", m, "Ed25519", true, []string{"verify"})
			return err
		}, ErrData},
		{"import ed25519 jwk bad alg", func() error {
			j, _ := ExportKey("jwk", ed.PublicKey)
			m := j.(*JWK).Map()
			m["alg"] = "ED25519"
			_, err := ImportKey("jwk", m, "Ed25519", true, []string{"verify"})
			return err
		}, ErrData},
		{"import x25519 raw with usages", func() error {
			_, err := ImportKey("raw", make([]byte, 32), "X25519", true, []string{"deriveBits"})
			return err
		}, ErrSyntax},
		// Operation parameters.
		{"aes-gcm bad tagLength", func() error {
			_, err := Encrypt(map[string]any{"name": "AES-GCM", "iv": iv, "tagLength": 48}, aes, nil)
			return err
		}, ErrOperation},
		{"aes-gcm empty iv", func() error {
			_, err := Encrypt(map[string]any{"name": "AES-GCM", "iv": []byte{}}, aes, nil)
			return err
		}, ErrOperation},
		{"aes-gcm short ciphertext", func() error { _, err := Decrypt(gcm, aesNX, make([]byte, 15)); return err }, ErrOperation},
		{"aes-cbc bad iv", func() error {
			k := mustImport(t, "raw", make([]byte, 16), "AES-CBC", false, "encrypt")
			_, err := Encrypt(map[string]any{"name": "AES-CBC", "iv": make([]byte, 12)}, k, nil)
			return err
		}, ErrOperation},
		{"aes-cbc bad length", func() error {
			k := mustImport(t, "raw", make([]byte, 16), "AES-CBC", false, "decrypt")
			_, err := Decrypt(map[string]any{"name": "AES-CBC", "iv": make([]byte, 16)}, k, make([]byte, 17))
			return err
		}, ErrOperation},
		{"aes-ctr bad counter", func() error {
			k := mustImport(t, "raw", make([]byte, 16), "AES-CTR", false, "encrypt")
			_, err := Encrypt(map[string]any{"name": "AES-CTR", "counter": make([]byte, 8), "length": 64}, k, nil)
			return err
		}, ErrOperation},
		{"aes-ctr length 0", func() error {
			k := mustImport(t, "raw", make([]byte, 16), "AES-CTR", false, "encrypt")
			_, err := Encrypt(map[string]any{"name": "AES-CTR", "counter": make([]byte, 16), "length": 0}, k, nil)
			return err
		}, ErrOperation},
		{"aes-ctr length 129", func() error {
			k := mustImport(t, "raw", make([]byte, 16), "AES-CTR", false, "encrypt")
			_, err := Encrypt(map[string]any{"name": "AES-CTR", "counter": make([]byte, 16), "length": 129}, k, nil)
			return err
		}, ErrOperation},
		{"aes-kw short data", func() error {
			kw := mustImport(t, "raw", make([]byte, 16), "AES-KW", false, "wrapKey")
			_, err := WrapKey("raw", mustImport(t, "raw", []byte{1, 2, 3}, hmac256, true, "sign"), kw, "AES-KW")
			return err
		}, ErrOperation},
		{"pbkdf2 zero iterations", func() error {
			k := mustImport(t, "raw", []byte("p"), "PBKDF2", false, "deriveBits")
			_, err := DeriveBits(map[string]any{"name": "PBKDF2", "hash": "SHA-1", "salt": []byte{}, "iterations": 0}, k, ptr(128))
			return err
		}, ErrOperation},
		{"deriveKey hkdf to hkdf", func() error {
			_, err := DeriveKey(map[string]any{"name": "HKDF", "hash": "SHA-256", "salt": []byte{}, "info": []byte{}}, hk, "HKDF", false, []string{"deriveBits"})
			return err
		}, ErrOperation},
		{"deriveKey to hmac of length 0", func() error {
			_, err := DeriveKey(map[string]any{"name": "HKDF", "hash": "SHA-256", "salt": []byte{}, "info": []byte{}}, hk, map[string]any{"name": "HMAC", "hash": "SHA-1", "length": 0}, false, []string{"sign"})
			return err
		}, ErrType},
		{"deriveKey to aes of bad length", func() error {
			_, err := DeriveKey(map[string]any{"name": "HKDF", "hash": "SHA-256", "salt": []byte{}, "info": []byte{}}, hk, map[string]any{"name": "AES-GCM", "length": 100}, false, []string{"encrypt"})
			return err
		}, ErrOperation},
		{"deriveKey to ecdsa", func() error {
			_, err := DeriveKey(map[string]any{"name": "HKDF", "hash": "SHA-256", "salt": []byte{}, "info": []byte{}}, hk, ecdsaP256, false, []string{"sign"})
			return err
		}, ErrNotSupported},
		{"deriveKey with empty usages", func() error {
			_, err := DeriveKey(map[string]any{"name": "HKDF", "hash": "SHA-256", "salt": []byte{}, "info": []byte{}}, hk, aesGCM128, false, nil)
			return err
		}, ErrSyntax},
		{"sign with nil key", func() error { _, err := Sign("HMAC", nil, nil); return err }, ErrType},
		{"unwrap bad format", func() error {
			_, err := UnwrapKey("pem", nil, aes, gcm, aesGCM128, true, []string{"encrypt"})
			return err
		}, ErrType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantErr(t, tt.run(), tt.want) })
	}
	_ = hm
}

// TestRoundTrip imports, exports and imports again in every format each
// algorithm supports, checking that the key still works.
func TestRoundTrip(t *testing.T) {
	pkcs8, spki := rsaKeyData(t)
	type keyCase struct {
		name            string
		imp             any
		pubU, privU     []string
		public, private *Key
	}
	_, ec := mustGenerate(t, ecdsaP256, true, "sign", "verify")
	_, dh := mustGenerate(t, ecdhP384, true, "deriveBits")
	_, ed := mustGenerate(t, "Ed25519", true, "sign", "verify")
	_, x := mustGenerate(t, "X25519", true, "deriveBits")
	rsaPriv := mustImport(t, "pkcs8", pkcs8, rsaPSS256, true, "sign")
	rsaPub := mustImport(t, "spki", spki, rsaPSS256, true, "verify")
	cases := []keyCase{
		{"ECDSA", ecdsaP256, []string{"verify"}, []string{"sign"}, ec.PublicKey, ec.PrivateKey},
		{"ECDH", ecdhP384, []string{}, []string{"deriveBits"}, dh.PublicKey, dh.PrivateKey},
		{"Ed25519", "Ed25519", []string{"verify"}, []string{"sign"}, ed.PublicKey, ed.PrivateKey},
		{"X25519", "X25519", []string{}, []string{"deriveBits"}, x.PublicKey, x.PrivateKey},
		{"RSA-PSS", rsaPSS256, []string{"verify"}, []string{"sign"}, rsaPub, rsaPriv},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			formats := map[KeyType][]string{Public: {"spki", "jwk"}, Private: {"pkcs8", "jwk"}}
			if c.name != "RSA-PSS" {
				formats[Public] = append(formats[Public], "raw")
			}
			for _, typ := range []KeyType{Public, Private} {
				k, usages := c.public, c.pubU
				if typ == Private {
					k, usages = c.private, c.privU
				}
				for _, f := range formats[typ] {
					data, err := ExportKey(f, k)
					if err != nil {
						t.Fatalf("export %s %s: %v", typ, f, err)
					}
					if j, ok := data.(*JWK); ok {
						// Through JSON, as wrapKey and a binding would.
						b, _ := json.Marshal(j)
						if data, err = ParseJWK(b); err != nil {
							t.Fatal(err)
						}
						if j.KeyOps == nil || j.Ext == nil || !*j.Ext {
							t.Fatalf("jwk lacks key_ops or ext: %s", b)
						}
					}
					k2, err := ImportKey(f, data, c.imp, true, usages)
					if err != nil {
						t.Fatalf("import %s %s: %v", typ, f, err)
					}
					if k2.Type() != typ || !reflect.DeepEqual(k2.Algorithm(), k.Algorithm()) {
						t.Fatalf("%s %s: got %v %+v", typ, f, k2, k2.Algorithm())
					}
					again, err := ExportKey(f, k2)
					if err != nil || !reflect.DeepEqual(again, data) {
						t.Fatalf("%s %s: second export differs: %v", typ, f, err)
					}
				}
			}
		})
	}
	// Secret keys: raw and jwk.
	for _, alg := range []any{aesGCM128, map[string]any{"name": "AES-KW", "length": 256}, hmac256, map[string]any{"name": "HMAC", "hash": "SHA-384", "length": 100}} {
		u := []string{"sign"}
		if m := alg.(map[string]any); m["name"] != "HMAC" {
			u = []string{"wrapKey"}
		}
		k, _ := mustGenerate(t, alg, true, u...)
		imp := map[string]any{"name": k.Algorithm().Name, "hash": k.Algorithm().Hash, "length": float64(k.Algorithm().Length)}
		for _, f := range []string{"raw", "jwk"} {
			data, err := ExportKey(f, k)
			if err != nil {
				t.Fatal(err)
			}
			k2, err := ImportKey(f, data, imp, true, u)
			if err != nil {
				t.Fatalf("%v %s: %v", alg, f, err)
			}
			if !reflect.DeepEqual(k2.Algorithm(), k.Algorithm()) || !bytes.Equal(k2.secret, k.secret) {
				t.Fatalf("%v %s: %+v", alg, f, k2.Algorithm())
			}
		}
	}
	// Export JWK members per algorithm.
	for _, tt := range []struct {
		k    *Key
		want string
	}{
		{ed.PublicKey, `{"kty":"OKP","alg":"Ed25519","crv":"Ed25519","x":"X","key_ops":["verify"],"ext":true}`},
		{x.PublicKey, `{"kty":"OKP","crv":"X25519","x":"X","key_ops":[],"ext":true}`},
		{dh.PublicKey, `{"kty":"EC","crv":"P-384","x":"X","y":"Y","key_ops":[],"ext":true}`},
		{rsaPub, `{"kty":"RSA","alg":"PS256","n":"N","e":"AQAB","key_ops":["verify"],"ext":true}`},
		{mustImport(t, "raw", make([]byte, 32), "AES-CTR", true, "encrypt"), `{"kty":"oct","alg":"A256CTR","k":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","key_ops":["encrypt"],"ext":true}`},
		{mustImport(t, "raw", []byte{1}, map[string]any{"name": "HMAC", "hash": "SHA-1"}, true, "verify"), `{"kty":"oct","alg":"HS1","k":"AQ","key_ops":["verify"],"ext":true}`},
	} {
		j, err := ExportKey("jwk", tt.k)
		if err != nil {
			t.Fatal(err)
		}
		jj := *j.(*JWK)
		for _, p := range []*string{&jj.X, &jj.Y, &jj.N} {
			if *p != "" {
				*p = map[*string]string{&jj.X: "X", &jj.Y: "Y", &jj.N: "N"}[p]
			}
		}
		var got, want map[string]any
		b, _ := json.Marshal(&jj)
		json.Unmarshal(b, &got)
		json.Unmarshal([]byte(tt.want), &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%v: got %s, want %s", tt.k, b, tt.want)
		}
	}
}

func TestRSA(t *testing.T) {
	pkcs8, spki := rsaKeyData(t)
	msg := []byte("the message")
	for _, h := range []string{"SHA-1", "SHA-256", "SHA-384", "SHA-512"} {
		t.Run("PKCS1 "+h, func(t *testing.T) {
			imp := map[string]any{"name": "RSASSA-PKCS1-v1_5", "hash": h}
			priv := mustImport(t, "pkcs8", pkcs8, imp, false, "sign")
			pub := mustImport(t, "spki", spki, imp, false, "verify")
			sig, err := Sign("RSASSA-PKCS1-v1_5", priv, msg)
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := Verify("RSASSA-PKCS1-v1_5", pub, sig, msg); !ok || err != nil {
				t.Fatalf("verify = %v, %v", ok, err)
			}
			if ok, _ := Verify("RSASSA-PKCS1-v1_5", pub, sig, []byte("other")); ok {
				t.Fatal("verified another message")
			}
		})
		for _, salt := range []int{0, 20, 32} {
			t.Run("PSS "+h, func(t *testing.T) {
				imp := map[string]any{"name": "RSA-PSS", "hash": h}
				priv := mustImport(t, "pkcs8", pkcs8, imp, false, "sign")
				pub := mustImport(t, "spki", spki, imp, false, "verify")
				alg := map[string]any{"name": "RSA-PSS", "saltLength": salt}
				sig, err := Sign(alg, priv, msg)
				if err != nil {
					t.Fatal(err)
				}
				if ok, err := Verify(alg, pub, sig, msg); !ok || err != nil {
					t.Fatalf("salt %d: verify = %v, %v", salt, ok, err)
				}
				// The exact salt length is checked.
				if ok, _ := Verify(map[string]any{"name": "RSA-PSS", "saltLength": salt + 1}, pub, sig, msg); ok {
					t.Fatalf("salt %d verified with salt %d", salt, salt+1)
				}
				if salt != 0 {
					if ok, _ := Verify(map[string]any{"name": "RSA-PSS", "saltLength": 0}, pub, sig, msg); ok {
						t.Fatalf("salt %d verified with salt 0", salt)
					}
				}
				// Go's own verifier, detecting the salt length, agrees.
				ch, _ := hashOf(h)
				m, _ := digest(h, msg)
				if err := rsa.VerifyPSS(pub.handle.(*rsa.PublicKey), ch, m, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}); err != nil {
					t.Fatalf("salt %d: crypto/rsa rejects: %v", salt, err)
				}
			})
		}
		t.Run("OAEP "+h, func(t *testing.T) {
			imp := map[string]any{"name": "RSA-OAEP", "hash": h}
			priv := mustImport(t, "pkcs8", pkcs8, imp, false, "decrypt", "unwrapKey")
			pub := mustImport(t, "spki", spki, imp, false, "encrypt", "wrapKey")
			for _, label := range [][]byte{nil, []byte("label")} {
				alg := map[string]any{"name": "RSA-OAEP"}
				if label != nil {
					alg["label"] = label
				}
				ct, err := Encrypt(alg, pub, msg)
				if err != nil {
					t.Fatal(err)
				}
				pt, err := Decrypt(alg, priv, ct)
				if err != nil || !bytes.Equal(pt, msg) {
					t.Fatalf("decrypt = %q, %v", pt, err)
				}
				_, err = Decrypt(map[string]any{"name": "RSA-OAEP", "label": []byte("x")}, priv, ct)
				wantErr(t, err, ErrOperation)
			}
			_, err := Encrypt("RSA-OAEP", pub, make([]byte, 256))
			wantErr(t, err, ErrOperation)
			_, err = Decrypt("RSA-OAEP", pub.with(false, uDecrypt), make([]byte, 256))
			wantErr(t, err, ErrInvalidAccess)
		})
	}
	// Wrong key types and JWK checks.
	priv := mustImport(t, "pkcs8", pkcs8, rsaPSS256, true, "sign")
	_, err := Sign(map[string]any{"name": "RSA-PSS", "saltLength": 32}, mustImport(t, "spki", spki, rsaPSS256, false, "verify").with(false, uSign), msg)
	wantErr(t, err, ErrInvalidAccess)
	_, err = Sign(map[string]any{"name": "RSA-PSS", "saltLength": 1000}, priv, msg)
	wantErr(t, err, ErrOperation)
	j, _ := ExportKey("jwk", priv)
	jm := j.(*JWK).Map()
	for _, tt := range []struct {
		name   string
		mod    func(m map[string]any)
		alg    any
		usages []string
		want   string
	}{
		{"alg of other hash", func(m map[string]any) { m["alg"] = "PS384" }, rsaPSS256, []string{"sign"}, ErrData},
		{"alg of other algorithm", func(m map[string]any) { m["alg"] = "RS256" }, rsaPSS256, []string{"sign"}, ErrData},
		{"oaep alg for pss", func(m map[string]any) { m["alg"] = "RSA-OAEP-256" }, rsaOAEP256, []string{"decrypt"}, ErrData},
		{"missing dq", func(m map[string]any) { delete(m, "dq") }, rsaPSS256, []string{"sign"}, ErrData},
		{"wrong qi", func(m map[string]any) { m["qi"] = m["dp"] }, rsaPSS256, []string{"sign"}, ErrData},
		{"wrong d", func(m map[string]any) { m["d"] = m["p"] }, rsaPSS256, []string{"sign"}, ErrData},
		{"no e", func(m map[string]any) { delete(m, "e") }, rsaPSS256, []string{"sign"}, ErrData},
		{"oth", func(m map[string]any) { m["oth"] = []any{map[string]any{"r": "AQ"}} }, rsaPSS256, []string{"sign"}, ErrData},
		{"encrypt usage", func(m map[string]any) {}, rsaPSS256, []string{"encrypt"}, ErrSyntax},
		{"use enc", func(m map[string]any) { m["use"] = "enc" }, rsaPSS256, []string{"sign"}, ErrData},
		{"public with sign", func(m map[string]any) {
			for _, k := range []string{"d", "p", "q", "dp", "dq", "qi"} {
				delete(m, k)
			}
		}, rsaPSS256, []string{"sign"}, ErrSyntax},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := map[string]any{}
			for k, v := range jm {
				m[k] = v
			}
			tt.mod(m)
			_, err := ImportKey("jwk", m, tt.alg, true, tt.usages)
			wantErr(t, err, tt.want)
		})
	}
	// An spki that is not rsaEncryption is a DataError.
	_, ecp := mustGenerate(t, ecdsaP256, true, "sign", "verify")
	ecSPKI, _ := ExportKey("spki", ecp.PublicKey)
	_, err = ImportKey("spki", ecSPKI, rsaPSS256, true, []string{"verify"})
	wantErr(t, err, ErrData)
	_, err = ImportKey("raw", spki, rsaPSS256, true, []string{"verify"})
	wantErr(t, err, ErrNotSupported)
}

func TestDeriveKey(t *testing.T) {
	hk := mustImport(t, "raw", []byte("input key material"), "HKDF", false, "deriveKey", "deriveBits")
	hkdf := map[string]any{"name": "HKDF", "hash": "SHA-256", "salt": []byte("salt"), "info": []byte("info")}
	for _, tt := range []struct {
		typ    any
		usages []string
		bits   int
	}{
		{aesGCM128, []string{"encrypt"}, 128},
		{map[string]any{"name": "AES-KW", "length": 256}, []string{"wrapKey"}, 256},
		{hmac256, []string{"sign"}, 512},
		{map[string]any{"name": "HMAC", "hash": "SHA-384", "length": 136}, []string{"sign"}, 136},
	} {
		k, err := DeriveKey(hkdf, hk, tt.typ, true, tt.usages)
		if err != nil {
			t.Fatalf("%v: %v", tt.typ, err)
		}
		bits, err := DeriveBits(hkdf, hk, ptr(tt.bits))
		if err != nil {
			t.Fatal(err)
		}
		if raw, _ := ExportKey("raw", k); !bytes.Equal(raw.([]byte), bits) || k.Algorithm().Length != tt.bits {
			t.Fatalf("%v: derived key %x, bits %x", tt.typ, raw, bits)
		}
	}
	// ECDH to AES: both sides agree.
	_, a := mustGenerate(t, ecdhP384, false, "deriveKey")
	_, b := mustGenerate(t, ecdhP384, false, "deriveKey")
	ka, err := DeriveKey(map[string]any{"name": "ECDH", "public": b.PublicKey}, a.PrivateKey, aesGCM128, false, []string{"encrypt", "decrypt"})
	if err != nil {
		t.Fatal(err)
	}
	kb, err := DeriveKey(map[string]any{"name": "ECDH", "public": a.PublicKey}, b.PrivateKey, aesGCM128, false, []string{"encrypt", "decrypt"})
	if err != nil {
		t.Fatal(err)
	}
	gcm := map[string]any{"name": "AES-GCM", "iv": make([]byte, 12)}
	ct, _ := Encrypt(gcm, ka, []byte("hello"))
	if pt, err := Decrypt(gcm, kb, ct); err != nil || string(pt) != "hello" {
		t.Fatalf("decrypt with the other side's key: %q, %v", pt, err)
	}
	if ka.Extractable() {
		t.Fatal("derived key is extractable")
	}
}

func TestWrapUnwrap(t *testing.T) {
	kw, _ := mustGenerate(t, map[string]any{"name": "AES-KW", "length": 256}, false, "wrapKey", "unwrapKey")
	gcmKey, _ := mustGenerate(t, aesGCM128, false, "wrapKey", "unwrapKey")
	pkcs8, spki := rsaKeyData(t)
	oaepPub := mustImport(t, "spki", spki, rsaOAEP256, false, "wrapKey")
	oaepPriv := mustImport(t, "pkcs8", pkcs8, rsaOAEP256, false, "unwrapKey")
	_, ed := mustGenerate(t, "Ed25519", true, "sign", "verify")
	hm := mustImport(t, "raw", bytes.Repeat([]byte{7}, 32), hmac256, true, "sign")
	gcm := map[string]any{"name": "AES-GCM", "iv": make([]byte, 12), "additionalData": []byte("ad")}
	tests := []struct {
		name           string
		format         string
		key            *Key
		wrapKey        *Key
		unwrapKey      *Key
		alg            any
		unwrappedAlg   any
		usages         []string
		wantWrapErrStr string
	}{
		{"hmac raw with AES-KW", "raw", hm, kw, kw, "AES-KW", hmac256, []string{"sign"}, ""},
		{"hmac jwk with AES-GCM", "jwk", hm, gcmKey, gcmKey, gcm, hmac256, []string{"sign"}, ""},
		{"ed25519 pkcs8 with AES-GCM", "pkcs8", ed.PrivateKey, gcmKey, gcmKey, gcm, "Ed25519", []string{"sign"}, ""},
		{"ed25519 jwk with AES-GCM", "jwk", ed.PrivateKey, gcmKey, gcmKey, gcm, "Ed25519", []string{"sign"}, ""},
		{"hmac raw with RSA-OAEP", "raw", hm, oaepPub, oaepPriv, map[string]any{"name": "RSA-OAEP", "label": []byte("l")}, hmac256, []string{"sign"}, ""},
		{"ed25519 pkcs8 (48 bytes) with AES-KW", "pkcs8", ed.PrivateKey, kw, kw, "AES-KW", "Ed25519", []string{"sign"}, ""},
		// AES-KW wraps multiples of 8 bytes only.
		{"20-byte hmac raw with AES-KW", "raw", mustImport(t, "raw", make([]byte, 20), hmac256, true, "sign"), kw, kw, "AES-KW", hmac256, []string{"sign"}, ErrOperation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := WrapKey(tt.format, tt.key, tt.wrapKey, tt.alg)
			if tt.wantWrapErrStr != "" {
				wantErr(t, err, tt.wantWrapErrStr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			k, err := UnwrapKey(tt.format, w, tt.unwrapKey, tt.alg, tt.unwrappedAlg, false, tt.usages)
			if err != nil {
				t.Fatal(err)
			}
			if k.Extractable() || !reflect.DeepEqual(k.Algorithm(), tt.key.Algorithm()) || k.Type() != tt.key.Type() {
				t.Fatalf("unwrapped %v %+v", k, k.Algorithm())
			}
			sig1, err1 := Sign(k.alg.Name, k, []byte("m"))
			sig2, err2 := Sign(k.alg.Name, tt.key, []byte("m"))
			if err1 != nil || err2 != nil || !bytes.Equal(sig1, sig2) {
				t.Fatalf("unwrapped key signs differently: %v %v", err1, err2)
			}
			// Unwrapping tampered data fails; unwrapping a JWK that is not
			// JSON is a DataError.
			w[len(w)-1] ^= 1
			_, err = UnwrapKey(tt.format, w, tt.unwrapKey, tt.alg, tt.unwrappedAlg, false, tt.usages)
			wantErr(t, err, ErrOperation)
		})
	}
	notJSON, _ := Encrypt(gcm, gcmKey.with(false, uEncrypt), []byte("{not json"))
	_, err := UnwrapKey("jwk", notJSON, gcmKey, gcm, hmac256, false, []string{"sign"})
	wantErr(t, err, ErrData)
	noKty, _ := Encrypt(gcm, gcmKey.with(false, uEncrypt), []byte(`{"k":"AQ"}`))
	_, err = UnwrapKey("jwk", noKty, gcmKey, gcm, hmac256, false, []string{"sign"})
	wantErr(t, err, ErrData)
	_, err = UnwrapKey("raw", make([]byte, 40), kw, "AES-KW", hmac256, false, nil)
	wantErr(t, err, ErrOperation)
}

func TestKeySerialization(t *testing.T) {
	pkcs8, spki := rsaKeyData(t)
	var keys []*Key
	k, _ := mustGenerate(t, aesGCM128, false, "encrypt", "decrypt")
	keys = append(keys, k)
	k, _ = mustGenerate(t, map[string]any{"name": "HMAC", "hash": "SHA-384", "length": 300}, true, "sign")
	keys = append(keys, k, mustImport(t, "raw", []byte("pw"), "PBKDF2", false, "deriveKey"))
	for _, alg := range []any{ecdsaP256, ecdhP384, "Ed25519", "X25519"} {
		u := []string{"sign", "verify"}
		if alg == "X25519" || reflect.DeepEqual(alg, ecdhP384) {
			u = []string{"deriveBits"}
		}
		_, p := mustGenerate(t, alg, false, u...)
		keys = append(keys, p.PublicKey, p.PrivateKey)
	}
	keys = append(keys, mustImport(t, "pkcs8", pkcs8, rsaOAEP256, false, "decrypt"), mustImport(t, "spki", spki, rsaOAEP256, true, "encrypt"))
	for _, k := range keys {
		t.Run(k.String(), func(t *testing.T) {
			b, err := k.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var k2 Key
			if err := k2.UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			if k2.Type() != k.Type() || k2.Extractable() != k.Extractable() || !slices.Equal(k2.Usages(), k.Usages()) ||
				!reflect.DeepEqual(k2.Algorithm(), k.Algorithm()) {
				t.Fatalf("got %v %+v, want %v %+v", &k2, k2.Algorithm(), k, k.Algorithm())
			}
			// Same material: serializing again gives the same bytes.
			b2, _ := k2.MarshalBinary()
			if !bytes.Equal(b, b2) {
				t.Fatalf("second serialization differs")
			}
			// Corruptions fail with DataCloneError, never a panic.
			var m map[string]any
			json.Unmarshal(b, &m)
			for _, mod := range []func(){
				func() { m["v"] = 2 },
				func() { m["usages"] = []string{"fly"} },
				func() { m["material"] = "AAAA" },
				func() { m["type"] = "other" },
				func() {
					a := m["algorithm"].(map[string]any)
					a["name"] = "AES-XTS"
				},
			} {
				json.Unmarshal(b, &m)
				mod()
				bad, _ := json.Marshal(m)
				var k3 Key
				err := k3.UnmarshalBinary(bad)
				if k.Type() == Secret && k.Algorithm().Name == "PBKDF2" {
					// Any bytes are a PBKDF2 password; only the other
					// corruptions must fail.
					if err == nil {
						continue
					}
				}
				wantErr(t, err, ErrDataClone)
			}
		})
	}
	var k3 Key
	wantErr(t, k3.UnmarshalBinary([]byte("not json")), ErrDataClone)
}

// crypto/sha256 and crypto.Hash are referenced for the interop check above.
var _ = sha256.New
var _ crypto.Hash

package webcrypto

import (
	"math"
	"reflect"
	"testing"
)

func TestNormalize(t *testing.T) {
	key := &Key{typ: Public, alg: KeyAlgorithm{Name: ECDH, NamedCurve: "P-256"}}
	tests := []struct {
		name    string
		op      Op
		alg     any
		want    Params
		wantErr string
	}{
		{"string", OpDigest, "sha-256", &Algorithm{Name: "SHA-256"}, ""},
		{"dict, odd case", OpDigest, map[string]any{"name": "sHa-1"}, &Algorithm{Name: "SHA-1"}, ""},
		{"unknown name", OpDigest, "MD5", nil, ErrNotSupported},
		{"registered for another op", OpDigest, "AES-GCM", nil, ErrNotSupported},
		{"missing name", OpDigest, map[string]any{}, nil, ErrType},
		{"null name", OpDigest, map[string]any{"name": nil}, nil, ErrType},
		{"name not a string", OpDigest, map[string]any{"name": map[string]any{}}, nil, ErrType},
		{"number name converts", OpDigest, map[string]any{"name": 1.0}, nil, ErrNotSupported},
		{"not a dictionary", OpDigest, 5, nil, ErrType},
		{"unknown op", Op("frobnicate"), "SHA-1", nil, ErrNotSupported},
		{"aes-gcm defaults", OpEncrypt, map[string]any{"name": "aes-gcm", "iv": []byte{1, 2}},
			&AesGcmParams{Name: "AES-GCM", IV: []byte{1, 2}, TagLength: 128}, ""},
		{"aes-gcm full", OpDecrypt, map[string]any{"name": "AES-GCM", "iv": []byte{1}, "additionalData": []byte{}, "tagLength": 96.0},
			&AesGcmParams{Name: "AES-GCM", IV: []byte{1}, AdditionalData: []byte{}, TagLength: 96}, ""},
		{"aes-gcm no iv", OpEncrypt, map[string]any{"name": "AES-GCM"}, nil, ErrType},
		{"aes-gcm iv not bytes", OpEncrypt, map[string]any{"name": "AES-GCM", "iv": "abc"}, nil, ErrType},
		{"aes-gcm tagLength over octet", OpEncrypt, map[string]any{"name": "AES-GCM", "iv": []byte{1}, "tagLength": 256.0}, nil, ErrType},
		{"aes-gcm tagLength NaN", OpEncrypt, map[string]any{"name": "AES-GCM", "iv": []byte{1}, "tagLength": math.NaN()}, nil, ErrType},
		{"aes-gcm tagLength negative", OpEncrypt, map[string]any{"name": "AES-GCM", "iv": []byte{1}, "tagLength": -1.0}, nil, ErrType},
		{"aes-ctr truncates", OpEncrypt, map[string]any{"name": "AES-CTR", "counter": []byte{}, "length": 64.9},
			&AesCtrParams{Name: "AES-CTR", Counter: []byte{}, Length: 64}, ""},
		{"aes-ctr no length", OpEncrypt, map[string]any{"name": "AES-CTR", "counter": []byte{}}, nil, ErrType},
		{"aes-cbc", OpEncrypt, map[string]any{"name": "AES-CBC", "iv": []byte{9}}, &AesCbcParams{Name: "AES-CBC", IV: []byte{9}}, ""},
		{"aes keygen", OpGenerateKey, map[string]any{"name": "AES-KW", "length": 256}, &AesKeyGenParams{Name: "AES-KW", Length: 256}, ""},
		{"aes keygen length over ushort", OpGenerateKey, map[string]any{"name": "AES-KW", "length": 65536.0}, nil, ErrType},
		{"aes import plain", OpImportKey, map[string]any{"name": "aes-kw", "length": "ignored"}, &Algorithm{Name: "AES-KW"}, ""},
		{"hmac hash string", OpImportKey, map[string]any{"name": "HMAC", "hash": "sha-384"}, &HmacParams{Name: "HMAC", Hash: "SHA-384"}, ""},
		{"hmac hash dict", OpGenerateKey, map[string]any{"name": "HMAC", "hash": map[string]any{"name": "SHA-512"}, "length": 8.0},
			&HmacParams{Name: "HMAC", Hash: "SHA-512", Length: 8, HasLength: true}, ""},
		{"hmac no hash", OpImportKey, map[string]any{"name": "HMAC"}, nil, ErrType},
		{"hmac bad hash", OpImportKey, map[string]any{"name": "HMAC", "hash": "SHA-3"}, nil, ErrNotSupported},
		{"hmac hash without name", OpImportKey, map[string]any{"name": "HMAC", "hash": map[string]any{}}, nil, ErrType},
		{"hmac sign is plain", OpSign, "hmac", &Algorithm{Name: "HMAC"}, ""},
		{"rsa keygen", OpGenerateKey, map[string]any{"name": "rsa-oaep", "modulusLength": 2048.0, "publicExponent": []byte{1, 0, 1}, "hash": "SHA-256"},
			&RsaHashedKeyGenParams{Name: "RSA-OAEP", ModulusLength: 2048, PublicExponent: []byte{1, 0, 1}, Hash: "SHA-256"}, ""},
		{"rsa keygen no exponent", OpGenerateKey, map[string]any{"name": "RSA-PSS", "modulusLength": 2048.0, "hash": "SHA-256"}, nil, ErrType},
		{"rsa keygen modulus over ulong", OpGenerateKey, map[string]any{"name": "RSA-PSS", "modulusLength": 1 << 33, "publicExponent": []byte{3}, "hash": "SHA-256"}, nil, ErrType},
		{"rsa import", OpImportKey, map[string]any{"name": "RSASSA-PKCS1-V1_5", "hash": "SHA-1"}, &RsaHashedImportParams{Name: "RSASSA-PKCS1-v1_5", Hash: "SHA-1"}, ""},
		{"rsa-pss", OpSign, map[string]any{"name": "RSA-PSS", "saltLength": 32}, &RsaPssParams{Name: "RSA-PSS", SaltLength: 32}, ""},
		{"rsa-pss no salt length", OpVerify, map[string]any{"name": "RSA-PSS"}, nil, ErrType},
		{"rsa-oaep no label", OpEncrypt, "RSA-OAEP", &RsaOaepParams{Name: "RSA-OAEP"}, ""},
		{"rsa-oaep label", OpEncrypt, map[string]any{"name": "RSA-OAEP", "label": []byte("l")}, &RsaOaepParams{Name: "RSA-OAEP", Label: []byte("l")}, ""},
		{"ec keygen", OpGenerateKey, map[string]any{"name": "ecdsa", "namedCurve": "P-384"}, &EcKeyParams{Name: "ECDSA", NamedCurve: "P-384"}, ""},
		{"ec keygen no curve", OpGenerateKey, map[string]any{"name": "ECDH"}, nil, ErrType},
		{"ecdsa", OpSign, map[string]any{"name": "ECDSA", "hash": "SHA-256"}, &EcdsaParams{Name: "ECDSA", Hash: "SHA-256"}, ""},
		{"ecdsa string only", OpSign, "ECDSA", nil, ErrType},
		{"ecdh", OpDeriveBits, map[string]any{"name": "ECDH", "public": key}, &EcdhKeyDeriveParams{Name: "ECDH", Public: key}, ""},
		{"ecdh public not a key", OpDeriveBits, map[string]any{"name": "ECDH", "public": []byte{}}, nil, ErrType},
		{"x25519", OpDeriveBits, map[string]any{"name": "x25519", "public": key}, &EcdhKeyDeriveParams{Name: "X25519", Public: key}, ""},
		{"hkdf", OpDeriveBits, map[string]any{"name": "HKDF", "hash": "SHA-256", "salt": []byte{}, "info": []byte{1}},
			&HkdfParams{Name: "HKDF", Hash: "SHA-256", Salt: []byte{}, Info: []byte{1}}, ""},
		{"hkdf no info", OpDeriveBits, map[string]any{"name": "HKDF", "hash": "SHA-256", "salt": []byte{}}, nil, ErrType},
		{"pbkdf2", OpDeriveBits, map[string]any{"name": "PBKDF2", "hash": "SHA-1", "salt": []byte{}, "iterations": 1000},
			&Pbkdf2Params{Name: "PBKDF2", Hash: "SHA-1", Salt: []byte{}, Iterations: 1000}, ""},
		{"pbkdf2 iterations infinite", OpDeriveBits, map[string]any{"name": "PBKDF2", "hash": "SHA-1", "salt": []byte{}, "iterations": math.Inf(1)}, nil, ErrType},
		{"get key length hmac", OpGetKeyLength, map[string]any{"name": "HMAC", "hash": "SHA-1"}, &HmacParams{Name: "HMAC", Hash: "SHA-1"}, ""},
		{"get key length hkdf", OpGetKeyLength, "HKDF", &Algorithm{Name: "HKDF"}, ""},
		{"wrapKey aes-kw", OpWrapKey, "aes-kw", &Algorithm{Name: "AES-KW"}, ""},
		{"wrapKey aes-gcm is encrypt's", OpWrapKey, "AES-GCM", nil, ErrNotSupported},
		{"already normalized", OpEncrypt, &AesCbcParams{Name: "AES-CBC"}, &AesCbcParams{Name: "AES-CBC"}, ""},
		{"already normalized, wrong case", OpEncrypt, &AesCbcParams{Name: "aes-cbc"}, nil, ErrNotSupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.op, tt.alg)
			if tt.wantErr != "" {
				wantErr(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

// Normalization copies BufferSource members, so a script that changes its
// buffer after the call cannot change the operation.
func TestNormalizeCopiesBuffers(t *testing.T) {
	iv := []byte{1, 2, 3}
	p, err := Normalize(OpEncrypt, map[string]any{"name": "AES-CBC", "iv": iv})
	if err != nil {
		t.Fatal(err)
	}
	iv[0] = 9
	if p.(*AesCbcParams).IV[0] != 1 {
		t.Fatal("iv shares the caller's buffer")
	}
}

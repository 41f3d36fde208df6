package webcrypto

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"math/big"
	"testing"
)

// Each benchmark has a peer that calls Go's crypto directly, so the cost of
// normalization, checks and copies shows as the difference. Inputs are 1 KiB
// unless named otherwise.

var benchData = make([]byte, 1024)

func BenchmarkDigestSHA256(b *testing.B) {
	alg := map[string]any{"name": "SHA-256"}
	b.SetBytes(int64(len(benchData)))
	for b.Loop() {
		if _, err := Digest(alg, benchData); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDigestSHA256Go(b *testing.B) {
	b.SetBytes(int64(len(benchData)))
	for b.Loop() {
		s := sha256.Sum256(benchData)
		_ = append([]byte(nil), s[:]...)
	}
}

func BenchmarkDigestSHA256String(b *testing.B) {
	b.SetBytes(int64(len(benchData)))
	for b.Loop() {
		if _, err := Digest("SHA-256", benchData); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHMACSign(b *testing.B) {
	k := mustImport(b, "raw", make([]byte, 32), hmac256, false, "sign")
	b.SetBytes(int64(len(benchData)))
	for b.Loop() {
		if _, err := Sign("HMAC", k, benchData); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHMACSignGo(b *testing.B) {
	key := make([]byte, 32)
	b.SetBytes(int64(len(benchData)))
	for b.Loop() {
		m := hmac.New(sha256.New, key)
		m.Write(benchData)
		m.Sum(nil)
	}
}

func BenchmarkAESGCMEncrypt(b *testing.B) {
	k := mustImport(b, "raw", make([]byte, 16), "AES-GCM", false, "encrypt")
	alg := map[string]any{"name": "AES-GCM", "iv": make([]byte, 12)}
	b.SetBytes(int64(len(benchData)))
	for b.Loop() {
		if _, err := Encrypt(alg, k, benchData); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAESGCMEncryptGo(b *testing.B) {
	key, iv := make([]byte, 16), make([]byte, 12)
	b.SetBytes(int64(len(benchData)))
	for b.Loop() {
		c, _ := aes.NewCipher(key)
		g, _ := cipher.NewGCM(c)
		g.Seal(nil, iv, benchData, nil)
	}
}

func BenchmarkECDSAP256Sign(b *testing.B) {
	_, p := mustGenerate(b, ecdsaP256, false, "sign", "verify")
	alg := map[string]any{"name": "ECDSA", "hash": "SHA-256"}
	for b.Loop() {
		if _, err := Sign(alg, p.PrivateKey, benchData); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkECDSAP256SignGo(b *testing.B) {
	priv, _ := ecdsa.GenerateKey(curveByName("P-256").ec, rand.Reader)
	for b.Loop() {
		h := sha256.Sum256(benchData)
		r, s, err := ecdsa.Sign(rand.Reader, priv, h[:])
		if err != nil {
			b.Fatal(err)
		}
		out := make([]byte, 64)
		r.FillBytes(out[:32])
		s.FillBytes(out[32:])
	}
}

func BenchmarkECDSAP256Verify(b *testing.B) {
	_, p := mustGenerate(b, ecdsaP256, false, "sign", "verify")
	alg := map[string]any{"name": "ECDSA", "hash": "SHA-256"}
	sig, _ := Sign(alg, p.PrivateKey, benchData)
	for b.Loop() {
		if ok, err := Verify(alg, p.PublicKey, sig, benchData); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

func BenchmarkECDSAP256VerifyGo(b *testing.B) {
	priv, _ := ecdsa.GenerateKey(curveByName("P-256").ec, rand.Reader)
	h := sha256.Sum256(benchData)
	r, s, _ := ecdsa.Sign(rand.Reader, priv, h[:])
	for b.Loop() {
		h := sha256.Sum256(benchData)
		if !ecdsa.Verify(&priv.PublicKey, h[:], new(big.Int).Set(r), new(big.Int).Set(s)) {
			b.Fatal("verify")
		}
	}
}

func BenchmarkEd25519Sign(b *testing.B) {
	_, p := mustGenerate(b, "Ed25519", false, "sign")
	for b.Loop() {
		if _, err := Sign("Ed25519", p.PrivateKey, benchData); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEd25519SignGo(b *testing.B) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	for b.Loop() {
		ed25519.Sign(priv, benchData)
	}
}

func BenchmarkEd25519Verify(b *testing.B) {
	_, p := mustGenerate(b, "Ed25519", false, "sign", "verify")
	sig, _ := Sign("Ed25519", p.PrivateKey, benchData)
	for b.Loop() {
		if ok, err := Verify("Ed25519", p.PublicKey, sig, benchData); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

func BenchmarkEd25519VerifyGo(b *testing.B) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	sig := ed25519.Sign(priv, benchData)
	for b.Loop() {
		if !ed25519.Verify(pub, benchData, sig) {
			b.Fatal("verify")
		}
	}
}

func BenchmarkRSAPSSSign2048(b *testing.B) {
	pkcs8, _ := rsaKeyData(b)
	k := mustImport(b, "pkcs8", pkcs8, rsaPSS256, false, "sign")
	alg := map[string]any{"name": "RSA-PSS", "saltLength": 32}
	for b.Loop() {
		if _, err := Sign(alg, k, benchData); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRSAPSSVerify2048(b *testing.B) {
	pkcs8, spki := rsaKeyData(b)
	priv := mustImport(b, "pkcs8", pkcs8, rsaPSS256, false, "sign")
	pub := mustImport(b, "spki", spki, rsaPSS256, false, "verify")
	alg := map[string]any{"name": "RSA-PSS", "saltLength": 32}
	sig, _ := Sign(alg, priv, benchData)
	for b.Loop() {
		if ok, err := Verify(alg, pub, sig, benchData); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

func BenchmarkImportJWKECDSA(b *testing.B) {
	_, p := mustGenerate(b, ecdsaP256, true, "sign")
	j, _ := ExportKey("jwk", p.PrivateKey)
	m := j.(*JWK).Map()
	for b.Loop() {
		if _, err := ImportKey("jwk", m, ecdsaP256, false, []string{"sign"}); err != nil {
			b.Fatal(err)
		}
	}
}

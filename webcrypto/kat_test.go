package webcrypto

import (
	"bytes"
	"crypto/aes"
	"fmt"
	"testing"
)

// Known-answer tests: every algorithm against published vectors (see
// testdata/README.md).

func TestDigestKAT(t *testing.T) {
	v := rfc(t, "fips180_abc")
	msg := rfcHex(t, v, "message")
	for _, h := range []string{"SHA-1", "SHA-256", "SHA-384", "SHA-512"} {
		for _, alg := range []any{h, map[string]any{"name": h}, map[string]any{"name": lowerASCII(h)}} {
			got, err := Digest(alg, msg)
			if err != nil {
				t.Fatalf("%v: %v", alg, err)
			}
			if want := rfcHex(t, v, h); !bytes.Equal(got, want) {
				t.Errorf("%v: got %x, want %x", alg, got, want)
			}
		}
	}
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func TestHMACKAT(t *testing.T) {
	pt := wpt(t, "plaintext")
	for _, h := range []string{"SHA-1", "SHA-256", "SHA-384", "SHA-512"} {
		t.Run("wpt "+h, func(t *testing.T) {
			k := mustImport(t, "raw", wpt(t, "hmac_key_"+h), map[string]any{"name": "HMAC", "hash": h}, false, "sign", "verify")
			sig, err := Sign("HMAC", k, pt)
			if err != nil {
				t.Fatal(err)
			}
			if want := wpt(t, "hmac_sig_"+h); !bytes.Equal(sig, want) {
				t.Fatalf("got %x, want %x", sig, want)
			}
			if ok, err := Verify("HMAC", k, sig, pt); !ok || err != nil {
				t.Fatalf("verify = %v, %v", ok, err)
			}
			sig[0] ^= 1
			if ok, _ := Verify("HMAC", k, sig, pt); ok {
				t.Fatal("verified a modified signature")
			}
		})
	}
	v := rfc(t, "rfc4231_2")
	for _, h := range []string{"SHA-256", "SHA-512"} {
		k := mustImport(t, "raw", rfcHex(t, v, "key"), map[string]any{"name": "hmac", "hash": map[string]any{"name": h}}, false, "sign")
		sig, err := Sign(map[string]any{"name": "HMAC"}, k, rfcHex(t, v, "data"))
		if err != nil {
			t.Fatal(err)
		}
		if want := rfcHex(t, v, h); !bytes.Equal(sig, want) {
			t.Errorf("RFC 4231 %s: got %x, want %x", h, sig, want)
		}
	}
}

func TestAESCBCKAT(t *testing.T) {
	v := rfc(t, "sp800_38a_cbc")
	k := mustImport(t, "raw", rfcHex(t, v, "key"), "AES-CBC", false, "encrypt", "decrypt")
	alg := map[string]any{"name": "AES-CBC", "iv": rfcHex(t, v, "iv")}
	pt, want := rfcHex(t, v, "plaintext"), rfcHex(t, v, "ciphertext")
	ct, err := Encrypt(alg, k, pt)
	if err != nil {
		t.Fatal(err)
	}
	// PKCS#7 adds a whole block of padding to a whole-block plaintext.
	if len(ct) != len(pt)+16 || !bytes.Equal(ct[:len(pt)], want) {
		t.Fatalf("got %x, want %x + padding block", ct, want)
	}
	back, err := Decrypt(alg, k, ct)
	if err != nil || !bytes.Equal(back, pt) {
		t.Fatalf("decrypt = %x, %v", back, err)
	}
	for n := 0; n <= 33; n++ {
		msg := bytes.Repeat([]byte{byte(n)}, n)
		ct, err := Encrypt(alg, k, msg)
		if err != nil || len(ct) != (n/16+1)*16 {
			t.Fatalf("len %d: %d bytes, %v", n, len(ct), err)
		}
		if back, err := Decrypt(alg, k, ct); err != nil || !bytes.Equal(back, msg) {
			t.Fatalf("len %d: round trip %x, %v", n, back, err)
		}
	}
	// A wrong padding byte is an OperationError.
	ct[len(ct)-1] ^= 0x40
	_, err = Decrypt(alg, k, ct)
	wantErr(t, err, ErrOperation)
}

func TestAESCTRKAT(t *testing.T) {
	v := rfc(t, "sp800_38a_ctr")
	key := rfcHex(t, v, "key")
	k := mustImport(t, "raw", key, "AES-CTR", false, "encrypt", "decrypt")
	counter, pt, want := rfcHex(t, v, "counter"), rfcHex(t, v, "plaintext"), rfcHex(t, v, "ciphertext")
	for _, length := range []float64{128, 64, 16} {
		ct, err := Encrypt(map[string]any{"name": "AES-CTR", "counter": counter, "length": length}, k, pt)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ct, want) {
			t.Errorf("length %v: got %x, want %x", length, ct, want)
		}
	}
	// With an 8-bit counter, ...feff wraps to ...fe00: the carry must not
	// reach the fixed part of the block.
	ct, err := Encrypt(map[string]any{"name": "AES-CTR", "counter": counter, "length": 8}, k, pt)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ct[:16], want[:16]) {
		t.Errorf("first block: got %x, want %x", ct[:16], want[:16])
	}
	b, _ := aes.NewCipher(key)
	block := bytes.Clone(counter)
	block[15] = 0
	ks := make([]byte, 16)
	b.Encrypt(ks, block)
	for i := range ks {
		ks[i] ^= pt[16+i]
	}
	if !bytes.Equal(ct[16:], ks) {
		t.Errorf("wrapped block: got %x, want %x", ct[16:], ks)
	}
	back, err := Decrypt(map[string]any{"name": "AES-CTR", "counter": counter, "length": 8}, k, ct)
	if err != nil || !bytes.Equal(back, pt) {
		t.Fatalf("decrypt = %x, %v", back, err)
	}
	// 2 blocks with a 1-bit counter is fine, 3 would reuse a counter.
	if _, err := Encrypt(map[string]any{"name": "AES-CTR", "counter": counter, "length": 1}, k, make([]byte, 32)); err != nil {
		t.Fatal(err)
	}
	_, err = Encrypt(map[string]any{"name": "AES-CTR", "counter": counter, "length": 1}, k, make([]byte, 33))
	wantErr(t, err, ErrOperation)
}

func TestAESGCMKAT(t *testing.T) {
	v := rfc(t, "gcm_tc4")
	k := mustImport(t, "raw", rfcHex(t, v, "key"), "AES-GCM", false, "encrypt", "decrypt")
	pt, aad := rfcHex(t, v, "plaintext"), rfcHex(t, v, "aad")
	full := append(rfcHex(t, v, "ciphertext"), rfcHex(t, v, "tag")...)
	for _, tl := range []int{32, 64, 96, 104, 112, 120, 128} {
		t.Run(fmt.Sprint(tl), func(t *testing.T) {
			alg := map[string]any{"name": "AES-GCM", "iv": rfcHex(t, v, "iv"), "additionalData": aad, "tagLength": float64(tl)}
			want := full[:len(pt)+tl/8]
			ct, err := Encrypt(alg, k, pt)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(ct, want) {
				t.Fatalf("got %x, want %x", ct, want)
			}
			back, err := Decrypt(alg, k, ct)
			if err != nil || !bytes.Equal(back, pt) {
				t.Fatalf("decrypt = %x, %v", back, err)
			}
			for _, i := range []int{0, len(ct) - 1} {
				bad := bytes.Clone(ct)
				bad[i] ^= 1
				_, err := Decrypt(alg, k, bad)
				wantErr(t, err, ErrOperation)
			}
			alg["additionalData"] = []byte("other")
			_, err = Decrypt(alg, k, ct)
			wantErr(t, err, ErrOperation)
		})
	}
	// Default tag length is 128, and IVs of other lengths work.
	for _, ivLen := range []int{1, 12, 16, 64} {
		alg := map[string]any{"name": "AES-GCM", "iv": make([]byte, ivLen)}
		ct, err := Encrypt(alg, k, pt)
		if err != nil || len(ct) != len(pt)+16 {
			t.Fatalf("iv %d: %d bytes, %v", ivLen, len(ct), err)
		}
		if back, err := Decrypt(alg, k, ct); err != nil || !bytes.Equal(back, pt) {
			t.Fatalf("iv %d: %v", ivLen, err)
		}
	}
}

func TestAESKWKAT(t *testing.T) {
	for _, name := range []string{"rfc3394_4.1", "rfc3394_4.6"} {
		v := rfc(t, name)
		kek := mustImport(t, "raw", rfcHex(t, v, "kek"), "AES-KW", false, "wrapKey", "unwrapKey")
		key := mustImport(t, "raw", rfcHex(t, v, "key"), "AES-GCM", true, "encrypt")
		wrapped, err := WrapKey("raw", key, kek, "AES-KW")
		if err != nil {
			t.Fatal(err)
		}
		if want := rfcHex(t, v, "wrapped"); !bytes.Equal(wrapped, want) {
			t.Fatalf("%s: got %x, want %x", name, wrapped, want)
		}
		back, err := UnwrapKey("raw", wrapped, kek, "AES-KW", "AES-GCM", true, []string{"decrypt"})
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := ExportKey("raw", back)
		if !bytes.Equal(raw.([]byte), rfcHex(t, v, "key")) {
			t.Fatalf("%s: unwrapped %x", name, raw)
		}
		wrapped[3] ^= 1
		_, err = UnwrapKey("raw", wrapped, kek, "AES-KW", "AES-GCM", true, []string{"decrypt"})
		wantErr(t, err, ErrOperation)
	}
}

func TestECDSAKAT(t *testing.T) {
	pt := wpt(t, "plaintext")
	for _, c := range []struct{ curve, hash string }{
		{"P-256", "SHA-1"}, {"P-256", "SHA-256"}, {"P-384", "SHA-384"}, {"P-521", "SHA-512"},
	} {
		t.Run(c.curve+" "+c.hash, func(t *testing.T) {
			imp := map[string]any{"name": "ECDSA", "namedCurve": c.curve}
			pub := mustImport(t, "spki", wpt(t, "ecdsa_spki_"+c.curve), imp, true, "verify")
			priv := mustImport(t, "pkcs8", wpt(t, "ecdsa_pkcs8_"+c.curve), imp, true, "sign")
			alg := map[string]any{"name": "ECDSA", "hash": c.hash}
			sig := wpt(t, "ecdsa_sig_"+c.curve+"_"+c.hash)
			if ok, err := Verify(alg, pub, sig, pt); !ok || err != nil {
				t.Fatalf("verify = %v, %v", ok, err)
			}
			mine, err := Sign(alg, priv, pt)
			if err != nil {
				t.Fatal(err)
			}
			if len(mine) != len(sig) {
				t.Fatalf("signature is %d bytes, want %d", len(mine), len(sig))
			}
			if ok, err := Verify(alg, pub, mine, pt); !ok || err != nil {
				t.Fatalf("verify own = %v, %v", ok, err)
			}
			for _, bad := range [][]byte{sig[:len(sig)-1], append(bytes.Clone(sig), 0), {}} {
				if ok, err := Verify(alg, pub, bad, pt); ok || err != nil {
					t.Fatalf("verify(%d bytes) = %v, %v", len(bad), ok, err)
				}
			}
			if c.hash != "SHA-1" {
				if ok, _ := Verify(map[string]any{"name": "ECDSA", "hash": "SHA-1"}, pub, sig, pt); ok {
					t.Fatal("verified with the wrong hash")
				}
			}
			// Export gives back the imported bytes.
			for _, f := range []struct {
				format string
				k      *Key
				want   []byte
			}{{"spki", pub, wpt(t, "ecdsa_spki_"+c.curve)}, {"pkcs8", priv, nil}} {
				got, err := ExportKey(f.format, f.k)
				if err != nil {
					t.Fatal(err)
				}
				if f.want != nil && !bytes.Equal(got.([]byte), f.want) {
					t.Fatalf("%s export differs", f.format)
				}
			}
		})
	}
}

func TestEd25519KAT(t *testing.T) {
	for _, p := range []string{"ed25519", "ed25519b"} {
		pub := mustImport(t, "spki", wpt(t, p+"_spki"), "Ed25519", true, "verify")
		priv := mustImport(t, "pkcs8", wpt(t, p+"_pkcs8"), map[string]any{"name": "ed25519"}, true, "sign")
		data, sig := wpt(t, p+"_data"), wpt(t, p+"_sig")
		got, err := Sign("Ed25519", priv, data)
		if err != nil || !bytes.Equal(got, sig) {
			t.Fatalf("%s: sign = %x, %v", p, got, err)
		}
		if ok, err := Verify("Ed25519", pub, sig, data); !ok || err != nil {
			t.Fatalf("%s: verify = %v, %v", p, ok, err)
		}
		for _, f := range []struct {
			format string
			k      *Key
			want   []byte
		}{{"spki", pub, wpt(t, p+"_spki")}, {"pkcs8", priv, wpt(t, p+"_pkcs8")}} {
			got, err := ExportKey(f.format, f.k)
			if err != nil || !bytes.Equal(got.([]byte), f.want) {
				t.Fatalf("%s export %x, %v", f.format, got, err)
			}
		}
	}
	v := rfc(t, "rfc8032_1")
	pub := mustImport(t, "raw", rfcHex(t, v, "public"), "Ed25519", true, "verify")
	d := rfcHex(t, v, "secret")
	priv := mustImport(t, "jwk", map[string]any{"kty": "OKP", "crv": "Ed25519", "x": enc(rfcHex(t, v, "public")), "d": enc(d)}, "Ed25519", false, "sign")
	sig, err := Sign("Ed25519", priv, rfcHex(t, v, "message"))
	if err != nil || !bytes.Equal(sig, rfcHex(t, v, "signature")) {
		t.Fatalf("RFC 8032: %x, %v", sig, err)
	}
	if ok, _ := Verify("Ed25519", pub, sig, []byte{}); !ok {
		t.Fatal("RFC 8032: verify failed")
	}
	// Small-order keys and R values never verify.
	small := mustImport(t, "raw", make([]byte, 32), "Ed25519", true, "verify")
	if ok, err := Verify("Ed25519", small, make([]byte, 64), nil); ok || err != nil {
		t.Fatalf("small-order key: %v, %v", ok, err)
	}
	badR := bytes.Clone(sig)
	copy(badR, unhex(t, "0100000000000000000000000000000000000000000000000000000000000000"))
	if ok, _ := Verify("Ed25519", pub, badR, nil); ok {
		t.Fatal("small-order R verified")
	}
}

func TestDeriveBitsKAT(t *testing.T) {
	salt, info, raw := wpt(t, "kdf_salt"), wpt(t, "kdf_info"), wpt(t, "kdf_raw")
	hk := mustImport(t, "raw", raw, "HKDF", false, "deriveBits")
	pk := mustImport(t, "raw", raw, "PBKDF2", false, "deriveBits")
	ecPriv := mustImport(t, "pkcs8", wpt(t, "ecdh_pkcs8"), map[string]any{"name": "ECDH", "namedCurve": "P-256"}, false, "deriveBits")
	ecPub := mustImport(t, "spki", wpt(t, "ecdh_spki"), map[string]any{"name": "ECDH", "namedCurve": "P-256"}, true)
	xPriv := mustImport(t, "pkcs8", wpt(t, "x25519_pkcs8"), "X25519", false, "deriveBits")
	xPub := mustImport(t, "spki", wpt(t, "x25519_spki"), "X25519", true)
	hkdf := map[string]any{"name": "HKDF", "salt": salt, "info": info, "hash": "SHA-256"}
	pbkdf2 := map[string]any{"name": "PBKDF2", "salt": salt, "iterations": 100000.0, "hash": "SHA-256"}
	ecdh := map[string]any{"name": "ECDH", "public": ecPub}
	x := map[string]any{"name": "X25519", "public": xPub}
	hk384, pb384 := wpt(t, "hkdf_sha256_384"), wpt(t, "pbkdf2_sha256_100000_384")
	tests := []struct {
		name    string
		alg     map[string]any
		key     *Key
		length  *int
		want    []byte
		wantErr string
	}{
		{"HKDF 256", hkdf, hk, ptr(256), hk384[:32], ""},
		{"HKDF 384", hkdf, hk, ptr(384), hk384, ""},
		{"HKDF 0", hkdf, hk, ptr(0), []byte{}, ""},
		{"HKDF 230", hkdf, hk, ptr(230), nil, ErrOperation},
		{"HKDF null", hkdf, hk, nil, nil, ErrOperation},
		{"HKDF too long", hkdf, hk, ptr(8*255*32 + 8), nil, ErrOperation},
		{"PBKDF2 256", pbkdf2, pk, ptr(256), pb384[:32], ""},
		{"PBKDF2 384", pbkdf2, pk, ptr(384), pb384, ""},
		{"PBKDF2 0", pbkdf2, pk, ptr(0), nil, ErrOperation},
		{"PBKDF2 230", pbkdf2, pk, ptr(230), nil, ErrOperation},
		{"PBKDF2 null", pbkdf2, pk, nil, nil, ErrOperation},
		{"ECDH 256", ecdh, ecPriv, ptr(256), wpt(t, "ecdh_bits"), ""},
		{"ECDH null", ecdh, ecPriv, nil, wpt(t, "ecdh_bits"), ""},
		{"ECDH 230", ecdh, ecPriv, ptr(230), wpt(t, "ecdh_bits230"), ""},
		{"ECDH 0", ecdh, ecPriv, ptr(0), []byte{}, ""},
		{"ECDH 384", ecdh, ecPriv, ptr(384), nil, ErrOperation},
		{"X25519 256", x, xPriv, ptr(256), wpt(t, "x25519_bits"), ""},
		{"X25519 null", x, xPriv, nil, wpt(t, "x25519_bits"), ""},
		{"X25519 230", x, xPriv, ptr(230), wpt(t, "x25519_bits230"), ""},
		{"X25519 0", x, xPriv, ptr(0), []byte{}, ""},
		{"X25519 384", x, xPriv, ptr(384), nil, ErrOperation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DeriveBits(tt.alg, tt.key, tt.length)
			if tt.wantErr != "" {
				wantErr(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("got %x, want %x", got, tt.want)
			}
		})
	}

	v := rfc(t, "rfc5869_1")
	k := mustImport(t, "raw", rfcHex(t, v, "ikm"), "HKDF", false, "deriveBits")
	okm := rfcHex(t, v, "okm")
	got, err := DeriveBits(map[string]any{"name": "HKDF", "hash": "SHA-256", "salt": rfcHex(t, v, "salt"), "info": rfcHex(t, v, "info")}, k, ptr(8*len(okm)))
	if err != nil || !bytes.Equal(got, okm) {
		t.Fatalf("RFC 5869: %x, %v", got, err)
	}
	for _, name := range []string{"rfc6070_1", "rfc6070_2", "rfc6070_3"} {
		v := rfc(t, name)
		k := mustImport(t, "raw", rfcHex(t, v, "password"), "PBKDF2", false, "deriveBits")
		dk := rfcHex(t, v, "dk")
		got, err := DeriveBits(map[string]any{"name": "PBKDF2", "hash": "SHA-1", "salt": rfcHex(t, v, "salt"), "iterations": v["iterations"]}, k, ptr(8*len(dk)))
		if err != nil || !bytes.Equal(got, dk) {
			t.Fatalf("%s: %x, %v", name, got, err)
		}
	}
	v = rfc(t, "rfc7748_6.1")
	alice := mustImport(t, "jwk", map[string]any{"kty": "OKP", "crv": "X25519", "x": enc(rfcHex(t, v, "alice_public")), "d": enc(rfcHex(t, v, "alice_private"))}, "X25519", false, "deriveBits")
	bob := mustImport(t, "raw", rfcHex(t, v, "bob_public"), "X25519", true)
	got, err = DeriveBits(map[string]any{"name": "X25519", "public": bob}, alice, nil)
	if err != nil || !bytes.Equal(got, rfcHex(t, v, "shared")) {
		t.Fatalf("RFC 7748: %x, %v", got, err)
	}
	// A small-order public key gives the all-zero secret, which fails.
	zero := mustImport(t, "raw", make([]byte, 32), "X25519", true)
	_, err = DeriveBits(map[string]any{"name": "X25519", "public": zero}, alice, nil)
	wantErr(t, err, ErrOperation)
}

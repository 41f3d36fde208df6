package webpush

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"testing"
)

// The encryption example of RFC 8291, section 5 (test data).
const (
	rfcPlaintext = "When I grow up, I want to be a watermelon"
	rfcUAPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
	rfcUAPublic  = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
	rfcAuth      = "BTBZMqHH6r4Tts7J_aSIgg"
	rfcBody      = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
)

func b64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func rfcKey(t testing.TB) *ecdh.PrivateKey {
	ua, err := ecdh.P256().NewPrivateKey(b64(t, rfcUAPrivate))
	if err != nil {
		t.Fatal(err)
	}
	if got := base64.RawURLEncoding.EncodeToString(ua.PublicKey().Bytes()); got != rfcUAPublic {
		t.Fatalf("public key %s", got)
	}
	return ua
}

func TestDecryptRFC8291Example(t *testing.T) {
	got, err := Decrypt(rfcKey(t), b64(t, rfcAuth), b64(t, rfcBody))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != rfcPlaintext {
		t.Errorf("plaintext %q", got)
	}
}

func TestDecryptRejects(t *testing.T) {
	ua := rfcKey(t)
	auth := b64(t, rfcAuth)
	body := b64(t, rfcBody)
	flip := func(i int) []byte { b := append([]byte(nil), body...); b[i] ^= 1; return b }
	other, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ua   *ecdh.PrivateKey
		auth []byte
		body []byte
	}{
		{"empty", ua, auth, nil},
		{"header only", ua, auth, body[:86]},
		{"truncated key id", ua, auth, body[:40]},
		{"a flipped ciphertext byte", ua, auth, flip(len(body) - 1)},
		{"a flipped salt byte", ua, auth, flip(0)},
		{"a key id off the curve", ua, auth, flip(30)},
		{"another subscription's key", other, auth, body},
		{"another auth secret", ua, make([]byte, 16), body},
		{"record size too small", ua, auth, append(append(append([]byte(nil), body[:16]...), 0, 0, 0, 3), body[20:]...)},
		{"too large", ua, auth, make([]byte, MaxBody+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Decrypt(tt.ua, tt.auth, tt.body); !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func FuzzDecrypt(f *testing.F) {
	f.Add(b64(f, rfcBody))
	f.Add([]byte{})
	ua := rfcKey(f)
	auth := b64(f, rfcAuth)
	f.Fuzz(func(t *testing.T, body []byte) {
		out, err := Decrypt(ua, auth, body)
		if err == nil && len(out) >= len(body) {
			t.Fatalf("plaintext of %d bytes from a body of %d", len(out), len(body))
		}
	})
}

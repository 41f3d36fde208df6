package webcrypto

import (
	"reflect"
	"regexp"
	"testing"
)

func TestKeyAlgorithmDict(t *testing.T) {
	pkcs8, _ := rsaKeyData(t)
	tests := []struct {
		k    *Key
		want map[string]any
	}{
		{mustImport(t, "raw", make([]byte, 24), "aes-kw", false, "wrapKey"), map[string]any{"name": "AES-KW", "length": 192}},
		{mustImport(t, "raw", make([]byte, 3), map[string]any{"name": "HMAC", "hash": "sha-1"}, false, "sign"),
			map[string]any{"name": "HMAC", "length": 24, "hash": map[string]any{"name": "SHA-1"}}},
		{mustImport(t, "raw", []byte("x"), "PBKDF2", false, "deriveBits"), map[string]any{"name": "PBKDF2"}},
		{mustImport(t, "pkcs8", pkcs8, rsaOAEP256, false, "decrypt"),
			map[string]any{"name": "RSA-OAEP", "modulusLength": 2048, "publicExponent": []byte{1, 0, 1}, "hash": map[string]any{"name": "SHA-256"}}},
		{mustImport(t, "pkcs8", wpt(t, "ecdsa_pkcs8_P-384"), map[string]any{"name": "ECDSA", "namedCurve": "P-384"}, false, "sign"),
			map[string]any{"name": "ECDSA", "namedCurve": "P-384"}},
		{mustImport(t, "raw", make([]byte, 32), "X25519", false), map[string]any{"name": "X25519"}},
	}
	for _, tt := range tests {
		if got := tt.k.Algorithm().Dict(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%v: got %v, want %v", tt.k, got, tt.want)
		}
	}
	k := tests[1].k
	if !k.HasUsage("sign") || k.HasUsage("verify") || k.HasUsage("bogus") {
		t.Error("HasUsage")
	}
	// The algorithm a caller gets is a copy.
	a := tests[3].k.Algorithm()
	a.PublicExponent[0] = 9
	if tests[3].k.Algorithm().PublicExponent[0] != 1 {
		t.Error("Algorithm shares its publicExponent")
	}
}

func TestJWKMap(t *testing.T) {
	ext := false
	j := &JWK{Kty: "RSA", KeyOps: []string{}, Ext: &ext, N: "AQAB", Oth: []RsaOtherPrimesInfo{{R: "AQ", D: "Ag", T: "Aw"}}}
	m := j.Map()
	want := map[string]any{"kty": "RSA", "key_ops": []any{}, "ext": false, "n": "AQAB",
		"oth": []any{map[string]any{"r": "AQ", "d": "Ag", "t": "Aw"}}}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("Map = %v", m)
	}
	back, err := JWKFromMap(m)
	if err != nil || !reflect.DeepEqual(back, j) {
		t.Fatalf("JWKFromMap = %+v, %v", back, err)
	}
	for _, bad := range []map[string]any{
		{"kty": map[string]any{}},
		{"key_ops": "sign"},
		{"oth": "x"},
		{"oth": []any{1.0}},
	} {
		_, err := JWKFromMap(bad)
		wantErr(t, err, ErrType)
	}
	// ext converts like a JavaScript boolean.
	for v, want := range map[any]bool{0.0: false, 1.0: true, "": false, "x": true, true: true} {
		j, _ := JWKFromMap(map[string]any{"ext": v})
		if *j.Ext != want {
			t.Errorf("ext %v: got %v", v, *j.Ext)
		}
	}
	for _, s := range []string{`[]`, `"x"`, `{"k":"AQ"}`, `{`, `null`} {
		_, err := ParseJWK([]byte(s))
		wantErr(t, err, ErrData)
	}
}

func TestRandom(t *testing.T) {
	b := make([]byte, MaxRandomBytes)
	if err := GetRandomValues(b); err != nil {
		t.Fatal(err)
	}
	wantErr(t, GetRandomValues(make([]byte, MaxRandomBytes+1)), ErrQuotaExceeded)
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 100 {
		u := RandomUUID()
		if !re.MatchString(u) || seen[u] {
			t.Fatalf("RandomUUID = %q", u)
		}
		seen[u] = true
	}
}

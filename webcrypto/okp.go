package webcrypto

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/asn1"
	"encoding/hex"
)

// Ed25519 and X25519: the "octet key pair" (OKP) algorithms.

func init() {
	for _, name := range []string{Ed25519, X25519} {
		algorithms[name] = &algImpl{
			generateKey: okpGenerate,
			importKey:   okpImport,
			exportKey:   okpExport,
		}
	}
	algorithms[Ed25519].sign = ed25519Sign
	algorithms[Ed25519].verify = ed25519Verify
	algorithms[X25519].deriveBits = x25519DeriveBits
}

func okpUsages(alg string) (pub, priv usageSet) {
	if alg == Ed25519 {
		return uVerify, uSign
	}
	return 0, uDerive
}

func okpOID(alg string) asn1.ObjectIdentifier {
	if alg == Ed25519 {
		return oidEd25519
	}
	return oidX25519
}

// smallOrder lists the encodings of the points of small order on
// edwards25519 (libsodium's blocklist), compared with the sign bit cleared.
var smallOrder = func() [][]byte {
	var out [][]byte
	for _, h := range []string{
		"0000000000000000000000000000000000000000000000000000000000000000", // order 4
		"0100000000000000000000000000000000000000000000000000000000000000", // order 1
		"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
		"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p-1, order 2
		"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p, non-canonical 0
		"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p+1, non-canonical 1
	} {
		b, _ := hex.DecodeString(h)
		out = append(out, b)
	}
	return out
}()

// isSmallOrder reports whether a 32-byte encoded point is of small order.
func isSmallOrder(p []byte) bool {
	var c [32]byte
	copy(c[:], p)
	c[31] &= 0x7f
	for _, s := range smallOrder {
		if bytes.Equal(c[:], s) {
			return true
		}
	}
	return false
}

func ed25519Sign(_ Params, k *Key, data []byte) ([]byte, error) {
	priv, ok := k.handle.(ed25519.PrivateKey)
	if k.typ != Private || !ok {
		return nil, errorf(ErrInvalidAccess, "Ed25519: sign needs a private key")
	}
	return ed25519.Sign(priv, data), nil
}

func ed25519Verify(_ Params, k *Key, sig, data []byte) (bool, error) {
	pub, ok := k.handle.(ed25519.PublicKey)
	if k.typ != Public || !ok {
		return false, errorf(ErrInvalidAccess, "Ed25519: verify needs a public key")
	}
	if len(sig) != ed25519.SignatureSize {
		return false, nil
	}
	// The spec rejects small-order public keys and R values.
	if isSmallOrder(pub) || isSmallOrder(sig[:32]) {
		return false, nil
	}
	return ed25519.Verify(pub, data, sig), nil
}

func x25519DeriveBits(p Params, k *Key, length *int) ([]byte, error) {
	dp, err := params[*EcdhKeyDeriveParams](p)
	if err != nil {
		return nil, err
	}
	priv, ok := k.handle.(*ecdh.PrivateKey)
	if k.typ != Private || !ok {
		return nil, errorf(ErrInvalidAccess, "X25519: the base key must be a private key")
	}
	pk := dp.Public
	if pk.typ != Public {
		return nil, errorf(ErrInvalidAccess, "X25519: public must be a public key, not %s", pk.typ)
	}
	if pk.alg.Name != X25519 {
		return nil, errorf(ErrInvalidAccess, "X25519: public is a %s key", pk.alg.Name)
	}
	secret, err := priv.ECDH(pk.handle.(*ecdh.PublicKey))
	if err != nil {
		// crypto/ecdh fails on the all-zero output of a small-order point,
		// which the spec also rejects.
		return nil, errorf(ErrOperation, "X25519: %w", err)
	}
	return deriveLength(X25519, secret, length)
}

func okpGenerate(p Params, extractable bool, u usageSet) (*Key, *KeyPair, error) {
	alg := p.AlgorithmName()
	pubU, privU := okpUsages(alg)
	if err := checkUsages(alg, u, pubU|privU); err != nil {
		return nil, nil, err
	}
	var priv, pub any
	if alg == Ed25519 {
		pb, pr, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, nil, errorf(ErrOperation, "Ed25519: %w", err)
		}
		priv, pub = pr, pb
	} else {
		k, err := ecdh.X25519().GenerateKey(rand.Reader)
		if err != nil {
			return nil, nil, errorf(ErrOperation, "X25519: %w", err)
		}
		priv, pub = k, k.PublicKey()
	}
	ka := KeyAlgorithm{Name: alg}
	return nil, &KeyPair{
		PublicKey:  &Key{typ: Public, alg: ka, handle: pub, extractable: true, usages: u & pubU},
		PrivateKey: &Key{typ: Private, alg: ka, handle: priv, extractable: extractable, usages: u & privU},
	}, nil
}

func okpPublic(alg string, b []byte) (any, error) {
	if len(b) != 32 {
		return nil, errorf(ErrData, "%s: public key is %d bytes, want 32", alg, len(b))
	}
	if alg == Ed25519 {
		return ed25519.PublicKey(bytes.Clone(b)), nil
	}
	k, err := ecdh.X25519().NewPublicKey(b)
	if err != nil {
		return nil, errorf(ErrData, "X25519: %w", err)
	}
	return k, nil
}

func okpPrivate(alg string, seed []byte) (any, error) {
	if len(seed) != 32 {
		return nil, errorf(ErrData, "%s: private key is %d bytes, want 32", alg, len(seed))
	}
	if alg == Ed25519 {
		return ed25519.NewKeyFromSeed(seed), nil
	}
	k, err := ecdh.X25519().NewPrivateKey(seed)
	if err != nil {
		return nil, errorf(ErrData, "X25519: %w", err)
	}
	return k, nil
}

func okpPublicBytes(h any) []byte {
	switch k := publicOf(h).(type) {
	case ed25519.PublicKey:
		return bytes.Clone(k)
	case *ecdh.PublicKey:
		return k.Bytes()
	}
	return nil
}

func okpPrivateBytes(h any) []byte {
	switch k := h.(type) {
	case ed25519.PrivateKey:
		return bytes.Clone(k.Seed())
	case *ecdh.PrivateKey:
		return k.Bytes()
	}
	return nil
}

func okpFromSPKI(alg string, data []byte) (*Key, error) {
	s, err := parseSPKI(data)
	if err != nil {
		return nil, err
	}
	if !s.Algorithm.Algorithm.Equal(okpOID(alg)) {
		return nil, errorf(ErrData, "%s: spki algorithm %v, want %v", alg, s.Algorithm.Algorithm, okpOID(alg))
	}
	if !noParams(s.Algorithm) {
		return nil, errorf(ErrData, "%s: spki algorithm parameters must be absent", alg)
	}
	h, err := okpPublic(alg, s.PublicKey.Bytes)
	if err != nil {
		return nil, err
	}
	return &Key{typ: Public, alg: KeyAlgorithm{Name: alg}, handle: h}, nil
}

func okpFromPKCS8(alg string, data []byte) (*Key, error) {
	p, err := parsePKCS8(data)
	if err != nil {
		return nil, err
	}
	if !p.Algorithm.Algorithm.Equal(okpOID(alg)) {
		return nil, errorf(ErrData, "%s: pkcs8 algorithm %v, want %v", alg, p.Algorithm.Algorithm, okpOID(alg))
	}
	if !noParams(p.Algorithm) {
		return nil, errorf(ErrData, "%s: pkcs8 algorithm parameters must be absent", alg)
	}
	var seed []byte
	rest, err := asn1.Unmarshal(p.PrivateKey, &seed)
	if err != nil || len(rest) != 0 {
		return nil, errorf(ErrData, "%s: CurvePrivateKey is not an OCTET STRING", alg)
	}
	h, err := okpPrivate(alg, seed)
	if err != nil {
		return nil, err
	}
	return &Key{typ: Private, alg: KeyAlgorithm{Name: alg}, handle: h}, nil
}

func okpImport(p Params, format string, data []byte, jwk *JWK, extractable bool, u usageSet) (*Key, error) {
	alg := p.AlgorithmName()
	pubU, privU := okpUsages(alg)
	switch format {
	case FormatSPKI, FormatRaw:
		if err := checkUsages(alg, u, pubU); err != nil {
			return nil, err
		}
		if format == FormatSPKI {
			return okpFromSPKI(alg, data)
		}
		h, err := okpPublic(alg, data)
		if err != nil {
			return nil, err
		}
		return &Key{typ: Public, alg: KeyAlgorithm{Name: alg}, handle: h}, nil
	case FormatPKCS8:
		if err := checkUsages(alg, u, privU); err != nil {
			return nil, err
		}
		return okpFromPKCS8(alg, data)
	case FormatJWK:
		allowed := pubU
		if jwk.D != "" {
			allowed = privU
		}
		if err := checkUsages(alg, u, allowed); err != nil {
			return nil, err
		}
		use := "sig"
		if alg == X25519 {
			use = "enc"
		}
		if err := jwk.checkCommon("OKP", use, extractable, u); err != nil {
			return nil, err
		}
		if jwk.Crv != alg {
			return nil, errorf(ErrData, "jwk: crv %q, want %q", jwk.Crv, alg)
		}
		if alg == Ed25519 && jwk.Alg != "" && jwk.Alg != Ed25519 && jwk.Alg != "EdDSA" {
			return nil, errorf(ErrData, "jwk: alg %q, want Ed25519 or EdDSA", jwk.Alg)
		}
		x, err := b64("x", jwk.X)
		if err != nil {
			return nil, err
		}
		pub, err := okpPublic(alg, x)
		if err != nil {
			return nil, err
		}
		if jwk.D == "" {
			return &Key{typ: Public, alg: KeyAlgorithm{Name: alg}, handle: pub}, nil
		}
		d, err := b64("d", jwk.D)
		if err != nil {
			return nil, err
		}
		priv, err := okpPrivate(alg, d)
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(okpPublicBytes(priv), x) {
			return nil, errorf(ErrData, "jwk: x does not match d")
		}
		return &Key{typ: Private, alg: KeyAlgorithm{Name: alg}, handle: priv}, nil
	}
	return nil, notSupportedFormat(alg, format)
}

func okpExport(format string, k *Key) ([]byte, *JWK, error) {
	alg := k.alg.Name
	switch format {
	case FormatSPKI:
		if k.typ != Public {
			return nil, nil, errorf(ErrInvalidAccess, "%s: only public keys export as spki", alg)
		}
		b, err := marshalSPKI(k)
		return b, nil, err
	case FormatPKCS8:
		if k.typ != Private {
			return nil, nil, errorf(ErrInvalidAccess, "%s: only private keys export as pkcs8", alg)
		}
		b, err := marshalPKCS8(k)
		return b, nil, err
	case FormatRaw:
		if k.typ != Public {
			return nil, nil, errorf(ErrInvalidAccess, "%s: only public keys export as raw", alg)
		}
		return okpPublicBytes(k.handle), nil, nil
	case FormatJWK:
		j := exportJWK("OKP", k)
		j.Crv = alg
		j.X = enc(okpPublicBytes(k.handle))
		if alg == Ed25519 {
			j.Alg = Ed25519
		}
		if k.typ == Private {
			j.D = enc(okpPrivateBytes(k.handle))
		}
		return nil, j, nil
	}
	return nil, nil, notSupportedFormat(alg, format)
}

package webcrypto

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/subtle"
	"encoding/asn1"
	"fmt"
	"math/big"
)

// curve describes one NIST curve.
type curve struct {
	name  string
	oid   asn1.ObjectIdentifier
	ec    elliptic.Curve
	dh    ecdh.Curve
	size  int    // bytes of a coordinate or scalar
	jwsES string // JWK alg of an ECDSA key on this curve
}

var curves = []*curve{
	{curveP256, oidP256, elliptic.P256(), ecdh.P256(), 32, "ES256"},
	{curveP384, oidP384, elliptic.P384(), ecdh.P384(), 48, "ES384"},
	{curveP521, oidP521, elliptic.P521(), ecdh.P521(), 66, "ES512"},
}

func curveByName(name string) *curve {
	for _, c := range curves {
		if c.name == name {
			return c
		}
	}
	return nil
}

func curveByOID(oid asn1.ObjectIdentifier) *curve {
	for _, c := range curves {
		if c.oid.Equal(oid) {
			return c
		}
	}
	return nil
}

func init() {
	for _, name := range []string{ECDSA, ECDH} {
		algorithms[name] = &algImpl{
			generateKey: ecGenerate,
			importKey:   ecImport,
			exportKey:   ecExport,
			checkSerial: func(k *Key, a *KeyAlgorithm) error {
				if k.alg.NamedCurve != a.NamedCurve {
					return fmt.Errorf("material is on %s, not %s", k.alg.NamedCurve, a.NamedCurve)
				}
				return nil
			},
		}
	}
	algorithms[ECDSA].sign = ecdsaSign
	algorithms[ECDSA].verify = ecdsaVerify
	algorithms[ECDH].deriveBits = ecdhDeriveBits
}

// ecUsages returns the usages a public and a private key of alg may have.
func ecUsages(alg string) (pub, priv usageSet) {
	if alg == ECDSA {
		return uVerify, uSign
	}
	return 0, uDerive
}

func ecdsaSign(p Params, k *Key, data []byte) ([]byte, error) {
	ep, err := params[*EcdsaParams](p)
	if err != nil {
		return nil, err
	}
	priv, ok := k.handle.(*ecdsa.PrivateKey)
	if k.typ != Private || !ok {
		return nil, errorf(ErrInvalidAccess, "ECDSA: sign needs a private key")
	}
	m, err := digest(ep.Hash, data)
	if err != nil {
		return nil, err
	}
	r, s, err := ecdsa.Sign(rand.Reader, priv, m)
	if err != nil {
		return nil, errorf(ErrOperation, "ECDSA: %w", err)
	}
	n := curveByName(k.alg.NamedCurve).size
	out := make([]byte, 2*n)
	r.FillBytes(out[:n])
	s.FillBytes(out[n:])
	return out, nil
}

func ecdsaVerify(p Params, k *Key, sig, data []byte) (bool, error) {
	ep, err := params[*EcdsaParams](p)
	if err != nil {
		return false, err
	}
	pub, ok := k.handle.(*ecdsa.PublicKey)
	if k.typ != Public || !ok {
		return false, errorf(ErrInvalidAccess, "ECDSA: verify needs a public key")
	}
	m, err := digest(ep.Hash, data)
	if err != nil {
		return false, err
	}
	n := curveByName(k.alg.NamedCurve).size
	if len(sig) != 2*n {
		return false, nil
	}
	r := new(big.Int).SetBytes(sig[:n])
	s := new(big.Int).SetBytes(sig[n:])
	return ecdsa.Verify(pub, m, r, s), nil
}

func ecdhDeriveBits(p Params, k *Key, length *int) ([]byte, error) {
	dp, err := params[*EcdhKeyDeriveParams](p)
	if err != nil {
		return nil, err
	}
	priv, ok := k.handle.(*ecdh.PrivateKey)
	if k.typ != Private || !ok {
		return nil, errorf(ErrInvalidAccess, "ECDH: the base key must be a private key")
	}
	pk := dp.Public
	if pk.typ != Public {
		return nil, errorf(ErrInvalidAccess, "ECDH: public must be a public key, not %s", pk.typ)
	}
	if pk.alg.Name != k.alg.Name {
		return nil, errorf(ErrInvalidAccess, "ECDH: public is a %s key", pk.alg.Name)
	}
	if pk.alg.NamedCurve != k.alg.NamedCurve {
		return nil, errorf(ErrInvalidAccess, "ECDH: public is on %s, the base key on %s", pk.alg.NamedCurve, k.alg.NamedCurve)
	}
	secret, err := priv.ECDH(pk.handle.(*ecdh.PublicKey))
	if err != nil {
		return nil, errorf(ErrOperation, "ECDH: %w", err)
	}
	return deriveLength(ECDH, secret, length)
}

func ecGenerate(p Params, extractable bool, u usageSet) (*Key, *KeyPair, error) {
	ep, err := params[*EcKeyParams](p)
	if err != nil {
		return nil, nil, err
	}
	pubU, privU := ecUsages(ep.Name)
	if err := checkUsages(ep.Name, u, pubU|privU); err != nil {
		return nil, nil, err
	}
	c := curveByName(ep.NamedCurve)
	if c == nil {
		return nil, nil, errorf(ErrNotSupported, "%s: curve %q is not supported", ep.Name, ep.NamedCurve)
	}
	alg := KeyAlgorithm{Name: ep.Name, NamedCurve: c.name}
	var priv, pub any
	if ep.Name == ECDSA {
		k, err := ecdsa.GenerateKey(c.ec, rand.Reader)
		if err != nil {
			return nil, nil, errorf(ErrOperation, "ECDSA: %w", err)
		}
		priv, pub = k, &k.PublicKey
	} else {
		k, err := c.dh.GenerateKey(rand.Reader)
		if err != nil {
			return nil, nil, errorf(ErrOperation, "ECDH: %w", err)
		}
		priv, pub = k, k.PublicKey()
	}
	return nil, &KeyPair{
		PublicKey:  &Key{typ: Public, alg: alg, handle: pub, extractable: true, usages: u & pubU},
		PrivateKey: &Key{typ: Private, alg: alg, handle: priv, extractable: extractable, usages: u & privU},
	}, nil
}

// ecPoint reads an uncompressed or compressed point of c for alg.
func ecPoint(alg string, c *curve, b []byte) (any, error) {
	if len(b) == 1+c.size && (b[0] == 2 || b[0] == 3) {
		x, y := elliptic.UnmarshalCompressed(c.ec, b)
		if x == nil {
			return nil, errorf(ErrData, "%s: invalid compressed point on %s", alg, c.name)
		}
		b = elliptic.Marshal(c.ec, x, y) //nolint:staticcheck // only to re-encode a checked point
	}
	if alg == ECDSA {
		k, err := ecdsa.ParseUncompressedPublicKey(c.ec, b)
		if err != nil {
			return nil, errorf(ErrData, "ECDSA: invalid point on %s: %w", c.name, err)
		}
		return k, nil
	}
	k, err := c.dh.NewPublicKey(b)
	if err != nil {
		return nil, errorf(ErrData, "ECDH: invalid point on %s: %w", c.name, err)
	}
	return k, nil
}

// ecScalar makes a private key of alg on c from the big-endian scalar d.
func ecScalar(alg string, c *curve, d []byte) (any, error) {
	if len(d) != c.size {
		return nil, errorf(ErrData, "%s: private scalar is %d bytes, want %d", alg, len(d), c.size)
	}
	if alg == ECDSA {
		k, err := ecdsa.ParseRawPrivateKey(c.ec, d)
		if err != nil {
			return nil, errorf(ErrData, "ECDSA: invalid private key: %w", err)
		}
		return k, nil
	}
	k, err := c.dh.NewPrivateKey(d)
	if err != nil {
		return nil, errorf(ErrData, "ECDH: invalid private key: %w", err)
	}
	return k, nil
}

// ecPublicBytes returns the uncompressed point of an EC key handle.
func ecPublicBytes(h any) []byte {
	switch k := publicOf(h).(type) {
	case *ecdsa.PublicKey:
		b, _ := k.Bytes()
		return b
	case *ecdh.PublicKey:
		return k.Bytes()
	}
	return nil
}

func ecPrivateBytes(h any) []byte {
	switch k := h.(type) {
	case *ecdsa.PrivateKey:
		b, _ := k.Bytes()
		return b
	case *ecdh.PrivateKey:
		return k.Bytes()
	}
	return nil
}

// ecCurveParam reads the ECParameters of an id-ecPublicKey
// AlgorithmIdentifier: only a namedCurve is accepted.
func ecCurveParam(alg string, a asn1.RawValue) (*curve, error) {
	var oid asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(a.FullBytes, &oid)
	if err != nil || len(rest) != 0 {
		return nil, errorf(ErrData, "%s: parameters are not a named curve", alg)
	}
	c := curveByOID(oid)
	if c == nil {
		return nil, errorf(ErrData, "%s: curve %v is not supported", alg, oid)
	}
	return c, nil
}

func ecFromSPKI(alg string, data []byte) (*Key, error) {
	s, err := parseSPKI(data)
	if err != nil {
		return nil, err
	}
	if !s.Algorithm.Algorithm.Equal(oidEC) {
		return nil, errorf(ErrData, "%s: spki algorithm %v is not id-ecPublicKey", alg, s.Algorithm.Algorithm)
	}
	c, err := ecCurveParam(alg, s.Algorithm.Parameters)
	if err != nil {
		return nil, err
	}
	h, err := ecPoint(alg, c, s.PublicKey.Bytes)
	if err != nil {
		return nil, err
	}
	return &Key{typ: Public, alg: KeyAlgorithm{Name: alg, NamedCurve: c.name}, handle: h}, nil
}

func ecFromPKCS8(alg string, data []byte) (*Key, error) {
	p, err := parsePKCS8(data)
	if err != nil {
		return nil, err
	}
	if !p.Algorithm.Algorithm.Equal(oidEC) {
		return nil, errorf(ErrData, "%s: pkcs8 algorithm %v is not id-ecPublicKey", alg, p.Algorithm.Algorithm)
	}
	c, err := ecCurveParam(alg, p.Algorithm.Parameters)
	if err != nil {
		return nil, err
	}
	var ek ecPrivateKey
	rest, err := asn1.Unmarshal(p.PrivateKey, &ek)
	if err != nil || len(rest) != 0 || ek.Version != 1 {
		return nil, errorf(ErrData, "%s: invalid ECPrivateKey", alg)
	}
	if ek.Curve != nil && !ek.Curve.Equal(c.oid) {
		return nil, errorf(ErrData, "%s: ECPrivateKey curve %v differs from %v", alg, ek.Curve, c.oid)
	}
	d := ek.PrivateKey
	if len(d) < c.size {
		d = append(make([]byte, c.size-len(d)), d...)
	}
	h, err := ecScalar(alg, c, d)
	if err != nil {
		return nil, err
	}
	if ek.PublicKey.BitLength != 0 {
		pub, err := ecPoint(alg, c, ek.PublicKey.Bytes)
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(ecPublicBytes(pub), ecPublicBytes(h)) {
			return nil, errorf(ErrData, "%s: ECPrivateKey public key does not match the private key", alg)
		}
	}
	return &Key{typ: Private, alg: KeyAlgorithm{Name: alg, NamedCurve: c.name}, handle: h}, nil
}

func ecImport(p Params, format string, data []byte, jwk *JWK, extractable bool, u usageSet) (*Key, error) {
	ep, err := params[*EcKeyParams](p)
	if err != nil {
		return nil, err
	}
	alg := ep.Name
	pubU, privU := ecUsages(alg)
	var k *Key
	switch format {
	case FormatSPKI:
		if err := checkUsages(alg, u, pubU); err != nil {
			return nil, err
		}
		if k, err = ecFromSPKI(alg, data); err != nil {
			return nil, err
		}
	case FormatRaw:
		c := curveByName(ep.NamedCurve)
		if c == nil {
			return nil, errorf(ErrData, "%s: curve %q is not supported", alg, ep.NamedCurve)
		}
		if err := checkUsages(alg, u, pubU); err != nil {
			return nil, err
		}
		h, err := ecPoint(alg, c, data)
		if err != nil {
			return nil, err
		}
		k = &Key{typ: Public, alg: KeyAlgorithm{Name: alg, NamedCurve: c.name}, handle: h}
	case FormatPKCS8:
		if err := checkUsages(alg, u, privU); err != nil {
			return nil, err
		}
		if k, err = ecFromPKCS8(alg, data); err != nil {
			return nil, err
		}
	case FormatJWK:
		if jwk.D != "" {
			err = checkUsages(alg, u, privU)
		} else {
			err = checkUsages(alg, u, pubU)
		}
		if err != nil {
			return nil, err
		}
		use := "sig"
		if alg == ECDH {
			use = "enc"
		}
		if err := jwk.checkCommon("EC", use, extractable, u); err != nil {
			return nil, err
		}
		if k, err = ecFromJWK(alg, ep.NamedCurve, jwk); err != nil {
			return nil, err
		}
	default:
		return nil, notSupportedFormat(alg, format)
	}
	if k.alg.NamedCurve != ep.NamedCurve {
		return nil, errorf(ErrData, "%s: key is on %s, not %s", alg, k.alg.NamedCurve, ep.NamedCurve)
	}
	return k, nil
}

func ecFromJWK(alg, namedCurve string, jwk *JWK) (*Key, error) {
	if jwk.Crv != namedCurve {
		return nil, errorf(ErrData, "jwk: crv %q, want %q", jwk.Crv, namedCurve)
	}
	c := curveByName(jwk.Crv)
	if c == nil {
		return nil, errorf(ErrData, "%s: curve %q is not supported", alg, jwk.Crv)
	}
	if alg == ECDSA && jwk.Alg != "" && jwk.Alg != c.jwsES {
		return nil, errorf(ErrData, "jwk: alg %q, want %q for %s", jwk.Alg, c.jwsES, c.name)
	}
	x, err := b64("x", jwk.X)
	if err != nil {
		return nil, err
	}
	y, err := b64("y", jwk.Y)
	if err != nil {
		return nil, err
	}
	if len(x) != c.size || len(y) != c.size {
		return nil, errorf(ErrData, "jwk: x and y must be %d bytes on %s", c.size, c.name)
	}
	pub, err := ecPoint(alg, c, append(append([]byte{4}, x...), y...))
	if err != nil {
		return nil, err
	}
	ka := KeyAlgorithm{Name: alg, NamedCurve: c.name}
	if jwk.D == "" {
		return &Key{typ: Public, alg: ka, handle: pub}, nil
	}
	d, err := b64("d", jwk.D)
	if err != nil {
		return nil, err
	}
	priv, err := ecScalar(alg, c, d)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(ecPublicBytes(priv), ecPublicBytes(pub)) != 1 {
		return nil, errorf(ErrData, "jwk: x and y do not match d")
	}
	return &Key{typ: Private, alg: ka, handle: priv}, nil
}

func ecExport(format string, k *Key) ([]byte, *JWK, error) {
	switch format {
	case FormatSPKI:
		if k.typ != Public {
			return nil, nil, errorf(ErrInvalidAccess, "%s: only public keys export as spki", k.alg.Name)
		}
		b, err := marshalSPKI(k)
		return b, nil, err
	case FormatPKCS8:
		if k.typ != Private {
			return nil, nil, errorf(ErrInvalidAccess, "%s: only private keys export as pkcs8", k.alg.Name)
		}
		b, err := marshalPKCS8(k)
		return b, nil, err
	case FormatRaw:
		if k.typ != Public {
			return nil, nil, errorf(ErrInvalidAccess, "%s: only public keys export as raw", k.alg.Name)
		}
		return ecPublicBytes(k.handle), nil, nil
	case FormatJWK:
		c := curveByName(k.alg.NamedCurve)
		pt := ecPublicBytes(k.handle)
		j := exportJWK("EC", k)
		j.Crv = c.name
		j.X = enc(pt[1 : 1+c.size])
		j.Y = enc(pt[1+c.size:])
		if k.typ == Private {
			j.D = enc(ecPrivateBytes(k.handle))
		}
		return nil, j, nil
	}
	return nil, nil, notSupportedFormat(k.alg.Name, format)
}

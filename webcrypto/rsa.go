package webcrypto

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"fmt"
	"math/big"
)

// RSA key sizes generateKey accepts. Go refuses keys under 1024 bits; keys
// over 16384 bits take minutes to generate.
const (
	rsaMinBits = 1024
	rsaMaxBits = 16384
)

func init() {
	for _, name := range []string{RSASSAPKCS1v15, RSAPSS, RSAOAEP} {
		algorithms[name] = &algImpl{
			generateKey: rsaGenerate,
			importKey:   rsaImport,
			exportKey:   rsaExport,
			checkSerial: func(k *Key, a *KeyAlgorithm) error {
				if _, err := hashOf(a.Hash); err != nil {
					return err
				}
				pub := publicOf(k.handle).(*rsa.PublicKey)
				if a.ModulusLength != pub.N.BitLen() || !bytes.Equal(a.PublicExponent, big.NewInt(int64(pub.E)).Bytes()) {
					return fmt.Errorf("modulusLength or publicExponent do not match the key")
				}
				return nil
			},
		}
	}
	algorithms[RSASSAPKCS1v15].sign = rsaPKCS1Sign
	algorithms[RSASSAPKCS1v15].verify = rsaPKCS1Verify
	algorithms[RSAPSS].sign = rsaPSSSign
	algorithms[RSAPSS].verify = rsaPSSVerify
	algorithms[RSAOAEP].encrypt = rsaOAEPEncrypt
	algorithms[RSAOAEP].decrypt = rsaOAEPDecrypt
}

func rsaUsages(alg string) (pub, priv usageSet) {
	if alg == RSAOAEP {
		return uEncrypt | uWrapKey, uDecrypt | uUnwrapKey
	}
	return uVerify, uSign
}

// rsaJWKAlg is the JWK alg of an RSA key of alg with the named hash.
func rsaJWKAlg(alg, hash string) string {
	bits := map[string]string{SHA1: "1", SHA256: "256", SHA384: "384", SHA512: "512"}[hash]
	switch alg {
	case RSASSAPKCS1v15:
		return "RS" + bits
	case RSAPSS:
		return "PS" + bits
	}
	if hash == SHA1 {
		return "RSA-OAEP"
	}
	return "RSA-OAEP-" + bits
}

func rsaKeyAlgorithm(alg, hash string, pub *rsa.PublicKey) KeyAlgorithm {
	return KeyAlgorithm{Name: alg, Hash: hash, ModulusLength: pub.N.BitLen(),
		PublicExponent: big.NewInt(int64(pub.E)).Bytes()}
}

func rsaPriv(alg string, k *Key) (*rsa.PrivateKey, error) {
	priv, ok := k.handle.(*rsa.PrivateKey)
	if k.typ != Private || !ok {
		return nil, errorf(ErrInvalidAccess, "%s: the key must be a private key", alg)
	}
	return priv, nil
}

func rsaPub(alg string, k *Key) (*rsa.PublicKey, error) {
	pub, ok := k.handle.(*rsa.PublicKey)
	if k.typ != Public || !ok {
		return nil, errorf(ErrInvalidAccess, "%s: the key must be a public key", alg)
	}
	return pub, nil
}

func rsaHash(k *Key, data []byte) (crypto.Hash, []byte, error) {
	h, err := hashOf(k.alg.Hash)
	if err != nil {
		return 0, nil, err
	}
	m, err := digest(k.alg.Hash, data)
	return h, m, err
}

func rsaPKCS1Sign(_ Params, k *Key, data []byte) ([]byte, error) {
	priv, err := rsaPriv(RSASSAPKCS1v15, k)
	if err != nil {
		return nil, err
	}
	h, m, err := rsaHash(k, data)
	if err != nil {
		return nil, err
	}
	sig, err := rsa.SignPKCS1v15(rand.Reader, priv, h, m)
	if err != nil {
		return nil, errorf(ErrOperation, "RSASSA-PKCS1-v1_5: %w", err)
	}
	return sig, nil
}

func rsaPKCS1Verify(_ Params, k *Key, sig, data []byte) (bool, error) {
	pub, err := rsaPub(RSASSAPKCS1v15, k)
	if err != nil {
		return false, err
	}
	h, m, err := rsaHash(k, data)
	if err != nil {
		return false, err
	}
	return rsa.VerifyPKCS1v15(pub, h, m, sig) == nil, nil
}

func rsaPSSSign(p Params, k *Key, data []byte) ([]byte, error) {
	pp, err := params[*RsaPssParams](p)
	if err != nil {
		return nil, err
	}
	priv, err := rsaPriv(RSAPSS, k)
	if err != nil {
		return nil, err
	}
	h, m, err := rsaHash(k, data)
	if err != nil {
		return nil, err
	}
	var sig []byte
	if pp.SaltLength == 0 {
		// Go reads a zero salt length as "as long as possible".
		sig, err = signPSSNoSalt(priv, h, m)
	} else {
		sig, err = rsa.SignPSS(rand.Reader, priv, h, m, &rsa.PSSOptions{SaltLength: pp.SaltLength})
	}
	if err != nil {
		return nil, errorf(ErrOperation, "RSA-PSS: %w", err)
	}
	return sig, nil
}

func rsaPSSVerify(p Params, k *Key, sig, data []byte) (bool, error) {
	pp, err := params[*RsaPssParams](p)
	if err != nil {
		return false, err
	}
	pub, err := rsaPub(RSAPSS, k)
	if err != nil {
		return false, err
	}
	h, m, err := rsaHash(k, data)
	if err != nil {
		return false, err
	}
	if pp.SaltLength == 0 {
		return verifyPSSNoSalt(pub, h, m, sig), nil
	}
	return rsa.VerifyPSS(pub, h, m, sig, &rsa.PSSOptions{SaltLength: pp.SaltLength}) == nil, nil
}

// mgf1XOR XORs out with MGF1(seed) using h.
func mgf1XOR(out []byte, h crypto.Hash, seed []byte) {
	var counter [4]byte
	done := 0
	for done < len(out) {
		d := h.New()
		d.Write(seed)
		d.Write(counter[:])
		for _, b := range d.Sum(nil) {
			if done == len(out) {
				break
			}
			out[done] ^= b
			done++
		}
		for i := 3; i >= 0; i-- {
			if counter[i]++; counter[i] != 0 {
				break
			}
		}
	}
}

// pssNoSaltEM is EMSA-PSS-ENCODE (RFC 8017 9.1.1) with an empty salt.
func pssNoSaltEM(h crypto.Hash, mHash []byte, emBits int) ([]byte, error) {
	hLen := h.Size()
	emLen := (emBits + 7) / 8
	if emLen < hLen+2 {
		return nil, fmt.Errorf("key too small for %v", h)
	}
	d := h.New()
	d.Write(make([]byte, 8))
	d.Write(mHash)
	hh := d.Sum(nil)
	em := make([]byte, emLen)
	db := em[:emLen-hLen-1]
	db[len(db)-1] = 1
	mgf1XOR(db, h, hh)
	db[0] &= 0xff >> (8*emLen - emBits)
	copy(em[emLen-hLen-1:], hh)
	em[emLen-1] = 0xbc
	return em, nil
}

// signPSSNoSalt signs with RSA-PSS and a zero-length salt. Go's crypto/rsa
// cannot express that salt length, so the private-key operation is done here
// with math/big, blinded and checked; it is not constant-time like
// crypto/rsa's, and is used only for saltLength 0.
func signPSSNoSalt(priv *rsa.PrivateKey, h crypto.Hash, mHash []byte) ([]byte, error) {
	n := priv.N
	em, err := pssNoSaltEM(h, mHash, n.BitLen()-1)
	if err != nil {
		return nil, err
	}
	m := new(big.Int).SetBytes(em)
	e := big.NewInt(int64(priv.E))
	var r *big.Int
	for {
		if r, err = rand.Int(rand.Reader, n); err != nil {
			return nil, err
		}
		if r.Sign() > 0 && new(big.Int).GCD(nil, nil, r, n).Cmp(big.NewInt(1)) == 0 {
			break
		}
	}
	c := new(big.Int).Exp(r, e, n)
	c.Mul(c, m).Mod(c, n)
	s := new(big.Int).Exp(c, priv.D, n)
	s.Mul(s, new(big.Int).ModInverse(r, n)).Mod(s, n)
	if new(big.Int).Exp(s, e, n).Cmp(m) != 0 {
		return nil, fmt.Errorf("signature check failed")
	}
	return s.FillBytes(make([]byte, (n.BitLen()+7)/8)), nil
}

// verifyPSSNoSalt is RSASSA-PSS-VERIFY with a zero-length salt.
func verifyPSSNoSalt(pub *rsa.PublicKey, h crypto.Hash, mHash, sig []byte) bool {
	k := (pub.N.BitLen() + 7) / 8
	if len(sig) != k {
		return false
	}
	s := new(big.Int).SetBytes(sig)
	if s.Cmp(pub.N) >= 0 {
		return false
	}
	m := s.Exp(s, big.NewInt(int64(pub.E)), pub.N)
	emBits := pub.N.BitLen() - 1
	emLen := (emBits + 7) / 8
	if m.BitLen() > emBits {
		return false
	}
	want, err := pssNoSaltEM(h, mHash, emBits)
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare(m.FillBytes(make([]byte, emLen)), want) == 1
}

func rsaOAEPEncrypt(p Params, k *Key, data []byte) ([]byte, error) {
	op, err := params[*RsaOaepParams](p)
	if err != nil {
		return nil, err
	}
	pub, err := rsaPub(RSAOAEP, k)
	if err != nil {
		return nil, err
	}
	h, err := hashOf(k.alg.Hash)
	if err != nil {
		return nil, err
	}
	out, err := rsa.EncryptOAEP(h.New(), rand.Reader, pub, data, op.Label)
	if err != nil {
		return nil, errorf(ErrOperation, "RSA-OAEP: %w", err)
	}
	return out, nil
}

func rsaOAEPDecrypt(p Params, k *Key, data []byte) ([]byte, error) {
	op, err := params[*RsaOaepParams](p)
	if err != nil {
		return nil, err
	}
	priv, err := rsaPriv(RSAOAEP, k)
	if err != nil {
		return nil, err
	}
	h, err := hashOf(k.alg.Hash)
	if err != nil {
		return nil, err
	}
	out, err := rsa.DecryptOAEP(h.New(), rand.Reader, priv, data, op.Label)
	if err != nil {
		return nil, errorf(ErrOperation, "RSA-OAEP: %w", err)
	}
	return out, nil
}

func rsaGenerate(p Params, extractable bool, u usageSet) (*Key, *KeyPair, error) {
	gp, err := params[*RsaHashedKeyGenParams](p)
	if err != nil {
		return nil, nil, err
	}
	pubU, privU := rsaUsages(gp.Name)
	if err := checkUsages(gp.Name, u, pubU|privU); err != nil {
		return nil, nil, err
	}
	e := new(big.Int).SetBytes(gp.PublicExponent)
	if e.Cmp(big.NewInt(65537)) != 0 {
		return nil, nil, errorf(ErrOperation, "%s: only the public exponent 65537 is supported, not %v", gp.Name, e)
	}
	if gp.ModulusLength < rsaMinBits || gp.ModulusLength > rsaMaxBits || gp.ModulusLength%8 != 0 {
		return nil, nil, errorf(ErrOperation, "%s: modulusLength must be a multiple of 8 in [%d, %d], not %d", gp.Name, rsaMinBits, rsaMaxBits, gp.ModulusLength)
	}
	priv, err := rsa.GenerateKey(rand.Reader, gp.ModulusLength)
	if err != nil {
		return nil, nil, errorf(ErrOperation, "%s: %w", gp.Name, err)
	}
	alg := rsaKeyAlgorithm(gp.Name, gp.Hash, &priv.PublicKey)
	return nil, &KeyPair{
		PublicKey:  &Key{typ: Public, alg: alg, handle: &priv.PublicKey, extractable: true, usages: u & pubU},
		PrivateKey: &Key{typ: Private, alg: alg, handle: priv, extractable: extractable, usages: u & privU},
	}, nil
}

func rsaFromSPKI(data []byte) (*Key, error) {
	s, err := parseSPKI(data)
	if err != nil {
		return nil, err
	}
	if !s.Algorithm.Algorithm.Equal(oidRSA) || !nullOrNoParams(s.Algorithm) {
		return nil, errorf(ErrData, "spki: algorithm %v is not rsaEncryption", s.Algorithm.Algorithm)
	}
	pub, err := x509.ParsePKCS1PublicKey(s.PublicKey.Bytes)
	if err != nil {
		return nil, errorf(ErrData, "spki: RSAPublicKey: %w", err)
	}
	return &Key{typ: Public, handle: pub}, nil
}

func rsaFromPKCS8(data []byte) (*Key, error) {
	p, err := parsePKCS8(data)
	if err != nil {
		return nil, err
	}
	if !p.Algorithm.Algorithm.Equal(oidRSA) || !nullOrNoParams(p.Algorithm) {
		return nil, errorf(ErrData, "pkcs8: algorithm %v is not rsaEncryption", p.Algorithm.Algorithm)
	}
	priv, err := x509.ParsePKCS1PrivateKey(p.PrivateKey)
	if err != nil {
		return nil, errorf(ErrData, "pkcs8: RSAPrivateKey: %w", err)
	}
	return &Key{typ: Private, handle: priv}, nil
}

func rsaImport(p Params, format string, data []byte, jwk *JWK, extractable bool, u usageSet) (*Key, error) {
	ip, err := params[*RsaHashedImportParams](p)
	if err != nil {
		return nil, err
	}
	alg := ip.Name
	pubU, privU := rsaUsages(alg)
	var k *Key
	switch format {
	case FormatSPKI:
		if err := checkUsages(alg, u, pubU); err != nil {
			return nil, err
		}
		k, err = rsaFromSPKI(data)
	case FormatPKCS8:
		if err := checkUsages(alg, u, privU); err != nil {
			return nil, err
		}
		k, err = rsaFromPKCS8(data)
	case FormatJWK:
		allowed := pubU
		if jwk.D != "" {
			allowed = privU
		}
		if err := checkUsages(alg, u, allowed); err != nil {
			return nil, err
		}
		k, err = rsaFromJWK(alg, ip.Hash, jwk, extractable, u)
	default:
		return nil, notSupportedFormat(alg, format)
	}
	if err != nil {
		return nil, err
	}
	k.alg = rsaKeyAlgorithm(alg, ip.Hash, publicOf(k.handle).(*rsa.PublicKey))
	return k, nil
}

// jwkHashOf maps an RSA JWK alg to its hash, or "" when alg is not one of
// alg's names.
func jwkHashOf(alg, jwkAlg string) string {
	for _, h := range []string{SHA1, SHA256, SHA384, SHA512} {
		if rsaJWKAlg(alg, h) == jwkAlg {
			return h
		}
	}
	return ""
}

func rsaFromJWK(alg, hash string, jwk *JWK, extractable bool, u usageSet) (*Key, error) {
	use := "sig"
	if alg == RSAOAEP {
		use = "enc"
	}
	if err := jwk.checkCommon("RSA", use, extractable, u); err != nil {
		return nil, err
	}
	if jwk.Alg != "" {
		h := jwkHashOf(alg, jwk.Alg)
		if h == "" {
			return nil, errorf(ErrData, "jwk: alg %q is not an %s alg", jwk.Alg, alg)
		}
		if h != hash {
			return nil, errorf(ErrData, "jwk: alg %q does not match hash %s", jwk.Alg, hash)
		}
	}
	n, err := b64int("n", jwk.N)
	if err != nil {
		return nil, err
	}
	e, err := b64int("e", jwk.E)
	if err != nil {
		return nil, err
	}
	if !e.IsInt64() || e.Int64() < 2 || e.Int64() > 1<<31-1 {
		return nil, errorf(ErrData, "jwk: unsupported public exponent")
	}
	pub := &rsa.PublicKey{N: n, E: int(e.Int64())}
	if jwk.D == "" {
		if jwk.P != "" || jwk.Q != "" || jwk.DP != "" || jwk.DQ != "" || jwk.QI != "" {
			return nil, errorf(ErrData, "jwk: prime members without d")
		}
		if n.Sign() <= 0 || n.Bit(0) == 0 {
			return nil, errorf(ErrData, "jwk: n is not an odd positive integer")
		}
		return &Key{typ: Public, handle: pub}, nil
	}
	if jwk.Oth != nil {
		return nil, errorf(ErrData, "jwk: multi-prime keys (oth) are not supported")
	}
	var v [6]*big.Int
	for i, m := range []struct{ name, val string }{{"d", jwk.D}, {"p", jwk.P}, {"q", jwk.Q}, {"dp", jwk.DP}, {"dq", jwk.DQ}, {"qi", jwk.QI}} {
		if v[i], err = b64int(m.name, m.val); err != nil {
			return nil, err
		}
	}
	d, pr, q := v[0], v[1], v[2]
	priv := &rsa.PrivateKey{PublicKey: *pub, D: d, Primes: []*big.Int{pr, q}}
	if err := priv.Validate(); err != nil {
		return nil, errorf(ErrData, "jwk: invalid RSA private key: %w", err)
	}
	one := big.NewInt(1)
	dp := new(big.Int).Mod(d, new(big.Int).Sub(pr, one))
	dq := new(big.Int).Mod(d, new(big.Int).Sub(q, one))
	qi := new(big.Int).ModInverse(q, pr)
	if qi == nil || dp.Cmp(v[3]) != 0 || dq.Cmp(v[4]) != 0 || qi.Cmp(v[5]) != 0 {
		return nil, errorf(ErrData, "jwk: dp, dq or qi do not match the key")
	}
	priv.Precompute()
	return &Key{typ: Private, handle: priv}, nil
}

func rsaExport(format string, k *Key) ([]byte, *JWK, error) {
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
	case FormatJWK:
		j := exportJWK("RSA", k)
		pub := publicOf(k.handle).(*rsa.PublicKey)
		j.Alg = rsaJWKAlg(alg, k.alg.Hash)
		j.N = enc(pub.N.Bytes())
		j.E = enc(big.NewInt(int64(pub.E)).Bytes())
		if priv, ok := k.handle.(*rsa.PrivateKey); ok {
			if len(priv.Primes) != 2 {
				return nil, nil, errorf(ErrOperation, "%s: multi-prime keys cannot be exported as JWK", alg)
			}
			j.D = enc(priv.D.Bytes())
			j.P = enc(priv.Primes[0].Bytes())
			j.Q = enc(priv.Primes[1].Bytes())
			j.DP = enc(priv.Precomputed.Dp.Bytes())
			j.DQ = enc(priv.Precomputed.Dq.Bytes())
			j.QI = enc(priv.Precomputed.Qinv.Bytes())
		}
		return nil, j, nil
	}
	return nil, nil, notSupportedFormat(alg, format)
}

package webcrypto

import (
	"bytes"
	"encoding/json"
)

// Key formats accepted by [ImportKey], [ExportKey], [WrapKey] and
// [UnwrapKey].
const (
	FormatRaw   = "raw"
	FormatSPKI  = "spki"
	FormatPKCS8 = "pkcs8"
	FormatJWK   = "jwk"
)

// algImpl holds one algorithm's operations; a nil field means the algorithm
// does not support the operation. Import functions fill in type, algorithm
// and material; the SubtleCrypto methods set extractable and usages.
type algImpl struct {
	encrypt     func(p Params, k *Key, data []byte) ([]byte, error)
	decrypt     func(p Params, k *Key, data []byte) ([]byte, error)
	sign        func(p Params, k *Key, data []byte) ([]byte, error)
	verify      func(p Params, k *Key, sig, data []byte) (bool, error)
	generateKey func(p Params, extractable bool, u usageSet) (*Key, *KeyPair, error)
	importKey   func(p Params, format string, data []byte, jwk *JWK, extractable bool, u usageSet) (*Key, error)
	exportKey   func(format string, k *Key) ([]byte, *JWK, error)
	deriveBits  func(p Params, k *Key, length *int) ([]byte, error)
	keyLength   func(p Params) (*int, error)
	wrapKey     func(p Params, k *Key, data []byte) ([]byte, error)
	unwrapKey   func(p Params, k *Key, data []byte) ([]byte, error)
	// checkSerial checks that deserialized material agrees with the
	// serialized algorithm dictionary.
	checkSerial func(k *Key, a *KeyAlgorithm) error
}

// algorithms maps registered names to their implementations; the files of
// each algorithm family fill it in init.
var algorithms = map[string]*algImpl{}

// params asserts the dictionary type an operation needs; a caller passing an
// already normalized Params of another type gets a TypeError.
func params[T Params](p Params) (T, error) {
	t, ok := p.(T)
	if !ok {
		var zero T
		return zero, errorf(ErrType, "%s: parameters of type %T, want %T", p.AlgorithmName(), p, zero)
	}
	return t, nil
}

func checkKey(op string, p Params, key *Key, usage usageSet) error {
	if key == nil {
		return errorf(ErrType, "%s: key is not a CryptoKey", op)
	}
	if p.AlgorithmName() != key.alg.Name {
		return errorf(ErrInvalidAccess, "%s: algorithm %s does not match the key's algorithm %s", op, p.AlgorithmName(), key.alg.Name)
	}
	if !key.usages.has(usage) {
		return errorf(ErrInvalidAccess, "%s: key usages %v do not include %q", op, key.Usages(), usage.list()[0])
	}
	return nil
}

// Digest implements SubtleCrypto.digest.
func Digest(alg any, data []byte) ([]byte, error) {
	p, err := Normalize(OpDigest, alg)
	if err != nil {
		return nil, wrapf(err, "digest")
	}
	return digest(p.AlgorithmName(), data)
}

// Encrypt implements SubtleCrypto.encrypt.
func Encrypt(alg any, key *Key, data []byte) ([]byte, error) {
	p, err := Normalize(OpEncrypt, alg)
	if err != nil {
		return nil, wrapf(err, "encrypt")
	}
	if err := checkKey("encrypt", p, key, uEncrypt); err != nil {
		return nil, err
	}
	return algorithms[p.AlgorithmName()].encrypt(p, key, data)
}

// Decrypt implements SubtleCrypto.decrypt.
func Decrypt(alg any, key *Key, data []byte) ([]byte, error) {
	p, err := Normalize(OpDecrypt, alg)
	if err != nil {
		return nil, wrapf(err, "decrypt")
	}
	if err := checkKey("decrypt", p, key, uDecrypt); err != nil {
		return nil, err
	}
	return algorithms[p.AlgorithmName()].decrypt(p, key, data)
}

// Sign implements SubtleCrypto.sign.
func Sign(alg any, key *Key, data []byte) ([]byte, error) {
	p, err := Normalize(OpSign, alg)
	if err != nil {
		return nil, wrapf(err, "sign")
	}
	if err := checkKey("sign", p, key, uSign); err != nil {
		return nil, err
	}
	return algorithms[p.AlgorithmName()].sign(p, key, data)
}

// Verify implements SubtleCrypto.verify. A signature that does not verify
// is (false, nil), not an error.
func Verify(alg any, key *Key, signature, data []byte) (bool, error) {
	p, err := Normalize(OpVerify, alg)
	if err != nil {
		return false, wrapf(err, "verify")
	}
	if err := checkKey("verify", p, key, uVerify); err != nil {
		return false, err
	}
	return algorithms[p.AlgorithmName()].verify(p, key, signature, data)
}

// GenerateKey implements SubtleCrypto.generateKey. It returns a key for
// symmetric algorithms and a key pair for asymmetric ones; the other result
// is nil.
func GenerateKey(alg any, extractable bool, usages []string) (*Key, *KeyPair, error) {
	p, err := Normalize(OpGenerateKey, alg)
	if err != nil {
		return nil, nil, wrapf(err, "generateKey")
	}
	u, err := parseUsages(usages)
	if err != nil {
		return nil, nil, wrapf(err, "generateKey")
	}
	k, pair, err := algorithms[p.AlgorithmName()].generateKey(p, extractable, u)
	if err != nil {
		return nil, nil, wrapf(err, "generateKey")
	}
	switch {
	case k != nil && k.typ != Public && k.usages == 0:
		return nil, nil, errorf(ErrSyntax, "generateKey: usages must not be empty for a %s key", k.typ)
	case pair != nil && pair.PrivateKey.usages == 0:
		return nil, nil, errorf(ErrSyntax, "generateKey: usages must include one for the private key")
	}
	return k, pair, nil
}

// ImportKey implements SubtleCrypto.importKey. keyData is a []byte for the
// raw, spki and pkcs8 formats and a *JWK or a map[string]any (the JsonWebKey
// dictionary, see [JWKFromMap]) for jwk.
func ImportKey(format string, keyData any, alg any, extractable bool, usages []string) (*Key, error) {
	var raw []byte
	var jwk *JWK
	switch format {
	case FormatRaw, FormatSPKI, FormatPKCS8:
		b, ok := keyData.([]byte)
		if !ok {
			return nil, errorf(ErrType, "importKey: %s key data must be a BufferSource, not %T", format, keyData)
		}
		raw = append([]byte{}, b...)
	case FormatJWK:
		switch j := keyData.(type) {
		case *JWK:
			if j == nil {
				return nil, errorf(ErrType, "importKey: jwk key data is null")
			}
			jwk = j
		case map[string]any:
			var err error
			if jwk, err = JWKFromMap(j); err != nil {
				return nil, wrapf(err, "importKey")
			}
		default:
			return nil, errorf(ErrType, "importKey: jwk key data must be a JsonWebKey, not %T", keyData)
		}
	default:
		return nil, errorf(ErrType, "importKey: %q is not a KeyFormat", format)
	}
	p, err := Normalize(OpImportKey, alg)
	if err != nil {
		return nil, wrapf(err, "importKey")
	}
	u, err := parseUsages(usages)
	if err != nil {
		return nil, wrapf(err, "importKey")
	}
	return importKey(p, format, raw, jwk, extractable, u)
}

func importKey(p Params, format string, raw []byte, jwk *JWK, extractable bool, u usageSet) (*Key, error) {
	k, err := algorithms[p.AlgorithmName()].importKey(p, format, raw, jwk, extractable, u)
	if err != nil {
		return nil, wrapf(err, "importKey %s %s", p.AlgorithmName(), format)
	}
	if k.typ != Public && u == 0 {
		return nil, errorf(ErrSyntax, "importKey: usages must not be empty for a %s key", k.typ)
	}
	k.extractable = extractable
	k.usages = u
	return k, nil
}

// ExportKey implements SubtleCrypto.exportKey. The result is a []byte for
// raw, spki and pkcs8 and a *JWK for jwk.
func ExportKey(format string, key *Key) (any, error) {
	b, jwk, err := exportKey(format, key)
	if err != nil {
		return nil, err
	}
	if format == FormatJWK {
		return jwk, nil
	}
	return b, nil
}

func exportKey(format string, key *Key) ([]byte, *JWK, error) {
	switch format {
	case FormatRaw, FormatSPKI, FormatPKCS8, FormatJWK:
	default:
		return nil, nil, errorf(ErrType, "exportKey: %q is not a KeyFormat", format)
	}
	if key == nil {
		return nil, nil, errorf(ErrType, "exportKey: key is not a CryptoKey")
	}
	impl := algorithms[key.alg.Name]
	if impl == nil || impl.exportKey == nil {
		return nil, nil, errorf(ErrNotSupported, "exportKey: %s keys cannot be exported", key.alg.Name)
	}
	if !key.extractable {
		return nil, nil, errorf(ErrInvalidAccess, "exportKey: key is not extractable")
	}
	b, jwk, err := impl.exportKey(format, key)
	if err != nil {
		return nil, nil, wrapf(err, "exportKey %s %s", key.alg.Name, format)
	}
	return b, jwk, nil
}

// DeriveBits implements SubtleCrypto.deriveBits. length is the optional,
// nullable length in bits: nil is null.
func DeriveBits(alg any, baseKey *Key, length *int) ([]byte, error) {
	p, err := Normalize(OpDeriveBits, alg)
	if err != nil {
		return nil, wrapf(err, "deriveBits")
	}
	if err := checkKey("deriveBits", p, baseKey, uDeriveBits); err != nil {
		return nil, err
	}
	if length != nil && (*length < 0 || *length > maxUnsignedLong) {
		return nil, errorf(ErrType, "deriveBits: length %d out of range", *length)
	}
	return algorithms[p.AlgorithmName()].deriveBits(p, baseKey, length)
}

// DeriveKey implements SubtleCrypto.deriveKey.
func DeriveKey(alg any, baseKey *Key, derivedKeyType any, extractable bool, usages []string) (*Key, error) {
	p, err := Normalize(OpDeriveBits, alg)
	if err != nil {
		return nil, wrapf(err, "deriveKey")
	}
	imp, err := Normalize(OpImportKey, derivedKeyType)
	if err != nil {
		return nil, wrapf(err, "deriveKey: derivedKeyType")
	}
	lp, err := Normalize(OpGetKeyLength, derivedKeyType)
	if err != nil {
		return nil, wrapf(err, "deriveKey: derivedKeyType")
	}
	u, err := parseUsages(usages)
	if err != nil {
		return nil, wrapf(err, "deriveKey")
	}
	if err := checkKey("deriveKey", p, baseKey, uDeriveKey); err != nil {
		return nil, err
	}
	length, err := algorithms[lp.AlgorithmName()].keyLength(lp)
	if err != nil {
		return nil, wrapf(err, "deriveKey: get key length")
	}
	secret, err := algorithms[p.AlgorithmName()].deriveBits(p, baseKey, length)
	if err != nil {
		return nil, wrapf(err, "deriveKey")
	}
	k, err := importKey(imp, FormatRaw, secret, nil, extractable, u)
	if err != nil {
		return nil, wrapf(err, "deriveKey")
	}
	return k, nil
}

// WrapKey implements SubtleCrypto.wrapKey: export key in format, then
// encrypt the result (the JWK as UTF-8 JSON) with wrappingKey.
func WrapKey(format string, key, wrappingKey *Key, wrapAlg any) ([]byte, error) {
	p, err := Normalize(OpWrapKey, wrapAlg)
	wrap := true
	if err != nil {
		if p, err = Normalize(OpEncrypt, wrapAlg); err != nil {
			return nil, wrapf(err, "wrapKey")
		}
		wrap = false
	}
	if err := checkKey("wrapKey", p, wrappingKey, uWrapKey); err != nil {
		return nil, err
	}
	if key == nil {
		return nil, errorf(ErrType, "wrapKey: key is not a CryptoKey")
	}
	b, jwk, err := exportKey(format, key)
	if err != nil {
		return nil, wrapf(err, "wrapKey")
	}
	if format == FormatJWK {
		if b, err = json.Marshal(jwk); err != nil {
			return nil, errorf(ErrOperation, "wrapKey: serialize JWK: %w", err)
		}
	}
	impl := algorithms[p.AlgorithmName()]
	if wrap {
		b, err = impl.wrapKey(p, wrappingKey, b)
	} else {
		b, err = impl.encrypt(p, wrappingKey, b)
	}
	return b, wrapf(err, "wrapKey")
}

// UnwrapKey implements SubtleCrypto.unwrapKey: decrypt wrappedKey with
// unwrappingKey, then import the result (parsed as JSON for jwk).
func UnwrapKey(format string, wrappedKey []byte, unwrappingKey *Key, unwrapAlg, unwrappedKeyAlg any, extractable bool, usages []string) (*Key, error) {
	switch format {
	case FormatRaw, FormatSPKI, FormatPKCS8, FormatJWK:
	default:
		return nil, errorf(ErrType, "unwrapKey: %q is not a KeyFormat", format)
	}
	p, err := Normalize(OpUnwrapKey, unwrapAlg)
	unwrap := true
	if err != nil {
		if p, err = Normalize(OpDecrypt, unwrapAlg); err != nil {
			return nil, wrapf(err, "unwrapKey")
		}
		unwrap = false
	}
	imp, err := Normalize(OpImportKey, unwrappedKeyAlg)
	if err != nil {
		return nil, wrapf(err, "unwrapKey: unwrappedKeyAlgorithm")
	}
	u, err := parseUsages(usages)
	if err != nil {
		return nil, wrapf(err, "unwrapKey")
	}
	if err := checkKey("unwrapKey", p, unwrappingKey, uUnwrapKey); err != nil {
		return nil, err
	}
	impl := algorithms[p.AlgorithmName()]
	var b []byte
	if unwrap {
		b, err = impl.unwrapKey(p, unwrappingKey, wrappedKey)
	} else {
		b, err = impl.decrypt(p, unwrappingKey, wrappedKey)
	}
	if err != nil {
		return nil, wrapf(err, "unwrapKey")
	}
	var jwk *JWK
	if format == FormatJWK {
		if jwk, err = ParseJWK(b); err != nil {
			return nil, wrapf(err, "unwrapKey")
		}
		b = nil
	}
	return importKey(imp, format, b, jwk, extractable, u)
}

// notSupportedFormat is the error for a format an algorithm has no import or
// export steps for.
func notSupportedFormat(alg, format string) error {
	return errorf(ErrNotSupported, "%s: format %q is not supported", alg, format)
}

// trimBits returns the first length bits of b (which must hold at least
// that many), zeroing the unused low bits of the last byte.
func trimBits(b []byte, length int) []byte {
	n := (length + 7) / 8
	out := bytes.Clone(b[:n])
	if r := length % 8; r != 0 {
		out[n-1] &= byte(0xff << (8 - r))
	}
	return out
}

// deriveLength applies the ECDH/X25519 length rule to secret.
func deriveLength(alg string, secret []byte, length *int) ([]byte, error) {
	if length == nil {
		return secret, nil
	}
	if *length > 8*len(secret) {
		return nil, errorf(ErrOperation, "%s: length %d exceeds the %d bits of the shared secret", alg, *length, 8*len(secret))
	}
	return trimBits(secret, *length), nil
}

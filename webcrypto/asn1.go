package webcrypto

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
)

// Object identifiers of the key types this package reads and writes.
var (
	oidRSA     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidEC      = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidP256    = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}
	oidP384    = asn1.ObjectIdentifier{1, 3, 132, 0, 34}
	oidP521    = asn1.ObjectIdentifier{1, 3, 132, 0, 35}
	oidX25519  = asn1.ObjectIdentifier{1, 3, 101, 110}
	oidEd25519 = asn1.ObjectIdentifier{1, 3, 101, 112}
)

type spkiInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	PublicKey asn1.BitString
}

type pkcs8Info struct {
	Version    int
	Algorithm  pkix.AlgorithmIdentifier
	PrivateKey []byte
	Attributes asn1.RawValue `asn1:"optional,tag:0"`
	PublicKey  asn1.RawValue `asn1:"optional,tag:1"`
}

// ecPrivateKey is RFC 5915's ECPrivateKey.
type ecPrivateKey struct {
	Version    int
	PrivateKey []byte
	Curve      asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	PublicKey  asn1.BitString        `asn1:"optional,explicit,tag:1"`
}

// parseSPKI parses a SubjectPublicKeyInfo; every failure is a DataError.
func parseSPKI(data []byte) (*spkiInfo, error) {
	var s spkiInfo
	rest, err := asn1.Unmarshal(data, &s)
	if err != nil {
		return nil, errorf(ErrData, "spki: %w", err)
	}
	if len(rest) != 0 {
		return nil, errorf(ErrData, "spki: %d bytes of trailing data", len(rest))
	}
	if s.PublicKey.BitLength%8 != 0 {
		return nil, errorf(ErrData, "spki: public key is not a whole number of bytes")
	}
	return &s, nil
}

// parsePKCS8 parses a PrivateKeyInfo (or OneAsymmetricKey); every failure is
// a DataError.
func parsePKCS8(data []byte) (*pkcs8Info, error) {
	var p pkcs8Info
	rest, err := asn1.Unmarshal(data, &p)
	if err != nil {
		return nil, errorf(ErrData, "pkcs8: %w", err)
	}
	if len(rest) != 0 {
		return nil, errorf(ErrData, "pkcs8: %d bytes of trailing data", len(rest))
	}
	if p.Version != 0 && p.Version != 1 {
		return nil, errorf(ErrData, "pkcs8: unknown version %d", p.Version)
	}
	return &p, nil
}

// noParams reports whether an AlgorithmIdentifier has absent parameters.
func noParams(a pkix.AlgorithmIdentifier) bool { return len(a.Parameters.FullBytes) == 0 }

// nullOrNoParams reports whether the parameters are absent or NULL.
func nullOrNoParams(a pkix.AlgorithmIdentifier) bool {
	return noParams(a) || (a.Parameters.Tag == asn1.TagNull && len(a.Parameters.Bytes) == 0)
}

// marshalSPKI encodes a public key as SubjectPublicKeyInfo.
func marshalSPKI(k *Key) ([]byte, error) {
	b, err := x509.MarshalPKIXPublicKey(k.handle)
	if err != nil {
		return nil, errorf(ErrOperation, "spki: %w", err)
	}
	return b, nil
}

// marshalPKCS8 encodes a private key as PrivateKeyInfo.
func marshalPKCS8(k *Key) ([]byte, error) {
	b, err := x509.MarshalPKCS8PrivateKey(k.handle)
	if err != nil {
		return nil, errorf(ErrOperation, "pkcs8: %w", err)
	}
	return b, nil
}

// parseSPKIKey and parsePKCS8Key read material for [Key.UnmarshalBinary]
// with the checks the algorithm's import runs.
func parseSPKIKey(data []byte, alg string) (*Key, error) {
	switch alg {
	case RSASSAPKCS1v15, RSAPSS, RSAOAEP:
		return rsaFromSPKI(data)
	case ECDSA, ECDH:
		return ecFromSPKI(alg, data)
	case Ed25519, X25519:
		return okpFromSPKI(alg, data)
	}
	return nil, fmt.Errorf("%s has no public keys", alg)
}

func parsePKCS8Key(data []byte, alg string) (*Key, error) {
	switch alg {
	case RSASSAPKCS1v15, RSAPSS, RSAOAEP:
		return rsaFromPKCS8(data)
	case ECDSA, ECDH:
		return ecFromPKCS8(alg, data)
	case Ed25519, X25519:
		return okpFromPKCS8(alg, data)
	}
	return nil, fmt.Errorf("%s has no private keys", alg)
}

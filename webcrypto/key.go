package webcrypto

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"math/bits"
	"strings"
)

// KeyType is a CryptoKey's type.
type KeyType string

// Key types.
const (
	Secret  KeyType = "secret"
	Public  KeyType = "public"
	Private KeyType = "private"
)

// Usage is a KeyUsage value.
type Usage = string

// Key usages, in the order of the KeyUsage enumeration, which is the order
// [Key.Usages] reports them in.
const (
	UsageEncrypt    Usage = "encrypt"
	UsageDecrypt    Usage = "decrypt"
	UsageSign       Usage = "sign"
	UsageVerify     Usage = "verify"
	UsageDeriveKey  Usage = "deriveKey"
	UsageDeriveBits Usage = "deriveBits"
	UsageWrapKey    Usage = "wrapKey"
	UsageUnwrapKey  Usage = "unwrapKey"
)

var usageNames = [...]string{UsageEncrypt, UsageDecrypt, UsageSign, UsageVerify, UsageDeriveKey, UsageDeriveBits, UsageWrapKey, UsageUnwrapKey}

// usageSet is a set of usages, one bit per KeyUsage in enumeration order.
type usageSet uint8

const (
	uEncrypt usageSet = 1 << iota
	uDecrypt
	uSign
	uVerify
	uDeriveKey
	uDeriveBits
	uWrapKey
	uUnwrapKey
)

const uDerive = uDeriveKey | uDeriveBits

// parseUsages converts a sequence<KeyUsage>; an unknown value is a TypeError,
// as for any WebIDL enumeration.
func parseUsages(usages []string) (usageSet, error) {
	var s usageSet
outer:
	for _, u := range usages {
		for i, n := range usageNames {
			if u == n {
				s |= 1 << i
				continue outer
			}
		}
		return 0, errorf(ErrType, "%q is not a valid KeyUsage", u)
	}
	return s, nil
}

func (s usageSet) has(u usageSet) bool { return s&u == u }

// within reports whether s holds no usage outside allowed.
func (s usageSet) within(allowed usageSet) bool { return s&^allowed == 0 }

func (s usageSet) list() []string {
	out := make([]string, 0, bits.OnesCount8(uint8(s)))
	for i, n := range usageNames {
		if s&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// checkUsages returns the SyntaxError the algorithms throw when a usage is
// not allowed for the key being made.
func checkUsages(alg string, s, allowed usageSet) error {
	if !s.within(allowed) {
		return errorf(ErrSyntax, "%s: usages %s not allowed for this key (allowed: %s)",
			alg, strings.Join((s&^allowed).list(), ", "), strings.Join(allowed.list(), ", "))
	}
	return nil
}

// KeyAlgorithm is a CryptoKey's [[algorithm]]: the KeyAlgorithm dictionary
// and its AesKeyAlgorithm, HmacKeyAlgorithm, EcKeyAlgorithm and
// RsaHashedKeyAlgorithm extensions flattened into one struct. [KeyAlgorithm.Dict]
// gives the members the algorithm actually has.
type KeyAlgorithm struct {
	Name           string `json:"name"`
	Length         int    `json:"length,omitempty"`         // AES, HMAC: key length in bits
	Hash           string `json:"hash,omitempty"`           // HMAC, RSA: hash name
	NamedCurve     string `json:"namedCurve,omitempty"`     // ECDSA, ECDH
	ModulusLength  int    `json:"modulusLength,omitempty"`  // RSA
	PublicExponent []byte `json:"publicExponent,omitempty"` // RSA, big-endian
}

// Dict returns the algorithm as the dictionary CryptoKey.algorithm exposes:
// "name" and the members of its algorithm's KeyAlgorithm type, with "hash"
// as a nested {"name": ...} dictionary and "publicExponent" as []byte (a
// Uint8Array).
func (a KeyAlgorithm) Dict() map[string]any {
	m := map[string]any{"name": a.Name}
	switch a.Name {
	case AESCBC, AESCTR, AESGCM, AESKW:
		m["length"] = a.Length
	case HMAC:
		m["length"] = a.Length
		m["hash"] = map[string]any{"name": a.Hash}
	case ECDSA, ECDH:
		m["namedCurve"] = a.NamedCurve
	case RSASSAPKCS1v15, RSAPSS, RSAOAEP:
		m["modulusLength"] = a.ModulusLength
		m["publicExponent"] = append([]byte{}, a.PublicExponent...)
		m["hash"] = map[string]any{"name": a.Hash}
	}
	return m
}

// Key is a CryptoKey. It is immutable once made, so one *Key may be shared
// by any number of goroutines and JavaScript realms; structured clone may
// hand out the same pointer, or a copy through [Key.MarshalBinary].
type Key struct {
	typ         KeyType
	extractable bool
	alg         KeyAlgorithm
	usages      usageSet

	secret []byte // secret keys
	// Exactly one of these is set for public and private keys:
	// *rsa.PublicKey, *rsa.PrivateKey, *ecdsa.PublicKey, *ecdsa.PrivateKey,
	// *ecdh.PublicKey, *ecdh.PrivateKey, ed25519.PublicKey,
	// ed25519.PrivateKey.
	handle any
}

// KeyPair is a CryptoKeyPair.
type KeyPair struct {
	PublicKey  *Key
	PrivateKey *Key
}

// Type returns the key's [[type]].
func (k *Key) Type() KeyType { return k.typ }

// Extractable returns the key's [[extractable]].
func (k *Key) Extractable() bool { return k.extractable }

// Algorithm returns the key's [[algorithm]].
func (k *Key) Algorithm() KeyAlgorithm {
	a := k.alg
	a.PublicExponent = append([]byte(nil), a.PublicExponent...)
	return a
}

// Usages returns the key's [[usages]], in KeyUsage enumeration order and
// without duplicates (the spec's "normalized value" of the usages given).
func (k *Key) Usages() []string { return k.usages.list() }

// HasUsage reports whether the key's usages include u.
func (k *Key) HasUsage(u Usage) bool {
	s, err := parseUsages([]string{u})
	return err == nil && k.usages.has(s)
}

// String describes the key without its material.
func (k *Key) String() string {
	return fmt.Sprintf("CryptoKey{%s %s extractable=%t usages=%v}", k.typ, k.alg.Name, k.extractable, k.Usages())
}

// with returns a copy of k with the given extractable flag and usages.
func (k *Key) with(extractable bool, usages usageSet) *Key {
	c := *k
	c.extractable = extractable
	c.usages = usages
	return &c
}

// serialVersion is the version of the MarshalBinary format.
const serialVersion = 1

// serialKey is the MarshalBinary format: JSON, with the key material in the
// format the key's type exports to without loss (raw for secret keys, spki
// for public keys, pkcs8 for private keys).
type serialKey struct {
	V           int          `json:"v"`
	Type        KeyType      `json:"type"`
	Extractable bool         `json:"extractable"`
	Algorithm   KeyAlgorithm `json:"algorithm"`
	Usages      []string     `json:"usages"`
	Material    []byte       `json:"material"`
}

// MarshalBinary serializes the key, material included, for structured clone
// and storage; [Key.UnmarshalBinary] reads it back. It works whether or not
// the key is extractable: the serialized form is for the host's own storage,
// never for script.
func (k *Key) MarshalBinary() ([]byte, error) {
	var mat []byte
	var err error
	switch k.typ {
	case Secret:
		mat = k.secret
	case Public:
		mat, err = marshalSPKI(k)
	case Private:
		mat, err = marshalPKCS8(k)
	default:
		err = fmt.Errorf("unknown key type %q", k.typ)
	}
	if err != nil {
		return nil, errorf(ErrDataClone, "serialize %s key: %w", k.alg.Name, err)
	}
	return json.Marshal(serialKey{V: serialVersion, Type: k.typ, Extractable: k.extractable,
		Algorithm: k.alg, Usages: k.Usages(), Material: mat})
}

// UnmarshalBinary replaces k with a key read from data written by
// [Key.MarshalBinary]. The material is imported again, so data that does not
// describe a valid key fails with DataCloneError.
func (k *Key) UnmarshalBinary(data []byte) error {
	var s serialKey
	if err := json.Unmarshal(data, &s); err != nil {
		return errorf(ErrDataClone, "deserialize key: %w", err)
	}
	if s.V != serialVersion {
		return errorf(ErrDataClone, "deserialize key: unknown version %d", s.V)
	}
	usages, err := parseUsages(s.Usages)
	if err != nil {
		return errorf(ErrDataClone, "deserialize key: %w", err)
	}
	impl, ok := algorithms[s.Algorithm.Name]
	if !ok {
		return errorf(ErrDataClone, "deserialize key: unknown algorithm %q", s.Algorithm.Name)
	}
	var nk *Key
	switch s.Type {
	case Secret:
		nk = &Key{secret: append([]byte{}, s.Material...)}
	case Public:
		nk, err = parseSPKIKey(s.Material, s.Algorithm.Name)
	case Private:
		nk, err = parsePKCS8Key(s.Material, s.Algorithm.Name)
	default:
		err = fmt.Errorf("unknown key type %q", s.Type)
	}
	if err == nil && nk.typ != "" && nk.typ != s.Type {
		err = fmt.Errorf("material is a %s key, not %s", nk.typ, s.Type)
	}
	if err == nil && impl.checkSerial != nil {
		err = impl.checkSerial(nk, &s.Algorithm)
	}
	if err != nil {
		return errorf(ErrDataClone, "deserialize %s key: %w", s.Algorithm.Name, err)
	}
	nk.typ = s.Type
	nk.alg = s.Algorithm
	nk.extractable = s.Extractable
	nk.usages = usages
	*k = *nk
	return nil
}

// publicOf returns the public half of a private key handle.
func publicOf(h any) any {
	switch p := h.(type) {
	case *rsa.PrivateKey:
		return &p.PublicKey
	case *ecdsa.PrivateKey:
		return &p.PublicKey
	case *ecdh.PrivateKey:
		return p.PublicKey()
	case ed25519.PrivateKey:
		return p.Public().(ed25519.PublicKey)
	}
	return h
}

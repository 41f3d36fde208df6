package webcrypto

import (
	"math"
	"strconv"
	"strings"
)

// Op names an operation of the "normalize an algorithm" procedure: the
// algorithms registered for an operation, and the dictionary type each one
// takes, depend on it.
type Op string

// Operations known to [Normalize].
const (
	OpEncrypt      Op = "encrypt"
	OpDecrypt      Op = "decrypt"
	OpSign         Op = "sign"
	OpVerify       Op = "verify"
	OpDigest       Op = "digest"
	OpGenerateKey  Op = "generateKey"
	OpImportKey    Op = "importKey"
	OpDeriveBits   Op = "deriveBits"
	OpGetKeyLength Op = "get key length"
	OpWrapKey      Op = "wrapKey"
	OpUnwrapKey    Op = "unwrapKey"
)

// Params is a normalized algorithm: one of the *…Params types of this
// package, or *[Algorithm] for algorithms whose dictionary has no member but
// name. Its name is the registered spelling ("AES-GCM", not "aes-gcm").
type Params interface {
	// AlgorithmName returns the registered name of the algorithm.
	AlgorithmName() string
}

// Algorithm is the normalized form of an algorithm whose parameter
// dictionary is the plain Algorithm dictionary (digest names, Ed25519,
// HMAC sign, AES import, and so on).
type Algorithm struct{ Name string }

// AesCbcParams is the normalized AesCbcParams dictionary.
type AesCbcParams struct {
	Name string
	IV   []byte
}

// AesCtrParams is the normalized AesCtrParams dictionary.
type AesCtrParams struct {
	Name    string
	Counter []byte
	Length  int // bits of the counter block that are incremented
}

// AesGcmParams is the normalized AesGcmParams dictionary. TagLength is 128
// when the dictionary had none.
type AesGcmParams struct {
	Name           string
	IV             []byte
	AdditionalData []byte // nil when absent
	TagLength      int
}

// AesKeyGenParams is the normalized AesKeyGenParams dictionary, also used for
// AesDerivedKeyParams ("get key length").
type AesKeyGenParams struct {
	Name   string
	Length int
}

// HmacParams is the normalized HmacImportParams or HmacKeyGenParams
// dictionary. Hash is a normalized digest name.
type HmacParams struct {
	Name      string
	Hash      string
	Length    int
	HasLength bool
}

// RsaHashedKeyGenParams is the normalized RsaHashedKeyGenParams dictionary.
type RsaHashedKeyGenParams struct {
	Name           string
	ModulusLength  int
	PublicExponent []byte // big-endian, as the BigInteger typedef
	Hash           string
}

// RsaHashedImportParams is the normalized RsaHashedImportParams dictionary.
type RsaHashedImportParams struct {
	Name string
	Hash string
}

// RsaPssParams is the normalized RsaPssParams dictionary.
type RsaPssParams struct {
	Name       string
	SaltLength int
}

// RsaOaepParams is the normalized RsaOaepParams dictionary.
type RsaOaepParams struct {
	Name  string
	Label []byte // nil when absent
}

// EcKeyParams is the normalized EcKeyGenParams or EcKeyImportParams
// dictionary.
type EcKeyParams struct {
	Name       string
	NamedCurve string
}

// EcdsaParams is the normalized EcdsaParams dictionary.
type EcdsaParams struct {
	Name string
	Hash string
}

// EcdhKeyDeriveParams is the normalized EcdhKeyDeriveParams dictionary (ECDH
// and X25519).
type EcdhKeyDeriveParams struct {
	Name   string
	Public *Key
}

// HkdfParams is the normalized HkdfParams dictionary.
type HkdfParams struct {
	Name string
	Hash string
	Salt []byte
	Info []byte
}

// Pbkdf2Params is the normalized Pbkdf2Params dictionary.
type Pbkdf2Params struct {
	Name       string
	Hash       string
	Salt       []byte
	Iterations int
}

// AlgorithmName implements [Params].
func (p *Algorithm) AlgorithmName() string { return p.Name }

// AlgorithmName implements [Params].
func (p *AesCbcParams) AlgorithmName() string { return p.Name }

// AlgorithmName implements [Params].
func (p *AesCtrParams) AlgorithmName() string { return p.Name }

// AlgorithmName implements [Params].
func (p *AesGcmParams) AlgorithmName() string { return p.Name }

// AlgorithmName implements [Params].
func (p *AesKeyGenParams) AlgorithmName() string { return p.Name }

// AlgorithmName implements [Params].
func (p *HmacParams) AlgorithmName() string { return p.Name }

// AlgorithmName implements [Params].
func (p *RsaHashedKeyGenParams) AlgorithmName() string { return p.Name }

// AlgorithmName implements [Params].
func (p *RsaHashedImportParams) AlgorithmName() string { return p.Name }

// AlgorithmName implements [Params].
func (p *RsaPssParams) AlgorithmName() string { return p.Name }

// AlgorithmName implements [Params].
func (p *RsaOaepParams) AlgorithmName() string { return p.Name }

// AlgorithmName implements [Params].
func (p *EcKeyParams) AlgorithmName() string { return p.Name }

// AlgorithmName implements [Params].
func (p *EcdsaParams) AlgorithmName() string { return p.Name }

// AlgorithmName implements [Params].
func (p *EcdhKeyDeriveParams) AlgorithmName() string { return p.Name }

// AlgorithmName implements [Params].
func (p *HkdfParams) AlgorithmName() string { return p.Name }

// AlgorithmName implements [Params].
func (p *Pbkdf2Params) AlgorithmName() string { return p.Name }

// Registered algorithm names.
const (
	SHA1            = "SHA-1"
	SHA256          = "SHA-256"
	SHA384          = "SHA-384"
	SHA512          = "SHA-512"
	HMAC            = "HMAC"
	AESCBC          = "AES-CBC"
	AESCTR          = "AES-CTR"
	AESGCM          = "AES-GCM"
	AESKW           = "AES-KW"
	ECDSA           = "ECDSA"
	ECDH            = "ECDH"
	Ed25519         = "Ed25519"
	X25519          = "X25519"
	RSASSAPKCS1v15  = "RSASSA-PKCS1-v1_5"
	RSAPSS          = "RSA-PSS"
	RSAOAEP         = "RSA-OAEP"
	PBKDF2          = "PBKDF2"
	HKDF            = "HKDF"
	curveP256       = "P-256"
	curveP384       = "P-384"
	curveP521       = "P-521"
	maxUnsignedLong = math.MaxUint32
)

// dictParser converts a dictionary to the normalized Params of one
// algorithm; name is the registered name.
type dictParser func(name string, d dict) (Params, error)

func plain(name string, _ dict) (Params, error) { return &Algorithm{Name: name}, nil }

// registry is the spec's "supported algorithms" map: for each operation, the
// registered algorithms (keyed by their lower-case name) and their
// dictionary types.
var registry = map[Op]map[string]struct {
	name  string
	parse dictParser
}{}

func register(op Op, name string, parse dictParser) {
	m := registry[op]
	if m == nil {
		m = map[string]struct {
			name  string
			parse dictParser
		}{}
		registry[op] = m
	}
	m[strings.ToLower(name)] = struct {
		name  string
		parse dictParser
	}{name, parse}
}

func init() {
	for _, h := range []string{SHA1, SHA256, SHA384, SHA512} {
		register(OpDigest, h, plain)
	}
	for _, op := range []Op{OpEncrypt, OpDecrypt} {
		register(op, RSAOAEP, parseRsaOaep)
		register(op, AESCTR, parseAesCtr)
		register(op, AESCBC, parseAesCbc)
		register(op, AESGCM, parseAesGcm)
	}
	for _, op := range []Op{OpSign, OpVerify} {
		register(op, RSASSAPKCS1v15, plain)
		register(op, RSAPSS, parseRsaPss)
		register(op, ECDSA, parseEcdsa)
		register(op, HMAC, plain)
		register(op, Ed25519, plain)
	}
	for _, n := range []string{RSASSAPKCS1v15, RSAPSS, RSAOAEP} {
		register(OpGenerateKey, n, parseRsaKeyGen)
		register(OpImportKey, n, parseRsaImport)
	}
	for _, n := range []string{ECDSA, ECDH} {
		register(OpGenerateKey, n, parseEcKey)
		register(OpImportKey, n, parseEcKey)
	}
	for _, n := range []string{AESCTR, AESCBC, AESGCM, AESKW} {
		register(OpGenerateKey, n, parseAesLength)
		register(OpImportKey, n, plain)
		register(OpGetKeyLength, n, parseAesLength)
	}
	register(OpGenerateKey, HMAC, parseHmac)
	register(OpImportKey, HMAC, parseHmac)
	register(OpGetKeyLength, HMAC, parseHmac)
	for _, n := range []string{Ed25519, X25519} {
		register(OpGenerateKey, n, plain)
		register(OpImportKey, n, plain)
	}
	register(OpDeriveBits, ECDH, parseEcdhDerive)
	register(OpDeriveBits, X25519, parseEcdhDerive)
	register(OpDeriveBits, HKDF, parseHkdf)
	register(OpDeriveBits, PBKDF2, parsePbkdf2)
	for _, n := range []string{HKDF, PBKDF2} {
		register(OpImportKey, n, plain)
		register(OpGetKeyLength, n, plain)
	}
	register(OpWrapKey, AESKW, plain)
	register(OpUnwrapKey, AESKW, plain)
}

// Normalize runs the Web Cryptography API's "normalize an algorithm"
// procedure for op on alg, an AlgorithmIdentifier: a Go string (the name),
// a map[string]any holding the dictionary's members as described in the
// package documentation, or an already normalized [Params] (whose name is
// then only checked against the registry).
//
// It fails with TypeError when alg or a member has the wrong type, a
// required member is missing or an [EnforceRange] number is out of range,
// and with NotSupportedError when the name is not registered for op.
func Normalize(op Op, alg any) (Params, error) {
	algs, ok := registry[op]
	if !ok {
		return nil, errorf(ErrNotSupported, "unknown operation %q", string(op))
	}
	switch a := alg.(type) {
	case string:
		// {name: alg}, without building the map.
		r, ok := algs[strings.ToLower(a)]
		if !ok {
			return nil, errorf(ErrNotSupported, "%s: algorithm %q is not supported", op, a)
		}
		return r.parse(r.name, dict{op: op, alg: r.name})
	case Params:
		if a == nil {
			return nil, errorf(ErrType, "%s: algorithm is null", op)
		}
		if r, ok := algs[strings.ToLower(a.AlgorithmName())]; !ok || r.name != a.AlgorithmName() {
			return nil, errorf(ErrNotSupported, "%s: algorithm %q is not supported", op, a.AlgorithmName())
		}
		return a, nil
	}
	m, ok := alg.(map[string]any)
	if !ok {
		return nil, errorf(ErrType, "%s: algorithm must be a string or a dictionary, not %T", op, alg)
	}
	d := dict{m: m, op: op}
	name, _, err := d.str("name", true)
	if err != nil {
		return nil, err
	}
	r, ok := algs[strings.ToLower(name)]
	if !ok {
		return nil, errorf(ErrNotSupported, "%s: algorithm %q is not supported", op, name)
	}
	d.alg = r.name
	p, err := r.parse(r.name, d)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// dict reads the members of a JavaScript dictionary given as a map, with the
// WebIDL conversions of the member types the algorithm dictionaries use.
type dict struct {
	m   map[string]any
	op  Op
	alg string
}

func (d dict) where(member string) string {
	if d.alg == "" {
		return string(d.op) + ": " + member
	}
	return string(d.op) + ": " + d.alg + "." + member
}

func (d dict) get(member string, required bool) (any, bool, error) {
	v, ok := d.m[member]
	if !ok || v == nil {
		if required {
			return nil, false, errorf(ErrType, "%s is required", d.where(member))
		}
		return nil, false, nil
	}
	return v, true, nil
}

// str converts a DOMString member.
func (d dict) str(member string, required bool) (string, bool, error) {
	v, ok, err := d.get(member, required)
	if !ok {
		return "", false, err
	}
	switch s := v.(type) {
	case string:
		return s, true, nil
	case bool:
		return strconv.FormatBool(s), true, nil
	case float64:
		return jsNumberString(s), true, nil
	case int:
		return strconv.Itoa(s), true, nil
	case int64:
		return strconv.FormatInt(s, 10), true, nil
	}
	return "", false, errorf(ErrType, "%s must be a string, not %T", d.where(member), v)
}

// jsNumberString is ToString for the numbers that can name an algorithm:
// integers print without a fraction, the rest as Go's shortest form.
func jsNumberString(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == math.Trunc(f) && math.Abs(f) < 1e21:
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// uint converts an [EnforceRange] integer member of at most max.
func (d dict) uint(member string, required bool, max uint64) (int, bool, error) {
	v, ok, err := d.get(member, required)
	if !ok {
		return 0, false, err
	}
	var f float64
	switch n := v.(type) {
	case float64:
		f = n
	case float32:
		f = float64(n)
	case int:
		f = float64(n)
	case int64:
		f = float64(n)
	case uint32:
		f = float64(n)
	case uint64:
		f = float64(n)
	case bool:
		if n {
			f = 1
		}
	case string:
		s := strings.TrimSpace(n)
		if s == "" {
			f = 0
		} else if f, err = strconv.ParseFloat(s, 64); err != nil {
			f = math.NaN()
		}
	default:
		return 0, false, errorf(ErrType, "%s must be a number, not %T", d.where(member), v)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, errorf(ErrType, "%s is not a finite number", d.where(member))
	}
	f = math.Trunc(f)
	if f < 0 || f > float64(max) {
		return 0, false, errorf(ErrType, "%s is out of range [0, %d]", d.where(member), max)
	}
	return int(f), true, nil
}

// buffer converts a BufferSource member, copying the bytes.
func (d dict) buffer(member string, required bool) ([]byte, bool, error) {
	v, ok, err := d.get(member, required)
	if !ok {
		return nil, false, err
	}
	b, ok := v.([]byte)
	if !ok {
		return nil, false, errorf(ErrType, "%s must be a BufferSource, not %T", d.where(member), v)
	}
	return append([]byte{}, b...), true, nil
}

// hash converts a required HashAlgorithmIdentifier member, normalizing it
// for the digest operation.
func (d dict) hash(member string) (string, error) {
	v, _, err := d.get(member, true)
	if err != nil {
		return "", err
	}
	p, err := Normalize(OpDigest, v)
	if err != nil {
		return "", wrapf(err, "%s", d.where(member))
	}
	return p.AlgorithmName(), nil
}

func parseAesCbc(name string, d dict) (Params, error) {
	iv, _, err := d.buffer("iv", true)
	if err != nil {
		return nil, err
	}
	return &AesCbcParams{Name: name, IV: iv}, nil
}

func parseAesCtr(name string, d dict) (Params, error) {
	counter, _, err := d.buffer("counter", true)
	if err != nil {
		return nil, err
	}
	n, _, err := d.uint("length", true, math.MaxUint8)
	if err != nil {
		return nil, err
	}
	return &AesCtrParams{Name: name, Counter: counter, Length: n}, nil
}

func parseAesGcm(name string, d dict) (Params, error) {
	ad, _, err := d.buffer("additionalData", false)
	if err != nil {
		return nil, err
	}
	iv, _, err := d.buffer("iv", true)
	if err != nil {
		return nil, err
	}
	tag, ok, err := d.uint("tagLength", false, math.MaxUint8)
	if err != nil {
		return nil, err
	}
	if !ok {
		tag = 128
	}
	return &AesGcmParams{Name: name, IV: iv, AdditionalData: ad, TagLength: tag}, nil
}

func parseAesLength(name string, d dict) (Params, error) {
	n, _, err := d.uint("length", true, math.MaxUint16)
	if err != nil {
		return nil, err
	}
	return &AesKeyGenParams{Name: name, Length: n}, nil
}

func parseHmac(name string, d dict) (Params, error) {
	h, err := d.hash("hash")
	if err != nil {
		return nil, err
	}
	n, has, err := d.uint("length", false, maxUnsignedLong)
	if err != nil {
		return nil, err
	}
	return &HmacParams{Name: name, Hash: h, Length: n, HasLength: has}, nil
}

func parseRsaKeyGen(name string, d dict) (Params, error) {
	h, err := d.hash("hash")
	if err != nil {
		return nil, err
	}
	n, _, err := d.uint("modulusLength", true, maxUnsignedLong)
	if err != nil {
		return nil, err
	}
	e, _, err := d.buffer("publicExponent", true)
	if err != nil {
		return nil, err
	}
	return &RsaHashedKeyGenParams{Name: name, ModulusLength: n, PublicExponent: e, Hash: h}, nil
}

func parseRsaImport(name string, d dict) (Params, error) {
	h, err := d.hash("hash")
	if err != nil {
		return nil, err
	}
	return &RsaHashedImportParams{Name: name, Hash: h}, nil
}

func parseRsaPss(name string, d dict) (Params, error) {
	n, _, err := d.uint("saltLength", true, maxUnsignedLong)
	if err != nil {
		return nil, err
	}
	return &RsaPssParams{Name: name, SaltLength: n}, nil
}

func parseRsaOaep(name string, d dict) (Params, error) {
	l, _, err := d.buffer("label", false)
	if err != nil {
		return nil, err
	}
	return &RsaOaepParams{Name: name, Label: l}, nil
}

func parseEcKey(name string, d dict) (Params, error) {
	c, _, err := d.str("namedCurve", true)
	if err != nil {
		return nil, err
	}
	return &EcKeyParams{Name: name, NamedCurve: c}, nil
}

func parseEcdsa(name string, d dict) (Params, error) {
	h, err := d.hash("hash")
	if err != nil {
		return nil, err
	}
	return &EcdsaParams{Name: name, Hash: h}, nil
}

func parseEcdhDerive(name string, d dict) (Params, error) {
	v, _, err := d.get("public", true)
	if err != nil {
		return nil, err
	}
	k, ok := v.(*Key)
	if !ok || k == nil {
		return nil, errorf(ErrType, "%s must be a CryptoKey, not %T", d.where("public"), v)
	}
	return &EcdhKeyDeriveParams{Name: name, Public: k}, nil
}

func parseHkdf(name string, d dict) (Params, error) {
	h, err := d.hash("hash")
	if err != nil {
		return nil, err
	}
	info, _, err := d.buffer("info", true)
	if err != nil {
		return nil, err
	}
	salt, _, err := d.buffer("salt", true)
	if err != nil {
		return nil, err
	}
	return &HkdfParams{Name: name, Hash: h, Salt: salt, Info: info}, nil
}

func parsePbkdf2(name string, d dict) (Params, error) {
	h, err := d.hash("hash")
	if err != nil {
		return nil, err
	}
	n, _, err := d.uint("iterations", true, maxUnsignedLong)
	if err != nil {
		return nil, err
	}
	salt, _, err := d.buffer("salt", true)
	if err != nil {
		return nil, err
	}
	return &Pbkdf2Params{Name: name, Hash: h, Salt: salt, Iterations: n}, nil
}

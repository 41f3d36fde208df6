package webcrypto

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"math/big"
)

func init() {
	for _, name := range []string{AESCBC, AESCTR, AESGCM, AESKW} {
		algorithms[name] = &algImpl{
			generateKey: aesGenerate,
			importKey:   aesImport,
			exportKey:   aesExport,
			keyLength:   aesKeyLength,
			checkSerial: func(k *Key, a *KeyAlgorithm) error {
				if a.Length != 8*len(k.secret) || !aesLengthOK(a.Length) {
					return fmt.Errorf("length %d does not match %d bytes of key", a.Length, len(k.secret))
				}
				return nil
			},
		}
	}
	algorithms[AESCBC].encrypt = aesCBCEncrypt
	algorithms[AESCBC].decrypt = aesCBCDecrypt
	algorithms[AESCTR].encrypt = aesCTR
	algorithms[AESCTR].decrypt = aesCTR
	algorithms[AESGCM].encrypt = aesGCMEncrypt
	algorithms[AESGCM].decrypt = aesGCMDecrypt
	algorithms[AESKW].wrapKey = aesKWWrap
	algorithms[AESKW].unwrapKey = aesKWUnwrap
}

func aesLengthOK(bits int) bool { return bits == 128 || bits == 192 || bits == 256 }

// aesUsages are the usages an AES key of the named algorithm may have.
func aesUsages(name string) usageSet {
	if name == AESKW {
		return uWrapKey | uUnwrapKey
	}
	return uEncrypt | uDecrypt | uWrapKey | uUnwrapKey
}

// aesJWKAlg is the JWK alg of an AES key: A128GCM, A256KW, ...
func aesJWKAlg(name string, bits int) string {
	suffix := map[string]string{AESCBC: "CBC", AESCTR: "CTR", AESGCM: "GCM", AESKW: "KW"}[name]
	return fmt.Sprintf("A%d%s", bits, suffix)
}

func aesGenerate(p Params, extractable bool, u usageSet) (*Key, *KeyPair, error) {
	ap, err := params[*AesKeyGenParams](p)
	if err != nil {
		return nil, nil, err
	}
	if err := checkUsages(ap.Name, u, aesUsages(ap.Name)); err != nil {
		return nil, nil, err
	}
	if !aesLengthOK(ap.Length) {
		return nil, nil, errorf(ErrOperation, "%s: length must be 128, 192 or 256, not %d", ap.Name, ap.Length)
	}
	b := make([]byte, ap.Length/8)
	rand.Read(b)
	k := &Key{typ: Secret, alg: KeyAlgorithm{Name: ap.Name, Length: ap.Length}, secret: b}
	return k.with(extractable, u), nil, nil
}

func aesImport(p Params, format string, data []byte, jwk *JWK, extractable bool, u usageSet) (*Key, error) {
	name := p.AlgorithmName()
	if err := checkUsages(name, u, aesUsages(name)); err != nil {
		return nil, err
	}
	switch format {
	case FormatRaw:
		if !aesLengthOK(8 * len(data)) {
			return nil, errorf(ErrData, "%s: key data is %d bits, not 128, 192 or 256", name, 8*len(data))
		}
	case FormatJWK:
		if err := jwk.checkCommon("oct", "enc", extractable, u); err != nil {
			return nil, err
		}
		var err error
		if data, err = b64("k", jwk.K); err != nil {
			return nil, err
		}
		if !aesLengthOK(8 * len(data)) {
			return nil, errorf(ErrData, "%s: jwk k is %d bits, not 128, 192 or 256", name, 8*len(data))
		}
		if want := aesJWKAlg(name, 8*len(data)); jwk.Alg != "" && jwk.Alg != want {
			return nil, errorf(ErrData, "jwk: alg %q, want %q", jwk.Alg, want)
		}
	default:
		return nil, notSupportedFormat(name, format)
	}
	return &Key{typ: Secret, alg: KeyAlgorithm{Name: name, Length: 8 * len(data)}, secret: data}, nil
}

func aesExport(format string, k *Key) ([]byte, *JWK, error) {
	switch format {
	case FormatRaw:
		return bytes.Clone(k.secret), nil, nil
	case FormatJWK:
		j := exportJWK("oct", k)
		j.K = enc(k.secret)
		j.Alg = aesJWKAlg(k.alg.Name, 8*len(k.secret))
		return nil, j, nil
	}
	return nil, nil, notSupportedFormat(k.alg.Name, format)
}

func aesKeyLength(p Params) (*int, error) {
	ap, err := params[*AesKeyGenParams](p)
	if err != nil {
		return nil, err
	}
	if !aesLengthOK(ap.Length) {
		return nil, errorf(ErrOperation, "%s: length must be 128, 192 or 256, not %d", ap.Name, ap.Length)
	}
	n := ap.Length
	return &n, nil
}

func aesBlock(k *Key) (cipher.Block, error) {
	b, err := aes.NewCipher(k.secret)
	if err != nil {
		return nil, errorf(ErrOperation, "%s: %w", k.alg.Name, err)
	}
	return b, nil
}

func aesCBCEncrypt(p Params, k *Key, data []byte) ([]byte, error) {
	cp, err := params[*AesCbcParams](p)
	if err != nil {
		return nil, err
	}
	if len(cp.IV) != aes.BlockSize {
		return nil, errorf(ErrOperation, "AES-CBC: iv must be 16 bytes, not %d", len(cp.IV))
	}
	b, err := aesBlock(k)
	if err != nil {
		return nil, err
	}
	pad := aes.BlockSize - len(data)%aes.BlockSize
	out := make([]byte, len(data)+pad)
	copy(out, data)
	for i := len(data); i < len(out); i++ {
		out[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(b, cp.IV).CryptBlocks(out, out)
	return out, nil
}

func aesCBCDecrypt(p Params, k *Key, data []byte) ([]byte, error) {
	cp, err := params[*AesCbcParams](p)
	if err != nil {
		return nil, err
	}
	if len(cp.IV) != aes.BlockSize {
		return nil, errorf(ErrOperation, "AES-CBC: iv must be 16 bytes, not %d", len(cp.IV))
	}
	if len(data) == 0 || len(data)%aes.BlockSize != 0 {
		return nil, errorf(ErrOperation, "AES-CBC: ciphertext length %d is not a positive multiple of 16", len(data))
	}
	b, err := aesBlock(k)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(b, cp.IV).CryptBlocks(out, data)
	// Check the PKCS#7 padding without branching on its bytes.
	pad := int(out[len(out)-1])
	good := subtle.ConstantTimeLessOrEq(1, pad) & subtle.ConstantTimeLessOrEq(pad, aes.BlockSize)
	for i := 1; i <= aes.BlockSize; i++ {
		in := subtle.ConstantTimeLessOrEq(i, pad)
		match := subtle.ConstantTimeByteEq(out[len(out)-i], byte(pad))
		good &= subtle.ConstantTimeSelect(in, match, 1)
	}
	if good != 1 {
		return nil, errorf(ErrOperation, "AES-CBC: bad padding")
	}
	return out[:len(out)-pad], nil
}

// aesCTR encrypts or decrypts with a counter block whose rightmost Length
// bits are the counter, incremented modulo 2^Length; the other bits stay
// fixed.
func aesCTR(p Params, k *Key, data []byte) ([]byte, error) {
	cp, err := params[*AesCtrParams](p)
	if err != nil {
		return nil, err
	}
	if len(cp.Counter) != aes.BlockSize {
		return nil, errorf(ErrOperation, "AES-CTR: counter must be 16 bytes, not %d", len(cp.Counter))
	}
	if cp.Length == 0 || cp.Length > 128 {
		return nil, errorf(ErrOperation, "AES-CTR: length must be in [1, 128], not %d", cp.Length)
	}
	b, err := aesBlock(k)
	if err != nil {
		return nil, err
	}
	blocks := new(big.Int).SetUint64(uint64((len(data) + aes.BlockSize - 1) / aes.BlockSize))
	space := new(big.Int).Lsh(big.NewInt(1), uint(cp.Length))
	if blocks.Cmp(space) > 0 {
		return nil, errorf(ErrOperation, "AES-CTR: %d blocks would reuse the %d-bit counter", blocks, cp.Length)
	}
	// Blocks left before the counter part wraps to zero.
	mask := new(big.Int).Sub(space, big.NewInt(1))
	ctr := new(big.Int).And(new(big.Int).SetBytes(cp.Counter), mask)
	left := new(big.Int).Sub(space, ctr)
	out := make([]byte, len(data))
	first := len(data)
	if left.Cmp(blocks) < 0 {
		first = int(left.Int64()) * aes.BlockSize
	}
	// Up to the wrap the counter is the low bits of a 128-bit big-endian
	// integer that does not carry beyond them, which is what cipher.NewCTR
	// increments.
	cipher.NewCTR(b, cp.Counter).XORKeyStream(out[:first], data[:first])
	if first < len(data) {
		iv := new(big.Int).AndNot(new(big.Int).SetBytes(cp.Counter), mask).FillBytes(make([]byte, aes.BlockSize))
		cipher.NewCTR(b, iv).XORKeyStream(out[first:], data[first:])
	}
	return out, nil
}

var gcmTagLengths = map[int]bool{32: true, 64: true, 96: true, 104: true, 112: true, 120: true, 128: true}

func aesGCM(p Params, k *Key) (*AesGcmParams, cipher.AEAD, error) {
	gp, err := params[*AesGcmParams](p)
	if err != nil {
		return nil, nil, err
	}
	if !gcmTagLengths[gp.TagLength] {
		return nil, nil, errorf(ErrOperation, "AES-GCM: tagLength %d is not one of 32, 64, 96, 104, 112, 120, 128", gp.TagLength)
	}
	if len(gp.IV) == 0 {
		return nil, nil, errorf(ErrOperation, "AES-GCM: iv must not be empty")
	}
	b, err := aesBlock(k)
	if err != nil {
		return nil, nil, err
	}
	var g cipher.AEAD
	if len(gp.IV) == 12 {
		g, err = cipher.NewGCM(b)
	} else {
		g, err = cipher.NewGCMWithNonceSize(b, len(gp.IV))
	}
	if err != nil {
		return nil, nil, errorf(ErrOperation, "AES-GCM: %w", err)
	}
	return gp, g, nil
}

// gcmMaxPlaintext is the spec's bound on AES-GCM plaintext: 2^39 - 256 bits.
const gcmMaxPlaintext = (1<<39 - 256) / 8

func aesGCMEncrypt(p Params, k *Key, data []byte) ([]byte, error) {
	gp, g, err := aesGCM(p, k)
	if err != nil {
		return nil, err
	}
	if uint64(len(data)) > gcmMaxPlaintext {
		return nil, errorf(ErrOperation, "AES-GCM: plaintext too long")
	}
	out := g.Seal(make([]byte, 0, len(data)+g.Overhead()), gp.IV, data, gp.AdditionalData)
	// A shorter tag is the leftmost bits of the full one.
	return out[:len(data)+gp.TagLength/8], nil
}

func aesGCMDecrypt(p Params, k *Key, data []byte) ([]byte, error) {
	gp, g, err := aesGCM(p, k)
	if err != nil {
		return nil, err
	}
	tl := gp.TagLength / 8
	if len(data) < tl {
		return nil, errorf(ErrOperation, "AES-GCM: ciphertext is shorter than the %d-bit tag", gp.TagLength)
	}
	if tl == g.Overhead() {
		out, err := g.Open(nil, gp.IV, data, gp.AdditionalData)
		if err != nil {
			return nil, errorf(ErrOperation, "AES-GCM: %w", err)
		}
		return out, nil
	}
	// Go's GCM checks full tags only. GCM's ciphertext is the plaintext
	// XORed with a keystream that depends only on key and iv, so sealing the
	// ciphertext yields the plaintext; sealing that yields the full tag to
	// compare the truncated one against.
	ct, tag := data[:len(data)-tl], data[len(data)-tl:]
	pt := g.Seal(nil, gp.IV, ct, nil)[:len(ct)]
	full := g.Seal(nil, gp.IV, pt, gp.AdditionalData)
	if subtle.ConstantTimeCompare(full[len(ct):len(ct)+tl], tag) != 1 {
		clear(pt)
		return nil, errorf(ErrOperation, "AES-GCM: message authentication failed")
	}
	return pt, nil
}

// aesKWIV is RFC 3394's default initial value.
var aesKWIV = [8]byte{0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6}

// aesKWWrap is RFC 3394 key wrap.
func aesKWWrap(_ Params, k *Key, data []byte) ([]byte, error) {
	if len(data) < 16 || len(data)%8 != 0 {
		return nil, errorf(ErrOperation, "AES-KW: data length %d is not a multiple of 8 of at least 16", len(data))
	}
	b, err := aesBlock(k)
	if err != nil {
		return nil, err
	}
	n := len(data) / 8
	out := make([]byte, 8+len(data))
	copy(out[8:], data)
	a := aesKWIV
	var buf [16]byte
	for j := 0; j < 6; j++ {
		for i := 1; i <= n; i++ {
			copy(buf[:8], a[:])
			copy(buf[8:], out[8*i:8*i+8])
			b.Encrypt(buf[:], buf[:])
			t := uint64(n*j + i)
			binary.BigEndian.PutUint64(a[:], binary.BigEndian.Uint64(buf[:8])^t)
			copy(out[8*i:], buf[8:])
		}
	}
	copy(out[:8], a[:])
	return out, nil
}

// aesKWUnwrap is RFC 3394 key unwrap.
func aesKWUnwrap(_ Params, k *Key, data []byte) ([]byte, error) {
	if len(data) < 24 || len(data)%8 != 0 {
		return nil, errorf(ErrOperation, "AES-KW: wrapped length %d is not a multiple of 8 of at least 24", len(data))
	}
	b, err := aesBlock(k)
	if err != nil {
		return nil, err
	}
	n := len(data)/8 - 1
	out := make([]byte, len(data))
	copy(out, data)
	var a [8]byte
	copy(a[:], data[:8])
	var buf [16]byte
	for j := 5; j >= 0; j-- {
		for i := n; i >= 1; i-- {
			t := uint64(n*j + i)
			binary.BigEndian.PutUint64(buf[:8], binary.BigEndian.Uint64(a[:])^t)
			copy(buf[8:], out[8*i:8*i+8])
			b.Decrypt(buf[:], buf[:])
			copy(a[:], buf[:8])
			copy(out[8*i:], buf[8:])
		}
	}
	if subtle.ConstantTimeCompare(a[:], aesKWIV[:]) != 1 {
		clear(out)
		return nil, errorf(ErrOperation, "AES-KW: integrity check failed")
	}
	return out[8:], nil
}

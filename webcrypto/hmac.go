package webcrypto

import (
	"crypto/hmac"
	"crypto/rand"
)

func init() {
	algorithms[HMAC] = &algImpl{
		sign:        hmacSign,
		verify:      hmacVerify,
		generateKey: hmacGenerate,
		importKey:   hmacImport,
		exportKey:   hmacExport,
		keyLength:   hmacKeyLength,
		checkSerial: func(k *Key, a *KeyAlgorithm) error {
			if _, err := hashOf(a.Hash); err != nil {
				return err
			}
			if a.Length <= 0 || a.Length > 8*len(k.secret) || a.Length <= 8*len(k.secret)-8 {
				return errorf(ErrData, "HMAC: length %d does not fit %d bytes of key", a.Length, len(k.secret))
			}
			return nil
		},
	}
}

func hmacMAC(k *Key, data []byte) ([]byte, error) {
	h, err := newHash(k.alg.Hash)
	if err != nil {
		return nil, err
	}
	m := hmac.New(h, k.secret)
	m.Write(data)
	return m.Sum(nil), nil
}

func hmacSign(_ Params, k *Key, data []byte) ([]byte, error) { return hmacMAC(k, data) }

func hmacVerify(_ Params, k *Key, sig, data []byte) (bool, error) {
	mac, err := hmacMAC(k, data)
	if err != nil {
		return false, err
	}
	return hmac.Equal(mac, sig), nil
}

func hmacGenerate(p Params, extractable bool, u usageSet) (*Key, *KeyPair, error) {
	hp, err := params[*HmacParams](p)
	if err != nil {
		return nil, nil, err
	}
	if err := checkUsages(HMAC, u, uSign|uVerify); err != nil {
		return nil, nil, err
	}
	length := blockBits(hp.Hash)
	if hp.HasLength {
		if hp.Length == 0 {
			return nil, nil, errorf(ErrOperation, "HMAC: length must not be zero")
		}
		length = hp.Length
	}
	b := make([]byte, (length+7)/8)
	rand.Read(b)
	b = trimBits(b, length)
	k := &Key{typ: Secret, alg: KeyAlgorithm{Name: HMAC, Hash: hp.Hash, Length: length}, secret: b}
	return k.with(extractable, u), nil, nil
}

// hmacAlg is the JWK alg of an HMAC key with the given hash.
var hmacAlg = map[string]string{SHA1: "HS1", SHA256: "HS256", SHA384: "HS384", SHA512: "HS512"}

func hmacImport(p Params, format string, data []byte, jwk *JWK, extractable bool, u usageSet) (*Key, error) {
	hp, err := params[*HmacParams](p)
	if err != nil {
		return nil, err
	}
	if err := checkUsages(HMAC, u, uSign|uVerify); err != nil {
		return nil, err
	}
	switch format {
	case FormatRaw:
	case FormatJWK:
		if err := jwk.checkCommon("oct", "sig", extractable, u); err != nil {
			return nil, err
		}
		if data, err = b64("k", jwk.K); err != nil {
			return nil, err
		}
		if jwk.Alg != "" && jwk.Alg != hmacAlg[hp.Hash] {
			return nil, errorf(ErrData, "jwk: alg %q does not match hash %s", jwk.Alg, hp.Hash)
		}
	default:
		return nil, notSupportedFormat(HMAC, format)
	}
	bits := 8 * len(data)
	if bits == 0 {
		return nil, errorf(ErrData, "HMAC: key data is empty")
	}
	length := bits
	if hp.HasLength {
		if hp.Length > bits {
			return nil, errorf(ErrData, "HMAC: length %d exceeds the %d bits of key data", hp.Length, bits)
		}
		if hp.Length <= bits-8 {
			return nil, errorf(ErrData, "HMAC: length %d is shorter than the key data (%d bits) by a byte or more", hp.Length, bits)
		}
		length = hp.Length
	}
	return &Key{typ: Secret, alg: KeyAlgorithm{Name: HMAC, Hash: hp.Hash, Length: length}, secret: data}, nil
}

func hmacExport(format string, k *Key) ([]byte, *JWK, error) {
	switch format {
	case FormatRaw:
		return append([]byte{}, k.secret...), nil, nil
	case FormatJWK:
		j := exportJWK("oct", k)
		j.K = enc(k.secret)
		j.Alg = hmacAlg[k.alg.Hash]
		return nil, j, nil
	}
	return nil, nil, notSupportedFormat(HMAC, format)
}

func hmacKeyLength(p Params) (*int, error) {
	hp, err := params[*HmacParams](p)
	if err != nil {
		return nil, err
	}
	n := blockBits(hp.Hash)
	if hp.HasLength {
		if hp.Length == 0 {
			return nil, errorf(ErrType, "HMAC: length must not be zero")
		}
		n = hp.Length
	}
	return &n, nil
}

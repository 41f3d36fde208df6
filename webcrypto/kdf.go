package webcrypto

import (
	"crypto/hkdf"
	"crypto/pbkdf2"
)

func init() {
	for _, name := range []string{HKDF, PBKDF2} {
		algorithms[name] = &algImpl{
			importKey: kdfImport,
			keyLength: func(Params) (*int, error) { return nil, nil },
		}
	}
	algorithms[HKDF].deriveBits = hkdfDeriveBits
	algorithms[PBKDF2].deriveBits = pbkdf2DeriveBits
}

// kdfImport imports an HKDF or PBKDF2 key: raw format only, never
// extractable, usable only for derivation.
func kdfImport(p Params, format string, data []byte, _ *JWK, extractable bool, u usageSet) (*Key, error) {
	name := p.AlgorithmName()
	if format != FormatRaw {
		return nil, notSupportedFormat(name, format)
	}
	if err := checkUsages(name, u, uDerive); err != nil {
		return nil, err
	}
	if extractable {
		return nil, errorf(ErrSyntax, "%s: keys cannot be extractable", name)
	}
	return &Key{typ: Secret, alg: KeyAlgorithm{Name: name}, secret: data}, nil
}

func hkdfDeriveBits(p Params, k *Key, length *int) ([]byte, error) {
	hp, err := params[*HkdfParams](p)
	if err != nil {
		return nil, err
	}
	if length == nil {
		return nil, errorf(ErrOperation, "HKDF: length must not be null")
	}
	if *length%8 != 0 {
		return nil, errorf(ErrOperation, "HKDF: length %d is not a multiple of 8", *length)
	}
	if *length == 0 {
		return []byte{}, nil
	}
	h, err := newHash(hp.Hash)
	if err != nil {
		return nil, err
	}
	if *length/8 > 255*h().Size() {
		return nil, errorf(ErrOperation, "HKDF: length %d exceeds 255 blocks of %s", *length, hp.Hash)
	}
	out, err := hkdf.Key(h, k.secret, hp.Salt, string(hp.Info), *length/8)
	if err != nil {
		return nil, errorf(ErrOperation, "HKDF: %w", err)
	}
	return out, nil
}

func pbkdf2DeriveBits(p Params, k *Key, length *int) ([]byte, error) {
	pp, err := params[*Pbkdf2Params](p)
	if err != nil {
		return nil, err
	}
	if length == nil || *length == 0 || *length%8 != 0 {
		return nil, errorf(ErrOperation, "PBKDF2: length must be a non-zero multiple of 8")
	}
	if pp.Iterations == 0 {
		return nil, errorf(ErrOperation, "PBKDF2: iterations must not be zero")
	}
	h, err := newHash(pp.Hash)
	if err != nil {
		return nil, err
	}
	out, err := pbkdf2.Key(h, string(k.secret), pp.Salt, pp.Iterations, *length/8)
	if err != nil {
		return nil, errorf(ErrOperation, "PBKDF2: %w", err)
	}
	return out, nil
}

package webcrypto

import (
	"crypto"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
)

// hashOf returns the crypto.Hash of a normalized digest name.
func hashOf(name string) (crypto.Hash, error) {
	switch name {
	case SHA1:
		return crypto.SHA1, nil
	case SHA256:
		return crypto.SHA256, nil
	case SHA384:
		return crypto.SHA384, nil
	case SHA512:
		return crypto.SHA512, nil
	}
	return 0, errorf(ErrNotSupported, "hash %q is not supported", name)
}

// newHash returns a constructor for the named hash.
func newHash(name string) (func() hash.Hash, error) {
	switch name {
	case SHA1:
		return sha1.New, nil
	case SHA256:
		return sha256.New, nil
	case SHA384:
		return sha512.New384, nil
	case SHA512:
		return sha512.New, nil
	}
	return nil, errorf(ErrNotSupported, "hash %q is not supported", name)
}

// digest hashes data with the named hash.
func digest(name string, data []byte) ([]byte, error) {
	switch name {
	case SHA1:
		s := sha1.Sum(data)
		return s[:], nil
	case SHA256:
		s := sha256.Sum256(data)
		return s[:], nil
	case SHA384:
		s := sha512.Sum384(data)
		return s[:], nil
	case SHA512:
		s := sha512.Sum512(data)
		return s[:], nil
	}
	return nil, errorf(ErrNotSupported, "digest: hash %q is not supported", name)
}

// blockBits is the block size in bits of the named hash, the default HMAC
// key length.
func blockBits(name string) int {
	if name == SHA384 || name == SHA512 {
		return 1024
	}
	return 512
}

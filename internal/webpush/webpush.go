// Package webpush decrypts push message bodies as a user agent does:
// Message Encryption for Web Push (RFC 8291) over the aes128gcm
// Encrypted Content-Encoding for HTTP (RFC 8188), on Go's crypto/ecdh,
// crypto/hkdf and AES-GCM.
//
// A push application server (web-push libraries) encrypts each message
// for a subscription's public key (PushSubscription.getKey("p256dh"))
// and authentication secret (getKey("auth")); the holder of the
// subscription's private key decrypts it:
//
//	data, err := webpush.Decrypt(priv, auth, body)
package webpush

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// Limits of what Decrypt accepts.
const (
	// MaxBody is the largest body decrypted: push services accept at
	// most 4096 bytes of payload (RFC 8030 section 7.2); the header and
	// padding fit well within this.
	MaxBody   = 8192
	headerLen = 16 + 4 + 1 // salt, record size, key id length
	tagLen    = 16
)

// ErrInvalid is the error of a body that is not a valid aes128gcm
// message for the key: malformed, truncated, or not decryptable.
var ErrInvalid = errors.New("webpush: invalid aes128gcm message")

func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
}

// Decrypt returns the plaintext of an aes128gcm push message body for
// the user agent's private key ua and authentication secret auth. The
// body's key id must be the application server's P-256 public key, as
// RFC 8291 section 4 requires.
func Decrypt(ua *ecdh.PrivateKey, auth, body []byte) ([]byte, error) {
	if len(body) > MaxBody {
		return nil, invalid("the body is %d bytes, over %d", len(body), MaxBody)
	}
	if len(body) < headerLen {
		return nil, invalid("the body is shorter than its header")
	}
	salt := body[:16]
	rs := binary.BigEndian.Uint32(body[16:20])
	idLen := int(body[20])
	if len(body) < headerLen+idLen {
		return nil, invalid("the key id is truncated")
	}
	if rs < tagLen+2 {
		return nil, invalid("record size %d is too small", rs)
	}
	as, err := ecdh.P256().NewPublicKey(body[headerLen : headerLen+idLen])
	if err != nil {
		return nil, invalid("the key id is not a P-256 public key")
	}
	secret, err := ua.ECDH(as)
	if err != nil {
		return nil, invalid("key agreement failed")
	}
	// RFC 8291 section 3.4: the input keying material of RFC 8188.
	info := append(append([]byte("WebPush: info\x00"), ua.PublicKey().Bytes()...), as.Bytes()...)
	ikm, err := hkdf.Key(sha256.New, secret, auth, string(info), 32)
	if err != nil {
		return nil, err
	}
	prk, err := hkdf.Extract(sha256.New, ikm, salt)
	if err != nil {
		return nil, err
	}
	cek, err := hkdf.Expand(sha256.New, prk, "Content-Encoding: aes128gcm\x00", 16)
	if err != nil {
		return nil, err
	}
	nonce, err := hkdf.Expand(sha256.New, prk, "Content-Encoding: nonce\x00", 12)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	records := body[headerLen+idLen:]
	if len(records) == 0 {
		return nil, invalid("no records")
	}
	var out []byte
	for seq := uint64(0); len(records) > 0; seq++ {
		n := min(int(rs), len(records))
		last := n == len(records)
		rec := records[:n]
		records = records[n:]
		if len(rec) < tagLen+1 {
			return nil, invalid("record %d is truncated", seq)
		}
		// The record's nonce: the base nonce XOR its sequence number.
		iv := make([]byte, 12)
		copy(iv, nonce)
		var sb [8]byte
		binary.BigEndian.PutUint64(sb[:], seq)
		for i := range 8 {
			iv[4+i] ^= sb[i]
		}
		plain, err := gcm.Open(nil, iv, rec, nil)
		if err != nil {
			return nil, invalid("record %d does not decrypt", seq)
		}
		// Padding: the data, a delimiter (2 in the last record, 1 in
		// the others), then zeros.
		i := len(plain) - 1
		for i >= 0 && plain[i] == 0 {
			i--
		}
		if i < 0 {
			return nil, invalid("record %d has no padding delimiter", seq)
		}
		want := byte(1)
		if last {
			want = 2
		}
		if plain[i] != want {
			return nil, invalid("record %d has delimiter %d, want %d", seq, plain[i], want)
		}
		out = append(out, plain[:i]...)
	}
	return out, nil
}

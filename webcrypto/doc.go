// Package webcrypto implements the operations of the Web Cryptography API's
// SubtleCrypto interface in pure Go, on the standard library's crypto
// packages.
//
// # Algorithms
//
// digest: SHA-1, SHA-256, SHA-384, SHA-512. Sign/verify: HMAC, ECDSA (P-256,
// P-384, P-521), Ed25519, RSASSA-PKCS1-v1_5, RSA-PSS. Encrypt/decrypt:
// AES-GCM, AES-CBC, AES-CTR, RSA-OAEP. Wrap/unwrap: AES-KW, and every
// encrypt/decrypt algorithm. Derive: ECDH, X25519, HKDF, PBKDF2. Key formats
// raw, spki, pkcs8 and jwk, each where the specification defines it for the
// algorithm.
//
// # Calling from a JavaScript binding
//
// Each SubtleCrypto method is one function: [Digest], [Encrypt], [Decrypt],
// [Sign], [Verify], [GenerateKey], [ImportKey], [ExportKey], [DeriveBits],
// [DeriveKey], [WrapKey] and [UnwrapKey]; [GetRandomValues] and [RandomUUID]
// serve the Crypto interface itself. They run synchronously and return
// the value the promise resolves with, or an error the promise rejects with.
// A binding turns JavaScript values into Go values this way:
//
//   - AlgorithmIdentifier: a string, or the dictionary as map[string]any.
//     Member values are Go string, bool, float64 (any JavaScript number; int
//     and int64 are accepted too), []byte (the bytes of a BufferSource or
//     BigInteger, copied or not: this package copies what it keeps),
//     map[string]any (a nested dictionary, such as {"name": "SHA-256"} for
//     hash), or *Key (a CryptoKey, for ECDH's "public"). A missing member,
//     undefined and null are all "not present". Normalization then does the
//     WebIDL conversions the dictionary type prescribes ([EnforceRange]
//     integers, required members, BufferSource checks) and the spec's
//     "normalize an algorithm" steps, so the binding needs no knowledge of the
//     dictionary types. [Normalize] is exported for callers that want the
//     typed result (one *…Params struct per dictionary type).
//   - KeyUsage sequences: []string; an unknown value is a TypeError.
//   - CryptoKey: *[Key]. [Key.Type], [Key.Extractable], [Key.Usages] and
//     [Key.Algorithm] ([KeyAlgorithm.Dict] gives the algorithm as the
//     dictionary CryptoKey.algorithm returns) are its attributes.
//   - JsonWebKey: map[string]any for [ImportKey] (see [JWKFromMap]); a *[JWK]
//     comes back from [ExportKey], and [JWK.Map] turns it into the object to
//     return.
//   - deriveBits' optional, nullable length: *int, nil for null.
//
// # Errors
//
// Every error carries the web exception name the specification prescribes
// (TypeError, SyntaxError, InvalidAccessError, NotSupportedError, DataError,
// OperationError, QuotaExceededError), readable with weberr.NameOf; the binding throws the
// matching DOMException (or TypeError) with weberr.MessageOf as its message.
// Verify returns (false, nil) for a signature that does not verify.
//
// # Keys in storage
//
// A *Key is immutable and may be shared between goroutines and realms. For
// structured clone across processes and for IndexedDB, [Key.MarshalBinary]
// serializes a key (material included, whether or not it is extractable)
// and [Key.UnmarshalBinary] reads it back, checking the material again.
//
// # Deviations
//
// RSA generateKey supports only the public exponent 65537 and modulus
// lengths from 1024 to 16384 bits in multiples of 8 (OperationError
// otherwise), as Go's crypto/rsa does not generate other keys; RSA keys under
// 1024 bits import but every operation on them fails with OperationError.
// RSA-PSS with saltLength 0 uses a math/big private-key operation (blinded,
// but not constant-time), because crypto/rsa reads salt length 0 as "as long
// as possible". JWK members given as the empty string are treated as
// invalid values, never as absent. Multi-prime RSA JWKs ("oth") are
// rejected with DataError.
package webcrypto

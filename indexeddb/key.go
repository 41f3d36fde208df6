package indexeddb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/internal/wtf8"
)

// KeyType is the type of a [Key]. The order of the constants is the
// order of the types in key comparison: every number is less than every
// date, which is less than every string, then binary keys, then arrays.
type KeyType uint8

// Key types. The zero KeyType is no key (an invalid key, or none given).
const (
	KeyNone KeyType = iota
	KeyNumber
	KeyDate
	KeyString
	KeyBinary
	KeyArray
)

func (t KeyType) String() string {
	switch t {
	case KeyNumber:
		return "number"
	case KeyDate:
		return "date"
	case KeyString:
		return "string"
	case KeyBinary:
		return "binary"
	case KeyArray:
		return "array"
	}
	return "none"
}

// Key is an IndexedDB key. Num is the value of a number key or the time
// value (milliseconds since the epoch) of a date key, never NaN; Str is a
// string key in WTF-8 (lone surrogates kept); Bin a binary key's bytes;
// Arr an array key's subkeys. Keys are values: do not modify a Key's
// slices once it is shared.
type Key struct {
	Type KeyType
	Num  float64
	Str  string
	Bin  []byte
	Arr  []Key
}

// Number, Date, String, Binary and Array make keys.
func Number(n float64) Key       { return Key{Type: KeyNumber, Num: n} }
func Date(ms float64) Key        { return Key{Type: KeyDate, Num: ms} }
func String(s string) Key        { return Key{Type: KeyString, Str: s} }
func Binary(b []byte) Key        { return Key{Type: KeyBinary, Bin: b} }
func Array(subkeys ...Key) Key   { return Key{Type: KeyArray, Arr: subkeys} }
func (k Key) Valid() bool        { return k.Type != KeyNone }
func (k Key) Equal(o Key) bool   { return Compare(k, o) == 0 }
func (k Key) Less(o Key) bool    { return Compare(k, o) < 0 }
func (k Key) Greater(o Key) bool { return Compare(k, o) > 0 }

// String formats k for messages: 1, Date(0), "s", Binary(0a0b), [1, "a"].
func (k Key) String() string {
	switch k.Type {
	case KeyNumber:
		return strconv.FormatFloat(k.Num, 'g', -1, 64)
	case KeyDate:
		return "Date(" + strconv.FormatFloat(k.Num, 'f', -1, 64) + ")"
	case KeyString:
		return strconv.Quote(k.Str)
	case KeyBinary:
		return fmt.Sprintf("Binary(%x)", k.Bin)
	case KeyArray:
		parts := make([]string, len(k.Arr))
		for i, s := range k.Arr {
			parts[i] = s.String()
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return "invalid"
}

// Compare is the standard's "compare two keys": -1 when a < b, 0 when
// they are equal, 1 when a > b. Types order number < date < string <
// binary < array; numbers and dates by value (-0 equals 0), strings by
// UTF-16 code units, binary keys byte-wise, arrays element by element,
// a prefix first. Both keys must be valid.
func Compare(a, b Key) int {
	if a.Type != b.Type {
		if a.Type < b.Type {
			return -1
		}
		return 1
	}
	switch a.Type {
	case KeyNumber, KeyDate:
		switch {
		case a.Num < b.Num:
			return -1
		case a.Num > b.Num:
			return 1
		}
		return 0
	case KeyString:
		return compareUTF16(a.Str, b.Str)
	case KeyBinary:
		return bytes.Compare(a.Bin, b.Bin)
	case KeyArray:
		for i := 0; i < len(a.Arr) && i < len(b.Arr); i++ {
			if c := Compare(a.Arr[i], b.Arr[i]); c != 0 {
				return c
			}
		}
		switch {
		case len(a.Arr) < len(b.Arr):
			return -1
		case len(a.Arr) > len(b.Arr):
			return 1
		}
	}
	return 0
}

// compareUTF16 compares two WTF-8 strings by their UTF-16 code units.
func compareUTF16(a, b string) int {
	if a == b {
		return 0
	}
	ua, ub := wtf8.ToUTF16(a), wtf8.ToUTF16(b)
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			if ua[i] < ub[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(ua) < len(ub):
		return -1
	case len(ua) > len(ub):
		return 1
	}
	return 0
}

// The encoded form of a key, whose byte-wise order is the key order:
// a type byte (the KeyType) and then
//
//   - number, date: the IEEE 754 bits, big-endian, with the sign bit
//     flipped for positive values and every bit flipped for negative ones
//     (-0 is encoded as 0);
//   - string: each UTF-16 code unit c as one byte c+1 (c < 0x7f), two
//     bytes 0x8000|(c-0x7f) (c < 0x3fff+0x7f), or three bytes
//     0xc00000|c<<6, then a 0 byte;
//   - binary: each byte, 0 as 01 01 and 1 as 01 02, then a 0 byte;
//   - array: each subkey's encoding, then a 0 byte.
//
// No encoding is a prefix of another, so a key's encoding followed by
// another's (an index entry: its key then the record's primary key) sorts
// by the first key, then the second.
const (
	twoByteLimit = 0x3fff + 0x7f
)

// Encode returns the encoded form of a valid key.
func (k Key) Encode() []byte { return k.AppendEncoded(nil) }

// AppendEncoded appends the encoded form of k to b.
func (k Key) AppendEncoded(b []byte) []byte {
	b = append(b, byte(k.Type))
	switch k.Type {
	case KeyNumber, KeyDate:
		n := k.Num
		if n == 0 {
			n = 0 // -0 sorts and stores as 0
		}
		bits := math.Float64bits(n)
		if bits&(1<<63) != 0 {
			bits = ^bits
		} else {
			bits |= 1 << 63
		}
		b = binary.BigEndian.AppendUint64(b, bits)
	case KeyString:
		for _, c := range wtf8.ToUTF16(k.Str) {
			switch {
			case c < 0x7f:
				b = append(b, byte(c+1))
			case c < twoByteLimit:
				v := c - 0x7f + 0x8000
				b = append(b, byte(v>>8), byte(v))
			default:
				v := uint32(c)<<6 | 0xc00000
				b = append(b, byte(v>>16), byte(v>>8), byte(v))
			}
		}
		b = append(b, 0)
	case KeyBinary:
		for _, c := range k.Bin {
			if c <= 1 {
				b = append(b, 1, c+1)
			} else {
				b = append(b, c)
			}
		}
		b = append(b, 0)
	case KeyArray:
		for _, s := range k.Arr {
			b = s.AppendEncoded(b)
		}
		b = append(b, 0)
	}
	return b
}

// errBadKey is returned when decoding bytes that are no key's encoding.
var errBadKey = errors.New("indexeddb: malformed encoded key")

// DecodeKey returns the key encoded at the start of b and the bytes after
// it.
func DecodeKey(b []byte) (Key, []byte, error) {
	return decodeKey(b, 0)
}

func decodeKey(b []byte, depth int) (Key, []byte, error) {
	if len(b) == 0 || depth > maxKeyDepth {
		return Key{}, nil, errBadKey
	}
	t := KeyType(b[0])
	b = b[1:]
	switch t {
	case KeyNumber, KeyDate:
		if len(b) < 8 {
			return Key{}, nil, errBadKey
		}
		bits := binary.BigEndian.Uint64(b)
		if bits&(1<<63) != 0 {
			bits &^= 1 << 63
		} else {
			bits = ^bits
		}
		return Key{Type: t, Num: math.Float64frombits(bits)}, b[8:], nil
	case KeyString:
		var units []uint16
		for {
			if len(b) == 0 {
				return Key{}, nil, errBadKey
			}
			c := b[0]
			switch {
			case c == 0:
				return String(wtf8.FromUTF16(units)), b[1:], nil
			case c < 0x80:
				units = append(units, uint16(c-1))
				b = b[1:]
			case c < 0xc0:
				if len(b) < 2 {
					return Key{}, nil, errBadKey
				}
				units = append(units, uint16(c)<<8|uint16(b[1])-0x8000+0x7f)
				b = b[2:]
			default:
				if len(b) < 3 {
					return Key{}, nil, errBadKey
				}
				v := uint32(c)<<16 | uint32(b[1])<<8 | uint32(b[2])
				units = append(units, uint16((v&^0xc00000)>>6))
				b = b[3:]
			}
		}
	case KeyBinary:
		out := []byte{}
		for {
			if len(b) == 0 {
				return Key{}, nil, errBadKey
			}
			switch c := b[0]; c {
			case 0:
				return Binary(out), b[1:], nil
			case 1:
				if len(b) < 2 || b[1] < 1 || b[1] > 2 {
					return Key{}, nil, errBadKey
				}
				out = append(out, b[1]-1)
				b = b[2:]
			default:
				out = append(out, c)
				b = b[1:]
			}
		}
	case KeyArray:
		arr := []Key{}
		for {
			if len(b) == 0 {
				return Key{}, nil, errBadKey
			}
			if b[0] == 0 {
				return Array(arr...), b[1:], nil
			}
			var sub Key
			var err error
			sub, b, err = decodeKey(b, depth+1)
			if err != nil {
				return Key{}, nil, err
			}
			arr = append(arr, sub)
		}
	}
	return Key{}, nil, errBadKey
}

// maxKeyDepth bounds the nesting of array keys (deeper ones are invalid).
const maxKeyDepth = 1000

// KeyFromValue is the standard's "convert a value to a key" on a value of
// a structured-clone record: numbers (not NaN), valid Dates, strings,
// ArrayBuffers and views (binary), and Arrays whose every element is a key
// (no holes, no cycles). It returns an invalid key (Type KeyNone) for
// anything else.
func KeyFromValue(v structuredclone.Value) Key {
	return keyFromValue(v, nil)
}

func keyFromValue(v structuredclone.Value, seen []int) Key {
	switch v.Kind() {
	case structuredclone.KindNumber:
		if n := v.Number(); !math.IsNaN(n) {
			return Number(n)
		}
	case structuredclone.KindDate:
		if n := v.Number(); !math.IsNaN(n) {
			return Date(n)
		}
	case structuredclone.KindString:
		return String(v.String())
	case structuredclone.KindArrayBuffer, structuredclone.KindView:
		return Binary(append([]byte{}, v.Bytes()...))
	case structuredclone.KindArray:
		id := v.ID()
		for _, s := range seen {
			if s == id {
				return Key{}
			}
		}
		if len(seen) >= maxKeyDepth {
			return Key{}
		}
		seen = append(seen, id)
		n := v.Len()
		arr := make([]Key, n)
		for i := range n {
			e, ok := v.Index(i)
			if !ok {
				return Key{}
			}
			if arr[i] = keyFromValue(e, seen); !arr[i].Valid() {
				return Key{}
			}
		}
		return Array(arr...)
	}
	return Key{}
}

// multiEntryKey is the standard's "convert a value to a multiEntry key":
// an Array becomes an array key of its elements that are valid keys,
// duplicates removed; anything else converts as a key.
func multiEntryKey(v structuredclone.Value) Key {
	if v.Kind() != structuredclone.KindArray {
		return KeyFromValue(v)
	}
	var subs []Key
	seen := []int{v.ID()}
	for i := range v.Len() {
		e, ok := v.Index(i)
		if !ok {
			continue
		}
		k := keyFromValue(e, seen)
		if !k.Valid() {
			continue
		}
		dup := false
		for _, s := range subs {
			if Compare(s, k) == 0 {
				dup = true
				break
			}
		}
		if !dup {
			subs = append(subs, k)
		}
	}
	return Array(subs...)
}

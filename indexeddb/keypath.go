package indexeddb

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"github.com/swhost/swhost/internal/structuredclone"
	"github.com/swhost/swhost/internal/wtf8"
	"github.com/swhost/swhost/weberr"
)

// Range is a key range: the keys between Lower and Upper, each bound
// included unless its Open flag is set; a nil bound is unbounded.
type Range struct {
	Lower, Upper         *Key
	LowerOpen, UpperOpen bool
}

// Only returns the range holding k alone.
func Only(k Key) Range { return Range{Lower: &k, Upper: &k} }

// single reports whether r holds one key at most: closed at both ends
// on the same key.
func (r Range) single() bool {
	return r.Lower != nil && r.Upper != nil && !r.LowerOpen && !r.UpperOpen && Compare(*r.Lower, *r.Upper) == 0
}

// All is the unbounded range.
var All = Range{}

// Includes reports whether k is in r.
func (r Range) Includes(k Key) bool {
	if r.Lower != nil {
		c := Compare(*r.Lower, k)
		if c > 0 || (c == 0 && r.LowerOpen) {
			return false
		}
	}
	if r.Upper != nil {
		c := Compare(*r.Upper, k)
		if c < 0 || (c == 0 && r.UpperOpen) {
			return false
		}
	}
	return true
}

// NewRange checks the bounds of a range as IDBKeyRange.bound does: a
// DataError when lower is greater than upper, or equal with a bound open.
func NewRange(lower, upper *Key, lowerOpen, upperOpen bool) (Range, error) {
	if lower != nil && upper != nil {
		c := Compare(*lower, *upper)
		if c > 0 || (c == 0 && (lowerOpen || upperOpen)) {
			return Range{}, weberr.New(weberr.DataError, "the lower bound is greater than the upper bound, or equal with a bound open")
		}
	}
	return Range{Lower: lower, Upper: upper, LowerOpen: lowerOpen, UpperOpen: upperOpen}, nil
}

// span is a range of encoded keys: from lo (included) to hi (excluded);
// nil bounds are unbounded.
type span struct {
	lo, hi []byte
}

// contains reports whether the encoded key e is in s.
func (s span) contains(e []byte) bool {
	return (s.lo == nil || string(e) >= string(s.lo)) && (s.hi == nil || string(e) < string(s.hi))
}

// prefixEnd returns the smallest byte string greater than every string
// starting with p, or nil when there is none (p is all 0xff).
func prefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	for len(end) > 0 && end[len(end)-1] == 0xff {
		end = end[:len(end)-1]
	}
	if len(end) == 0 {
		return nil
	}
	end[len(end)-1]++
	return end
}

// span returns the encoded keys of r's keys, or of the index entries
// (key then primary key) whose key is in r.
func (r Range) span() span {
	var s span
	if r.Lower != nil {
		s.lo = r.Lower.Encode()
		if r.LowerOpen {
			s.lo = prefixEnd(s.lo)
		}
	}
	if r.Upper != nil {
		s.hi = r.Upper.Encode()
		if !r.UpperOpen {
			s.hi = prefixEnd(s.hi)
		}
	}
	return s
}

// KeyPath is an object store's or an index's key path: none (Kind
// PathNone, out-of-line keys), a string (identifiers joined by dots, or
// empty for the value itself), or a sequence of strings.
type KeyPath struct {
	Kind  PathKind
	Str   string
	Array []string
}

// PathKind says which of its forms a KeyPath has.
type PathKind uint8

// Key path forms.
const (
	PathNone PathKind = iota
	PathString
	PathArray
)

// StringPath and ArrayPath make key paths.
func StringPath(s string) KeyPath   { return KeyPath{Kind: PathString, Str: s} }
func ArrayPath(s ...string) KeyPath { return KeyPath{Kind: PathArray, Array: s} }
func (p KeyPath) IsNone() bool      { return p.Kind == PathNone }
func (p KeyPath) Equal(o KeyPath) bool {
	if p.Kind != o.Kind || p.Str != o.Str || len(p.Array) != len(o.Array) {
		return false
	}
	for i := range p.Array {
		if p.Array[i] != o.Array[i] {
			return false
		}
	}
	return true
}

// MarshalJSON writes null, a string or an array of strings.
func (p KeyPath) MarshalJSON() ([]byte, error) {
	switch p.Kind {
	case PathString:
		return json.Marshal(p.Str)
	case PathArray:
		if p.Array == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(p.Array)
	}
	return []byte("null"), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (p *KeyPath) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		*p = KeyPath{}
	case string:
		*p = StringPath(x)
	case []any:
		arr := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return fmt.Errorf("indexeddb: key path element %v is not a string", e)
			}
			arr[i] = s
		}
		*p = ArrayPath(arr...)
	default:
		return fmt.Errorf("indexeddb: key path %s", b)
	}
	return nil
}

// Valid is the standard's "valid key path": a string that is empty or
// identifiers (ECMAScript IdentifierName) joined by dots, or a non-empty
// sequence of such strings.
func (p KeyPath) Valid() bool {
	switch p.Kind {
	case PathString:
		return validPathString(p.Str)
	case PathArray:
		if len(p.Array) == 0 {
			return false
		}
		for _, s := range p.Array {
			if !validPathString(s) {
				return false
			}
		}
		return true
	}
	return false
}

func validPathString(s string) bool {
	if s == "" {
		return true
	}
	for _, id := range strings.Split(s, ".") {
		if !isIdentifierName(id) {
			return false
		}
	}
	return true
}

// isIdentifierName reports whether s is an ECMAScript IdentifierName
// (without escapes): an ID_Start, $ or _, then ID_Continue, $, ZWNJ or ZWJ.
func isIdentifierName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '$' || r == '_' {
			continue
		}
		if i == 0 {
			if !unicode.In(r, unicode.L, unicode.Nl, unicode.Other_ID_Start) || unicode.In(r, unicode.Pattern_Syntax, unicode.Pattern_White_Space) {
				return false
			}
			continue
		}
		if r == 0x200c || r == 0x200d {
			continue
		}
		if !unicode.In(r, unicode.L, unicode.Nl, unicode.Other_ID_Start, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Other_ID_Continue) ||
			unicode.In(r, unicode.Pattern_Syntax, unicode.Pattern_White_Space) {
			return false
		}
	}
	return true
}

// CheckKeyPath returns a SyntaxError when p is not a valid key path.
func CheckKeyPath(p KeyPath) error {
	if !p.Valid() {
		return weberr.New(weberr.SyntaxError, "the key path is not valid")
	}
	return nil
}

// PropertyHolder is implemented by host values with attributes key paths
// read (the standard names Blob's size and type, File's name and
// lastModified): Property returns a number (float64) or a string.
type PropertyHolder interface {
	KeyPathProperty(name string) (any, bool)
}

// pathValue is what evaluating a key path yields: a value of the record,
// a number or string an attribute produced, or, for an array key path,
// a list of them.
type pathValue struct {
	v     structuredclone.Value
	prim  any // float64 or string, when set
	items []pathValue
	list  bool
}

// evaluate is the standard's "evaluate a key path on a value" on a
// record; ok is false on failure.
func evaluate(root structuredclone.Value, p KeyPath) (pathValue, bool) {
	if p.Kind == PathArray {
		out := pathValue{list: true, items: make([]pathValue, len(p.Array))}
		for i, s := range p.Array {
			r, ok := evaluateString(root, s)
			if !ok {
				return pathValue{}, false
			}
			out.items[i] = r
		}
		return out, true
	}
	return evaluateString(root, p.Str)
}

func evaluateString(v structuredclone.Value, path string) (pathValue, bool) {
	if path == "" {
		return pathValue{v: v}, true
	}
	cur := pathValue{v: v}
	for _, id := range strings.Split(path, ".") {
		if cur.prim != nil {
			s, ok := cur.prim.(string)
			if !ok || id != "length" {
				return pathValue{}, false
			}
			cur = pathValue{prim: float64(len(wtf8.ToUTF16(s)))}
			continue
		}
		switch k := cur.v.Kind(); {
		case k == structuredclone.KindString && id == "length":
			cur = pathValue{prim: float64(cur.v.Len())}
		case k == structuredclone.KindArray && id == "length":
			cur = pathValue{prim: float64(cur.v.Len())}
		case k == structuredclone.KindHost:
			h, ok := cur.v.Host().(PropertyHolder)
			if !ok {
				return pathValue{}, false
			}
			x, ok := h.KeyPathProperty(id)
			if !ok {
				return pathValue{}, false
			}
			cur = pathValue{prim: x}
		case k == structuredclone.KindObject || k == structuredclone.KindArray:
			next, ok := cur.v.Prop(id)
			if !ok {
				return pathValue{}, false
			}
			cur = pathValue{v: next}
		default:
			return pathValue{}, false
		}
	}
	return cur, true
}

// key converts an evaluated key path to a key (invalid when it is not).
func (pv pathValue) key(multiEntry bool) Key {
	if pv.list {
		arr := make([]Key, len(pv.items))
		for i, it := range pv.items {
			if arr[i] = it.key(false); !arr[i].Valid() {
				return Key{}
			}
		}
		return Array(arr...)
	}
	switch x := pv.prim.(type) {
	case float64:
		return Number(x)
	case string:
		return String(x)
	}
	if multiEntry {
		return multiEntryKey(pv.v)
	}
	return KeyFromValue(pv.v)
}

// ExtractKey is the standard's "extract a key from a value using a key
// path": ok is false when the path does not evaluate (no such property);
// otherwise the key, which is invalid (Type KeyNone) when the value found
// is not a key.
func ExtractKey(rec *structuredclone.Record, p KeyPath) (k Key, ok bool) {
	pv, ok := evaluate(rec.Root(), p)
	if !ok {
		return Key{}, false
	}
	return pv.key(false), true
}

// indexKey extracts an index's key from a record: ok false when the
// record has no valid key for the index (it then has no entry in it).
// With multiEntry, the key is an array key whose subkeys are the entries.
func indexKey(rec *structuredclone.Record, p KeyPath, multiEntry bool) (Key, bool) {
	pv, ok := evaluate(rec.Root(), p)
	if !ok {
		return Key{}, false
	}
	k := pv.key(multiEntry && p.Kind == PathString)
	return k, k.Valid()
}

// InjectKey is the standard's "inject a key into a value using a key
// path" for a generated (number) key and a string key path; it reports
// false when the value cannot hold it ([CanInjectKey]).
func InjectKey(rec *structuredclone.Record, p KeyPath, n float64) bool {
	return rec.SetNumber(strings.Split(p.Str, "."), n)
}

// CanInjectKey is the standard's "check that a key could be injected into
// a value".
func CanInjectKey(rec *structuredclone.Record, p KeyPath) bool {
	return p.Kind == PathString && p.Str != "" && rec.CanSetNumber(strings.Split(p.Str, "."))
}

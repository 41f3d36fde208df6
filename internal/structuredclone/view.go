package structuredclone

import (
	"math"
	"strconv"
	"unicode/utf16"

	"github.com/swhost/swhost/internal/wtf8"
)

// Kind is the type of a [Value] inside a record.
type Kind uint8

// Kinds of values. Boolean, Number, String and BigInt wrapper objects,
// RegExps, errors, Maps and Sets are KindOther: nothing reads into them.
const (
	KindUndefined Kind = iota
	KindNull
	KindBoolean
	KindNumber
	KindBigInt
	KindString
	KindObject // a plain object
	KindArray
	KindDate
	KindArrayBuffer
	KindView // a typed array or a DataView
	KindHost // a host value (a Blob, a File, ...)
	KindOther
)

// Value is one value inside a record, read without a runtime: IndexedDB
// evaluates key paths on the clone of the value it stores. A Value is
// valid while its record is not modified. The zero Value is undefined.
type Value struct {
	rec *Record
	s   slot
}

// Root returns the record's value.
func (rec *Record) Root() Value { return Value{rec: rec, s: rec.root} }

func (v Value) object() *object {
	if v.s.kind != slotObject {
		return nil
	}
	return &v.rec.objects[v.s.ref]
}

// Kind returns the type of v.
func (v Value) Kind() Kind {
	switch v.s.kind {
	case slotUndefined:
		return KindUndefined
	case slotNull:
		return KindNull
	case slotFalse, slotTrue:
		return KindBoolean
	case slotNumber:
		return KindNumber
	case slotBigInt:
		return KindBigInt
	case slotString, slotUTF16:
		return KindString
	}
	switch v.object().kind {
	case objPlain:
		return KindObject
	case objArray:
		return KindArray
	case objDate:
		return KindDate
	case objArrayBuffer:
		return KindArrayBuffer
	case objTypedArray, objDataView:
		return KindView
	case objHost:
		return KindHost
	}
	return KindOther
}

// Number returns a number's value, or a Date's time value (NaN for an
// invalid date); NaN for anything else.
func (v Value) Number() float64 {
	if v.s.kind == slotNumber {
		return v.s.num
	}
	if ob := v.object(); ob != nil && ob.kind == objDate {
		return ob.num
	}
	return math.NaN()
}

// String returns a string's value in WTF-8 (lone surrogates kept), or ""
// for anything else.
func (v Value) String() string {
	switch v.s.kind {
	case slotString:
		return v.s.str
	case slotUTF16:
		return wtf8.FromUTF16(v.rec.utf16[v.s.ref])
	}
	return ""
}

// Len returns an Array's length, or a string's length in UTF-16 code
// units; 0 for anything else.
func (v Value) Len() int {
	switch v.s.kind {
	case slotString:
		n := 0
		for _, r := range v.s.str {
			n += utf16.RuneLen(r)
		}
		return n
	case slotUTF16:
		return len(v.rec.utf16[v.s.ref])
	}
	if ob := v.object(); ob != nil && ob.kind == objArray {
		return int(ob.length)
	}
	return 0
}

// Prop returns the own property name of a plain object or an Array (an
// index is its decimal string), and whether it exists.
func (v Value) Prop(name string) (Value, bool) {
	ob := v.object()
	if ob == nil || (ob.kind != objPlain && ob.kind != objArray) {
		return Value{}, false
	}
	for i := range ob.props {
		p := &ob.props[i]
		key := p.key
		if p.key16 != nil {
			key = wtf8.FromUTF16(p.key16)
		}
		if key == name {
			return Value{rec: v.rec, s: p.val}, true
		}
	}
	return Value{}, false
}

// Index returns element i of an Array, and false for a hole or an index
// past its length.
func (v Value) Index(i int) (Value, bool) {
	ob := v.object()
	if ob == nil || ob.kind != objArray || i < 0 || i >= int(ob.length) {
		return Value{}, false
	}
	if i < len(ob.props) && ob.props[i].key == strconv.Itoa(i) {
		return Value{rec: v.rec, s: ob.props[i].val}, true
	}
	return v.Prop(strconv.Itoa(i))
}

// Bytes returns the bytes of an ArrayBuffer, or the bytes a typed array or
// DataView views; nil for anything else. The slice is the record's: do
// not modify it.
func (v Value) Bytes() []byte {
	ob := v.object()
	if ob == nil {
		return nil
	}
	switch ob.kind {
	case objArrayBuffer:
		return ob.bytes
	case objTypedArray, objDataView:
		buf := v.rec.objects[ob.view.buffer].bytes
		size := ob.view.length
		if ob.kind == objTypedArray {
			size *= int64(typedArraySize(ob.view.ctor))
		}
		lo, hi := ob.view.byteOffset, ob.view.byteOffset+size
		if lo < 0 || hi > int64(len(buf)) || lo > hi {
			return nil
		}
		return buf[lo:hi:hi]
	}
	return nil
}

// Host returns a host value, or nil.
func (v Value) Host() HostValue {
	if ob := v.object(); ob != nil && ob.kind == objHost {
		return ob.host
	}
	return nil
}

// ID returns a number that identifies an object within its record (the
// same object reached twice has the same ID), or -1 for a primitive.
func (v Value) ID() int {
	if v.s.kind != slotObject {
		return -1
	}
	return int(v.s.ref)
}

// SetNumber sets the own property path[len(path)-1] of the object reached
// through the properties path[:len(path)-1] of the root to the number n,
// creating plain objects for missing intermediate properties: the
// IndexedDB standard's "inject a key into a value using a key path". It
// reports false, changing nothing, when a value on the way (or the last
// one) is not a plain object or an Array. The record must not be shared
// with readers while it changes.
func (rec *Record) SetNumber(path []string, n float64) bool {
	if len(path) == 0 || !rec.canSet(path) {
		return false
	}
	cur := rec.root
	for _, name := range path[:len(path)-1] {
		ob := &rec.objects[cur.ref]
		found := false
		for i := range ob.props {
			if ob.props[i].key == name && ob.props[i].key16 == nil {
				cur, found = ob.props[i].val, true
				break
			}
		}
		if !found {
			rec.objects = append(rec.objects, object{kind: objPlain})
			next := slot{kind: slotObject, ref: int32(len(rec.objects) - 1)}
			ob = &rec.objects[cur.ref] // the append may have moved it
			ob.props = append(ob.props, prop{key: name, val: next})
			cur = next
		}
	}
	ob := &rec.objects[cur.ref]
	last := path[len(path)-1]
	for i := range ob.props {
		if ob.props[i].key == last && ob.props[i].key16 == nil {
			ob.props[i].val = slot{kind: slotNumber, num: n}
			return true
		}
	}
	ob.props = append(ob.props, prop{key: last, val: slot{kind: slotNumber, num: n}})
	return true
}

// canSet is the standard's "check that a key could be injected into a
// value".
func (rec *Record) canSet(path []string) bool {
	v := rec.Root()
	for _, name := range path[:len(path)-1] {
		if k := v.Kind(); k != KindObject && k != KindArray {
			return false
		}
		next, ok := v.Prop(name)
		if !ok {
			return true
		}
		v = next
	}
	k := v.Kind()
	return k == KindObject || k == KindArray
}

// CanSetNumber reports whether [Record.SetNumber] with path would succeed.
func (rec *Record) CanSetNumber(path []string) bool {
	return len(path) > 0 && rec.canSet(path)
}

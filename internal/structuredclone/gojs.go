package structuredclone

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/swhost/swhost/weberr"
)

// RegExp is a regular expression as Go code sends or receives it: what
// [FromGo] turns into a JavaScript RegExp and [Record.Export] makes of one.
type RegExp struct {
	Source, Flags string
}

// ErrorValue is a JavaScript error as Go code sends or receives it. Name
// is one of the standard error constructors ("Error", "TypeError", ...;
// anything else becomes "Error" in JavaScript); HasMessage false leaves
// the error without an own message property.
type ErrorValue struct {
	Name, Message string
	HasMessage    bool
}

// Error returns "Name: Message".
func (e *ErrorValue) Error() string { return e.Name + ": " + e.Message }

// Map is a JavaScript Map as Go code sends or receives it: its entries in
// insertion order. (A Go map[string]any is a plain object.)
type Map [][2]any

// Set is a JavaScript Set as Go code sends or receives it, in insertion
// order.
type Set []any

// Undefined is JavaScript's undefined as a Go value (nil is null).
type Undefined struct{}

// MarshalJSON writes null, as JSON.stringify writes undefined in an array
// (and a root undefined, in [Record.MarshalJSON]).
func (Undefined) MarshalJSON() ([]byte, error) { return []byte("null"), nil }

// FromGo returns the record of a Go value, for Go code that posts
// messages to workers without a runtime. It maps:
//
//   - nil to null, [Undefined] to undefined, bools, strings, all integer
//     and float kinds to numbers (*big.Int to a BigInt);
//   - []byte to an ArrayBuffer, time.Time to a Date, [RegExp], [Map],
//     [Set] and *[ErrorValue] (or any other error, as an Error with its
//     text) to their JavaScript types;
//   - a *Record to itself, json.RawMessage to what [FromJSON] makes;
//   - maps with string keys to plain objects (keys sorted, as Go maps
//     have no order), other slices and arrays to Arrays, pointers to what
//     they point at (nil to null);
//   - structs to what encoding/json would write for them, read back with
//     FromJSON.
//
// Shared pointers, maps and slices are not tracked (Go values are trees
// here); a cycle fails when it is nested deeper than [MaxDepth]. Channels,
// functions and complex numbers fail with a DataCloneError.
func FromGo(v any) (*Record, error) {
	if rec, ok := v.(*Record); ok && rec != nil {
		return rec, nil
	}
	b := goBuilder{rec: &Record{}}
	root, err := b.value(reflect.ValueOf(v), 0)
	if err != nil {
		return nil, err
	}
	b.rec.root = root
	return b.rec, nil
}

type goBuilder struct{ rec *Record }

var (
	typeRawMessage = reflect.TypeOf(json.RawMessage(nil))
	typeRecordPtr  = reflect.TypeOf((*Record)(nil))
	typeErrorIface = reflect.TypeOf((*error)(nil)).Elem()
	typeBigIntPtr  = reflect.TypeOf((*big.Int)(nil))
)

func (b *goBuilder) add(ob object) int32 {
	b.rec.objects = append(b.rec.objects, ob)
	return int32(len(b.rec.objects) - 1)
}

func objSlot(idx int32) slot { return slot{kind: slotObject, ref: idx} }

func (b *goBuilder) value(v reflect.Value, depth int) (slot, error) {
	if !v.IsValid() {
		return slot{kind: slotNull}, nil
	}
	if depth >= MaxDepth {
		return slot{}, cloneErr(fmt.Sprintf("a Go value nested more than %d deep", MaxDepth))
	}
	// Types with a JavaScript meaning of their own come first.
	switch x := v.Interface().(type) {
	case Undefined:
		return slot{kind: slotUndefined}, nil
	case time.Time:
		return objSlot(b.add(object{kind: objDate, num: float64(x.UnixMilli())})), nil
	case RegExp:
		return objSlot(b.add(object{kind: objRegExp, s1: x.Source, s2: x.Flags})), nil
	case *big.Int:
		if x == nil {
			return slot{kind: slotNull}, nil
		}
		b.rec.bigints = append(b.rec.bigints, new(big.Int).Set(x))
		return slot{kind: slotBigInt, ref: int32(len(b.rec.bigints) - 1)}, nil
	case json.RawMessage:
		sub, err := FromJSON(x)
		if err != nil {
			return slot{}, err
		}
		return b.graft(sub), nil
	case *Record:
		if x == nil {
			return slot{kind: slotNull}, nil
		}
		if len(x.transfers) > 0 {
			return slot{}, cloneErr("a nested Record with transferred objects")
		}
		return b.graft(x), nil
	case Map:
		idx := b.add(object{kind: objMap})
		items := make([]slot, 0, 2*len(x))
		for _, kv := range x {
			k, err := b.value(reflect.ValueOf(kv[0]), depth+1)
			if err != nil {
				return slot{}, err
			}
			e, err := b.value(reflect.ValueOf(kv[1]), depth+1)
			if err != nil {
				return slot{}, err
			}
			items = append(items, k, e)
		}
		b.rec.objects[idx].items = items
		return objSlot(idx), nil
	case Set:
		idx := b.add(object{kind: objSet})
		items := make([]slot, 0, len(x))
		for _, e := range x {
			s, err := b.value(reflect.ValueOf(e), depth+1)
			if err != nil {
				return slot{}, err
			}
			items = append(items, s)
		}
		b.rec.objects[idx].items = items
		return objSlot(idx), nil
	case *ErrorValue:
		if x == nil {
			return slot{kind: slotNull}, nil
		}
		name := x.Name
		if !slices.Contains(errorNames[:], name) {
			name = "Error"
		}
		return objSlot(b.add(object{kind: objError, s1: name, hasMessage: x.HasMessage, prim: slot{kind: slotString, str: x.Message}})), nil
	case []byte:
		return objSlot(b.add(object{kind: objArrayBuffer, bytes: slices.Clone(x)})), nil
	}
	t := v.Type()
	if t.Implements(typeErrorIface) && (v.Kind() != reflect.Pointer || !v.IsNil()) && t.Kind() != reflect.Struct {
		err := v.Interface().(error)
		return objSlot(b.add(object{kind: objError, s1: "Error", hasMessage: true, prim: slot{kind: slotString, str: err.Error()}})), nil
	}
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			return slot{kind: slotTrue}, nil
		}
		return slot{kind: slotFalse}, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return slot{kind: slotNumber, num: float64(v.Int())}, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return slot{kind: slotNumber, num: float64(v.Uint())}, nil
	case reflect.Float32, reflect.Float64:
		return slot{kind: slotNumber, num: v.Float()}, nil
	case reflect.String:
		return slot{kind: slotString, str: v.String()}, nil
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return slot{kind: slotNull}, nil
		}
		return b.value(v.Elem(), depth)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return slot{kind: slotNull}, nil
		}
		if v.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			return objSlot(b.add(object{kind: objArrayBuffer, bytes: slices.Clone(v.Bytes())})), nil
		}
		n := v.Len()
		idx := b.add(object{kind: objArray, length: uint32(n)})
		props := make([]prop, n)
		for i := range n {
			s, err := b.value(v.Index(i), depth+1)
			if err != nil {
				return slot{}, atKey(err, strconv.Itoa(i))
			}
			props[i] = prop{key: indexKey(i), val: s}
		}
		b.rec.objects[idx].props = props
		return objSlot(idx), nil
	case reflect.Map:
		if v.IsNil() {
			return slot{kind: slotNull}, nil
		}
		if t.Key().Kind() != reflect.String {
			return slot{}, cloneErr(fmt.Sprintf("a Go map with %s keys (use structuredclone.Map)", t.Key()))
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			switch {
			case a.String() < b.String():
				return -1
			case a.String() > b.String():
				return 1
			}
			return 0
		})
		idx := b.add(object{kind: objPlain})
		props := make([]prop, 0, len(keys))
		for _, k := range keys {
			s, err := b.value(v.MapIndex(k), depth+1)
			if err != nil {
				return slot{}, atKey(err, k.String())
			}
			props = append(props, prop{key: k.String(), val: s})
		}
		b.rec.objects[idx].props = orderKeys(props)
		return objSlot(idx), nil
	case reflect.Struct:
		data, err := json.Marshal(v.Interface())
		if err != nil {
			return slot{}, weberr.Errorf(weberr.DataCloneError, "a Go %s could not be cloned: %v", t, err)
		}
		sub, err := FromJSON(data)
		if err != nil {
			return slot{}, err
		}
		return b.graft(sub), nil
	}
	return slot{}, cloneErr(fmt.Sprintf("a Go %s", t))
}

// graft copies sub's objects into b's record and returns sub's root as a
// slot of b's record.
func (b *goBuilder) graft(sub *Record) slot {
	base := int32(len(b.rec.objects))
	bigBase := int32(len(b.rec.bigints))
	u16Base := int32(len(b.rec.utf16))
	b.rec.bigints = append(b.rec.bigints, sub.bigints...)
	b.rec.utf16 = append(b.rec.utf16, sub.utf16...)
	shift := func(s slot) slot {
		switch s.kind {
		case slotObject:
			s.ref += base
		case slotBigInt:
			s.ref += bigBase
		case slotUTF16:
			s.ref += u16Base
		}
		return s
	}
	for _, ob := range sub.objects {
		ob.prim = shift(ob.prim)
		if ob.props != nil {
			props := make([]prop, len(ob.props))
			for i, p := range ob.props {
				p.val = shift(p.val)
				props[i] = p
			}
			ob.props = props
		}
		if ob.items != nil {
			items := make([]slot, len(ob.items))
			for i, s := range ob.items {
				items[i] = shift(s)
			}
			ob.items = items
		}
		if ob.kind == objTypedArray || ob.kind == objDataView {
			ob.view.buffer += base
		}
		if ob.bytes != nil {
			ob.bytes = slices.Clone(ob.bytes)
		}
		b.rec.objects = append(b.rec.objects, ob)
	}
	return shift(sub.root)
}

// Export returns the record's value as Go values, the inverse of
// [FromGo]: undefined as [Undefined], null as nil, booleans, numbers as
// float64, BigInts as *big.Int, strings (unpaired surrogates become
// U+FFFD), plain objects as map[string]any, Arrays as []any (holes as
// nil), Dates as time.Time (UTC), RegExps as [RegExp], Maps as [Map],
// Sets as [Set], errors as *[ErrorValue], ArrayBuffers as []byte, typed
// arrays and DataViews as the []byte of their view (a copy), wrapper
// objects as their primitive, and host values as the host made them.
// Shared objects become shared Go maps and slices where Go allows it; a
// cycle through an object or array is kept (the Go map or slice holds
// itself), through a Map or Set it is cut (nil).
func (rec *Record) Export() any {
	if rec == nil {
		return nil
	}
	e := exporter{rec: rec, done: make(map[int32]any)}
	return e.value(rec.root)
}

type exporter struct {
	rec  *Record
	done map[int32]any
}

func (e *exporter) value(s slot) any {
	switch s.kind {
	case slotUndefined:
		return Undefined{}
	case slotNull:
		return nil
	case slotFalse:
		return false
	case slotTrue:
		return true
	case slotNumber:
		return s.num
	case slotBigInt:
		return new(big.Int).Set(e.rec.bigints[s.ref])
	case slotString:
		return s.str
	case slotUTF16:
		return string(utf16Decode(e.rec.utf16[s.ref]))
	case slotObject:
		return e.object(s.ref)
	}
	return nil
}

func utf16Decode(u []uint16) []rune {
	out := make([]rune, 0, len(u))
	for i := 0; i < len(u); i++ {
		c := rune(u[i])
		switch {
		case c >= 0xD800 && c < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] < 0xE000:
			out = append(out, (c-0xD800)<<10+(rune(u[i+1])-0xDC00)+0x10000)
			i++
		case c >= 0xD800 && c < 0xE000:
			out = append(out, 0xFFFD)
		default:
			out = append(out, c)
		}
	}
	return out
}

func (e *exporter) object(idx int32) any {
	if v, ok := e.done[idx]; ok {
		return v
	}
	ob := &e.rec.objects[idx]
	switch ob.kind {
	case objPlain:
		m := make(map[string]any, len(ob.props))
		e.done[idx] = m
		for _, p := range ob.props {
			m[p.key] = e.value(p.val)
		}
		return m
	case objArray:
		arr := make([]any, ob.length)
		e.done[idx] = arr
		for _, p := range ob.props {
			if i, ok := arrayIndex(p.key); ok && i < ob.length {
				arr[i] = e.value(p.val)
			}
		}
		return arr
	case objBoolean, objNumber, objString, objBigInt:
		return e.value(ob.prim)
	case objDate:
		if math.IsNaN(ob.num) {
			return time.Time{}
		}
		return time.UnixMilli(int64(ob.num)).UTC()
	case objRegExp:
		return RegExp{Source: ob.s1, Flags: ob.s2}
	case objError:
		ev := &ErrorValue{Name: ob.s1, HasMessage: ob.hasMessage}
		if ob.hasMessage {
			ev.Message, _ = e.value(ob.prim).(string)
		}
		return ev
	case objMap:
		e.done[idx] = nil
		m := make(Map, 0, len(ob.items)/2)
		for i := 0; i+1 < len(ob.items); i += 2 {
			m = append(m, [2]any{e.value(ob.items[i]), e.value(ob.items[i+1])})
		}
		e.done[idx] = m
		return m
	case objSet:
		e.done[idx] = nil
		s := make(Set, 0, len(ob.items))
		for _, it := range ob.items {
			s = append(s, e.value(it))
		}
		e.done[idx] = s
		return s
	case objArrayBuffer, objTransferredBuffer:
		return slices.Clone(ob.bytes)
	case objTypedArray, objDataView:
		buf := e.rec.objects[ob.view.buffer].bytes
		size := ob.view.length
		if ob.kind == objTypedArray {
			size *= int64(typedArraySize(ob.view.ctor))
		}
		lo, hi := ob.view.byteOffset, ob.view.byteOffset+size
		if lo < 0 || hi > int64(len(buf)) || lo > hi {
			return []byte(nil)
		}
		return slices.Clone(buf[lo:hi])
	case objHost, objTransferredHost:
		return ob.host
	}
	return nil
}

// typedArraySize is the element size of typedArrayNames[ctor].
func typedArraySize(ctor int8) int {
	switch typedArrayNames[ctor] {
	case "Int16Array", "Uint16Array":
		return 2
	case "Int32Array", "Uint32Array", "Float32Array":
		return 4
	case "Float64Array", "BigInt64Array", "BigUint64Array":
		return 8
	}
	return 1
}

package structuredclone

import (
	"encoding/base64"
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strconv"
)

// HostDescriber is implemented by host values (Blob, File) that describe
// themselves in [Record.InspectJSON]: a type name and a few fields, each
// a JSON-able Go value.
type HostDescriber interface {
	DescribeHost() (typ string, fields map[string]any)
}

// Limits of InspectJSON.
const (
	// InspectBytes is how many bytes of an ArrayBuffer or a view
	// InspectJSON shows (as base64); the rest is cut.
	InspectBytes = 1024
	inspectDepth = 64
)

// InspectJSON writes the record as JSON for a reader (the admin API and
// its devtools page), keeping what JSON cannot carry visible instead of
// dropping it as JSON.stringify does. Null, booleans, strings and finite
// numbers are themselves; arrays are arrays; plain objects are objects.
// Every other value is an object tagged with "$type":
//
//	{"$type": "undefined"}
//	{"$type": "hole"}                          an array's missing element
//	{"$type": "number", "value": "NaN"}        also "Infinity", "-Infinity", "-0"
//	{"$type": "bigint", "value": "123"}
//	{"$type": "Date", "value": "2024-01-02T03:04:05.000Z"}   or "Invalid Date"
//	{"$type": "RegExp", "source": "a+", "flags": "g"}
//	{"$type": "Error", "name": "TypeError", "message": "..."} (message only when it has one)
//	{"$type": "Boolean"|"Number"|"String"|"BigInt", "value": ...}   wrapper objects
//	{"$type": "Map", "entries": [[key, value], ...]}
//	{"$type": "Set", "values": [...]}
//	{"$type": "ArrayBuffer", "byteLength": n, "base64": "...", "truncated": true}
//	{"$type": "Uint8Array" (any typed array) or "DataView", "byteOffset": o, "length": n, "base64": "...", "truncated": true}
//	{"$type": "Blob", ...}                     a host value's own description (HostDescriber), else {"$type": "host"}
//	{"$type": "cycle"}                         a reference to an object being written
//	{"$type": "truncated"}                     past maxBytes of output, or nested too deep
//	{"$type": "object", "value": {...}}        a plain object with an own "$type" key
//
// An array's non-index properties are not shown; "truncated" is set on
// buffers longer than [InspectBytes]. Output stops growing once it passes
// maxBytes (0: no limit): the values not yet written become
// {"$type":"truncated"}, and truncated reports that some did.
func (rec *Record) InspectJSON(maxBytes int) (out json.RawMessage, truncated bool) {
	w := inspector{jsonWriter: jsonWriter{rec: rec, active: make(map[int32]bool)}, max: maxBytes}
	w.value(rec.root, 0)
	return w.buf.Bytes(), w.cut
}

type inspector struct {
	jsonWriter
	max int
	cut bool
}

func (w *inspector) tag(typ string) {
	w.buf.WriteString(`{"$type":`)
	w.quote(typ)
}

func (w *inspector) field(name string) {
	w.buf.WriteString(`,"`)
	w.buf.WriteString(name)
	w.buf.WriteString(`":`)
}

func (w *inspector) value(s slot, depth int) {
	if depth > inspectDepth || w.max > 0 && w.buf.Len() > w.max {
		w.cut = true
		w.buf.WriteString(`{"$type":"truncated"}`)
		return
	}
	switch s.kind {
	case slotUndefined:
		w.buf.WriteString(`{"$type":"undefined"}`)
	case slotNull:
		w.buf.WriteString("null")
	case slotFalse:
		w.buf.WriteString("false")
	case slotTrue:
		w.buf.WriteString("true")
	case slotNumber:
		w.inspectNumber(s.num)
	case slotBigInt:
		w.tag("bigint")
		w.field("value")
		w.quote(w.rec.bigints[s.ref].String())
		w.buf.WriteByte('}')
	case slotString:
		w.quote(s.str)
	case slotUTF16:
		w.quote16(w.rec.utf16[s.ref])
	case slotObject:
		w.object(s.ref, depth)
	}
}

func (w *inspector) inspectNumber(f float64) {
	var special string
	switch {
	case math.IsNaN(f):
		special = "NaN"
	case math.IsInf(f, 1):
		special = "Infinity"
	case math.IsInf(f, -1):
		special = "-Infinity"
	case f == 0 && math.Signbit(f):
		special = "-0"
	default:
		w.number(f)
		return
	}
	w.tag("number")
	w.field("value")
	w.quote(special)
	w.buf.WriteByte('}')
}

func (w *inspector) object(idx int32, depth int) {
	if w.active[idx] {
		w.buf.WriteString(`{"$type":"cycle"}`)
		return
	}
	w.active[idx] = true
	defer delete(w.active, idx)
	ob := &w.rec.objects[idx]
	switch ob.kind {
	case objPlain:
		tagged := false
		for _, p := range ob.props {
			if p.key16 == nil && p.key == "$type" {
				tagged = true
			}
		}
		if tagged {
			w.tag("object")
			w.field("value")
		}
		w.buf.WriteByte('{')
		for i, p := range ob.props {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			if p.key16 != nil {
				w.quote16(p.key16)
			} else {
				w.quote(p.key)
			}
			w.buf.WriteByte(':')
			w.value(p.val, depth+1)
		}
		w.buf.WriteByte('}')
		if tagged {
			w.buf.WriteByte('}')
		}
	case objArray:
		n := int64(ob.length)
		elems := map[uint32]slot{}
		for _, p := range ob.props {
			if i, ok := arrayIndex(p.key); ok && i < ob.length {
				elems[i] = p.val
			}
		}
		w.buf.WriteByte('[')
		for i := int64(0); i < n; i++ {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			if w.max > 0 && w.buf.Len() > w.max {
				w.cut = true
				w.buf.WriteString(`{"$type":"truncated"}`)
				break
			}
			if e, ok := elems[uint32(i)]; ok {
				w.value(e, depth+1)
			} else {
				w.buf.WriteString(`{"$type":"hole"}`)
			}
		}
		w.buf.WriteByte(']')
	case objBoolean, objNumber, objString, objBigInt:
		w.tag(map[objectKind]string{objBoolean: "Boolean", objNumber: "Number", objString: "String", objBigInt: "BigInt"}[ob.kind])
		w.field("value")
		w.value(ob.prim, depth+1)
		w.buf.WriteByte('}')
	case objDate:
		w.tag("Date")
		w.field("value")
		if math.IsNaN(ob.num) || math.Abs(ob.num) > 8.64e15 {
			w.quote("Invalid Date")
		} else {
			w.quote(isoDate(ob.num))
		}
		w.buf.WriteByte('}')
	case objRegExp:
		w.tag("RegExp")
		w.field("source")
		w.quote(ob.s1)
		w.field("flags")
		w.quote(ob.s2)
		w.buf.WriteByte('}')
	case objError:
		w.tag("Error")
		w.field("name")
		w.quote(ob.s1)
		if ob.hasMessage {
			w.field("message")
			w.value(ob.prim, depth+1)
		}
		w.buf.WriteByte('}')
	case objMap:
		w.tag("Map")
		w.field("entries")
		w.buf.WriteByte('[')
		for i := 0; i+1 < len(ob.items); i += 2 {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			w.buf.WriteByte('[')
			w.value(ob.items[i], depth+1)
			w.buf.WriteByte(',')
			w.value(ob.items[i+1], depth+1)
			w.buf.WriteByte(']')
		}
		w.buf.WriteString("]}")
	case objSet:
		w.tag("Set")
		w.field("values")
		w.buf.WriteByte('[')
		for i, it := range ob.items {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			w.value(it, depth+1)
		}
		w.buf.WriteString("]}")
	case objArrayBuffer, objTransferredBuffer:
		w.tag("ArrayBuffer")
		w.field("byteLength")
		w.buf.WriteString(strconv.Itoa(len(ob.bytes)))
		w.bytes(ob.bytes)
		w.buf.WriteByte('}')
	case objTypedArray, objDataView:
		name := "DataView"
		size := ob.view.length
		if ob.kind == objTypedArray {
			name = typedArrayNames[ob.view.ctor]
			size *= int64(typedArraySize(ob.view.ctor))
		}
		w.tag(name)
		w.field("byteOffset")
		w.buf.WriteString(strconv.FormatInt(ob.view.byteOffset, 10))
		w.field("length")
		w.buf.WriteString(strconv.FormatInt(ob.view.length, 10))
		buf := w.rec.objects[ob.view.buffer].bytes
		lo, hi := ob.view.byteOffset, ob.view.byteOffset+size
		if lo >= 0 && lo <= hi && hi <= int64(len(buf)) {
			w.bytes(buf[lo:hi])
		}
		w.buf.WriteByte('}')
	case objHost, objTransferredHost:
		d, ok := ob.host.(HostDescriber)
		if !ok {
			w.buf.WriteString(`{"$type":"host"}`)
			return
		}
		typ, fields := d.DescribeHost()
		w.tag(typ)
		for _, k := range slices.Sorted(maps.Keys(fields)) {
			if k == "$type" {
				continue
			}
			b, err := json.Marshal(fields[k])
			if err != nil {
				continue
			}
			w.buf.WriteByte(',')
			w.quote(k)
			w.buf.WriteByte(':')
			w.buf.Write(b)
		}
		w.buf.WriteByte('}')
	default:
		w.buf.WriteString(`{"$type":"host"}`)
	}
}

// bytes writes the base64 field of a buffer, cut at InspectBytes.
func (w *inspector) bytes(b []byte) {
	cut := len(b) > InspectBytes
	if cut {
		b = b[:InspectBytes]
	}
	w.field("base64")
	w.quote(base64.StdEncoding.EncodeToString(b))
	if cut {
		w.buf.WriteString(`,"truncated":true`)
	}
}

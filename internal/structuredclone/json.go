package structuredclone

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/swhost/swhost/weberr"
)

// FromJSON returns the record of the value JSON.parse would make of data,
// without a runtime: objects keep their member order (the last of
// duplicate members wins, at the place of the first), numbers are
// float64s. It lets Go code (the command line, native services) send
// messages to workers. Invalid JSON fails with a SyntaxError. Unlike
// JSON.parse, "\ud800"-style escapes of unpaired surrogates become U+FFFD
// (encoding/json's decoding).
func FromJSON(data []byte) (*Record, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	b := jsonBuilder{dec: dec, rec: &Record{}}
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonSyntaxErr(err)
	}
	root, err := b.value(tok, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, weberr.New(weberr.SyntaxError, "JSON: unexpected data after the value")
	}
	b.rec.root = root
	return b.rec, nil
}

type jsonBuilder struct {
	dec *json.Decoder
	rec *Record
}

func jsonSyntaxErr(err error) error {
	if err == io.EOF {
		return weberr.New(weberr.SyntaxError, "JSON: unexpected end of input")
	}
	return weberr.Errorf(weberr.SyntaxError, "JSON: %v", err)
}

func (b *jsonBuilder) value(tok json.Token, depth int) (slot, error) {
	switch t := tok.(type) {
	case nil:
		return slot{kind: slotNull}, nil
	case bool:
		if t {
			return slot{kind: slotTrue}, nil
		}
		return slot{kind: slotFalse}, nil
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return slot{}, weberr.Errorf(weberr.SyntaxError, "JSON: bad number %s", t)
		}
		return slot{kind: slotNumber, num: f}, nil
	case string:
		return slot{kind: slotString, str: t}, nil
	case json.Delim:
		if depth >= MaxDepth {
			// Valid JSON, but too deep to clone: the serializer's error.
			return slot{}, cloneErr(fmt.Sprintf("a JSON value nested more than %d deep", MaxDepth))
		}
		idx := int32(len(b.rec.objects))
		if t == '[' {
			b.rec.objects = append(b.rec.objects, object{kind: objArray})
			var props []prop
			for b.dec.More() {
				tok, err := b.dec.Token()
				if err != nil {
					return slot{}, jsonSyntaxErr(err)
				}
				v, err := b.value(tok, depth+1)
				if err != nil {
					return slot{}, err
				}
				props = append(props, prop{key: indexKey(len(props)), val: v})
			}
			if _, err := b.dec.Token(); err != nil {
				return slot{}, jsonSyntaxErr(err)
			}
			b.rec.objects[idx].props, b.rec.objects[idx].length = props, uint32(len(props))
			return slot{kind: slotObject, ref: idx}, nil
		}
		b.rec.objects = append(b.rec.objects, object{kind: objPlain})
		var props []prop
		seen := map[string]int{}
		for b.dec.More() {
			ktok, err := b.dec.Token()
			if err != nil {
				return slot{}, jsonSyntaxErr(err)
			}
			key, _ := ktok.(string)
			tok, err := b.dec.Token()
			if err != nil {
				return slot{}, jsonSyntaxErr(err)
			}
			v, err := b.value(tok, depth+1)
			if err != nil {
				return slot{}, err
			}
			if i, dup := seen[key]; dup {
				props[i].val = v
				continue
			}
			seen[key] = len(props)
			props = append(props, prop{key: key, val: v})
		}
		if _, err := b.dec.Token(); err != nil {
			return slot{}, jsonSyntaxErr(err)
		}
		b.rec.objects[idx].props = orderKeys(props)
		return slot{kind: slotObject, ref: idx}, nil
	}
	return slot{}, weberr.Errorf(weberr.SyntaxError, "JSON: unexpected %v", tok)
}

// orderKeys puts integer-like keys first, ascending, as JavaScript orders
// an object's own keys; other keys keep their order.
func orderKeys(props []prop) []prop {
	var idx, rest []prop
	for _, p := range props {
		if _, ok := arrayIndex(p.key); ok {
			idx = append(idx, p)
		} else {
			rest = append(rest, p)
		}
	}
	if len(idx) == 0 {
		return props
	}
	// Insertion sort: objects with many index keys are rare in messages.
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0; j-- {
			a, _ := arrayIndex(idx[j-1].key)
			b, _ := arrayIndex(idx[j].key)
			if a <= b {
				break
			}
			idx[j-1], idx[j] = idx[j], idx[j-1]
		}
	}
	return append(idx, rest...)
}

// arrayIndex parses a canonical array index ("0", "17"; not "01").
func arrayIndex(k string) (uint32, bool) {
	if k == "" || len(k) > 10 || (len(k) > 1 && k[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(k, 10, 32)
	if err != nil || n == math.MaxUint32 {
		return 0, false
	}
	return uint32(n), true
}

// maxJSONArray caps the length of an array MarshalJSON writes (holes are
// written as null, so a sparse array could otherwise be enormous).
const maxJSONArray = 1 << 24

// MarshalJSON writes the record's value as JSON.stringify would write the
// value in a realm: Boolean, Number and String objects as their values,
// Dates as ISO strings (null when invalid), undefined members left out and
// undefined array elements as null, NaN and infinities as null, typed
// arrays as objects of their elements, and Maps, Sets, RegExps, errors,
// ArrayBuffers, DataViews and host objects as {} (host values that
// implement json.Marshaler marshal themselves). A root of undefined is
// written as null. BigInts and cycles fail with a TypeError, as in
// JSON.stringify.
func (rec *Record) MarshalJSON() ([]byte, error) {
	w := jsonWriter{rec: rec, active: make(map[int32]bool)}
	if rec.root.kind == slotUndefined {
		return []byte("null"), nil
	}
	if err := w.value(rec.root); err != nil {
		return nil, err
	}
	return w.buf.Bytes(), nil
}

type jsonWriter struct {
	rec    *Record
	buf    bytes.Buffer
	active map[int32]bool // objects being written: a repeat is a cycle
}

// omitted reports whether s is left out of objects (undefined).
func omitted(s slot) bool { return s.kind == slotUndefined }

func (w *jsonWriter) value(s slot) error {
	switch s.kind {
	case slotUndefined, slotNull:
		w.buf.WriteString("null")
	case slotFalse:
		w.buf.WriteString("false")
	case slotTrue:
		w.buf.WriteString("true")
	case slotNumber:
		w.number(s.num)
	case slotBigInt:
		return weberr.New(weberr.TypeError, "JSON: a BigInt value cannot be serialized")
	case slotString:
		w.quote(s.str)
	case slotUTF16:
		w.quote16(w.rec.utf16[s.ref])
	case slotObject:
		return w.object(s.ref)
	}
	return nil
}

func (w *jsonWriter) number(f float64) {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		w.buf.WriteString("null")
	case f == 0:
		w.buf.WriteString("0")
	default:
		b, _ := json.Marshal(f) // encoding/json formats floats as ECMAScript does
		w.buf.Write(b)
	}
}

func (w *jsonWriter) object(idx int32) error {
	if w.active[idx] {
		return weberr.New(weberr.TypeError, "JSON: cyclic object value")
	}
	w.active[idx] = true
	defer delete(w.active, idx)
	ob := &w.rec.objects[idx]
	switch ob.kind {
	case objPlain:
		w.buf.WriteByte('{')
		first := true
		for _, p := range ob.props {
			if omitted(p.val) {
				continue
			}
			if !first {
				w.buf.WriteByte(',')
			}
			first = false
			if p.key16 != nil {
				w.quote16(p.key16)
			} else {
				w.quote(p.key)
			}
			w.buf.WriteByte(':')
			if err := w.value(p.val); err != nil {
				return err
			}
		}
		w.buf.WriteByte('}')
	case objArray:
		if ob.length > maxJSONArray {
			return weberr.Errorf(weberr.RangeError, "JSON: array of length %d is too long", ob.length)
		}
		elems := make([]slot, ob.length) // zero slots are undefined: written as null
		for _, p := range ob.props {
			if i, ok := arrayIndex(p.key); ok && i < ob.length {
				elems[i] = p.val
			}
		}
		w.buf.WriteByte('[')
		for i, e := range elems {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			if err := w.value(e); err != nil {
				return err
			}
		}
		w.buf.WriteByte(']')
	case objBoolean, objNumber, objString, objBigInt:
		return w.value(ob.prim)
	case objDate:
		if math.IsNaN(ob.num) {
			w.buf.WriteString("null")
		} else {
			w.quote(isoDate(ob.num))
		}
	case objTypedArray:
		return w.typedArray(ob)
	case objHost, objTransferredHost:
		if m, ok := ob.host.(json.Marshaler); ok {
			b, err := m.MarshalJSON()
			if err != nil {
				return err
			}
			w.buf.Write(b)
			return nil
		}
		w.buf.WriteString("{}")
	default: // Map, Set, RegExp, Error, ArrayBuffer, DataView: no own enumerable properties
		w.buf.WriteString("{}")
	}
	return nil
}

// typedArray writes a typed array as JSON.stringify does: an object whose
// keys are the element indexes.
func (w *jsonWriter) typedArray(ob *object) error {
	buf := &w.rec.objects[ob.view.buffer]
	name := typedArrayNames[ob.view.ctor]
	size := map[string]int{"Int8Array": 1, "Uint8Array": 1, "Uint8ClampedArray": 1, "Int16Array": 2, "Uint16Array": 2,
		"Int32Array": 4, "Uint32Array": 4, "Float32Array": 4, "Float64Array": 8, "BigInt64Array": 8, "BigUint64Array": 8}[name]
	if ob.view.length > 0 && (name == "BigInt64Array" || name == "BigUint64Array") {
		return weberr.New(weberr.TypeError, "JSON: a BigInt value cannot be serialized")
	}
	w.buf.WriteByte('{')
	le := binary.LittleEndian // sobek keeps typed array data in the host's order; Go's targets here are little-endian
	for i := int64(0); i < ob.view.length; i++ {
		off := ob.view.byteOffset + i*int64(size)
		if off+int64(size) > int64(len(buf.bytes)) {
			break // a transferred buffer already given away
		}
		b := buf.bytes[off : off+int64(size)]
		var f float64
		switch name {
		case "Int8Array":
			f = float64(int8(b[0]))
		case "Uint8Array", "Uint8ClampedArray":
			f = float64(b[0])
		case "Int16Array":
			f = float64(int16(le.Uint16(b)))
		case "Uint16Array":
			f = float64(le.Uint16(b))
		case "Int32Array":
			f = float64(int32(le.Uint32(b)))
		case "Uint32Array":
			f = float64(le.Uint32(b))
		case "Float32Array":
			f = float64(math.Float32frombits(le.Uint32(b)))
		case "Float64Array":
			f = math.Float64frombits(le.Uint64(b))
		}
		if i > 0 {
			w.buf.WriteByte(',')
		}
		w.buf.WriteString(`"` + strconv.FormatInt(i, 10) + `":`)
		w.number(f)
	}
	w.buf.WriteByte('}')
	return nil
}

// isoDate is Date.prototype.toISOString for a time value in milliseconds.
func isoDate(ms float64) string {
	t := time.UnixMilli(int64(ms)).UTC()
	year := t.Year()
	var y string
	switch {
	case year >= 0 && year <= 9999:
		y = fmt.Sprintf("%04d", year)
	case year < 0:
		y = fmt.Sprintf("-%06d", -year)
	default:
		y = fmt.Sprintf("+%06d", year)
	}
	return y + t.Format("-01-02T15:04:05.000Z")
}

// quote writes s as a JSON string, escaping as JSON.stringify does.
func (w *jsonWriter) quote(s string) {
	w.buf.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			w.buf.WriteByte(c)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			w.escape(rune(c))
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			w.buf.WriteString("\uFFFD") // invalid UTF-8, as the runtime reads it
		} else {
			w.buf.WriteString(s[i : i+n])
		}
		i += n
	}
	w.buf.WriteByte('"')
}

// quote16 writes UTF-16 code units as a JSON string; unpaired surrogates
// are escaped as \uXXXX, as well-formed JSON.stringify does.
func (w *jsonWriter) quote16(units []uint16) {
	w.buf.WriteByte('"')
	for i := 0; i < len(units); i++ {
		c := rune(units[i])
		switch {
		case utf16.IsSurrogate(c) && c < 0xDC00 && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF:
			w.buf.WriteRune(utf16.DecodeRune(c, rune(units[i+1])))
			i++
		case utf16.IsSurrogate(c):
			fmt.Fprintf(&w.buf, `\u%04x`, c)
		case c < 0x20 || c == '"' || c == '\\':
			w.escape(c)
		default:
			w.buf.WriteRune(c)
		}
	}
	w.buf.WriteByte('"')
}

func (w *jsonWriter) escape(c rune) {
	switch c {
	case '"':
		w.buf.WriteString(`\"`)
	case '\\':
		w.buf.WriteString(`\\`)
	case '\b':
		w.buf.WriteString(`\b`)
	case '\f':
		w.buf.WriteString(`\f`)
	case '\n':
		w.buf.WriteString(`\n`)
	case '\r':
		w.buf.WriteString(`\r`)
	case '\t':
		w.buf.WriteString(`\t`)
	default:
		fmt.Fprintf(&w.buf, `\u%04x`, c)
	}
}

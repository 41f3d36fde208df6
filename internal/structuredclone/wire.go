package structuredclone

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
)

// wireVersion is the first byte of MarshalBinary's encoding.
const wireVersion = 1

// errCorruptWire is UnmarshalBinary's error for input it cannot read.
var errCorruptWire = errors.New("structuredclone: a corrupt binary record")

// MarshalBinary encodes the record as bytes, for sending it to another
// process (a node of a fleet), where UnmarshalBinary rebuilds it exactly:
// every value, shared reference and cycle. Transferred ArrayBuffers are
// encoded with their bytes (they move with the record). A record holding
// host objects (a MessagePort, transferred or not) cannot leave the
// process: that is a DataCloneError. A record whose transferred objects
// were received already fails too.
func (rec *Record) MarshalBinary() ([]byte, error) {
	if rec.received.Load() && len(rec.transfers) > 0 {
		return nil, cloneErr("a record whose transferred objects were received already")
	}
	w := wireWriter{buf: make([]byte, 0, 64+rec.Size())}
	w.buf = append(w.buf, wireVersion)
	w.slot(rec.root)
	w.uvarint(uint64(len(rec.bigints)))
	for _, b := range rec.bigints {
		bs, _ := b.GobEncode()
		w.bytes(bs)
	}
	w.uvarint(uint64(len(rec.utf16)))
	for _, u := range rec.utf16 {
		w.units(u)
	}
	w.uvarint(uint64(len(rec.transfers)))
	for _, t := range rec.transfers {
		w.varint(int64(t))
	}
	w.uvarint(uint64(len(rec.objects)))
	for i := range rec.objects {
		ob := &rec.objects[i]
		if ob.kind == objHost || ob.kind == objTransferredHost {
			return nil, cloneErr("a host object (a MessagePort) cannot be sent to another process")
		}
		w.buf = append(w.buf, byte(ob.kind))
		if ob.hasMessage {
			w.buf = append(w.buf, 1)
		} else {
			w.buf = append(w.buf, 0)
		}
		w.uvarint(uint64(ob.length))
		w.uvarint(uint64(len(ob.props)))
		for _, p := range ob.props {
			w.str(p.key)
			if p.key16 != nil {
				w.buf = append(w.buf, 1)
				w.units(p.key16)
			} else {
				w.buf = append(w.buf, 0)
			}
			w.slot(p.val)
		}
		w.slot(ob.prim)
		w.float(ob.num)
		w.str(ob.s1)
		w.str(ob.s2)
		w.uvarint(uint64(len(ob.items)))
		for _, s := range ob.items {
			w.slot(s)
		}
		if ob.bytes != nil {
			w.buf = append(w.buf, 1)
			w.bytes(ob.bytes)
		} else {
			w.buf = append(w.buf, 0)
		}
		w.varint(int64(ob.view.ctor))
		w.varint(int64(ob.view.buffer))
		w.varint(ob.view.byteOffset)
		w.varint(ob.view.length)
	}
	return w.buf, nil
}

// UnmarshalBinary rebuilds a record MarshalBinary encoded. It checks the
// encoding's structure (references within bounds), not that the value is
// one a realm would have made.
func (rec *Record) UnmarshalBinary(data []byte) (err error) {
	r := wireReader{buf: data}
	defer func() {
		if p := recover(); p != nil {
			if p != errCorruptWire {
				panic(p)
			}
			err = errCorruptWire
		}
	}()
	if r.byte() != wireVersion {
		return fmt.Errorf("structuredclone: binary record version %d, want %d", data[0], wireVersion)
	}
	var out Record
	out.root = r.slot()
	out.bigints = make([]*big.Int, r.count())
	for i := range out.bigints {
		out.bigints[i] = new(big.Int)
		if err := out.bigints[i].GobDecode(r.bytes()); err != nil {
			return errCorruptWire
		}
	}
	out.utf16 = make([][]uint16, r.count())
	for i := range out.utf16 {
		out.utf16[i] = r.units()
	}
	out.transfers = make([]int32, r.count())
	for i := range out.transfers {
		out.transfers[i] = int32(r.varint())
	}
	out.objects = make([]object, r.count())
	for i := range out.objects {
		ob := &out.objects[i]
		ob.kind = objectKind(r.byte())
		if ob.kind > objTransferredHost || ob.kind == objHost || ob.kind == objTransferredHost {
			return errCorruptWire
		}
		ob.hasMessage = r.byte() == 1
		ob.length = uint32(r.uvarint())
		if n := r.count(); n > 0 {
			ob.props = make([]prop, n)
			for j := range ob.props {
				p := &ob.props[j]
				p.key = r.str()
				if r.byte() == 1 {
					p.key16 = r.units()
				}
				p.val = r.slot()
			}
		}
		ob.prim = r.slot()
		ob.num = r.float()
		ob.s1 = r.str()
		ob.s2 = r.str()
		if n := r.count(); n > 0 {
			ob.items = make([]slot, n)
			for j := range ob.items {
				ob.items[j] = r.slot()
			}
		}
		if r.byte() == 1 {
			ob.bytes = append([]byte{}, r.bytes()...)
		}
		ob.view.ctor = int8(r.varint())
		ob.view.buffer = int32(r.varint())
		ob.view.byteOffset = r.varint()
		ob.view.length = r.varint()
	}
	if len(r.buf) != 0 {
		return errCorruptWire
	}
	// References stay within the record.
	check := func(s slot) bool {
		switch s.kind {
		case slotObject:
			return s.ref >= 0 && int(s.ref) < len(out.objects)
		case slotBigInt:
			return s.ref >= 0 && int(s.ref) < len(out.bigints)
		case slotUTF16:
			return s.ref >= 0 && int(s.ref) < len(out.utf16)
		}
		return s.kind <= slotObject
	}
	ok := check(out.root)
	for i := range out.objects {
		ob := &out.objects[i]
		ok = ok && check(ob.prim)
		for _, p := range ob.props {
			ok = ok && check(p.val)
		}
		for _, s := range ob.items {
			ok = ok && check(s)
		}
		if ob.kind == objTypedArray || ob.kind == objDataView {
			ok = ok && ob.view.buffer >= 0 && int(ob.view.buffer) < len(out.objects)
		}
	}
	for _, t := range out.transfers {
		ok = ok && t >= 0 && int(t) < len(out.objects)
	}
	if !ok {
		return errCorruptWire
	}
	rec.root, rec.objects, rec.bigints, rec.utf16, rec.transfers = out.root, out.objects, out.bigints, out.utf16, out.transfers
	rec.received.Store(false)
	return nil
}

type wireWriter struct{ buf []byte }

func (w *wireWriter) uvarint(v uint64) { w.buf = binary.AppendUvarint(w.buf, v) }
func (w *wireWriter) varint(v int64)   { w.buf = binary.AppendVarint(w.buf, v) }
func (w *wireWriter) float(f float64) {
	w.buf = binary.LittleEndian.AppendUint64(w.buf, math.Float64bits(f))
}
func (w *wireWriter) bytes(b []byte) { w.uvarint(uint64(len(b))); w.buf = append(w.buf, b...) }
func (w *wireWriter) str(s string)   { w.uvarint(uint64(len(s))); w.buf = append(w.buf, s...) }
func (w *wireWriter) units(u []uint16) {
	w.uvarint(uint64(len(u)))
	for _, c := range u {
		w.buf = binary.LittleEndian.AppendUint16(w.buf, c)
	}
}

func (w *wireWriter) slot(s slot) {
	w.buf = append(w.buf, byte(s.kind))
	switch s.kind {
	case slotNumber:
		w.float(s.num)
	case slotString:
		w.str(s.str)
	case slotBigInt, slotUTF16, slotObject:
		w.varint(int64(s.ref))
	}
}

// wireReader reads what wireWriter wrote; it panics with errCorruptWire on
// input that ends early.
type wireReader struct{ buf []byte }

func (r *wireReader) need(n int) []byte {
	if n < 0 || n > len(r.buf) {
		panic(errCorruptWire)
	}
	b := r.buf[:n]
	r.buf = r.buf[n:]
	return b
}

func (r *wireReader) byte() byte { return r.need(1)[0] }

func (r *wireReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.buf)
	if n <= 0 {
		panic(errCorruptWire)
	}
	r.buf = r.buf[n:]
	return v
}

func (r *wireReader) varint() int64 {
	v, n := binary.Varint(r.buf)
	if n <= 0 {
		panic(errCorruptWire)
	}
	r.buf = r.buf[n:]
	return v
}

// count reads a length, which cannot exceed the bytes left (each item
// takes at least one).
func (r *wireReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.buf)) {
		panic(errCorruptWire)
	}
	return int(n)
}

func (r *wireReader) float() float64 {
	return math.Float64frombits(binary.LittleEndian.Uint64(r.need(8)))
}
func (r *wireReader) bytes() []byte { return r.need(int(min(r.uvarint(), uint64(math.MaxInt32)))) }
func (r *wireReader) str() string   { return string(r.bytes()) }
func (r *wireReader) units() []uint16 {
	n := r.count()
	b := r.need(2 * n)
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return u
}

func (r *wireReader) slot() slot {
	s := slot{kind: slotKind(r.byte())}
	switch s.kind {
	case slotNumber:
		s.num = r.float()
	case slotString:
		s.str = r.str()
	case slotBigInt, slotUTF16, slotObject:
		s.ref = int32(r.varint())
	}
	return s
}
